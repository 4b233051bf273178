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

-- A vote's first value (what changed minds, docs/decisions/0072-what-changed-minds.md): set when the
-- row is inserted, whoever inserts it (the vote function steelman_cast_vote, imports); an update keeps it.
CREATE FUNCTION steelman_vote_first_value() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."firstValue" := COALESCE(NEW."firstValue", NEW.value);
  RETURN NEW;
END $$;
CREATE TRIGGER "Vote_first_value" BEFORE INSERT ON "Vote" FOR EACH ROW EXECUTE FUNCTION steelman_vote_first_value();
