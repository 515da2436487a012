/** The largest JSON body a respondent may send (a whole survey's answers fit many times over). */
export const MAX_JSON_BODY_BYTES = 256 * 1024;

/**
 * Reads a JSON request body, refusing with a clear 4xx: 413 when too large, 415 when
 * not JSON, 400 when it does not parse.
 */
export async function readJsonBody(request: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw jsonError(415, "Send the answers as application/json.");
  }
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes) throw jsonError(413, `The answers are too large (at most ${maxBytes / 1024} KB).`);
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > maxBytes)
    throw jsonError(413, `The answers are too large (at most ${maxBytes / 1024} KB).`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw jsonError(400, "The answers are not valid UTF-8 text.");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw jsonError(400, "The answers are not valid JSON.");
  }
}

export function jsonError(status: number, message: string, extra: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ error: message, ...extra }), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}

// eslint-disable-next-line no-control-regex -- the NUL is what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What a refusal of such text says, after the field it names. */
export const UNSTORABLE_TEXT_MESSAGE =
  "contains a character that cannot be stored (a NUL or half of a surrogate pair)";
/** Deeper than any real payload (a SurveyJS definition nests about ten levels). */
const MAX_JSON_DEPTH = 64;
const TOO_DEEP_MESSAGE = `is nested too deeply (at most ${MAX_JSON_DEPTH} levels)`;
/** What a refusal of a `__proto__` key says, after the field it names. */
const PROTO_KEY_MESSAGE = "is a key that cannot be used (__proto__)";

/**
 * Whether Postgres can keep a text exactly as sent: text and jsonb refuse a NUL (\u0000)
 * with an error, jsonb refuses a lone UTF-16 surrogate, and a text column would quietly
 * store one as U+FFFD. JSON.parse lets both through, so a body is checked before it is used.
 */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

export interface JsonValueProblem {
  /** Dotted, from the top of the value: `contact_ids.0`, `data.bounce.message` ("" for the value itself). */
  path: string;
  message: string;
}

/**
 * What a parsed JSON value holds that must not go further, at most `limit` of them: text
 * Postgres cannot store (isStorableText), in a key or a value; nesting deeper than
 * MAX_JSON_DEPTH, which JSON.parse accepts but JSON.stringify (drizzle's, storing jsonb) and
 * Postgres's own parser overflow their stacks on; and `__proto__` keys. JSON.parse
 * makes `__proto__` an ordinary key, but any copy of the object by assignment (zod's
 * passthrough and records do that) turns it into the copy's prototype: the key vanishes from
 * what is stored and its contents show through as fields nobody validated.
 */
export function jsonValueProblems(value: unknown, limit = 20): JsonValueProblem[] {
  const found: JsonValueProblem[] = [];
  // A stack rather than recursion (JSON.parse accepts nesting far deeper than the call stack),
  // and each path a link to its parent's, so a deep value costs no more than its size.
  type Path = { key: string; parent: Path } | null;
  const dotted = (path: Path) => {
    const keys: string[] = [];
    for (let at = path; at; at = at.parent) keys.push(at.key);
    return keys.reverse().join(".");
  };
  const stack: { node: unknown; path: Path; depth: number }[] = [{ node: value, path: null, depth: 0 }];
  while (stack.length > 0 && found.length < limit) {
    const { node, path, depth } = stack.pop()!;
    if (depth > MAX_JSON_DEPTH) {
      found.push({ path: dotted(path), message: TOO_DEEP_MESSAGE });
    } else if (typeof node === "string") {
      if (!isStorableText(node)) found.push({ path: dotted(path), message: UNSTORABLE_TEXT_MESSAGE });
    } else if (Array.isArray(node)) {
      for (let index = node.length - 1; index >= 0; index -= 1) {
        stack.push({ node: node[index], path: { key: String(index), parent: path }, depth: depth + 1 });
      }
    } else if (node !== null && typeof node === "object") {
      for (const [key, item] of Object.entries(node).reverse()) {
        const at = { key, parent: path };
        if (!isStorableText(key)) found.push({ path: dotted(at), message: UNSTORABLE_TEXT_MESSAGE });
        else if (key === "__proto__") found.push({ path: dotted(at), message: PROTO_KEY_MESSAGE });
        else stack.push({ node: item, path: at, depth: depth + 1 });
      }
    }
  }
  return found.slice(0, limit);
}
