import { randomBytes, randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { isSensitiveKey, log, REDACTED, scrubLogValue, scrubString } from "~/lib/log.server";

const surveyToken = () => randomBytes(24).toString("base64url");

describe("log scrubbing: keys", () => {
  it.each([
    "token",
    "surveyToken",
    "token_hash",
    "password",
    "newPassword",
    "secret",
    "sessionSecret",
    "authorization",
    "Authorization",
    "cookie",
    "Set-Cookie",
    "api_key",
    "apiKey",
    "answers",
    "data",
    "body",
    "payload",
    "html",
  ])("treats %s as sensitive", (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });

  it.each(["accountId", "contactId", "status", "ms", "path", "event", "reason", "queue", "count"])(
    "leaves %s alone",
    (key) => {
      expect(isSensitiveKey(key)).toBe(false);
    },
  );

  it("replaces sensitive values at any depth, in arrays too, and keeps the rest", () => {
    const scrubbed = scrubLogValue({
      accountId: "acc-1",
      request: {
        headers: { authorization: "Bearer abc", "x-request-id": "r1" },
        body: { password: "hunter2" },
      },
      batch: [{ token: "t1", id: 1 }, { data: { comment: "they are leaving us" } }],
    });
    expect(scrubbed).toEqual({
      accountId: "acc-1",
      request: { headers: { authorization: REDACTED, "x-request-id": "r1" }, body: REDACTED },
      batch: [{ token: REDACTED, id: 1 }, { data: REDACTED }],
    });
  });
});

describe("log scrubbing: values", () => {
  it("redacts the token in a survey or unsubscribe link's path", () => {
    const token = surveyToken();
    expect(scrubString(`/s/${token}/submit`)).toBe(`/s/${REDACTED}/submit`);
    expect(scrubString(`https://rapport.example/u/${token}?x=1`)).toBe(
      `https://rapport.example/u/${REDACTED}?x=1`,
    );
  });

  it("redacts a bare 32-character token, an API key, a bearer token and a webhook secret in free text", () => {
    const token = surveyToken();
    const apiKey = `rk_0a1b2c3d_${randomBytes(32).toString("base64url")}`;
    const text = `lookup failed for ${token}; key ${apiKey}; header Bearer ${apiKey}; whsec_${randomBytes(32).toString("base64")}`;
    const scrubbed = scrubString(text);
    expect(scrubbed).not.toContain(token);
    expect(scrubbed).not.toContain(apiKey.slice(12));
    expect(scrubbed).not.toMatch(/whsec_[A-Za-z0-9+/]{8}/);
    expect(scrubbed).toContain("lookup failed for");
  });

  it("redacts the password in a database URL and secrets in a query string", () => {
    expect(scrubString("connect postgres://rapport:s3cr3t-pw@db.internal:5432/rapport failed")).toBe(
      `connect postgres://rapport:${REDACTED}@db.internal:5432/rapport failed`,
    );
    expect(scrubString("/login?redirectTo=/x&token=abc123&password=pw")).toBe(
      `/login?redirectTo=/x&token=${REDACTED}&password=${REDACTED}`,
    );
  });

  it("keeps ids, hex digests, ordinary words and paths", () => {
    const uuid = randomUUID();
    const digest = "a".repeat(20) + "0123456789abcdef0123456789abcdef0123456789abcdef";
    const text = `/accounts/${uuid}/contacts ${digest} createRequestHandlerWithSomeLongName /usr/lib/node`;
    expect(scrubString(text)).toBe(text);
  });

  it("scrubs an Error's message, stack and cause", () => {
    const token = surveyToken();
    const error = new Error(`no invitation for /s/${token}`, { cause: new Error(`token ${token} unknown`) });
    const scrubbed = JSON.stringify(scrubLogValue({ error }));
    expect(scrubbed).not.toContain(token);
    expect(scrubbed).toContain("no invitation for /s/[redacted]");
    expect(scrubbed).toContain("Error");
  });

  it("survives cycles, deep nesting, bigints and dates", () => {
    const cyclic: Record<string, unknown> = { name: "a" };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 20; i += 1) deep = { next: deep };
    const scrubbed = scrubLogValue({ cyclic, deep, big: 10n, at: new Date("2025-01-02T03:04:05Z") });
    expect(JSON.stringify(scrubbed)).toContain("[circular]");
    expect(JSON.stringify(scrubbed)).toContain("[too deep]");
    expect(scrubbed).toMatchObject({ big: "10", at: "2025-01-02T03:04:05.000Z" });
  });
});

describe("log lines", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it("writes nothing sensitive to stdout or stderr", () => {
    vi.stubEnv("LOG_LEVEL", "debug");
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (written.push(String(chunk)), true));
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (written.push(String(chunk)), true));
    const token = surveyToken();
    log.debug("http.request", { method: "POST", path: `/s/${token}/submit`, status: 200 });
    log.error("boom", { error: new Error(`password=hunter2 for ${token}`), answers: { nps: 3 } });
    expect(written).toHaveLength(2);
    const text = written.join("");
    expect(text).not.toContain(token);
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain('"nps"');
    expect(JSON.parse(written[0]!)).toMatchObject({
      event: "http.request",
      path: `/s/${REDACTED}/submit`,
      status: 200,
    });
  });
});
