import { expect, type Page } from "@playwright/test";

/** What a person does in the browser, shared by the e2e specs. */
export const DEMO_PASSWORD = "rapport-demo";

/** Signs in on the sign-in page as a demo user and waits for their home page (My week or the dashboard). */
export async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/(dashboard|week)$/);
  // The URL changes before a big page (the dashboard) has rendered: wait for the app shell,
  // so what a test checks next (such as whether the phone menu is open) is the new page.
  await expect(page.getByRole("navigation", { name: "Main", includeHidden: true }).first()).toBeAttached();
}

/** On a phone the navigation sits behind the "Menu" disclosure. */
export async function openMenuIfCollapsed(page: Page) {
  const menu = page.getByText("Menu", { exact: true });
  if (!(await menu.isVisible())) return;
  const expanded = await page.locator("header details").evaluate((d) => (d as HTMLDetailsElement).open);
  if (!expanded) await menu.click();
}

/** Collects uncaught page errors and console errors (a hydration mismatch shows up here). */
export function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  return problems;
}

/** Picks a value on a SurveyJS rating question, found by its name in the definition. */
export function rate(page: Page, question: string, value: string | number) {
  return page.locator(`[data-name="${question}"]`).getByText(String(value), { exact: true }).click();
}
