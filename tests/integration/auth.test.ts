import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions } from "../../db/schema";
import { insertUser } from "../../db/factories";
import { authenticate, MAX_FAILURES_PER_EMAIL } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import {
  createSession,
  destroySession,
  getSessionUser,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
} from "~/lib/session.server";
import { action as loginAction } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { loader as dashboardLoader } from "~/routes/_app.dashboard/route";
import { cookieFrom, makeRequest, settle } from "../support/requests";

const password = "correct horse battery staple";

async function signIn(email: string, pw: string, ip?: string) {
  return settle(() =>
    loginAction({
      request: makeRequest("/login", { form: { email, password: pw }, ip }),
      params: {},
      context: {},
    }),
  );
}

describe("sign-in", () => {
  it("signs a manager in with the right password onto My week with a session cookie", async () => {
    const user = await insertUser(getDb(), { email: "ana@example.test", role: "manager", password });
    const response = await signIn("ANA@example.test ", password);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/week");
    const setCookie = response.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i);
    const signedIn = await getSessionUser(makeRequest("/", { cookie: cookieFrom(response) }));
    expect(signedIn?.id).toBe(user.id);
  });

  it("marks the cookie Secure when the request came over https", async () => {
    const user = await insertUser(getDb(), { role: "manager" });
    const request = new Request("https://rapport.example/login");
    const { setCookie } = await createSession(request, user.id);
    expect(setCookie).toMatch(/Secure/i);
  });

  it("gives the same generic message for a wrong password and an unknown email", async () => {
    await insertUser(getDb(), { email: "ben@example.test", role: "manager", password });
    const wrong = await signIn("ben@example.test", "not the password");
    const unknown = await signIn("nobody@example.test", "whatever");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await wrong.json(), await unknown.json()];
    expect(a.formError).toBe("That email and password do not match an account.");
    expect(b.formError).toBe(a.formError);
  });

  it("names the missing field when the form is empty", async () => {
    const response = await signIn("", "");
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.fieldErrors.email).toBe("Enter your email address.");
    expect(body.fieldErrors.password).toBe("Enter your password.");
  });

  it("redirects only to same-site paths after sign-in", async () => {
    await insertUser(getDb(), { email: "cy@example.test", role: "leader", password });
    const response = await settle(() =>
      loginAction({
        request: makeRequest("/login", {
          form: { email: "cy@example.test", password, redirectTo: "//evil.example/phish" },
        }),
        params: {},
        context: {},
      }),
    );
    expect(response.headers.get("Location")).toBe("/dashboard");
  });

  it("throttles an email from an address after repeated failures, even with the right password, without locking out others", async () => {
    await insertUser(getDb(), { email: "dee@example.test", role: "manager", password });
    await insertUser(getDb(), { email: "eve@example.test", role: "manager", password });
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) {
      expect((await signIn("dee@example.test", `guess-${i}`, "198.51.100.1")).status).toBe(401);
    }
    const locked = await signIn("dee@example.test", password, "198.51.100.1");
    expect(locked.status).toBe(429);
    expect((await locked.json()).formError).toMatch(/Too many failed sign-ins/);
    expect((await signIn("eve@example.test", password, "198.51.100.1")).status).toBe(302);
    // the failures were someone else's, from their address: dee at her own desk still gets in
    expect((await signIn("dee@example.test", password, "203.0.113.44")).status).toBe(302);
  });

  it("refuses a deactivated user", async () => {
    await insertUser(getDb(), {
      email: "old@example.test",
      role: "manager",
      password,
      deactivatedAt: new Date(),
    });
    const result = await authenticate(makeRequest("/login"), "old@example.test", password);
    expect(result).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("sessions", () => {
  it("treats a tampered cookie as signed out", async () => {
    const user = await insertUser(getDb(), { role: "manager" });
    const { setCookie } = await createSession(makeRequest("/login"), user.id);
    const [name, value] = setCookie.split(";")[0]!.split("=") as [string, string];
    const tampered = `${name}=${value.slice(0, -3)}${value.endsWith("a") ? "bcd" : "abc"}`;
    expect(await getSessionUser(makeRequest("/", { cookie: tampered }))).toBeNull();
    expect(await getSessionUser(makeRequest("/", { cookie: "rapport_session=garbage" }))).toBeNull();
  });

  it("sends a signed-out visitor to sign-in, remembering the page", async () => {
    const response = await settle(() =>
      dashboardLoader({ request: makeRequest("/dashboard?x=1"), params: {}, context: {} }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fdashboard%3Fx%3D1");
  });

  it("ends a session that has expired or sat idle too long", async () => {
    const user = await insertUser(getDb(), { role: "manager" });
    const first = await createSession(makeRequest("/login"), user.id);
    const cookie = first.setCookie.split(";")[0]!;
    expect(await getSessionUser(makeRequest("/", { cookie }))).not.toBeNull();
    await getDb()
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - SESSION_IDLE_MS - 1000) })
      .where(eq(sessions.id, first.sessionId));
    expect(await getSessionUser(makeRequest("/", { cookie }))).toBeNull();

    const second = await createSession(makeRequest("/login"), user.id);
    await getDb()
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, second.sessionId));
    expect(await getSessionUser(makeRequest("/", { cookie: second.setCookie.split(";")[0]! }))).toBeNull();
  });

  it("keeps a session in use alive past the idle limit, counting idleness from the last use", async () => {
    const user = await insertUser(getDb(), { role: "manager" });
    const { setCookie, sessionId } = await createSession(makeRequest("/login"), user.id);
    const cookie = setCookie.split(";")[0]!;
    const setLastSeen = (msAgo: number) =>
      getDb()
        .update(sessions)
        .set({ lastSeenAt: new Date(Date.now() - msAgo) })
        .where(eq(sessions.id, sessionId));
    // used a minute short of the idle limit: still signed in, and the use is remembered
    await setLastSeen(SESSION_IDLE_MS - 60_000);
    expect(await getSessionUser(makeRequest("/", { cookie }))).not.toBeNull();
    const [row] = await getDb().select().from(sessions).where(eq(sessions.id, sessionId));
    expect(Date.now() - row!.lastSeenAt.getTime()).toBeLessThan(SESSION_IDLE_MS / 2);
    // so another idle-limit-less-a-minute later it still works, though created long before
    await setLastSeen(SESSION_IDLE_MS - 60_000);
    expect(await getSessionUser(makeRequest("/", { cookie }))).not.toBeNull();
    await setLastSeen(SESSION_IDLE_MS + 60_000);
    expect(await getSessionUser(makeRequest("/", { cookie }))).toBeNull();
  });

  it("ends a session at its absolute limit however recently it was used, and use never extends it", async () => {
    const user = await insertUser(getDb(), { role: "manager" });
    const before = Date.now();
    const { setCookie, sessionId } = await createSession(makeRequest("/login"), user.id);
    const cookie = setCookie.split(";")[0]!;
    const expiresAt = async () =>
      (await getDb().select().from(sessions).where(eq(sessions.id, sessionId)))[0]!.expiresAt.getTime();
    const created = await expiresAt();
    expect(created).toBeGreaterThanOrEqual(before + SESSION_ABSOLUTE_MS);
    expect(created).toBeLessThanOrEqual(Date.now() + SESSION_ABSOLUTE_MS);
    // a use that touches lastSeenAt leaves the absolute end where it was
    await getDb()
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 10 * 60_000) })
      .where(eq(sessions.id, sessionId));
    expect(await getSessionUser(makeRequest("/", { cookie }))).not.toBeNull();
    expect(await expiresAt()).toBe(created);
    // fourteen days on, in constant use (seen just now): signed out
    await getDb()
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000), lastSeenAt: new Date() })
      .where(eq(sessions.id, sessionId));
    expect(await getSessionUser(makeRequest("/", { cookie }))).toBeNull();
    // and the cookie itself says when: the browser drops it at the same moment
    expect(setCookie).toContain(`Expires=${new Date(created).toUTCString()}`);
  });

  it("rotates the session on sign-in: the old cookie stops working", async () => {
    const user = await insertUser(getDb(), { role: "manager" });
    const first = await createSession(makeRequest("/login"), user.id);
    const oldCookie = first.setCookie.split(";")[0]!;
    await createSession(makeRequest("/login", { cookie: oldCookie }), user.id);
    expect(await getSessionUser(makeRequest("/", { cookie: oldCookie }))).toBeNull();
  });

  it("signs out: the session row is gone and the cookie is cleared", async () => {
    const user = await insertUser(getDb(), { role: "manager" });
    const { setCookie } = await createSession(makeRequest("/login"), user.id);
    const cookie = setCookie.split(";")[0]!;
    const response = await settle(() =>
      logoutAction({ request: makeRequest("/logout", { method: "POST", cookie }), params: {}, context: {} }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Set-Cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    expect(await getSessionUser(makeRequest("/", { cookie }))).toBeNull();
    expect(await getDb().select().from(sessions)).toHaveLength(0);
  });

  it("destroySession without a cookie still clears the cookie", async () => {
    expect(await destroySession(makeRequest("/logout"))).toMatch(/rapport_session=;/);
  });
});
