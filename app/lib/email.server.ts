import { Resend } from "resend";
import type { OutboxMessage } from "../../db/schema";
import { envSchema } from "./env.server";

/** Resend accepts at most this many emails in one batch request. */
export const RESEND_BATCH_LIMIT = 100;

/** A hung request must not hold the claimed outbox rows (and their lock) for ever. */
const REQUEST_TIMEOUT_MS = 30_000;

const emailEnv = envSchema.pick({
  RESEND_API_KEY: true,
  RESEND_BASE_URL: true,
  EMAIL_FROM: true,
  RESEND_REQUESTS_PER_SECOND: true,
});
export type EmailSettings = {
  apiKey?: string;
  baseUrl?: string;
  from: string;
  /** The provider's request rate limit; the sender spaces its requests to stay under it. */
  requestsPerSecond: number;
};

/**
 * The email settings as the environment has them now. Read on each use rather than from the
 * cached `getEnv()` so a test can point delivery at its fake server; start-up has already
 * checked the same variables with the same schema.
 */
export function emailSettings(source: Record<string, string | undefined> = process.env): EmailSettings {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const env = emailEnv.parse(cleaned);
  return {
    apiKey: env.RESEND_API_KEY,
    baseUrl: env.RESEND_BASE_URL,
    from: env.EMAIL_FROM,
    requestsPerSecond: env.RESEND_REQUESTS_PER_SECOND,
  };
}

/** Why a send failed. `retryable`: try the same request again later (429, 5xx, no answer). */
export class EmailSendError extends Error {
  constructor(
    message: string,
    public readonly retryable: boolean,
    public readonly statusCode: number | null,
    /** From the provider's `retry-after` header, when it sent one. */
    public readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "EmailSendError";
  }
}

let client: { key: string; baseUrl: string | undefined; resend: Resend } | undefined;

/** The Resend client, made on first use (and again if the key or URL changed). */
function resendClient(settings: EmailSettings): Resend {
  if (!settings.apiKey) throw new Error("resendClient: RESEND_API_KEY is not set");
  if (client?.key !== settings.apiKey || client.baseUrl !== settings.baseUrl) {
    // The SDK joins base URL and path as strings; a trailing slash would make `//emails`.
    const baseUrl = settings.baseUrl?.replace(/\/+$/, "");
    client = {
      key: settings.apiKey,
      baseUrl: settings.baseUrl,
      resend: new Resend(settings.apiKey, baseUrl ? { baseUrl } : undefined),
    };
  }
  return client.resend;
}

export type OutgoingEmail = Pick<
  OutboxMessage,
  "id" | "toAddress" | "fromAddress" | "replyTo" | "subject" | "html" | "text" | "headers"
>;

export interface SentEmail {
  /** The outbox row's id. */
  id: string;
  providerMessageId: string;
}

/**
 * The Idempotency-Key of one outbox batch. A batch's messages are fixed when it is claimed,
 * so every retry of it — after a lost answer, a 5xx or a crashed worker — is the same
 * request under the same key, and Resend answers it with the first answer instead of a
 * second email (it keeps keys for 24 hours).
 */
export function batchIdempotencyKey(batchId: string): string {
  return `outbox-batch/${batchId}`;
}

/**
 * Sends up to 100 outbox messages in one Resend batch request. Resend checks the whole batch
 * first (strict validation), so it is all sent or none: the result has one entry per message,
 * in order; a failure throws EmailSendError.
 */
export async function sendOutboxBatch(
  batchId: string,
  messages: OutgoingEmail[],
  settings: EmailSettings = emailSettings(),
): Promise<SentEmail[]> {
  if (messages.length === 0) return [];
  if (messages.length > RESEND_BATCH_LIMIT) {
    throw new RangeError(
      `sendOutboxBatch: ${messages.length} messages; Resend takes at most ${RESEND_BATCH_LIMIT}`,
    );
  }
  const resend = resendClient(settings);
  const { data, error, headers } = await resend.batch
    .send(
      messages.map((m) => ({
        from: m.fromAddress,
        to: [m.toAddress],
        replyTo: m.replyTo ?? undefined,
        subject: m.subject,
        html: m.html,
        text: m.text,
        headers: stringHeaders(m.headers),
      })),
      {
        idempotencyKey: batchIdempotencyKey(batchId),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      },
    )
    .catch((thrown: unknown) => {
      // The SDK answers most failures with `error`, but rethrows a timeout hit while reading the body.
      throw new EmailSendError(`Resend unreachable: ${String(thrown)}`, true, null);
    });
  if (error) {
    const status = error.statusCode;
    // No status: the request never got an answer (network, timeout), so trying again is safe.
    const retryable = status === null || status === 429 || status >= 500;
    throw new EmailSendError(
      `Resend ${status ?? "unreachable"} ${error.name}: ${error.message}`,
      retryable,
      status,
      retryAfter(headers?.["retry-after"]),
    );
  }
  const ids = data?.data ?? [];
  if (ids.length !== messages.length) {
    throw new EmailSendError(
      `Resend answered ${ids.length} ids for a batch of ${messages.length}`,
      false,
      null,
    );
  }
  return messages.map((m, i) => ({ id: m.id, providerMessageId: ids[i]!.id }));
}

function stringHeaders(value: unknown): Record<string, string> | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const entries = Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string");
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** `retry-after` is seconds or an HTTP date. */
function retryAfter(value: string | undefined): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

export interface RequestPacer {
  /** Waits for a free slot; call the returned function when the provider has answered. */
  wait(): Promise<() => void>;
  /** The provider asked everyone to wait (a 429's retry-after): no request before then. */
  pause(ms: number): void;
}

/**
 * Keeps one process under the provider's rate limit (Resend: 2 requests in any second by
 * default) instead of learning it from 429s. It copies the provider's rule — at most N
 * requests in any rolling window — and counts a request from when its answer came back,
 * so an event loop busy elsewhere (rendering a chunk of invitations) can delay requests
 * but never bunch them up.
 */
export function createRequestPacer(
  requestsPerSecond: number,
  {
    sleep = defaultSleep,
    clock = Date.now,
  }: { sleep?: (ms: number) => Promise<void>; clock?: () => number } = {},
): RequestPacer {
  const perWindow = Math.max(1, Math.floor(requestsPerSecond));
  const windowMs = Math.ceil((perWindow / requestsPerSecond) * 1000) + 25;
  const answeredAt: number[] = [];
  let inFlight = 0;
  let pausedUntil = 0;
  let turn = Promise.resolve();

  async function takeSlot(): Promise<() => void> {
    for (;;) {
      const now = clock();
      while (answeredAt.length > 0 && answeredAt[0]! <= now - windowMs) answeredAt.shift();
      const full = answeredAt.length + inFlight >= perWindow;
      const waitMs = Math.max(
        pausedUntil - now,
        full && answeredAt.length > 0 ? answeredAt[0]! + windowMs - now : 0,
      );
      if (!full && waitMs <= 0) break;
      await sleep(Math.max(waitMs, 5));
    }
    inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      inFlight -= 1;
      answeredAt.push(clock());
    };
  }

  return {
    wait() {
      // One caller at a time takes a slot, in the order they asked.
      const slot = turn.then(takeSlot);
      turn = slot.then(
        () => undefined,
        () => undefined,
      );
      return slot;
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, clock() + ms);
    },
  };
}

export function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
