/**
 * Reflow, zoom, motion and colour (issue 16, WCAG 1.4.10, 1.4.4, 2.3.3, 1.4.1): the debate page at
 * 320 CSS px wide (which is also 1280 px at 400 % zoom) and at 200 % zoom of a 1280 px window
 * scrolls only vertically, with its argument columns, composer and source fields open; with
 * prefers-reduced-motion nothing animates; pro and con, and the votes, are told apart by text,
 * not colour alone. axe runs on the narrow page too.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { seedArticle } from "../support/article";
import { facilitatorHeaders } from "../support/e2e-accounts";
import { expectAccessible, publishInBrowser } from "../support/e2e-pages";

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** How far the page scrolls sideways, in CSS px (0 when nothing sticks out); the elements sticking out are named in the failure. */
async function sidewaysOverflow(page: Page) {
  const { overflow, offenders } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const offenders = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className.toString()} (right ${Math.round(el.getBoundingClientRect().right)})`);
    return { overflow: document.documentElement.scrollWidth - width, offenders };
  });
  return overflow ? `${overflow} px: ${offenders.join("; ")}` : 0;
}

async function debateWithThread(request: import("@playwright/test").APIRequestContext) {
  const created = await (await request.post("/api/debates", { headers: await facilitatorHeaders(request), data: { sourceText: seedArticle, publish: true } })).json();
  const ben = await (await request.post(`/api/debates/${created.id as string}/participants`, { data: { displayName: "Benedikt-Maximilian" } })).json();
  const body = { root: { type: "root", children: [{ type: "paragraph", children: [{ type: "text", text: "A long unbroken word: Rechtsschutzversicherungsgesellschaften https://example.org/a/very/long/path/that/should/wrap/somewhere/nicely" }] }] } };
  const posted = await request.post(`/api/debates/${created.id as string}/arguments`, {
    headers: { Authorization: `Bearer ${ben.token as string}` },
    data: { propositionId: created.propositions[0].id, stance: "con", body, sources: [{ url: "https://www.uscc.gov/annual-report/with/a/long/path/that/goes/on", title: "USCC Annual Report" }] },
  });
  expect(posted.status()).toBe(201);
  return created as { id: string; url: string };
}

async function joinAt(browser: Browser, url: string, options: Parameters<Browser["newContext"]>[0], name = "Ada"): Promise<Page> {
  const page = await (await browser.newContext(options)).newPage();
  await page.goto(url);
  await page.getByLabel("Pick a display name to take part").fill(name);
  await page.getByRole("button", { name: "Join the debate" }).click();
  await expect(page.getByText(`You are ${name}.`)).toBeVisible();
  await expect(page.getByTestId("connection-status")).toHaveText("Live");
  return page;
}

/** Opens the first proposition's composer with one source's fields and a reply composer. */
async function openEverything(page: Page) {
  const first = page.locator(".proposition").first();
  await first.getByText("Add an argument").click();
  const composer = first.getByRole("form", { name: "New argument on proposition 1" });
  await composer.getByRole("button", { name: "+ Add a source" }).click();
  await expect(composer.getByLabel("URL")).toBeVisible();
  await first.locator(".column-con .argument").first().getByRole("button", { name: "Reply" }).click();
  await expect(first.getByRole("textbox", { name: /Reply to/ })).toBeVisible();
}

test("the debate page at 320 px wide scrolls only vertically and passes axe", async ({ browser, request, baseURL }) => {
  const debate = await debateWithThread(request);
  const page = await joinAt(browser, `${baseURL}${debate.url}`, { viewport: { width: 320, height: 640 } }, "Maximilianwolfgangamadeusbartholomaeus40");
  expect(await sidewaysOverflow(page)).toBe(0);
  await openEverything(page);
  expect(await sidewaysOverflow(page)).toBe(0);
  // The controls stay inside the screen, and the vote buttons are big enough to tap (WCAG 2.5.8: 24 px).
  for (const name of [/^Agree/, /^Disagree/, /^Unsure/]) {
    const box = (await page.locator(".proposition").first().getByRole("button", { name }).boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(320);
    expect(box.height).toBeGreaterThanOrEqual(24);
  }
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  await page.screenshot({ path: "test-results/debate-320px.png", fullPage: false });
  await page.context().close();
});

test("at 200 % zoom (a 1280 px window) the debate page scrolls only vertically; the home page too", async ({ browser, request, baseURL }) => {
  const debate = await debateWithThread(request);
  // 200 % zoom of a 1280 × 800 window: 640 × 400 CSS px at a device scale factor of 2.
  const page = await joinAt(browser, `${baseURL}${debate.url}`, { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
  await openEverything(page);
  expect(await sidewaysOverflow(page)).toBe(0);
  // The home page lists public debates: a title of one long word wraps too.
  const longTitle = await request.post("/api/debates", {
    headers: await facilitatorHeaders(request),
    data: { title: "Rechtsschutzversicherungsgesellschaften-und-Donaudampfschifffahrtselektrizitaetenhauptbetriebswerkbauunterbeamtengesellschaft", sourceText: seedArticle, publish: true, visibility: "public" },
  });
  expect(longTitle.status()).toBe(201);
  await page.goto("/");
  await expect(page.getByText("Donaudampfschifffahrt", { exact: false }).first()).toBeVisible();
  expect(await sidewaysOverflow(page)).toBe(0);
  await page.context().close();
});

test("with reduced motion nothing animates; pro, con and votes are said in words, not only colour", async ({ browser, request, baseURL }) => {
  const debate = await debateWithThread(request);
  const page = await joinAt(browser, `${baseURL}${debate.url}`, { reducedMotion: "reduce" });
  const first = page.locator(".proposition").first();
  // Nothing on the page has a running transition or animation.
  const moving = await page.evaluate(() =>
    [...document.querySelectorAll("*")]
      .filter((el) => {
        const style = getComputedStyle(el);
        const seconds = (value: string) => Math.max(...value.split(",").map((v) => parseFloat(v) || 0));
        return seconds(style.transitionDuration) > 0.01 || (style.animationName !== "none" && seconds(style.animationDuration) > 0.01);
      })
      .map((el) => el.className.toString()),
  );
  expect(moving).toEqual([]);
  // Scrolling to an anchor jumps rather than glides.
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior)).not.toBe("smooth");

  // Colour is never the only signal: the stance is a word on each argument and each column has a heading.
  const con = first.locator(".column-con .argument").first();
  await expect(con.locator(".stance-badge")).toHaveText("Con");
  await expect(con).toHaveAccessibleName("Con argument by Benedikt-Maximilian");
  await expect(first.getByRole("heading", { name: /^For/ })).toBeVisible();
  await expect(first.getByRole("heading", { name: /^Against/ })).toBeVisible();
  // The pressed vote is a state, not a colour, and the tally bar has a text equivalent.
  await first.getByRole("button", { name: /^Agree/ }).click();
  await expect(first.getByRole("button", { name: /^Agree/ })).toHaveAttribute("aria-pressed", "true");
  await expect(first.locator(".vote-bar .visually-hidden")).toHaveText("1 agree, 0 disagree, 0 unsure");
  // The pressed vote is marked by a shape as well (a check mark), visible without colour.
  const mark = await first.getByRole("button", { name: /^Agree/ }).evaluate((el) => getComputedStyle(el, "::before").content);
  expect(mark).toContain("✓");
  await page.context().close();
});

test("the settings page at 320 px in German and French, a debater's controls open, scrolls only vertically and passes axe", async ({ browser, request, baseURL }) => {
  const { facilitator: page, debatePath } = await publishInBrowser(browser, "Fran Facilitator", seedArticle);
  const debateId = debatePath.split("/").pop()!;
  expect((await request.post(`/api/debates/${debateId}/participants`, { data: { displayName: "Benedikt-Maximilian" } })).status()).toBe(201);
  await page.setViewportSize({ width: 320, height: 640 });
  for (const language of ["de", "fr"]) {
    await page.context().addCookies([{ name: "lang", value: language, url: baseURL! }]);
    await page.goto(`${debatePath}/settings`);
    await expect(page.locator("html")).toHaveAttribute("lang", language);
    const row = page.locator("tr", { hasText: "Benedikt-Maximilian" });
    await row.locator("summary").first().click();
    await row.locator("summary").last().click();
    expect(await sidewaysOverflow(page), language).toBe(0);
    await expectAccessible(page);
    await page.screenshot({ path: `test-results/settings-320px-${language}.png`, fullPage: true });
  }
  await page.context().close();
});
