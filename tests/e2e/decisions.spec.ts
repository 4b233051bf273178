/**
 * Workshop decisions end to end in real Chromium (issue 13): a facilitator proposes a decision on
 * two propositions; two participants, each in their own browser context, answer it live (one
 * citing an argument; a block without a reason says why next to the form); the facilitator closes
 * it with an outcome that reaches every screen; the results page shows the outcome, the answers and
 * the cited argument. Axe checks the debate page with the panel (facilitator and participant) and
 * the results page.
 */
import { expect, test, type Page } from "@playwright/test";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { seedArticle } from "../support/article";
import { signUpInBrowser } from "../support/e2e-accounts";
import { expectAccessible, joinInNewContext } from "../support/e2e-pages";

const participant = joinInNewContext;

test.describe.configure({ timeout: 120_000 });

test("a workshop ends with a recorded decision linked to its arguments", async ({ browser }) => {
  const facilitator = await (await browser.newContext()).newPage();
  await signUpInBrowser(facilitator, "Dana Facilitator", "/debates/new");
  await facilitator.goto("/debates/new");
  await facilitator.getByLabel("Article text").fill(seedArticle);
  await facilitator.getByRole("radio", { name: /Workshop/ }).check();
  await facilitator.getByRole("button", { name: "Draft propositions" }).click();
  await expect(facilitator).toHaveURL(/\/debates\/[0-9a-f-]+\/edit$/);
  const debateUrl = new URL(facilitator.url()).pathname.replace(/\/edit$/, "");
  const debateId = debateUrl.split("/")[2]!;
  await facilitator.getByRole("button", { name: "Publish debate" }).click();
  await facilitator.goto(debateUrl);
  await expect(facilitator.getByTestId("connection-status")).toHaveText("Live");

  const ama = await participant(browser, debateUrl, "Ama");
  const bruno = await participant(browser, debateUrl, "Bruno");
  const panel = (page: Page) => page.getByTestId("decision-panel");
  await expect(panel(ama)).toContainText("No decision has been proposed yet.");
  // Participants are not offered the proposal form.
  await expect(ama.getByTestId("decision-propose")).toHaveCount(0);

  // Bruno argues on proposition 1 (through the API, with his cookie, as the page's own scripts could).
  const origin = new URL(bruno.url()).origin;
  const debate = await (await bruno.request.get(`/api/debates/${debateId}`)).json();
  const [p1] = debate.propositions as { id: string; text: string }[];
  const posted = await bruno.request.post(`/api/debates/${debateId}/arguments`, {
    data: { propositionId: p1!.id, stance: "pro", body: plainTextToArgumentBody("Shorter weeks kept output steady in the pilot.") },
    headers: { Origin: origin },
  });
  expect(posted.status(), await posted.text()).toBe(201);

  // The facilitator proposes a decision on propositions 1 and 2; an empty proposal says why.
  const propose = facilitator.getByTestId("decision-propose");
  await propose.getByRole("button", { name: "Propose the decision" }).click();
  await expect(facilitator.getByTestId("decision-propose-error")).toHaveText("Choose at least one proposition the decision is about.");
  await propose.getByRole("checkbox", { name: new RegExp(`^1\\. `) }).check();
  await propose.getByRole("checkbox", { name: new RegExp(`^2\\. `) }).check();
  await propose.getByLabel("The decision").fill("We run a four-day week trial next term.");
  await propose.getByRole("button", { name: "Propose the decision" }).click();
  for (const page of [facilitator, ama, bruno]) await expect(page.getByTestId("decision").first()).toContainText("We run a four-day week trial next term.");
  await expect(ama.getByTestId("decision")).toContainText(/Proposed by Dana Facilitator on proposition 1, proposition 2/);
  await expectAccessible(facilitator);

  // Ama agrees, citing Bruno's argument; Bruno's block without a reason is refused next to the form.
  const amaForm = ama.getByTestId("decision-respond");
  await amaForm.getByRole("radio", { name: /^Agree/ }).check();
  await amaForm.getByLabel(/Reason/).fill("The pilot data is convincing.");
  await amaForm.getByRole("checkbox", { name: /Shorter weeks kept output steady/ }).check();
  await expectAccessible(ama);
  await amaForm.getByRole("button", { name: "Send my answer" }).click();
  const brunoForm = bruno.getByTestId("decision-respond");
  await brunoForm.getByRole("radio", { name: /^Block/ }).check();
  await brunoForm.getByRole("button", { name: "Send my answer" }).click();
  await expect(bruno.getByTestId("decision-respond-error")).toHaveText(/A block needs a reason/);
  await brunoForm.getByLabel(/Reason/).fill("Not before the staff have been consulted.");
  await brunoForm.getByRole("button", { name: "Send my answer" }).click();

  // Everyone sees both answers live, with the citation.
  for (const page of [facilitator, ama, bruno]) {
    await expect(page.getByTestId("decision-status")).toContainText("agree 1 · abstain 0 · disagree 0 · block 1");
    await expect(page.getByTestId("decision")).toContainText("Cites “Shorter weeks kept output steady in the pilot.”");
  }
  await expect(ama.getByTestId("decision-respond").getByRole("button", { name: "Change my answer" })).toBeVisible();

  // The facilitator closes it: the outcome reaches every screen and the answer forms go.
  const close = facilitator.getByTestId("decision-close");
  await close.getByRole("combobox").selectOption("rejected");
  await close.getByLabel(/Note on the outcome/).fill("Blocked: we consult the staff first.");
  await close.getByRole("button", { name: "Close the decision" }).click();
  for (const page of [facilitator, ama, bruno]) {
    await expect(page.getByTestId("decision-status")).toContainText("Not adopted: Blocked: we consult the staff first.");
    await expect(page.getByTestId("decision-respond")).toHaveCount(0);
  }

  // The results page keeps the decision, its answers and the cited argument.
  await ama.goto(`${debateUrl}/results`);
  const results = ama.getByTestId("decision-results");
  await expect(results).toContainText("We run a four-day week trial next term.");
  await expect(results).toContainText("Not adopted");
  await expect(results).toContainText("Block — Bruno: Not before the staff have been consulted.");
  await expect(results).toContainText("Cites Bruno: “Shorter weeks kept output steady in the pilot.”");
  await expectAccessible(ama);
});
