/**
 * Shared pieces of the property-based (fuzz) tests: how many cases to run, hostile values to
 * mix into otherwise valid input, a digest of the database to prove a rejection wrote nothing,
 * and the check that every refusal explains itself.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { getSql } from "~/lib/db.server";

/**
 * Cases per property: `base` in CI (about 3,000 across the files), scaled by FUZZ_RUNS
 * (`FUZZ_RUNS=20 npx vitest run tests/integration/fuzz-*.test.ts` runs twenty times as many).
 */
function fuzzRuns(base: number): number {
  const factor = Number(process.env.FUZZ_RUNS ?? "1");
  return Math.max(1, Math.round(base * (Number.isFinite(factor) && factor > 0 ? factor : 1)));
}

/**
 * fast-check's options for one property: a fixed seed, so CI runs the same cases every time
 * and a failure reproduces (FUZZ_SEED overrides it, to explore further); fast-check prints
 * the seed, the path and the shrunk counterexample when a property fails.
 */
export function fuzzOptions(base: number, seed: number): fc.Parameters<unknown> {
  const override = Number(process.env.FUZZ_SEED);
  return { numRuns: fuzzRuns(base), seed: Number.isInteger(override) ? override : seed, endOnFailure: true };
}

/** Strings Postgres or a careless parser chokes on, or that mean something to a spreadsheet. */
export const HOSTILE_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\ud83d\ude00",
  "\uFEFF",
  "\u202Eevil",
  "e\u0301",
  "=cmd|' /C calc'!A0",
  "+SUM(A1:A9)",
  "-2+3",
  "@SUM(1)",
  "'=1+1",
  '"',
  '""',
  "a,b",
  "a\r\nb",
  "\n",
  "\\",
  "__proto__",
  "constructor",
  "toString",
  "<script>alert(1)</script>",
  "'; drop table accounts; --",
  "%00",
  "NaN",
  "Infinity",
  "1e309",
  "-0",
  "null",
  "true",
] as const;

/** A hostile string: one of the list, a long one, or arbitrary code points with one of them inside. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.string({ unit: "binary", maxLength: 12 }), fc.constantFrom(...HOSTILE_STRINGS))
      .map(([text, bad]) => `${text}${bad}${text}`),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom("x", "é", "\u{1F600}"), fc.integer({ min: 200, max: 6000 }))
      .map(([char, times]) => char.repeat(times)),
  },
);

/** Single characters that break storage, parsing or display: one inside a valid value is the subtle case. */
const HOSTILE_CHARS = [
  "\u0000",
  "\ud800",
  "\udfff",
  "\uFEFF",
  "\u202E",
  "\u0301",
  "\u2028",
  "\r\n",
  '"',
  "'",
  "\\",
  ",",
  ";",
  "\t",
  "=",
] as const;

/** `text` with one hostile character inserted somewhere (or in front, where a formula starts). */
export function tainted(text: string): fc.Arbitrary<string> {
  return fc
    .tuple(fc.nat({ max: text.length }), fc.constantFrom(...HOSTILE_CHARS))
    .map(([at, char]) => `${text.slice(0, at)}${char}${text.slice(at)}`);
}

/** Keys that reach Object.prototype when an object is built carelessly. */
export const PROTOTYPE_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
] as const;

/** Any JSON-ish value of the wrong kind: numbers at the edges, deep nesting, prototype keys. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.constantFrom(
      0,
      -0,
      1,
      -1,
      0.5,
      1e308,
      -1e308,
      2 ** 53,
      2 ** 31,
      -(2 ** 31),
      5e-324,
      null,
      true,
      false,
    ),
    fc.double(),
    fc.integer(),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 6 })), tie("value"), {
      maxKeys: 4,
    }),
    fc.integer({ min: 60, max: 400 }).map((depth) => nested(depth)),
  ),
})).value;

function nested(depth: number): unknown {
  let value: unknown = "deep";
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
}

/**
 * A JSON text with a text-level mutation JSON.stringify never makes: a duplicate key, a
 * number out of range, a literal JSON forbids, a truncation, a byte-order mark, a raw NUL.
 */
export function mutateJsonText(text: string): fc.Arbitrary<string> {
  const inside = text.startsWith("{") && text.length > 2;
  const insert = (extra: string) => (inside ? `{${extra},${text.slice(1)}` : text);
  return fc.oneof(
    fc.nat({ max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut)),
    fc.constant(insert('"data": 1e309')),
    fc.constant(insert('"data": -0')),
    fc.constant(insert('"data": NaN')),
    fc.constant(insert('"__proto__": {"polluted": true}')),
    fc.constant(insert('"constructor": {"prototype": {"polluted": true}}')),
    fc.constant(`${text.slice(0, -1)}, "data": {}}`),
    fc.constant(`\uFEFF${text}`),
    fc.constant(`${text}garbage`),
    fc.constant(`${text}${text}`),
    fc.constant(text.replace(/"/, "'")),
    fc.constant(text.replace(/:/, ":\u0000")),
    fc.constant(text.replace(/"/, '"\\u0000')),
    fc.constant(text.replace(/"/, '"\\ud800')),
    // far deeper than any call stack: parsers cope, a recursive walk or JSON.stringify may not
    fc.constant(insert(`"deep": ${"[".repeat(20_000)}${"]".repeat(20_000)}`)),
    fc.constant(insert(`"deep": ${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}`)),
    fc.constant("[]"),
    fc.constant("null"),
    fc.constant('"a string"'),
    fc.constant(""),
  );
}

/** Content types a JSON endpoint must refuse or cope with. */
export const contentTypes = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "APPLICATION/JSON",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "",
  "application/jsonp",
  "application/merge-patch+json",
);

/**
 * A digest of every row of the tables (all of them but `skip`, or `only`), in one round trip:
 * equal before and after a refused request proves it wrote nothing. Row count and a sum of
 * row hashes: no sort, so it stays cheap enough to take twice per generated case.
 */
export async function databaseDigest(
  options: { skip?: readonly string[]; only?: readonly string[] } = {},
): Promise<Record<string, string>> {
  const sql = getSql();
  const tables = (
    await sql<{ name: string }[]>`
      select tablename as name from pg_tables where schemaname = 'public' order by tablename`
  )
    .map((t) => t.name)
    .filter((name) => !options.skip?.includes(name) && (!options.only || options.only.includes(name)));
  const columns = tables.map(
    (name, i) =>
      `(select count(*) || ':' || coalesce(sum(hashtextextended(t::text, 0)), 0) from "${name}" t) as c${i}`,
  );
  const [row] = await sql.unsafe<Record<string, string>[]>(`select ${columns.join(", ")}`);
  return Object.fromEntries(tables.map((name, i) => [name, row![`c${i}`]!]));
}

/** The body of a response as text, and as JSON when it is JSON. */
export async function readAnswer(response: Response): Promise<{ text: string; json: unknown }> {
  const text = await response.text();
  try {
    return { text, json: JSON.parse(text) };
  } catch {
    return { text, json: undefined };
  }
}

/**
 * A refusal that explains itself: a 4xx (never 5xx) whose JSON body has a non-empty message
 * (`error` for the survey and webhook endpoints, `detail` for the API) naming, when it can,
 * one of `names` (the field, row or value at fault).
 */
export function expectExplainedRefusal(
  status: number,
  body: unknown,
  context: string,
  names: readonly string[] = [],
): string {
  expect(status, `${context}: status`).toBeGreaterThanOrEqual(400);
  expect(status, `${context}: status`).toBeLessThan(500);
  const object = (body ?? {}) as { error?: unknown; detail?: unknown; errors?: unknown };
  const message = typeof object.error === "string" ? object.error : object.detail;
  expect(typeof message, `${context}: message in ${JSON.stringify(body)}`).toBe("string");
  expect((message as string).trim(), `${context}: message`).not.toBe("");
  const whole = JSON.stringify(body);
  if (names.length > 0) {
    expect(
      names.some((name) => whole.includes(JSON.stringify(name).slice(1, -1))),
      `${context}: ${whole} names one of ${names.join(", ")}`,
    ).toBe(true);
  }
  return message as string;
}

/** Whether a string holds what no Postgres text or jsonb value can: a NUL, or half a surrogate pair. */
export function hasUnstorableText(value: unknown): boolean {
  if (typeof value === "string") {
    return (
      value.includes("\u0000") ||
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value)
    );
  }
  if (Array.isArray(value)) return value.some(hasUnstorableText);
  if (value && typeof value === "object") {
    return Object.entries(value).some(([key, v]) => hasUnstorableText(key) || hasUnstorableText(v));
  }
  return false;
}
