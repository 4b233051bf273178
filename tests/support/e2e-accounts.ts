/**
 * Facilitator accounts for the Playwright tests: creating a debate needs one.
 * `facilitatorToken` signs up through the JSON API (POST /api/accounts);
 * `signUpInBrowser` goes through the /signup page like a person.
 */
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { randomAccount } from "./api-client";

/**
 * Signs a new facilitator up through `POST /api/accounts`.
 * @returns its first API token (`smk_…`), to send as `Authorization: Bearer`.
 */
export async function facilitatorToken(request: APIRequestContext, displayName = "E2E Facilitator"): Promise<string> {
  const res = await request.post("/api/accounts", { data: randomAccount(displayName) });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { apiToken: string }).apiToken;
}

/** `Authorization` header of a new facilitator, for `request.post("/api/debates", { headers, data })`. */
export async function facilitatorHeaders(request: APIRequestContext): Promise<Record<string, string>> {
  return { Authorization: `Bearer ${await facilitatorToken(request)}` };
}

/**
 * Creates an account in the browser on /signup (the page's context keeps the
 * session cookie) and waits until the header shows the name.
 * @param next where to go afterwards (default /account).
 * @returns the account's email and password.
 */
export async function signUpInBrowser(page: Page, displayName = "Fran Facilitator", next?: string) {
  const account = randomAccount(displayName);
  await page.goto(next ? `/signup?next=${encodeURIComponent(next)}` : "/signup");
  await page.getByLabel("Email address").fill(account.email);
  await page.getByLabel("Your name, as participants will see it").fill(displayName);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("navigation", { name: "Main" }).getByText(displayName)).toBeVisible();
  return account;
}
