/**
 * Every operation of /api/v1, tried with bad input: each answer is problem+json with its
 * stable type, and the database is exactly as it was before. The operations come from the
 * registry, so a new resource is swept without this file changing.
 */
import { describe, expect, it } from "vitest";
import { insertAccount, insertContact, insertUser } from "../../db/factories";
import { revokeApiKey } from "~/domain/api-keys.server";
import { MAX_API_BODY_BYTES } from "~/lib/api/body.server";
import type { ApiOperation } from "~/lib/api/operation.server";
import { apiOperations } from "~/lib/api/registry.server";
import { getDb, getSql } from "~/lib/db.server";
import { callApi, insertOneOfEachResource, makeApiKey } from "../support/api";

const MISSING = "00000000-0000-4000-8000-000000000000";

/** Tables every request writes by design: the key's rate bucket and last-used time. */
const BOOKKEEPING = new Set(["api_rate_buckets", "api_keys"]);

/** A digest of every row of every table but the bookkeeping ones. */
async function databaseDigest(): Promise<Record<string, string>> {
  const sql = getSql();
  const tables = await sql<{ name: string }[]>`
    select tablename as name from pg_tables where schemaname = 'public' order by tablename`;
  const digest: Record<string, string> = {};
  for (const { name } of tables) {
    if (BOOKKEEPING.has(name)) continue;
    const [row] = await sql.unsafe<{ md5: string }[]>(
      `select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as md5 from "${name}" t`,
    );
    digest[name] = row!.md5;
  }
  return digest;
}

/** One row of each kind an operation's path can name, so bad bodies meet real rows. */
async function world() {
  const db = getDb();
  const owner = await insertUser(db, { role: "manager", email: "owner@example.test" });
  const { key, apiKey } = await makeApiKey("write", owner.id);
  const { key: readKey } = await makeApiKey("read", owner.id);
  const revoked = await makeApiKey("write", owner.id);
  await revokeApiKey(db, revoked.apiKey.id, null);
  const account = await insertAccount(db, { ownerId: owner.id, externalId: "crm-acc-1" });
  const { ids, externalIds } = await insertOneOfEachResource(db, {
    accountId: account.id,
    authorId: owner.id,
    externalIds: {
      accounts: "crm-acc-1",
      contacts: "crm-con-1",
      interactions: "crm-int-1",
      opportunities: "crm-opp-1",
    },
  });
  return { key, readKey, revokedKey: revoked.key, apiKey, ids, externalIds };
}

type World = Awaited<ReturnType<typeof world>>;

/** The operation's path with each parameter filled: real rows by default, or `missing`. */
function pathOf(operation: ApiOperation, w: World, missing = false): string {
  const resource = operation.path.split("/")[1]!;
  return operation.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (name === "external_id") return missing ? "no-such-external-id" : w.externalIds[resource]!;
    if (missing) return MISSING;
    const id = w.ids[resource];
    if (!id) throw new Error(`the sweep has no ${resource} row for ${operation.path}`);
    return id;
  });
}

const label = (operation: ApiOperation) => `${operation.method} ${operation.path}`;

async function expectProblem(response: Response, status: number, type: string, context: string) {
  expect(response.status, `${context}: status`).toBe(status);
  expect(response.headers.get("Content-Type"), `${context}: content type`).toBe("application/problem+json");
  const problem = await response.json();
  expect(problem, context).toMatchObject({ type: `https://rapport.dev/problems/${type}`, status });
  return problem as { errors?: { field: string; message: string }[] };
}

/** The same shape with every value of another JSON type: each field must be named as wrong. */
function wrongTypes(example: unknown): unknown {
  if (Array.isArray(example)) return "not an array";
  if (example !== null && typeof example === "object") {
    return Object.fromEntries(
      Object.keys(example).map((name) => [name, wrongValue((example as never)[name])]),
    );
  }
  return wrongValue(example);
}

function wrongValue(value: unknown): unknown {
  if (typeof value === "string") return 12345;
  if (typeof value === "number" || typeof value === "boolean") return "not a number or boolean";
  if (value === null) return { not: "null" };
  return "not an object or array";
}

const writes = apiOperations.filter((op) => op.scope === "write");
const withBody = apiOperations.filter((op) => op.body);
const withIds = apiOperations.filter((op) => /\{id\}/.test(op.path));

describe("bad input to every API operation", () => {
  it("covers every kind of row a path can name", async () => {
    const w = await world();
    for (const operation of apiOperations) expect(() => pathOf(operation, w), label(operation)).not.toThrow();
    expect(writes.length).toBeGreaterThan(10);
    expect(withBody.length).toBeGreaterThan(8);
  });

  it("refuses a revoked key and a missing key everywhere (401), and changes nothing", async () => {
    const w = await world();
    const before = await databaseDigest();
    for (const operation of apiOperations) {
      const call = { method: operation.method, body: operation.requestExample };
      const path = pathOf(operation, w);
      await expectProblem(
        await callApi(path, { ...call, key: w.revokedKey }),
        401,
        "unauthorized",
        `${label(operation)} revoked`,
      );
      await expectProblem(await callApi(path, call), 401, "unauthorized", `${label(operation)} no key`);
    }
    expect(await databaseDigest()).toEqual(before);
  });

  it("refuses every write with a read key (403), and changes nothing", async () => {
    const w = await world();
    const before = await databaseDigest();
    for (const operation of writes) {
      await expectProblem(
        await callApi(pathOf(operation, w), {
          key: w.readKey,
          method: operation.method,
          body: operation.requestExample,
        }),
        403,
        "forbidden",
        label(operation),
      );
    }
    expect(await databaseDigest()).toEqual(before);
  });

  it("answers malformed JSON, wrong types, unknown fields and oversized bodies, and changes nothing", async () => {
    const w = await world();
    const before = await databaseDigest();
    for (const operation of withBody) {
      const path = pathOf(operation, w);
      const context = label(operation);
      const method = operation.method;
      expect(operation.requestExample, `${context} has a request example`).toBeDefined();

      await expectProblem(
        await callApi(path, { key: w.key, method, rawBody: '{"name": ' }),
        400,
        "malformed-json",
        `${context} malformed`,
      );

      const wrong = await expectProblem(
        await callApi(path, { key: w.key, method, body: wrongTypes(operation.requestExample) }),
        400,
        "validation",
        `${context} wrong types`,
      );
      const named = new Set((wrong.errors ?? []).map((e) => e.field.split(".")[0]));
      for (const field of Object.keys(operation.requestExample as object)) {
        expect(named, `${context} names ${field} as the wrong type`).toContain(field);
      }

      const unknown = await expectProblem(
        await callApi(path, {
          key: w.key,
          method,
          body: { ...(operation.requestExample as object), not_a_field: true },
        }),
        400,
        "validation",
        `${context} unknown field`,
      );
      expect(unknown.errors, `${context} unknown field`).toContainEqual(
        expect.objectContaining({ field: "not_a_field" }),
      );

      const padding = "x".repeat(MAX_API_BODY_BYTES);
      await expectProblem(
        await callApi(path, {
          key: w.key,
          method,
          body: { ...(operation.requestExample as object), padding },
        }),
        413,
        "payload-too-large",
        `${context} oversized`,
      );
    }
    expect(await databaseDigest()).toEqual(before);
  });

  it("answers 404 for ids that do not exist or are not ids, and changes nothing", async () => {
    const w = await world();
    const before = await databaseDigest();
    for (const operation of withIds) {
      const missing = pathOf(operation, w, true);
      for (const path of [missing, missing.replace(MISSING, "not-an-id")]) {
        await expectProblem(
          await callApi(path, { key: w.key, method: operation.method, body: operation.requestExample }),
          404,
          "not-found",
          `${label(operation)} at ${path}`,
        );
      }
    }
    expect(await databaseDigest()).toEqual(before);
  });
});

describe("references to rows the request may not use", () => {
  it("refuses a contact, colleague or account that belongs elsewhere, naming the field, and changes nothing", async () => {
    const db = getDb();
    const w = await world();
    const other = await insertAccount(db, { externalId: "crm-acc-2" });
    const stranger = await insertContact(db, { accountId: other.id, externalId: "crm-con-2" });
    const outsider = await insertUser(db, { role: "manager", email: "outsider@example.test" });
    const before = await databaseDigest();
    const checkIn = { kind: "call", occurred_at: "2026-11-02T10:00:00Z", summary: "Check-in" };
    const attempts: { path: string; method?: string; body: unknown; field: string }[] = [
      {
        path: "/interactions",
        body: {
          ...checkIn,
          account_id: w.ids.accounts,
          contact_ids: [stranger.id],
        },
        field: "contact_ids",
      },
      {
        path: "/interactions",
        body: {
          ...checkIn,
          account_id: w.ids.accounts,
          contact_external_ids: ["crm-con-2"],
        },
        field: "contact_external_ids",
      },
      {
        path: "/interactions",
        body: {
          ...checkIn,
          account_id: w.ids.accounts,
          user_emails: ["outsider@example.test"],
        },
        field: "user_emails",
      },
      {
        path: `/interactions/${w.ids.interactions}`,
        method: "PUT",
        body: {
          ...checkIn,
          contact_ids: [stranger.id],
        },
        field: "contact_ids",
      },
      {
        path: "/contacts",
        body: { name: "Ada", email: "ada@example.test", account_id: MISSING },
        field: "account_id",
      },
      {
        path: "/contacts",
        body: { name: "Ada", email: "ada@example.test", account_external_id: "no-such-account" },
        field: "account_external_id",
      },
    ];
    for (const attempt of attempts) {
      const context = `${attempt.method ?? "POST"} ${attempt.path} ${JSON.stringify(attempt.body)}`;
      const problem = await expectProblem(
        await callApi(attempt.path, { key: w.key, method: attempt.method, body: attempt.body }),
        400,
        "validation",
        context,
      );
      expect(
        problem.errors?.map((e) => e.field.split(".")[0]),
        context,
      ).toContain(attempt.field);
    }
    expect(outsider.id).toBeTruthy();
    expect(await databaseDigest()).toEqual(before);
  });
});
