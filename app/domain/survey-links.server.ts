import { createHash, randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import {
  accounts,
  contacts,
  invitationTokens,
  invitations,
  surveyDefinitions,
  surveyVersions,
  users,
} from "../../db/schema";
import { preparedQuery, type Database, type Executor } from "../lib/db.server";
import { queueRollupRefreshes } from "./rollup-refresh.server";

/** 192 bits from the OS's CSPRNG, URL-safe. Only its SHA-256 is ever stored. */
export function newSurveyToken(): string {
  return randomBytes(24).toString("base64url");
}

export function hashSurveyToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Tokens are 32 base64url characters; anything else cannot be one and costs no query. */
export function looksLikeSurveyToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{32}$/.test(token);
}

export const DEFAULT_LINK_EXPIRY_DAYS = 30;

/**
 * Makes an invitation for one contact to answer one survey version and returns the
 * token for the link. The token cannot be shown again later: only its hash is kept.
 */
export async function createSurveyLink(
  db: Database,
  input: { contactId: string; surveyVersionId: string; createdById: string; expiresInDays?: number },
) {
  const token = newSurveyToken();
  const expiresAt = new Date(
    Date.now() + (input.expiresInDays ?? DEFAULT_LINK_EXPIRY_DAYS) * 24 * 60 * 60 * 1000,
  );
  const { accountId, ...link } = await db.transaction(async (tx) => {
    const [invitation] = await tx
      .insert(invitations)
      .values({
        contactId: input.contactId,
        surveyVersionId: input.surveyVersionId,
        status: "sent",
        sentAt: new Date(),
        createdById: input.createdById,
        expiresAt,
      })
      .returning();
    await tx
      .insert(invitationTokens)
      .values({ tokenHash: hashSurveyToken(token), invitationId: invitation!.id });
    const [contact] = await tx
      .select({ accountId: contacts.accountId })
      .from(contacts)
      .where(eq(contacts.id, input.contactId));
    return { invitation: invitation!, token, accountId: contact?.accountId };
  });
  // after the commit: the link is a sent invitation, counted in the account's reach
  await queueRollupRefreshes([accountId]);
  return link;
}

/**
 * Makes one more token that opens an existing invitation (each email carries its own link)
 * and returns it; only its hash is stored.
 */
export async function addInvitationToken(db: Executor, invitationId: string): Promise<string> {
  const token = newSurveyToken();
  await db.insert(invitationTokens).values({ tokenHash: hashSurveyToken(token), invitationId });
  return token;
}

/** Everything the survey page needs about the invitation behind a token, or null. */
export async function findInvitationByToken(db: Database, token: string) {
  if (!looksLikeSurveyToken(token)) return null;
  const [row] = await invitationByTokenHash(db).execute({ tokenHash: hashSurveyToken(token) });
  return row ?? null;
}

const invitationByTokenHash = preparedQuery((db) =>
  db
    .select({
      invitation: invitations,
      contactName: contacts.name,
      contactLanguage: contacts.language,
      accountId: accounts.id,
      accountName: accounts.name,
      ownerName: users.name,
      ownerEmail: users.email,
      surveyTitle: surveyDefinitions.title,
      surveyKind: surveyDefinitions.kind,
      model: surveyVersions.model,
    })
    .from(invitationTokens)
    .innerJoin(invitations, eq(invitations.id, invitationTokens.invitationId))
    .innerJoin(contacts, eq(contacts.id, invitations.contactId))
    .innerJoin(accounts, eq(accounts.id, contacts.accountId))
    .innerJoin(users, eq(users.id, accounts.ownerId))
    .innerJoin(surveyVersions, eq(surveyVersions.id, invitations.surveyVersionId))
    .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
    .where(eq(invitationTokens.tokenHash, sql.placeholder("tokenHash")))
    .limit(1)
    .prepare("invitation_by_token_hash"),
);

export type FoundInvitation = NonNullable<Awaited<ReturnType<typeof findInvitationByToken>>>;

/**
 * When an invitation's links stop working. Every invitation made today carries its expiry; one
 * without (written before expiries were kept, or by hand) expires the default time after it
 * was made, so no token opens a survey for ever (docs/security.md, "Privacy").
 */
function invitationExpiresAt(invitation: { expiresAt: Date | null; createdAt: Date }): Date {
  return (
    invitation.expiresAt ??
    new Date(invitation.createdAt.getTime() + DEFAULT_LINK_EXPIRY_DAYS * 24 * 60 * 60 * 1000)
  );
}

/** Whether a found invitation can still be answered (not expired, revoked or opted out). */
export function invitationIsOpen(
  invitation: Pick<FoundInvitation["invitation"], "status" | "expiresAt" | "createdAt">,
  now = new Date(),
): boolean {
  if (invitation.status === "revoked" || invitation.status === "expired" || invitation.status === "opted_out")
    return false;
  return invitationExpiresAt(invitation) > now;
}
