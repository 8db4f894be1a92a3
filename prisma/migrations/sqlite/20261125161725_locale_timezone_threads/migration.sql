-- AlterTable
ALTER TABLE "Member" ADD COLUMN "locale" TEXT;

-- AlterTable
ALTER TABLE "Challenge" ADD COLUMN "threadId" TEXT;

-- AlterTable
ALTER TABLE "Contest" ADD COLUMN "threadId" TEXT;

-- AlterTable
ALTER TABLE "Poll" ADD COLUMN "threadId" TEXT;

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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Community" ("createdAt", "id", "name", "refereeReward", "referrerReward", "tiers") SELECT "createdAt", "id", "name", "refereeReward", "referrerReward", "tiers" FROM "Community";
DROP TABLE "Community";
ALTER TABLE "new_Community" RENAME TO "Community";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
