import { redirect } from "@remix-run/node";
import { and, count, eq, gt, isNull, sql } from "drizzle-orm";
import { accountMembers, accounts, signInAttempts, users, type UserRole } from "../../db/schema";
import { canAccessAccount, homePath, type AccountAccess } from "../domain/access";
import { getDb } from "./db.server";
import { decoyPasswordHash, verifyPassword } from "./password.server";
import { clientAddress, getSessionUser, type SessionUser } from "./session.server";

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
/** Failures for one email from one address: a guesser there is stopped, the owner elsewhere is not. */
export const MAX_FAILURES_PER_EMAIL = 5;
/** Failures from one address, whatever the emails: one machine cannot work through a list. */
export const MAX_FAILURES_PER_ADDRESS = 30;

export type SignInResult = { ok: true; user: SessionUser } | { ok: false; reason: "invalid" | "throttled" };

/**
 * Checks an email and password. Unknown emails and wrong passwords look the same to
 * the caller and take the same time. Repeated failures for one email from one address,
 * or any failures from one address, are refused for a while without even checking the
 * password. Failures are never counted per email alone: anyone could then lock a person
 * out of their own account by failing five times from anywhere.
 */
export async function authenticate(request: Request, email: string, password: string): Promise<SignInResult> {
  const db = getDb();
  const normalized = email.trim().toLowerCase();
  const address = clientAddress(request) || null;
  const since = new Date(Date.now() - SIGN_IN_WINDOW_MS);

  // Counted and recorded under a lock on the address (or, without one, the email): a burst
  // of parallel tries cannot all pass the check before any of them is recorded.
  const attemptId = await db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`sign-in:${address ?? normalized}`}, 0))`,
    );
    const sameEmail = sql`lower(${signInAttempts.email}) = ${normalized}`;
    const [failures] = await tx
      .select({
        fromAddress: count(),
        forEmail: sql<number>`count(*) filter (where ${sameEmail})`.mapWith(Number),
      })
      .from(signInAttempts)
      .where(
        and(
          // no address (a request that did not come through the HTTP layer): that email's addressless failures
          address ? eq(signInAttempts.ipAddress, address) : and(isNull(signInAttempts.ipAddress), sameEmail),
          eq(signInAttempts.succeeded, false),
          gt(signInAttempts.createdAt, since),
        ),
      );
    if (
      (failures?.forEmail ?? 0) >= MAX_FAILURES_PER_EMAIL ||
      (address !== null && (failures?.fromAddress ?? 0) >= MAX_FAILURES_PER_ADDRESS)
    ) {
      // a refused try is not recorded, so waiting out the window is enough
      return null;
    }
    // recorded as a failure until the password proves right, so parallel tries count it
    const [attempt] = await tx
      .insert(signInAttempts)
      .values({ email: normalized, ipAddress: address, succeeded: false })
      .returning({ id: signInAttempts.id });
    return attempt!.id;
  });
  if (attemptId === null) return { ok: false, reason: "throttled" };

  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${normalized}`)
    .limit(1);
  const valid =
    user && user.passwordHash && !user.deactivatedAt
      ? await verifyPassword(user.passwordHash, password)
      : (await verifyPassword(await decoyPasswordHash(), password)) && false;

  if (!valid || !user) return { ok: false, reason: "invalid" };
  await db.update(signInAttempts).set({ succeeded: true }).where(eq(signInAttempts.id, attemptId));
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}

/** Where to send a signed-out visitor, remembering where they were going. */
function signInRedirect(request: Request) {
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  return redirect(back === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(back)}`);
}

/**
 * The one guard every loader and action calls. Signed out → redirect to sign-in;
 * signed in without one of `roles` → 403.
 */
export async function requireUser(
  request: Request,
  options: { roles?: readonly UserRole[] } = {},
): Promise<SessionUser> {
  const user = await getSessionUser(request);
  if (!user) throw signInRedirect(request);
  if (options.roles && !options.roles.includes(user.role)) {
    throw new Response("Your role does not give you access to this page.", { status: 403 });
  }
  return user;
}

export async function requireAnonymous(request: Request) {
  const user = await getSessionUser(request);
  if (user) throw redirect(homePath(user.role));
}

/**
 * Account data: admins see and edit all; leaders see all and edit none; managers see
 * and edit the accounts they own or are on the team of. An unknown id is a 404, a
 * forbidden one a 403.
 */
export async function requireAccountAccess(
  user: SessionUser,
  accountId: string,
  access: AccountAccess,
): Promise<void> {
  const db = getDb();
  if (!isUuid(accountId)) throw new Response("No such account.", { status: 404 });
  const [row] = await db
    .select({
      ownerId: accounts.ownerId,
      isMember: sql<boolean>`exists (select 1 from ${accountMembers} where ${accountMembers.accountId} = ${accounts.id} and ${accountMembers.userId} = ${user.id})`,
    })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .limit(1);
  if (!row) throw new Response("No such account.", { status: 404 });
  if (!canAccessAccount(user, { ownerId: row.ownerId, isMember: row.isMember }, access)) {
    throw new Response("This account belongs to another team. Ask its owner to add you to the team.", {
      status: 403,
    });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
