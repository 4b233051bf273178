/**
 * Steps the end-to-end specs share: the axe check of a page against WCAG 2.2 A/AA, and a participant
 * joining a debate in a browser context of their own.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Page } from "@playwright/test";

/** The axe rule tags every page is checked against (WCAG 2.0, 2.1 and 2.2, levels A and AA). */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** Fails with the list of axe violations (rule: targets) on the page as it is now; passes when there are none. */
export async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** A participant in a new browser context joins the (unlinked) debate at `debateUrl` with `name`; resolves once the page is live. */
export async function joinInNewContext(browser: Browser, debateUrl: string, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(debateUrl);
  await page.getByLabel("Pick a display name to take part").fill(name);
  await page.getByRole("button", { name: "Join the debate" }).click();
  await expect(page.getByText(`You are ${name}.`)).toBeVisible();
  await expect(page.getByTestId("connection-status")).toHaveText("Live");
  return page;
}
