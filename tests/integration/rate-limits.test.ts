import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertInvitation, insertUser } from "../../db/factories";
import { apiKeys } from "../../db/schema";
import { MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_EMAIL } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { INVALID_SURVEY_TOKEN_LIMIT } from "~/lib/rate-limit.server";
import { action as loginAction } from "~/routes/login";
import { loader as surveyLoader } from "~/routes/s.$token/route";
import { callApi, makeApiKey } from "../support/api";
import { makeRequest, settle } from "../support/requests";

const password = "correct horse battery staple";

function signIn(email: string, pw: string, ip: string) {
  return settle(() =>
    loginAction({
      request: makeRequest("/login", { form: { email, password: pw }, ip }),
      params: {},
      context: {},
    }),
  );
}

function openSurvey(token: string, ip: string) {
  return settle(() =>
    surveyLoader({ request: makeRequest(`/s/${token}`, { ip }), params: { token }, context: {} }),
  );
}

const statuses = (responses: Response[]) => responses.map((r) => r.status);
const countOf = (list: number[], status: number) => list.filter((s) => s === status).length;

describe("sign-in limits", () => {
  it("stops a parallel burst of wrong passwords for one email from one address, not the owner elsewhere", async () => {
    await insertUser(getDb(), { email: "dee@example.test", role: "manager", password });
    const burst = statuses(
      await Promise.all(
        Array.from({ length: 3 * MAX_FAILURES_PER_EMAIL }, (_, i) =>
          signIn("dee@example.test", `guess-${i}`, "198.51.100.1"),
        ),
      ),
    );
    // every password checked was a wrong one: never more checks than the limit
    expect(countOf(burst, 401)).toBeLessThanOrEqual(MAX_FAILURES_PER_EMAIL);
    expect(countOf(burst, 401) + countOf(burst, 429)).toBe(burst.length);
    const refused = await signIn("DEE@example.test", password, "198.51.100.1");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("900");
    expect((await refused.json()).formError).toMatch(/Too many failed sign-ins/);
    // the owner, from their own network, still gets in
    expect((await signIn("dee@example.test", password, "203.0.113.20")).status).toBe(302);
  });

  it("stops one address trying many emails, while the same emails still work from elsewhere", async () => {
    await insertUser(getDb(), { email: "fay@example.test", role: "manager", password });
    // one failure each for many emails: the per-email limit never trips, the per-address one does
    const burst = statuses(
      await Promise.all(
        Array.from({ length: MAX_FAILURES_PER_ADDRESS + 10 }, (_, i) =>
          signIn(`user${i}@example.test`, "guess", "198.51.100.9"),
        ),
      ),
    );
    expect(countOf(burst, 401)).toBeLessThanOrEqual(MAX_FAILURES_PER_ADDRESS);
    expect(countOf(burst, 429)).toBeGreaterThanOrEqual(10);
    expect((await signIn("fay@example.test", password, "198.51.100.9")).status).toBe(429);
    expect((await signIn("fay@example.test", password, "198.51.100.10")).status).toBe(302);
  });
});

describe("survey link limits", () => {
  it("answers a parallel burst of invalid tokens from one address with 429s, and another address opens its link", async () => {
    const { token } = await insertInvitation(getDb());
    const burst = statuses(
      await Promise.all(
        Array.from({ length: 2 * INVALID_SURVEY_TOKEN_LIMIT.limit }, (_, i) =>
          openSurvey(`guess-${i}`, "192.0.2.50"),
        ),
      ),
    );
    // a 404 tells the guesser a token is wrong: no more of those than the limit
    expect(countOf(burst, 404)).toBeLessThanOrEqual(INVALID_SURVEY_TOKEN_LIMIT.limit);
    expect(countOf(burst, 404) + countOf(burst, 429)).toBe(burst.length);
    const blocked = await openSurvey(token, "192.0.2.50");
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await openSurvey(token, "192.0.2.51")).status).toBe(200);
  });
});

describe("API key limits", () => {
  it("answers a parallel burst beyond a key's rate with 429 and Retry-After, while another key still works", async () => {
    const { key, apiKey } = await makeApiKey("read");
    await getDb().update(apiKeys).set({ rateLimitPerMinute: 4 }).where(eq(apiKeys.id, apiKey.id));
    const burst = await Promise.all(Array.from({ length: 12 }, () => callApi("/accounts", { key })));
    const codes = statuses(burst);
    expect(countOf(codes, 200)).toBe(4);
    expect(countOf(codes, 429)).toBe(8);
    for (const refused of burst.filter((r) => r.status === 429)) {
      expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    }
    const other = await makeApiKey("read");
    expect((await callApi("/accounts", { key: other.key })).status).toBe(200);
    expect((await callApi("/accounts", { key })).status).toBe(429);
  });
});
