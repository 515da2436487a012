import { expect, test, type Page } from "@playwright/test";
import { rate, signIn, watchForProblems } from "../support/e2e-actions";

/** A date `days` from today as YYYY-MM-DD (UTC, like the app). */
function isoInDays(days: number) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The first account in the list that Maya Chen (manager@demo.test) owns. */
async function openOwnAccount(page: Page) {
  await page.goto("/accounts?owner=&sort=name");
  const row = page.getByRole("row").filter({ hasText: "Maya Chen" }).first();
  const link = row.getByRole("link").first();
  const name = (await link.textContent())!.trim();
  await link.click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  return { name, url: new URL(page.url()).pathname };
}

test("a manager logs a call, notes a birthday and seals a prediction, and sees it all on the account and My week", async ({
  page,
  browser,
}, testInfo) => {
  test.skip(testInfo.project.name === "phone", "one run is enough: it changes the shared demo account");
  const problems = watchForProblems(page);
  await signIn(page, "manager@demo.test");
  await expect(page).toHaveURL(/\/week$/);
  const account = await openOwnAccount(page);

  // Two contacts of the buying group, for the call.
  const contactLinks = page.getByRole("region", { name: "Buying group" }).getByRole("link");
  const first = (await contactLinks.nth(0).textContent())!.trim();
  const second = (await contactLinks.nth(1).textContent())!.trim();

  // Log a call with both, as a deposit of weight 2.
  await page.getByRole("link", { name: "Log interaction" }).click();
  await expect(page.getByRole("group", { name: "What happened" })).toBeVisible();
  await page.getByRole("group", { name: "What happened" }).getByText("Call", { exact: true }).click();
  await page.getByRole("checkbox", { name: first }).check();
  await page.getByRole("checkbox", { name: second }).check();
  await page
    .getByLabel(/^Summary/)
    .fill("Walked through the renewal plan; they want the roadmap before the QBR.");
  const effect = page.getByRole("group", { name: "Effect on the relationship" });
  await effect.getByText("Deposit", { exact: true }).click();
  await effect.getByText("2", { exact: true }).click();
  await page.getByRole("button", { name: "Log it" }).click();
  await expect(page).toHaveURL(new RegExp(`${account.url}\\?.*logged=1`));
  await expect(page.getByRole("status").filter({ hasText: "Logged." })).toBeVisible();
  const timeline = page.getByRole("region", { name: "Timeline" });
  await expect(timeline.getByText("Walked through the renewal plan").first()).toBeVisible();
  await expect(
    page
      .getByRole("region", { name: "Relationship equity" })
      .getByText("Walked through the renewal plan")
      .first(),
  ).toBeVisible();

  // A private birthday note on the first contact, three days from now.
  await page.getByRole("region", { name: "Buying group" }).getByRole("link", { name: first }).click();
  const addNote = page.locator("details").filter({ has: page.getByText("Add a note", { exact: true }) });
  await addNote.getByText("Add a note", { exact: true }).click();
  await addNote.getByLabel("Kind of note").selectOption("birthday");
  await addNote.getByLabel("Note", { exact: true }).fill("Birthday — loves dark chocolate.");
  await addNote.getByLabel(/^Remind on/).fill(isoInDays(3));
  await addNote.getByLabel("Private to me").check();
  await addNote.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByText("Birthday — loves dark chocolate.").first()).toBeVisible();
  const contactUrl = new URL(page.url()).pathname;

  // A sealed prediction for the account.
  await page.goto(`${account.url}/predict`);
  const start = page.getByRole("button", { name: "Start the prediction" });
  if (await start.isVisible()) await start.click();
  for (const dimension of [
    "trust",
    "responsiveness",
    "understanding",
    "value",
    "communication",
    "relationship",
  ]) {
    await rate(page, dimension, 4);
  }
  await page.getByRole("button", { name: "Next" }).click();
  await rate(page, "advocacy", 8);
  await rate(page, "renewal", 4);
  await page.getByRole("button", { name: "Seal my prediction" }).click();
  await expect(page).toHaveURL(new RegExp(`${account.url}\\?.*predicted=1`));
  await expect(page.getByRole("status").filter({ hasText: "Prediction sealed." })).toBeVisible();
  await expect(
    timeline.getByText("Sealed: only you can see it until the customer answers.").first(),
  ).toBeVisible();

  // My week: the birthday is coming up, and the account no longer lacks a prediction.
  await page
    .getByRole("navigation", { name: "Main" })
    .filter({ visible: true })
    .getByRole("link", { name: "My week" })
    .click();
  const birthdays = page.getByRole("region", { name: /Birthdays in the next two weeks/ });
  await expect(birthdays.getByText(first)).toBeVisible();
  await expect(birthdays.getByText("in 3 days")).toBeVisible();
  await expect(
    page.getByRole("region", { name: /Accounts with no prediction/ }).getByText(account.name),
  ).toHaveCount(0);
  expect(problems).toEqual([]);

  // Another manager, not on this account's team, sees neither the account nor the contact's notes.
  const other = await browser.newPage();
  await signIn(other, "sofia@demo.test");
  const accountResponse = await other.goto(account.url);
  expect(accountResponse?.status()).toBe(403);
  const contactResponse = await other.goto(contactUrl);
  expect(contactResponse?.status()).toBe(403);
  await expect(other.getByText("Birthday — loves dark chocolate.")).toHaveCount(0);
  await other.close();
});
