import fs from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { signIn, watchForProblems } from "../support/e2e-actions";

test("an admin downloads a contact's data, then erases the contact after typing their name", async ({
  page,
}, testInfo) => {
  test.skip(testInfo.project.name === "phone", "one run is enough: it erases a contact");
  const problems = watchForProblems(page);
  const name = `Erin Erasable ${Date.now()}`;
  await signIn(page, "admin@demo.test");

  // A contact of the first account, made for this test so the demo's people stay.
  await page.goto("/accounts?owner=&sort=name");
  await page.getByRole("row").nth(1).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/accounts\/[0-9a-f-]{36}$/);
  const accountUrl = new URL(page.url()).pathname;
  await page.getByRole("link", { name: "Add contact" }).first().click();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email (optional)").fill(`erin.${Date.now()}@example.test`);
  await page.getByRole("button", { name: /Add contact|Save/ }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  // The export: one JSON file about them.
  const privacy = page.getByRole("region", { name: "Privacy" });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    privacy.getByRole("link", { name: "Download data (JSON)" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^rapport-contact-.+\.json$/);
  const exported = JSON.parse(await fs.readFile((await download.path())!, "utf8"));
  expect(exported.contact.name).toBe(name);

  // The erasure: the button waits for the name, typed with the keyboard.
  const erase = privacy.getByRole("button", { name: `Erase ${name} permanently` });
  await expect(erase).toBeDisabled();
  const confirm = privacy.getByLabel(`Type ${name} to confirm`);
  await confirm.fill("Erin");
  await expect(erase).toBeDisabled();
  await confirm.fill(name);
  await expect(erase).toBeEnabled();
  await confirm.press("Enter");

  await expect(page).toHaveURL(new RegExp(`${accountUrl}\\?erased=1$`));
  await expect(page.getByRole("region", { name: "Buying group" })).toBeVisible();
  await expect(page.getByText(name)).toHaveCount(0);

  // Its old address says what happened.
  const gone = await page.request.get(`/contacts/${exported.contact.id}`);
  expect(gone.status()).toBe(410);
  expect(problems).toEqual([]);
});
