/**
 * The main path in German (issue 16, languages), every step in the browser: a facilitator whose
 * browser asks for German signs up, drafts a German article on the new-debate page, publishes it from
 * the review page, sets the debate's language to German on the settings page and reads the join code
 * in the Share panel; a participant whose browser asks for German joins with the code, votes, posts
 * an argument with a source and replies. Every page is rendered in German by the server (no English
 * first) and passes axe.
 */
import { expect, test } from "@playwright/test";
import { randomAccount } from "../support/api-client";
import { expectAccessible } from "../support/e2e-pages";

const GERMAN = `Die Stadt sollte mehr Geld in Radwege investieren. Der Verkehr in der Innenstadt ist seit Jahren ein Problem, und viele Menschen fahren mit dem Auto zur Arbeit.

Radwege sind billiger als neue Straßen. Sie machen die Stadt leiser und gesünder. Deshalb muss der Stadtrat jetzt handeln und die Pläne umsetzen.
`;

test("in German: a debate in German, a participant joins with the code, votes, argues with a source and replies", async ({ browser }) => {
  // The facilitator, in German from the first page on: sign up, draft, publish, the debate's language, the code.
  const host = await (await browser.newContext({ locale: "de-DE" })).newPage();
  const account = randomAccount("Greta Gastgeberin");
  await host.goto(`/signup?next=${encodeURIComponent("/debates/new")}`);
  await expect(host.locator("html")).toHaveAttribute("lang", "de");
  await host.getByLabel("E-Mail-Adresse").fill(account.email);
  await host.getByLabel("Ihr Name, wie die Teilnehmenden ihn sehen").fill(account.displayName);
  await host.getByLabel("Passwort").fill(account.password);
  await expectAccessible(host);
  await host.getByRole("button", { name: "Konto anlegen" }).click();
  await expect(host.getByRole("heading", { level: 1 })).toHaveText("Neue Debatte");
  await host.getByLabel("Text des Artikels").fill(GERMAN);
  await expectAccessible(host);
  await host.getByRole("button", { name: "Aussagen entwerfen" }).click();
  await expect(host).toHaveURL(/\/debates\/[0-9a-f-]+\/edit$/);
  await expectAccessible(host);
  const debatePath = new URL(host.url()).pathname.replace(/\/edit$/, "");
  await host.getByRole("button", { name: "Debatte veröffentlichen" }).click();
  await expect(host).toHaveURL(/\/edit\?published=1$/);
  await host.goto(`${debatePath}/settings`);
  await host.getByLabel("Sprache der Debatte").selectOption("de");
  await host.getByRole("button", { name: "Sprache speichern" }).click();
  await expect(host.getByLabel("Sprache der Debatte")).toHaveValue("de");
  await expectAccessible(host);
  await host.goto(debatePath);
  await host.getByText("Teilen: Beitrittscode und Link").click();
  const joinCode = (await host.getByTestId("join-code").textContent())!.trim();
  expect(joinCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await expectAccessible(host);

  // A participant whose browser asks for German.
  const context = await browser.newContext({ locale: "de-DE" });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await expect(page.getByRole("heading", { name: "Mit einem Code beitreten" })).toBeVisible();
  await expectAccessible(page);

  // A wrong code first: the server's refusal is in German too (its code stays the same).
  await page.goto("/join");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Einer Debatte beitreten");
  await page.getByLabel("Beitrittscode").fill("ZZZZ-ZZZZ");
  await page.getByLabel("Ihr Anzeigename").fill("Anna");
  await page.getByRole("button", { name: "Beitreten" }).click();
  await expect(page.getByRole("alert")).toContainText("Keine Debatte hat den Beitrittscode ZZZZ-ZZZZ");
  await expectAccessible(page);

  await page.getByLabel("Beitrittscode").fill(joinCode);
  await page.getByRole("button", { name: "Beitreten" }).click();
  await expect(page.getByText("Sie sind Anna.")).toBeVisible();
  await expect(page.getByTestId("connection-status")).toHaveText("Live");
  // Anna and the facilitator, who has the debate open.
  await expect(page.getByTestId("presence-count")).toHaveText("2 anwesend");
  // The debate's own text is marked as German.
  await expect(page.locator(".source-text")).toHaveAttribute("lang", "de");
  await expectAccessible(page);

  // Vote.
  const first = page.locator(".proposition").first();
  await first.getByRole("button", { name: /^Zustimmen/ }).click();
  await expect(first.getByRole("button", { name: /^Zustimmen/ })).toHaveAttribute("aria-pressed", "true");
  await expect(first.getByTestId("tally-agree")).toHaveText("1");

  // An argument with a source.
  await first.getByText("Argument hinzufügen").click();
  const composer = first.getByRole("form", { name: "Neues Argument zu Aussage 1" });
  await composer.getByRole("textbox", { name: "Neues Argument zu Aussage 1" }).click();
  await page.keyboard.type("Radwege entlasten die Straßen für alle.");
  await composer.getByRole("button", { name: "+ Quelle hinzufügen" }).click();
  await composer.getByLabel("URL").fill("https://example.org/radverkehr");
  await composer.getByLabel("Titel").fill("Radverkehr in Zahlen");
  await expectAccessible(page);
  await composer.getByRole("button", { name: "Argument veröffentlichen" }).click();
  const argument = first.locator(".column-pro .argument").first();
  await expect(argument).toContainText("Radwege entlasten die Straßen für alle.");
  await expect(argument.locator(".argument-body")).toHaveAttribute("lang", "de");
  await expect(argument.getByRole("link", { name: "Radverkehr in Zahlen" })).toHaveAttribute("href", "https://example.org/radverkehr");
  await expect(first.getByTestId("count-pro")).toHaveText("(1)");

  // A reply.
  await argument.getByRole("button", { name: "Antworten" }).click();
  await argument.getByRole("textbox", { name: "Antwort an Anna" }).click();
  await page.keyboard.type("Aber nur, wenn die Wege sicher sind.");
  await argument.getByRole("button", { name: "Antwort veröffentlichen" }).click();
  await expect(argument.locator(".rebuttal-list .argument")).toContainText("Aber nur, wenn die Wege sicher sind.");
  await expect(argument.locator(".rebuttals > summary")).toHaveText("1 Antwort");
  await expectAccessible(page);

  // After a reload the server renders German again, with everything still there.
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await expect(page.locator(".proposition").first().getByRole("button", { name: /^Zustimmen/ })).toHaveAttribute("aria-pressed", "true");
  // The facilitator saw the vote, the argument and the reply arrive live, in German.
  const hostFirst = host.locator(".proposition").first();
  await expect(hostFirst.getByTestId("tally-agree")).toHaveText("1");
  await expect(hostFirst.getByTestId("count-pro")).toHaveText("(1)");
  await context.close();
  await host.context().close();
});
