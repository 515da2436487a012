import { createHash } from "node:crypto";

/**
 * JSON with every object's keys sorted (recursively), no whitespace. Two survey files
 * that differ only in key order or formatting are the same survey, so they must hash
 * the same; array order is meaning (page and question order) and is kept.
 * Follows JSON.stringify for everything else: `undefined` and functions are dropped
 * from objects and become null in arrays, non-finite numbers become null, toJSON is honoured.
 */
export function canonicalJson(value: unknown): string {
  return serialize(value) ?? "null";
}

function serialize(value: unknown): string | undefined {
  if (
    value !== null &&
    typeof value === "object" &&
    typeof (value as { toJSON?: unknown }).toJSON === "function"
  ) {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return undefined;
  if (typeof value === "bigint") throw new TypeError("canonicalJson: a bigint has no JSON form");
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => serialize(item) ?? "null").join(",")}]`;
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = serialize(record[key]);
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
  }
  return `{${members.join(",")}}`;
}

/** sha-256 hex of the canonical JSON of a survey model: an unchanged file is not a new version. */
export function surveyContentHash(model: unknown): string {
  return createHash("sha256").update(canonicalJson(model), "utf8").digest("hex");
}
