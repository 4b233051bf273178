/**
 * Languages (issue 16): the server renders the browser's language with no English first; the
 * switcher sets a cookie; a right-to-left pseudo-locale lays the page out RTL and stays accessible;
 * and every visible string of the participants' pages (the results page and projector mode too), of the
 * account pages, and of a facilitator's new-debate page, Oxford debate page (phase banner and controls,
 * motion, showing results, teams), settings, moderation (with its audit log) and import pages (with an
 * importer's warning), comes from the catalogues.
 *
 * The pseudo-locale `ar-XB` (app/i18n/locales.ts) wraps every catalogue message in ⟦ ⟧. A visible
 * text node without a marker is a string that bypasses the catalogues, unless it is the debate's
 * own content (marked with `lang`, or an isolated name in <bdi>), a number or punctuation, or one of
 * the KNOWN_GAPS listed below (each is in docs/i18n.md "Not yet translated").
 */
import { expect, test, type Page } from "@playwright/test";
import { plainTextToArgumentBody } from "../../app/shared/argument-body";
import { participantCookieName } from "../../app/shared/contract";
import { seedArticle } from "../support/article";
import { facilitatorToken, signUpInBrowser } from "../support/e2e-accounts";
import { expectAccessible, joinInNewContext } from "../support/e2e-pages";

/** What is not an interface string: the debate's own text and people's names, the brand, endonyms in the switcher. */
const USER_CONTENT = ["[lang]:not(html)", "bdi", ".brand", ".sources a", ".sources .muted", ".join-code", "time"];
/** Interface strings that do not go through the catalogues yet, by page, each named in docs/i18n.md (none on the pages checked here). */
const KNOWN_GAPS: string[] = [];

/**
 * Visible text nodes (also visually hidden ones, which screen readers read; not aria-hidden icons) and the
 * aria-label, title and placeholder of visible elements, that are not from a catalogue.
 */
async function untranslated(page: Page): Promise<string[]> {
  return page.evaluate((allowed) => {
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? "";
      if (!text || /^[\s\d.,:;%·—–\-+/()×▲▼⇄…"“”'’]*$/u.test(text)) continue;
      const element = node.parentElement;
      if (!element || element.closest("script, style, template, noscript, [aria-hidden=true]") || !element.checkVisibility()) continue;
      if (allowed.some((selector) => element.closest(selector))) continue;
      if (text.includes("⟦") || text.includes("⟧")) continue;
      found.push(`${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).split(" ")[0]}` : ""}: ${text}`);
    }
    for (const element of document.body.querySelectorAll("[aria-label], [title], [placeholder]")) {
      if (!element.checkVisibility() || allowed.some((selector) => element.closest(selector))) continue;
      for (const name of ["aria-label", "title", "placeholder"]) {
        const value = element.getAttribute(name)?.trim();
        // Examples of a shape are the same in every language: a join code, a web address.
        const example = value === "ABCD-EFGH" || value === "https://…";
        if (value && !example && !/^[\s\d.,:;%·—–\-+/()×▲▼⇄…"“”'’]*$/u.test(value) && !value.includes("⟦")) found.push(`${element.tagName.toLowerCase()}[${name}]: ${value}`);
      }
    }
    return found;
  }, [...USER_CONTENT, ...KNOWN_GAPS]);
}

test("the server renders the browser's language at once, and the switcher's choice wins from then on", async ({ browser, request }) => {
  // The HTML itself, before any script: German from Accept-Language.
  const html = await (await request.get("/", { headers: { "Accept-Language": "de-CH, de;q=0.9, en;q=0.5" } })).text();
  expect(html).toMatch(/<html lang="de" dir="ltr"/);
  expect(html).toContain("Mit einem Code beitreten");
  const french = await (await request.get("/join", { headers: { "Accept-Language": "fr" } })).text();
  expect(french).toContain("Rejoindre un débat");

  const page = await (await browser.newContext({ locale: "es-ES" })).newPage();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Unirse con un código" })).toBeVisible();
  // The switcher: a select and a button (no change of page on selecting).
  await page.getByLabel("Idioma").selectOption("fr");
  await page.getByRole("button", { name: "Cambiar idioma" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("heading", { name: "Rejoindre avec un code" })).toBeVisible();
  await page.goto("/join");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rejoindre un débat");
  await expectAccessible(page);
  await page.context().close();
});

test("server error messages keep their code and come in the request's language", async ({ request }) => {
  const res = await request.post("/api/join", { headers: { "Accept-Language": "es" }, data: { code: "nope", displayName: "Eva" } });
  expect(res.status()).toBe(400);
  expect(await res.json()).toEqual({ error: { code: "validation_failed", field: "code", message: "Eso no es un código de debate: tiene 8 letras y cifras, como ABCD-EFGH." } });
  const english = await request.post("/api/join", { data: { code: "nope", displayName: "Eva" } });
  expect((await english.json()).error.message).toBe("That is not a join code: it has 8 letters and digits, like ABCD-EFGH.");
  const unknown = await request.get("/api/no-such-thing", { headers: { "Accept-Language": "de" } });
  expect(unknown.status()).toBe(404);
  expect(await unknown.json()).toEqual({ error: { code: "not_found", message: "Diesen API-Endpunkt gibt es nicht. Siehe docs/api.md." } });
});

test("the right-to-left pseudo-locale: every visible string is from the catalogues, the layout is mirrored and accessible", async ({ browser, request, baseURL }) => {
  const auth = { Authorization: `Bearer ${await facilitatorToken(request, "Rhea")}` };
  const created = await (await request.post("/api/debates", { headers: auth, data: { sourceText: seedArticle, publish: true } })).json();
  // The debate's language marks its text: what the marker check leaves alone as content.
  expect((await request.patch(`/api/debates/${created.id as string}/settings`, { headers: auth, data: { language: "en" } })).ok()).toBe(true);

  const context = await browser.newContext();
  await context.addCookies([{ name: "lang", value: "ar-XB", url: baseURL! }]);
  const page = await context.newPage();

  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  expect(await untranslated(page)).toEqual([]);
  await page.goto("/join");
  expect(await untranslated(page)).toEqual([]);
  await page.goto("/no-such-page");
  expect(await untranslated(page)).toEqual([]);

  // The debate page, as a visitor and then as a participant with an argument, a source and a reply.
  await page.goto(`/debates/${created.id as string}`);
  expect(await untranslated(page)).toEqual([]);
  await page.getByRole("textbox").first().fill("Rami");
  await page.locator("form.join-form button[type=submit]").first().click();
  await expect(page.getByTestId("connection-status")).toHaveText("⟦Live⟧");
  const first = page.locator(".proposition").first();
  await first.locator("details.new-argument > summary").click();
  await first.locator("[contenteditable]").click();
  await page.keyboard.type("An argument.");
  await first.locator(".composer-actions button").first().click(); // + add a source
  await first.locator("input[type=url]").fill("https://example.org/a");
  await first.locator(".composer-actions button[type=submit]").click();
  const argument = first.locator(".column-pro .argument").first();
  await expect(argument).toContainText("An argument.");
  await argument.locator(".argument-footer button").filter({ hasText: "Reply" }).click();
  await argument.locator("[contenteditable]").click();
  await page.keyboard.type("A reply.");
  await argument.locator(".composer-actions button[type=submit]").click();
  await expect(argument.locator(".rebuttal-list .argument")).toContainText("A reply.");
  await first.getByRole("button", { name: /Agree/ }).click();
  expect(await untranslated(page)).toEqual([]);

  // Right to left: the stance border is on the inline start, which is the right; nothing overflows sideways.
  const border = await argument.evaluate((el) => ({ right: getComputedStyle(el).borderRightWidth, left: getComputedStyle(el).borderLeftWidth }));
  expect(border).toEqual({ right: "4px", left: "1px" });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectAccessible(page);
  await context.close();
});

test("the pseudo-locale on a facilitator's pages: the new-debate form, settings, an Oxford debate with the phase banner and its controls, the motion, showing results and teams, moderation with its audit log, and import with a warning", async ({ browser, baseURL }) => {
  // The facilitator drafts an Oxford-style debate on the new-debate page, in ar-XB.
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUpInBrowser(page, "Rhea Host", "/debates/new");
  const language = (value: string) => context.addCookies([{ name: "lang", value, url: baseURL! }]);
  await language("ar-XB");
  await page.goto("/debates/new");
  await page.locator("input[name=format][value=oxford]").check();
  await expect(page.locator("input[name=motion]")).toBeVisible();
  expect(await untranslated(page)).toEqual([]);
  await expectAccessible(page);
  await page.locator("textarea[name=sourceText]").fill(seedArticle);
  await page.locator("input[name=motion]").fill("This house would shorten the week.");
  await page.getByRole("button", { name: "⟦Draft propositions⟧" }).click();
  await expect(page).toHaveURL(/\/debates\/[0-9a-f-]+\/edit$/);
  // The review page: publish (its strings are not checked here: the debate has no language yet, so its
  // article is not marked as content, and the detected language's name comes from Intl, not a catalogue).
  const debateUrl = new URL(page.url()).pathname.replace(/\/edit$/, "");
  await page.getByRole("button", { name: "⟦Publish debate⟧" }).click();
  await expect(page).toHaveURL(/\/edit\?published=1$/);
  // The settings page, with a debater to manage (who joins in English): every section, the participant's
  // controls opened, a confirmation after saving. The debate's language marks its text (and the motion) as content.
  const debater = await joinInNewContext(browser, debateUrl, "Sam Debater");
  await page.goto(`${debateUrl}/settings`);
  await expect(page.locator("h1")).toContainText("⟦");
  const row = page.locator("tr", { hasText: "Sam Debater" });
  await row.locator("summary").first().click();
  await row.locator("summary").last().click();
  expect(await untranslated(page)).toEqual([]);
  await expectAccessible(page);
  await page.getByLabel("⟦The debate's language⟧").selectOption("en");
  await page.getByRole("button", { name: "⟦Save language⟧" }).click();
  await expect(page.getByRole("status")).toHaveText("⟦Language saved.⟧");
  await expect(page.getByLabel("⟦The debate's language⟧")).toHaveValue("en");
  // Muting the debater: a confirmation here and a line in the audit log (checked on the moderation page below).
  await page.getByRole("button", { name: "⟦Mute Sam Debater⟧" }).click();
  await expect(page.getByRole("status")).toHaveText("⟦Muted: they can read and vote, not post.⟧");
  expect(await untranslated(page)).toEqual([]);
  await debater.context().close();

  await page.goto(debateUrl);
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.getByTestId("phase-banner")).toBeVisible();
  await expect(page.getByTestId("motion-panel")).toBeVisible();
  await expect(page.getByTestId("show-results")).toBeVisible();
  await page.getByTestId("teams-panel").locator("summary").click();
  expect(await untranslated(page)).toEqual([]);
  // The timer running, a motion vote cast: the other sentences of the banner and the panel.
  await page.getByTestId("phase-start").click();
  await expect(page.getByTestId("phase-banner")).toHaveAttribute("data-timer", "running");
  await page.getByTestId("motion-for").click();
  await expect(page.getByTestId("motion-for")).toHaveAttribute("aria-pressed", "true");
  expect(await untranslated(page)).toEqual([]);
  await expectAccessible(page);

  // The moderation page: the audit log's lines (the mute above among them) come from the catalogues too.
  await page.goto(`${debateUrl}/moderation`);
  await expect(page.locator("h1")).toContainText("⟦");
  await expect(page.locator(".audit-action", { hasText: "⟦muted⟧" })).toBeVisible();
  expect(await untranslated(page)).toEqual([]);
  await expectAccessible(page);
  // The import page, with an importer's warning (an AIF graph with a locution node, which is left out).
  await page.goto("/debates/import");
  await expect(page.locator("h1")).toContainText("⟦");
  expect(await untranslated(page)).toEqual([]);
  const graph = { nodes: [{ nodeID: "1", type: "I", text: "Thesis" }, { nodeID: "2", type: "I", text: "Premise" }, { nodeID: "r", type: "RA", text: "" }, { nodeID: "l", type: "L", text: "said" }], edges: [{ fromID: "2", toID: "r" }, { fromID: "r", toID: "1" }] };
  await page.locator("input[type=file]").setInputFiles({ name: "graph.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(graph)) });
  await expect(page.getByTestId("import-warnings")).toHaveText("⟦graph.json: ⟦1 L node(s) were left out (locutions).⟧⟧");
  expect(await untranslated(page)).toEqual([]);
  await expectAccessible(page);
  await context.close();
});

test("the pseudo-locale on the results page: tallies, opinion groups and the map, the facilitator's controls, projector mode", async ({ browser, request, baseURL }) => {
  test.setTimeout(120_000);
  const auth = { Authorization: `Bearer ${await facilitatorToken(request, "Rhea")}` };
  const created = await request.post("/api/debates", { headers: auth, data: { sourceText: seedArticle, publish: true, title: "Should schools ban phones?" } });
  expect(created.status()).toBe(201);
  const debate = (await created.json()) as { id: string; hostToken: string; propositions: { id: string }[] };
  expect((await request.patch(`/api/debates/${debate.id}/settings`, { headers: auth, data: { language: "en" } })).ok()).toBe(true);
  // Six people in two camps (the fourth proposition splits them the other way), and an argument: groups, a map, a strongest argument.
  const props = debate.propositions.slice(0, 4);
  const tokens: string[] = [];
  for (const name of ["Ada", "Ben", "Cy", "Dee", "Eve", "Fay"]) {
    const joined = await request.post(`/api/debates/${debate.id}/participants`, { data: { displayName: name } });
    expect(joined.status()).toBe(201);
    tokens.push(((await joined.json()) as { token: string }).token);
  }
  for (const [i, token] of tokens.entries()) {
    for (const [j, p] of props.entries()) {
      const value = j === 3 ? (i % 2 ? "disagree" : "agree") : i < 3 ? "agree" : "disagree";
      const res = await request.put(`/api/debates/${debate.id}/propositions/${p.id}/vote`, { headers: { Authorization: `Bearer ${token}` }, data: { value } });
      expect(res.status(), await res.text()).toBe(200);
    }
  }
  const argued = await request.post(`/api/debates/${debate.id}/arguments`, {
    headers: { Authorization: `Bearer ${tokens[0]!}` },
    data: { propositionId: props[0]!.id, stance: "pro", body: plainTextToArgumentBody("Phones in class split attention."), sources: [] },
  });
  expect(argued.status(), await argued.text()).toBe(201);

  /** A browser in ar-XB acting as the participant holding `token`. */
  const as = async (token: string) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([
      { name: "lang", value: "ar-XB", url: baseURL! },
      { name: participantCookieName(debate.id), value: token, url: baseURL! },
    ]);
    return context.newPage();
  };

  // Ada: the summary, the tallies, two groups with "you are here" on the map, the strongest argument.
  const ada = await as(tokens[0]!);
  await ada.goto(`/debates/${debate.id}/results`);
  await expect(ada.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(ada.getByTestId("group-card")).toHaveCount(2, { timeout: 30_000 });
  await expect(ada.getByTestId("you-are-here")).toBeVisible();
  await expect(ada.locator(".connection")).toHaveText("⟦Live⟧");
  await expect(ada.getByRole("heading", { level: 1 })).toHaveText("⟦Results: Should schools ban phones?⟧");
  await expect(ada.locator(".strongest-argument blockquote").first()).toContainText("Phones in class split attention.");
  expect(await untranslated(ada)).toEqual([]);
  await expectAccessible(ada);

  // The host: the meta buttons and participants' names on the map; then projector mode, the board and one proposition.
  const host = await as(debate.hostToken);
  await host.goto(`/debates/${debate.id}/results`);
  await expect(host.getByTestId("group-card")).toHaveCount(2, { timeout: 30_000 });
  await expect(host.locator(".meta-form button").first()).toHaveText(/^⟦.*⟧$/);
  expect(await untranslated(host)).toEqual([]);
  await host.goto(`/debates/${debate.id}/results?view=projector`);
  await expect(host.getByTestId("projector")).toBeVisible();
  expect(await untranslated(host)).toEqual([]);
  await expectAccessible(host);
  await host.keyboard.press("ArrowRight");
  await expect(host).toHaveURL(/p=1/);
  await expect(host.locator(".projector-summary")).toContainText("⟦proposition 1 of");
  expect(await untranslated(host)).toEqual([]);

  // A classroom debate before its Results phase: the results page says why it shows nothing yet, with the phase banner.
  const classroom = (await (await request.post("/api/debates", { headers: auth, data: { sourceText: seedArticle, publish: true, format: "classroom" } })).json()) as { id: string };
  expect((await request.patch(`/api/debates/${classroom.id}/settings`, { headers: auth, data: { language: "en" } })).ok()).toBe(true);
  const student = await request.post(`/api/debates/${classroom.id}/participants`, { data: { displayName: "Ama" } });
  expect(student.status()).toBe(201);
  await ada.context().addCookies([{ name: participantCookieName(classroom.id), value: ((await student.json()) as { token: string }).token, url: baseURL! }]);
  await ada.goto(`/debates/${classroom.id}/results`);
  await expect(ada.getByTestId("results-hidden").getByRole("status").first()).toHaveText(/^⟦The results are shown in the /);
  expect(await untranslated(ada)).toEqual([]);
  await expectAccessible(ada);
  await ada.context().close();
  await host.context().close();
});

test("the pseudo-locale on the account pages: sign-up, sign-in, the account, changing, forgetting and resetting a password, and their refusals", async ({ browser, baseURL }) => {
  const context = await browser.newContext();
  await context.addCookies([{ name: "lang", value: "ar-XB", url: baseURL! }]);
  const page = await context.newPage();
  /** The page has only catalogue strings and passes axe. */
  const check = async () => {
    await expect(page.locator("h1")).toContainText("⟦");
    expect(await untranslated(page)).toEqual([]);
    await expectAccessible(page);
  };
  const email = `pseudo-${Date.now()}-${Math.random().toString(36).slice(2)}@example.org`;
  const password = "quiet otter lantern mosaic";

  // Sign-up, then refused for a guessable password: the reason is translated too.
  await page.goto("/signup");
  await check();
  await page.locator("input[name=email]").fill(email);
  await page.locator("input[name=displayName]").fill("Pia Pseudo");
  await page.locator("input[name=password]").fill("Password1!");
  await page.locator("form.account-form button[type=submit]").click();
  await expect(page.locator("#password-error")).toContainText("⟦");
  await check();
  await page.locator("input[name=password]").fill(password);
  await page.locator("form.account-form button[type=submit]").click();
  await expect(page).toHaveURL(/\/account$/);

  // The account page, with a new API token shown once and listed.
  await check();
  await page.locator("input[name=name]").fill("grading script");
  await page.locator("form:has(input[name=intent][value=createToken]) button[type=submit]").click();
  await expect(page.locator("#new-token")).toBeVisible();
  await expect(page.locator(".token-table")).toBeVisible();
  await check();

  // Changing the password: a wrong current one is refused in the page's language.
  await page.goto("/account/password");
  await check();
  await page.locator("input[name=currentPassword]").fill("not my password at all");
  await page.locator("input[name=newPassword]").fill("another quiet otter lantern");
  await page.locator("form.account-form button[type=submit]").click();
  await expect(page.locator("#current-password-error")).toContainText("⟦");
  await check();

  // Signing out, then a wrong password on the sign-in page.
  await page.goto("/logout");
  await check();
  await page.locator("main form button[type=submit]").click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/login?notice=everywhere");
  await check();
  await page.locator("input[name=email]").fill(email);
  await page.locator("input[name=password]").fill("not my password at all");
  await page.locator("form.account-form button[type=submit]").click();
  await expect(page.locator("#form-error")).toContainText("⟦");
  await check();

  // Forgetting the password: the form and its answer; a reset link that does not work; the 404 page.
  await page.goto("/forgot-password");
  await check();
  await page.locator("input[name=email]").fill(email);
  await page.locator("form.account-form button[type=submit]").click();
  await expect(page.getByRole("status")).toContainText("⟦");
  await check();
  await page.goto("/reset-password/no-such-token");
  await expect(page.getByRole("alert")).toContainText("⟦");
  await check();
  await page.goto("/no-such-page");
  await check();
  await context.close();
});
