/**
 * What the debate concluded (issue 11) in real Chromium: a class of six votes
 * (through the API); a student's results page shows the tallies, the opinion
 * groups and "you are here"; a second browser's results page updates live when
 * another vote arrives; the facilitator marks a proposition as meta and the
 * groups are recomputed; projector mode renders (whole board and one
 * proposition). axe-core checks the results page and projector mode. An
 * imported Polis conversation (bg2050-volunteers; CC BY 4.0, The Computational
 * Democracy Project) gives the opinion-map screenshot.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { participantCookieName } from "../../app/shared/contract";
import { seedArticle } from "../support/article";
import { facilitatorHeaders } from "../support/e2e-accounts";

/** docs/screenshots/ with UPDATE_SCREENSHOTS=1 (to refresh the documented ones), else test-results/ so a test run leaves the tree clean. */
const SCREENSHOTS = path.resolve(import.meta.dirname, process.env.UPDATE_SCREENSHOTS ? "../../docs/screenshots" : "../../test-results");
const FIXTURES = path.resolve(import.meta.dirname, "../../../shared/fixtures/polis");

async function axe(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** A browser context acting as the participant holding `token` in `debateId` (their cookie). */
async function as(browser: Browser, baseURL: string, debateId: string, token?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (token) await context.addCookies([{ name: participantCookieName(debateId), value: token, url: baseURL }]);
  return context.newPage();
}

async function vote(request: APIRequestContext, debateId: string, token: string, propositionId: string, value: string) {
  const res = await request.put(`/api/debates/${debateId}/propositions/${propositionId}/vote`, { headers: { Authorization: `Bearer ${token}` }, data: { value } });
  expect(res.status(), await res.text()).toBe(200);
}

test("a class of six votes; results, opinion groups and the map update live; meta recomputes; projector mode", async ({ browser, request, baseURL }) => {
  test.setTimeout(120_000);
  const created = await request.post("/api/debates", { headers: await facilitatorHeaders(request), data: { sourceText: seedArticle, publish: true, title: "Should schools ban phones?" } });
  expect(created.status()).toBe(201);
  const debate = (await created.json()) as { id: string; hostToken: string; propositions: { id: string; text: string }[] };
  const props = debate.propositions.slice(0, 4);
  const students: { name: string; token: string }[] = [];
  for (const name of ["Ada", "Ben", "Cy", "Dee", "Eve", "Fay"]) {
    const joined = await request.post(`/api/debates/${debate.id}/participants`, { data: { displayName: name } });
    expect(joined.status()).toBe(201);
    students.push({ name, token: ((await joined.json()) as { token: string }).token });
  }
  // Two camps of three; the fourth proposition splits them the other way.
  for (const [i, s] of students.entries()) {
    for (const [j, p] of props.entries()) await vote(request, debate.id, s.token, p.id, j === 3 ? (i % 2 ? "disagree" : "agree") : i < 3 ? "agree" : "disagree");
  }

  // Ada's results page: tallies, two groups of three, and where she stands.
  const ada = await as(browser, baseURL!, debate.id, students[0]!.token);
  await ada.goto(`/debates/${debate.id}`);
  await ada.getByTestId("results-link").click();
  await expect(ada).toHaveURL(`/debates/${debate.id}/results`);
  await expect(ada.getByRole("heading", { level: 1 })).toHaveText("Results: Should schools ban phones?");
  await expect(ada.getByText("Live", { exact: true })).toBeVisible();
  await expect(ada.getByTestId("group-card")).toHaveCount(2, { timeout: 30_000 });
  await expect(ada.getByTestId("group-card").first()).toContainText("3 people");
  await expect(ada.getByTestId("you-are-here")).toBeVisible();
  await expect(ada.getByText(/You are in Group [AB]\./)).toBeVisible();
  const firstTable = ada.getByRole("table", { name: "Votes on proposition 1", exact: true });
  await expect(firstTable.getByRole("row", { name: /Agree/ })).toContainText("3");
  await expect(ada.getByTestId("bridging-fallback")).toContainText("Too few ratings to tell who convinces across the divide");
  await axe(ada);
  await ada.screenshot({ path: path.join(SCREENSHOTS, "results-page.png") });

  // A second browser (anyone with the link) keeps the page open; a seventh person votes: it updates without a reload.
  const watcher = await as(browser, baseURL!, debate.id);
  await watcher.goto(`/debates/${debate.id}/results?sort=division`);
  await expect(watcher.getByText("Live", { exact: true })).toBeVisible();
  await expect(watcher.locator(".results-summary")).toContainText("6 people took part");
  const gus = await request.post(`/api/debates/${debate.id}/participants`, { data: { displayName: "Gus" } });
  const gusToken = ((await gus.json()) as { token: string }).token;
  for (const p of props) await vote(request, debate.id, gusToken, p.id, "agree");
  await expect(watcher.locator(".results-summary")).toContainText("7 people took part");
  await expect(watcher.getByRole("table", { name: "Votes on proposition 1", exact: true }).getByRole("row", { name: /Agree/ })).toContainText("4");
  // The groups follow: 7 participants in them.
  await expect(watcher.getByTestId("opinion-groups")).toContainText("7 participants grouped", { timeout: 30_000 });

  // The host marks proposition 1 as meta: it is tagged and the groups are recomputed.
  const host = await as(browser, baseURL!, debate.id, debate.hostToken);
  await host.goto(`/debates/${debate.id}/results`);
  await expect(host.getByTestId("group-card")).toHaveCount(2, { timeout: 30_000 });
  const computedBefore = await host.locator(".opinion-groups time").getAttribute("datetime");
  const card = host.getByTestId("result-card").first();
  await card.getByRole("button", { name: "Mark as meta (about the participants)" }).click();
  await expect(card.getByText("meta: not in the groups")).toBeVisible();
  await expect(async () => {
    await host.reload();
    expect(await host.locator(".opinion-groups time").getAttribute("datetime")).not.toBe(computedBefore);
  }).toPass({ timeout: 30_000 });
  await expect(host.getByTestId("opinion-groups")).not.toContainText(`1. ${props[0]!.text}`);

  // Projector mode: no site header, no controls, large type; then one proposition.
  await watcher.goto(`/debates/${debate.id}/results?view=projector`);
  await expect(watcher.getByTestId("projector")).toBeVisible();
  await expect(watcher.locator(".site-header")).toBeHidden();
  await expect(watcher.getByTestId("projector").getByRole("link")).toHaveCount(0);
  await expect(watcher.getByTestId("projector").getByRole("button")).toHaveCount(0);
  await axe(watcher);
  await watcher.screenshot({ path: path.join(SCREENSHOTS, "projector-board.png") });
  await watcher.keyboard.press("ArrowRight");
  await expect(watcher).toHaveURL(/p=1/);
  await expect(watcher.getByText("proposition 1 of")).toBeVisible();
  await axe(watcher);
  await watcher.screenshot({ path: path.join(SCREENSHOTS, "projector-mode.png") });
});

test("an imported Polis conversation: results and the opinion map", async ({ browser, request, baseURL }) => {
  test.setTimeout(120_000);
  const read = (f: string) => readFileSync(path.join(FIXTURES, "bg2050-volunteers", f), "utf8");
  const imported = await request.post("/api/imports", {
    headers: await facilitatorHeaders(request),
    data: { format: "polis", title: "BG2050 volunteers (Polis import)", files: { "comments.csv": read("comments.csv"), "votes.csv": read("votes.csv"), "participants-votes.csv": read("participants-votes.csv") } },
  });
  expect(imported.status(), await imported.text()).toBe(201);
  const { id } = (await imported.json()) as { id: string };
  const page = await as(browser, baseURL!, id);
  await page.goto(`/debates/${id}/results`);
  await expect(page.getByTestId("group-card")).toHaveCount(2, { timeout: 60_000 });
  await expect(page.getByTestId("opinion-map")).toBeVisible();
  await page.locator(".opinion-groups").screenshot({ path: path.join(SCREENSHOTS, "opinion-map.png") });

  // In the dark theme the map is dark too, and each group's marks keep 3:1 against it (WCAG 1.4.11).
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    const colours = await page.getByTestId("opinion-map").evaluate((svg) => {
      const rgb = (value: string) => value.match(/\d+(\.\d+)?/g)!.slice(0, 3).map(Number);
      const background = rgb(getComputedStyle(svg.querySelector(".map-background")!).fill);
      const legend = [...svg.closest("figure")!.querySelectorAll(".map-legend svg > *")].map((mark) => rgb(getComputedStyle(mark).fill));
      return { background, legend };
    });
    const luminance = ([r, g, b]: number[]) => {
      const [lr, lg, lb] = [r!, g!, b!].map((c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * lr! + 0.7152 * lg! + 0.0722 * lb!;
    };
    const contrast = (a: number[], b: number[]) => (Math.max(luminance(a), luminance(b)) + 0.05) / (Math.min(luminance(a), luminance(b)) + 0.05);
    expect(luminance(colours.background), `${colorScheme} map background ${colours.background}`).toBeGreaterThan(colorScheme === "light" ? 0.9 : -1);
    if (colorScheme === "dark") expect(luminance(colours.background), `dark map background ${colours.background}`).toBeLessThan(0.05);
    expect(colours.legend.length).toBe(2);
    for (const mark of colours.legend) expect(contrast(mark, colours.background), `${colorScheme}: group colour ${mark} on ${colours.background}`).toBeGreaterThanOrEqual(3);
  }
  await page.emulateMedia({ colorScheme: "dark" });
  await page.locator(".opinion-groups").screenshot({ path: "test-results/opinion-map-dark.png" });
});
