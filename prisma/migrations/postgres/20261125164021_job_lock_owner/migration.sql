-- AlterTable
ALTER TABLE "ScheduledJob" ADD COLUMN     "lockedBy" TEXT;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "lockedBy" TEXT;
