/**
 * Writes a large debate straight into PostgreSQL with pg, in bulk (INSERT …
 * SELECT FROM unnest(arrays), 2,000 rows per statement), for bench:large:
 * an article of `propositions` sentences, one proposition per sentence
 * (anchored to it), `args` arguments in threads up to depth 8, sources on
 * every 4th argument, votes and ratings from 100 authors, and the change log
 * (DebateChange, one per argument, seq 1…n) a debate that grew live would have.
 * Deterministic (seeded PRNG), so every run serves the same debate.
 */
import { createHash, randomUUID } from "node:crypto";
import pg from "pg";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { newJoinCode } from "../../server/services/join-codes";
import { seededRandom } from "../../server/domain/seeded-random";

export interface LargeDebateShape {
  propositions: number;
  args: number;
  maxDepth: number;
  authors: number;
  votesPerAuthor: number;
  ratingsPerAuthor: number;
}
export interface SeededDebate {
  debateId: string;
  counts: Record<string, number>;
  depthReached: number;
  seconds: number;
}

type Column = [name: string, pgType: string];

/** INSERT … SELECT * FROM unnest(...) in chunks of 2,000 rows. */
async function bulkInsert(db: pg.ClientBase, table: string, columns: Column[], rows: unknown[][]): Promise<void> {
  for (let start = 0; start < rows.length; start += 2000) {
    const chunk = rows.slice(start, start + 2000);
    const arrays = columns.map((_, i) => chunk.map((r) => r[i]));
    const list = columns.map(([c]) => `"${c}"`).join(", ");
    const unnest = columns.map(([, t], i) => `$${i + 1}::${t}[]`).join(", ");
    await db.query(`INSERT INTO "${table}" (${list}) SELECT * FROM unnest(${unnest})`, arrays);
  }
}

/** Fails early, naming them, if the schema gained NOT NULL columns without defaults that this seed does not fill. */
async function checkColumns(db: pg.ClientBase, table: string, provided: Column[]): Promise<void> {
  const { rows } = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND is_nullable = 'NO' AND column_default IS NULL`,
    [table],
  );
  const missing = rows.map((r) => r.column_name).filter((c) => !provided.some(([p]) => p === c));
  if (missing.length) throw new Error(`bench/lib/seed-large.ts: "${table}" has required columns this seed does not fill: ${missing.join(", ")}. Update the seed.`);
}

export async function seedLargeDebate(databaseUrl: string, shape: LargeDebateShape): Promise<SeededDebate> {
  const started = performance.now();
  const random = seededRandom(42);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const debateId = randomUUID();
    const base = Date.UTC(2026, 0, 1);
    const at = (ms: number) => new Date(base + ms).toISOString();

    // The article: a heading, then one sentence per proposition.
    const heading = "Hot take";
    const sentences = Array.from({ length: shape.propositions }, (_, i) => `Proposition ${i + 1} holds that policy ${i % 7} should favour option ${String.fromCharCode(65 + (i % 26))} because of reason ${i + 1}, which the debate tests.`);
    let sourceText = `A very large benchmark debate\n\n${heading}\n\n`;
    const spans: [number, number][] = [];
    for (const s of sentences) {
      spans.push([sourceText.length, sourceText.length + s.length]);
      sourceText += s + " ";
    }
    const thesisStart = sourceText.indexOf(heading) + heading.length + 2;

    const debateCols: Column[] = [["id", "uuid"], ["title", "text"], ["status", '"DebateStatus"'], ["sourceText", "text"], ["thesisStart", "int"], ["thesisEnd", "int"], ["thesisHeading", "text"], ["createdAt", "timestamp(3)"], ["updatedAt", "timestamp(3)"], ["publishedAt", "timestamp(3)"], ["joinCode", "text"]];
    await checkColumns(db, "Debate", debateCols);
    await bulkInsert(db, "Debate", debateCols, [[debateId, "A very large benchmark debate", "published", sourceText, thesisStart, sourceText.length, heading, at(0), at(0), at(0), newJoinCode()]]);

    const propositionIds = sentences.map(() => randomUUID());
    const propCols: Column[] = [["id", "uuid"], ["debateId", "uuid"], ["position", "int"], ["text", "text"], ["spanStart", "int"], ["spanEnd", "int"], ["createdAt", "timestamp(3)"], ["updatedAt", "timestamp(3)"]];
    await checkColumns(db, "Proposition", propCols);
    await bulkInsert(db, "Proposition", propCols, sentences.map((s, i) => [propositionIds[i], debateId, i, s, spans[i][0], spans[i][1], at(1), at(1)]));

    const authorIds = Array.from({ length: shape.authors }, () => randomUUID());
    const partCols: Column[] = [["id", "uuid"], ["debateId", "uuid"], ["displayName", "text"], ["role", '"ParticipantRole"'], ["tokenHash", "text"], ["createdAt", "timestamp(3)"], ["lastSeenAt", "timestamp(3)"]];
    await checkColumns(db, "Participant", partCols);
    await bulkInsert(db, "Participant", partCols, authorIds.map((id, i) => [id, debateId, `Author ${i + 1}`, "debater", createHash("sha256").update(randomUUID()).digest("hex"), at(2), at(2)]));

    // Arguments: every 25th proposition gets one chain of maxDepth; the rest are spread evenly,
    // each a reply (60 %) to a random earlier argument of its proposition with depth < maxDepth.
    interface Arg { id: string; propositionId: string; parentId: string | null; depth: number }
    const args: Arg[] = [];
    const chained = propositionIds.filter((_, i) => i % 25 === 0);
    for (const propositionId of chained) {
      let parent: Arg | null = null;
      for (let d = 1; d <= shape.maxDepth && args.length < shape.args; d++) {
        const a: Arg = { id: randomUUID(), propositionId, parentId: parent?.id ?? null, depth: d };
        args.push(a);
        parent = a;
      }
    }
    const remaining = shape.args - args.length;
    for (let i = 0; i < propositionIds.length; i++) {
      const n = Math.floor((remaining * (i + 1)) / propositionIds.length) - Math.floor((remaining * i) / propositionIds.length);
      const mine: Arg[] = [];
      for (let k = 0; k < n; k++) {
        const candidates = mine.filter((a) => a.depth < shape.maxDepth);
        const parent = k > 0 && random() < 0.6 && candidates.length ? candidates[Math.floor(random() * candidates.length)] : null;
        const a: Arg = { id: randomUUID(), propositionId: propositionIds[i], parentId: parent?.id ?? null, depth: (parent?.depth ?? 0) + 1 };
        mine.push(a);
      }
      args.push(...mine);
    }
    // Parents before children: created in this order, with increasing createdAt.
    const order = new Map(args.map((a, i) => [a.id, i]));
    if (args.some((a) => a.parentId && order.get(a.parentId)! > order.get(a.id)!)) throw new Error("seed: a reply precedes its parent");

    const argCols: Column[] = [["id", "uuid"], ["debateId", "uuid"], ["propositionId", "uuid"], ["parentId", "uuid"], ["authorId", "uuid"], ["stance", '"Stance"'], ["body", "jsonb"], ["bodyText", "text"], ["createdAt", "timestamp(3)"], ["updatedAt", "timestamp(3)"]];
    await checkColumns(db, "Argument", argCols);
    const argRows = args.map((a, i) => {
      const text = `Argument ${i + 1} (depth ${a.depth}): ${"a considered reason with some evidence and a caveat, ".repeat(4).trim()}`;
      return [a.id, debateId, a.propositionId, a.parentId, authorIds[Math.floor(random() * authorIds.length)], random() < 0.5 ? "pro" : "con", JSON.stringify(plainTextToArgumentBody(text)), text, at(10_000 + i * 1000), at(10_000 + i * 1000)];
    });
    await bulkInsert(db, "Argument", argCols, argRows);

    const srcCols: Column[] = [["id", "uuid"], ["argumentId", "uuid"], ["url", "text"], ["title", "text"], ["quote", "text"], ["createdAt", "timestamp(3)"]];
    await checkColumns(db, "Source", srcCols);
    await bulkInsert(db, "Source", srcCols, args.filter((_, i) => i % 4 === 0).map((a, i) => [randomUUID(), a.id, `https://example.org/evidence/${i}`, `Evidence ${i}`, i % 2 ? "A quoted passage from the source." : null, at(20_000_000 + i)]));

    const pickDistinct = (n: number, of: number) => {
      const set = new Set<number>();
      while (set.size < Math.min(n, of)) set.add(Math.floor(random() * of));
      return [...set];
    };
    const values = ["agree", "disagree", "unsure"];
    const voteRows = authorIds.flatMap((p) => pickDistinct(shape.votesPerAuthor, propositionIds.length).map((j) => [randomUUID(), p, propositionIds[j], values[Math.floor(random() * 3)], at(3), at(3)]));
    const voteCols: Column[] = [["id", "uuid"], ["participantId", "uuid"], ["propositionId", "uuid"], ["value", '"VoteValue"'], ["createdAt", "timestamp(3)"], ["updatedAt", "timestamp(3)"]];
    await checkColumns(db, "Vote", voteCols);
    await bulkInsert(db, "Vote", voteCols, voteRows);
    const ratingRows = authorIds.flatMap((p) => pickDistinct(shape.ratingsPerAuthor, args.length).map((j) => [randomUUID(), p, args[j].id, random() < 0.7 ? "up" : "down", at(4), at(4)]));
    const ratingCols: Column[] = [["id", "uuid"], ["participantId", "uuid"], ["argumentId", "uuid"], ["value", '"RatingValue"'], ["createdAt", "timestamp(3)"], ["updatedAt", "timestamp(3)"]];
    await checkColumns(db, "Rating", ratingCols);
    await bulkInsert(db, "Rating", ratingCols, ratingRows);

    // Tally versions and the change log, when the schema has them.
    const has = async (table: string, column?: string) =>
      (await db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = $1 ${column ? "AND column_name = $2" : ""}`, column ? [table, column] : [table])).rowCount! > 0;
    if (await has("Proposition", "tallyVersion")) await db.query(`UPDATE "Proposition" p SET "tallyVersion" = c.n FROM (SELECT "propositionId", count(*) AS n FROM "Vote" GROUP BY 1) c WHERE c."propositionId" = p.id`);
    if (await has("Argument", "tallyVersion")) await db.query(`UPDATE "Argument" a SET "tallyVersion" = c.n FROM (SELECT "argumentId", count(*) AS n FROM "Rating" GROUP BY 1) c WHERE c."argumentId" = a.id`);
    if (await has("DebateChange")) {
      await db.query(
        `INSERT INTO "DebateChange" (id, "debateId", seq, kind, payload, "createdAt")
         SELECT gen_random_uuid(), a."debateId", row_number() OVER (ORDER BY a."createdAt"), 'argument.created',
                jsonb_build_object('id', a.id, 'propositionId', a."propositionId", 'parentId', a."parentId", 'stance', a.stance, 'body', a.body, 'bodyText', a."bodyText",
                                   'author', jsonb_build_object('id', p.id, 'displayName', p."displayName"), 'sources', '[]'::jsonb,
                                   'tally', jsonb_build_object('up', 0, 'down', 0, 'score', 0), 'tallyVersion', 0, 'createdAt', a."createdAt", 'updatedAt', a."updatedAt"),
                a."createdAt"
         FROM "Argument" a JOIN "Participant" p ON p.id = a."authorId" WHERE a."debateId" = $1`,
        [debateId],
      );
      if (await has("Debate", "lastSeq")) await db.query(`UPDATE "Debate" SET "lastSeq" = (SELECT count(*) FROM "DebateChange" WHERE "debateId" = $1) WHERE id = $1`, [debateId]);
    }
    await db.query("ANALYZE");

    const counts: Record<string, number> = {};
    for (const t of ["Proposition", "Argument", "Source", "Vote", "Rating", "Participant", "DebateChange"]) {
      if (!(await has(t))) continue;
      counts[t] = Number((await db.query(`SELECT count(*) AS n FROM "${t}"`)).rows[0].n);
    }
    return { debateId, counts, depthReached: Math.max(...args.map((a) => a.depth)), seconds: (performance.now() - started) / 1000 };
  } finally {
    await db.end();
  }
}
