/**
 * A classroom end to end with join codes only, in real Chromium: a teacher
 * (a signed-up facilitator) publishes a debate, makes it private and reads the
 * code from the Share panel; two students join on /join with the code and a
 * name, post and vote; the teacher mutes one (their composer goes away live),
 * locks a proposition, and closes the debate (everyone sees it closed).
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import { seedArticle } from "../support/article";
import { publishInBrowser } from "../support/e2e-pages";
import { showNewArguments } from "../support/new-arguments";

async function student(browser: Browser, code: string, name: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/join");
  await page.getByLabel("Join code").fill(code);
  await page.getByLabel("Your display name").fill(name);
  await page.getByRole("button", { name: "Join", exact: true }).click();
  await expect(page).toHaveURL(/\/debates\/[0-9a-f-]+$/);
  await expect(page.getByText(`You are ${name}.`)).toBeVisible();
  await expect(page.getByTestId("connection-status")).toHaveText("Live");
  return page;
}

test("a class runs a private debate with a join code: join, post, vote, mute, lock, close", async ({ browser }) => {
  // The teacher signs up, drafts the seed article and publishes it.
  const { facilitator: teacher, debatePath: debateUrl } = await publishInBrowser(browser, "Ms Rivera", seedArticle);

  // Settings: make it private.
  await teacher.getByRole("link", { name: "Settings and participants" }).click();
  await expect(teacher).toHaveURL(`${debateUrl}/settings`);
  await teacher.getByRole("radio", { name: /Private/ }).check();
  await teacher.getByRole("button", { name: "Save visibility" }).click();
  await expect(teacher.getByRole("status").filter({ hasText: "Visibility saved." })).toBeVisible();

  // The debate page's Share panel shows the code in big type.
  await teacher.goto(debateUrl);
  await teacher.getByText("Share: join code and link").click();
  const code = (await teacher.getByTestId("join-code").textContent())!.trim();
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await expect(teacher.getByTestId("connection-status")).toHaveText("Live");
  await teacher.screenshot({ path: "test-results/share-panel.png" });

  // A stranger with only the link sees a code form, not the debate.
  const strangerContext = await browser.newContext();
  const stranger = await strangerContext.newPage();
  await stranger.goto(debateUrl);
  await expect(stranger.getByRole("heading", { level: 1 })).toHaveText("Private debate");
  await expect(stranger.getByText("Hot Take")).toHaveCount(0);
  await expect(stranger.getByLabel("Enter the join code")).toBeVisible();

  // Two students join on /join: one types the code in lower case without the dash.
  const ana = await student(browser, code.replace("-", "").toLowerCase(), "Ana");
  const ben = await student(browser, code, "Ben");
  expect(new URL(ana.url()).pathname).toBe(debateUrl);

  // Ana posts an argument on proposition 1; Ben sees it and votes.
  const anaFirst = ana.locator(".proposition").first();
  const benFirst = ben.locator(".proposition").first();
  await anaFirst.getByText("Add an argument").click();
  await anaFirst.getByRole("textbox", { name: "New argument on proposition 1" }).click();
  await ana.keyboard.type("Benchmarks reward narrow skills.");
  await anaFirst.getByRole("button", { name: "Post argument" }).click();
  await showNewArguments(benFirst);
  await expect(benFirst.locator(".argument").first()).toContainText("Benchmarks reward narrow skills.");
  await benFirst.getByRole("button", { name: /^Agree/ }).click();
  await expect(anaFirst.getByTestId("tally-agree")).toHaveText("1");

  // The teacher mutes Ben from the participants table: his composer goes away live; he can still vote.
  await teacher.goto(`${debateUrl}/settings`);
  await expect(teacher.getByRole("row", { name: /Ben/ })).toBeVisible();
  await expect(ben.locator(".proposition").nth(1).getByText("Add an argument")).toBeVisible();
  await teacher.getByRole("button", { name: "Mute Ben" }).click();
  await expect(teacher.getByRole("row", { name: /Ben/ })).toContainText("Muted");
  await teacher.screenshot({ path: "test-results/settings-page.png", fullPage: true });
  await expect(ben.getByTestId("muted-banner")).toContainText("You are muted");
  await expect(ben.getByText("Add an argument")).toHaveCount(0);
  await expect(ben.locator(".proposition").nth(1).getByRole("button", { name: /^Disagree/ })).toBeEnabled();
  await expect(ana.getByText("Add an argument").first()).toBeVisible();

  // The teacher locks proposition 1 on the debate page: nobody can argue or vote on it any more.
  await teacher.goto(debateUrl);
  await teacher.getByRole("button", { name: "Lock proposition 1", exact: true }).click();
  await expect(anaFirst.getByTestId("lock-badge")).toBeVisible();
  await expect(anaFirst.getByText("Add an argument")).toHaveCount(0);
  await expect(anaFirst.getByRole("button", { name: /^Agree/ })).toBeDisabled();
  await expect(ana.locator(".proposition").nth(1).getByText("Add an argument")).toBeVisible();
  await expect(teacher.getByRole("button", { name: "Unlock proposition 1", exact: true })).toBeVisible();

  // The teacher closes the debate: everyone sees it closed, and the writing controls are gone.
  await teacher.getByText("Close the debate…").click();
  await teacher.getByRole("button", { name: "Yes, close the debate" }).click();
  for (const page of [teacher, ana, ben]) {
    await expect(page.getByTestId("closed-banner")).toContainText("This debate is closed");
    // Nothing can be posted or voted any more: the status no longer says "Live".
    await expect(page.getByTestId("connection-status")).toHaveText("Closed");
    await expect(page.getByText("Add an argument")).toHaveCount(0);
    await expect(page.locator(".proposition").nth(1).getByRole("button", { name: /^Agree/ })).toBeDisabled();
  }
  await expect(teacher.getByRole("button", { name: "Reopen the debate" })).toBeVisible();
  await expect(ana.getByRole("button", { name: /Lock proposition/ })).toHaveCount(0);
  await ben.screenshot({ path: "test-results/closed-debate.png" });

  // After a reload the student still is who they were, and the debate is still closed.
  await ana.reload();
  await expect(ana.getByText("You are Ana.")).toBeVisible();
  await expect(ana.getByTestId("closed-banner")).toBeVisible();

  await Promise.all([teacher.context().close(), strangerContext.close(), ana.context().close(), ben.context().close()]);
});

test("a wrong or rotated code is explained on the join page", async ({ page }) => {
  await page.goto("/");
  const box = page.getByRole("form", { name: "Join with a code" });
  await box.getByLabel("Join code").fill("ZZZZ-ZZZZ");
  await box.getByLabel("Your display name").fill("Lost student");
  await box.getByRole("button", { name: "Join" }).click();
  await expect(page).toHaveURL(/\/join$/);
  await expect(page.getByRole("alert")).toContainText("No debate has the join code ZZZZ-ZZZZ");
  await expect(page.getByLabel("Join code")).toHaveValue("ZZZZ-ZZZZ");
});

test("a reader watching a public debate is told, not left reconnecting, when it becomes private", async ({ page, request }) => {
  const account = await request.post("/api/accounts", { data: { email: `host-${Date.now()}@example.org`, password: "a long passphrase here", displayName: "Host" } });
  const token = (await account.json()).apiToken as string;
  const auth = { Authorization: `Bearer ${token}` };
  const created = await (await request.post("/api/debates", { headers: auth, data: { sourceText: seedArticle, publish: true, visibility: "public" } })).json();
  await page.goto(`/debates/${created.id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Live");

  expect((await request.patch(`/api/debates/${created.id}/settings`, { headers: auth, data: { visibility: "private" } })).ok()).toBe(true);
  await expect(page.getByTestId("connection-ended-banner")).toContainText(/private/i);
  await page.getByTestId("connection-ended-banner").getByRole("link", { name: "Reload the page" }).click();
  // After the reload the page is the private gate: nothing of the debate, a join-code form.
  await expect(page.getByLabel("Join code")).toBeVisible();
  await expect(page.getByText(created.propositions[0].text)).toHaveCount(0);
});
