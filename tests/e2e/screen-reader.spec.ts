/**
 * What a screen reader gets (issue 16): the page's one polite live region speaks about the
 * proposition in focus only, throttled (ADR 0041); and the accessibility tree of the main flow
 * (join, a proposition with its vote group, argument columns, an argument with its source,
 * rating and reply) is pinned with Playwright's aria snapshots.
 */
import { expect, test, type APIRequestContext } from "@playwright/test";
import { seedArticle } from "../support/article";
import { facilitatorHeaders } from "../support/e2e-accounts";

const paragraph = (text: string) => ({ root: { type: "root", children: [{ type: "paragraph", children: [{ type: "text", text }] }] } });

async function setUp(request: APIRequestContext) {
  const created = await (await request.post("/api/debates", { headers: await facilitatorHeaders(request), data: { sourceText: seedArticle, publish: true } })).json();
  const join = async (displayName: string) => ((await (await request.post(`/api/debates/${created.id as string}/participants`, { data: { displayName } })).json()) as { token: string }).token;
  const post = async (token: string, propositionIndex: number, text: string, extra: Record<string, unknown> = {}) => {
    const res = await request.post(`/api/debates/${created.id as string}/arguments`, { headers: { Authorization: `Bearer ${token}` }, data: { propositionId: created.propositions[propositionIndex].id, stance: "con", body: paragraph(text), ...extra } });
    expect(res.status(), await res.text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const vote = async (token: string, propositionIndex: number, value: string) => {
    const res = await request.put(`/api/debates/${created.id as string}/propositions/${created.propositions[propositionIndex].id as string}/vote`, { headers: { Authorization: `Bearer ${token}` }, data: { value } });
    expect(res.status(), await res.text()).toBe(200);
  };
  return { created: created as { id: string; url: string }, join, post, vote };
}

test("new arguments and tally changes on the proposition in focus are announced politely, throttled; elsewhere nothing", async ({ page, request }) => {
  const { created, join, post, vote } = await setUp(request);
  const [ben, cy] = [await join("Ben"), await join("Cy")];
  await page.goto(created.url);
  await page.getByLabel("Pick a display name to take part").fill("Ada");
  await page.getByRole("button", { name: "Join the debate" }).click();
  await expect(page.getByTestId("connection-status")).toHaveText("Live");
  const announcer = page.getByTestId("live-announcer");
  await expect(announcer).toHaveAttribute("aria-live", "polite");
  // The per-proposition tallies and the composers' character counters are not live regions (they were a flood).
  await expect(page.locator(".vote-bar [aria-live], .char-count[aria-live]")).toHaveCount(0);
  await expect(page.locator(".vote-bar .visually-hidden").first()).toHaveText("0 agree, 0 disagree, 0 unsure");
  await expect(announcer).toHaveText("");

  // Focus in proposition 1: news about proposition 2 is not spoken.
  const agree = page.locator(".proposition").first().getByRole("button", { name: /^Agree/ });
  await expect(agree).toBeEnabled();
  await agree.focus();
  await expect(agree).toBeFocused();
  await post(ben, 1, "Somewhere else entirely.");
  await expect(page.locator(".proposition").nth(1).locator(".argument")).toHaveCount(1);
  await vote(cy, 1, "agree");
  await expect(page.locator(".proposition").nth(1).getByTestId("tally-agree")).toHaveText("1");
  await expect(announcer).toHaveText("");

  // A new argument on proposition 1 is spoken.
  await post(ben, 0, "Compute is the lead that matters.");
  await expect(announcer).toHaveText("Proposition 1: new con argument by Ben: “Compute is the lead that matters.”.");
  const spokenAt = Date.now();
  // Two votes right after: merged into one announcement, no sooner than 5 s after the last.
  await vote(ben, 0, "agree");
  await vote(cy, 0, "disagree");
  await expect(page.locator(".proposition").first().getByTestId("tally-disagree")).toHaveText("1");
  await expect(announcer).toHaveText("Proposition 1: votes now 1 agree, 1 disagree, 0 unsure.", { timeout: 15_000 });
  expect(Date.now() - spokenAt).toBeGreaterThanOrEqual(4_500);

  // One's own vote changes the tally too: the count is said (after the throttle), which confirms it was counted.
  await page.locator(".proposition").first().getByRole("button", { name: /^Unsure/ }).click();
  await expect(page.locator(".proposition").first().getByTestId("tally-unsure")).toHaveText("1");
  await expect(announcer).toHaveText("Proposition 1: votes now 1 agree, 1 disagree, 1 unsure.", { timeout: 15_000 });
});

test("the accessibility tree of a proposition with a thread, as a participant sees it", async ({ page, request }) => {
  const { created, join, post, vote } = await setUp(request);
  const ben = await join("Ben");
  const argumentId = await post(ben, 0, "Compute is the lead that matters.", { sources: [{ url: "https://www.uscc.gov/annual-report", title: "USCC Annual Report" }] });
  await vote(ben, 0, "agree");
  await page.goto(created.url);
  await page.getByLabel("Pick a display name to take part").fill("Ada");
  await page.getByRole("button", { name: "Join the debate" }).click();
  await expect(page.getByTestId("connection-status")).toHaveText("Live");
  const first = page.locator(".proposition").first();
  await first.getByRole("button", { name: /^Disagree/ }).click();
  await first.locator(`[data-argument-id="${argumentId}"]`).getByRole("button", { name: "Reply" }).click();
  await first.getByRole("textbox", { name: "Reply to Ben" }).click();
  await page.keyboard.type("Only if it is deployed.");
  await first.getByRole("button", { name: "Post reply" }).click();
  await expect(first.locator(".rebuttals > summary")).toHaveText("1 reply");

  await expect(page.locator(".presence-box")).toMatchAriaSnapshot(`
    - status: Live
    - paragraph: /\\d+ here/
    - paragraph: You are Ada.
  `);
  await expect(first.getByRole("group", { name: "Your vote on proposition 1" })).toMatchAriaSnapshot(`
    - group "Your vote on proposition 1":
      - button "Agree 1" [pressed=false]
      - button "Disagree 1" [pressed]
      - button "Unsure 0" [pressed=false]
  `);
  await expect(first.locator(".vote-bar")).toMatchAriaSnapshot(`
    - paragraph: 1 agree, 1 disagree, 0 unsure
  `);
  await expect(first.getByRole("region", { name: "Against arguments" })).toMatchAriaSnapshot(`
    - region "Against arguments":
      - heading "Against (1)" [level=4]
      - article "Con argument by Ben":
        - text: Con Ben
        - time: /.+/
        - paragraph: Compute is the lead that matters.
        - list "Sources":
          - listitem:
            - link "USCC Annual Report"
            - text: (www.uscc.gov)
        - group "Rate this argument":
          - button "Rate up (0)" [pressed=false]
          - button "Rate down (0)" [pressed=false]
        - button "Reply" [expanded=false]
        - button "Report" [expanded=false]
        - group:
          - text: 1 reply
          - article "Con argument by Ada":
            - text: Con Ada
            - time: /.+/
            - paragraph: Only if it is deployed.
            - group "Rate this argument":
              - button "Rate up (0)" [pressed=false]
              - button "Rate down (0)" [pressed=false]
            - button "Reply" [expanded=false]
            - button "Edit"
            - button "Delete" [expanded=false]
  `);
});
