import { z } from "zod";

/**
 * The environment, checked once at start-up. A missing or malformed variable stops
 * the process with a message naming it (see `loadEnv`).
 */
const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
    } catch {
      return false;
    }
  }, "must be a postgres:// or postgresql:// URL with a host, e.g. postgres://user:pass@localhost:5432/rapport");

const httpUrl = (example: string) =>
  z
    .string()
    .trim()
    .refine((value) => {
      try {
        const url = new URL(value);
        return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
      } catch {
        return false;
      }
    }, `must be an http:// or https:// URL, e.g. ${example}`);

const booleanFlag = z
  .enum(["true", "false", "1", "0"], { message: "must be true or false" })
  .transform((value) => value === "true" || value === "1");

export const envSchema = z.object({
  NODE_ENV: z.enum(["production", "development", "test"]).default("production"),
  PORT: z.coerce
    .number({ message: "must be a port number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 65535")
    .max(65535, "must be between 0 and 65535")
    .default(3000),
  HOST: z.string().trim().min(1).default("0.0.0.0"),
  // How many reverse proxies stand in front (0: clients connect directly). Decides which
  // address sign-in throttling counts and whether X-Forwarded-Proto is believed.
  TRUST_PROXY: z.coerce
    .number({ message: "must be the number of proxies in front of Rapport, e.g. 0 or 1" })
    .int("must be a whole number")
    .min(0, "must be 0 or more")
    .default(0),
  DATABASE_URL: postgresUrl.optional(),
  DATA_DIR: z.string().trim().min(1).default(".data"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  RUN_WORKER: booleanFlag.default("true"),
  SEED_DEMO: booleanFlag.optional(),
  // Shown to customers on survey pages and in emails ("How is our relationship with Acme?")
  COMPANY_NAME: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(100, "must be at most 100 characters")
    .default("Rapport"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // Unset: nothing is sent; the outbox table is the mail (shown at /dev/outbox).
  RESEND_API_KEY: z.string().trim().min(1).optional(),
  // Another Resend-compatible API (the tests' fake server); unset: https://api.resend.com
  RESEND_BASE_URL: httpUrl("https://api.resend.com").optional(),
  // Resend's request rate limit for the team (2 a second unless raised); the sender stays under it
  RESEND_REQUESTS_PER_SECOND: z.coerce
    .number({ message: "must be a number of requests a second, e.g. 2" })
    .positive("must be more than 0")
    .max(1000, "must be at most 1000")
    .default(2),
  // Signing secret of the Resend webhook (whsec_…); unset: /webhooks/resend refuses every event
  RESEND_WEBHOOK_SECRET: z
    .string()
    .trim()
    .refine((value) => /^whsec_[A-Za-z0-9+/=]+$/.test(value), "must be the webhook's signing secret, whsec_…")
    .optional(),
  // Where customers reach Rapport: every link in an email starts with it. Unset: http://localhost:PORT
  PUBLIC_URL: httpUrl("https://feedback.example.com")
    .transform((value) => value.replace(/\/+$/, ""))
    .optional(),
  // Customer 9-1-1: business days (Mon–Fri, UTC) from a case opening to its SLA deadline
  CASE_SLA_BUSINESS_DAYS: z.coerce
    .number({ message: "must be a whole number of business days, e.g. 2" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 30")
    .max(30, "must be between 1 and 30")
    .default(2),
  // The mail viewer at /dev/outbox. Unset: on for the embedded database (a local run), off otherwise
  MAIL_VIEWER: booleanFlag.optional(),
  EMAIL_FROM: z
    .string()
    .trim()
    .refine((value) => /\S+@\S+\.\S+/.test(value), 'must be an address, e.g. "Rapport <surveys@example.com>"')
    .default("Rapport <surveys@rapport.test>"),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Parses an environment; throws EnvError naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // Treat empty strings as unset: `FOO= npm start` should mean "no FOO".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => {
        const name = issue.path.join(".");
        const value = source[name];
        return `${name}: ${issue.message}${value === undefined ? " (it is not set)" : ` (got ${JSON.stringify(redact(name, value))})`}`;
      }),
    );
  }
  return result.data;
}

function redact(name: string, value: string) {
  if (name === "SESSION_SECRET" || name === "RESEND_API_KEY" || name === "RESEND_WEBHOOK_SECRET") return "…";
  if (name === "DATABASE_URL") return value.replace(/:\/\/([^:@/]+):[^@/]*@/, "://$1:…@");
  return value;
}

let cached: Env | undefined;

/** The validated process environment (parsed on first use). */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** The origin every link in an email starts with, without a trailing slash. */
export function publicUrl(env: Env = getEnv()): string {
  return env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
}

/** Whether /dev/outbox shows the mail: asked for explicitly, or a local run on the embedded database. */
export function mailViewerEnabled(env: Env = getEnv()): boolean {
  return env.MAIL_VIEWER ?? !env.DATABASE_URL;
}
