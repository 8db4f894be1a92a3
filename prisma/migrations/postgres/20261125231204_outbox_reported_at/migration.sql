-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "reportedAt" TIMESTAMP(3);
