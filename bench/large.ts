/**
 * bench:large — serving a very large debate.
 *
 * Setup: a debate of 2,000 propositions and 10,000 arguments in threads up to
 * depth 8 (plus 2,500 sources, 10,000 votes, 5,000 ratings and the change log),
 * written straight into PostgreSQL in bulk (bench/lib/seed-large.ts). The
 * server runs with the built app (run `npm run build` first; `npm run
 * bench:large` does).
 * Measured, one request at a time, median of N after 1 warm-up:
 *  - GET /api/debates/:id (the JSON snapshot);
 *  - GET /debates/:id.data (the page's loader data, as a client navigation fetches it);
 *  - GET /debates/:id (the server-rendered HTML page).
 * Then in Chromium (Playwright; the browser the e2e tests use, tests/support/chromium.ts), a joined participant
 * (cookie) opens the page; "usable" = from navigation start until the first
 * proposition's vote button is enabled and the connection status
 * (data-testid="connection-status") reads "Live" — measured in the page as
 * performance.now() (its origin is navigation start). Also: the first vote's
 * round trip in the page (click → the button shows pressed).
 * Where the time goes: the same reads timed in this process — the SQL alone
 * (pg), the service (Prisma + mapping, services.getDebate: the frame the page gets, ADR 0026, and
 * the whole debate), JSON.stringify of the frame.
 * DOM nodes at "usable": Chrome's "Nodes" metric (live and not yet collected), the same after a forced
 * GC, and the nodes in the document.
 * Targets: data ≤ 300 ms, page usable ≤ 2 s.
 * Options (env): LARGE_PROPOSITIONS (2000), LARGE_ARGUMENTS (10000), LARGE_RUNS (5), LARGE_BROWSER_RUNS (3), LARGE_PORT (3521).
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { launchBenchChromium } from "./lib/browser";
import pg from "pg";
import { participantCookieName } from "../app/shared/contract";
import { api, type Joined } from "./lib/api";
import { createBenchDatabase } from "./lib/db";
import { runBenchmark } from "./lib/lifecycle";
import { timeGet } from "./lib/http";
import { header, kib, median, ms, nowMs, projectRoot, table, verdict, waitUntil } from "./lib/report";
import { seedLargeDebate } from "./lib/seed-large";
import { startSteelman } from "./lib/server-process";

const PROPOSITIONS = Number(process.env.LARGE_PROPOSITIONS ?? 2000);
const ARGUMENTS = Number(process.env.LARGE_ARGUMENTS ?? 10000);
const RUNS = Number(process.env.LARGE_RUNS ?? 5);
const BROWSER_RUNS = Number(process.env.LARGE_BROWSER_RUNS ?? 3);
/** The server's port (LARGE_PORT, default 3521). */
const PORT = Number(process.env.LARGE_PORT ?? 3521);
/** A load not usable after this long counts as this long (a lower bound) in the median. */
const USABLE_TIMEOUT_MS = 60_000;

/** Median of `n` timings of `fn` after one warm-up. */
async function timeFn<T>(n: number, fn: () => Promise<T>): Promise<{ median: number; last: T }> {
  let last = await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = nowMs();
    last = await fn();
    times.push(nowMs() - t);
  }
  return { median: median(times), last };
}

/** The reads getDebate makes, as plain SQL through pg, each timed on its own (ms); "total" runs them as the service does (in parallel). */
async function rawSql(db: pg.Pool, debateId: string) {
  const statements: [string, string][] = [
    ["debate row", `SELECT * FROM "Debate" WHERE id = $1`],
    ["propositions", `SELECT * FROM "Proposition" WHERE "debateId" = $1 ORDER BY position`],
    ["arguments + authors", `SELECT a.*, p."displayName" FROM "Argument" a JOIN "Participant" p ON p.id = a."authorId" WHERE a."debateId" = $1 ORDER BY a."createdAt"`],
    ["sources", `SELECT s.* FROM "Source" s JOIN "Argument" a ON a.id = s."argumentId" WHERE a."debateId" = $1 ORDER BY s."createdAt"`],
    ["vote counts", `SELECT v."propositionId", v.value, count(*) FROM "Vote" v JOIN "Proposition" p ON p.id = v."propositionId" WHERE p."debateId" = $1 GROUP BY 1, 2`],
    ["rating counts", `SELECT r."argumentId", r.value, count(*) FROM "Rating" r JOIN "Argument" a ON a.id = r."argumentId" WHERE a."debateId" = $1 GROUP BY 1, 2`],
  ];
  const each: Record<string, number> = {};
  for (const [name, sql] of statements) {
    const t = nowMs();
    await db.query(sql, [debateId]);
    each[name] = nowMs() - t;
  }
  const t = nowMs();
  await Promise.all(statements.map(([, sql]) => db.query(sql, [debateId])));
  each.total = nowMs() - t;
  return each;
}

/** Opens the page as the joined participant; returns ms from navigation start to usable, and navigation timings. */
async function browserRun(browser: import("@playwright/test").Browser, url: string, debateId: string, token: string) {
  const context = await browser.newContext();
  await context.addCookies([{ name: participantCookieName(debateId), value: token, domain: "127.0.0.1", path: "/", httpOnly: true, sameSite: "Lax" }]);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  try {
    await page.goto(url, { waitUntil: "commit", timeout: 60_000 });
    const usable = (await (
      await page.waitForFunction(
        () => {
          const status = document.querySelector('[data-testid="connection-status"]');
          const button = document.querySelector<HTMLButtonElement>(".vote-buttons button");
          return status?.textContent?.trim() === "Live" && button && !button.disabled ? performance.now() : false;
        },
        null,
        { polling: "raf", timeout: USABLE_TIMEOUT_MS },
      )
    ).jsonValue()) as number;
    const nav = (await page.evaluate(() => {
      const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      return { responseStart: n.responseStart, responseEnd: n.responseEnd, domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd };
    })) as { responseStart: number; responseEnd: number; domContentLoaded: number; load: number };
    // Main-thread time by kind up to "usable" (Chrome's Performance domain; seconds → ms).
    const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
    // "Nodes" counts every DOM node not yet garbage-collected (also those React has already removed, e.g. the
    // server-rendered page of 25 propositions the virtual list replaces): also shown after a forced GC, and
    // the nodes in the document itself (a tree walk).
    const inDocument = (await page.evaluate(`(() => { const w = document.createTreeWalker(document, NodeFilter.SHOW_ALL); let n = 1; while (w.nextNode()) n++; return n; })()`)) as number;
    await cdp.send("HeapProfiler.collectGarbage");
    const afterGc = ((await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] }).metrics.find((m) => m.name === "Nodes")?.value ?? NaN;
    const main = { script: metric("ScriptDuration") * 1000, layout: metric("LayoutDuration") * 1000, style: metric("RecalcStyleDuration") * 1000, task: metric("TaskDuration") * 1000, nodes: metric("Nodes"), nodesAfterGc: afterGc, inDocument, jsHeap: metric("JSHeapUsedSize") };
    // The first vote: click "Agree" on the first proposition, wait until its pressed state flips
    // (a later load finds the vote of the previous one, and the click then clears it).
    const agree = page.locator(".vote-buttons").first().locator("button").first();
    const wasPressed = (await agree.getAttribute("aria-pressed")) === "true";
    const t = await page.evaluate(() => performance.now());
    await agree.click({ timeout: 30_000 });
    await page.waitForFunction((before) => (document.querySelector(".vote-buttons button")?.getAttribute("aria-pressed") === "true") !== before, wasPressed, { polling: "raf", timeout: 30_000 });
    const voted = ((await page.evaluate(() => performance.now())) as number) - t;
    return { usable, voted, ...nav, main };
  } finally {
    await context.close();
  }
}

runBenchmark("bench:large", 8 * 60_000, async () => {
  header("bench:large", `A debate of ${PROPOSITIONS} propositions and ${ARGUMENTS} arguments (threads to depth 8): time to serve it (API, loader data, HTML) and until the page is usable in Chromium.`);
  const buildEntry = path.join(projectRoot, "build", "server", "index.js");
  // Another `npm run build` (e.g. `npm test`) may be rewriting build/: wait until it has been stable for 5 s.
  const stable = await waitUntil(() => existsSync(buildEntry) && Date.now() - statSync(buildEntry).mtimeMs > 5_000, 120_000, 1_000);
  if (!stable) throw new Error("build/ is missing or being rewritten: run `npm run build` first (npm run bench:large does).");
  const buildTime = statSync(buildEntry).mtimeMs;
  console.log(`app build: ${path.relative(projectRoot, buildEntry)} of ${new Date(buildTime).toISOString()}`);

  const database = await createBenchDatabase("large");
  const seeded = await seedLargeDebate(database.url, { propositions: PROPOSITIONS, args: ARGUMENTS, maxDepth: 8, authors: 100, votesPerAuthor: 100, ratingsPerAuthor: 50 });
  console.log(`seeded in ${seeded.seconds.toFixed(1)} s: ${Object.entries(seeded.counts).map(([k, v]) => `${v} ${k}`).join(", ")}; deepest thread ${seeded.depthReached}`);
  const server = await startSteelman(database.url, PORT, { serveApp: true });
  console.log(`steelman server: ${server.command}  (database ${database.name}, PostgreSQL ${database.version})`);
  const { debateId } = seeded;
  const viewer = await api<Joined>(server.url, `/api/debates/${debateId}/participants`, { body: { displayName: "Viewer" } });
  const cookie = { cookie: `${participantCookieName(debateId)}=${viewer.token}` };

  const apiGet = await timeGet(`${server.url}/api/debates/${debateId}`, RUNS);
  const dataGet = await timeGet(`${server.url}/debates/${debateId}.data`, RUNS, cookie);
  const htmlGet = await timeGet(`${server.url}/debates/${debateId}`, RUNS, cookie);

  // Browser: a fresh context (empty cache) per run.
  const browser = await launchBenchChromium();
  const browserRuns: ({ n: number } & Awaited<ReturnType<typeof browserRun>>)[] = [];
  const browserFailures: string[] = [];
  let timedOut = 0;
  try {
    for (let i = 0; i < BROWSER_RUNS; i++) {
      try {
        browserRuns.push({ n: i + 1, ...(await browserRun(browser, `${server.url}/debates/${debateId}`, debateId, viewer.token)) });
      } catch (error) {
        browserFailures.push(`load ${i + 1}: ${(error as Error).message.split("\n")[0]}`);
        if (/waitForFunction: Timeout/.test((error as Error).message)) timedOut++;
      }
    }
  } finally {
    await browser.close();
  }
  const memory = await server.metrics(true);
  await server.stop();

  // Where the time goes, measured in this process (same database, server stopped).
  const db = new pg.Pool({ connectionString: database.url, max: 10 });
  db.on("error", () => undefined);
  await rawSql(db, debateId);
  const sqlRuns: Record<string, number>[] = [];
  for (let i = 0; i < RUNS; i++) sqlRuns.push(await rawSql(db, debateId));
  const sqlMedian = (k: string) => median(sqlRuns.map((r) => r[k]));
  await db.end();
  const { createPrismaClient } = await import("../server/db");
  const { createServices } = await import("../server/services");
  const prisma = createPrismaClient(database.url);
  const { silentPublisher } = await import("../server/services/context");
  const { RateLimits } = await import("../server/services/rate-limits");
  const services = createServices({ db: prisma, publisher: silentPublisher, limits: new RateLimits("off") });
  // The page and the API send the frame (docs/decisions/0026-debate-page-frame.md); the whole debate is timed too (catch-up snapshots, moderation).
  const service = await timeFn(RUNS, () => services.getDebate(debateId, null, { frame: true }));
  const whole = await timeFn(RUNS, () => services.getDebate(debateId, null));
  const stringify = await timeFn(RUNS, async () => JSON.stringify(service.last));
  await prisma.$disconnect();

  console.log(`\nResults (${RUNS} sequential requests after 1 warm-up; ${BROWSER_RUNS} browser loads, each in a fresh context):`);
  table([
    ["", "median", "min", "max", "size", ""],
    ...([["GET /api/debates/:id", apiGet], ["GET /debates/:id.data (loader)", dataGet], ["GET /debates/:id (HTML, SSR)", htmlGet]] as const).map(([label, r]) => [
      label,
      ms(median(r.times)),
      ms(Math.min(...r.times)),
      ms(Math.max(...r.times)),
      kib(r.bytes),
      r.failed.length ? `${r.failed.length} of ${RUNS} failed: ${r.failed.join(", ")}` : "",
    ]),
  ]);
  console.log("\nChromium, per load (ms from navigation start):");
  table([
    ["load", "HTML first byte", "HTML last byte", "DOMContentLoaded", "load", "usable (Live + vote enabled)", "first vote shown"],
    ...browserRuns.map((r) => [String(r.n), ms(r.responseStart), ms(r.responseEnd), ms(r.domContentLoaded), ms(r.load), ms(r.usable), ms(r.voted)]),
  ]);
  for (const f of browserFailures) console.log(`  FAILED ${f}`);
  console.log("Chromium main thread until usable (Performance.getMetrics, per load):");
  table([
    ["load", "all tasks", "script", "layout", "style", "DOM nodes", "after GC", "in document", "JS heap"],
    ...browserRuns.map((r) => [String(r.n), ms(r.main.task), ms(r.main.script), ms(r.main.layout), ms(r.main.style), String(r.main.nodes), String(r.main.nodesAfterGc), String(r.main.inDocument), `${(r.main.jsHeap / 2 ** 20).toFixed(0)} MiB`]),
  ]);
  console.log(`\nwhere the time goes (in this process, median of ${RUNS}):`);
  console.log(`  SQL alone (pg, rows parsed): ${ms(sqlMedian("total"))} for all reads in parallel; one by one: ${Object.keys(sqlRuns[0]).filter((k) => k !== "total").map((k) => `${k} ${ms(sqlMedian(k))}`).join(", ")}`);
  console.log(`  services.getDebate (Prisma + mapping to DTOs): ${ms(service.median)} for the frame (${service.last.frame?.complete ? "sent whole" : `${service.last.arguments.length} arguments inlined`}), ${ms(whole.median)} for the whole debate`);
  console.log(`  JSON.stringify of the snapshot: ${ms(stringify.median)} (${kib(stringify.last.length)})`);
  console.log(`server heap after GC with this debate served: ${(memory.heapUsedBytes / 2 ** 20).toFixed(1)} MiB`);
  const dataMedian = median(dataGet.times);
  const apiMedian = median(apiGet.times);
  const usableTimes = [...browserRuns.map((r) => r.usable), ...Array.from({ length: timedOut }, () => USABLE_TIMEOUT_MS)];
  const usableMedian = usableTimes.length ? median(usableTimes) : Infinity;
  if (!existsSync(buildEntry) || statSync(buildEntry).mtimeMs !== buildTime) {
    console.log("\nWARNING: build/ was rewritten during this run (another `npm run build`?): the page figures are not valid; run again.");
    process.exitCode = 1;
  }
  console.log(`\nAPI snapshot ${ms(apiMedian)}, loader data ${ms(dataMedian)}   target ≤ 300 ms: ${verdict(Math.max(apiMedian, dataMedian) <= 300)}`);
  console.log(`page usable (median of ${usableTimes.length}${timedOut ? `, ${timedOut} not usable after ${USABLE_TIMEOUT_MS / 1000} s, counted as ${USABLE_TIMEOUT_MS / 1000} s` : ""}) ${timedOut && usableMedian >= USABLE_TIMEOUT_MS ? "≥ " : ""}${ms(usableMedian)}   target ≤ 2 s: ${verdict(usableMedian <= 2000)}`);
});
