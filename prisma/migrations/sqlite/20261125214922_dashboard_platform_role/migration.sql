-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_DashboardLink" (
    "tokenHash" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "platformRole" BOOLEAN NOT NULL DEFAULT false,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_DashboardLink" ("communityId", "createdAt", "expiresAt", "memberId", "role", "tokenHash", "usedAt") SELECT "communityId", "createdAt", "expiresAt", "memberId", "role", "tokenHash", "usedAt" FROM "DashboardLink";
DROP TABLE "DashboardLink";
ALTER TABLE "new_DashboardLink" RENAME TO "DashboardLink";
CREATE INDEX "DashboardLink_expiresAt_idx" ON "DashboardLink"("expiresAt");
CREATE TABLE "new_DashboardSession" (
    "idHash" TEXT NOT NULL PRIMARY KEY,
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "platformRole" BOOLEAN NOT NULL DEFAULT false,
    "csrfToken" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_DashboardSession" ("communityId", "createdAt", "csrfToken", "expiresAt", "idHash", "memberId", "role") SELECT "communityId", "createdAt", "csrfToken", "expiresAt", "idHash", "memberId", "role" FROM "DashboardSession";
DROP TABLE "DashboardSession";
ALTER TABLE "new_DashboardSession" RENAME TO "DashboardSession";
CREATE INDEX "DashboardSession_expiresAt_idx" ON "DashboardSession"("expiresAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
