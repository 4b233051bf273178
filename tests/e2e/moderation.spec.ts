/**
 * Moderation in real Chromium: debater Ada posts, debater Ben reports it, the
 * facilitator sees the report in the queue and hides the argument with a
 * reason; Ben's page shows the placeholder live while Ada still sees her
 * argument with the "hidden" banner; the facilitator downloads the audit log.
 */
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { participantCookieName } from "../../app/shared/contract";
import { seedArticle } from "../support/article";
import { facilitatorHeaders } from "../support/e2e-accounts";
import { seeArgument, showNewArguments } from "../support/new-arguments";
import { joinInNewContext } from "../support/e2e-pages";

test("a reported argument is hidden by the facilitator: others see the placeholder live, the author the banner; the log downloads as CSV", async ({ browser, request, baseURL }) => {
  const created = await (await request.post("/api/debates", { headers: await facilitatorHeaders(request), data: { sourceText: seedArticle, publish: true } })).json();
  const joinUrl = `${baseURL}/debates/${created.id}`;

  // The facilitator's browser holds the host's participant cookie.
  const facilitatorContext = await browser.newContext();
  await facilitatorContext.addCookies([{ name: participantCookieName(created.id), value: created.hostToken, url: baseURL!, httpOnly: true, sameSite: "Lax" }]);
  const facilitator = await facilitatorContext.newPage();
  await facilitator.goto(joinUrl);
  await expect(facilitator.getByTestId("connection-status")).toHaveText("Live");
  await expect(facilitator.getByTestId("moderation-link")).toHaveText("Moderation");

  const ada = await joinInNewContext(browser, joinUrl, "Ada");
  const ben = await joinInNewContext(browser, joinUrl, "Ben");

  // Ada posts an argument on the first proposition.
  const adaFirst = ada.locator(".proposition").first();
  await adaFirst.getByText("Add an argument").click();
  const composer = adaFirst.getByRole("form", { name: "New argument on proposition 1" });
  await composer.getByRole("textbox", { name: "New argument on proposition 1" }).click();
  await ada.keyboard.type("Buy cheap benchmarks at my shop.");
  await composer.getByRole("button", { name: "Post argument" }).click();

  // Ben reports it, with a reason that looks like a spreadsheet formula.
  const benFirst = ben.locator(".proposition").first();
  const benArgument = benFirst.locator(".column-pro .argument").first();
  await showNewArguments(benFirst);
  await expect(benArgument).toContainText("Buy cheap benchmarks at my shop.");
  await expect(benFirst.getByTestId("count-pro")).toHaveText("(1)");
  // Her own argument offers Delete, not Report.
  const adaOwn = ada.locator(".proposition").first().locator(".column-pro .argument").first();
  await expect(adaOwn.getByRole("button", { name: "Delete" })).toBeVisible();
  await expect(adaOwn.getByRole("button", { name: "Report" })).toHaveCount(0);
  await benArgument.getByRole("button", { name: "Report" }).click();
  await benArgument.getByLabel("Why are you reporting this argument?").fill('=HYPERLINK("http://evil.example","advert")');
  await benArgument.getByRole("button", { name: "Send report" }).click();
  await expect(benArgument.getByRole("status")).toHaveText("Thank you: the facilitators will look at your report.");

  // The facilitator's page learns about the report live, and the queue shows it.
  await expect(facilitator.getByTestId("moderation-link")).toHaveText("Moderation (1 open report)");
  await facilitator.getByTestId("moderation-link").click();
  await expect(facilitator.getByRole("heading", { level: 1 })).toContainText("Moderation:");
  const item = facilitator.locator(".queue-item").first();
  await expect(item).toContainText("Buy cheap benchmarks at my shop.");
  await expect(item).toContainText('=HYPERLINK("http://evil.example","advert")');
  await expect(item).toContainText("Ben");
  // An empty reason is explained next to the item, and nothing is hidden.
  await item.getByLabel("Reason for hiding (shown with it)").fill("   ");
  await item.getByRole("button", { name: "Hide" }).click();
  await expect(item.getByRole("alert")).toContainText(/reason/i);
  await expect(benFirst.locator(".column-pro .argument").first()).toContainText("Buy cheap benchmarks");
  await item.getByLabel("Reason for hiding (shown with it)").fill("Advertising");
  await item.getByRole("button", { name: "Hide" }).click();
  await expect(facilitator.getByText("No open reports.")).toBeVisible();
  await expect(facilitator.getByRole("region", { name: /Hidden arguments/ })).toContainText("Advertising");

  // Ben sees the placeholder without reloading; the text is gone and the count is down.
  await expect(benFirst.getByTestId("withheld-placeholder")).toHaveText("This argument was hidden by a facilitator: Advertising");
  await expect(benFirst).not.toContainText("Buy cheap benchmarks");
  await expect(benFirst.getByTestId("count-pro")).toHaveText("(0)");
  // And after a reload, the server sends it withheld.
  await ben.reload();
  await expect(ben.locator(".proposition").first().getByTestId("withheld-placeholder")).toHaveText("This argument was hidden by a facilitator: Advertising");
  expect(await ben.content()).not.toContain("Buy cheap benchmarks");

  // Ada still sees her argument, with the banner.
  const adaArgument = ada.locator(".proposition").first().locator(".column-pro .argument").first();
  await expect(adaArgument.getByRole("note")).toContainText("Hidden by a facilitator: Advertising");
  await expect(adaArgument).toContainText("Buy cheap benchmarks at my shop.");

  // The audit log, as CSV.
  const downloading = facilitator.waitForEvent("download");
  await facilitator.getByRole("link", { name: "Download CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`steelman-audit-${created.id}.csv`);
  const csv = await readFile((await download.path())!, "utf8");
  const lines = csv.trimEnd().split("\r\n");
  expect(lines[0]).toBe("time,actor,actor_id,action,target_type,target_id,reason,details");
  // Oldest first: the debate's publication (created published, audited since issue 10), the report, the hiding.
  expect(lines).toHaveLength(4);
  expect(lines[1]).toContain(",debate.published,debate,");
  expect(lines[2]).toContain(",Ben,");
  expect(lines[2]).toContain(",report.filed,argument,");
  expect(lines[2]).toContain(`"'=HYPERLINK(""http://evil.example"",""advert"")"`);
  expect(lines[3]).toContain(",argument.hidden,argument,");
  expect(lines[3]).toContain(",Advertising,");
});

test("an author deletes her argument after confirming; others see it deleted live and the facilitator can read what it said", async ({ browser, request, baseURL }) => {
  const created = await (await request.post("/api/debates", { headers: await facilitatorHeaders(request), data: { sourceText: seedArticle, publish: true } })).json();
  const joinUrl = `${baseURL}/debates/${created.id}`;
  const facilitatorContext = await browser.newContext();
  await facilitatorContext.addCookies([{ name: participantCookieName(created.id), value: created.hostToken, url: baseURL!, httpOnly: true, sameSite: "Lax" }]);
  const facilitator = await facilitatorContext.newPage();
  const ada = await joinInNewContext(browser, joinUrl, "Ada");
  const joined = await (await request.post(`/api/debates/${created.id}/participants`, { data: { displayName: "Ben" } })).json();
  await facilitator.goto(joinUrl);
  await expect(facilitator.getByTestId("connection-status")).toHaveText("Live");

  const adaFirst = ada.locator(".proposition").first();
  await adaFirst.getByText("Add an argument").click();
  await adaFirst.getByRole("textbox", { name: "New argument on proposition 1" }).click();
  await ada.keyboard.type("A sentence I will take back.");
  await adaFirst.getByRole("button", { name: "Post argument" }).click();
  const adaArgument = adaFirst.locator(".column-pro .argument").first();
  await expect(adaArgument).toContainText("A sentence I will take back.");
  // Saved (no longer the greyed item waiting for the server): it has its id.
  await expect(adaArgument).toHaveAttribute("data-argument-id", /.+/);
  // Ben (through the API) answers it; the reply stays after the deletion.
  const reply = await request.post(`/api/debates/${created.id}/arguments`, {
    headers: { Authorization: `Bearer ${joined.token}` },
    data: { propositionId: created.propositions[0].id, parentId: await adaArgument.getAttribute("data-argument-id"), stance: "con", body: { root: { type: "root", children: [{ type: "paragraph", children: [{ type: "text", text: "A reply that stays." }] }] } } },
  });
  expect(reply.status(), await reply.text()).toBe(201);
  expect((await reply.json()).parentId).toBe(await adaArgument.getAttribute("data-argument-id"));
  await showNewArguments(adaFirst);
  await expect(adaArgument).toContainText("A reply that stays.");

  await adaArgument.getByRole("button", { name: "Delete" }).first().click();
  await expect(adaArgument.getByRole("group", { name: "Confirm deletion" })).toBeVisible();
  await adaArgument.getByRole("button", { name: "Keep it" }).click();
  await expect(adaArgument).toContainText("A sentence I will take back.");
  await adaArgument.getByRole("button", { name: "Delete" }).first().click();
  await adaArgument.getByRole("button", { name: "Delete argument" }).click();

  // Whether the proposition is in the facilitator's view (behind the pill) or below it (shown at once), the thread arrives.
  await seeArgument(facilitator.locator(".proposition").first(), "A reply that stays.");
  const seen = facilitator.locator(".proposition").first().locator(".column-pro > .argument").first();
  await expect(seen.locator(".deleted-placeholder").first()).toHaveText("Deleted by its author.");
  await expect(seen).toContainText("A reply that stays.");
  await expect(facilitator.locator(".proposition").first().getByTestId("count-pro")).toHaveText("(0)");
  await seen.getByRole("button", { name: "(history)" }).click();
  await expect(seen.getByRole("region", { name: "Earlier versions of this argument" })).toContainText("A sentence I will take back.");
});
