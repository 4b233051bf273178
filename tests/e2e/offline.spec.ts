/**
 * Nothing lost when the network drops: a vote and an argument made offline
 * wait in the outbox (shown in the connection badge), survive closing the tab,
 * and are delivered exactly once when the participant comes back.
 */
import { expect, test } from "@playwright/test";
import { seedArticle } from "../support/article";
import { setContextOffline } from "../support/browser-network";
import { facilitatorHeaders } from "../support/e2e-accounts";

test("changes made offline survive closing the tab and are delivered once on return", async ({ browser, request }) => {
  const created = await request.post("/api/debates", { headers: await facilitatorHeaders(request), data: { sourceText: seedArticle, publish: true } });
  expect(created.status()).toBe(201);
  const debate = await created.json();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(debate.url);
  await page.getByLabel("Pick a display name to take part").fill("Offline Olga");
  // Joining is a form action followed by a reload of the page's data: the network goes away only
  // after both (a reload cut off by the network shows the error page, which is not this test's subject).
  const joined = page.waitForResponse((response) => response.request().method() === "GET" && new URL(response.url()).pathname === `${new URL(debate.url, response.url()).pathname}.data`);
  await page.getByRole("button", { name: "Join the debate" }).click();
  await joined;
  const status = page.getByTestId("connection-status");
  await expect(status).toHaveText("Live");

  await setContextOffline(context, true);
  await expect(status).toHaveAttribute("data-status", /offline|reconnecting/);
  const card = page.locator(".proposition").first();
  await expect(card.getByRole("button", { name: /^Agree/ })).toBeEnabled();
  await card.getByRole("button", { name: /^Agree/ }).click();
  await expect(card.getByRole("button", { name: /^Agree/ })).toHaveAttribute("aria-pressed", "true");
  await expect(status).toContainText("1 change waiting");
  await card.getByText("Add an argument").click();
  await card.getByRole("textbox", { name: "New argument on proposition 1" }).click();
  await page.keyboard.type("Written on a train with no signal.");
  await card.getByRole("button", { name: "Post argument" }).click();
  await expect(status).toContainText("2 changes waiting");
  // Each waiting change shows where it was made: the pressed button with its pending mark, the greyed argument.
  await expect(card.getByRole("button", { name: /^Agree/ })).toHaveAttribute("data-pending", "true");
  await expect(card.getByTestId("pending-argument")).toContainText("Written on a train with no signal.");
  await page.getByText("What is waiting").click();
  await expect(page.locator(".outbox-list li")).toHaveText(["Vote “agree” on proposition 1", "Argument on proposition 1"]);

  // Close the tab while offline, come back online in a new tab.
  await page.close();
  await setContextOffline(context, false);
  const again = await context.newPage();
  await again.goto(debate.url);
  const againCard = again.locator(".proposition").first();
  await expect(again.getByTestId("connection-status")).toHaveText("Live");
  await expect(againCard.getByTestId("tally-agree")).toHaveText("1");
  await expect(againCard.getByRole("button", { name: /^Agree/ })).toHaveAttribute("aria-pressed", "true");
  await expect(againCard.locator(".argument")).toHaveCount(1);
  await expect(againCard.locator(".argument")).toContainText("Written on a train with no signal.");

  // Exactly once: the stored tally is 1, not 2, after more reloads.
  await again.reload();
  await expect(again.locator(".proposition").first().getByTestId("tally-agree")).toHaveText("1");
  const snapshot = await (await request.get(`/api/debates/${debate.id}`)).json();
  expect(snapshot.propositions[0].tally).toEqual({ agree: 1, disagree: 0, unsure: 0, total: 1 });
  expect(snapshot.arguments).toHaveLength(1);
  await context.close();
});

test("a draft being typed survives a reload and is cleared once posted", async ({ page, request }) => {
  const created = await request.post("/api/debates", { headers: await facilitatorHeaders(request), data: { sourceText: seedArticle, publish: true } });
  const debate = await created.json();
  await page.goto(debate.url);
  await page.getByLabel("Pick a display name to take part").fill("Drafting Dora");
  await page.getByRole("button", { name: "Join the debate" }).click();
  await expect(page.getByTestId("connection-status")).toHaveText("Live");
  const card = page.locator(".proposition").nth(1);
  await card.getByText("Add an argument").click();
  await card.getByRole("textbox", { name: "New argument on proposition 2" }).click();
  await page.keyboard.type("Half-finished thought");
  await card.getByLabel(/attacks the proposition/).check();
  await page.waitForTimeout(600); // the draft is saved 300 ms after typing stops
  await page.reload();
  const again = page.locator(".proposition").nth(1);
  await again.getByText("Add an argument").click();
  await expect(again.getByRole("textbox", { name: "New argument on proposition 2" })).toHaveText("Half-finished thought");
  await expect(again.getByLabel(/attacks the proposition/)).toBeChecked();
  await again.getByRole("button", { name: "Post argument" }).click();
  await expect(again.locator(".column-con .argument")).toContainText("Half-finished thought");
  await page.reload();
  const third = page.locator(".proposition").nth(1);
  await third.getByText("Add an argument").click();
  await expect(third.getByRole("textbox", { name: "New argument on proposition 2" })).toHaveText("");
});
