-- CreateTable
CREATE TABLE "ActivityState" (
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "lastEarnAt" DATETIME,
    "day" TEXT NOT NULL DEFAULT '',
    "dayPoints" INTEGER NOT NULL DEFAULT 0,
    "streak" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("communityId", "memberId")
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Community" ("createdAt", "id", "locale", "name", "refereeReward", "referrerReward", "tiers", "timezone") SELECT "createdAt", "id", "locale", "name", "refereeReward", "referrerReward", "tiers", "timezone" FROM "Community";
DROP TABLE "Community";
ALTER TABLE "new_Community" RENAME TO "Community";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ActivityState_memberId_idx" ON "ActivityState"("memberId");
