-- AlterTable
ALTER TABLE "Poll" ADD COLUMN "seriesId" INTEGER;
