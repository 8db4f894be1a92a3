-- CreateTable
CREATE TABLE "PendingForm" (
    "key" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PendingForm_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "PendingForm_expiresAt_idx" ON "PendingForm"("expiresAt");
