-- CreateIndex
CREATE INDEX "Referral_communityId_id_idx" ON "Referral"("communityId", "id");

-- CreateIndex
CREATE INDEX "Redemption_communityId_id_idx" ON "Redemption"("communityId", "id");
