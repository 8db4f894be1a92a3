-- AlterTable
ALTER TABLE "Identity" ADD COLUMN     "lastSeenAt" TIMESTAMP(3);
