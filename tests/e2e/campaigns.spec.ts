import { expect, test, type Page } from "@playwright/test";
import { rate, signIn, watchForProblems } from "../support/e2e-actions";
import { fakeResendEmails, type InspectedEmail } from "../support/e2e-fake-resend";

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** Waits until the fake Resend (the e2e app sends through it) holds `count` emails more than `before`. */
async function emailsAfter(before: number, count: number): Promise<InspectedEmail[]> {
  let received: InspectedEmail[] = [];
  await expect
    .poll(
      async () => {
        received = (await fakeResendEmails()).slice(before);
        return received.length;
      },
      { timeout: 30_000, message: `waiting for ${count} emails at the fake Resend` },
    )
    .toBeGreaterThanOrEqual(count);
  return received;
}

function linkIn(email: InspectedEmail, pattern: RegExp): string {
  const match = pattern.exec(email.html ?? "");
  if (!match) throw new Error(`no link matching ${pattern} in the email to ${email.to.join(", ")}`);
  return match[0].replace(/&amp;/g, "&");
}

async function funnelStage(page: Page, stage: string) {
  return Number(await page.locator(`[data-stage="${stage}"]`).textContent());
}

// The run sends real (fake-delivered) mail to demo contacts and leaves them surveyed, so it
// runs once, on the desktop project; the customer's part happens on a phone-sized page.
test("an admin launches a campaign; a contact answers from the email; reminders skip those who answered or left", async ({
  page,
  browser,
}, testInfo) => {
  test.skip(testInfo.project.name === "phone", "changes shared demo data; the customer part runs at 390×844");
  const problems = watchForProblems(page);
  page.on("dialog", (dialog) => void dialog.accept());
  await signIn(page, "admin@demo.test");

  await page.getByRole("link", { name: "Campaigns" }).click();
  await page.getByRole("link", { name: "New campaign" }).click();
  await page.getByLabel("Campaign name").fill("SMB relationship pulse");
  await page
    .getByLabel("Survey")
    .selectOption({ label: "How is our relationship, really? (Relationship, version 1)" });
  await page.getByLabel("SMB").check();
  await page.getByRole("button", { name: "Save and preview recipients" }).click();

  // The preview says who is left out and why before anything is sent.
  await expect(page.getByRole("heading", { name: "Who would be asked" })).toBeVisible();
  const summary = await page.getByTestId("recipient-summary").textContent();
  const [, asked, leftOut] = /(\d+) contacts? would be asked; (\d+) left out/.exec(summary ?? "") ?? [];
  const invited = Number(asked);
  expect(invited).toBeGreaterThanOrEqual(3);
  expect(Number(leftOut)).toBeGreaterThan(0);
  await expect(page.getByText("Left out, and why")).toBeVisible();

  const before = (await fakeResendEmails()).length;
  await page.getByRole("button", { name: `Launch now (${invited} contacts)` }).click();
  await expect(page.getByRole("status").filter({ hasText: "Launched" })).toBeVisible();

  // One email per eligible contact, with one-click unsubscribe headers.
  const invitations = await emailsAfter(before, invited);
  expect(invitations).toHaveLength(invited);
  expect(new Set(invitations.map((e) => e.to[0])).size).toBe(invited);
  for (const email of invitations) {
    expect(email.headers["List-Unsubscribe"]).toMatch(/^<http:\/\/localhost:\d+\/u\/[A-Za-z0-9_-]{32}>$/);
    expect(email.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
  }
  await page.reload();
  await expect.poll(() => funnelStage(page, "sent")).toBe(invited);

  // The first contact clicks "9" in the email and finishes the survey on a phone.
  const [answering, leaving] = invitations;
  const customer = await browser.newContext(phone);
  const phonePage = await customer.newPage();
  const customerProblems = watchForProblems(phonePage);
  await phonePage.goto(linkIn(answering!, /http:\/\/localhost:\d+\/s\/[A-Za-z0-9_-]{32}\/scale\/9/));
  await expect(phonePage).toHaveURL(/\/s\/[A-Za-z0-9_-]{32}\?answered=9$/);
  await expect(
    phonePage.getByRole("status").filter({ hasText: "your answer, 9 out of 10, is saved" }),
  ).toBeVisible();
  for (const question of [
    "trust",
    "responsiveness",
    "understanding",
    "value",
    "communication",
    "relationship",
  ]) {
    await rate(phonePage, question, "4");
  }
  await phonePage.getByRole("button", { name: "Next" }).click();
  await expect(phonePage.locator('[data-name="advocacy"] input[value="9"]')).toBeChecked();
  await rate(phonePage, "renewal", "5");
  await phonePage.getByRole("button", { name: "Send my answers" }).click();
  await expect(
    phonePage.getByRole("heading", { name: "Thank you — your answers were received" }),
  ).toBeVisible();
  expect(customerProblems).toEqual([]);

  // The second contact unsubscribes from their email's link.
  await phonePage.goto(linkIn(leaving!, /http:\/\/localhost:\d+\/u\/[A-Za-z0-9_-]{32}/));
  await phonePage.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(phonePage.getByRole("heading", { name: "You are unsubscribed" })).toBeVisible();
  await customer.close();

  // The funnel shows the answer.
  await page.reload();
  await expect.poll(() => funnelStage(page, "completed")).toBe(1);
  expect(await funnelStage(page, "optedOut")).toBe(1);

  // A reminder goes only to the others.
  const beforeReminders = (await fakeResendEmails()).length;
  await page.getByRole("button", { name: "Remind non-responders now" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Reminder sent to ${invited - 2}` })).toBeVisible();
  const reminders = await emailsAfter(beforeReminders, invited - 2);
  expect(reminders.every((e) => e.subject.startsWith("A gentle reminder"))).toBe(true);
  const reminded = reminders.map((e) => e.to[0]);
  expect(reminded).not.toContain(answering!.to[0]);
  expect(reminded).not.toContain(leaving!.to[0]);
  expect(new Set(reminded).size).toBe(invited - 2);
  expect(problems).toEqual([]);
});
