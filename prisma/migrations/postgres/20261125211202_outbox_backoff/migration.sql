-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "failedAt" TIMESTAMP(3),
ADD COLUMN     "nextAt" TIMESTAMP(3);
