-- Tally counters kept by triggers, and one-statement votes and ratings (docs/decisions/0023-one-statement-votes.md).

ALTER TABLE "Proposition" ADD COLUMN "agreeCount" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "disagreeCount" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "unsureCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Argument" ADD COLUMN "upCount" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "downCount" INTEGER NOT NULL DEFAULT 0;

-- Sets every counter from a recount of the rows (the backfill below; after a restore, whose COPY of
-- the Vote and Rating rows fires the triggers on top of the counters it copied: server/backup.ts).
CREATE FUNCTION steelman_recount_tallies() RETURNS void LANGUAGE sql AS $$
  UPDATE "Proposition" p SET
    "agreeCount" = COALESCE(c.agree, 0), "disagreeCount" = COALESCE(c.disagree, 0), "unsureCount" = COALESCE(c.unsure, 0)
  FROM "Proposition" p2 LEFT JOIN (
    SELECT "propositionId",
      count(*) FILTER (WHERE value = 'agree') AS agree,
      count(*) FILTER (WHERE value = 'disagree') AS disagree,
      count(*) FILTER (WHERE value = 'unsure') AS unsure
    FROM "Vote" GROUP BY "propositionId"
  ) c ON c."propositionId" = p2.id
  WHERE p.id = p2.id;
  UPDATE "Argument" a SET "upCount" = COALESCE(c.up, 0), "downCount" = COALESCE(c.down, 0)
  FROM "Argument" a2 LEFT JOIN (
    SELECT "argumentId", count(*) FILTER (WHERE value = 'up') AS up, count(*) FILTER (WHERE value = 'down') AS down
    FROM "Rating" GROUP BY "argumentId"
  ) c ON c."argumentId" = a2.id
  WHERE a.id = a2.id;
$$;

SELECT steelman_recount_tallies();

-- Every change of a Vote row (any writer: castVote, imports, a participant's removal cascading)
-- moves the proposition's counters and bumps its tallyVersion, under the proposition's row lock.
CREATE FUNCTION steelman_vote_counters() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d_agree INTEGER := 0; d_disagree INTEGER := 0; d_unsure INTEGER := 0;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    d_agree := d_agree - (OLD.value = 'agree')::int;
    d_disagree := d_disagree - (OLD.value = 'disagree')::int;
    d_unsure := d_unsure - (OLD.value = 'unsure')::int;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    d_agree := d_agree + (NEW.value = 'agree')::int;
    d_disagree := d_disagree + (NEW.value = 'disagree')::int;
    d_unsure := d_unsure + (NEW.value = 'unsure')::int;
  END IF;
  UPDATE "Proposition" SET "agreeCount" = "agreeCount" + d_agree, "disagreeCount" = "disagreeCount" + d_disagree,
    "unsureCount" = "unsureCount" + d_unsure, "tallyVersion" = "tallyVersion" + 1
  WHERE id = COALESCE(NEW."propositionId", OLD."propositionId");
  RETURN NULL;
END $$;

CREATE TRIGGER "Vote_counters" AFTER INSERT OR DELETE OR UPDATE OF value, "propositionId" ON "Vote"
  FOR EACH ROW EXECUTE FUNCTION steelman_vote_counters();

CREATE FUNCTION steelman_rating_counters() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d_up INTEGER := 0; d_down INTEGER := 0;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    d_up := d_up - (OLD.value = 'up')::int;
    d_down := d_down - (OLD.value = 'down')::int;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    d_up := d_up + (NEW.value = 'up')::int;
    d_down := d_down + (NEW.value = 'down')::int;
  END IF;
  UPDATE "Argument" SET "upCount" = "upCount" + d_up, "downCount" = "downCount" + d_down, "tallyVersion" = "tallyVersion" + 1
  WHERE id = COALESCE(NEW."argumentId", OLD."argumentId");
  RETURN NULL;
END $$;

CREATE TRIGGER "Rating_counters" AFTER INSERT OR DELETE OR UPDATE OF value, "argumentId" ON "Rating"
  FOR EACH ROW EXECUTE FUNCTION steelman_rating_counters();

-- castVote in one statement. Returns {"stale": true} and writes nothing when the facts the caller
-- checked its permission against (proposition in the debate, its lock, the debate's status, format,
-- phase and whether results are shown) are no longer current. Otherwise writes the vote (or clears
-- it), stores the operation id with its result and returns the result. A repeated operation id
-- raises unique_violation on "Operation_pkey" and rolls the whole statement back.
CREATE FUNCTION steelman_cast_vote(
  p_op UUID, p_kind TEXT, p_participant UUID, p_debate UUID, p_proposition UUID, p_value "VoteValue",
  p_status TEXT, p_format TEXT, p_phase INTEGER, p_results_shown BOOLEAN, p_locked BOOLEAN, p_hidden BOOLEAN
) RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  c RECORD;
  result JSONB;
BEGIN
  PERFORM 1 FROM "Proposition" p JOIN "Debate" d ON d.id = p."debateId"
  WHERE p.id = p_proposition AND p."debateId" = p_debate AND (p."lockedAt" IS NOT NULL) = p_locked
    AND d.status::text = p_status AND d.format::text = p_format AND d."phaseIndex" IS NOT DISTINCT FROM p_phase
    AND (d."resultsShownAt" IS NOT NULL) = p_results_shown;
  IF NOT FOUND THEN RETURN '{"stale": true}'::jsonb; END IF;
  IF p_value IS NULL THEN
    DELETE FROM "Vote" WHERE "participantId" = p_participant AND "propositionId" = p_proposition;
    IF NOT FOUND THEN
      -- Nothing to clear: still a new version, as a vote that changes nothing.
      UPDATE "Proposition" SET "tallyVersion" = "tallyVersion" + 1 WHERE id = p_proposition;
    END IF;
  ELSE
    INSERT INTO "Vote" (id, "participantId", "propositionId", value, "updatedAt")
    VALUES (gen_random_uuid(), p_participant, p_proposition, p_value, now())
    ON CONFLICT ("participantId", "propositionId") DO UPDATE SET value = EXCLUDED.value, "updatedAt" = now();
  END IF;
  SELECT "agreeCount" AS agree, "disagreeCount" AS disagree, "unsureCount" AS unsure, "tallyVersion" AS version
    INTO c FROM "Proposition" WHERE id = p_proposition;
  result := jsonb_build_object(
    'propositionId', p_proposition, 'participantId', p_participant, 'value', p_value,
    'version', CASE WHEN p_hidden THEN 0 ELSE c.version END,
    'tally', CASE WHEN p_hidden THEN jsonb_build_object('agree', 0, 'disagree', 0, 'unsure', 0, 'total', 0)
      ELSE jsonb_build_object('agree', c.agree, 'disagree', c.disagree, 'unsure', c.unsure, 'total', c.agree + c.disagree + c.unsure) END);
  IF p_op IS NOT NULL THEN
    INSERT INTO "Operation" ("opId", "participantId", kind, result) VALUES (p_op, p_participant, p_kind, result);
  END IF;
  RETURN result || jsonb_build_object('fullTally', jsonb_build_object('agree', c.agree, 'disagree', c.disagree, 'unsure', c.unsure, 'total', c.agree + c.disagree + c.unsure), 'fullVersion', c.version);
END $$;

-- rateArgument in one statement, as steelman_cast_vote (the caller checks the argument's facts).
CREATE FUNCTION steelman_rate_argument(p_op UUID, p_kind TEXT, p_participant UUID, p_argument UUID, p_value "RatingValue")
RETURNS JSONB LANGUAGE plpgsql AS $$
DECLARE
  c RECORD;
  result JSONB;
BEGIN
  IF p_value IS NULL THEN
    DELETE FROM "Rating" WHERE "participantId" = p_participant AND "argumentId" = p_argument;
    IF NOT FOUND THEN
      UPDATE "Argument" SET "tallyVersion" = "tallyVersion" + 1 WHERE id = p_argument;
    END IF;
  ELSE
    INSERT INTO "Rating" (id, "participantId", "argumentId", value, "updatedAt")
    VALUES (gen_random_uuid(), p_participant, p_argument, p_value, now())
    ON CONFLICT ("participantId", "argumentId") DO UPDATE SET value = EXCLUDED.value, "updatedAt" = now();
  END IF;
  SELECT "upCount" AS up, "downCount" AS down, "tallyVersion" AS version INTO c FROM "Argument" WHERE id = p_argument;
  result := jsonb_build_object('argumentId', p_argument, 'participantId', p_participant, 'value', p_value, 'version', c.version,
    'tally', jsonb_build_object('up', c.up, 'down', c.down, 'score', c.up - c.down));
  IF p_op IS NOT NULL THEN
    INSERT INTO "Operation" ("opId", "participantId", kind, result) VALUES (p_op, p_participant, p_kind, result);
  END IF;
  RETURN result;
END $$;
