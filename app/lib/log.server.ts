/**
 * Structured logging: one JSON line per event on stdout (errors on stderr). Every line is
 * scrubbed before it is written (docs/security.md, "Privacy"): a log is read by more people,
 * and kept longer, than the data it describes, so it never holds a password, a token or a
 * customer's answers, whatever a caller passes in.
 */
type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export const REDACTED = "[redacted]";

function threshold(): number {
  const level = process.env.LOG_LEVEL as Level | undefined;
  return order[level ?? "info"] ?? order.info;
}

function write(level: Level, event: string, fields: Record<string, unknown> = {}) {
  if (order[level] < threshold()) return;
  const scrubbed = scrubLogFields(fields);
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level,
    event: scrubString(event),
    ...scrubbed,
  });
  if (level === "error" || level === "warn") process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
}

// ─── Scrubbing ────────────────────────────────────────────────────────────────

/**
 * Keys whose value is never logged, compared lower-case without separators ("api_key",
 * "apiKey" and "API-Key" are one key). `data`, `body`, `answers`, `payload`, `html`: what a
 * customer or a caller sent, or an email's rendered text — an answer would be in there.
 */
const SENSITIVE_KEYS = new Set([
  "answers",
  "apikey",
  "authorization",
  "body",
  "cookie",
  "cookies",
  "data",
  "html",
  "password",
  "passwordhash",
  "payload",
  "secret",
  "setcookie",
  "token",
  "tokenhash",
]);
/** Any key that names a token, password or secret by its ending or start: `surveyToken`, `sessionSecret`, `tokenHash`. */
const SENSITIVE_KEY_PARTS =
  /(token|password|passwd|secret|cookie|authorization|apikey|signature)s?$|^(token|password|secret)/;

export function isSensitiveKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, "");
  return SENSITIVE_KEYS.has(normalized) || SENSITIVE_KEY_PARTS.test(normalized);
}

/** Pieces of text that carry a credential, with what they become. Order matters: specific first. */
const SECRET_PATTERNS: [RegExp, string][] = [
  // Authorization headers quoted in messages
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  // API keys (rk_<prefix>_<secret>, app/domain/api-keys.server.ts) and webhook secrets
  [/\brk_[0-9a-f]{8}_[A-Za-z0-9_-]+/g, `rk_${REDACTED}`],
  [/\bwhsec_[A-Za-z0-9+/=_-]+/g, `whsec_${REDACTED}`],
  // the token in a survey or unsubscribe link's path: /s/<token>/submit, /u/<token>
  [/(\/[su]\/)[^/?#\s"'<>]+/g, `$1${REDACTED}`],
  // credentials in a URL (postgres://user:password@host) and secrets in a query string
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]+:)[^@\s/]+@/gi, `$1${REDACTED}@`],
  [/([?&;](?:token|key|api_key|password|secret|code|signature|sig)=)[^&#\s"']+/gi, `$1${REDACTED}`],
  // "password=hunter2", "secret: abc" in a message
  [
    /\b(password|passwd|secret|token|api[_-]?key)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&"'{}[\]]+)/gi,
    `$1$2${REDACTED}`,
  ],
];

/**
 * A long run of base64url characters: what a survey token (32), a session token or a random
 * secret looks like. UUIDs and hex digests (ids, hashes: nothing that opens anything) stay;
 * so does a plain long word, which has no digit.
 */
const OPAQUE_RUN = /(?<![A-Za-z0-9_+=-])[A-Za-z0-9_+=-]{32,}(?![A-Za-z0-9_+=-])/g;
const HEX_OR_UUID = /^[0-9a-f-]+$/i;

function scrubOpaqueRuns(text: string): string {
  return text.replace(OPAQUE_RUN, (run) => {
    if (HEX_OR_UUID.test(run)) return run;
    const looksRandom = /\d/.test(run) && /[A-Za-z]/.test(run);
    // a survey token is exactly 32 characters and may, rarely, hold no digit
    return looksRandom || run.length === 32 ? REDACTED : run;
  });
}

/** A string with every credential-shaped piece replaced by `[redacted]`. */
export function scrubString(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return scrubOpaqueRuns(out);
}

const MAX_DEPTH = 8;

/**
 * A copy of `value` safe to log: values under sensitive keys replaced, every string scrubbed
 * (error messages and stacks too), at any depth. Cycles and very deep objects are cut rather
 * than followed.
 */
export function scrubLogValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return scrubString(value);
  if (value === null || typeof value !== "object") {
    return typeof value === "bigint" ? value.toString() : value;
  }
  if (seen.has(value)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[too deep]";
  seen.add(value);
  try {
    if (value instanceof Error) {
      const cause = (value as { cause?: unknown }).cause;
      return {
        name: value.name,
        message: scrubString(value.message),
        stack: value.stack === undefined ? undefined : scrubString(value.stack),
        ...(cause === undefined ? {} : { cause: scrubLogValue(cause, depth + 1, seen) }),
      };
    }
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (Array.isArray(value)) return value.map((item) => scrubLogValue(item, depth + 1, seen));
    if (value instanceof Map) return scrubLogValue(Object.fromEntries(value), depth + 1, seen);
    if (value instanceof Set) return scrubLogValue([...value], depth + 1, seen);
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = isSensitiveKey(key) ? REDACTED : scrubLogValue(inner, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** The fields of one log line, scrubbed (exported for the tests). */
function scrubLogFields(fields: Record<string, unknown>): Record<string, unknown> {
  return scrubLogValue(fields) as Record<string, unknown>;
}

export const log = {
  debug: (event: string, fields?: Record<string, unknown>) => write("debug", event, fields),
  info: (event: string, fields?: Record<string, unknown>) => write("info", event, fields),
  warn: (event: string, fields?: Record<string, unknown>) => write("warn", event, fields),
  error: (event: string, fields?: Record<string, unknown>) => write("error", event, fields),
};
