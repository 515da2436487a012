/**
 * A delivery worker in a process of its own, for fault tests that kill it part-way: connects
 * with DATABASE_URL, sends the outbox once with `deliverPendingEmails` under the environment
 * it was given (RESEND_API_KEY, RESEND_BASE_URL, RESEND_REQUESTS_PER_SECOND), prints the
 * result as one JSON line and exits.
 *
 * Run it as `node --import tsx tests/support/deliver-child.ts`. Relative imports only: tsx
 * runs it without the test runner's `~` alias.
 */
import { deliverPendingEmails } from "../../app/domain/outbox.server";
import { closeDb, connectDb } from "../../app/lib/db.server";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("deliver-child: DATABASE_URL must be set to the database whose outbox it sends");
  process.exit(2);
}

const db = connectDb(url, { max: 2 });
try {
  const result = await deliverPendingEmails(db);
  process.stdout.write(`${JSON.stringify({ event: "deliver-child.done", ...result })}\n`);
} finally {
  await closeDb();
}
