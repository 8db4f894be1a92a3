-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "reportedAt" DATETIME;
