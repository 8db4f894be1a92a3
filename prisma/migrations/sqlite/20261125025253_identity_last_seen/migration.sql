-- AlterTable
ALTER TABLE "Identity" ADD COLUMN "lastSeenAt" DATETIME;
