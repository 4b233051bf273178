import { chromium } from "@playwright/test";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const context = await browser.newContext();
const page = await context.newPage();
await page.setContent("<p>x</p>");
await page.evaluate(() => { window.events = []; addEventListener("online", () => events.push("online")); addEventListener("offline", () => events.push("offline")); });
const cdp = await context.newCDPSession(page);
const state = async (label) => console.log(label, await page.evaluate(() => [navigator.onLine, navigator.connection?.type, events.join(",")]));
await state("start:");
for (const method of ["Network.overrideNetworkState", "Network.emulateNetworkConditions"]) {
  try { await cdp.send(method, { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1, connectionType: "ethernet" }); await state(`after ${method} ethernet:`); } catch (e) { console.log(method, "failed", e.message); }
}
await context.setOffline(true);
await state("after setOffline(true):");
await context.setOffline(false);
await state("after setOffline(false):");
const p2 = await context.newPage();
await p2.setContent("<p>y</p>");
console.log("new page in same context:", await p2.evaluate(() => navigator.onLine));
await browser.close();
