import { expect, test, type Page } from "@playwright/test";
import { openMenuIfCollapsed, signIn } from "../support/e2e-actions";

async function signOut(page: Page) {
  await openMenuIfCollapsed(page);
  await page.getByRole("button", { name: "Sign out" }).filter({ visible: true }).click();
  await expect(page).toHaveURL(/\/login/);
}

// Campaign results span every account, so managers do not see campaigns.
const roles = [
  { email: "admin@demo.test", role: "admin", seesSettings: true, seesCampaigns: true },
  { email: "leader@demo.test", role: "leader", seesSettings: false, seesCampaigns: true },
  { email: "manager@demo.test", role: "manager", seesSettings: false, seesCampaigns: false },
];

for (const { email, role, seesSettings, seesCampaigns } of roles) {
  test(`a ${role} signs in, sees the shell and the demo accounts, and signs out`, async ({ page }) => {
    await signIn(page, email);
    // managers start on their keep-in-touch list, leaders and admins on the dashboard
    await expect(page.getByRole("heading", { level: 1 })).toContainText(
      role === "manager" ? "My week" : "Welcome",
    );
    await openMenuIfCollapsed(page);
    const nav = page.getByRole("navigation", { name: "Main" }).filter({ visible: true });
    for (const item of ["My week", "Dashboard", "Accounts", "Surveys", "Win/Loss", "Cases"]) {
      await expect(nav.getByRole("link", { name: item })).toBeVisible();
    }
    await expect(nav.getByRole("link", { name: "Campaigns" })).toHaveCount(seesCampaigns ? 1 : 0);
    await expect(nav.getByRole("link", { name: "Settings" })).toHaveCount(seesSettings ? 1 : 0);
    await expect(page.getByText(email).filter({ visible: true })).toBeVisible();

    await nav.getByRole("link", { name: "Accounts" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Accounts" })).toBeVisible();
    // The page never grows sideways (on a phone that would zoom the whole page out).
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(pageWidth).toBeLessThanOrEqual(page.viewportSize()!.width);
    const rows = page.getByRole("table").getByRole("row");
    await expect(rows.nth(1)).toBeVisible();
    expect(await rows.count()).toBeGreaterThan(1);

    await signOut(page);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fdashboard/);
  });
}

test("the start page sends a signed-out visitor to sign-in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { name: "Sign in to your workspace" })).toBeVisible();
});

test("a wrong password gets a generic message and stays on sign-in", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("leader@demo.test");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("That email and password do not match an account.");
  await expect(page).toHaveURL(/\/login/);
});

test("a manager cannot open another owner's account (403)", async ({ page, browser }) => {
  // Find an account the manager does not own or work on: an admin sees all, the manager sees theirs.
  const adminPage = await browser.newPage();
  await signIn(adminPage, "admin@demo.test");
  const allLinks = new Set<string>();
  for (let pageNumber = 1; pageNumber <= 2; pageNumber++) {
    await adminPage.goto(`/accounts?page=${pageNumber}`);
    for (const href of await adminPage
      .locator("table tbody a")
      .evaluateAll((as) => as.map((a) => a.getAttribute("href")))) {
      if (href) allLinks.add(href);
    }
  }
  await adminPage.close();

  await signIn(page, "manager@demo.test");
  await page.goto("/accounts");
  const mine = new Set(
    await page.locator("table tbody a").evaluateAll((as) => as.map((a) => a.getAttribute("href"))),
  );
  const foreign = [...allLinks].find((href) => !mine.has(href));
  expect(foreign, "the demo workspace has accounts this manager does not own").toBeDefined();

  const response = await page.goto(foreign!);
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You do not have access to this" })).toBeVisible();

  const own = [...mine][0]!;
  const ok = await page.goto(own);
  expect(ok?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Buying group" })).toBeVisible();
});

test("an unknown page shows the 404 page", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("serves public/ files by name and the app for every other path", async ({ request }) => {
  const icon = await request.get("/favicon.svg");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  expect(icon.headers()["cache-control"]).toBe("public, max-age=3600");
  // a file that is not there is the app's 404 page, not express's
  const missing = await request.get("/nothing-here.txt");
  expect(missing.status()).toBe(404);
  expect(await missing.text()).toContain("<html");
  const login = await request.get("/login");
  expect(login.status()).toBe(200);
  expect(login.headers()["x-content-type-options"]).toBe("nosniff");
});
