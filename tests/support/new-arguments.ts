/**
 * Others' new arguments in a proposition the reader has in view wait behind the "N new arguments"
 * pill (issue 19, docs/decisions/0100-a-page-that-holds-still.md). Tests that check another
 * participant's post arrives live click it, as a reader would.
 */
import { expect, type Locator } from "@playwright/test";

/**
 * Waits for the pill in `scope` (a proposition, or the page) to announce `count` new arguments, clicks it,
 * and waits until it is gone.
 */
export async function showNewArguments(scope: Locator, count = 1): Promise<void> {
  const pill = scope.getByTestId("new-arguments-pill");
  await expect(pill).toHaveText(`${count} new ${count === 1 ? "argument" : "arguments"}`);
  await pill.click();
  await expect(pill).toHaveCount(0);
}

/**
 * Waits until an argument containing `text` is shown in `scope` (a proposition): when it arrives
 * behind the pill (the proposition in view), the pill is clicked; when it arrives out of view, it is
 * inserted at once and there is no pill.
 */
export async function seeArgument(scope: Locator, text: string): Promise<void> {
  const pill = scope.getByTestId("new-arguments-pill");
  const argument = scope.locator(".argument").filter({ hasText: text });
  await expect(pill.or(argument).first()).toBeVisible();
  if (await pill.count()) await pill.first().click();
  await expect(argument.first()).toBeVisible();
}

/**
 * Waits for the pill in `scope` (a proposition in view) to announce `count` edited arguments
 * (someone else's edit waits there while the reader has the proposition in view), clicks it, and
 * waits until it is gone.
 */
export async function showEditedArguments(scope: Locator, count = 1): Promise<void> {
  const pill = scope.getByTestId("new-arguments-pill");
  await expect(pill).toHaveText(`${count} edited ${count === 1 ? "argument" : "arguments"}`);
  await pill.click();
  await expect(pill).toHaveCount(0);
}
