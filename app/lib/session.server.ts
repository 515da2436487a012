import { createHash, randomBytes } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { and, eq, gt } from "drizzle-orm";
import { sessions, users, type User } from "../../db/schema";
import { getDb } from "./db.server";
import { getSessionSecret } from "./secrets.server";

/** How long a session lives without use, and at most. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 14 * 24 * 60 * 60 * 1000;
// lastSeenAt is written at most this often, so every page view is not a write
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

let sessionCookie: ReturnType<typeof createCookie> | undefined;
function cookie() {
  sessionCookie ??= createCookie("rapport_session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secrets: [getSessionSecret()],
  });
  return sessionCookie;
}

function hashToken(token: string) {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Secure cookies whenever the request reached us over https. Behind a trusted proxy
 * (TRUST_PROXY) the request URL already carries the client's scheme.
 */
export function isHttps(request: Request) {
  return new URL(request.url).protocol === "https:";
}

export type SessionUser = Pick<User, "id" | "email" | "name" | "role">;

/** Reads the session cookie; a missing, tampered, expired or idle session is simply no user. */
export async function getSessionUser(request: Request): Promise<SessionUser | null> {
  const token = await readToken(request);
  if (!token) return null;
  const db = getDb();
  const now = new Date();
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      deactivatedAt: users.deactivatedAt,
      sessionId: sessions.id,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, hashToken(token)), gt(sessions.expiresAt, now)))
    .limit(1);
  if (!row || row.deactivatedAt) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > SESSION_IDLE_MS) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.sessionId));
  }
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

async function readToken(request: Request): Promise<string | null> {
  const value: unknown = await cookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

/**
 * Starts a fresh session (a new random token every sign-in, so a planted cookie is
 * never promoted) and returns the Set-Cookie header.
 */
export async function createSession(
  request: Request,
  userId: string,
): Promise<{ setCookie: string; sessionId: string }> {
  const db = getDb();
  const previous = await readToken(request);
  if (previous) await db.delete(sessions).where(eq(sessions.id, hashToken(previous)));
  const token = randomBytes(32).toString("base64url");
  const now = Date.now();
  const expiresAt = new Date(now + SESSION_ABSOLUTE_MS);
  const sessionId = hashToken(token);
  await db.insert(sessions).values({
    id: sessionId,
    userId,
    expiresAt,
    ipAddress: clientAddress(request),
    userAgent: request.headers.get("user-agent")?.slice(0, 500) ?? null,
  });
  const setCookie = await cookie().serialize(token, { expires: expiresAt, secure: isHttps(request) });
  return { setCookie, sessionId };
}

/** Ends the session in the database and clears the cookie. */
export async function destroySession(request: Request): Promise<string> {
  const token = await readToken(request);
  if (token)
    await getDb()
      .delete(sessions)
      .where(eq(sessions.id, hashToken(token)));
  return cookie().serialize("", { expires: new Date(0), maxAge: 0, secure: isHttps(request) });
}

/** The client's address as the server saw it (set by the HTTP layer, see http.server.ts). */
export function clientAddress(request: Request): string | null {
  return request.headers.get("x-rapport-client-ip");
}

export async function signOutRedirect(request: Request, to = "/login") {
  return redirect(to, { headers: { "Set-Cookie": await destroySession(request) } });
}
