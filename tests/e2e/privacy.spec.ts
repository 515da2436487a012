import fs from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { signIn, watchForProblems } from "../support/e2e-actions";
import { connectToE2eDatabase } from "../support/e2e-database";

test("an admin downloads a contact's data, then erases the contact after typing their name", async ({
  page,
}, testInfo) => {
  test.skip(testInfo.project.name === "phone", "one run is enough: it erases a contact");
  const problems = watchForProblems(page);
  const name = `Erin Erasable ${Date.now()}`;
  const email = `erin.${Date.now()}@example.test`;
  await signIn(page, "admin@demo.test");

  // A contact of the first account, made for this test so the demo's people stay.
  await page.goto("/accounts?owner=&sort=name");
  await page.getByRole("row").nth(1).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/accounts\/[0-9a-f-]{36}$/);
  const accountUrl = new URL(page.url()).pathname;
  await page.getByRole("link", { name: "Add contact" }).first().click();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email (optional)").fill(email);
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

  // An import that names them is being applied: the erasure waits for it, and says so.
  const sql = await connectToE2eDatabase();
  try {
    const [imported] = await sql<{ id: string }[]>`
      insert into csv_imports (kind, file_name, content, status, created_by_id)
      select 'contacts', 'crm-sync.csv', ${`account_name,name,email\nAcme,${name},${email}\n`}, 'applying', id
      from users where email = 'admin@demo.test'
      returning id`;
    await confirm.press("Enter");
    await expect(privacy.getByRole("alert")).toHaveText(
      "The import “crm-sync.csv” names this contact and is being applied right now. Erase them once it has finished: nothing was erased.",
    );
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(confirm).not.toHaveAttribute("aria-invalid", "true");

    // It finished: now the erasure goes through.
    await sql`update csv_imports set status = 'applied' where id = ${imported!.id}`;
    // the page reloads its data after the refusal; the button says when it may be used again
    await expect(erase).toBeEnabled();
    await confirm.press("Enter");
  } finally {
    await sql.end();
  }

  await expect(page).toHaveURL(new RegExp(`${accountUrl}\\?erased=1$`));
  await expect(page.getByRole("region", { name: "Buying group" })).toBeVisible();
  await expect(page.getByText(name)).toHaveCount(0);

  // Its old address says what happened.
  const gone = await page.request.get(`/contacts/${exported.contact.id}`);
  expect(gone.status()).toBe(410);
  // the refused erasure's 409 is the one resource the browser reports as failed
  expect(problems).toEqual(["Failed to load resource: the server responded with a status of 409 (Conflict)"]);
});
