/**
 * Taking a browser context off the network and back, as a participant's connection would go.
 *
 * `context.setOffline` emulates it, and Chromium tells the pages through `navigator.onLine` and
 * the window's `offline` / `online` events. But Chromium takes the baseline from the machine's
 * network interfaces: where there is only loopback (a container without a network, or the
 * `unshare -n` namespace in which the README proves `npm test`), pages see
 * `navigator.onLine === false` from the start, and setOffline changes nothing a page can see.
 * There, and only there, this helper makes `navigator.onLine` follow the emulated state (in open
 * pages and, through an init script, in pages opened later) and fires the event, so the page sees
 * what it sees on a machine with a network. Requests are blocked or let through by setOffline
 * itself either way.
 */
import type { BrowserContext, Page } from "@playwright/test";

/** Whether Chromium's own view of the network is wrong in this context (decided once per context). */
const baselineWrong = new WeakMap<BrowserContext, boolean>();

async function browserSaysOnline(page: Page): Promise<boolean> {
  return page.evaluate(() => navigator.onLine);
}

/** Whether pages in `context` report offline while nothing is emulated (loopback-only machine). */
async function needsOverride(context: BrowserContext): Promise<boolean> {
  const known = baselineWrong.get(context);
  if (known !== undefined) return known;
  const open = context.pages()[0];
  const page = open ?? (await context.newPage());
  try {
    // Asked before any emulation: a machine with a network says true.
    const wrong = !(await browserSaysOnline(page));
    baselineWrong.set(context, wrong);
    return wrong;
  } finally {
    if (!open) await page.close();
  }
}

/**
 * Emulates the network going away (`offline` true) or coming back for every page of `context`,
 * and makes sure the pages see it (`navigator.onLine`, the window's offline/online event).
 * Call it for the first time while the context is still online.
 */
export async function setContextOffline(context: BrowserContext, offline: boolean): Promise<void> {
  const override = await needsOverride(context);
  await context.setOffline(offline);
  if (!override) return;
  const online = !offline;
  // Init scripts run in the order added, so the latest state wins in pages opened from now on.
  await context.addInitScript((value: boolean) => {
    Object.defineProperty(navigator, "onLine", { configurable: true, get: () => value });
  }, online);
  for (const page of context.pages()) {
    await page.evaluate((value: boolean) => {
      Object.defineProperty(navigator, "onLine", { configurable: true, get: () => value });
      window.dispatchEvent(new Event(value ? "online" : "offline"));
    }, online);
  }
}
