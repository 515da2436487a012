import { startDelivery } from "./jobs.server";
import { log } from "./log.server";

/**
 * Asks the worker to send the outbox now, after a commit that wrote mail (a case alert, a
 * recovery pulse). The mail is already safe in the outbox and the minute tick sends it anyway,
 * so a queue hiccup here is logged rather than turned into an error for the person who acted.
 */
export async function deliverSoon(reason: string): Promise<void> {
  try {
    await startDelivery();
  } catch (error) {
    log.warn("email.deliver-soon-failed", { reason, error });
  }
}
