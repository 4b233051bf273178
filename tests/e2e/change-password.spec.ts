/**
 * The change-password page (issue 20) in real Chromium: reached from the
 * account page, it needs the current password, says next to the field why a
 * new password is refused, and on success keeps this browser signed in while
 * every other browser is signed out. Each state is checked with axe-core
 * against WCAG 2.2 A/AA.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signUpInBrowser } from "../support/e2e-accounts";

/** No axe-core violations of WCAG 2.0, 2.1 and 2.2 at levels A and AA on the page as it is now. */
async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("a facilitator changes the password: current one required, reasons next to the field, other browsers signed out", async ({ browser }) => {
  const mine = await browser.newContext();
  const page = await mine.newPage();
  const account = await signUpInBrowser(page, "Cora Change");

  // Another browser signed in to the same account.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto("/login");
  await otherPage.getByLabel("Email address").fill(account.email);
  await otherPage.getByLabel("Password").fill(account.password);
  await otherPage.getByRole("button", { name: "Sign in" }).click();
  await expect(otherPage.getByRole("navigation", { name: "Main" }).getByText("Cora Change")).toBeVisible();

  await page.goto("/account");
  await page.getByRole("link", { name: "Change your password" }).click();
  await expect(page).toHaveURL(/\/account\/password$/);
  await expect(page.getByRole("heading", { level: 1, name: "Change your password" })).toBeVisible();
  await expectAccessible(page);

  const current = page.getByLabel("Current password");
  const fresh = page.getByLabel("New password");
  const submit = page.getByRole("button", { name: "Change password" });

  // A wrong current password: said next to that field.
  await current.fill("not my password at all");
  await fresh.fill("a sturdy new passphrase for cora");
  await submit.click();
  await expect(page.locator("#current-password-error")).toHaveText("The current password is wrong.");
  await expect(current).toHaveAttribute("aria-invalid", "true");
  await expect(current).toHaveAttribute("aria-describedby", "current-password-error");
  await expectAccessible(page);

  // A common password: refused with the reason, next to the new-password field, which it describes.
  await current.fill(account.password);
  await fresh.fill("P@ssw0rd123");
  await submit.click();
  const reason = page.locator("#password-error");
  await expect(reason).toContainText("That password is too easy to guess.");
  await expect(reason).toContainText("commonly used password");
  await expect(fresh).toHaveAttribute("aria-invalid", "true");
  await expect(fresh).toHaveAttribute("aria-describedby", "password-error password-hint");
  await expectAccessible(page);

  // A good one: back to the account page, still signed in, with a notice.
  const newPassword = "a sturdy new passphrase for cora";
  await current.fill(account.password);
  await fresh.fill(newPassword);
  await submit.click();
  await expect(page).toHaveURL(/\/account\?notice=password$/);
  await expect(page.getByRole("status").filter({ hasText: "Your password was changed." })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByText("Cora Change")).toBeVisible();

  // The other browser was signed out.
  await otherPage.goto("/account");
  await expect(otherPage).toHaveURL(/\/login\?next=%2Faccount$/);
  await otherPage.getByLabel("Email address").fill(account.email);
  await otherPage.getByLabel("Password").fill(account.password);
  await otherPage.getByRole("button", { name: "Sign in" }).click();
  await expect(otherPage.getByRole("alert")).toHaveText("The email or password is wrong.");
  await otherPage.getByLabel("Password").fill(newPassword);
  await otherPage.getByRole("button", { name: "Sign in" }).click();
  await expect(otherPage).toHaveURL(/\/account$/);

  await mine.close();
  await other.close();
});
