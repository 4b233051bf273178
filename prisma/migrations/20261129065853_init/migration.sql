-- CreateEnum
CREATE TYPE "DebateStatus" AS ENUM ('draft', 'published');

-- CreateEnum
CREATE TYPE "ParticipantRole" AS ENUM ('host', 'facilitator', 'debater', 'observer');

-- CreateEnum
CREATE TYPE "Stance" AS ENUM ('pro', 'con');

-- CreateEnum
CREATE TYPE "VoteValue" AS ENUM ('agree', 'disagree', 'unsure');

-- CreateEnum
CREATE TYPE "RatingValue" AS ENUM ('up', 'down');

-- CreateTable
CREATE TABLE "Debate" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "status" "DebateStatus" NOT NULL DEFAULT 'draft',
    "sourceText" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "thesisStart" INTEGER NOT NULL,
    "thesisEnd" INTEGER NOT NULL,
    "thesisHeading" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "publishedAt" TIMESTAMP(3),

    CONSTRAINT "Debate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Proposition" (
    "id" UUID NOT NULL,
    "debateId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "spanStart" INTEGER,
    "spanEnd" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Proposition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Participant" (
    "id" UUID NOT NULL,
    "debateId" UUID NOT NULL,
    "displayName" TEXT NOT NULL,
    "role" "ParticipantRole" NOT NULL DEFAULT 'debater',
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Participant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Argument" (
    "id" UUID NOT NULL,
    "debateId" UUID NOT NULL,
    "propositionId" UUID NOT NULL,
    "parentId" UUID,
    "authorId" UUID NOT NULL,
    "stance" "Stance" NOT NULL,
    "body" JSONB NOT NULL,
    "bodyText" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Argument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Source" (
    "id" UUID NOT NULL,
    "argumentId" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "quote" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Vote" (
    "id" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "propositionId" UUID NOT NULL,
    "value" "VoteValue" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Vote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Rating" (
    "id" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "argumentId" UUID NOT NULL,
    "value" "RatingValue" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Rating_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Proposition_debateId_position_idx" ON "Proposition"("debateId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Participant_tokenHash_key" ON "Participant"("tokenHash");

-- CreateIndex
CREATE INDEX "Participant_debateId_idx" ON "Participant"("debateId");

-- CreateIndex
CREATE INDEX "Argument_debateId_idx" ON "Argument"("debateId");

-- CreateIndex
CREATE INDEX "Argument_propositionId_idx" ON "Argument"("propositionId");

-- CreateIndex
CREATE INDEX "Argument_parentId_idx" ON "Argument"("parentId");

-- CreateIndex
CREATE INDEX "Source_argumentId_idx" ON "Source"("argumentId");

-- CreateIndex
CREATE INDEX "Vote_propositionId_idx" ON "Vote"("propositionId");

-- CreateIndex
CREATE UNIQUE INDEX "Vote_participantId_propositionId_key" ON "Vote"("participantId", "propositionId");

-- CreateIndex
CREATE INDEX "Rating_argumentId_idx" ON "Rating"("argumentId");

-- CreateIndex
CREATE UNIQUE INDEX "Rating_participantId_argumentId_key" ON "Rating"("participantId", "argumentId");

-- AddForeignKey
ALTER TABLE "Proposition" ADD CONSTRAINT "Proposition_debateId_fkey" FOREIGN KEY ("debateId") REFERENCES "Debate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Participant" ADD CONSTRAINT "Participant_debateId_fkey" FOREIGN KEY ("debateId") REFERENCES "Debate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Argument" ADD CONSTRAINT "Argument_debateId_fkey" FOREIGN KEY ("debateId") REFERENCES "Debate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Argument" ADD CONSTRAINT "Argument_propositionId_fkey" FOREIGN KEY ("propositionId") REFERENCES "Proposition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Argument" ADD CONSTRAINT "Argument_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Argument"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Argument" ADD CONSTRAINT "Argument_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Source" ADD CONSTRAINT "Source_argumentId_fkey" FOREIGN KEY ("argumentId") REFERENCES "Argument"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Vote" ADD CONSTRAINT "Vote_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Vote" ADD CONSTRAINT "Vote_propositionId_fkey" FOREIGN KEY ("propositionId") REFERENCES "Proposition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rating" ADD CONSTRAINT "Rating_argumentId_fkey" FOREIGN KEY ("argumentId") REFERENCES "Argument"("id") ON DELETE CASCADE ON UPDATE CASCADE;
