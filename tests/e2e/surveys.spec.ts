import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { openMenuIfCollapsed, rate, signIn, watchForProblems } from "../support/e2e-actions";

const relationshipTitle = "How is our relationship, really?";

test("an admin finds the relationship survey, previews it as a customer would, and fills it without saving", async ({
  page,
}) => {
  const problems = watchForProblems(page);
  await signIn(page, "admin@demo.test");
  await openMenuIfCollapsed(page);
  await page
    .getByRole("navigation", { name: "Main" })
    .filter({ visible: true })
    .getByRole("link", { name: "Surveys" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Surveys" })).toBeVisible();

  const relationship = page.getByRole("region", { name: relationshipTitle });
  await expect(relationship.getByText("relationship-health", { exact: true })).toBeVisible();
  const versions = relationship.getByRole("table", {
    name: `Versions of ${relationshipTitle}, newest first`,
  });
  await expect(versions.getByRole("rowheader").first()).toContainText(/Version \d+/);
  await versions.getByRole("link", { name: "Preview" }).first().click();

  await expect(page).toHaveURL(/\/surveys\/[0-9a-f-]{36}\/preview$/);
  await expect(page.getByRole("heading", { level: 1, name: `Preview: ${relationshipTitle}` })).toBeVisible();
  await expect(page.getByText("Preview — answers are not saved")).toBeVisible();
  await expect(page.getByText("does what it says it will do.")).toBeVisible();

  // Filling it in works like the customer's page, but nothing is sent anywhere.
  const sent: string[] = [];
  page.on("request", (request) => {
    if (request.method() !== "GET") sent.push(`${request.method()} ${request.url()}`);
  });
  for (const question of [
    "trust",
    "responsiveness",
    "understanding",
    "value",
    "communication",
    "relationship",
  ]) {
    await rate(page, question, "4");
  }
  await page.getByRole("button", { name: "Next" }).click();
  await rate(page, "advocacy", "9");
  await rate(page, "renewal", "5");
  await page.getByRole("button", { name: "Send my answers" }).click();
  await expect(page.getByRole("heading", { name: "Preview complete" })).toBeVisible();
  await expect(page.getByText("Nothing was saved")).toBeVisible();
  expect(sent).toEqual([]);

  await page.getByRole("button", { name: "Start over" }).click();
  await expect(page.getByText("does what it says it will do.")).toBeVisible();
  await expect(page.locator('[data-name="trust"] input[value="4"]')).not.toBeChecked();
  expect(problems).toEqual([]);
});

test("an admin uploads a definition with an unknown dimension and sees the problem listed", async ({
  page,
}) => {
  await signIn(page, "admin@demo.test");
  await page.goto("/surveys");

  const definition = JSON.parse(readFileSync(path.resolve("surveys/relationship-health.json"), "utf8"));
  definition.pages[0].elements[0].dimension = "trustworthiness";
  await page.getByLabel("Name", { exact: true }).fill("e2e-bad-survey");
  await page.getByLabel("SurveyJS JSON file").setInputFiles({
    name: "bad-survey.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(definition)),
  });
  await page.getByRole("button", { name: "Upload", exact: true }).click();

  const alert = page.getByRole("alert").filter({ hasText: "Nothing was imported" });
  await expect(alert).toBeVisible();
  await expect(alert.getByRole("listitem")).toHaveText([
    /^question trust: unknown dimension "trustworthiness"/,
  ]);
  await expect(page.getByText("e2e-bad-survey", { exact: true })).toHaveCount(0);

  // A file that is not JSON at all gets the parser's reason.
  await page.getByLabel("SurveyJS JSON file").setInputFiles({
    name: "half.json",
    mimeType: "application/json",
    buffer: Buffer.from('{ "title": "Half a survey",'),
  });
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByText(/^That file is not valid JSON: /)).toBeVisible();
});

test("a leader sees the surveys but not the upload", async ({ page }) => {
  await signIn(page, "leader@demo.test");
  await page.goto("/surveys");
  await expect(page.getByRole("region", { name: relationshipTitle })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Upload a survey definition" })).toHaveCount(0);
  await expect(page.getByLabel("SurveyJS JSON file")).toHaveCount(0);
});
