-- AlterTable
ALTER TABLE "CommunityBinding" ADD COLUMN "announceChannelId" TEXT;
ALTER TABLE "CommunityBinding" ADD COLUMN "announceThreadId" TEXT;

-- AlterTable
ALTER TABLE "ContestWinner" ADD COLUMN "claimBy" DATETIME;
ALTER TABLE "ContestWinner" ADD COLUMN "claimedAt" DATETIME;
ALTER TABLE "ContestWinner" ADD COLUMN "replacedReason" TEXT;

-- CreateTable
CREATE TABLE "PollVoter" (
    "pollId" INTEGER NOT NULL,
    "memberId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("pollId", "memberId")
);

-- CreateTable
CREATE TABLE "PollChoice" (
    "pollId" INTEGER NOT NULL,
    "memberId" TEXT NOT NULL,
    "option" INTEGER NOT NULL,

    PRIMARY KEY ("pollId", "memberId", "option")
);

-- CreateTable
CREATE TABLE "PollTally" (
    "pollId" INTEGER NOT NULL,
    "option" INTEGER NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("pollId", "option")
);

-- CreateTable
CREATE TABLE "PollAnonComment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "pollId" INTEGER NOT NULL,
    "score" INTEGER,
    "text" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "PostedMessage" (
    "key" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("key", "platform", "channelId")
);

-- CreateTable
CREATE TABLE "Thanks" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communityId" TEXT NOT NULL,
    "giverId" TEXT NOT NULL,
    "receiverId" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ThanksAllowance" (
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "spent" INTEGER NOT NULL,

    PRIMARY KEY ("communityId", "memberId", "day")
);

-- CreateTable
CREATE TABLE "ThanksPair" (
    "communityId" TEXT NOT NULL,
    "giverId" TEXT NOT NULL,
    "receiverId" TEXT NOT NULL,
    "week" TEXT NOT NULL,
    "points" INTEGER NOT NULL,

    PRIMARY KEY ("communityId", "giverId", "receiverId", "week")
);

-- CreateTable
CREATE TABLE "SlackInstallation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "teamId" TEXT,
    "enterpriseId" TEXT,
    "data" TEXT NOT NULL,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
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
    "thanksRules" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Community" ("activity", "createdAt", "id", "locale", "name", "refereeReward", "referralRules", "referrerReward", "tiers", "timezone") SELECT "activity", "createdAt", "id", "locale", "name", "refereeReward", "referralRules", "referrerReward", "tiers", "timezone" FROM "Community";
DROP TABLE "Community";
ALTER TABLE "new_Community" RENAME TO "Community";
CREATE TABLE "new_Contest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communityId" TEXT NOT NULL,
    "prize" TEXT NOT NULL,
    "prizePoints" INTEGER NOT NULL DEFAULT 0,
    "winnersCount" INTEGER NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "minPoints" INTEGER NOT NULL DEFAULT 0,
    "minMemberDays" INTEGER NOT NULL DEFAULT 0,
    "bonusEntries" TEXT NOT NULL DEFAULT '[]',
    "requiredRoles" TEXT NOT NULL DEFAULT '[]',
    "requiredTier" TEXT,
    "claimHours" INTEGER NOT NULL DEFAULT 0,
    "seedHash" TEXT,
    "seed" TEXT,
    "announceTo" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'open',
    "createdById" TEXT NOT NULL,
    "platform" TEXT,
    "channelId" TEXT,
    "threadId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME
);
INSERT INTO "new_Contest" ("channelId", "communityId", "createdAt", "createdById", "endedAt", "endsAt", "id", "minMemberDays", "minPoints", "platform", "prize", "prizePoints", "status", "threadId", "winnersCount") SELECT "channelId", "communityId", "createdAt", "createdById", "endedAt", "endsAt", "id", "minMemberDays", "minPoints", "platform", "prize", "prizePoints", "status", "threadId", "winnersCount" FROM "Contest";
DROP TABLE "Contest";
ALTER TABLE "new_Contest" RENAME TO "Contest";
CREATE INDEX "Contest_communityId_status_idx" ON "Contest"("communityId", "status");
CREATE TABLE "new_ContestEntry" (
    "contestId" INTEGER NOT NULL,
    "memberId" TEXT NOT NULL,
    "weight" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("contestId", "memberId"),
    CONSTRAINT "ContestEntry_contestId_fkey" FOREIGN KEY ("contestId") REFERENCES "Contest" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_ContestEntry" ("contestId", "createdAt", "memberId") SELECT "contestId", "createdAt", "memberId" FROM "ContestEntry";
DROP TABLE "ContestEntry";
ALTER TABLE "new_ContestEntry" RENAME TO "ContestEntry";
CREATE TABLE "new_Poll" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "communityId" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "opensAt" DATETIME NOT NULL,
    "closesAt" DATETIME NOT NULL,
    "repeat" TEXT NOT NULL DEFAULT 'none',
    "kind" TEXT NOT NULL DEFAULT 'nps',
    "options" TEXT,
    "anonymous" BOOLEAN NOT NULL DEFAULT false,
    "answerPoints" INTEGER NOT NULL DEFAULT 0,
    "remindAt" DATETIME,
    "remindedAt" DATETIME,
    "offerReferral" BOOLEAN NOT NULL DEFAULT true,
    "offerChallengeId" INTEGER,
    "followUpDetractors" BOOLEAN NOT NULL DEFAULT true,
    "seriesId" INTEGER,
    "createdById" TEXT NOT NULL,
    "platform" TEXT,
    "channelId" TEXT,
    "threadId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Poll" ("channelId", "closesAt", "communityId", "createdAt", "createdById", "id", "opensAt", "platform", "question", "repeat", "seriesId", "status", "threadId") SELECT "channelId", "closesAt", "communityId", "createdAt", "createdById", "id", "opensAt", "platform", "question", "repeat", "seriesId", "status", "threadId" FROM "Poll";
DROP TABLE "Poll";
ALTER TABLE "new_Poll" RENAME TO "Poll";
CREATE INDEX "Poll_communityId_status_idx" ON "Poll"("communityId", "status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "PollChoice_pollId_option_idx" ON "PollChoice"("pollId", "option");

-- CreateIndex
CREATE INDEX "PollAnonComment_pollId_idx" ON "PollAnonComment"("pollId");

-- CreateIndex
CREATE INDEX "PostedMessage_platform_channelId_messageId_idx" ON "PostedMessage"("platform", "channelId", "messageId");

-- CreateIndex
CREATE INDEX "Thanks_communityId_createdAt_idx" ON "Thanks"("communityId", "createdAt");

-- CreateIndex
CREATE INDEX "Thanks_giverId_createdAt_idx" ON "Thanks"("giverId", "createdAt");

-- CreateIndex
CREATE INDEX "Thanks_receiverId_createdAt_idx" ON "Thanks"("receiverId", "createdAt");
