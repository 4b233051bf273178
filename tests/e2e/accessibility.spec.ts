/**
 * Accessibility (issue 16): axe-core (WCAG 2.0, 2.1 and 2.2, levels A and AA) on every page and
 * state of the app, each in the light and the dark colour scheme (the app follows
 * prefers-color-scheme), with zero violations of any impact. The pages: home, sign-in, sign-up,
 * forgot and reset password, account and change password, new debate, import, review (the draft),
 * the debate (as a visitor, empty, with threads and sources, with the composer and its source
 * fields open, with a hidden argument as its author and as someone else, a deleted argument, offline
 * with changes waiting), settings, moderation (with an open report and with the hidden list),
 * results, projector mode, the not-found page and an error page. What axe cannot see (keyboard,
 * reflow, announcements) has its own tests: keyboard.spec.ts and responsive-a11y.spec.ts.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { participantCookieName } from "../../app/shared/contract";
import { seedArticle } from "../support/article";
import { setContextOffline } from "../support/browser-network";
import { facilitatorHeaders, signUpInBrowser } from "../support/e2e-accounts";
import { joinInNewContext } from "../support/e2e-pages";

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * No axe-core violations on the page as it is now, in the light and then the dark colour scheme
 * (the page is left in the light one). `state` names the page and state in the failure message.
 */
async function expectAccessible(page: Page, state: string) {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
    expect(
      violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(" ")} ${n.failureSummary ?? ""}`).join(" | ")}`),
      `${state}, ${colorScheme} scheme`,
    ).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: "light" });
}

test("pages outside a debate, signed out and signed in, have no axe violations", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectAccessible(page, "home, signed out");
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await expectAccessible(page, "sign-in");
  // A failed sign-in shows its error next to the form.
  await page.getByLabel("Email address").fill("nobody@example.org");
  await page.getByLabel("Password").fill("not the password at all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expectAccessible(page, "sign-in with an error");
  await page.goto("/signup");
  await expect(page.getByRole("button", { name: "Create account" })).toBeVisible();
  await expectAccessible(page, "sign-up");
  await page.goto("/forgot-password");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectAccessible(page, "forgot password");
  await page.goto("/reset-password/not-a-real-token");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectAccessible(page, "reset password");
  const missing = await page.goto("/no/such/page");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not found");
  await expectAccessible(page, "not found");
  const unknown = await page.goto("/debates/00000000-0000-4000-8000-000000000000");
  expect(unknown?.status()).toBe(404);
  await expect(page.getByRole("alert")).toContainText("was not found");
  await expectAccessible(page, "unknown debate (error page)");
  const refused = await page.goto("/debates/new");
  expect(refused?.status()).toBeLessThan(500);
  await expectAccessible(page, "new debate while signed out");

  await signUpInBrowser(page, "Fran Facilitator", "/");
  await page.goto("/");
  await expectAccessible(page, "home, signed in");
  await page.goto("/account");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectAccessible(page, "account");
  await page.goto("/account/password");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectAccessible(page, "change password");
  await page.goto("/debates/import");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Import a debate");
  await expectAccessible(page, "import");

  await page.goto("/debates/new");
  await expectAccessible(page, "new debate");
  await page.getByLabel("Article text").fill(seedArticle);
  await page.getByRole("button", { name: "Draft propositions" }).click();
  await expect(page).toHaveURL(/\/debates\/[0-9a-f-]+\/edit$/);
  await expect(page.locator(".draft-proposition").first()).toBeVisible();
  await expectAccessible(page, "review (draft)");
  const debateUrl = page.url().replace(/\/edit$/, "");
  await page.getByRole("button", { name: "Publish debate" }).click();
  await expect(page.getByLabel("Join link")).toBeVisible();
  await expectAccessible(page, "review after publishing");

  await page.goto(debateUrl);
  await expect(page.getByTestId("connection-status")).toHaveText("Live");
  await expectAccessible(page, "debate, empty, as its facilitator");
  await page.goto(`${debateUrl}/settings`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectAccessible(page, "settings");
  await page.goto(`${debateUrl}/moderation`);
  await expect(page.getByText("No open reports.")).toBeVisible();
  await expectAccessible(page, "moderation, nothing to do");
  await page.goto(`${debateUrl}/results`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Results");
  await expectAccessible(page, "results, no votes");
});

test("the debate in each of its states, moderation, results and projector mode have no axe violations", async ({ browser, request, baseURL }) => {
  test.setTimeout(300_000); // about 35 states, each checked twice (light and dark), on a loaded machine
  const created = await (await request.post("/api/debates", { headers: await facilitatorHeaders(request), data: { sourceText: seedArticle, publish: true } })).json();
  const url = `${baseURL}/debates/${created.id as string}`;

  // A visitor, before joining.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(url);
  await expect(visitor.getByLabel("Pick a display name to take part")).toBeVisible();
  await expectAccessible(visitor, "debate, visitor with the join form");
  await visitor.context().close();

  const ada = await joinInNewContext(browser, url, "Ada");
  await expectAccessible(ada, "debate, empty, as a participant");

  // The composer open, with a source's fields.
  const first = ada.locator(".proposition").first();
  await first.getByText("Add an argument").click();
  const composer = first.getByRole("form", { name: "New argument on proposition 1" });
  await composer.getByRole("textbox", { name: "New argument on proposition 1" }).click();
  await ada.keyboard.type("Benchmarks reward narrow skills.");
  await composer.getByRole("button", { name: "+ Add a source" }).click();
  await composer.getByLabel("URL").fill("https://www.uscc.gov/annual-report");
  await composer.getByLabel("Title").fill("USCC Annual Report");
  await expectAccessible(ada, "debate, composer open with a source");
  // A refused post: the error next to the field.
  await composer.getByLabel("URL").fill("");
  await composer.getByRole("button", { name: "Post argument" }).click();
  await expect(composer.getByRole("alert")).toBeVisible();
  await expectAccessible(ada, "debate, composer with an error");
  await composer.getByLabel("URL").fill("https://www.uscc.gov/annual-report");
  await composer.getByRole("button", { name: "Post argument" }).click();
  const adaArgument = first.locator(".column-pro .argument").first();
  await expect(adaArgument.getByRole("link", { name: "USCC Annual Report" })).toBeVisible();

  // Threads: Ben replies, votes and rates; Ada's page now has a thread, a vote and a rating.
  const ben = await joinInNewContext(browser, url, "Ben");
  const benFirst = ben.locator(".proposition").first();
  const benArgument = benFirst.locator(".column-pro .argument").first();
  await benArgument.getByRole("button", { name: "Reply" }).click();
  await benArgument.getByRole("textbox", { name: "Reply to Ada" }).click();
  await ben.keyboard.type("Capability leads tend to become deployment leads.");
  await expectAccessible(ben, "debate, reply composer open");
  await benArgument.getByRole("button", { name: "Post reply" }).click();
  await benFirst.getByRole("button", { name: /^Agree/ }).click();
  await benArgument.getByRole("button", { name: /^Rate up/ }).first().click();
  await expect(adaArgument.locator(".rebuttals > summary")).toHaveText("1 reply");
  await expect(first.getByTestId("tally-agree")).toHaveText("1");
  await expectAccessible(ada, "debate with threads, a vote and a rating");
  // For looking at by hand (docs/accessibility.md): the same state in the dark theme.
  await ada.emulateMedia({ colorScheme: "dark" });
  await ada.screenshot({ path: "test-results/debate-dark.png", fullPage: true });
  await ada.emulateMedia({ colorScheme: "light" });
  // Ada edits her argument: the editor with its toolbar, filled.
  await adaArgument.getByRole("button", { name: "Edit", exact: true }).first().click();
  await expect(adaArgument.getByRole("textbox", { name: "Edit your argument" })).toBeVisible();
  await expectAccessible(ada, "debate, editing an argument");
  await adaArgument.getByRole("button", { name: "Cancel" }).click();

  // Ben reports Ada's argument.
  await benArgument.getByRole("button", { name: "Report" }).first().click();
  await benArgument.getByLabel("Why are you reporting this argument?").fill("Off topic");
  await expectAccessible(ben, "debate, report form open");
  await benArgument.getByRole("button", { name: "Send report" }).click();
  await expect(benArgument.getByRole("status").filter({ hasText: "Thank you" })).toBeVisible();
  await expectAccessible(ben, "debate, report sent");

  // The facilitator: the debate with a report waiting, the queue, hiding.
  const host = await (await browser.newContext()).newPage();
  await host.context().addCookies([{ name: participantCookieName(created.id), value: created.hostToken, url: baseURL!, httpOnly: true, sameSite: "Lax" }]);
  await host.goto(url);
  await expect(host.getByTestId("moderation-link")).toHaveText("Moderation (1 open report)");
  await expectAccessible(host, "debate as the host, a report open");
  await host.getByTestId("moderation-link").click();
  const item = host.locator(".queue-item").first();
  await expect(item).toContainText("Benchmarks reward narrow skills.");
  await expectAccessible(host, "moderation with an open report");
  await item.getByLabel("Reason for hiding (shown with it)").fill("Advertising");
  await item.getByRole("button", { name: "Hide" }).click();
  await expect(host.getByText("No open reports.")).toBeVisible();
  await expectAccessible(host, "moderation with a hidden argument");

  // Hidden: Ben sees the placeholder, Ada her argument with the banner.
  await expect(benFirst.getByTestId("withheld-placeholder")).toBeVisible();
  await expectAccessible(ben, "debate with a hidden argument (someone else's)");
  await expect(adaArgument.getByRole("note")).toContainText("Hidden by a facilitator");
  await expectAccessible(ada, "debate with a hidden argument (one's own)");

  // Ada deletes her reply-less argument on proposition 2 after posting it.
  const second = ada.locator(".proposition").nth(1);
  await second.getByText("Add an argument").click();
  await second.getByRole("textbox", { name: "New argument on proposition 2" }).click();
  await ada.keyboard.type("A sentence I will take back.");
  await second.getByRole("button", { name: "Post argument" }).click();
  const taken = second.locator(".column-pro .argument").first();
  await taken.getByRole("button", { name: "Delete" }).first().click();
  await expect(taken.getByRole("group", { name: "Confirm deletion" })).toBeVisible();
  await expectAccessible(ada, "debate, confirming a deletion");
  await taken.getByRole("button", { name: "Delete argument" }).click();
  await expect(second.locator(".deleted-placeholder").first()).toHaveText("Deleted by its author.");
  await expectAccessible(ada, "debate with a deleted argument");

  // Offline, with a change waiting.
  await setContextOffline(ada.context(), true);
  const status = ada.getByTestId("connection-status");
  await expect(status).toHaveAttribute("data-status", /offline|reconnecting/);
  await first.getByRole("button", { name: /^Disagree/ }).click();
  await expect(status).toContainText("1 change waiting");
  await ada.getByText("What is waiting").click();
  await expectAccessible(ada, "debate offline with a change waiting");
  await setContextOffline(ada.context(), false);
  await expect(status).toHaveText("Live");

  // Closed.
  await host.goto(url);
  await host.getByText("Close the debate…").click();
  await expectAccessible(host, "debate, confirming closing");
  await host.getByRole("button", { name: "Yes, close the debate" }).click();
  await expect(host.getByTestId("closed-banner")).toBeVisible();
  await expectAccessible(host, "debate, closed");

  // Results and projector mode.
  await host.goto(`${url}/results`);
  await expect(host.getByRole("table", { name: "Votes on proposition 1", exact: true })).toBeVisible();
  await expectAccessible(host, "results");
  await host.goto(`${url}/results?view=projector`);
  await expect(host.getByTestId("projector")).toBeVisible();
  await expectAccessible(host, "projector mode, whole board");
  await host.goto(`${url}/results?view=projector&p=1`);
  await expect(host.getByTestId("projector")).toBeVisible();
  await expectAccessible(host, "projector mode, one proposition");
  await Promise.all([ada.context().close(), ben.context().close(), host.context().close()]);
});
