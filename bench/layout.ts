/**
 * bench:layout — does the debate page hold still under live activity (issue 19)?
 *
 * A reader sits mid-page on the seed debate (the shared fixture ai-race-hot-take, with three
 * arguments on each of its first three propositions), the Agree button of proposition 3 a third of
 * the way down the screen, while three others post arguments and vote over the API at RATE events a
 * second for LAYOUT_SECONDS (posts on the propositions above, in view and below; votes in view and above).
 * Per profile (desktop 1280×900; phone: Playwright's Pixel 5) and rate (1 and 10 events/s), in a fresh
 * browser context:
 *  - CLS: layout-shift entries (PerformanceObserver) without recent input, in session windows as
 *    web-vitals counts them (gaps < 1 s, windows ≤ 5 s; the largest window), and their plain sum;
 *  - how far the watched Agree button moved on screen (every animation frame, px);
 *  - interaction to next paint of a vote click, p75 over 10 clicks made after the activity (Event
 *    Timing API, `durationThreshold` 16 ms: a click that paints faster has no entry and counts as 16 ms).
 * Goals (issue 19): CLS ≤ 0.05, vote INP ≤ 100 ms p75. Server: `startSteelman` with the built app
 * (run `npm run build` first; `npm run bench:layout` does). No CPU or network throttling.
 * Options (env): LAYOUT_SECONDS (60); BENCH_SMOKE=1 (bench:smoke): 3 s per run.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { devices, type Browser, type BrowserContextOptions } from "@playwright/test";
import { launchBenchChromium } from "./lib/browser";
import { seedArticle } from "../tests/support/article";
import { participantCookieName } from "../app/shared/contract";
import { plainTextToArgumentBody } from "../app/shared/argument-body";
import { api, facilitatorToken, type CreatedDebate, type Joined } from "./lib/api";
import { createBenchDatabase } from "./lib/db";
import { runBenchmark } from "./lib/lifecycle";
import { header, projectRoot, quantile, sleep, table, verdict } from "./lib/report";
import { startSteelman } from "./lib/server-process";

const SECONDS = process.env.BENCH_SMOKE ? 3 : Number(process.env.LAYOUT_SECONDS ?? 60);
const RATES = [1, 10];
const PORT = 3561;
const CLICKS = 10;
const PROFILES: { name: string; context: BrowserContextOptions }[] = [
  { name: "desktop 1280×900", context: { viewport: { width: 1280, height: 900 } } },
  { name: "phone (Pixel 5)", context: { ...devices["Pixel 5"] } },
];

/**
 * Runs in the page (as a string: the benchmark runs under tsx, whose helpers do not exist in the
 * page): records layout shifts, Event Timing entries and the watched button's largest move.
 */
const RECORDER = `(() => {
  const w = window;
  w.__shifts = []; w.__events = []; w.__moved = 0;
  new PerformanceObserver((l) => { for (const e of l.getEntries()) w.__shifts.push({ t: e.startTime, v: e.value, input: e.hadRecentInput }); }).observe({ type: "layout-shift", buffered: false });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.interactionId) w.__events.push({ id: e.interactionId, d: e.duration }); }).observe({ type: "event", durationThreshold: 16 });
  const el = document.querySelector(w.__watchSelector);
  const start = el.getBoundingClientRect();
  const frame = () => { const r = el.getBoundingClientRect(); w.__moved = Math.max(w.__moved, Math.abs(r.x - start.x), Math.abs(r.y - start.y)); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})()`;

/** CLS as web-vitals counts it: the largest session window (entries < 1 s apart, window ≤ 5 s) of shifts without recent input. */
export function sessionWindowCls(shifts: { t: number; v: number; input: boolean }[]): number {
  let best = 0;
  let sum = 0;
  let first = -Infinity;
  let last = -Infinity;
  for (const s of shifts.filter((x) => !x.input).sort((a, b) => a.t - b.t)) {
    if (s.t - last < 1000 && s.t - first < 5000) sum += s.v;
    else {
      sum = s.v;
      first = s.t;
    }
    last = s.t;
    best = Math.max(best, sum);
  }
  return best;
}

interface RunResult {
  profile: string;
  rate: number;
  cls: number;
  total: number;
  moved: number;
  inpP75: number;
  events: number;
  failed: number;
}

async function runOne(browser: Browser, base: string, debate: CreatedDebate, others: Joined[], profile: (typeof PROFILES)[number], rate: number, n: number): Promise<RunResult> {
  const reader = await api<Joined>(base, `/api/debates/${debate.id}/participants`, { body: { displayName: `Reader ${n}` } });
  const context = await browser.newContext(profile.context);
  await context.addCookies([{ name: participantCookieName(debate.id), value: reader.token, domain: "127.0.0.1", path: "/", httpOnly: true, sameSite: "Lax" }]);
  const page = await context.newPage();
  try {
    const [p1, p2, p3] = debate.propositions.map((p) => p.id) as [string, string, string];
    await page.goto(`${base.replace("localhost", "127.0.0.1")}/debates/${debate.id}`);
    await page.waitForFunction(() => document.querySelector('[data-testid="connection-status"]')?.getAttribute("data-status") === "live", null, { timeout: 60_000 });
    const watch = `#prop-${p3} .vote-agree`;
    await page.locator(watch).evaluate((el) => window.scrollBy(0, el.getBoundingClientRect().top - window.innerHeight / 3));
    await sleep(300);
    await page.evaluate(`window.__watchSelector = ${JSON.stringify(watch)}; ${RECORDER}`);

    // Others act: one event every 1000/rate ms, not waiting for answers (at 10/s an answer may take longer than the gap).
    let posted = 0;
    let failed = 0;
    const events: Promise<unknown>[] = [];
    const plan = [
      (who: Joined) => api(base, `/api/debates/${debate.id}/arguments`, { token: who.token, body: { propositionId: p1, stance: "pro", body: plainTextToArgumentBody(`Point ${++posted} above the view. ${"It takes a line or two to say. ".repeat(1 + (posted % 3))}`), sources: [] } }),
      (who: Joined) => api(base, `/api/debates/${debate.id}/propositions/${p3}/vote`, { method: "PUT", token: who.token, body: { value: ["agree", "disagree", "unsure"][posted % 3] } }),
      (who: Joined) => api(base, `/api/debates/${debate.id}/arguments`, { token: who.token, body: { propositionId: p3, stance: posted % 2 ? "pro" : "con", body: plainTextToArgumentBody(`Point ${++posted} in view. ${"It takes a line or two to say. ".repeat(1 + (posted % 3))}`), sources: [] } }),
      (who: Joined) => api(base, `/api/debates/${debate.id}/propositions/${p1}/vote`, { method: "PUT", token: who.token, body: { value: ["agree", "disagree", null][posted % 3] } }),
      (who: Joined) => api(base, `/api/debates/${debate.id}/arguments`, { token: who.token, body: { propositionId: p2, stance: "con", body: plainTextToArgumentBody(`Point ${++posted} below. ${"It takes a line or two to say. ".repeat(1 + (posted % 3))}`), sources: [] } }),
    ];
    const count = SECONDS * rate;
    const started = Date.now();
    for (let i = 0; i < count; i++) {
      const due = started + (i * 1000) / rate;
      if (due > Date.now()) await sleep(due - Date.now());
      events.push(plan[i % plan.length]!(others[i % others.length]!).catch(() => failed++));
    }
    await Promise.all(events);
    await sleep(1000); // the last broadcasts land

    // Vote clicks after the activity: their interaction-to-next-paint.
    for (let i = 0; i < CLICKS; i++) {
      await page.locator(watch).click();
      await sleep(300);
    }
    const recorded = (await page.evaluate(`({ shifts: window.__shifts, events: window.__events, moved: window.__moved })`)) as { shifts: { t: number; v: number; input: boolean }[]; events: { id: number; d: number }[]; moved: number };
    const byInteraction = new Map<number, number>();
    for (const e of recorded.events) byInteraction.set(e.id, Math.max(byInteraction.get(e.id) ?? 0, e.d));
    // A pointer click is one interaction (pointerdown, pointerup, click share its id); missing ones painted within 16 ms.
    const durations = [...byInteraction.values(), ...Array(Math.max(0, CLICKS - byInteraction.size)).fill(16)].sort((a, b) => a - b);
    return {
      profile: profile.name,
      rate,
      cls: sessionWindowCls(recorded.shifts),
      total: recorded.shifts.filter((s) => !s.input).reduce((sum, s) => sum + s.v, 0),
      moved: recorded.moved,
      inpP75: quantile(durations, 0.75),
      events: count,
      failed,
    };
  } finally {
    await context.close();
  }
}

runBenchmark("bench:layout", 10 * 60_000, async () => {
  header("bench:layout", `Layout shift of the debate page while three others post and vote at ${RATES.join(" and ")} events/s for ${SECONDS} s each, desktop and phone; INP of a vote click.`);
  if (!existsSync(path.join(projectRoot, "build", "server", "index.js"))) throw new Error("build/ is missing: run `npm run build` first (npm run bench:layout does).");
  const database = await createBenchDatabase("layout");
  const server = await startSteelman(database.url, PORT, { serveApp: true });
  console.log(`steelman server: ${server.command}  (database ${database.name}, PostgreSQL ${database.version})`);
  const browser = await launchBenchChromium();
  const results: RunResult[] = [];
  try {
    let n = 0;
    for (const profile of PROFILES) {
      for (const rate of RATES) {
        // A fresh debate per run: every run starts from the same page.
        const debate = await api<CreatedDebate>(server.url, "/api/debates", { body: { sourceText: seedArticle, publish: true }, token: await facilitatorToken(server.url) });
        const others: Joined[] = [];
        for (const name of ["Ama", "Bo", "Cyd"]) others.push(await api<Joined>(server.url, `/api/debates/${debate.id}/participants`, { body: { displayName: name } }));
        for (const p of debate.propositions.slice(0, 3)) {
          for (const [i, who] of others.entries()) {
            await api(server.url, `/api/debates/${debate.id}/arguments`, { token: who.token, body: { propositionId: p.id, stance: i === 1 ? "con" : "pro", body: plainTextToArgumentBody("A reason that takes a line or two to say, as real arguments do. ".repeat(2)), sources: [] } });
          }
        }
        const result = await runOne(browser, server.url, debate, others, profile, rate, ++n);
        results.push(result);
        console.log(`${result.profile} at ${rate}/s: CLS ${result.cls.toFixed(4)}, watched button moved ${result.moved.toFixed(1)} px, vote INP p75 ${result.inpP75.toFixed(0)} ms`);
      }
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  console.log(`\nResults (${SECONDS} s of activity per run):`);
  table([["profile", "events/s", "CLS (session window)", "shift sum", "watched button moved", "vote INP p75", "events (failed)"], ...results.map((r) => [r.profile, r.rate, r.cls.toFixed(4), r.total.toFixed(4), `${r.moved.toFixed(1)} px`, `${r.inpP75.toFixed(0)} ms`, `${r.events} (${r.failed})`])]);
  console.log(`\nCLS ≤ 0.05 in every run: ${verdict(results.every((r) => r.cls <= 0.05))}`);
  console.log(`watched button moved ≤ 2 px in every run: ${verdict(results.every((r) => r.moved <= 2))}`);
  console.log(`vote INP ≤ 100 ms p75 in every run: ${verdict(results.every((r) => r.inpP75 <= 100))}`);
  console.log(`every event accepted (complete): ${verdict(results.every((r) => r.failed === 0))}`);
});
