-- The tally counter triggers fire once per statement instead of once per row (docs/decisions/0023-one-statement-votes.md):
-- an import writing 5,000 votes in one statement then updates each proposition once, not 5,000 times.
DROP TRIGGER "Vote_counters" ON "Vote";
DROP TRIGGER "Rating_counters" ON "Rating";
DROP FUNCTION steelman_vote_counters();
DROP FUNCTION steelman_rating_counters();

-- Every statement that changes Vote rows (any writer: castVote, imports writing thousands at once, a
-- participant's removal cascading) moves the counters of the propositions it touched, once per
-- proposition, and bumps their tallyVersion, under each proposition's row lock. Statement-level with
-- transition tables, so a bulk insert costs one UPDATE per proposition, not one per vote.
-- (UPDATE triggers with transition tables cannot name columns; updatedAt-only updates move nothing.)
CREATE FUNCTION steelman_vote_counters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE "Proposition" t SET "agreeCount" = t."agreeCount" + d.d0, "disagreeCount" = t."disagreeCount" + d.d1, "unsureCount" = t."unsureCount" + d.d2, "tallyVersion" = t."tallyVersion" + 1
    FROM (SELECT "propositionId" AS id, count(*) FILTER (WHERE value = 'agree')::int AS d0, count(*) FILTER (WHERE value = 'disagree')::int AS d1, count(*) FILTER (WHERE value = 'unsure')::int AS d2 FROM new_rows GROUP BY 1) d WHERE t.id = d.id;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE "Proposition" t SET "agreeCount" = t."agreeCount" + d.d0, "disagreeCount" = t."disagreeCount" + d.d1, "unsureCount" = t."unsureCount" + d.d2, "tallyVersion" = t."tallyVersion" + 1
    FROM (SELECT id, sum(d0)::int AS d0, sum(d1)::int AS d1, sum(d2)::int AS d2 FROM (SELECT "propositionId" AS id, -(value = 'agree')::int AS d0, -(value = 'disagree')::int AS d1, -(value = 'unsure')::int AS d2 FROM old_rows) x GROUP BY id) d WHERE t.id = d.id;
  ELSE
    UPDATE "Proposition" t SET "agreeCount" = t."agreeCount" + d.d0, "disagreeCount" = t."disagreeCount" + d.d1, "unsureCount" = t."unsureCount" + d.d2, "tallyVersion" = t."tallyVersion" + 1
    FROM (SELECT id, sum(d0)::int AS d0, sum(d1)::int AS d1, sum(d2)::int AS d2 FROM (SELECT "propositionId" AS id, (value = 'agree')::int AS d0, (value = 'disagree')::int AS d1, (value = 'unsure')::int AS d2 FROM new_rows UNION ALL SELECT "propositionId" AS id, -(value = 'agree')::int AS d0, -(value = 'disagree')::int AS d1, -(value = 'unsure')::int AS d2 FROM old_rows) x GROUP BY id) d WHERE t.id = d.id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Vote_counters_insert" AFTER INSERT ON "Vote" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION steelman_vote_counters();
CREATE TRIGGER "Vote_counters_update" AFTER UPDATE ON "Vote" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION steelman_vote_counters();
CREATE TRIGGER "Vote_counters_delete" AFTER DELETE ON "Vote" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION steelman_vote_counters();

CREATE FUNCTION steelman_rating_counters() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE "Argument" t SET "upCount" = t."upCount" + d.d0, "downCount" = t."downCount" + d.d1, "tallyVersion" = t."tallyVersion" + 1
    FROM (SELECT "argumentId" AS id, count(*) FILTER (WHERE value = 'up')::int AS d0, count(*) FILTER (WHERE value = 'down')::int AS d1 FROM new_rows GROUP BY 1) d WHERE t.id = d.id;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE "Argument" t SET "upCount" = t."upCount" + d.d0, "downCount" = t."downCount" + d.d1, "tallyVersion" = t."tallyVersion" + 1
    FROM (SELECT id, sum(d0)::int AS d0, sum(d1)::int AS d1 FROM (SELECT "argumentId" AS id, -(value = 'up')::int AS d0, -(value = 'down')::int AS d1 FROM old_rows) x GROUP BY id) d WHERE t.id = d.id;
  ELSE
    UPDATE "Argument" t SET "upCount" = t."upCount" + d.d0, "downCount" = t."downCount" + d.d1, "tallyVersion" = t."tallyVersion" + 1
    FROM (SELECT id, sum(d0)::int AS d0, sum(d1)::int AS d1 FROM (SELECT "argumentId" AS id, (value = 'up')::int AS d0, (value = 'down')::int AS d1 FROM new_rows UNION ALL SELECT "argumentId" AS id, -(value = 'up')::int AS d0, -(value = 'down')::int AS d1 FROM old_rows) x GROUP BY id) d WHERE t.id = d.id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Rating_counters_insert" AFTER INSERT ON "Rating" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION steelman_rating_counters();
CREATE TRIGGER "Rating_counters_update" AFTER UPDATE ON "Rating" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION steelman_rating_counters();
CREATE TRIGGER "Rating_counters_delete" AFTER DELETE ON "Rating" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION steelman_rating_counters();

