import { expect, test } from "@playwright/test";
import { openMenuIfCollapsed, signIn, watchForProblems } from "../support/e2e-actions";

// Read-only: both projects (desktop and phone) run it against the same demo workspace.

const QUADRANT_WORDS = /Agreed strength|Agreed weakness|Blind spot|Undervalued/;

test("a manager reads what the customer says, what the team believes and what the ledger shows", async ({
  page,
}) => {
  const problems = watchForProblems(page);
  await signIn(page, "manager@demo.test");
  // Northwind Logistics is Maya's; its customers answer and she predicts (db/seed.ts)
  await page.goto("/accounts?search=Northwind");
  await page.getByRole("link", { name: "Northwind Logistics" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Northwind Logistics" })).toBeVisible();

  const section = page.getByRole("region", { name: "Customer, team and ledger" });
  await expect(section.getByRole("img", { name: /Customer, team and ledger, 0–100/ })).toBeVisible();
  const table = section.getByRole("table", { name: /Customer and team per dimension/ });
  await expect(table).toBeVisible();
  const overall = table.getByRole("row", { name: /Overall health/ });
  const [customer, teamCell] = [overall.getByRole("cell").nth(0), overall.getByRole("cell").nth(1)];
  await expect(customer).toHaveText(/\d+(\.\d)?\s*(low|medium|high) confidence: \d+ respondents?/);
  await expect(teamCell).toHaveText(/\d+(\.\d)?\s*(low|medium|high) confidence: \d+ authors?/);
  await expect(table.getByRole("row", { name: /Trust/ }).getByText(QUADRANT_WORDS)).toBeVisible();
  await expect(table.getByText(QUADRANT_WORDS).first()).toBeVisible();

  // the ledger's score and what it rests on
  const ledger = section.getByRole("table", { name: /Ledger components/ });
  await expect(ledger.getByRole("row", { name: /Ledger score/ })).toContainText(/\d/);
  await expect(ledger.getByRole("row", { name: /Recency/ })).toContainText(/\d+%/);

  // a customer value leads to the answers behind it, each naming its contact
  await table.getByRole("row", { name: /Trust/ }).getByRole("cell").nth(0).getByRole("link").click();
  await expect(page).toHaveURL(/#sources-trust$/);
  const trustSources = page.locator("#sources-trust");
  await expect(trustSources.getByRole("link").first()).toBeVisible();
  await expect(trustSources).toContainText(/Customer \d/);

  // NPS with its counts
  await expect(section.getByText(/\d+ promoters? · \d+ passives? · \d+ detractors?/)).toBeVisible();

  // The page never grows sideways (on a phone that would zoom the whole page out).
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(pageWidth).toBeLessThanOrEqual(page.viewportSize()!.width);
  expect(problems).toEqual([]);
});

test("a leader ranks the team's calibration and opens one person's pairs", async ({ page }) => {
  const problems = watchForProblems(page);
  await signIn(page, "leader@demo.test");
  await openMenuIfCollapsed(page);
  await page
    .getByRole("navigation", { name: "Main" })
    .filter({ visible: true })
    .getByRole("link", { name: "Calibration" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Calibration" })).toBeVisible();
  const ranking = page.getByRole("table", { name: /Every team member with pairs/ });
  const rows = ranking.getByRole("row");
  await expect(rows.nth(1)).toBeVisible();
  await expect(rows.nth(1)).toContainText(/optimistic by|pessimistic by|no lean/);

  await rows.nth(1).getByRole("rowheader").getByRole("link").click();
  await expect(page).toHaveURL(/\?rep=.*#breakdown$/);
  await expect(page.getByRole("heading", { level: 2, name: /by dimension/ })).toBeVisible();
  await expect(
    page
      .getByRole("table", { name: /Calibration per dimension/ })
      .getByRole("row")
      .nth(1),
  ).toBeVisible();

  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(pageWidth).toBeLessThanOrEqual(page.viewportSize()!.width);
  expect(problems).toEqual([]);
});
