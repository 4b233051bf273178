/**
 * Steps the end-to-end specs share: the axe check of a page against WCAG 2.2 A/AA, a participant
 * joining a debate in a browser context of their own, and a facilitator publishing an article.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Page } from "@playwright/test";
import { signUpInBrowser } from "./e2e-accounts";

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

/**
 * A facilitator signs up as `name` in a new browser context, drafts `article` on the new-debate page and
 * publishes it from the review page, as a person would.
 * @returns the facilitator's page (on the review page, published) and the debate's path (/debates/:id).
 */
export async function publishInBrowser(browser: Browser, name: string, article: string): Promise<{ facilitator: Page; debatePath: string }> {
  const facilitator = await (await browser.newContext()).newPage();
  await signUpInBrowser(facilitator, name, "/debates/new");
  await facilitator.goto("/debates/new");
  await facilitator.getByLabel("Article text").fill(article);
  await facilitator.getByRole("button", { name: "Draft propositions" }).click();
  await expect(facilitator).toHaveURL(/\/debates\/[0-9a-f-]+\/edit$/);
  await facilitator.getByRole("button", { name: "Publish debate" }).click();
  const debatePath = new URL(await facilitator.getByLabel("Join link").inputValue()).pathname;
  return { facilitator, debatePath };
}
