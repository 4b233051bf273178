/**
 * Issue 15 in real Chromium: a facilitator downloads the debate from the
 * Export menu (Steelman JSON); another facilitator, signed up in another
 * browser, imports that file on the Import page (upload, preview, create a
 * draft) and sees the same argument tree on the new debate's page. axe-core
 * checks the Import page and the debate page with its Export menu open.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { participantCookieName } from "../../app/shared/contract";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { seedArticle } from "../support/article";
import { facilitatorHeaders, signUpInBrowser } from "../support/e2e-accounts";

/** docs/screenshots/ with UPDATE_SCREENSHOTS=1 (to refresh the documented ones), else test-results/ so a test run leaves the tree clean. */
const SCREENSHOTS = path.resolve(import.meta.dirname, process.env.UPDATE_SCREENSHOTS ? "../../docs/screenshots" : "../../test-results");

async function axe(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** The tree the page shows: every argument's stance, depth (how many arguments it sits in) and text, in page order. */
function tree(page: Page) {
  return page.locator("article.argument").evaluateAll((nodes) =>
    nodes.map((n) => {
      let depth = 0;
      for (let p = n.parentElement; p; p = p.parentElement) if (p.matches("article.argument")) depth += 1;
      return `${n.className.includes("stance-pro") ? "pro" : "con"}:${depth}:${n.querySelector(".argument-body")?.textContent?.trim() ?? ""}`;
    }),
  );
}

test("export a debate from the Export menu, import the file as another facilitator, see the same tree", async ({ browser, request, baseURL }) => {
  test.setTimeout(120_000);
  const created = await request.post("/api/debates", { headers: await facilitatorHeaders(request), data: { sourceText: seedArticle, publish: true, title: "Exports round trip" } });
  expect(created.status()).toBe(201);
  const debate = (await created.json()) as { id: string; hostToken: string; propositions: { id: string }[] };
  const post = async (parentId: string | null, stance: "pro" | "con", text: string) => {
    const res = await request.post(`/api/debates/${debate.id}/arguments`, {
      headers: { Authorization: `Bearer ${debate.hostToken}` },
      data: { opId: randomUUID(), propositionId: debate.propositions[0]!.id, parentId, stance, body: plainTextToArgumentBody(text), sources: [] },
    });
    expect(res.status(), await res.text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const a = await post(null, "pro", "Safety work needs time that a race does not give.");
  await post(null, "con", "Competition also pays for safety research.");
  const r = await post(a, "con", "Time is not the only thing safety needs.");
  await post(r, "pro", "But the article is about time.");

  // The host downloads the Steelman JSON from the Export menu.
  const hostContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await hostContext.addCookies([{ name: participantCookieName(debate.id), value: debate.hostToken, url: baseURL! }]);
  const host = await hostContext.newPage();
  await host.goto(`/debates/${debate.id}`);
  await expect(host.locator("article.argument")).toHaveCount(4);
  const original = await tree(host);
  await host.getByText("Export", { exact: true }).click();
  await expect(host.getByRole("link", { name: "Steelman JSON", exact: true })).toBeVisible();
  await axe(host);
  await host.screenshot({ path: path.join(SCREENSHOTS, "export-menu.png"), clip: { x: 0, y: 0, width: 1280, height: 520 } });
  const [download] = await Promise.all([host.waitForEvent("download"), host.getByRole("link", { name: "Steelman JSON", exact: true }).click()]);
  expect(download.suggestedFilename()).toMatch(/^steelman-exports-round-trip-\d{4}-\d{2}-\d{2}\.steelman\.json$/);
  const file = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(file);

  // Another facilitator, in another browser, imports it.
  const otherContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const other = await otherContext.newPage();
  await signUpInBrowser(other, "Ola Other");
  await other.goto("/debates/import");
  await expect(other.getByRole("heading", { level: 1 })).toHaveText("Import a debate");
  await axe(other);
  await other.getByLabel(/Choose the file/).setInputFiles(file);
  const preview = other.getByTestId("import-preview");
  await expect(preview).toContainText("4 arguments");
  await expect(preview).toContainText("What will be created: Exports round trip");
  await axe(other);
  await other.screenshot({ path: path.join(SCREENSHOTS, "import-preview.png"), fullPage: true });
  await other.getByRole("button", { name: "Create a draft debate" }).click();
  await expect(other).toHaveURL(/\/debates\/[0-9a-f-]{36}\/edit$/);
  const id = /\/debates\/([0-9a-f-]{36})\/edit$/.exec(other.url())![1];
  expect(id).not.toBe(debate.id);
  await other.goto(`/debates/${id}`);
  await expect(other.locator("article.argument")).toHaveCount(4);
  expect(await tree(other)).toEqual(original);

  // The Polis zip from the same menu goes back in through the same page (its CSVs, unzipped in the browser).
  const vote = await request.put(`/api/debates/${debate.id}/propositions/${debate.propositions[0]!.id}/vote`, { headers: { Authorization: `Bearer ${debate.hostToken}` }, data: { value: "agree" } });
  expect(vote.status()).toBe(200);
  await host.goto(`/debates/${debate.id}`);
  await host.getByText("Export", { exact: true }).click();
  const [zip] = await Promise.all([host.waitForEvent("download"), host.getByRole("link", { name: "Polis CSV (zip)" }).click()]);
  const zipFile = test.info().outputPath(zip.suggestedFilename());
  await zip.saveAs(zipFile);
  await other.goto("/debates/import");
  await other.getByLabel(/Choose the file/).setInputFiles(zipFile);
  await expect(other.getByText("Loaded: comments.csv, votes.csv, participants-votes.csv")).toBeVisible();
  await expect(other.getByLabel("Format")).toHaveValue("polis");
  await other.getByLabel("Title (optional)").fill("Back from Polis");
  await other.getByRole("button", { name: "Create the debate" }).click();
  await expect(other).toHaveURL(/\/debates\/[0-9a-f-]{36}$/);
  await expect(other.getByRole("heading", { level: 1 })).toHaveText("Back from Polis");

  // The results page as printed ("Save as PDF"): no site header, no sort links, no controls.
  await host.goto(`/debates/${debate.id}/results`);
  await host.emulateMedia({ media: "print" });
  await expect(host.locator(".site-header")).toBeHidden();
  await expect(host.locator(".sort-nav")).toBeHidden();
  await expect(host.getByTestId("result-card").first()).toBeVisible();
  await host.screenshot({ path: path.join(SCREENSHOTS, "results-print.png"), fullPage: true });
});
