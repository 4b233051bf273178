-- CreateEnum
CREATE TYPE "DebateFormat" AS ENUM ('open', 'classroom', 'oxford', 'workshop');

-- CreateEnum
CREATE TYPE "MotionStage" AS ENUM ('before', 'after');

-- CreateEnum
CREATE TYPE "MotionVoteValue" AS ENUM ('for', 'against', 'undecided');

-- AlterTable
ALTER TABLE "Debate" ADD COLUMN     "format" "DebateFormat" NOT NULL DEFAULT 'open',
ADD COLUMN     "motionText" TEXT,
ADD COLUMN     "phaseDurations" JSONB,
ADD COLUMN     "phaseEndsAt" TIMESTAMP(3),
ADD COLUMN     "phaseIndex" INTEGER,
ADD COLUMN     "phasePausedAt" TIMESTAMP(3),
ADD COLUMN     "phaseStartedAt" TIMESTAMP(3),
ADD COLUMN     "phaseVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "resultsShownAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "MotionVote" (
    "id" UUID NOT NULL,
    "debateId" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "stage" "MotionStage" NOT NULL,
    "value" "MotionVoteValue" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MotionVote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MotionVote_debateId_stage_idx" ON "MotionVote"("debateId", "stage");

-- CreateIndex
CREATE UNIQUE INDEX "MotionVote_participantId_stage_key" ON "MotionVote"("participantId", "stage");

-- AddForeignKey
ALTER TABLE "MotionVote" ADD CONSTRAINT "MotionVote_debateId_fkey" FOREIGN KEY ("debateId") REFERENCES "Debate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MotionVote" ADD CONSTRAINT "MotionVote_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
