-- DropIndex
DROP INDEX "PostedMessage_platform_channelId_messageId_idx";

-- CreateIndex
CREATE INDEX "PostedMessage_platform_messageId_idx" ON "PostedMessage"("platform", "messageId");
