-- CreateTable
CREATE TABLE "PointsTotal" (
    "communityId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "points" INTEGER NOT NULL,

    PRIMARY KEY ("communityId", "period", "memberId")
);

-- CreateIndex
CREATE INDEX "PointsTotal_communityId_period_points_idx" ON "PointsTotal"("communityId", "period", "points");

-- CreateIndex
CREATE INDEX "PointsTotal_memberId_idx" ON "PointsTotal"("memberId");

-- Backfill: the week ("w:" + Monday) and month ("m:" + YYYY-MM) totals of every earning ledger row so
-- far (every kind but redeem and link), as applyPoints keeps them from now on, for communities in UTC
-- (the default). SQLite has no time zone data, so the week/month boards of a community in another zone
-- start at this upgrade (all time is kept). Rows of an account merged by /link count for the member it
-- joined (the row keyed "link:<from>:<to>:out" names both), and an account merged without such a row
-- (nothing left to move) has no identity any more and is left off.
WITH "merged" AS (
  SELECT DISTINCT substr("r", 1, instr("r", ':') - 1) AS "fromId", substr("r", instr("r", ':') + 1, length("r") - instr("r", ':') - 4) AS "toId"
  FROM (SELECT substr("idempotencyKey", 6) AS "r" FROM "LedgerEntry" WHERE "kind" = 'link' AND "idempotencyKey" LIKE 'link:%:%:out')
), "earned" AS (
  SELECT e."communityId", COALESCE(m."toId", e."memberId") AS "memberId", e."delta",
         'w:' || date(e."createdAt", '-6 days', 'weekday 1') AS "week", 'm:' || strftime('%Y-%m', e."createdAt") AS "month"
  FROM "LedgerEntry" e
  JOIN "Community" c ON c."id" = e."communityId" AND c."timezone" = 'UTC'
  LEFT JOIN "merged" m ON m."fromId" = e."memberId"
  WHERE e."kind" NOT IN ('redeem', 'link')
    AND (m."toId" IS NOT NULL OR EXISTS (SELECT 1 FROM "Identity" i WHERE i."memberId" = e."memberId"))
)
INSERT INTO "PointsTotal" ("communityId", "period", "memberId", "points")
SELECT "communityId", "week", "memberId", SUM("delta") FROM "earned" GROUP BY "communityId", "week", "memberId"
UNION ALL
SELECT "communityId", "month", "memberId", SUM("delta") FROM "earned" GROUP BY "communityId", "month", "memberId";
