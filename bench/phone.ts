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
 * Options (env): PHONE_RUNS (3); BENCH_SMOKE=1 (bench:smoke) runs once.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { chromium, devices, type Browser } from "@playwright/test";
import { requireChromium } from "../tests/support/chromium";
import { seedArticle } from "../tests/support/article";
import { participantCookieName } from "../app/shared/contract";
import { api, facilitatorToken, type CreatedDebate, type Joined } from "./lib/api";
import { createBenchDatabase } from "./lib/db";
import { runBenchmark } from "./lib/lifecycle";
import { header, median, ms, nowMs, projectRoot, sleep, table, verdict, waitUntil } from "./lib/report";
import { startSteelman } from "./lib/server-process";

const RUNS = process.env.BENCH_SMOKE ? 1 : Number(process.env.PHONE_RUNS ?? 3);
const PORT = 3551;
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
/** The slow-phone link: bytes per second and round-trip latency (ms). */
const LINK = { downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (750e3 / 8) | 0, latency: 150 };
const CPU_SLOWDOWN = 4;
const TIMEOUT_MS = 60_000;

/** A fresh phone: context with the participant's cookie, throttled network and CPU; records bytes by resource type. */
async function phone(browser: Browser, debateId: string, token: string) {
  const context = await browser.newContext({ ...devices["Pixel 5"] });
  await context.addCookies([{ name: participantCookieName(debateId), value: token, domain: "127.0.0.1", path: "/", httpOnly: true, sameSite: "Lax" }]);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", { offline: false, ...LINK });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
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

  const browser = await chromium.launch({ executablePath: requireChromium().executablePath, args: CHROMIUM_ARGS });
  const looks: Awaited<ReturnType<typeof look>>[] = [];
  const taps: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      // A new student per load: nothing cached, no earlier vote.
      const viewer = await api<Joined>(server.url, `/api/debates/${debate.id}/participants`, { body: { displayName: `Phone ${i + 1}` } });
      looks.push(await look(browser, url, debate.id, viewer.token));
      const voter = await api<Joined>(server.url, `/api/debates/${debate.id}/participants`, { body: { displayName: `Tapper ${i + 1}` } });
      taps.push(await tap(browser, server.url, url, debate, voter.token, 0));
    }
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
});
