import { redirect } from "@remix-run/node";
import { and, count, eq, gt, sql } from "drizzle-orm";
import { accountMembers, accounts, signInAttempts, users, type UserRole } from "../../db/schema";
import { canAccessAccount, homePath, type AccountAccess } from "../domain/access";
import { getDb } from "./db.server";
import { decoyPasswordHash, verifyPassword } from "./password.server";
import { clientAddress, getSessionUser, type SessionUser } from "./session.server";

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_ADDRESS = 30;

export type SignInResult = { ok: true; user: SessionUser } | { ok: false; reason: "invalid" | "throttled" };

/**
 * Checks an email and password. Unknown emails and wrong passwords look the same to
 * the caller and take the same time; repeated failures for one email or from one
 * address are refused for a while without even checking the password.
 */
export async function authenticate(request: Request, email: string, password: string): Promise<SignInResult> {
  const db = getDb();
  const normalized = email.trim().toLowerCase();
  const address = clientAddress(request);
  const since = new Date(Date.now() - SIGN_IN_WINDOW_MS);

  const [byEmail] = await db
    .select({ n: count() })
    .from(signInAttempts)
    .where(
      and(
        sql`lower(${signInAttempts.email}) = ${normalized}`,
        eq(signInAttempts.succeeded, false),
        gt(signInAttempts.createdAt, since),
      ),
    );
  const [byAddress] = address
    ? await db
        .select({ n: count() })
        .from(signInAttempts)
        .where(
          and(
            eq(signInAttempts.ipAddress, address),
            eq(signInAttempts.succeeded, false),
            gt(signInAttempts.createdAt, since),
          ),
        )
    : [{ n: 0 }];
  if ((byEmail?.n ?? 0) >= MAX_FAILURES_PER_EMAIL || (byAddress?.n ?? 0) >= MAX_FAILURES_PER_ADDRESS) {
    return { ok: false, reason: "throttled" };
  }

  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${normalized}`)
    .limit(1);
  const valid =
    user && user.passwordHash && !user.deactivatedAt
      ? await verifyPassword(user.passwordHash, password)
      : (await verifyPassword(await decoyPasswordHash(), password)) && false;

  await db.insert(signInAttempts).values({ email: normalized, ipAddress: address, succeeded: valid });
  if (!valid || !user) return { ok: false, reason: "invalid" };
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
