import { expect, test, type Browser, type Page } from "@playwright/test";
import { rate, signIn, watchForProblems } from "../support/e2e-actions";
import { connectToE2eDatabase } from "../support/e2e-database";

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** A manager makes a survey link for one of their contacts, as they would to send it by hand. */
async function createLinkAsManager(page: Page): Promise<{ link: string; contactName: string }> {
  await signIn(page, "manager@demo.test");
  await page.goto("/accounts");
  await page.locator("table tbody a").first().click();
  await expect(page.getByRole("heading", { name: "Buying group" })).toBeVisible();
  const contact = page.getByRole("main").locator("ul a").first();
  const contactName = (await contact.textContent())!.trim();
  await contact.click();
  await expect(page.getByRole("heading", { level: 1, name: contactName })).toBeVisible();
  await page.getByLabel("Survey to send").selectOption({ label: "How is our relationship, really? (v1)" });
  await page.getByRole("button", { name: "Create survey link" }).click();
  const link = await page.getByLabel(/Link for this contact/).inputValue();
  expect(link).toMatch(/\/s\/[A-Za-z0-9_-]{32}$/);
  return { link, contactName };
}

/** Opens the customer's page in a fresh phone-sized browser, failing on any page error (e.g. hydration #418). */
async function openAsCustomer(browser: Browser, link: string) {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  const problems = watchForProblems(page);
  await page.goto(link);
  return { context, page, problems };
}

test("a customer answers half on a phone, comes back later, finishes, and every answer is stored", async ({
  page,
  browser,
}) => {
  const { link } = await createLinkAsManager(page);

  // First visit: half of the first page, then the tab is closed.
  const first = await openAsCustomer(browser, link);
  await expect(first.page.getByText("does what it says it will do")).toBeVisible();
  // the title and description come from the server (they paint first), once: not again from SurveyJS
  await expect(
    first.page.getByRole("heading", { level: 1, name: "How is our relationship, really?" }),
  ).toBeVisible();
  await expect(first.page.getByText("Nine short questions, about three minutes.")).toHaveCount(1);
  await expect(first.page.getByText("How is our relationship, really?")).toHaveCount(1);
  await rate(first.page, "trust", "4");
  await rate(first.page, "responsiveness", "5");
  await rate(first.page, "understanding", "3");
  await expect(first.page.getByText("Your answers are saved")).toBeVisible();
  expect(first.problems).toEqual([]);
  await first.context.close();

  // Second visit, another browser: the answers are there.
  const second = await openAsCustomer(browser, link);
  for (const [question, value] of [
    ["trust", "4"],
    ["responsiveness", "5"],
    ["understanding", "3"],
  ]) {
    await expect(second.page.locator(`[data-name="${question}"] input[value="${value}"]`)).toBeChecked();
  }
  await rate(second.page, "value", "4");
  await rate(second.page, "communication", "4");
  await rate(second.page, "relationship", "5");
  await second.page.getByRole("button", { name: "Next" }).click();
  await rate(second.page, "advocacy", "9");
  await rate(second.page, "renewal", "5");
  await second.page.locator('[data-name="one_change"] textarea').fill("Send the roadmap before the QBR.");
  await second.page.getByRole("button", { name: "Send my answers" }).click();
  await expect(
    second.page.getByRole("heading", { name: "Thank you — your answers were received" }),
  ).toBeVisible();
  await expect(second.page.getByRole("button", { name: "I need help now" })).toBeVisible();
  expect(second.problems).toEqual([]);

  // Reopening shows that the answers were received, not a blank survey.
  await second.page.goto(link);
  await expect(
    second.page.getByRole("heading", { name: "Thank you — your answers were received" }),
  ).toBeVisible();
  await second.context.close();

  // What was stored is exactly what was clicked.
  const sql = await connectToE2eDatabase();
  try {
    const token = link.split("/s/")[1]!;
    const [response] = await sql<
      { id: string; data: Record<string, unknown>; is_complete: boolean; source: string }[]
    >`
      select r.id, r.data, r.is_complete, r.source from responses r
      join invitation_tokens t on t.invitation_id = r.invitation_id
      where t.token_hash = encode(sha256(convert_to(${token}, 'UTF8')), 'hex')`;
    expect(response).toBeDefined();
    expect(response!.is_complete).toBe(true);
    expect(response!.source).toBe("link");
    expect(response!.data).toMatchObject({
      trust: 4,
      responsiveness: 5,
      understanding: 3,
      value: 4,
      communication: 4,
      relationship: 5,
      advocacy: 9,
      renewal: 5,
      one_change: "Send the roadmap before the QBR.",
    });
    const answers = await sql<{ dimension: string; value: number }[]>`
      select dimension, value from answers where response_id = ${response!.id} order by dimension`;
    expect(Object.fromEntries(answers.map((a) => [a.dimension, a.value]))).toEqual({
      trust: 75,
      responsiveness: 100,
      understanding: 50,
      value: 75,
      communication: 75,
      relationship: 100,
      advocacy: 90,
      renewal: 100,
    });
  } finally {
    await sql.end();
  }
});

test("a link that opens nothing gets a friendly page that reveals nothing", async ({ browser }) => {
  const { page, context } = await openAsCustomer(browser, "/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  await expect(page.getByRole("heading", { name: "This survey link is not available" })).toBeVisible();
  await context.close();
});
