-- AlterTable
ALTER TABLE "DashboardLink" ADD COLUMN     "platformRole" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "DashboardSession" ADD COLUMN     "platformRole" BOOLEAN NOT NULL DEFAULT false;
