-- CreateTable
CREATE TABLE "PointsTotal" (
    "communityId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "points" INTEGER NOT NULL,

    CONSTRAINT "PointsTotal_pkey" PRIMARY KEY ("communityId","period","memberId")
);

-- CreateIndex
CREATE INDEX "PointsTotal_communityId_period_points_idx" ON "PointsTotal"("communityId", "period", "points");

-- CreateIndex
CREATE INDEX "PointsTotal_memberId_idx" ON "PointsTotal"("memberId");

-- Backfill: the week ("w:" + local Monday) and month ("m:" + YYYY-MM) totals of every earning ledger
-- row so far (every kind but redeem and link), in the zone of each community, as applyPoints keeps them
-- from now on. Rows of an account merged by /link count for the member it joined (the row keyed
-- "link:<from>:<to>:out" names both), and an account merged without such a row (nothing left to move)
-- has no identity any more and is left off.
INSERT INTO "PointsTotal" ("communityId", "period", "memberId", "points")
SELECT e."communityId", p."period", COALESCE(m."toId", e."memberId"), SUM(e."delta")::integer
FROM "LedgerEntry" e
JOIN "Community" c ON c."id" = e."communityId"
LEFT JOIN (
  SELECT DISTINCT split_part("idempotencyKey", ':', 2) AS "fromId", split_part("idempotencyKey", ':', 3) AS "toId"
  FROM "LedgerEntry" WHERE "kind" = 'link' AND "idempotencyKey" LIKE 'link:%:%:out'
) m ON m."fromId" = e."memberId"
CROSS JOIN LATERAL (VALUES
  ('w:' || to_char(date_trunc('week', (e."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE c."timezone"), 'YYYY-MM-DD')),
  ('m:' || to_char((e."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE c."timezone", 'YYYY-MM'))
) AS p("period")
WHERE e."kind" NOT IN ('redeem', 'link')
  AND (m."toId" IS NOT NULL OR EXISTS (SELECT 1 FROM "Identity" i WHERE i."memberId" = e."memberId"))
GROUP BY e."communityId", p."period", COALESCE(m."toId", e."memberId");
