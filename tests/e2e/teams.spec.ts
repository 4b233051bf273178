/**
 * Teams and small groups end to end in real Chromium (issue 13, docs/decisions/0073-teams.md): a
 * teacher makes two teams with sides and splits three students (each in a browser context of
 * their own) at random; a student drafts in the team space, the teammate sees the draft live and
 * the other team does not; the teammate publishes it and everyone sees the argument live. Axe
 * checks the teams panel and the team space.
 */
import { expect, test, type Page } from "@playwright/test";
import { seedArticle } from "../support/article";
import { expectAccessible, joinInNewContext, publishInBrowser } from "../support/e2e-pages";
import { seeArgument } from "../support/new-arguments";

const membersOf = async (page: Page, team: string) => (await page.getByTestId("team-card").filter({ has: page.getByRole("heading", { name: team, exact: true }) }).getByTestId("team-member").allTextContents()).sort();

test("a teacher splits three students into teams with sides; a team drafts privately and publishes to everyone", async ({ browser }) => {
  const { facilitator: teacher, debatePath: debateUrl } = await publishInBrowser(browser, "Mr Okafor", seedArticle);

  const students: Record<string, Page> = {};
  for (const name of ["Ana", "Ben", "Cleo"]) students[name] = await joinInNewContext(browser, debateUrl, name);
  // Nobody is in a team yet: no team panel for the students.
  await expect(students.Ana!.getByTestId("teams-panel")).toHaveCount(0);

  // The teacher makes two teams with sides.
  await teacher.goto(debateUrl);
  await expect(teacher.getByTestId("connection-status")).toHaveText("Live");
  const panel = teacher.getByTestId("teams-panel");
  // Folded while there are no teams.
  await expect(panel.getByRole("form", { name: "New team" })).toBeHidden();
  await panel.getByText("Teams and small groups").click();
  for (const [name, side] of [["Reds", "For"], ["Blues", "Against"]] as const) {
    const form = panel.getByRole("form", { name: "New team" });
    await form.getByLabel("Team name").fill(name);
    await form.getByLabel("Side").selectOption({ label: side });
    await form.getByRole("button", { name: "Create team" }).click();
    await expect(panel.getByRole("heading", { name, exact: true })).toBeVisible();
  }
  await expect(panel.getByRole("heading", { name: "Teams", exact: true })).toBeVisible();
  await expect(panel.getByTestId("unassigned").getByTestId("team-member")).toHaveCount(3);

  // A random, balanced split: 2 and 1, everyone in a team.
  await panel.getByRole("button", { name: "Split everyone at random into these 2 teams" }).click();
  await expect(panel.getByTestId("unassigned")).toHaveCount(0);
  await expect(panel.getByTestId("team-member")).toHaveCount(3);
  const reds = await membersOf(teacher, "Reds");
  const blues = await membersOf(teacher, "Blues");
  expect([reds.length, blues.length]).toEqual([2, 1]);
  expect([...reds, ...blues].sort()).toEqual(["Ana", "Ben", "Cleo"]);
  await expect(panel.getByTestId("team-side").first()).toHaveText("argues for");
  // The Blues work on proposition 2 only: their team space says so, live.
  const bluesCard = panel.getByTestId("team-card").filter({ has: teacher.getByRole("heading", { name: "Blues", exact: true }) });
  await bluesCard.getByText("Propositions of Blues", { exact: true }).click();
  await bluesCard.getByRole("checkbox").nth(1).check();
  await bluesCard.getByRole("button", { name: "Save propositions of Blues" }).click();
  await expect(bluesCard.getByTestId("team-side")).toHaveText("argues against · propositions 2");
  await expectAccessible(teacher);
  await teacher.screenshot({ path: "test-results/teams-panel.png", fullPage: true });

  // The students see their team and side, live.
  const [writer, teammate] = reds as [string, string];
  const other = blues[0]!;
  await expect(students[writer]!.getByTestId("my-team")).toContainText("Reds — your team argues for");
  await expect(students[teammate]!.getByTestId("my-team")).toContainText(writer);
  await expect(students[other]!.getByTestId("my-team")).toContainText("Blues — your team argues against, on propositions 2.");
  await expect(students[other]!.getByTestId("team-space").getByLabel("Proposition").locator("option")).toHaveCount(1);

  // The writer drafts in the team space; the teammate and the teacher see it, the other team does not.
  const text = "A four-day week leaves a day for learning.";
  const space = students[writer]!.getByTestId("team-space");
  await space.getByLabel("Your team's draft").fill(text);
  await expectAccessible(students[writer]!);
  await space.getByRole("button", { name: "Save draft for the team" }).click();
  await expect(space.getByTestId("team-draft")).toContainText(text);
  const teammateDraft = students[teammate]!.getByTestId("team-draft").filter({ hasText: text });
  await expect(teammateDraft).toBeVisible();
  await expect(teammateDraft).toContainText(`For on proposition 1, by ${writer}`);
  await expect(teacher.getByTestId("team-card").filter({ hasText: "Reds" }).getByTestId("team-draft")).toContainText(text);
  await expect(students[other]!.getByTestId("team-space")).toContainText("No drafts yet.");
  await expect(students[other]!.getByText(text)).toHaveCount(0);
  await expect(students[writer]!.locator(".proposition").first().locator(".argument")).toHaveCount(0);
  await expectAccessible(students[teammate]!);
  await students[teammate]!.screenshot({ path: "test-results/team-space.png", fullPage: true });

  // The teammate publishes it: everyone sees the argument live, and the draft says so.
  await teammateDraft.getByRole("button", { name: "Publish to debate" }).click();
  for (const page of [teacher, students.Ana!, students.Ben!, students.Cleo!]) {
    await seeArgument(page.locator(".proposition").first(), text);
  }
  await expect(students[writer]!.getByTestId("team-draft-published")).toHaveText("Published to the debate.");
  await expect(students[writer]!.locator(".proposition").first().locator(".argument").filter({ hasText: text })).toContainText(writer);

  await Promise.all([teacher.context().close(), ...Object.values(students).map((p) => p.context().close())]);
});
