-- AlterTable
ALTER TABLE "Argument" ADD COLUMN     "tallyVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Debate" ADD COLUMN     "lastSeq" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Proposition" ADD COLUMN     "tallyVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "DebateChange" (
    "id" UUID NOT NULL,
    "debateId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DebateChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Operation" (
    "opId" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "result" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Operation_pkey" PRIMARY KEY ("opId")
);

-- CreateIndex
CREATE UNIQUE INDEX "DebateChange_debateId_seq_key" ON "DebateChange"("debateId", "seq");

-- AddForeignKey
ALTER TABLE "DebateChange" ADD CONSTRAINT "DebateChange_debateId_fkey" FOREIGN KEY ("debateId") REFERENCES "Debate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Operation" ADD CONSTRAINT "Operation_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
