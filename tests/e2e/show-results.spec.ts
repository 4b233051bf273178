/**
 * Showing the results early, end to end in real Chromium (issue 13): in a classroom debate's Read
 * phase a student votes and sees no tally; the teacher presses "Show the results now" (checked
 * with axe), and the tally reaches the other student's page live, without a reload; the results
 * page opens for students; the teacher's page then says the results are shown.
 */
import { expect, test, type Page } from "@playwright/test";
import { seedArticle } from "../support/article";
import { signUpInBrowser } from "../support/e2e-accounts";
import { expectAccessible, joinInNewContext } from "../support/e2e-pages";

const student = joinInNewContext;

test.describe.configure({ timeout: 120_000 });

test("a teacher shows the results before the results phase and every page follows live", async ({ browser }) => {
  const teacher = await (await browser.newContext()).newPage();
  await signUpInBrowser(teacher, "Mr Early", "/debates/new");
  await teacher.goto("/debates/new");
  await teacher.getByLabel("Article text").fill(seedArticle);
  await teacher.getByRole("radio", { name: /Classroom lesson/ }).check();
  await teacher.getByRole("button", { name: "Draft propositions" }).click();
  await expect(teacher).toHaveURL(/\/debates\/[0-9a-f-]+\/edit$/);
  const debateUrl = new URL(teacher.url()).pathname.replace(/\/edit$/, "");
  await teacher.getByRole("button", { name: "Publish debate" }).click();
  await teacher.goto(debateUrl);
  await expect(teacher.getByTestId("connection-status")).toHaveText("Live");

  const ama = await student(browser, debateUrl, "Ama");
  const bruno = await student(browser, debateUrl, "Bruno");
  // Students get no such control.
  await expect(ama.getByTestId("show-results")).toHaveCount(0);

  const first = (page: Page) => page.locator(".proposition").first();
  await first(ama).getByRole("button", { name: /^Agree/ }).click();
  await expect(first(teacher).getByTestId("tally-agree")).toHaveText("1");
  await expect(first(bruno).getByTestId("tally-agree")).toHaveText("0");
  await bruno.goto(`${debateUrl}/results`);
  await expect(bruno.getByText(/The results are shown in the Results phase/)).toBeVisible();
  await bruno.goto(debateUrl);
  await expect(bruno.getByTestId("connection-status")).toHaveText("Live");

  await expect(teacher.getByTestId("show-results")).toHaveAccessibleDescription(/This cannot be undone/);
  await expectAccessible(teacher);
  await teacher.getByTestId("show-results").click();
  await expect(teacher.getByTestId("results-shown-note")).toBeVisible();
  // Bruno's page gets the real tally live, in the same phase.
  await expect(first(bruno).getByTestId("tally-agree")).toHaveText("1");
  await expect(bruno.getByTestId("phase-name")).toHaveText("Read");
  await bruno.goto(`${debateUrl}/results`);
  await expect(bruno.getByRole("heading", { name: "Propositions" })).toBeVisible();
  await expectAccessible(bruno);
});
