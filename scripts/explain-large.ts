/**
 * `npm run explain:large`: the query plans of the hot reads and writes on the large debate
 * (issue 14: 2,000 propositions, 10,000 arguments), as PostgreSQL runs them, for
 * docs/performance.md ("Query plans").
 *
 * Seeds the large debate (bench/lib/seed-large.ts, the same debate bench:large serves) into a
 * scratch database (bench/lib/db.ts: BENCH_PG_URL's server, the machine's, or the embedded one;
 * dropped at the end) after EXPLAIN_OTHER_DEBATES (4) more debates of the same size, so that the
 * explained debate is a fifth of every table, as on a server with several big debates (with one
 * debate alone every "WHERE debateId = …" reads the whole table and a sequential scan is right),
 * runs `VACUUM ANALYZE`, then calls the services exactly as the server does
 * (Prisma over a pg pool) while recording every SQL statement they send, and prints
 * `EXPLAIN (ANALYZE, BUFFERS)` of each recorded statement with its own parameters:
 *  - the debate frame: getDebate (GET /api/debates/:id: propositions with counts and tallies);
 *  - an argument page, each order (GET /api/debates/:id/propositions/:pid/arguments?order=…), on
 *    the proposition with the most arguments;
 *  - search (GET /api/debates/:id/search?q=…), for a term every argument holds and for a rare one;
 *  - a vote (castVote's transaction; its writes are explained inside BEGIN … ROLLBACK, so the
 *    database is left as it was);
 *  - catch-up over the last EXPLAIN_CATCHUP changes (the range read and the current state).
 * Flagged after each plan: sequential scans over more than 1,000 rows (a missing index).
 * Options (env): EXPLAIN_PROPOSITIONS (2000), EXPLAIN_ARGUMENTS (10000), EXPLAIN_OTHER_DEBATES (4), EXPLAIN_CATCHUP (200),
 * EXPLAIN_FULL=1 (whole plans and statements; by default plans are cut at 40 lines).
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../app/generated/prisma/client.ts";
import { createBenchDatabase } from "../bench/lib/db";
import { runBenchmark } from "../bench/lib/lifecycle";
import { header } from "../bench/lib/report";
import { seedLargeDebate } from "../bench/lib/seed-large";
import { createServices } from "../server/services";
import { RateLimits } from "../server/services/rate-limits";

const PROPOSITIONS = Number(process.env.EXPLAIN_PROPOSITIONS ?? 2000);
const ARGUMENTS = Number(process.env.EXPLAIN_ARGUMENTS ?? 10000);
const CATCHUP = Number(process.env.EXPLAIN_CATCHUP ?? 200);
const OTHER_DEBATES = Number(process.env.EXPLAIN_OTHER_DEBATES ?? 4);
const FULL = process.env.EXPLAIN_FULL === "1";

interface Recorded {
  text: string;
  values: unknown[];
}

/** One recorded statement (object or string form of pg's query()). */
function record(args: unknown[]): Recorded | null {
  const first = args[0];
  if (typeof first === "string") return { text: first, values: Array.isArray(args[1]) ? (args[1] as unknown[]) : [] };
  if (first && typeof first === "object" && "text" in first) {
    const q = first as { text: string; values?: unknown[] };
    return { text: q.text, values: q.values ?? [] };
  }
  return null;
}

const isControl = (text: string) => /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET|SHOW|DEALLOCATE)\b/i.test(text);
const isWrite = (text: string) => /^\s*(INSERT|UPDATE|DELETE|WITH\b[\s\S]*\b(INSERT|UPDATE|DELETE)\b)/i.test(text) || isFunctionCall(text);
/** The project's PL/pgSQL functions (steelman_cast_vote, …): their own statements are explained through auto_explain. */
const isFunctionCall = (text: string) => /\bsteelman_\w+\(/.test(text);

/**
 * Sequential scans that read more than 1,000 rows (returned plus removed by their filter, times
 * loops) in a text plan, as "Seq Scan on X (N rows read)".
 */
function bigSeqScans(plan: string[]): string[] {
  const found: string[] = [];
  plan.forEach((line, i) => {
    const m = /Seq Scan on (\S+).*actual time=[\d.]+\.\.[\d.]+ rows=(\d+) loops=(\d+)/.exec(line);
    if (!m) return;
    let removed = 0;
    for (let j = i + 1; j < plan.length && !/->|Seq Scan/.test(plan[j]!); j++) {
      const r = /Rows Removed by Filter: (\d+)/.exec(plan[j]!);
      if (r) removed = Number(r[1]);
    }
    const read = (Number(m[2]) + removed) * Number(m[3]);
    if (read > 1000) found.push(`Seq Scan on ${m[1]} (${read} rows read)`);
  });
  return found;
}

runBenchmark("explain:large", 15 * 60_000, async () => {
  header("explain:large", `EXPLAIN (ANALYZE, BUFFERS) of the statements the services send for the hot paths, on a debate of ${PROPOSITIONS} propositions and ${ARGUMENTS} arguments.`);
  const database = await createBenchDatabase("explain");
  console.log(`database ${database.name}, PostgreSQL ${database.version}`);
  const shape = { propositions: PROPOSITIONS, args: ARGUMENTS, maxDepth: 8, authors: 100, votesPerAuthor: 100, ratingsPerAuthor: 50 };
  for (let i = 0; i < OTHER_DEBATES; i++) await seedLargeDebate(database.url, shape);
  const seeded = await seedLargeDebate(database.url, shape);
  console.log(`${OTHER_DEBATES} other debates of the same size seeded first`);
  console.log(`seeded in ${seeded.seconds.toFixed(1)} s: ${Object.entries(seeded.counts).map(([k, v]) => `${v} ${k}`).join(", ")}`);
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query("VACUUM ANALYZE");

  const pool = new pg.Pool({ connectionString: database.url, max: 10 });
  pool.on("error", () => undefined);
  let recording: Recorded[] | null = null;
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      const r = record(args);
      if (recording && r && !isControl(r.text)) recording.push(r);
      return query(...args);
    }) as typeof client.query;
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const noPublisher = new Proxy({}, { get: () => () => undefined }) as Parameters<typeof createServices>[0]["publisher"];
  const services = createServices({ db: prisma, publisher: noPublisher, limits: new RateLimits("off") });
  const debateId = seeded.debateId;
  const joined = await services.joinDebate(debateId, { displayName: "Explainer" });
  const viewer = await services.findParticipant(debateId, joined.token);
  if (!viewer) throw new Error("the joined participant was not found");
  const busiest = (await admin.query<{ id: string; n: string }>(`SELECT "propositionId" AS id, count(*) AS n FROM "Argument" WHERE "debateId" = $1 AND "parentId" IS NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1`, [debateId])).rows[0]!;
  const lastSeq = (await admin.query<{ lastSeq: number }>(`SELECT "lastSeq" FROM "Debate" WHERE id = $1`, [debateId])).rows[0]!.lastSeq;

  let lastOpId = "";
  const scenarios: { name: string; run: () => Promise<unknown> }[] = [
    { name: "debate frame: getDebate (GET /api/debates/:id)", run: () => services.getDebate(debateId, viewer) },
    ...(["oldest", "newest", "top"] as const).map((order) => ({
      name: `argument page, order=${order} (GET …/propositions/:pid/arguments; ${busiest.n} top-level arguments)`,
      run: () => services.argumentPage(debateId, busiest.id, viewer, { order }),
    })),
    // Every seeded argument says "a considered reason with some evidence": the worst case, all 10,000 match and are ranked.
    { name: 'search, a term in every argument: q="considered evidence" (GET /api/debates/:id/search)', run: () => services.searchDebate(debateId, viewer, { q: "considered evidence" }) },
    { name: 'search, a rare term: q="4321" (one argument of each debate says "Argument 4321")', run: () => services.searchDebate(debateId, viewer, { q: "4321" }) },
    { name: "vote: castVote (socket vote:cast)", run: () => services.castVote(viewer, { opId: (lastOpId = randomUUID()), propositionId: busiest.id, value: "agree" }) },
    { name: `catch-up: the last ${Math.min(CATCHUP, lastSeq)} of ${lastSeq} changes (socket handshake with lastSeq)`, run: () => services.catchUp(debateId, Math.max(0, lastSeq - CATCHUP), viewer) },
  ];

  const summary: string[][] = [];
  for (const scenario of scenarios) {
    await scenario.run(); // warm: caches of the services, the plan cache of the connection
    recording = [];
    await scenario.run();
    const statements = recording;
    recording = null;
    console.log(`\n## ${scenario.name}: ${statements.length} statements`);
    let total = 0;
    const flags: string[] = [];
    for (const [i, s] of statements.entries()) {
      const write = isWrite(s.text);
      if (write) await admin.query("BEGIN");
      let plan: string[];
      const nested: string[] = [];
      const onNotice = (notice: { message?: string }) => {
        if (notice.message?.includes("Query Text:")) nested.push(notice.message);
      };
      if (isFunctionCall(s.text)) {
        // auto_explain (a contrib module shipped with PostgreSQL) sends each nested statement's plan as a LOG message.
        await admin.query(`LOAD 'auto_explain'; SET LOCAL auto_explain.log_min_duration = 0; SET LOCAL auto_explain.log_analyze = on; SET LOCAL auto_explain.log_buffers = on; SET LOCAL auto_explain.log_nested_statements = on; SET LOCAL client_min_messages = log`);
        admin.on("notice", onNotice);
      }
      try {
        // A write runs again under EXPLAIN ANALYZE: with a fresh opId, or it would be a repeat (refused by Operation's key).
        const values = write ? s.values.map((v) => (v === lastOpId ? randomUUID() : v)) : s.values;
        plan = (await admin.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, values)).rows.map((r) => r["QUERY PLAN"]);
      } finally {
        admin.off("notice", onNotice);
        if (write) await admin.query("ROLLBACK");
      }
      const execution = Number(/Execution Time: ([\d.]+) ms/.exec(plan.join("\n"))?.[1] ?? NaN);
      total += execution;
      const scans = bigSeqScans(plan);
      flags.push(...scans);
      const sql = s.text.replace(/\s+/g, " ");
      console.log(`\n-- ${i + 1}. ${FULL || sql.length <= 400 ? sql : `${sql.slice(0, 400)} …`}${write ? "   [write: explained inside BEGIN … ROLLBACK]" : ""}`);
      for (const line of FULL || plan.length <= 40 ? plan : [...plan.slice(0, 38), `  … (${plan.length - 39} more lines)`, plan.at(-1)!]) console.log(`   ${line}`);
      for (const n of nested.filter((m) => !m.includes("EXPLAIN (ANALYZE"))) {
        const lines = n.split("\n");
        console.log(`   nested (auto_explain):\n${lines.map((l) => `      ${l}`).join("\n")}`);
        const nestedScans = bigSeqScans(lines);
        scans.push(...nestedScans);
        flags.push(...nestedScans);
      }
      if (scans.length) console.log(`   !! ${scans.join("; ")}`);
    }
    summary.push([scenario.name, String(statements.length), `${total.toFixed(2)} ms`, flags.length ? flags.join("; ") : "none"]);
  }

  console.log(`\n=== summary (load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}, ${os.cpus().length} cores) ===`);
  for (const [name, n, ms, flags] of summary) console.log(`${name}\n   statements ${n}, execution time summed ${ms}, sequential scans over 1,000 rows: ${flags}`);
  await prisma.$disconnect();
  await pool.end().catch(() => undefined);
  await admin.end();
});
