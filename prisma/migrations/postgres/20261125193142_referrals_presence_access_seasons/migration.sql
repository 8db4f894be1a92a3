-- AlterTable
ALTER TABLE "Community" ADD COLUMN     "referralRules" TEXT NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Referral" ADD COLUMN     "endedAt" TIMESTAMP(3),
ADD COLUMN     "qualifiedAt" TIMESTAMP(3),
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'code',
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'paid';

-- CreateTable
CREATE TABLE "Presence" (
    "communityId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "platformUserId" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "accountCreatedAt" TIMESTAMP(3),
    "joinedAt" TIMESTAMP(3),
    "leftAt" TIMESTAMP(3),
    "inviterId" TEXT,
    "inviteCode" TEXT,
    "fake" BOOLEAN NOT NULL DEFAULT false,
    "joins" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Presence_pkey" PRIMARY KEY ("communityId","platform","platformUserId")
);

-- CreateTable
CREATE TABLE "AccessGrant" (
    "id" SERIAL NOT NULL,
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "platformUserId" TEXT NOT NULL,
    "space" TEXT NOT NULL DEFAULT '',
    "kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "wanted" BOOLEAN NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "lockedUntil" TIMESTAMP(3),
    "lockedBy" TEXT,
    "lastError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessEvent" (
    "id" SERIAL NOT NULL,
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "detail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Season" (
    "id" SERIAL NOT NULL,
    "communityId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "prizes" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "endedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Season_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Presence_communityId_inviterId_idx" ON "Presence"("communityId", "inviterId");

-- CreateIndex
CREATE INDEX "AccessGrant_platform_state_nextAttemptAt_idx" ON "AccessGrant"("platform", "state", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "AccessGrant_communityId_memberId_platform_kind_target_key" ON "AccessGrant"("communityId", "memberId", "platform", "kind", "target");

-- CreateIndex
CREATE INDEX "AccessEvent_communityId_memberId_createdAt_idx" ON "AccessEvent"("communityId", "memberId", "createdAt");

-- CreateIndex
CREATE INDEX "Season_communityId_status_idx" ON "Season"("communityId", "status");

-- CreateIndex
CREATE INDEX "Referral_communityId_status_idx" ON "Referral"("communityId", "status");
