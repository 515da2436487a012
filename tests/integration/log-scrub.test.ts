/**
 * Logs never hold a password, a token or an answer (docs/security.md, "Privacy"): a wrong
 * sign-in, a survey submit and an API call go through the app's own express stack (whose
 * request log names the path, and a survey path holds its token) with LOG_LEVEL=debug, and
 * everything written to stdout and stderr is searched for them.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { insertContact, insertSurveyVersionFromFile, insertUser } from "../../db/factories";
import { createApiKey } from "~/domain/api-keys.server";
import { createSurveyLink } from "~/domain/survey-links.server";
import { getDb } from "~/lib/db.server";
import { createHttpApp } from "~/lib/http.server";
import * as apiContacts from "~/routes/api.v1.contacts";
import * as login from "~/routes/login";
import * as surveySave from "~/routes/s.$token.save";
import * as surveySubmit from "~/routes/s.$token.submit";
import { RELATIONSHIP_RATINGS } from "../support/answers";

/**
 * A server build of just the routes under test, so no production build is needed: the real
 * route modules behind the real express app. Only data and resource requests are sent, so
 * the document handler is never asked to render a page.
 */
function buildOf(routes: Record<string, { path: string; module: object }>): ServerBuild {
  return {
    mode: "production",
    entry: {
      module: {
        default: (_request: Request, status: number, headers: Headers) =>
          new Response("<!doctype html>", { status, headers }),
      },
    },
    routes: {
      root: { id: "root", path: "", module: { default: () => null } },
      ...Object.fromEntries(
        Object.entries(routes).map(([id, route]) => [id, { id, parentId: "root", ...route }]),
      ),
    },
    assets: { entry: { module: "", imports: [] }, routes: {}, url: "", version: "test" },
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    future: {
      v3_fetcherPersist: true,
      v3_relativeSplatPath: true,
      v3_throwAbortReason: true,
      v3_lazyRouteDiscovery: true,
      v3_singleFetch: false,
    },
    isSpaMode: false,
  } as unknown as ServerBuild;
}

let server: Server;
let origin: string;
let written: string[];

beforeEach(async () => {
  vi.stubEnv("LOG_LEVEL", "debug");
  written = [];
  const capture = (chunk: unknown) => {
    written.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString());
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(capture);
  vi.spyOn(process.stderr, "write").mockImplementation(capture);
  const build = buildOf({
    "routes/login": { path: "login", module: login },
    "routes/s.$token.submit": { path: "s/:token/submit", module: surveySubmit },
    "routes/s.$token.save": { path: "s/:token/save", module: surveySave },
    "routes/api.v1.contacts": { path: "api/v1/contacts", module: apiContacts },
  });
  server = createHttpApp(build, { mode: "production", trustProxy: 0 }).listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** The request log's line for a request has been written (it is written when the response finishes). */
async function requestLogged(count: number) {
  await vi.waitFor(() => {
    expect(written.filter((line) => line.includes('"http.request"')).length).toBeGreaterThanOrEqual(count);
  });
}

describe("what the app logs", () => {
  it("holds no password, token, API key or answer, at LOG_LEVEL=debug", async () => {
    const db = getDb();
    const password = "Wrong-Horse-Battery-9137";
    const user = await insertUser(db, { role: "admin", email: "ada@rapport.test" });
    const contact = await insertContact(db, {});
    const version = await insertSurveyVersionFromFile(db, "relationship-health");
    const { token } = await createSurveyLink(db, {
      contactId: contact.id,
      surveyVersionId: version.id,
      createdById: user.id,
    });
    const { key } = await createApiKey(db, { name: "CRM", scope: "read" }, user.id);
    const answer = "Our champion Priya is leaving for a competitor in May";

    const signIn = await fetch(`${origin}/login?_data=routes%2Flogin`, {
      method: "POST",
      // as the sign-in page's own form sends it (cross-site posts are refused)
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
      body: new URLSearchParams({ email: "ada@rapport.test", password }),
    });
    expect(signIn.status).toBe(401);

    const saved = await fetch(`${origin}/s/${token}/save`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ data: { trust: 2, trust_why: answer }, currentPage: 0, sequence: 1 }),
    });
    expect(saved.status).toBe(200);
    // advocacy 2 opens a Customer 9-1-1 case, which logs too
    const submitted = await fetch(`${origin}/s/${token}/submit`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ data: { ...RELATIONSHIP_RATINGS, advocacy: 2, trust_why: answer } }),
    });
    expect(submitted.status).toBe(200);

    const listed = await fetch(`${origin}/api/v1/contacts`, { headers: { Authorization: `Bearer ${key}` } });
    expect(listed.status).toBe(200);
    const refused = await fetch(`${origin}/api/v1/contacts`, {
      headers: { Authorization: `Bearer ${key}x` },
    });
    expect(refused.status).toBe(401);

    await requestLogged(5);
    const text = written.join("");
    // the requests were logged, with their paths
    expect(text).toContain(`"path":"/s/[redacted]/submit"`);
    expect(text).toContain(`"path":"/login"`);
    expect(text).toContain(`"path":"/api/v1/contacts"`);
    expect(text).toContain('"event":"case.opened"');
    for (const secret of [password, token, key, key.slice(12), answer, "Priya"]) {
      expect(text).not.toContain(secret);
    }
  });
});
