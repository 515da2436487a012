import { expect, test, type Page } from "@playwright/test";
import { signIn, watchForProblems } from "../support/e2e-actions";

const PANELS = [
  "NPS and customer health over time",
  "Accounts by quadrant",
  "Top blind spots",
  "Gap heat map",
  "Silent accounts",
  "Response rate and key-contact coverage",
  "Closing the loop (Customer 9-1-1)",
  "In their words",
];

/** The number on a headline figure, e.g. "Accounts: 30. …" → 30. */
async function headline(page: Page, label: string): Promise<string> {
  const link = page
    .getByRole("region", { name: "Headline figures" })
    .getByRole("link", { name: new RegExp(`^${label}: `) });
  await expect(link).toBeVisible();
  return (await link.textContent())!.trim();
}

test("a leader reads the dashboard, narrows it with filters, and every panel follows", async ({
  page,
}, testInfo) => {
  const problems = watchForProblems(page);
  await signIn(page, "leader@demo.test");
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Welcome");

  // Every panel is there, with numbers in it (the demo workspace has rollups from its first start).
  for (const name of PANELS) await expect(page.getByRole("region", { name })).toBeVisible();
  const allAccounts = Number(await headline(page, "Accounts"));
  expect(allAccounts).toBeGreaterThan(10);
  expect(await headline(page, "NPS")).toMatch(/^[+−]?\d+$/);
  expect(await headline(page, "Customer health")).toMatch(/^\d+\.\d$/);

  // The charts draw once the page has hydrated; their numbers are in the table beneath.
  const trend = page.getByRole("region", { name: "NPS and customer health over time" });
  await expect(trend.locator("svg.recharts-surface").first()).toBeVisible();
  await expect(trend.getByRole("table").getByRole("row")).toHaveCount(13);
  const heatmap = page.getByRole("region", { name: "Gap heat map" });
  const heatRows = heatmap.getByRole("table").getByRole("row");
  expect(await heatRows.count()).toBeGreaterThan(2);
  await expect(heatmap.getByRole("link", { name: /\+\d+\.\d/ }).first()).toBeVisible();
  await expect(page.getByRole("region", { name: "Top blind spots" }).getByRole("link").first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("dashboard.png"), fullPage: true });

  // A filter: the URL says so, and the panels show fewer accounts.
  await page.getByLabel("Segment").selectOption("enterprise");
  await page.getByLabel("Time window").selectOption("6");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/[?&]segment=enterprise/);
  await expect(page).toHaveURL(/[?&]window=6/);
  await expect(trend.getByRole("table").getByRole("row")).toHaveCount(7);
  const enterprise = Number(await headline(page, "Accounts"));
  expect(enterprise).toBeGreaterThan(0);
  expect(enterprise).toBeLessThan(allAccounts);
  await expect(page.getByLabel("Segment")).toHaveValue("enterprise");

  // Sorting the heat map by a column is in the URL too, and keeps the filters.
  await heatmap.getByRole("link", { name: /^Trust/ }).click();
  await expect(page).toHaveURL(/hsort=trust/);
  await expect(page).toHaveURL(/segment=enterprise/);
  await expect(heatmap.getByRole("columnheader", { name: /Trust/ })).toHaveAttribute(
    "aria-sort",
    "descending",
  );

  // The verbatim search.
  const words = page.getByRole("region", { name: "In their words" });
  await page.getByLabel("Words contain").fill("zzzz-nothing-like-this");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=zzzz-nothing-like-this/);
  await expect(words.getByText(/No customer wrote “zzzz-nothing-like-this”/)).toBeVisible();
  await words.getByRole("link", { name: "Show all" }).click();
  await expect(page).not.toHaveURL(/q=/);
  await expect(page).toHaveURL(/segment=enterprise/);

  // The page never grows sideways (on a phone that would zoom the whole page out).
  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(pageWidth).toBeLessThanOrEqual(page.viewportSize()!.width);

  // Printed, it carries no navigation and keeps its charts.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Main" }).filter({ visible: true })).toHaveCount(0);
  await expect(trend.locator("svg.recharts-surface").first()).toBeVisible();
  await page.emulateMedia({ media: "screen" });

  expect(problems).toEqual([]);
});

test("a dashboard table downloads as CSV with the filters on the page", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === "phone", "one download is enough");
  await signIn(page, "leader@demo.test");
  await page.goto("/dashboard?segment=enterprise");
  const download = page.waitForEvent("download");
  await page
    .getByRole("region", { name: "Gap heat map" })
    .getByRole("link", { name: "CSV of Gap heat map" })
    .click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^rapport-dashboard-heatmap-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(file.url()).toContain("segment=enterprise");
});
