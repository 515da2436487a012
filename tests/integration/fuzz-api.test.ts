/**
 * Property-based tests of /api/v1: every operation with a body gets its own request example
 * with one hostile change, raw bodies no JSON encoder writes, hostile query strings and path
 * ids. Never a 5xx; a refusal is problem+json whose detail says what is wrong (and names the
 * field a body change broke), and leaves the database as it was; an accepted write reads back
 * as it answered. Regression tests for what the properties found are at the bottom.
 */
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { apiKeys } from "../../db/schema";
import { insertAccount, insertAccountMember, insertUser } from "../../db/factories";
import type { ApiOperation } from "~/lib/api/operation.server";
import { apiOperations } from "~/lib/api/registry.server";
import { getDb } from "~/lib/db.server";
import { callApi, insertOneOfEachResource, makeApiKey } from "../support/api";
import {
  PROTOTYPE_KEYS,
  contentTypes,
  databaseDigest,
  expectExplainedRefusal,
  fuzzOptions,
  hasUnstorableText,
  hostileString,
  hostileValue,
  mutateJsonText,
  readAnswer,
  tainted,
} from "../support/fuzz";

/** Tables every request writes by design: the key's rate bucket, its last use, an Idempotency-Key. */
const BOOKKEEPING = ["api_rate_buckets", "api_keys", "api_idempotency"];
const digest = () => databaseDigest({ skip: BOOKKEEPING });

/** The rows the request examples name (their emails, external ids), so an unchanged example is accepted. */
async function world() {
  const db = getDb();
  const dana = await insertUser(db, { role: "manager", email: "dana@example.com" });
  const omar = await insertUser(db, { role: "manager", email: "omar@example.com" });
  const author = await insertUser(db, { role: "manager", email: "dana@rapport.example" });
  const { key, apiKey } = await makeApiKey("write", dana.id);
  // thousands of requests in a minute: the rate limit has tests of its own
  await db.update(apiKeys).set({ rateLimitPerMinute: 1_000_000 }).where(eq(apiKeys.id, apiKey.id));
  const account = await insertAccount(db, {
    ownerId: dana.id,
    externalId: "sf-001234",
    segment: "mid_market",
  });
  for (const member of [omar, author]) {
    await insertAccountMember(db, { accountId: account.id, userId: member.id });
  }
  const { ids, externalIds } = await insertOneOfEachResource(db, {
    accountId: account.id,
    authorId: dana.id,
    externalIds: {
      accounts: "sf-001234",
      contacts: "sf-c-0042",
      interactions: "sf-act-7781",
      opportunities: "sf-opp-311",
    },
    contactEmail: "priya@northwind.example",
  });
  /** The operation's example with the ids of this world in place of the documentation's. */
  const example = (operation: ApiOperation): Record<string, unknown> => {
    const text = JSON.stringify(operation.requestExample ?? {})
      .replaceAll("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", ids.surveys!)
      .replaceAll("8d2f1c3a-6b7e-4f90-a1b2-c3d4e5f60718", ids.contacts!);
    return JSON.parse(text) as Record<string, unknown>;
  };
  return { key, ids, externalIds, example };
}

type World = Awaited<ReturnType<typeof world>>;

/** The operation's path with each parameter filled with a real row, or with `param`. */
function pathOf(operation: ApiOperation, w: World, param?: string): string {
  const resource = operation.path.split("/")[1]!;
  return operation.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (param !== undefined) return param;
    return name === "external_id" ? w.externalIds[resource]! : w.ids[resource]!;
  });
}

/** Percent-encodes any string as UTF-8 (encodeURIComponent refuses half a surrogate pair). */
function percentEncode(text: string): string {
  return [...new TextEncoder().encode(text)].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
}

const label = (operation: ApiOperation) => `${operation.method} ${operation.path}`;
const byLabel = new Map(apiOperations.map((op) => [label(op), op]));
/** One of `operations` by label, so a counterexample prints as `POST /accounts`. */
const operationOf = (operations: ApiOperation[]) => fc.constantFrom(...operations.map(label));
const operationNamed = (name: string) => byLabel.get(name)!;
const withBody = apiOperations.filter((op) => op.body);
const lists = apiOperations.filter((op) => op.method === "GET" && op.query);
const byId = apiOperations.filter((op) => /\{(id|external_id)\}/.test(op.path));
const readable = new Set(apiOperations.filter((op) => op.method === "GET").map((op) => op.path));

/** Defines `key` as an own property, whatever it is called (`__proto__` included). */
function withKey(body: Record<string, unknown>, key: string, value: unknown) {
  const copy = { ...body };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

type Change =
  | { kind: "none" }
  | { kind: "set"; field: string; value: unknown }
  | { kind: "taint"; field: string; value: string }
  | { kind: "nested"; field: string; key: string; value: unknown }
  | { kind: "add"; field: string; value: unknown }
  | { kind: "drop"; field: string };

/** One hostile change to a body: a field's value, a field inside a nested object, a new key, a missing one. */
function changeOf(example: Record<string, unknown>): fc.Arbitrary<Change> {
  const fields = Object.keys(example);
  const texts = fields.filter((f) => typeof example[f] === "string");
  const nested = fields.filter(
    (f) => example[f] && typeof example[f] === "object" && !Array.isArray(example[f]),
  );
  const options: fc.Arbitrary<Change>[] = [
    fc.constant({ kind: "none" as const }),
    fc.record({
      kind: fc.constant("add" as const),
      field: fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), hostileString),
      value: hostileValue,
    }),
  ];
  if (fields.length > 0) {
    options.push(
      fc.record({
        kind: fc.constant("set" as const),
        field: fc.constantFrom(...fields),
        value: hostileValue,
      }),
      fc.record({
        kind: fc.constant("set" as const),
        field: fc.constantFrom(...fields),
        value: hostileString,
      }),
      fc.record({ kind: fc.constant("drop" as const), field: fc.constantFrom(...fields) }),
    );
  }
  if (texts.length > 0) {
    options.push(
      fc
        .constantFrom(...texts)
        .chain((field) =>
          tainted(example[field] as string).map((value) => ({ kind: "taint" as const, field, value })),
        ),
    );
  }
  if (nested.length > 0) {
    options.push(
      fc.record({
        kind: fc.constant("nested" as const),
        field: fc.constantFrom(...nested),
        key: fc.oneof(
          fc.constantFrom(...PROTOTYPE_KEYS),
          fc.constantFrom("trust", "segments", "title", "pages"),
        ),
        value: hostileValue,
      }),
    );
  }
  return fc.oneof(...options);
}

function applyChange(example: Record<string, unknown>, change: Change): Record<string, unknown> {
  switch (change.kind) {
    case "none":
      return example;
    case "set":
    case "taint":
    case "add":
      return withKey(example, change.field, change.value);
    case "nested":
      return withKey(
        example,
        change.field,
        withKey(example[change.field] as Record<string, unknown>, change.key, change.value),
      );
    case "drop": {
      const copy = { ...example };
      delete copy[change.field];
      return copy;
    }
  }
}

/** A refusal is problem+json with a detail; a refused request wrote nothing. */
async function expectRefusalOrRead(
  operation: ApiOperation,
  response: Response,
  before: Record<string, string>,
  context: string,
  names: readonly string[],
) {
  const answer = await readAnswer(response);
  if (response.status >= 400) {
    expect(response.headers.get("Content-Type"), context).toBe("application/problem+json");
    expectExplainedRefusal(response.status, answer.json, context, names);
    expect(await digest(), `${context}: nothing written`).toEqual(before);
    return answer;
  }
  expect(response.status, `${context}: ${answer.text.slice(0, 300)}`).toBeLessThan(300);
  return answer;
}

/** An accepted write reads back as it answered: what it said it stored is what is stored. */
async function expectReadsBack(operation: ApiOperation, w: World, json: unknown, context: string) {
  const data = (json as { data?: { id?: unknown } } | undefined)?.data;
  const resource = operation.path.split("/")[1]!;
  if (typeof data?.id !== "string" || !readable.has(`/${resource}/{id}`)) return;
  const read = await callApi(`/${resource}/${data.id}`, { key: w.key });
  expect(read.status, context).toBe(200);
  const stored = ((await read.json()) as { data: Record<string, unknown> }).data;
  const { updated_at: _u1, ...said } = data as Record<string, unknown>;
  const { updated_at: _u2, ...now } = stored;
  expect(now, `${context}: reads back as answered`).toEqual(said);
}

describe("the API under fuzzing", () => {
  it("answers each operation's example with one hostile change: never 5xx, refusals name the field, nothing half-written", async () => {
    const w = await world();
    await fc.assert(
      fc.asyncProperty(
        operationOf(withBody).chain((name) =>
          changeOf(w.example(operationNamed(name))).map((change) => ({ name, change })),
        ),
        async ({ name, change }) => {
          const operation = operationNamed(name);
          const body = applyChange(w.example(operation), change);
          const text = JSON.stringify(body);
          const context = `${label(operation)} ${text.slice(0, 300)}`;
          const before = await digest();
          const response = await callApi(pathOf(operation, w), {
            key: w.key,
            method: operation.method,
            rawBody: text,
          });
          expect(response.status, context).toBeLessThan(500);
          // text Postgres cannot store is refused before anything else looks at it
          if (hasUnstorableText(body)) expect(response.status, context).toBe(400);
          // a field-level refusal names the field (or, nested, its parent) that was changed
          const names =
            response.status === 400 && change.kind !== "none" && change.kind !== "drop" ? [change.field] : [];
          const answer = await expectRefusalOrRead(operation, response, before, context, names);
          if (response.status < 300) await expectReadsBack(operation, w, answer.json, context);
        },
      ),
      fuzzOptions(300, 20261211),
    );
  }, 180_000);

  it("answers raw bodies no JSON encoder writes and every content type: never 5xx, nothing half-written", async () => {
    const w = await world();
    await fc.assert(
      fc.asyncProperty(
        operationOf(withBody).chain((name) =>
          fc.record({
            name: fc.constant(name),
            text: mutateJsonText(JSON.stringify(w.example(operationNamed(name)))),
            contentType: contentTypes,
          }),
        ),
        async ({ name, text, contentType }) => {
          const operation = operationNamed(name);
          const context = `${label(operation)} ${contentType} ${JSON.stringify(text).slice(0, 300)}`;
          const before = await digest();
          const response = await callApi(pathOf(operation, w), {
            key: w.key,
            method: operation.method,
            rawBody: text,
            headers: contentType === "" ? {} : { "Content-Type": contentType },
          });
          expect(response.status, context).toBeLessThan(500);
          const answer = await expectRefusalOrRead(operation, response, before, context, []);
          if (response.status < 300) await expectReadsBack(operation, w, answer.json, context);
        },
      ),
      fuzzOptions(200, 20261212),
    );
  }, 180_000);

  it("answers hostile query strings and path ids: never 5xx, refusals explained, nothing written", async () => {
    const w = await world();
    const queryNames = fc.oneof(
      fc.constantFrom(
        "limit",
        "cursor",
        "updated_since",
        "account_id",
        "status",
        "survey_id",
        "completed_since",
      ),
      hostileString,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({
            kind: fc.constant("query" as const),
            operation: operationOf(lists),
            query: fc.array(fc.tuple(queryNames, hostileString), { minLength: 1, maxLength: 3 }),
          }),
          fc.record({
            kind: fc.constant("path" as const),
            operation: operationOf(byId),
            param: hostileString,
          }),
        ),
        async (input) => {
          const operation = operationNamed(input.operation);
          const path =
            input.kind === "query"
              ? `${pathOf(operation, w)}?${input.query.map(([n, v]) => `${percentEncode(n)}=${percentEncode(v)}`).join("&")}`
              : pathOf(operation, w, percentEncode(input.param) || "%20");
          const context = `${label(operation)} ${JSON.stringify(path)}`;
          const before = await digest();
          const response = await callApi(path, {
            key: w.key,
            method: operation.method,
            ...(operation.body ? { rawBody: JSON.stringify(w.example(operation)) } : {}),
          });
          expect(response.status, context).toBeLessThan(500);
          const answer = await readAnswer(response);
          if (response.status >= 400) {
            expectExplainedRefusal(response.status, answer.json, context);
            expect(await digest(), `${context}: nothing written`).toEqual(before);
          } else if (operation.method === "GET") {
            expect(await digest(), `${context}: a read writes nothing`).toEqual(before);
          }
        },
      ),
      fuzzOptions(250, 20261213),
    );
  }, 180_000);
});

describe("the API: regressions the fuzzing found", () => {
  it("refuses a NUL in a path id with 404 rather than failing with 500", async () => {
    const w = await world();
    const before = await digest();
    const response = await callApi("/interactions/external/%00", {
      key: w.key,
      method: "PUT",
      rawBody: JSON.stringify(w.example(operationNamed("PUT /interactions/external/{external_id}"))),
    });
    expect(response.status).toBe(404);
    expect(await digest()).toEqual(before);
  });

  it("refuses a body string holding a NUL or half a surrogate pair with 400 naming the field", async () => {
    const w = await world();
    for (const name of ["a\u0000b", "\ud800", "x\udfffy"]) {
      const before = await digest();
      const response = await callApi("/accounts/external/sf-001234", {
        key: w.key,
        method: "PUT",
        rawBody: JSON.stringify({
          ...w.example(operationNamed("PUT /accounts/external/{external_id}")),
          name,
        }),
      });
      expect(response.status, JSON.stringify(name)).toBe(400);
      const problem = (await response.json()) as { errors?: { field: string }[] };
      expect(problem.errors?.map((e) => e.field)).toEqual(["name"]);
      expect(await digest()).toEqual(before);
    }
  });
});
