-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "failedAt" DATETIME;
ALTER TABLE "OutboxMessage" ADD COLUMN "nextAt" DATETIME;
