import { and, eq, inArray } from "drizzle-orm";
import { invitations } from "../../db/schema";
import { funnelStatusesBefore } from "../domain/email-events";
import { findInvitationByToken, type FoundInvitation } from "../domain/survey-links.server";
import { getDb } from "./db.server";
import { INVALID_SURVEY_TOKEN_LIMIT, isRateLimited, recordRateLimitHit } from "./rate-limit.server";
import { clientAddress } from "./session.server";

/** Headers for every page and answer behind a survey token: never cached, indexed or leaked via Referer. */
export const surveyHeaders = {
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex, nofollow",
  "Cache-Control": "no-store",
};

/**
 * The invitation behind a token, or null for a token that opens nothing. Addresses that
 * keep trying tokens that open nothing are refused for a while (429), whatever they try.
 */
export async function resolveSurveyToken(request: Request, token: string): Promise<FoundInvitation | null> {
  const db = getDb();
  const address = clientAddress(request) || "unknown";
  // Asked together (one wait, not two); what the token opens is never shown to a limited address.
  const [limited, found] = await Promise.all([
    isRateLimited(db, INVALID_SURVEY_TOKEN_LIMIT, address),
    findInvitationByToken(db, token),
  ]);
  if (limited) throw tooManyTries();
  // recorded only while there is room, atomically: a parallel burst meets 429s past the limit
  if (!found && !(await recordRateLimitHit(db, INVALID_SURVEY_TOKEN_LIMIT, address))) throw tooManyTries();
  return found;
}

function tooManyTries() {
  return new Response("Too many links tried from your network. Please wait a few minutes and try again.", {
    status: 429,
    headers: { ...surveyHeaders, "Retry-After": String(INVALID_SURVEY_TOKEN_LIMIT.windowMs / 1000) },
  });
}

/** Statuses a first view moves to "opened"; later ones (started, completed…) stay. */
const OPENABLE = funnelStatusesBefore("opened");

/** The first view of a link moves its invitation to "opened" (later statuses stay). */
export async function markOpened(invitation: { id: string; status: string }) {
  // Every view after the first would only rewrite nothing: skip the statement.
  if (!(OPENABLE as readonly string[]).includes(invitation.status)) return;
  await getDb()
    .update(invitations)
    .set({ status: "opened", openedAt: new Date() })
    .where(and(eq(invitations.id, invitation.id), inArray(invitations.status, OPENABLE)));
}
