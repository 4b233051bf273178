/**
 * The review page after drafting (issue 12): the detected language, a capped
 * draft of claims, "more candidate sentences" marked in the article and added
 * with one click, and suggested self-contained wordings used with one click;
 * axe-core WCAG 2.2 A/AA checks on the page.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signUpInBrowser } from "../support/e2e-accounts";

/** A short op-ed without a hot-take heading: some claims, some background, one paragraph opening with "Meanwhile,". */
const ARTICLE = `Why Cities Need Protected Bike Lanes

Cities should build protected bike lanes on every main road. Painted lines do not protect anyone, and the evidence from Copenhagen, Utrecht and Montreal shows that separated lanes are what make people feel safe enough to ride.

In 2019 our city council voted on a plan for forty kilometres of new lanes. The vote passed narrowly after a long debate that ran past midnight.

Meanwhile, drivers lose almost nothing when a lane replaces a row of parking spaces. Studies of shopping streets find that people on bikes visit more often and spend as much per month as people in cars.

Protected lanes are cheaper than new roads. They also make streets quieter and healthier for everyone who lives on them.

Critics say that winter makes cycling impossible. But Oulu in Finland keeps its lanes cleared and sees a third of its trips made by bike even in January.

The council must stop treating cycling as a hobby. It is transport, and it deserves the same share of the budget as every other kind.
`;

const GERMAN = `Die Stadt sollte mehr Geld in Radwege investieren. Der Verkehr in der Innenstadt ist seit Jahren ein Problem, und viele Menschen fahren mit dem Auto zur Arbeit.

Radwege sind billiger als neue Straßen. Sie machen die Stadt leiser und gesünder. Deshalb muss der Stadtrat jetzt handeln und die Pläne umsetzen.
`;

async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

async function draft(page: Page, text: string) {
  await page.goto("/debates/new");
  await page.getByLabel("Article text").fill(text);
  await page.getByRole("button", { name: "Draft propositions" }).click();
  await expect(page).toHaveURL(/\/debates\/[0-9a-f-]+\/edit$/);
}

test("the review page offers claims first, candidates with one click, suggested wordings, and names the language", async ({ page }) => {
  await signUpInBrowser(page, "Fran Facilitator", "/debates/new");
  await draft(page, ARTICLE);

  await expect(page.getByTestId("detected-language")).toContainText("Language detected: English");
  const drafts = page.locator(".draft-proposition");
  await expect(drafts).toHaveCount(5);
  await expect(drafts.first().locator("textarea")).toHaveValue("Cities should build protected bike lanes on every main road.");
  // Background narrative is not drafted.
  const values = await drafts.locator("textarea").evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value));
  expect(values.some((v) => v.includes("In 2019 our city council voted"))).toBe(false);

  const candidates = page.locator("li.candidate");
  await expect(page.getByRole("heading", { name: /More candidate sentences/ })).toBeVisible();
  const candidateCount = await candidates.count();
  expect(candidateCount).toBeGreaterThan(0);
  await expect(page.locator("aside .candidate-highlight")).toHaveCount(candidateCount);
  await expectAccessible(page);

  // Add the "Meanwhile, …" candidate with one click: it joins the draft, anchored, with a suggested rewording.
  const meanwhile = candidates.filter({ hasText: "Meanwhile, drivers lose almost nothing" });
  await expect(meanwhile).toContainText("suggested wording: Drivers lose almost nothing");
  await meanwhile.getByRole("button", { name: /^Add candidate sentence \d+ as a proposition$/ }).click();
  await expect(drafts).toHaveCount(6);
  await expect(candidates).toHaveCount(candidateCount - 1);
  const added = drafts.last();
  await expect(added.locator("textarea")).toHaveValue("Meanwhile, drivers lose almost nothing when a lane replaces a row of parking spaces.");
  await expect(added.locator(".suggestion")).toContainText("Drivers lose almost nothing when a lane replaces a row of parking spaces.");
  await expect(page.locator("aside .highlight:not(.candidate-highlight)")).toHaveCount(6);

  // Accept the suggestion: the wording changes, the anchor stays.
  await added.getByRole("button", { name: "Use the suggested wording for proposition 6" }).click();
  await expect(drafts.last().locator("textarea")).toHaveValue("Drivers lose almost nothing when a lane replaces a row of parking spaces.");
  await expect(drafts.last().locator(".suggestion")).toHaveCount(0);
  await expect(page.locator("aside .highlight:not(.candidate-highlight)")).toHaveCount(6);
  await expectAccessible(page);
});

test("a German article is drafted sentence by sentence and the page says German was detected", async ({ page }) => {
  await signUpInBrowser(page, "Greta Gastgeberin", "/debates/new");
  await draft(page, GERMAN);
  await expect(page.getByTestId("detected-language")).toContainText("Language detected: German");
  await expect(page.getByTestId("detected-language")).toContainText("Claims are scored in English only");
  await expect(page.locator(".draft-proposition").first().locator("textarea")).toHaveValue("Die Stadt sollte mehr Geld in Radwege investieren.");
  // The article and the drafts are marked as German text, whatever the page's own language.
  await expect(page.locator("aside .source-text")).toHaveAttribute("lang", "de");
  await expect(page.locator(".draft-proposition textarea").first()).toHaveAttribute("lang", "de");
  await expectAccessible(page);
});

/** A short Arabic opinion piece: the city should build safe bike lanes; current roads are dangerous; the council must act. */
const ARABIC = `يجب على المدينة أن تبني ممرات آمنة للدراجات في كل الشوارع الرئيسية. الطرق الحالية خطيرة على الأطفال وكبار السن.

بناء الممرات أرخص من بناء طرق جديدة. لذلك يجب على المجلس أن يتحرك الآن وأن يخصص الميزانية اللازمة.
`;

test("a right-to-left article reads right to left in the article, the drafts and the candidates", async ({ page }) => {
  await signUpInBrowser(page, "Rania Host", "/debates/new");
  await draft(page, ARABIC);
  await expect(page.getByTestId("detected-language")).toContainText("Arabic");
  const direction = (selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).direction);
  await expect(page.locator(".draft-proposition")).not.toHaveCount(0);
  expect(await direction("aside .source-text")).toBe("rtl");
  expect(await direction(".draft-proposition textarea")).toBe("rtl");
  await expect(page.locator("aside .source-text")).toHaveAttribute("lang", "ar");
  await expectAccessible(page);
});

test("adding a candidate from the keyboard keeps the focus in the list, and re-drafting asks before replacing edits", async ({ page }) => {
  await signUpInBrowser(page, "Kim Keyboard", "/debates/new");
  await draft(page, ARTICLE);
  const drafts = page.locator(".draft-proposition");
  const candidates = page.locator("li.candidate");
  await expect(drafts).toHaveCount(5);
  const candidateCount = await candidates.count();
  expect(candidateCount).toBeGreaterThan(1);

  // Space on the first candidate's Add button: it joins the draft and the focus lands on the candidate now first, not the page's title.
  const firstText = await candidates.first().locator(".candidate-text").innerText();
  await candidates.first().getByRole("button").focus();
  await page.keyboard.press("Space");
  await expect(drafts).toHaveCount(6);
  await expect(candidates).toHaveCount(candidateCount - 1);
  await expect(candidates.first().getByRole("button")).toBeFocused();
  expect(await candidates.first().locator(".candidate-text").innerText()).not.toBe(firstText);

  // Re-draft: dismissing the question keeps the list with the added sentence; accepting re-drafts it.
  const redraft = page.getByRole("button", { name: "Re-draft from this section" });
  page.once("dialog", (dialog) => {
    expect(dialog.message()).toContain("replaces the 6 propositions");
    void dialog.dismiss();
  });
  await redraft.click();
  await expect(drafts).toHaveCount(6);
  page.once("dialog", (dialog) => void dialog.accept());
  await redraft.click();
  await expect(drafts).toHaveCount(5);
  await expect(candidates).toHaveCount(candidateCount);
});
