import { requireUser } from "./auth.server";
import type { SessionUser } from "./session.server";
import { mailViewerEnabled, parseEnv } from "./env.server";

/**
 * Whether /dev/outbox exists. Read from the environment as it is now, not from the cached
 * `getEnv()`, so a test can switch MAIL_VIEWER (or DATABASE_URL) between requests; start-up
 * has already checked the same variables with the same schema, so this cannot fail later.
 */
export function mailViewerOn(source: Record<string, string | undefined> = process.env): boolean {
  return mailViewerEnabled(parseEnv(source));
}

/**
 * The mail viewer's guard: when it is off the page does not exist (404, for everyone, before
 * anything else is looked at); when on, it is for admins only (403 for other roles).
 */
export async function requireMailViewer(request: Request): Promise<SessionUser> {
  if (!mailViewerOn()) {
    // the same answer as any address no route matches (routes/$.tsx)
    throw new Response("We could not find that page. Check the address, or go back to the start page.", {
      status: 404,
    });
  }
  return requireUser(request, { roles: ["admin"] });
}
