import { expect, test, type Locator, type Page } from "@playwright/test";
import { signIn } from "../support/e2e-actions";

/** One question of the guide, found by its name in the definition (titles carry the company name). */
function question(page: Page, name: string): Locator {
  return page.locator(`[data-name="${name}"]`);
}

/** Picks a rating as the interviewer would: the button with that number, within the question. */
async function rate(page: Page, name: string, value: number) {
  await question(page, name)
    .locator(".sd-rating__item-text", { hasText: new RegExp(`^${value}$`) })
    .click();
}

async function nextSection(page: Page) {
  await page.getByRole("button", { name: "Next section" }).filter({ visible: true }).click();
}

test("a manager records an interview with a contact and is taken back to the contact page", async ({
  page,
}) => {
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });

  await signIn(page, "manager@demo.test");
  await page.goto("/accounts");
  await page.getByRole("table").getByRole("link", { name: "Northwind Logistics" }).click();
  await expect(page.getByRole("heading", { name: "Northwind Logistics", level: 1 })).toBeVisible();

  const buyingGroup = page.getByRole("region", { name: "Buying group" });
  const contactLink = buyingGroup.getByRole("link").first();
  const contactName = (await contactLink.textContent())!.trim();
  await contactLink.click();
  await expect(page.getByRole("heading", { name: contactName, level: 1 })).toBeVisible();
  const contactUrl = new URL(page.url()).pathname;

  await page.getByRole("link", { name: "Record an interview" }).click();
  await expect(page).toHaveURL(`${contactUrl}/interview`);
  await expect(
    page.getByRole("heading", { name: `Interview with ${contactName} (Northwind Logistics)`, level: 1 }),
  ).toBeVisible();
  await expect(
    page.getByText("Ask in your own words; record the customer's answers, not yours."),
  ).toBeVisible();

  // Opening: only notes, none required.
  await expect(page.getByText("Opening and role context")).toBeVisible();
  await question(page, "interviewer_notes_opening")
    .getByRole("textbox")
    .fill("Relaxed and open; their deputy joined for the second half.");
  await nextSection(page);

  // Working together: four ratings from 1 to 5.
  await expect(page.getByText("Working together", { exact: true })).toBeVisible();
  await expect(question(page, "trust")).toContainText("does what it says it will do");
  await expect(question(page, "trust")).not.toContainText("{company}");
  await rate(page, "trust", 4);
  await rate(page, "responsiveness", 3);
  await rate(page, "understanding", 5);
  await rate(page, "communication", 2);
  await nextSection(page);

  await expect(page.getByText("Value and relationship", { exact: true })).toBeVisible();
  await rate(page, "value", 4);
  await rate(page, "relationship", 5);
  await nextSection(page);

  await expect(page.getByText("Looking ahead", { exact: true })).toBeVisible();
  await rate(page, "advocacy", 8);
  await rate(page, "renewal", 4);
  await nextSection(page);

  await expect(page.getByText("Differences that matter", { exact: true })).toBeVisible();
  const important = question(page, "important_dimensions");
  await important.getByText("Doing what we say we will do").click();
  await important.getByText("Telling you early and honestly about problems and changes").click();
  await question(page, "one_change")
    .getByRole("textbox")
    .fill("Warn us about outages before our customers do.");
  await page.getByRole("button", { name: "Save interview" }).filter({ visible: true }).click();

  await expect(page).toHaveURL(`${contactUrl}?interview=recorded`);
  await expect(page.getByRole("status").filter({ hasText: "Interview recorded." })).toBeVisible();
  await expect(
    page
      .getByRole("list", { name: "Interviews" })
      .getByText(/by Maya Chen/)
      .first(),
  ).toBeVisible();
  await expect(page.getByRole("heading", { name: contactName, level: 1 })).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test("a leader sees no interview button and cannot open the interview page (403)", async ({ page }) => {
  await signIn(page, "leader@demo.test");
  await page.goto("/accounts");
  await page.getByRole("table").getByRole("link", { name: "Northwind Logistics" }).click();
  const contactLink = page.getByRole("region", { name: "Buying group" }).getByRole("link").first();
  const contactName = (await contactLink.textContent())!.trim();
  await contactLink.click();
  await expect(page.getByRole("heading", { name: contactName, level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Record an interview" })).toHaveCount(0);

  const response = await page.goto(`${new URL(page.url()).pathname}/interview`);
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You do not have access to this" })).toBeVisible();
});

test("the interview page's save gets the action's JSON answer, not a page", async ({ page }) => {
  await signIn(page, "manager@demo.test");
  await page.goto("/accounts");
  await page.getByRole("table").getByRole("link", { name: "Northwind Logistics" }).click();
  await page.getByRole("region", { name: "Buying group" }).getByRole("link").first().click();
  await page.getByRole("link", { name: "Record an interview" }).click();
  await expect(page.locator('[data-name="interviewer_notes_opening"]')).toBeVisible();

  // The same request the page's save sends (see use-record-interview.ts), with a guide id that is no guide.
  const answer = await page.evaluate(async () => {
    const url = `${window.location.pathname}?_data=${encodeURIComponent("routes/_app.contacts.$contactId_.interview")}`;
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ surveyVersionId: "00000000-0000-4000-8000-000000000000", data: {} }),
    });
    return { status: response.status, body: (await response.json()) as { error?: string } };
  });
  expect(answer.status).toBe(400);
  expect(answer.body.error).toMatch(/not an interview guide/);
});
