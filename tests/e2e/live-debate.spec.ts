/**
 * The main path in real Chromium: a facilitator imports the seed article and
 * publishes; two participants in two browser contexts argue and vote live.
 */
import { expect, test } from "@playwright/test";
import { seedArticle } from "../support/article";
import { facilitatorHeaders, signUpInBrowser } from "../support/e2e-accounts";
import { showEditedArguments, showNewArguments } from "../support/new-arguments";
import { joinInNewContext } from "../support/e2e-pages";

test("facilitator publishes the seed article; two participants argue, rebut and vote live", async ({ browser }) => {
  // Facilitator: import and review.
  const facilitatorContext = await browser.newContext();
  const facilitator = await facilitatorContext.newPage();
  // Facilitators have accounts: sign up first.
  await signUpInBrowser(facilitator, "Fran Facilitator", "/");
  await facilitator.goto("/");
  await facilitator.getByRole("link", { name: "Start a new debate" }).click();
  await facilitator.getByLabel("Article text").fill(seedArticle);
  await facilitator.getByRole("button", { name: "Draft propositions" }).click();
  await expect(facilitator).toHaveURL(/\/debates\/[0-9a-f-]+\/edit$/);
  await expect(facilitator.getByRole("heading", { level: 1 })).toHaveText("Hot Take: America Is Building the Wrong Kind of AI Lead");
  const drafts = facilitator.locator(".draft-proposition");
  expect(await drafts.count()).toBeGreaterThanOrEqual(5);
  await expect(drafts.first().locator("textarea")).toHaveValue(/America is optimizing for the wrong metrics/);

  // Edit the wording of the first proposition.
  const first = drafts.first().locator("textarea");
  await first.fill("America is optimizing AI for the wrong metrics.");
  await drafts.first().getByRole("button", { name: "Save wording" }).click();
  await expect(facilitator.locator(".draft-proposition").first().locator("textarea")).toHaveValue("America is optimizing AI for the wrong metrics.");

  await facilitator.screenshot({ path: "test-results/review-page.png", fullPage: false });
  await facilitator.getByRole("button", { name: "Publish debate" }).click();
  const joinUrl = await facilitator.getByLabel("Join link").inputValue();
  expect(joinUrl).toMatch(/\/debates\/[0-9a-f-]+$/);

  // Two participants, side by side.
  const ada = await joinInNewContext(browser, joinUrl, "Ada");
  const ben = await joinInNewContext(browser, joinUrl, "Ben");
  await expect(ada.getByTestId("presence-count")).toHaveText("2 here");

  const adaFirst = ada.locator(".proposition").first();
  const benFirst = ben.locator(".proposition").first();
  await expect(benFirst.locator(".proposition-text")).toContainText("America is optimizing AI for the wrong metrics.");

  // Ada posts a pro argument with a source.
  await adaFirst.getByText("Add an argument").click();
  const composer = adaFirst.getByRole("form", { name: "New argument on proposition 1" });
  await composer.getByRole("textbox", { name: "New argument on proposition 1" }).click();
  await ada.keyboard.type("Benchmarks reward narrow skills, ");
  await ada.keyboard.press("ControlOrMeta+b");
  await ada.keyboard.type("not deployment");
  await ada.keyboard.press("ControlOrMeta+b");
  await ada.keyboard.type(".");
  await composer.getByRole("button", { name: "+ Add a source" }).click();
  await composer.getByLabel("URL").fill("https://www.uscc.gov/annual-report");
  await composer.getByLabel("Title").fill("USCC Annual Report");
  await composer.getByLabel("Quoted passage (optional)").fill("optimising them for mass deployment and scaling");
  await composer.getByRole("button", { name: "Post argument" }).click();

  // Ben sees it without reload (announced by the "new arguments" pill: his view holds still until he asks), with its source and bold text.
  await showNewArguments(benFirst);
  const benArgument = benFirst.locator(".column-pro .argument").first();
  await expect(benArgument).toContainText("Benchmarks reward narrow skills, not deployment.");
  await expect(benArgument.locator("strong")).toHaveText("not deployment");
  await expect(benArgument.getByRole("link", { name: "USCC Annual Report" })).toHaveAttribute("href", "https://www.uscc.gov/annual-report");

  // Ada rebuts her own argument's weak spot (a con reply); Ben sees the nested reply.
  const adaArgument = adaFirst.locator(".column-pro .argument").first();
  await adaArgument.getByRole("button", { name: "Reply" }).click();
  await adaArgument.getByRole("textbox", { name: "Reply to Ada" }).click();
  await ada.keyboard.type("Then again, capability leads tend to become deployment leads.");
  await adaArgument.getByRole("button", { name: "Post reply" }).click();
  await showNewArguments(benFirst);
  await expect(benArgument.locator(".rebuttal-list .argument")).toContainText("capability leads tend to become deployment leads");
  await expect(benArgument.locator(".rebuttals > summary")).toHaveText("1 reply");

  // Ada edits her argument; Ben, reading that proposition, keeps the old wording until he asks
  // for the edit (the pill), then sees the new wording, marked as edited.
  await adaArgument.getByRole("button", { name: "Edit", exact: true }).first().click();
  const editBox = adaArgument.getByRole("textbox", { name: "Edit your argument" });
  await editBox.click();
  await ada.keyboard.press("ControlOrMeta+a");
  await ada.keyboard.type("Benchmarks reward narrow skills; deployment rewards robustness.");
  await adaArgument.getByRole("button", { name: "Save changes" }).click();
  await expect(adaArgument.locator(".argument-body").first()).toHaveText("Benchmarks reward narrow skills; deployment rewards robustness.");
  await expect(benArgument.locator(".argument-body").first()).toHaveText("Benchmarks reward narrow skills, not deployment.");
  await showEditedArguments(benFirst);
  await expect(benArgument.locator(".argument-body").first()).toHaveText("Benchmarks reward narrow skills; deployment rewards robustness.");
  await expect(benArgument.locator(".argument-header").first()).toContainText("(edited)");

  // Ben votes; both see the same tally.
  await benFirst.getByRole("button", { name: /^Agree/ }).click();
  await expect(benFirst.getByRole("button", { name: /^Agree/ })).toHaveAttribute("aria-pressed", "true");
  await expect(adaFirst.getByTestId("tally-agree")).toHaveText("1");
  await adaFirst.getByRole("button", { name: /^Disagree/ }).click();
  for (const page of [ada, ben]) {
    const card = page.locator(".proposition").first();
    await expect(card.getByTestId("tally-agree")).toHaveText("1");
    await expect(card.getByTestId("tally-disagree")).toHaveText("1");
    await expect(card.getByTestId("tally-unsure")).toHaveText("0");
  }
  // Ben changes his mind: the old vote no longer counts.
  await benFirst.getByRole("button", { name: /^Unsure/ }).click();
  await expect(adaFirst.getByTestId("tally-agree")).toHaveText("0");
  await expect(adaFirst.getByTestId("tally-unsure")).toHaveText("1");

  // After a reload, everything is still there.
  await ben.reload();
  await expect(ben.locator(".proposition").first().locator(".argument")).toHaveCount(2);
  await expect(ben.locator(".proposition").first().getByRole("button", { name: /^Unsure/ })).toHaveAttribute("aria-pressed", "true");

  await ada.evaluate(() => window.scrollTo(0, 0));
  await ada.screenshot({ path: "test-results/debate-page.png", fullPage: false });
  await Promise.all([facilitatorContext.close(), ada.context().close(), ben.context().close()]);
});

test("bad article input is explained and the pasted text is kept", async ({ page }) => {
  await signUpInBrowser(page, "Fran Facilitator", "/debates/new");
  await page.goto("/debates/new");
  const text = "2024\n\n— — —\n???\n";
  await page.getByLabel("Article text").fill(text);
  await page.getByRole("button", { name: "Draft propositions" }).click();
  await expect(page.getByRole("alert")).toContainText("no sentences");
  await expect(page.getByLabel("Article text")).toHaveValue(text);
});

test("an unknown debate shows a sentence, not a stack", async ({ page }) => {
  const res = await page.goto("/debates/00000000-0000-4000-8000-000000000000");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("alert")).toContainText("was not found");
});

test("a reader in another time zone gets no hydration error, and sees names with bidi characters contained", async ({ browser, request }) => {
  const created = await (await request.post("/api/debates", { headers: await facilitatorHeaders(request), data: { sourceText: seedArticle, publish: true } })).json();
  const joined = await (await request.post(`/api/debates/${created.id}/participants`, { data: { displayName: "Ada" } })).json();
  const posted = await request.post(`/api/debates/${created.id}/arguments`, {
    headers: { Authorization: `Bearer ${joined.token}` },
    data: { propositionId: created.propositions[0].id, stance: "pro", body: { root: { type: "root", version: 1, direction: null, format: "", indent: 0, children: [{ type: "paragraph", version: 1, direction: null, format: "", indent: 0, textFormat: 0, textStyle: "", children: [{ type: "text", version: 1, detail: 0, format: 0, mode: "normal", style: "", text: "<img src=x onerror=alert(1)> stays text" }] }] } } },
  });
  expect(posted.status()).toBe(201);
  const context = await browser.newContext({ timezoneId: "America/New_York" });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(created.url);
  await expect(page.getByTestId("connection-status")).toHaveText("Live");
  await expect(page.locator(".argument").first()).toContainText("<img src=x onerror=alert(1)> stays text");
  await expect(page.locator(".argument time").first()).not.toContainText("UTC");
  expect(problems).toEqual([]);
  await context.close();
});

test("a post that cannot go says why next to the field; a source needs only its URL", async ({ browser, request }) => {
  const account = await request.post("/api/accounts", { data: { email: `host-${Date.now()}@example.org`, password: "a long passphrase here", displayName: "Host" } });
  const auth = { Authorization: `Bearer ${(await account.json()).apiToken as string}` };
  const created = await (await request.post("/api/debates", { headers: auth, data: { sourceText: seedArticle, publish: true } })).json();
  const ada = await joinInNewContext(browser, `${test.info().project.use.baseURL}${created.url as string}`, "Ada");
  const first = ada.locator(".proposition").first();
  await first.getByText("Add an argument").click();
  const composer = first.getByRole("form", { name: "New argument on proposition 1" });

  // Nothing written yet: said, not a silent no-op.
  await composer.getByRole("button", { name: "Post argument" }).click();
  await expect(composer.getByRole("alert")).toHaveText("Write your argument first.");

  await composer.getByRole("textbox", { name: "New argument on proposition 1" }).click();
  await ada.keyboard.type("Benchmarks reward narrow skills.");
  // A source with a title but no URL: the message sits under the URL field, which gets the focus.
  await composer.getByRole("button", { name: "+ Add a source" }).click();
  await composer.getByLabel("Title").fill("USCC Annual Report");
  await composer.getByRole("button", { name: "Post argument" }).click();
  const url = composer.getByLabel("URL");
  await expect(url).toBeFocused();
  await expect(url).toHaveAttribute("aria-invalid", "true");
  await expect(composer.getByRole("alert")).toContainText("Source 1 needs its web address (URL)");
  await expect(first.locator(".argument")).toHaveCount(0);

  // A URL the server refuses: its message comes back under the same field, and the text stays.
  await url.fill("ftp://example.org/report");
  await composer.getByRole("button", { name: "Post argument" }).click();
  await expect(composer.getByRole("alert")).toContainText(/http/);
  await expect(url).toHaveAttribute("aria-invalid", "true");
  await expect(composer.getByRole("textbox", { name: "New argument on proposition 1" })).toHaveText("Benchmarks reward narrow skills.");
  await expect(first.locator(".argument")).toHaveCount(0);

  // The URL alone is enough (the title was cleared): the link is named after the site; an
  // untouched extra source block is dropped rather than blocking the post.
  await url.fill("https://www.uscc.gov/annual-report");
  await composer.getByLabel("Title").fill("");
  await composer.getByRole("button", { name: "+ Add a source" }).click();
  await composer.getByRole("button", { name: "Post argument" }).click();
  const posted = first.locator(".column-pro .argument").first();
  await expect(posted).toContainText("Benchmarks reward narrow skills.");
  await expect(posted.getByRole("link", { name: "uscc.gov" })).toHaveAttribute("href", "https://www.uscc.gov/annual-report");
  await expect(posted.locator(".argument-body")).toHaveText("Benchmarks reward narrow skills.");

  // The composer stays open and is empty again, and new typing does not pile onto the old text.
  const box = composer.getByRole("textbox", { name: "New argument on proposition 1" });
  await expect(box).toHaveText("");
  await box.click();
  await ada.keyboard.type("A second thought.");
  await expect(box).toHaveText("A second thought.");
  await ada.context().close();
});

test("arguments can be ordered oldest first, most up-voted, or by who they convinced across groups", async ({ page, request }) => {
  const account = await request.post("/api/accounts", { data: { email: `host-${Date.now()}@example.org`, password: "a long passphrase here", displayName: "Host" } });
  const auth = { Authorization: `Bearer ${(await account.json()).apiToken as string}` };
  const created = await (await request.post("/api/debates", { headers: auth, data: { sourceText: seedArticle, publish: true, visibility: "public" } })).json();
  const base = `/api/debates/${created.id as string}`;
  const join = async (displayName: string) => ((await (await request.post(`${base}/participants`, { data: { displayName } })).json()) as { token: string }).token;
  const [ada, ben] = [await join("Ada"), await join("Ben")];
  const propositionId = (created.propositions as { id: string }[])[0]!.id;
  const post = async (token: string, text: string) => {
    const body = { root: { type: "root", version: 1, direction: null, format: "", indent: 0, children: [{ type: "paragraph", version: 1, direction: null, format: "", indent: 0, textFormat: 0, textStyle: "", children: [{ type: "text", version: 1, text, format: 0, style: "", mode: "normal", detail: 0 }] }] } };
    const res = await request.post(`${base}/arguments`, { headers: { Authorization: `Bearer ${token}` }, data: { opId: crypto.randomUUID(), propositionId, stance: "pro", body } });
    expect(res.status()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  await post(ada, "The first, unloved argument.");
  const liked = await post(ben, "The second, well-liked argument.");
  for (const token of [ada, ben]) expect((await request.put(`${base}/arguments/${liked}/rating`, { headers: { Authorization: `Bearer ${token}` }, data: { value: "up" } })).ok()).toBe(true);

  await page.goto(created.url as string);
  const column = page.locator(".proposition").first().locator(".column-pro");
  await expect(column.locator(".argument").first()).toContainText("The first, unloved argument.");
  await page.getByLabel("Order arguments").selectOption("top");
  await expect(column.locator(".argument").first()).toContainText("The second, well-liked argument.");
  await expect(page.getByTestId("argument-order-note")).toContainText("Most up-voted first");
  await page.getByLabel("Order arguments").selectOption("bridging");
  await expect(page.getByTestId("argument-order-note")).toContainText("Wilson lower bound");
  await expect(column.locator(".argument").first()).toContainText("The second, well-liked argument.");
  await page.getByLabel("Order arguments").selectOption("oldest");
  await expect(column.locator(".argument").first()).toContainText("The first, unloved argument.");
});
