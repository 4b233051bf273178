/**
 * The main path with the keyboard alone (issue 16): join with a code from the home page, vote,
 * open the composer, format, add a source, post, reply, fold a thread, rate, report and cancel.
 * Only page.keyboard is used on the page (Tab, Shift+Tab, Enter, Space, typing; setup goes
 * through the API). Every element that takes the focus on the way shows it (a :focus-visible
 * outline or ring), Tab always moves on (never trapped), and the focus lands somewhere sensible
 * after posting a reply or closing a form.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";
import { seedArticle } from "../support/article";
import { facilitatorHeaders } from "../support/e2e-accounts";

/**
 * The focused element shows the focus: it matches :focus-visible and has an outline or a box shadow
 * (its own or its editor frame's). Polled for a moment: the plain text area hands the focus over to
 * the rich editor when that has loaded, with nothing focused in between.
 */
async function expectFocusVisible(page: Page) {
  await expect.poll(() => focusState(page), { timeout: 3_000 }).toBe("ok");
}

function focusState(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return "nothing focused";
    const shows = (node: Element) => {
      const style = getComputedStyle(node);
      return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1) || style.boxShadow !== "none";
    };
    if (!el.matches(":focus-visible")) return `${el.outerHTML.slice(0, 80)} is not :focus-visible`;
    if (shows(el) || (el.closest(".editor") && shows(el.closest(".editor")!))) return "ok";
    return `${el.outerHTML.slice(0, 80)} has no visible focus style`;
  });
}

/**
 * Presses `key` (Tab or Shift+Tab) until `target` has the focus, checking at each step that the
 * focus is visible and moves (a trap would keep it on one element). Fails after `max` presses.
 */
async function tabTo(page: Page, target: Locator, key: "Tab" | "Shift+Tab" = "Tab", max = 120) {
  let previous = "";
  let stuck = 0;
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement || el.contains(document.activeElement)).catch(() => false)) return;
    await page.keyboard.press(key);
    await expectFocusVisible(page);
    const now = await page.evaluate(() => {
      const el = document.activeElement!;
      return `${el.tagName}#${el.id}.${el.className}:${el.textContent?.slice(0, 30)}:${[...document.querySelectorAll("*")].indexOf(el)}`;
    });
    stuck = now === previous ? stuck + 1 : 0;
    expect(stuck, `the focus stays on ${now} when ${key} is pressed`).toBeLessThan(2);
    previous = now;
  }
  throw new Error(`${key} did not reach ${target.toString()} in ${max} presses`);
}

test("join with a code, vote, post with a source, reply, fold, rate and report with the keyboard alone", async ({ page, request }) => {
  test.setTimeout(120_000);
  const headers = await facilitatorHeaders(request);
  const created = await (await request.post("/api/debates", { headers, data: { sourceText: seedArticle, publish: true } })).json();
  const settings = await (await request.get(`/api/debates/${created.id as string}/settings`, { headers })).json();
  const joinCode = settings.joinCode as string;
  expect(joinCode).toMatch(/\w{4}/);
  // Ben's argument, for Kai to rate and report.
  const ben = await (await request.post(`/api/debates/${created.id as string}/participants`, { data: { displayName: "Ben" } })).json();
  const body = { root: { type: "root", children: [{ type: "paragraph", children: [{ type: "text", text: "Ben says compute is the lead." }] }] } };
  expect((await request.post(`/api/debates/${created.id as string}/arguments`, { headers: { Authorization: `Bearer ${ben.token as string}` }, data: { propositionId: created.propositions[0].id, stance: "con", body } })).status()).toBe(201);

  // The skip link comes first on a page and takes the focus past the header.
  await page.goto("/");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await expectFocusVisible(page);
  // Join from the home page's code box.
  await tabTo(page, page.getByLabel("Join code"));
  await page.keyboard.type(joinCode);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Your display name")).toBeFocused();
  await page.keyboard.type("Kai");
  await page.keyboard.press("Enter");
  await expect(page.getByText("You are Kai.")).toBeVisible();
  await expect(page.getByTestId("connection-status")).toHaveText("Live");

  // The new page's heading has the focus (not the button of the page that is gone).
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();

  // Vote.
  const first = page.locator(".proposition").first();
  const agree = first.getByRole("button", { name: /^Agree/ });
  await tabTo(page, agree);
  await page.keyboard.press("Space");
  await expect(agree).toHaveAttribute("aria-pressed", "true");
  await expect(first.getByTestId("tally-agree")).toHaveText("1");
  await expect(agree).toBeFocused();

  // Open the composer, choose "con" with the arrow keys and back to "pro", write with bold.
  const opener = first.locator("summary", { hasText: "Add an argument" });
  await tabTo(page, opener);
  await page.keyboard.press("Enter");
  const composer = first.getByRole("form", { name: "New argument on proposition 1" });
  const pro = composer.getByLabel("supports the proposition (pro)");
  await tabTo(page, pro);
  await page.keyboard.press("ArrowDown");
  await expect(composer.getByLabel("attacks the proposition (con)")).toBeChecked();
  await page.keyboard.press("ArrowUp");
  await expect(pro).toBeChecked();
  const editor = composer.getByRole("textbox", { name: "New argument on proposition 1" });
  await tabTo(page, editor);
  await page.keyboard.type("Benchmarks reward narrow skills, ");
  await page.keyboard.press("ControlOrMeta+b");
  await expect(composer.getByRole("button", { name: "Bold" })).toHaveAttribute("aria-pressed", "true");
  await page.keyboard.type("not deployment");
  await page.keyboard.press("ControlOrMeta+b");
  await page.keyboard.type(".");
  // Shift+Tab leaves the editor backwards (to its toolbar): not trapped.
  await page.keyboard.press("Shift+Tab");
  await expectFocusVisible(page);
  await expect(editor).not.toBeFocused();
  // The formatting toolbar is one Tab stop, its buttons reached with the arrow keys, Home and End.
  const tool = (name: string) => composer.getByRole("toolbar", { name: "Formatting" }).getByRole("button", { name, exact: true });
  await expect(tool("Bold")).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(tool("Italic")).toBeFocused();
  await page.keyboard.press("End");
  await expect(tool("Link")).toBeFocused();
  await page.keyboard.press("ArrowRight");
  await expect(tool("Bold")).toBeFocused();
  await page.keyboard.press("ArrowLeft");
  await expect(tool("Link")).toBeFocused();
  await page.keyboard.press("Home");
  await expect(tool("Bold")).toBeFocused();
  await page.keyboard.press("ArrowRight");
  // Tab leaves the toolbar for the editor; coming back, the last button used has the focus.
  await page.keyboard.press("Tab");
  await expect(editor).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(tool("Italic")).toBeFocused();

  // A source: its URL field takes the focus when it is added.
  await tabTo(page, composer.getByRole("button", { name: "+ Add a source" }));
  await page.keyboard.press("Enter");
  await expect(composer.getByLabel("URL")).toBeFocused();
  await page.keyboard.type("https://www.uscc.gov/annual-report");
  await page.keyboard.press("Tab");
  await page.keyboard.type("USCC Annual Report");
  await tabTo(page, composer.getByRole("button", { name: "Post argument" }));
  await page.keyboard.press("Enter");
  const mine = first.locator(".column-pro .argument").first();
  await expect(mine).toContainText("Benchmarks reward narrow skills, not deployment.");
  await expect(mine.locator("strong")).toHaveText("not deployment");
  await expect(mine.getByRole("link", { name: "USCC Annual Report" })).toBeVisible();
  // The composer is empty again and the focus is still in it, not lost to the page.
  await expect(editor).toHaveText("");
  expect(await composer.evaluate((form) => form.contains(document.activeElement))).toBe(true);

  // Reply to Ben's argument; after posting, the focus is back on its Reply button.
  const bens = first.locator(".column-con > .argument").first();
  // Its own footer's buttons (a reply below it has buttons of the same names).
  const footer = bens.locator(":scope > footer");
  const reply = footer.getByRole("button", { name: "Reply" });
  await tabTo(page, reply, "Shift+Tab");
  await page.keyboard.press("Enter");
  await expect(footer.getByRole("button", { name: "Cancel reply" })).toBeFocused();
  const replyBox = bens.getByRole("textbox", { name: "Reply to Ben" });
  await tabTo(page, replyBox);
  await page.keyboard.type("Compute without deployment is a lead on paper.");
  await tabTo(page, bens.getByRole("button", { name: "Post reply" }));
  await page.keyboard.press("Enter");
  await expect(bens.locator(".rebuttal-list .argument")).toContainText("Compute without deployment is a lead on paper.");
  await expect(reply).toBeFocused();

  // Fold the thread and unfold it.
  const fold = bens.locator(".rebuttals > summary");
  await tabTo(page, fold);
  await page.keyboard.press("Enter");
  await expect(bens.locator(".rebuttal-list .argument")).toBeHidden();
  await page.keyboard.press("Space");
  await expect(bens.locator(".rebuttal-list .argument")).toBeVisible();

  // Rate Ben's argument up.
  const up = footer.getByRole("button", { name: /^Rate up/ });
  await tabTo(page, up, "Shift+Tab");
  await page.keyboard.press("Space");
  await expect(up).toHaveAttribute("aria-pressed", "true");
  await expect(up).toHaveAccessibleName("Rate up (1)");

  // Open the report form (the reason field takes the focus), close it with Escape: the focus returns to Report.
  const report = footer.getByRole("button", { name: "Report" });
  await tabTo(page, report);
  await page.keyboard.press("Enter");
  const reason = bens.locator(":scope > footer").getByLabel("Why are you reporting this argument?");
  await expect(reason).toBeFocused();
  await page.keyboard.type("Just testing");
  await page.keyboard.press("Escape");
  await expect(reason).toHaveCount(0);
  await expect(report).toBeFocused();
  // Send one: the thanks is announced and the focus is back on Report.
  await page.keyboard.press("Enter");
  await page.keyboard.type("Off topic");
  await tabTo(page, footer.getByRole("button", { name: "Send report" }));
  await page.keyboard.press("Enter");
  await expect(footer.getByRole("status").filter({ hasText: "Thank you" })).toBeVisible();
  await expect(report).toBeFocused();
});

test("joining on the debate page with the keyboard leaves the focus on the page's heading, not on nothing", async ({ page, request }) => {
  const created = await (await request.post("/api/debates", { headers: await facilitatorHeaders(request), data: { sourceText: seedArticle, publish: true } })).json();
  await page.goto(created.url as string);
  await tabTo(page, page.getByLabel("Pick a display name to take part"));
  await page.keyboard.type("Lou");
  await page.keyboard.press("Enter");
  await expect(page.getByText("You are Lou.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
  // And Tab goes on from there into the page, visibly.
  await page.keyboard.press("Tab");
  await expectFocusVisible(page);
});
