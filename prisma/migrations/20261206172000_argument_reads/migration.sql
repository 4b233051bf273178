-- CreateEnum
CREATE TYPE "ReadKind" AS ENUM ('viewed', 'opened');

-- AlterTable
ALTER TABLE "Vote" ADD COLUMN     "firstValue" "VoteValue";

-- CreateTable
CREATE TABLE "ArgumentRead" (
    "id" UUID NOT NULL,
    "debateId" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "argumentId" UUID NOT NULL,
    "kind" "ReadKind" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ArgumentRead_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ArgumentRead_debateId_idx" ON "ArgumentRead"("debateId");

-- CreateIndex
CREATE UNIQUE INDEX "ArgumentRead_participantId_argumentId_kind_key" ON "ArgumentRead"("participantId", "argumentId", "kind");

-- AddForeignKey
ALTER TABLE "ArgumentRead" ADD CONSTRAINT "ArgumentRead_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ArgumentRead" ADD CONSTRAINT "ArgumentRead_argumentId_fkey" FOREIGN KEY ("argumentId") REFERENCES "Argument"("id") ON DELETE CASCADE ON UPDATE CASCADE;
