-- CreateTable
CREATE TABLE "Presence" (
    "communityId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "platformUserId" TEXT NOT NULL,
    "firstSeenAt" DATETIME NOT NULL,
    "accountCreatedAt" DATETIME,
    "joinedAt" DATETIME,
    "leftAt" DATETIME,
    "inviterId" TEXT,
    "inviteCode" TEXT,
    "fake" BOOLEAN NOT NULL DEFAULT false,
    "joins" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("communityId", "platform", "platformUserId")
);

-- CreateTable
CREATE TABLE "AccessGrant" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "nextAttemptAt" DATETIME,
    "lockedUntil" DATETIME,
    "lockedBy" TEXT,
    "lastError" TEXT,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AccessEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "detail" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Season" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communityId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "prizes" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "endedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Community" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "referrerReward" INTEGER NOT NULL DEFAULT 100,
    "refereeReward" INTEGER NOT NULL DEFAULT 50,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "tiers" TEXT NOT NULL DEFAULT '[{"name":"Bronze","minPoints":0},{"name":"Silver","minPoints":500},{"name":"Gold","minPoints":2000},{"name":"Platinum","minPoints":10000}]',
    "activity" TEXT NOT NULL DEFAULT '{}',
    "referralRules" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Community" ("activity", "createdAt", "id", "locale", "name", "refereeReward", "referrerReward", "tiers", "timezone") SELECT "activity", "createdAt", "id", "locale", "name", "refereeReward", "referrerReward", "tiers", "timezone" FROM "Community";
DROP TABLE "Community";
ALTER TABLE "new_Community" RENAME TO "Community";
CREATE TABLE "new_Referral" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communityId" TEXT NOT NULL,
    "referrerId" TEXT NOT NULL,
    "refereeId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'paid',
    "source" TEXT NOT NULL DEFAULT 'code',
    "qualifiedAt" DATETIME,
    "endedAt" DATETIME
);
INSERT INTO "new_Referral" ("code", "communityId", "createdAt", "id", "refereeId", "referrerId") SELECT "code", "communityId", "createdAt", "id", "refereeId", "referrerId" FROM "Referral";
DROP TABLE "Referral";
ALTER TABLE "new_Referral" RENAME TO "Referral";
CREATE UNIQUE INDEX "Referral_refereeId_key" ON "Referral"("refereeId");
CREATE INDEX "Referral_communityId_referrerId_idx" ON "Referral"("communityId", "referrerId");
CREATE INDEX "Referral_communityId_status_idx" ON "Referral"("communityId", "status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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
