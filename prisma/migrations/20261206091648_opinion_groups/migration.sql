-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "externalId" TEXT;

-- AlterTable
ALTER TABLE "Proposition" ADD COLUMN     "hiddenAt" TIMESTAMP(3),
ADD COLUMN     "meta" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "OpinionGroupsSnapshot" (
    "debateId" UUID NOT NULL,
    "inputKey" TEXT,
    "result" JSONB,
    "computedAt" TIMESTAMP(3),
    "leaseUntil" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OpinionGroupsSnapshot_pkey" PRIMARY KEY ("debateId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Participant_debateId_externalId_key" ON "Participant"("debateId", "externalId");

-- AddForeignKey
ALTER TABLE "OpinionGroupsSnapshot" ADD CONSTRAINT "OpinionGroupsSnapshot_debateId_fkey" FOREIGN KEY ("debateId") REFERENCES "Debate"("id") ON DELETE CASCADE ON UPDATE CASCADE;
