-- CreateEnum
CREATE TYPE "DecisionResponseValue" AS ENUM ('agree', 'abstain', 'disagree', 'block');

-- CreateEnum
CREATE TYPE "DecisionOutcome" AS ENUM ('adopted', 'rejected', 'withdrawn');

-- CreateTable
CREATE TABLE "Decision" (
    "id" UUID NOT NULL,
    "debateId" UUID NOT NULL,
    "propositionIds" UUID[],
    "text" TEXT NOT NULL,
    "proposedById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),
    "outcome" "DecisionOutcome",
    "outcomeNote" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DecisionResponse" (
    "id" UUID NOT NULL,
    "decisionId" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "value" "DecisionResponseValue" NOT NULL,
    "reason" TEXT,
    "citedArgumentIds" UUID[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DecisionResponse_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Decision_debateId_createdAt_idx" ON "Decision"("debateId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DecisionResponse_decisionId_participantId_key" ON "DecisionResponse"("decisionId", "participantId");

-- AddForeignKey
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_debateId_fkey" FOREIGN KEY ("debateId") REFERENCES "Debate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_proposedById_fkey" FOREIGN KEY ("proposedById") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DecisionResponse" ADD CONSTRAINT "DecisionResponse_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "Decision"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DecisionResponse" ADD CONSTRAINT "DecisionResponse_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
