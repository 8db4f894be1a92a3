-- AlterTable
ALTER TABLE "Community" ADD COLUMN     "locale" TEXT NOT NULL DEFAULT 'en',
ADD COLUMN     "timezone" TEXT NOT NULL DEFAULT 'UTC';

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "locale" TEXT;

-- AlterTable
ALTER TABLE "Challenge" ADD COLUMN     "threadId" TEXT;

-- AlterTable
ALTER TABLE "Contest" ADD COLUMN     "threadId" TEXT;

-- AlterTable
ALTER TABLE "Poll" ADD COLUMN     "threadId" TEXT;
