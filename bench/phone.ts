/**
 * bench:phone — the debate page on a student's phone (issue 21).
 *
 * Profile: Chromium as a Pixel 5 (Playwright's device: viewport, touch, user agent), on a slow link
 * (CDP Network.emulateNetworkConditions: 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency) with a CPU
 * four times slower than this machine (Emulation.setCPUThrottlingRate 4). Every load is cold: a fresh
 * browser context (empty cache), a participant joined through the API beforehand (its cookie).
 * Server: `startSteelman` with the built app (run `npm run build` first; `npm run bench:phone` does).
 *
 * Per run, two loads of the seed debate (the shared fixture ai-race-hot-take):
 *  - "look": bytes on the wire (CDP encodedDataLength) of the HTML, the JavaScript and everything;
 *    time to the first proposition (its Agree button in the DOM) and time to live (the connection
 *    status reads "Live": hydrated and socket connected), both from navigation start (performance.now()).
 *  - "tap": Agree is tapped the moment it shows; time to a vote that counts = from the start of the
 *    navigation until the API's tally shows it (polled every 50 ms from this process; wall clock).
 * Goals (issue 21): a vote that counts within 1.5 s, live within 3 s, under 170 KB of JavaScript.
 *
 * Then "a class on one link": PHONE_CROWD students (30) open the page at the same moment and tap
 * Agree as soon as it shows. Chromium cannot put several contexts on one shared link, so each
 * phone gets an equal share of a 20 Mbit/s classroom link (20/N Mbit/s down, 150 ms latency),
 * which is what the link gives them while all load at once; no CPU slowdown (30 renderers already
 * share this machine's cores). Reported: each student's time to the first proposition and to live
 * (median, max), the bytes all moved together, and the time until the API's tally has every tap.
 * A phone whose page paints nothing for STALL_MS after its first proposition is in the DOM (a stall
 * of Chromium's emulated link, seen now and then) reloads once, as a student would; the report counts them.
 * Options (env): PHONE_RUNS (3), PHONE_CROWD (30); BENCH_SMOKE=1 (bench:smoke) runs once, a crowd of 5.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { devices, type Browser, type Page } from "@playwright/test";
import { launchBenchChromium } from "./lib/browser";
import { seedArticle } from "../tests/support/article";
import { participantCookieName } from "../app/shared/contract";
import { api, facilitatorToken, type CreatedDebate, type Joined } from "./lib/api";
import { createBenchDatabase } from "./lib/db";
import { runBenchmark } from "./lib/lifecycle";
import { header, median, ms, nowMs, projectRoot, sleep, table, verdict, waitUntil } from "./lib/report";
import { startSteelman } from "./lib/server-process";

const RUNS = process.env.BENCH_SMOKE ? 1 : Number(process.env.PHONE_RUNS ?? 3);
const CROWD = Number(process.env.PHONE_CROWD ?? (process.env.BENCH_SMOKE ? 5 : 30));
/** The classroom's shared link (bits per second) for the crowd trial. */
const CLASSROOM_LINK_BPS = 20e6;
const PORT = 3551;
/** The slow-phone link: bytes per second and round-trip latency (ms). */
const LINK = { downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (750e3 / 8) | 0, latency: 150 };
const CPU_SLOWDOWN = 4;
const TIMEOUT_MS = 60_000;

/** A fresh phone: context with the participant's cookie, throttled network and CPU; records bytes by resource type. */
async function phone(browser: Browser, debateId: string, token: string, link: { downloadThroughput: number; uploadThroughput: number; latency: number } = LINK, cpuSlowdown = CPU_SLOWDOWN) {
  const context = await browser.newContext({ ...devices["Pixel 5"] });
  await context.addCookies([{ name: participantCookieName(debateId), value: token, domain: "127.0.0.1", path: "/", httpOnly: true, sameSite: "Lax" }]);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, ...link });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpuSlowdown });
  const types = new Map<string, string>();
  const bytes = { html: 0, js: 0, total: 0 };
  cdp.on("Network.responseReceived", (event: { requestId: string; type: string }) => types.set(event.requestId, event.type));
  cdp.on("Network.loadingFinished", (event: { requestId: string; encodedDataLength: number }) => {
    const type = types.get(event.requestId);
    bytes.total += event.encodedDataLength;
    if (type === "Document") bytes.html += event.encodedDataLength;
    if (type === "Script") bytes.js += event.encodedDataLength;
  });
  /**
   * Closes the phone: the CDP session first, then the page, then the context. Closing the context
   * with the throttling session still attached hung Playwright 1.64 now and then (the tap load, 4 of
   * 10 runs here, until the benchmark's time limit); each step is also bounded by CLOSE_TIMEOUT_MS.
   */
  const close = async () => {
    await bounded(cdp.detach(), "detaching the CDP session");
    await bounded(page.close(), "closing the page");
    await bounded(context.close(), "closing the browser context");
  };
  return { page, bytes, close };
}

const CLOSE_TIMEOUT_MS = 10_000;

/** Waits for `step` at most CLOSE_TIMEOUT_MS; a step that takes longer is reported and left behind (browser.close() ends it). */
async function bounded(step: Promise<unknown>, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error(`bench:phone: ${what} took over ${CLOSE_TIMEOUT_MS / 1000} s; going on`);
      resolve();
    }, CLOSE_TIMEOUT_MS);
  });
  await Promise.race([step.catch(() => undefined), late]);
  clearTimeout(timer);
}

/** The "look" load: bytes, first proposition, live. */
async function look(browser: Browser, url: string, debateId: string, token: string) {
  const { page, bytes, close } = await phone(browser, debateId, token);
  try {
    await page.goto(url, { waitUntil: "commit", timeout: TIMEOUT_MS });
    const firstProposition = (await (await page.waitForFunction(() => (document.querySelector(".proposition .vote-agree") ? performance.now() : false), null, { polling: "raf", timeout: TIMEOUT_MS })).jsonValue()) as number;
    const live = (await (
      await page.waitForFunction(() => (document.querySelector('[data-testid="connection-status"]')?.getAttribute("data-status") === "live" ? performance.now() : false), null, { polling: "raf", timeout: TIMEOUT_MS })
    ).jsonValue()) as number;
    await page.waitForLoadState("networkidle", { timeout: TIMEOUT_MS }).catch(() => undefined);
    return { firstProposition, live, bytes: { ...bytes } };
  } finally {
    await close();
  }
}

/** The "tap" load: Agree tapped as soon as it shows; ms from navigation start until the API counts it. */
async function tap(browser: Browser, base: string, url: string, debate: CreatedDebate, token: string, propositionIndex: number) {
  const { page, close } = await phone(browser, debate.id, token);
  const propositionId = debate.propositions[propositionIndex]!.id;
  const agreeBefore = await agreeCount(base, debate.id, propositionId);
  try {
    const started = nowMs();
    await page.goto(url, { waitUntil: "commit", timeout: TIMEOUT_MS });
    await page.locator(`#prop-${propositionId} .vote-agree`).tap({ timeout: TIMEOUT_MS });
    const counted = await waitUntil(async () => (await agreeCount(base, debate.id, propositionId)) > agreeBefore, TIMEOUT_MS, 50);
    const elapsed = nowMs() - started;
    await sleep(200);
    return counted ? elapsed : Infinity;
  } finally {
    await close();
  }
}

/**
 * The class on one link: `students` phones load the page at once, each on its share of the
 * classroom link, and tap Agree on the second proposition as soon as it shows.
 * @returns per student: ms from the common start to their first proposition (its Agree button in the
 *          DOM) and to live; bytes of all; ms from the common start until the API counts every tap
 *          (measured after the last student is live; Infinity if not within TIMEOUT_MS).
 */
async function crowd(browser: Browser, base: string, url: string, debate: CreatedDebate, students: number) {
  const propositionId = debate.propositions[1]!.id;
  const share = (CLASSROOM_LINK_BPS / students / 8) | 0;
  const link = { downloadThroughput: share, uploadThroughput: share, latency: LINK.latency };
  const joined: Joined[] = [];
  for (let i = 0; i < students; i++) joined.push(await api<Joined>(base, `/api/debates/${debate.id}/participants`, { body: { displayName: `Student ${i + 1}` } }));
  const phones = await Promise.all(joined.map((student) => phone(browser, debate.id, student.token, link, 1)));
  const agreeBefore = await agreeCount(base, debate.id, propositionId);
  const started = nowMs();
  try {
    const loads = await Promise.all(
      phones.map(async ({ page }) => {
        await page.goto(url, { waitUntil: "commit", timeout: TIMEOUT_MS });
        const agree = page.locator(`#prop-${propositionId} .vote-agree`);
        await agree.waitFor({ timeout: TIMEOUT_MS });
        const firstProposition = nowMs() - started;
        // A tap before hydration posts the form and reloads the page; the locators below wait across that.
        let reloaded: string | undefined;
        try {
          await agree.tap({ timeout: STALL_MS });
        } catch {
          // Seen here 3 times in about 20 runs, never twice in a row: a page whose document is still
          // "loading" with no stylesheet and no resource finished after STALL_MS, so Chromium paints
          // nothing and the tap waits forever. A student would pull to refresh; so does this phone,
          // once, and the report says so with what the page showed.
          reloaded = await describeStall(page, propositionId);
          await page.reload({ waitUntil: "commit", timeout: TIMEOUT_MS });
          await agree.tap({ timeout: TIMEOUT_MS });
        }
        await page.locator('[data-testid="connection-status"][data-status="live"]').waitFor({ timeout: TIMEOUT_MS });
        return { firstProposition, live: nowMs() - started, reloaded };
      }),
    );
    const counted = await waitUntil(async () => (await agreeCount(base, debate.id, propositionId)) >= agreeBefore + students, TIMEOUT_MS, 100);
    const allCounted = counted ? nowMs() - started : Infinity;
    const bytes = phones.reduce((sum, p) => sum + p.bytes.total, 0);
    return { loads, bytes, allCounted };
  } finally {
    await Promise.all(phones.map((p) => p.close()));
  }
}

/** How long a crowd phone's tap waits before the page counts as stalled and is reloaded once (ms). */
const STALL_MS = 20_000;

/** One line on a stalled page: document state, stylesheets loaded of linked, resources finished, connection status. */
async function describeStall(page: Page, propositionId: string): Promise<string> {
  return page
    .evaluate((id) => {
      const links = [...document.querySelectorAll<HTMLLinkElement>("link[rel=stylesheet]")];
      const button = document.querySelector(`#prop-${id} .vote-agree`);
      return [
        `document ${document.readyState}`,
        `stylesheets loaded ${links.filter((l) => l.sheet).length} of ${links.length}`,
        `resources finished ${performance.getEntriesByType("resource").length}`,
        `Agree button ${button ? `at y=${Math.round(button.getBoundingClientRect().top)}` : "gone"}`,
        `connection ${document.querySelector('[data-testid="connection-status"]')?.getAttribute("data-status") ?? "no status"}`,
        `${Math.round(performance.now())} ms after navigation`,
      ].join(", ");
    }, propositionId)
    .catch((error: unknown) => `could not be read (${String(error).split("\n")[0]})`);
}

async function agreeCount(base: string, debateId: string, propositionId: string): Promise<number> {
  const debate = await api<{ propositions: { id: string; tally: { agree: number } }[] }>(base, `/api/debates/${debateId}`);
  return debate.propositions.find((p) => p.id === propositionId)?.tally.agree ?? 0;
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

runBenchmark("bench:phone", 6 * 60_000, async () => {
  header("bench:phone", `The debate page on a Pixel 5 over 1.6 Mbit/s with 150 ms latency and a CPU ${CPU_SLOWDOWN}× slower, cold: bytes, time to the first proposition, to a vote that counts, to live (${RUNS} run${RUNS === 1 ? "" : "s"}).`);
  const buildEntry = path.join(projectRoot, "build", "server", "index.js");
  if (!existsSync(buildEntry)) throw new Error("build/ is missing: run `npm run build` first (npm run bench:phone does).");
  console.log(`app build: ${path.relative(projectRoot, buildEntry)} of ${new Date(statSync(buildEntry).mtimeMs).toISOString()}`);
  const database = await createBenchDatabase("phone");
  const server = await startSteelman(database.url, PORT, { serveApp: true });
  console.log(`steelman server: ${server.command}  (database ${database.name}, PostgreSQL ${database.version})`);
  const debate = await api<CreatedDebate>(server.url, "/api/debates", { body: { sourceText: seedArticle, publish: true }, token: await facilitatorToken(server.url) });
  const url = `${server.url.replace("localhost", "127.0.0.1")}/debates/${debate.id}`;

  const browser = await launchBenchChromium();
  const looks: Awaited<ReturnType<typeof look>>[] = [];
  const taps: number[] = [];
  let classroom: Awaited<ReturnType<typeof crowd>> | undefined;
  try {
    for (let i = 0; i < RUNS; i++) {
      // A new student per load: nothing cached, no earlier vote.
      const viewer = await api<Joined>(server.url, `/api/debates/${debate.id}/participants`, { body: { displayName: `Phone ${i + 1}` } });
      looks.push(await look(browser, url, debate.id, viewer.token));
      const voter = await api<Joined>(server.url, `/api/debates/${debate.id}/participants`, { body: { displayName: `Tapper ${i + 1}` } });
      taps.push(await tap(browser, server.url, url, debate, voter.token, 0));
    }
    if (CROWD > 0) classroom = await crowd(browser, server.url, url, debate, CROWD);
  } finally {
    await browser.close();
    await server.stop();
  }

  console.log(`\nResults (per cold load; ms from navigation start):`);
  table([
    ["run", "HTML", "JavaScript", "everything", "first proposition", "live", "vote counted"],
    ...looks.map((l, i) => [String(i + 1), kb(l.bytes.html), kb(l.bytes.js), kb(l.bytes.total), ms(l.firstProposition), ms(l.live), ms(taps[i]!)]),
  ]);
  const js = median(looks.map((l) => l.bytes.js));
  const live = median(looks.map((l) => l.live));
  const vote = median(taps);
  console.log(`\nmedian: JavaScript ${kb(js)}, everything ${kb(median(looks.map((l) => l.bytes.total)))}, first proposition ${ms(median(looks.map((l) => l.firstProposition)))}, live ${ms(live)}, vote counted ${ms(vote)}`);
  console.log(`JavaScript on the wire ≤ 170 KB: ${verdict(js <= 170_000)}`);
  console.log(`a vote that counts within 1.5 s: ${verdict(vote <= 1500)}`);
  console.log(`live within 3 s: ${verdict(live <= 3000)}`);
  console.log(`every tap counted (complete): ${verdict(taps.every(Number.isFinite))}`);

  if (classroom) {
    const firsts = classroom.loads.map((l) => l.firstProposition);
    const lives = classroom.loads.map((l) => l.live);
    console.log(`\nA class on one link: ${CROWD} students open the page at once, each on 1/${CROWD} of a ${CLASSROOM_LINK_BPS / 1e6} Mbit/s link (${((CLASSROOM_LINK_BPS / CROWD) / 1e6).toFixed(2)} Mbit/s, 150 ms), no CPU slowdown, and tap Agree as soon as it shows:`);
    table([
      ["", "median", "max"],
      ["first proposition", ms(median(firsts)), ms(Math.max(...firsts))],
      ["live", ms(median(lives)), ms(Math.max(...lives))],
    ]);
    console.log(`all ${CROWD} students moved ${(classroom.bytes / 1e6).toFixed(2)} MB through the link (${kb(classroom.bytes / CROWD)} each); every tap counted ${Number.isFinite(classroom.allCounted) ? `${ms(classroom.allCounted)} after they all started` : "NOT within the time limit"}`);
    const stalls = classroom.loads.filter((l) => l.reloaded);
    console.log(`phones reloaded after a stalled load (no paint within ${STALL_MS / 1000} s of the first proposition): ${stalls.length} of ${CROWD}${stalls.map((l) => `\n  ${l.reloaded}`).join("")}`);
    console.log(`every tap of the class counted (complete): ${verdict(Number.isFinite(classroom.allCounted))}`);
  }
});
