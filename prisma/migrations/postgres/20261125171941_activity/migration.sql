-- AlterTable
ALTER TABLE "Community" ADD COLUMN     "activity" TEXT NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "ActivityState" (
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "lastEarnAt" TIMESTAMP(3),
    "day" TEXT NOT NULL DEFAULT '',
    "dayPoints" INTEGER NOT NULL DEFAULT 0,
    "streak" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ActivityState_pkey" PRIMARY KEY ("communityId","memberId")
);

-- CreateIndex
CREATE INDEX "ActivityState_memberId_idx" ON "ActivityState"("memberId");
