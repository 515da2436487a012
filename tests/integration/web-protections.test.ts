/**
 * CSRF refusals and security headers, over real HTTP: the express app of `npm start`
 * (createHttpApp) around the production build in build/ (`npm test` builds it first).
 */
import { existsSync } from "node:fs";
import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertInvitation, insertUser } from "../../db/factories";
import { invitations, workspaceSettings } from "../../db/schema";
import { eq } from "drizzle-orm";
import { getSurveyEmbedding, saveSurveyFrameAncestors } from "~/domain/workspace-settings.server";
import { serverBuildPath } from "~/lib/build.server";
import { CROSS_SITE_MESSAGE } from "~/lib/csrf.server";
import { getDb } from "~/lib/db.server";
import { createHttpApp } from "~/lib/http.server";
import { getSessionUser } from "~/lib/session.server";
import { action as settingsAction } from "~/routes/_app.settings";
import { makeApiKey } from "../support/api";
import { cookieFor, makeRequest, settle } from "../support/requests";

let server: Server;
let base: string;

beforeAll(async () => {
  if (!existsSync(serverBuildPath))
    throw new Error("web-protections.test.ts serves the production build: run `npm run build` first");
  const build = (await import(pathToFileURL(serverBuildPath).href)) as ServerBuild;
  // one trusted proxy, as behind a load balancer: X-Forwarded-Proto and -Host are believed
  const app = createHttpApp(build, { mode: "production", trustProxy: 1 });
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request with exactly these headers (fetch would add or refuse some). */
function send(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // `path` as an option goes out as written (a URL string would resolve its "..")
    const { hostname, port } = new URL(base);
    const request = http.request({ hostname, port, path, method, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode!, headers: response.headers, body: text }),
      );
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** What the table holds, past any process's cached copy. */
async function storedOrigins(): Promise<string[]> {
  const [row] = await getDb().select().from(workspaceSettings);
  return row?.surveyFrameAncestors ?? [];
}

const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

async function signedInManager() {
  const user = await insertUser(getDb(), { role: "manager" });
  const cookie = await cookieFor(user);
  const stillSignedIn = async () => (await getSessionUser(makeRequest("/", { cookie }))) !== null;
  return { user, cookie, stillSignedIn };
}

describe("cross-site request refusal", () => {
  it("refuses a sign-out posted from another site, and signs out from a Rapport page", async () => {
    const { cookie, stillSignedIn } = await signedInManager();
    const refused = await send("POST", "/logout", { Cookie: cookie, Origin: "https://evil.example" });
    expect(refused.status).toBe(403);
    expect(refused.headers["content-type"]).toMatch(/^text\/plain/);
    expect(refused.body).toBe(CROSS_SITE_MESSAGE);
    expect(await stillSignedIn()).toBe(true);

    const accepted = await send("POST", "/logout", { Cookie: cookie, Origin: base });
    expect(accepted.status).toBe(302);
    expect(await stillSignedIn()).toBe(false);
  });

  it("refuses a post with neither Origin nor Sec-Fetch-Site, a sibling site's, and a null origin", async () => {
    const { cookie, stillSignedIn } = await signedInManager();
    const variants: Record<string, string>[] = [
      {},
      { "Sec-Fetch-Site": "same-site" },
      { "Sec-Fetch-Site": "cross-site" },
      { Origin: "null" },
      { Origin: "not a url" },
      // the same host on another scheme or port is another origin
      { Origin: base.replace("http://", "https://") },
      { Origin: "http://127.0.0.1:1" },
    ];
    for (const headers of variants) {
      const answer = await send("POST", "/logout", { Cookie: cookie, ...headers });
      expect(answer.status, JSON.stringify(headers)).toBe(403);
    }
    expect(await stillSignedIn()).toBe(true);
    expect((await send("POST", "/logout", { Cookie: cookie, "Sec-Fetch-Site": "same-origin" })).status).toBe(
      302,
    );
    expect(await stillSignedIn()).toBe(false);
  });

  it("refuses a cross-site sign-in and a cross-site account edit", async () => {
    await insertUser(getDb(), { email: "gus@example.test", role: "manager", password: "a long password" });
    const login = await send(
      "POST",
      "/login",
      { ...FORM, Origin: "https://evil.example" },
      new URLSearchParams({ email: "gus@example.test", password: "a long password" }).toString(),
    );
    expect(login.status).toBe(403);
    expect(login.headers["set-cookie"]).toBeUndefined();
    const admin = await insertUser(getDb(), { role: "admin" });
    const edit = await send(
      "POST",
      "/settings",
      { ...FORM, Cookie: await cookieFor(admin), Origin: "https://evil.example" },
      new URLSearchParams({ intent: "survey-embedding", frameAncestors: "https://evil.example" }).toString(),
    );
    expect(edit.status).toBe(403);
    expect(await storedOrigins()).toEqual([]);
  });

  it("judges the origin behind a trusted proxy by the forwarded scheme and host", async () => {
    const { cookie, stillSignedIn } = await signedInManager();
    const proxied = { "X-Forwarded-Proto": "https", "X-Forwarded-Host": "rapport.example.com" };
    // the address the proxy reached us on is not the site's origin
    expect((await send("POST", "/logout", { Cookie: cookie, ...proxied, Origin: base })).status).toBe(403);
    expect(await stillSignedIn()).toBe(true);
    const accepted = await send("POST", "/logout", {
      Cookie: cookie,
      ...proxied,
      Origin: "https://rapport.example.com",
    });
    expect(accepted.status).toBe(302);
    expect(await stillSignedIn()).toBe(false);
  });

  it("does not let a token-authorised path prefix smuggle a post to a cookie route", async () => {
    const { cookie, stillSignedIn } = await signedInManager();
    for (const path of ["/s/../logout", "/api/%2e%2e/logout", "/u/x/../../logout"]) {
      const answer = await send("POST", path, { Cookie: cookie, Origin: "https://evil.example" });
      expect(answer.status, path).toBe(403);
    }
    expect(await stillSignedIn()).toBe(true);
  });

  it("leaves token-, key- and signature-authorised paths to their own checks", async () => {
    // one-click unsubscribe (RFC 8058): the mail provider's server posts, with no Origin
    const invitation = await insertInvitation(getDb());
    const unsubscribe = await send("POST", `/u/${invitation.token}`, FORM, "List-Unsubscribe=One-Click");
    expect(unsubscribe.status).toBe(200);
    expect(unsubscribe.body).toContain("You are unsubscribed");
    // a survey page's own form, from a portal that frames it
    // (another invitation: the unsubscribed one no longer takes answers)
    const open = await insertInvitation(getDb());
    const survey = await send(
      "POST",
      `/s/${open.token}/save`,
      { "Content-Type": "application/json", Origin: "https://portal.example.com" },
      JSON.stringify({ data: {}, currentPage: 0, sequence: 1 }),
    );
    expect(survey.status).toBe(200);
    const { key } = await makeApiKey("write");
    const api = await send("POST", "/api/v1/accounts", {
      Authorization: `Bearer ${key}`,
      "Content-Type": "application/json",
    });
    expect(api.status).toBe(400);
    expect(api.headers["content-type"]).toBe("application/problem+json");
    const webhook = await send("POST", "/webhooks/resend", { "Content-Type": "application/json" }, "{}");
    expect(webhook.status).not.toBe(403);
    const [stored] = await getDb().select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(stored).toBeDefined();
  });
});

function csp(answer: Answer): Map<string, string> {
  const header = answer.headers["content-security-policy"];
  expect(typeof header, "a single Content-Security-Policy header").toBe("string");
  return new Map(
    (header as string).split(";").map((directive) => {
      const [name, ...values] = directive.trim().split(/\s+/);
      return [name!, values.join(" ")];
    }),
  );
}

describe("security headers", () => {
  it("gives a page a CSP whose fresh nonce every inline script carries, and no unsafe-inline scripts", async () => {
    const first = await send("GET", "/login");
    expect(first.status).toBe(200);
    const policy = csp(first);
    const nonce = /^'self' 'nonce-([A-Za-z0-9+/=]+)'$/.exec(policy.get("script-src") ?? "")?.[1];
    expect(nonce, policy.get("script-src")).toBeTruthy();
    expect(policy.get("object-src")).toBe("'none'");
    expect(policy.get("base-uri")).toBe("'self'");
    expect(policy.get("form-action")).toBe("'self'");
    expect(policy.get("frame-ancestors")).toBe("'none'");
    const scripts = [...first.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    const preloads = [...first.body.matchAll(/<link rel="modulepreload"[^>]*>/g)];
    expect(preloads.length).toBeGreaterThan(0);

    const second = await send("GET", "/login");
    expect(csp(second).get("script-src")).not.toContain(nonce!);
    expect(first.headers["x-frame-options"]).toBe("DENY");
    expect(first.headers["x-content-type-options"]).toBe("nosniff");
    expect(first.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(first.headers["strict-transport-security"]).toBeUndefined();
  });

  it("sends HSTS only when the request came over https", async () => {
    const secure = await send("GET", "/login", { "X-Forwarded-Proto": "https" });
    expect(secure.headers["strict-transport-security"]).toBe("max-age=31536000");
    expect((await send("GET", "/login")).headers["strict-transport-security"]).toBeUndefined();
  });

  it("puts the headers on static files, unknown paths and refusals too", async () => {
    for (const answer of [
      await send("GET", "/favicon.svg"),
      await send("GET", "/no-such-page"),
      await send("POST", "/logout", { Origin: "https://evil.example" }),
    ]) {
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
      expect(answer.headers["x-frame-options"]).toBe("DENY");
      expect(csp(answer).get("frame-ancestors")).toBe("'none'");
    }
  });

  it("lets only the sites in the settings frame the survey page, from the moment they are saved", async () => {
    const { token } = await insertInvitation(getDb());
    const before = await send("GET", `/s/${token}`);
    expect(before.status).toBe(200);
    expect(csp(before).get("frame-ancestors")).toBe("'none'");
    expect(before.headers["x-frame-options"]).toBe("DENY");
    // the survey page's own stricter policy, once, not appended to the default
    expect(before.headers["referrer-policy"]).toBe("no-referrer");

    const admin = await insertUser(getDb(), { role: "admin" });
    const saved = await send(
      "POST",
      "/settings?_data=routes%2F_app.settings",
      { ...FORM, Cookie: await cookieFor(admin), Origin: base },
      new URLSearchParams({
        intent: "survey-embedding",
        frameAncestors: " https://Portal.Example.com/ \n\nhttp://localhost:3000\nhttps://portal.example.com",
      }).toString(),
    );
    expect(saved.status).toBe(200);
    const after = await send("GET", `/s/${token}`);
    expect(csp(after).get("frame-ancestors")).toBe("https://portal.example.com http://localhost:3000");
    expect(after.headers["x-frame-options"]).toBeUndefined();
    const nonce = /'nonce-([^']+)'/.exec(csp(after).get("script-src") ?? "")?.[1];
    for (const [tag] of after.body.matchAll(/<script\b[^>]*>/g)) expect(tag).toContain(`nonce="${nonce}"`);
    // every other page stays unframeable
    const login = await send("GET", "/login");
    expect(csp(login).get("frame-ancestors")).toBe("'none'");
    expect(login.headers["x-frame-options"]).toBe("DENY");

    await saveSurveyFrameAncestors(getDb(), "", admin.id);
  });
});

describe("the survey embedding setting", () => {
  async function save(frameAncestors: string, role: "admin" | "manager" = "admin") {
    const cookie = await cookieFor(await insertUser(getDb(), { role }));
    return settle(() =>
      settingsAction({
        request: makeRequest("/settings", { form: { intent: "survey-embedding", frameAncestors }, cookie }),
        params: {},
        context: {},
      }),
    );
  }

  it.each([
    ["portal.example.com", "“portal.example.com” is not a web address"],
    ["http://portal.example.com", "“http://portal.example.com” is not an https address"],
    ["ftp://portal.example.com", "“ftp://portal.example.com” is not an https address"],
    ["https://portal.example.com/embed", "“https://portal.example.com/embed” names a page, not a site"],
    ["https://portal.example.com?x=1", "names a page, not a site"],
    ["https://user:pw@portal.example.com", "names a page, not a site"],
    ["https://*.example.com", "“https://*.example.com”"],
    ["https://portal.example.com; script-src *", "“https://portal.example.com; script-src *”"],
    [`https://${"a".repeat(300)}.com`, "is too long"],
  ])("refuses %s with a message naming it, and keeps the saved list", async (value, message) => {
    expect((await save("https://kept.example.com")).status).toBe(200);
    const response = await save(`https://fine.example.com\n${value}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { saved: boolean; error: string };
    expect(body.saved).toBe(false);
    expect(body.error).toContain(message);
    expect(await storedOrigins()).toEqual(["https://kept.example.com"]);
    expect((await getSurveyEmbedding(getDb())).frameAncestors).toEqual(["https://kept.example.com"]);
  });

  it("saves an empty list as no site at all", async () => {
    await save("https://portal.example.com");
    expect((await save("  \n ")).status).toBe(200);
    expect((await getSurveyEmbedding(getDb())).frameAncestors).toEqual([]);
  });

  it("refuses more than twenty sites, and a manager", async () => {
    const many = Array.from({ length: 21 }, (_, i) => `https://p${i}.example.com`).join("\n");
    const response = await save(many);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain("at most 20");
    expect((await save("https://portal.example.com", "manager")).status).toBe(403);
    expect(await storedOrigins()).toEqual([]);
  });
});
