/**
 * Outgoing webhooks, the pure half (docs/webhooks.md): event types, the retry schedule and
 * the endpoint form's rules. No I/O here, and safe for the browser bundle (the form uses it);
 * the signature lives in webhook-signature.server.ts.
 */
import { z } from "zod";

/** The events an endpoint may subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  "response.completed",
  "case.opened",
  "case.resolved",
  "opportunity.closed",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by the settings page's "Send test" button, to one endpoint, subscribed or not. */
export const WEBHOOK_TEST_EVENT = "webhook.test";

export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  "response.completed": "A customer submitted a survey (answers and dimension scores).",
  "case.opened": "A Customer 9-1-1 case was opened.",
  "case.resolved": "A case was resolved.",
  "opportunity.closed": "A deal was closed won, lost or with no decision.",
};

/**
 * Waits after the 1st, 2nd … failed try: 30 s, 2 min, 10 min, 1 h, 6 h. A delivery is
 * abandoned when the try after the last wait fails too (six tries in all).
 */
export const WEBHOOK_RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 3_600_000, 21_600_000] as const;
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_DELAYS_MS.length + 1;

/** The wait before the next try after `attempts` tries, or null when none is left. */
export function webhookRetryDelayMs(attempts: number): number | null {
  return WEBHOOK_RETRY_DELAYS_MS[attempts - 1] ?? null;
}

export const WEBHOOK_URL_MESSAGE =
  "Enter a full https:// URL (http:// is allowed only for localhost or 127.0.0.1), such as https://crm.example.com/hooks/rapport.";

function isAllowedUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === "https:") return url.hostname.length > 0;
  return url.protocol === "http:" && (url.hostname === "localhost" || url.hostname === "127.0.0.1");
}

/** The endpoint form and the domain share these rules and messages. */
export const webhookEndpointInputSchema = z.object({
  url: z
    .string({ required_error: WEBHOOK_URL_MESSAGE })
    .trim()
    .max(2000, "The URL must be at most 2000 characters.")
    .refine(isAllowedUrl, WEBHOOK_URL_MESSAGE),
  description: z
    .string()
    .trim()
    .max(200, "The description must be at most 200 characters.")
    .optional()
    .default(""),
  events: z
    .array(z.enum(WEBHOOK_EVENT_TYPES, { errorMap: () => ({ message: "Choose events from the list." }) }))
    .min(1, "Choose at least one event to send.")
    .transform((events) => [...new Set(events)]),
});
export type WebhookEndpointInput = z.input<typeof webhookEndpointInputSchema>;

/** A last error as stored and shown: one line, at most 500 characters. */
export function truncateError(message: string, max = 500): string {
  const line = message.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
