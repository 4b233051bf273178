-- Teams and small groups (docs/decisions/0073-teams.md).

-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "teamId" UUID;

-- CreateTable
CREATE TABLE "Team" (
    "id" UUID NOT NULL,
    "debateId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "side" "Stance",
    "propositionIds" UUID[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeamDraft" (
    "id" UUID NOT NULL,
    "debateId" UUID NOT NULL,
    "teamId" UUID NOT NULL,
    "propositionId" UUID NOT NULL,
    "stance" "Stance" NOT NULL,
    "text" TEXT NOT NULL,
    "authorId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMP(3),
    "publishedById" UUID,
    "argumentId" UUID,

    CONSTRAINT "TeamDraft_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Team_debateId_createdAt_idx" ON "Team"("debateId", "createdAt");

-- CreateIndex
CREATE INDEX "TeamDraft_teamId_createdAt_idx" ON "TeamDraft"("teamId", "createdAt");

-- AddForeignKey
ALTER TABLE "Participant" ADD CONSTRAINT "Participant_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Team" ADD CONSTRAINT "Team_debateId_fkey" FOREIGN KEY ("debateId") REFERENCES "Debate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamDraft" ADD CONSTRAINT "TeamDraft_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamDraft" ADD CONSTRAINT "TeamDraft_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
