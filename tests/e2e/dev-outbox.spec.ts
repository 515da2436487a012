import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { openMenuIfCollapsed, signIn, watchForProblems } from "../support/e2e-actions";
import { connectToE2eDatabase } from "../support/e2e-database";

test("an admin opens the outbox from the navigation and reads a message as it was written", async ({
  page,
}) => {
  // The e2e app runs on its embedded database, where the mail viewer is on.
  const run = randomUUID().slice(0, 8);
  const subject = `Your quarterly check-in (${run})`;
  // The script must not run: the viewer's frame is sandboxed without allow-scripts.
  const html =
    "<html><head><title>Check-in</title></head><body><h1>How is our relationship, Dana?</h1>" +
    '<p><a href="/login">Start the survey</a></p>' +
    "<script>document.body.textContent = 'scripts ran'</script></body></html>";
  const sql = await connectToE2eDatabase();
  const [row] = await sql<{ id: string }[]>`
    insert into outbox (kind, to_address, from_address, subject, html, text, headers, idempotency_key)
    values (
      'invitation', ${`dana-${run}@acme.example`}, 'Rapport <surveys@rapport.test>', ${subject},
      ${html},
      ${"How is our relationship, Dana?\n\nStart the survey: /login"},
      ${sql.json({ "List-Unsubscribe": `<http://localhost/u/${run}>` })},
      ${`e2e-dev-outbox:${run}`}
    )
    returning id`;
  try {
    const problems = watchForProblems(page);
    await signIn(page, "admin@demo.test");
    await openMenuIfCollapsed(page);
    await page
      .getByRole("navigation", { name: "Main" })
      .filter({ visible: true })
      .getByRole("link", { name: "Outbox" })
      .click();

    await expect(page.getByRole("heading", { level: 1, name: "Outbox" })).toBeVisible();
    // The e2e app sends through a fake Resend (tests/support/e2e-server.ts), so the viewer is a copy.
    await expect(page.getByText("Sending through Resend — this is a copy")).toBeVisible();
    const table = page.getByRole("table", { name: "Messages in the outbox, newest first" });
    const message = table.getByRole("row").filter({ hasText: subject });
    await expect(message).toContainText(`dana-${run}@acme.example`);
    // the worker may already have sent it
    await expect(message).toContainText(/Pending|Sending|Sent/);
    // The page never grows sideways, even with the wide table on a phone.
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(pageWidth).toBeLessThanOrEqual(page.viewportSize()!.width);

    await message.getByRole("link", { name: subject }).click();
    await expect(page).toHaveURL(new RegExp(`/dev/outbox/${row!.id}$`));
    await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
    await expect(page.getByText(`<http://localhost/u/${run}>`)).toBeVisible();
    const frame = page.frameLocator(`iframe[title="HTML part of “${subject}”"]`);
    await expect(frame.getByRole("heading", { name: "How is our relationship, Dana?" })).toBeVisible();
    await expect(frame.getByRole("link", { name: "Start the survey" })).toHaveAttribute("href", "/login");
    await expect(frame.getByText("scripts ran")).toHaveCount(0);
    await expect(page.locator("pre")).toContainText("Start the survey: /login");

    await page.getByRole("link", { name: "Back to the outbox" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Outbox" })).toBeVisible();
    // Chromium reports each script the sandbox stops (the message's own, and the probes
    // Playwright sends into the frame to read it) as a console error: that is the sandbox working.
    const sandboxNotice =
      /^Blocked script execution in 'about:srcdoc' because the document's frame is sandboxed/;
    expect(problems.filter((problem) => !sandboxNotice.test(problem))).toEqual([]);
  } finally {
    await sql`delete from outbox where id = ${row!.id}`;
    await sql.end();
  }
});
