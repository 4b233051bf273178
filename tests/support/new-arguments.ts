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
