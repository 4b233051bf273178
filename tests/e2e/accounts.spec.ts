/**
 * Facilitator accounts in real Chromium: sign up, start a debate, sign out,
 * sign in again from a fresh browser (no participant cookie) and review the
 * debate as its host; create an API token in the account page, use it with
 * the JSON API, and revoke it.
 */
import { expect, test } from "@playwright/test";
import { seedArticle } from "../support/article";
import { signUpInBrowser } from "../support/e2e-accounts";

test("a facilitator signs up, starts a debate, signs out, and reviews it as host from a fresh browser", async ({ browser }) => {
  const first = await browser.newContext();
  const page = await first.newPage();
  // Signed out, the new-debate page asks to sign in first.
  await page.goto("/debates/new");
  await expect(page).toHaveURL(/\/login\?next=%2Fdebates%2Fnew$/);
  await expect(page.getByText("Starting a debate needs a facilitator account")).toBeVisible();

  const account = await signUpInBrowser(page, "Ada Account");
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText("You have not started a debate yet.")).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "New debate" }).click();
  await expect(page).toHaveURL(/\/debates\/new$/);
  await page.getByLabel("Article text").fill(seedArticle);
  await page.getByRole("button", { name: "Draft propositions" }).click();
  await expect(page).toHaveURL(/\/debates\/[0-9a-f-]+\/edit$/);
  const reviewUrl = new URL(page.url()).pathname;
  // The URL changes before the review page has replaced the form: wait for the review page itself.
  await expect(page.getByRole("button", { name: "Publish debate" })).toBeVisible();
  const title = (await page.getByRole("heading", { level: 1 }).textContent())!;
  expect(title).not.toBe("New debate");

  await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" })).toBeVisible();
  await first.close();

  // A fresh browser: no session, no participant cookie.
  const second = await browser.newContext();
  const again = await second.newPage();
  await again.goto(reviewUrl);
  await expect(again).toHaveURL(/\/login\?next=/);
  await again.getByLabel("Email address").fill(account.email);
  await again.getByLabel("Password").fill("not the password");
  await again.getByRole("button", { name: "Sign in" }).click();
  await expect(again.getByRole("alert")).toHaveText("The email or password is wrong.");
  await again.getByLabel("Password").fill(account.password);
  await again.getByRole("button", { name: "Sign in" }).click();
  await expect(again).toHaveURL(new RegExp(`${reviewUrl}$`));
  await expect(again.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(again.getByRole("button", { name: "Publish debate" })).toBeVisible();
  await expect(again.getByRole("navigation", { name: "Main" }).getByText("Ada Account")).toBeVisible();

  // The account page lists it, with its review link.
  await again.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).click();
  await expect(again.getByRole("list", { name: "Your debates" }).getByRole("link", { name: title, exact: true })).toBeVisible();
  await again.getByRole("link", { name: `Review “${title}”` }).click();
  await expect(again).toHaveURL(new RegExp(`${reviewUrl}$`));
  await second.close();
});

test("an API token is created once in the UI, works with the JSON API, and stops working when revoked", async ({ browser, request }) => {
  const context = await browser.newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await context.newPage();
  await signUpInBrowser(page, "Tom Tokens");
  await expect(page.getByText("No API tokens yet.")).toBeVisible();

  await page.getByLabel("Token name").fill("ci script");
  await page.getByRole("button", { name: "Create token" }).click();
  const field = page.getByLabel("New API token");
  await expect(field).toHaveValue(/^smk_[A-Za-z0-9_-]{43}$/);
  const token = await field.inputValue();
  await page.getByRole("button", { name: "Copy" }).click();
  await expect(page.getByText("Copied to the clipboard.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  const row = page.getByRole("row", { name: /ci script/ });
  await expect(row).toContainText(token.slice(0, 12));

  // Shown once: after a reload only the prefix remains.
  await page.reload();
  await expect(page.getByLabel("New API token")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(token);

  // Scripts use it.
  const auth = { Authorization: `Bearer ${token}` };
  const me = await request.get("/api/account", { headers: auth });
  expect(me.status()).toBe(200);
  expect((await me.json()).user.displayName).toBe("Tom Tokens");
  const created = await request.post("/api/debates", { headers: auth, data: { sourceText: seedArticle, publish: true, visibility: "public", title: "Made by a script" } });
  expect(created.status()).toBe(201);
  const debate = await created.json();
  expect(debate.host.displayName).toBe("Tom Tokens");
  const listed = await request.get("/api/debates");
  expect((await listed.json()).debates.map((d: { id: string }) => d.id)).toContain(debate.id);
  await page.reload();
  await expect(page.getByRole("list", { name: "Your debates" }).getByRole("link", { name: "Made by a script", exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Revoke token ci script" }).click();
  await expect(page.getByText("No API tokens yet.")).toBeVisible();
  const refused = await request.post("/api/debates", { headers: auth, data: { sourceText: seedArticle } });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.message).toMatch(/Sign in/);
  await context.close();
});
