/**
 * The debate page before and without JavaScript (issue 21): voting, changing a vote, posting an
 * argument with a source, replying and rating are real forms that count with scripts disabled and
 * land back where the person was; and a tap on Agree before the scripts have arrived counts once.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { seedArticle } from "../support/article";
import { facilitatorHeaders } from "../support/e2e-accounts";
import { participantCookieName } from "../../app/shared/contract";
import { plainTextToArgumentBody } from "../../app/shared/argument-body";

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

async function expectNoAxeViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("with JavaScript disabled: join, vote, change the vote, post an argument with a source, reply, rate", async ({ browser, request }) => {
  const created = await (await request.post("/api/debates", { headers: await facilitatorHeaders(request), data: { sourceText: seedArticle, publish: true } })).json();
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`/debates/${created.id}`);

  await page.getByLabel("Pick a display name to take part").fill("Nora");
  await page.getByRole("button", { name: "Join the debate" }).click();
  await expect(page.getByText("You are Nora.")).toBeVisible();

  const second = page.locator(".proposition").nth(1);
  const propositionId = (await second.getAttribute("id"))!.slice("prop-".length);

  // Vote: the form posts, the page comes back at the proposition with the tally counted.
  await second.getByRole("button", { name: /^Agree/ }).click();
  await expect(page).toHaveURL(new RegExp(`#prop-${propositionId}$`));
  await expect(page.locator(`#prop-${propositionId}`).getByTestId("tally-agree")).toHaveText("1");
  await expect(page.locator(`#prop-${propositionId}`).getByRole("button", { name: /^Agree/ })).toHaveAttribute("aria-pressed", "true");

  // Change the vote: agree → disagree, counted once.
  await page.locator(`#prop-${propositionId}`).getByRole("button", { name: /^Disagree/ }).click();
  const card = page.locator(`#prop-${propositionId}`);
  await expect(card.getByTestId("tally-agree")).toHaveText("0");
  await expect(card.getByTestId("tally-disagree")).toHaveText("1");

  // Post an argument with a source: the plain text area and the folded source fields.
  await card.getByText("Add an argument").click();
  const composer = card.getByRole("form", { name: "New argument on proposition 2" });
  await composer.getByRole("textbox", { name: "New argument on proposition 2" }).fill("Scores on benchmarks are not the same as use in the field.\nSecond paragraph.");
  await composer.getByText("+ Add a source").click();
  await composer.getByLabel("URL").fill("https://www.uscc.gov/annual-report");
  await composer.getByLabel("Title").fill("USCC Annual Report");
  await composer.getByRole("button", { name: "Post argument" }).click();
  await expect(page).toHaveURL(new RegExp(`#prop-${propositionId}$`));
  const argument = page.locator(`#prop-${propositionId} .column-pro .argument`).first();
  await expect(argument.locator(".argument-body p")).toHaveText(["Scores on benchmarks are not the same as use in the field.", "Second paragraph."]);
  await expect(argument.getByRole("link", { name: "USCC Annual Report" })).toHaveAttribute("href", "https://www.uscc.gov/annual-report");

  // Reply (a con rebuttal, the composer's default) from the folded reply form.
  await argument.locator("summary", { hasText: "Reply" }).click();
  await argument.getByRole("textbox", { name: "Reply to Nora" }).fill("Then again, field use follows capability.");
  await argument.getByRole("button", { name: "Post reply" }).click();
  const replied = page.locator(`#prop-${propositionId} .column-pro .argument`).first();
  await expect(replied.locator(".rebuttal-list .argument")).toContainText("Then again, field use follows capability.");

  // Rate the argument up: lands back at the argument.
  const argumentId = (await replied.getAttribute("data-argument-id"))!;
  await replied.getByRole("button", { name: "Rate up (0)" }).first().click();
  await expect(page).toHaveURL(new RegExp(`#arg-${argumentId}$`));
  await expect(page.locator(`#arg-${argumentId}`).getByRole("button", { name: "Rate up (1)" }).first()).toHaveAttribute("aria-pressed", "true");

  // Each form counted once: the API agrees.
  const debate = await (await request.get(`/api/debates/${created.id}`)).json();
  const prop = debate.propositions.find((p: { id: string }) => p.id === propositionId);
  expect(prop.tally).toEqual({ agree: 0, disagree: 1, unsure: 0, total: 1 });
  expect(debate.arguments.filter((a: { propositionId: string }) => a.propositionId === propositionId)).toHaveLength(2);

  // axe needs scripts in the page: check the same page as its server sent it, with the app's scripts blocked.
  const axeContext = await browser.newContext({ storageState: await context.storageState() });
  const axePage = await axeContext.newPage();
  await axePage.route("**/assets/*.js", (route) => route.abort());
  await axePage.goto(`/debates/${created.id}`);
  await expect(axePage.getByText("You are Nora.")).toBeVisible();
  await expectNoAxeViolations(axePage);
  await axeContext.close();
  await context.close();
});

test("a tap on Agree before the scripts have arrived counts, once", async ({ browser, request }) => {
  const created = await (await request.post("/api/debates", { headers: await facilitatorHeaders(request), data: { sourceText: seedArticle, publish: true } })).json();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/debates/${created.id}`);
  await expect(page.getByTestId("connection-status")).toHaveText("Live");
  await page.getByLabel("Pick a display name to take part").fill("Omar");
  await page.getByRole("button", { name: "Join the debate" }).click();
  await expect(page.getByText("You are Omar.")).toBeVisible();
  await expect(page.getByTestId("connection-status")).toHaveText("Live");

  // Reload with the scripts held back: the page shows, its buttons are not live yet.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/assets/*.js", async (route) => {
    await held;
    // The page the held scripts were for is gone by then (the tap posted the form): nothing to continue.
    await route.continue().catch(() => undefined);
  });
  await page.reload({ waitUntil: "commit" });
  const first = page.locator(".proposition").first();
  await expect(first.getByRole("button", { name: /^Agree/ })).toBeVisible();
  await expect(page.getByTestId("connection-status")).not.toHaveText("Live");
  await first.getByRole("button", { name: /^Agree/ }).click();
  // The tap posted the form; the page came back, with the scripts still held.
  await expect(page).toHaveURL(/#prop-/);
  release();
  await page.unroute("**/assets/*.js");
  await expect(page.getByTestId("connection-status")).toHaveText("Live");
  await expect(page.locator(".proposition").first().getByTestId("tally-agree")).toHaveText("1");
  await expect(page.locator(".proposition").first().getByRole("button", { name: /^Agree/ })).toHaveAttribute("aria-pressed", "true");

  const debate = await (await request.get(`/api/debates/${created.id}`)).json();
  expect(debate.propositions[0].tally).toEqual({ agree: 1, disagree: 0, unsure: 0, total: 1 });
  await expectNoAxeViolations(page);
  await context.close();
});

test("with JavaScript disabled: a participant reports an argument, the facilitator hides it", async ({ browser, request, baseURL }) => {
  const headers = await facilitatorHeaders(request);
  const created = await (await request.post("/api/debates", { headers, data: { sourceText: seedArticle, publish: true } })).json();
  const propositionId = created.propositions[0].id as string;
  const pia = await (await request.post(`/api/debates/${created.id}/participants`, { data: { displayName: "Pia" } })).json();
  const posted = await request.post(`/api/debates/${created.id}/arguments`, {
    headers: { Authorization: `Bearer ${pia.token}` },
    data: { propositionId, stance: "pro", body: plainTextToArgumentBody("Buy cheap benchmarks at my shop."), sources: [] },
  });
  expect(posted.status()).toBe(201);
  const argumentId = ((await posted.json()) as { id: string }).id;

  // Nora reports it from the folded report form.
  const noraContext = await browser.newContext({ javaScriptEnabled: false });
  const nora = await noraContext.newPage();
  await nora.goto(`/debates/${created.id}`);
  await nora.getByLabel("Pick a display name to take part").fill("Nora");
  await nora.getByRole("button", { name: "Join the debate" }).click();
  await expect(nora.getByText("You are Nora.")).toBeVisible();
  const argument = nora.locator(`#arg-${argumentId}`);
  await argument.locator("summary", { hasText: "Report" }).click();
  await argument.getByLabel("Why are you reporting this argument?").fill("Advertising.");
  await argument.getByRole("button", { name: "Send report" }).click();
  await expect(nora).toHaveURL(new RegExp(`#arg-${argumentId}$`));
  await expect(nora.getByTestId("form-error")).toHaveCount(0);
  const reports = await (await request.get(`/api/debates/${created.id}/reports`, { headers })).json();
  expect(reports.openReports).toBe(1);
  await noraContext.close();

  // The facilitator (the host's participant cookie) hides it from the folded hide form.
  const hostContext = await browser.newContext({ javaScriptEnabled: false });
  await hostContext.addCookies([{ name: participantCookieName(created.id), value: created.hostToken, url: baseURL! }]);
  const host = await hostContext.newPage();
  await host.goto(`/debates/${created.id}`);
  const hosted = host.locator(`#arg-${argumentId}`);
  await hosted.locator("summary", { hasText: "Hide…" }).click();
  await hosted.getByLabel("Why hide this argument? (shown with it)").fill("Advertising, reported.");
  await hosted.getByRole("button", { name: "Hide argument" }).click();
  await expect(host).toHaveURL(new RegExp(`#arg-${argumentId}$`));
  const debate = await (await request.get(`/api/debates/${created.id}`)).json();
  const hidden = debate.arguments.find((a: { id: string }) => a.id === argumentId);
  expect(hidden.withheld).toBe(true);
  await hostContext.close();
});
