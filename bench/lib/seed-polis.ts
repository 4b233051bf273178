/**
 * Polis-scale votes for bench:polis (issue 14): written into PostgreSQL by SQL alone
 * (INSERT … SELECT over generate_series), on a debate bench/lib/seed-large.ts has seeded
 * (its participants and propositions). The votes have a camp structure, as bench/groups.ts:
 * participants in join order fall into three camps of 50 / 30 / 20 %, and each proposition
 * has its own agree / disagree odds per camp (the rest unsure), so the opinion groups are
 * meaningful. Each participant casts 10–150 votes (scaled to the total wanted, exactly), on
 * distinct propositions: j ↦ (offset + j · step) mod P with step coprime to P.
 * The statement-level triggers (prisma/migrations/…_tally_counters_per_statement) keep the
 * propositions' counters and tally versions consistent with the Vote rows, as for any writer,
 * and the BEFORE INSERT trigger (…_argument_reads) sets each vote's firstValue to its value: no
 * seeded vote is a changed mind. Debate.lastSeq is untouched (votes write no DebateChange).
 */
import pg from "pg";
import { seededRandom } from "../../server/domain/seeded-random";

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Participants per INSERT statement (each statement fires the counter triggers once). */
const PARTICIPANTS_PER_STATEMENT = 1_000;

/**
 * Writes `votes` votes on debate `debateId` (its participants and propositions must exist).
 * @returns the votes written and the seconds it took.
 */
export async function seedPolisVotes(databaseUrl: string, debateId: string, votes: number): Promise<{ votes: number; seconds: number }> {
  const started = performance.now();
  const random = seededRandom(2026);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const participants = (await db.query<{ id: string }>(`SELECT id FROM "Participant" WHERE "debateId" = $1 ORDER BY "createdAt", id`, [debateId])).rows.map((r) => r.id);
    const propositions = (await db.query<{ id: string }>(`SELECT id FROM "Proposition" WHERE "debateId" = $1 ORDER BY position`, [debateId])).rows.map((r) => r.id);
    const n = participants.length;
    const p = propositions.length;
    if (votes > n * p) throw new Error(`seedPolisVotes: ${votes} votes do not fit ${n} participants × ${p} propositions`);
    const camps = [0.5, 0.3, 0.2];
    const campOf = (i: number) => (i < n * camps[0] ? 0 : i < n * (camps[0] + camps[1]) ? 1 : 2);
    // Votes per participant: 10–150, scaled to hit `votes` exactly.
    const wanted = Array.from({ length: n }, () => 10 + random() * 140);
    const scale = votes / wanted.reduce((a, b) => a + b, 0);
    const counts = wanted.map((w) => Math.min(p, Math.max(1, Math.round(w * scale))));
    let excess = counts.reduce((a, b) => a + b, 0) - votes;
    for (let i = 0; excess !== 0; i = (i + 1) % n) {
      if (excess > 0 && counts[i] > 1) {
        counts[i]--;
        excess--;
      } else if (excess < 0 && counts[i] < p) {
        counts[i]++;
        excess++;
      }
    }
    const steps = Array.from({ length: Math.min(p, 64) }, (_, k) => k + 1).filter((s) => gcd(s, p) === 1);
    await db.query(`CREATE TEMP TABLE polis_part (idx int PRIMARY KEY, id uuid, camp int, k int, "off" int, step int)`);
    await db.query(`INSERT INTO polis_part SELECT * FROM unnest($1::int[], $2::uuid[], $3::int[], $4::int[], $5::int[], $6::int[])`, [
      participants.map((_, i) => i),
      participants,
      participants.map((_, i) => campOf(i)),
      counts,
      participants.map(() => Math.floor(random() * p)),
      participants.map(() => steps[Math.floor(random() * steps.length)]),
    ]);
    // Per proposition and camp: P(agree) and P(agree or disagree); the rest unsure.
    const odds = propositions.map(() =>
      camps.map(() => {
        const lean = random();
        const unsure = 0.05 + 0.15 * random();
        return [lean * (1 - unsure), 1 - unsure];
      }),
    );
    await db.query(`CREATE TEMP TABLE polis_prop (idx int PRIMARY KEY, id uuid, agree float8[], sided float8[])`);
    await db.query(`INSERT INTO polis_prop SELECT * FROM unnest($1::int[], $2::uuid[]) AS u(idx, id), LATERAL (SELECT ($3::float8[])[u.idx * 3 + 1 : u.idx * 3 + 3], ($4::float8[])[u.idx * 3 + 1 : u.idx * 3 + 3]) o`, [
      propositions.map((_, i) => i),
      propositions,
      odds.flatMap((o) => o.map((c) => c[0])),
      odds.flatMap((o) => o.map((c) => c[1])),
    ]);
    await db.query(`SELECT setseed(0.2026)`);
    for (let from = 0; from < n; from += PARTICIPANTS_PER_STATEMENT) {
      await db.query(
        `INSERT INTO "Vote" (id, "participantId", "propositionId", value, "createdAt", "updatedAt")
         SELECT gen_random_uuid(), v.participant, v.proposition,
                (CASE WHEN v.r < v.agree THEN 'agree' WHEN v.r < v.sided THEN 'disagree' ELSE 'unsure' END)::"VoteValue", v.at, v.at
         FROM (SELECT pt.id AS participant, po.id AS proposition, po.agree[pt.camp + 1] AS agree, po.sided[pt.camp + 1] AS sided, random() AS r,
                      timestamp '2026-01-01' + make_interval(secs => 3 + pt.idx) AS at
               FROM polis_part pt CROSS JOIN LATERAL generate_series(0, pt.k - 1) AS j
               JOIN polis_prop po ON po.idx = (pt."off" + j * pt.step) % $1
               WHERE pt.idx >= $2 AND pt.idx < $3) v`,
        [p, from, from + PARTICIPANTS_PER_STATEMENT],
      );
    }
    await db.query(`DROP TABLE polis_part; DROP TABLE polis_prop`);
    await db.query(`ANALYZE "Vote"; ANALYZE "Proposition"`);
    const written = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM "Vote" v JOIN "Proposition" p ON p.id = v."propositionId" WHERE p."debateId" = $1`, [debateId])).rows[0].n);
    return { votes: written, seconds: (performance.now() - started) / 1000 };
  } finally {
    await db.end();
  }
}
