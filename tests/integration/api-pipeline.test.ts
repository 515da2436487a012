import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accounts, apiKeys } from "../../db/schema";
import { insertAccount, insertUser } from "../../db/factories";
import { getDb } from "~/lib/db.server";
import { loader as unknownLoader } from "~/routes/api.v1.$";
import { apiRequest, callApi, makeApiKey } from "../support/api";

async function world() {
  const owner = await insertUser(getDb(), { role: "manager", email: "dana@example.test" });
  const { key, apiKey } = await makeApiKey("write");
  const body = { name: "Acme", segment: "smb", region: "EMEA", tier: "core", owner_email: owner.email };
  return { owner, key, apiKey, body };
}

async function expectProblem(response: Response, status: number, type: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("Content-Type")).toBe("application/problem+json");
  const problem = await response.json();
  expect(problem).toMatchObject({ type: `https://rapport.dev/problems/${type}`, status });
  expect(typeof problem.title).toBe("string");
  expect(typeof problem.detail).toBe("string");
  return problem;
}

const accountCount = async () => (await getDb().select().from(accounts)).length;

describe("the API request pipeline", () => {
  it("answers malformed JSON with 400 and creates nothing", async () => {
    const { key } = await world();
    await expectProblem(
      await callApi("/accounts", { key, rawBody: '{"name": "Acme",' }),
      400,
      "malformed-json",
    );
    await expectProblem(
      await callApi("/accounts", { key, rawBody: "", method: "POST" }),
      400,
      "malformed-json",
    );
    await expectProblem(
      await callApi("/accounts", { key, rawBody: new Uint8Array([0x7b, 0xff, 0x7d]) }),
      400,
      "malformed-json",
    );
    expect(await accountCount()).toBe(0);
  });

  it("refuses a body that is not JSON with 415", async () => {
    const { key } = await world();
    await expectProblem(
      await callApi("/accounts", { key, rawBody: "name=Acme", headers: { "Content-Type": "text/plain" } }),
      415,
      "unsupported-media-type",
    );
  });

  it("names every field of the wrong type and every unknown field", async () => {
    const { key, body } = await world();
    const problem = await expectProblem(
      await callApi("/accounts", { key, body: { ...body, annual_value: "lots", tier: 3, colour: "red" } }),
      400,
      "validation",
    );
    const fields = problem.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(["annual_value", "colour", "tier"]);
    expect(problem.errors.find((e: { field: string }) => e.field === "colour").message).toContain("Unknown");
    expect(await accountCount()).toBe(0);
  });

  it("refuses unknown query parameters and a forged cursor", async () => {
    const { key } = await world();
    const unknown = await expectProblem(await callApi("/accounts?colour=red", { key }), 400, "validation");
    expect(unknown.errors[0].field).toBe("colour");
    const cursor = await expectProblem(await callApi("/accounts?cursor=bm9wZQ", { key }), 400, "validation");
    expect(cursor.errors[0].field).toBe("cursor");
    const limit = await expectProblem(await callApi("/accounts?limit=201", { key }), 400, "validation");
    expect(limit.errors[0].field).toBe("limit");
  });

  it("refuses a body over 1 MB with 413, by its declared length and by what was streamed", async () => {
    const { key, body } = await world();
    const huge = JSON.stringify({ ...body, name: "x".repeat(1024 * 1024) });
    await expectProblem(await callApi("/accounts", { key, rawBody: huge }), 413, "payload-too-large");
    // no Content-Length: the limit holds while the chunks arrive
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(encoder.encode(" ".repeat(64 * 1024)));
        controller.enqueue(encoder.encode(JSON.stringify(body)));
        controller.close();
      },
    });
    await expectProblem(await callApi("/accounts", { key, rawBody: stream }), 413, "payload-too-large");
    expect(await accountCount()).toBe(0);
  });

  it("answers 404 problems for ids that do not exist or are not ids, and for unknown paths", async () => {
    const { key } = await world();
    await expectProblem(
      await callApi("/accounts/5b0c7a4e-3f1d-4a52-9a0e-0c8f0b6c2d11", { key }),
      404,
      "not-found",
    );
    await expectProblem(await callApi("/accounts/not-a-uuid", { key }), 404, "not-found");
    await expectProblem(
      await callApi("/accounts/5b0c7a4e-3f1d-4a52-9a0e-0c8f0b6c2d11", {
        key,
        method: "PATCH",
        body: { name: "B" },
      }),
      404,
      "not-found",
    );
    await expectProblem(
      await callApi("/accounts/5b0c7a4e-3f1d-4a52-9a0e-0c8f0b6c2d11", { key, method: "DELETE" }),
      404,
      "not-found",
    );
    await expectProblem(
      await unknownLoader({ request: apiRequest("/nothing", { key }), params: {}, context: {} }),
      404,
      "not-found",
    );
  });

  it("answers 405 with Allow for a method the path does not have", async () => {
    const { key } = await world();
    const response = await callApi("/accounts", { key, method: "DELETE" });
    await expectProblem(response, 405, "method-not-allowed");
    expect(response.headers.get("Allow")).toBe("GET, POST");
  });

  it("replays the first answer for a repeated Idempotency-Key and creates once", async () => {
    const { key, body } = await world();
    const headers = { "Idempotency-Key": "sync-42" };
    const first = await callApi("/accounts", { key, body, headers });
    expect(first.status).toBe(201);
    const created = await first.json();
    const again = await callApi("/accounts", { key, body, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await again.json()).toEqual(created);
    expect(await accountCount()).toBe(1);
  });

  it("answers 409 for a repeated Idempotency-Key with a different body, and changes nothing", async () => {
    const { key, body } = await world();
    const headers = { "Idempotency-Key": "sync-43" };
    expect((await callApi("/accounts", { key, body, headers })).status).toBe(201);
    await expectProblem(
      await callApi("/accounts", { key, body: { ...body, name: "Other" }, headers }),
      409,
      "idempotency-key-reused",
    );
    expect(await accountCount()).toBe(1);
  });

  it("keeps each key's idempotency keys apart and stores a refusal as the first answer", async () => {
    const { key, body } = await world();
    const other = await makeApiKey("write");
    const headers = { "Idempotency-Key": "same" };
    const refused = await callApi("/accounts", {
      key,
      body: { ...body, owner_email: "nobody@x.test" },
      headers,
    });
    expect(refused.status).toBe(400);
    const replay = await callApi("/accounts", {
      key,
      body: { ...body, owner_email: "nobody@x.test" },
      headers,
    });
    expect(replay.status).toBe(400);
    expect(replay.headers.get("Content-Type")).toBe("application/problem+json");
    expect((await callApi("/accounts", { key: other.key, body, headers })).status).toBe(201);
  });

  it("limits each key's rate with RateLimit headers and a 429 problem", async () => {
    const { key, apiKey } = await world();
    await getDb().update(apiKeys).set({ rateLimitPerMinute: 3 }).where(eq(apiKeys.id, apiKey.id));
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await callApi("/accounts", { key });
      expect(response.status).toBe(200);
      expect(response.headers.get("RateLimit-Limit")).toBe("3");
      remaining.push(response.headers.get("RateLimit-Remaining")!);
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const limited = await callApi("/accounts", { key });
    await expectProblem(limited, 429, "rate-limited");
    expect(limited.headers.get("RateLimit-Remaining")).toBe("0");
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get("RateLimit-Reset"))).toBeGreaterThanOrEqual(1);
    // another key has its own bucket
    const other = await makeApiKey("read");
    expect((await callApi("/accounts", { key: other.key })).status).toBe(200);
  });

  it("can use an account that was created outside the API", async () => {
    const { key, owner } = await world();
    const account = await insertAccount(getDb(), { ownerId: owner.id, name: "Made in the UI" });
    const response = await callApi(`/accounts/${account.id}`, { key });
    expect(response.status).toBe(200);
    expect((await response.json()).data).toMatchObject({ name: "Made in the UI", owner_email: owner.email });
  });
});
