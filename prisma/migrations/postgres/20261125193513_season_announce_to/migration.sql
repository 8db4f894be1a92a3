-- AlterTable
ALTER TABLE "Season" ADD COLUMN     "announceTo" TEXT NOT NULL DEFAULT '[]';
