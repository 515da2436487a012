import { expect, test, type Page } from "@playwright/test";
import { rate, signIn, watchForProblems } from "../support/e2e-actions";

declare global {
  interface Window {
    cspViolations: string[];
  }
}

/** Records every Content-Security-Policy violation the page meets (injected before the page's own scripts). */
async function recordCspViolations(page: Page) {
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
}

const violations = (page: Page) => page.evaluate(() => window.cspViolations);

test("a signed-in page with charts runs under the CSP without a violation", async ({ page }) => {
  await recordCspViolations(page);
  const problems = watchForProblems(page);
  await signIn(page, "leader@demo.test");
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // a client-side navigation needs the hydrated app: the scripts ran (a phone opens its menu first)
  const menu = page.getByText("Menu", { exact: true });
  if (await menu.isVisible()) await menu.click();
  await page
    .getByRole("navigation", { name: "Main" })
    .filter({ visible: true })
    .getByRole("link", { name: "Accounts" })
    .click();
  await expect(page).toHaveURL(/\/accounts$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await violations(page)).toEqual([]);
  expect(problems).toEqual([]);
});

test("the customer's survey page runs under the CSP and takes an answer", async ({ page, browser }) => {
  await signIn(page, "manager@demo.test");
  await page.goto("/accounts");
  await page.locator("table tbody a").first().click();
  await expect(page.getByRole("heading", { name: "Buying group" })).toBeVisible();
  await page.getByRole("main").locator("ul a").first().click();
  await page.getByLabel("Survey to send").selectOption({ label: "How is our relationship, really? (v1)" });
  await page.getByRole("button", { name: "Create survey link" }).click();
  const link = await page.getByLabel(/Link for this contact/).inputValue();

  const context = await browser.newContext();
  const customer = await context.newPage();
  await recordCspViolations(customer);
  const problems = watchForProblems(customer);
  const response = await customer.goto(link);
  expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  await rate(customer, "trust", "4");
  expect(await violations(customer)).toEqual([]);
  expect(problems).toEqual([]);
  await context.close();
});

test("a sign-out form posted from another site is refused and the person stays signed in", async ({
  page,
  baseURL,
}) => {
  await signIn(page, "manager@demo.test");
  // A page on another origin whose form posts to Rapport, as a malicious site would.
  await page.route("https://elsewhere.example/**", (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<form method="post" action="${baseURL}/logout"><button>Claim your prize</button></form>`,
    }),
  );
  await page.goto("https://elsewhere.example/prize");
  await page.getByRole("button", { name: "Claim your prize" }).click();
  await expect(
    page.getByText("Rapport refused this request because it did not come from a Rapport page"),
  ).toBeVisible();
  await page.goto("/week");
  await expect(page).toHaveURL(/\/week$/);
  await expect(page.getByRole("navigation", { name: "Main", includeHidden: true }).first()).toBeAttached();
});
