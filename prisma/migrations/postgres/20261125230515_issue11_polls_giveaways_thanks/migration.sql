-- AlterTable
ALTER TABLE "Community" ADD COLUMN     "thanksRules" TEXT NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "CommunityBinding" ADD COLUMN     "announceChannelId" TEXT,
ADD COLUMN     "announceThreadId" TEXT;

-- AlterTable
ALTER TABLE "Contest" ADD COLUMN     "announceTo" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "bonusEntries" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "claimHours" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "requiredRoles" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "requiredTier" TEXT,
ADD COLUMN     "seed" TEXT,
ADD COLUMN     "seedHash" TEXT;

-- AlterTable
ALTER TABLE "ContestEntry" ADD COLUMN     "weight" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "ContestWinner" ADD COLUMN     "claimBy" TIMESTAMP(3),
ADD COLUMN     "claimedAt" TIMESTAMP(3),
ADD COLUMN     "replacedReason" TEXT;

-- AlterTable
ALTER TABLE "Poll" ADD COLUMN     "anonymous" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "answerPoints" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "followUpDetractors" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'nps',
ADD COLUMN     "offerChallengeId" INTEGER,
ADD COLUMN     "offerReferral" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "options" TEXT,
ADD COLUMN     "remindAt" TIMESTAMP(3),
ADD COLUMN     "remindedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "PollVoter" (
    "pollId" INTEGER NOT NULL,
    "memberId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PollVoter_pkey" PRIMARY KEY ("pollId","memberId")
);

-- CreateTable
CREATE TABLE "PollChoice" (
    "pollId" INTEGER NOT NULL,
    "memberId" TEXT NOT NULL,
    "option" INTEGER NOT NULL,

    CONSTRAINT "PollChoice_pkey" PRIMARY KEY ("pollId","memberId","option")
);

-- CreateTable
CREATE TABLE "PollTally" (
    "pollId" INTEGER NOT NULL,
    "option" INTEGER NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "PollTally_pkey" PRIMARY KEY ("pollId","option")
);

-- CreateTable
CREATE TABLE "PollAnonComment" (
    "id" TEXT NOT NULL,
    "pollId" INTEGER NOT NULL,
    "score" INTEGER,
    "text" TEXT NOT NULL,

    CONSTRAINT "PollAnonComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PostedMessage" (
    "key" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PostedMessage_pkey" PRIMARY KEY ("key","platform","channelId")
);

-- CreateTable
CREATE TABLE "Thanks" (
    "id" SERIAL NOT NULL,
    "communityId" TEXT NOT NULL,
    "giverId" TEXT NOT NULL,
    "receiverId" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Thanks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ThanksAllowance" (
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "spent" INTEGER NOT NULL,

    CONSTRAINT "ThanksAllowance_pkey" PRIMARY KEY ("communityId","memberId","day")
);

-- CreateTable
CREATE TABLE "ThanksPair" (
    "communityId" TEXT NOT NULL,
    "giverId" TEXT NOT NULL,
    "receiverId" TEXT NOT NULL,
    "week" TEXT NOT NULL,
    "points" INTEGER NOT NULL,

    CONSTRAINT "ThanksPair_pkey" PRIMARY KEY ("communityId","giverId","receiverId","week")
);

-- CreateTable
CREATE TABLE "SlackInstallation" (
    "id" TEXT NOT NULL,
    "teamId" TEXT,
    "enterpriseId" TEXT,
    "data" TEXT NOT NULL,
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SlackInstallation_pkey" PRIMARY KEY ("id")
);

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
