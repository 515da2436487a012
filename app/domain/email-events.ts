/**
 * Delivery events from Resend (POST /webhooks/resend), as pure logic: what a well-formed
 * event looks like, and what it changes on the invitation and the contact it is about.
 * The writes are in email-events.server.ts; docs/email-events.md has the table.
 */
import { z } from "zod";
import type { InvitationStatus } from "../../db/schema";

// Every object is passthrough: the validated event is the payload Resend sent, stored verbatim.
const emailData = z.object({ email_id: z.string().min(1).max(200) }).passthrough();

/** The `data` each email event must carry, beyond the envelope. Other `email.*` types: `emailData`. */
const dataSchemas: Record<string, z.ZodTypeAny> = {
  "email.bounced": emailData.extend({
    bounce: z
      .object({
        // "Permanent", "Transient" or "Undetermined"
        type: z.string().min(1),
        subType: z.string().optional(),
        message: z.string().optional(),
      })
      .passthrough(),
  }),
  "email.failed": emailData.extend({
    failed: z.object({ reason: z.string().optional() }).passthrough().optional(),
  }),
  "email.suppressed": emailData.extend({
    suppressed: z
      .object({ message: z.string().optional(), type: z.string().optional() })
      .passthrough()
      .optional(),
  }),
};

const isoTime = z.string().datetime({ offset: true });

const envelopeSchema = z
  .object({
    type: z.string().min(1).max(100),
    created_at: z.string().superRefine((text, context) => {
      // zod's pattern lets through year 0000 (Postgres cannot store it) and offsets such as
      // +25:00 (no Date can read them); both found by fuzzing
      const time = isoTime.safeParse(text).success ? new Date(text).getTime() : Number.NaN;
      if (Number.isNaN(time)) context.addIssue({ code: "custom", message: "must be an ISO 8601 time" });
      else if (time < 0) context.addIssue({ code: "custom", message: "must be an ISO 8601 time after 1970" });
    }),
    data: z.object({}).passthrough(),
  })
  .passthrough();

/** A Resend webhook event: `{ type, created_at, data: { email_id, to, … } }`. */
export type ResendEvent = {
  type: string;
  created_at: string;
  data: {
    email_id?: string;
    bounce?: { type: string; subType?: string; message?: string };
    failed?: { reason?: string };
    suppressed?: { message?: string; type?: string };
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

export type ParsedResendEvent = { success: true; event: ResendEvent } | { success: false; error: string };

/** Checks that a verified body is an event; the error names each field that is wrong. */
export function parseResendEvent(value: unknown): ParsedResendEvent {
  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) return { success: false, error: describeIssues(envelope.error) };
  const { type } = envelope.data;
  // Contact, domain and other non-email events carry no email id: they are stored and ignored.
  if (!type.startsWith("email.")) return { success: true, event: envelope.data as ResendEvent };
  const data = (dataSchemas[type] ?? emailData).safeParse(envelope.data.data);
  if (!data.success) return { success: false, error: describeIssues(data.error, ["data"]) };
  return { success: true, event: { ...envelope.data, data: data.data } as ResendEvent };
}

function describeIssues(error: z.ZodError, prefix: (string | number)[] = []): string {
  return error.issues
    .map((issue) => {
      const where = [...prefix, ...issue.path].join(".") || "body";
      return `${where} ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`;
    })
    .join("; ");
}

/** What an event says happened to a message, in the app's terms. */
export type DeliveryFact =
  | { kind: "sent" }
  | { kind: "delivered" }
  | { kind: "delivery_delayed" }
  | { kind: "bounced"; permanent: boolean; reason: string | null }
  | { kind: "complained" }
  | { kind: "opened" }
  | { kind: "clicked" }
  | { kind: "failed"; reason: string | null }
  /** email.scheduled, email.received, non-email events: stored, nothing changes. */
  | { kind: "none" };

export interface DescribedEvent {
  /** Resend's id of the message (`outbox.provider_message_id`); null for non-email events. */
  emailId: string | null;
  occurredAt: Date;
  fact: DeliveryFact;
}

/** Only a permanent (hard) bounce says the address is bad; transient and undetermined ones may pass. */
export function isPermanentBounce(bounceType: string): boolean {
  return ["permanent", "hard"].includes(bounceType.trim().toLowerCase());
}

export function describeResendEvent(event: ResendEvent): DescribedEvent {
  const emailId = event.type.startsWith("email.") ? (event.data.email_id ?? null) : null;
  const occurredAt = new Date(event.created_at);
  return { emailId, occurredAt, fact: factOf(event) };
}

function factOf(event: ResendEvent): DeliveryFact {
  switch (event.type) {
    case "email.sent":
      return { kind: "sent" };
    case "email.delivered":
      return { kind: "delivered" };
    case "email.delivery_delayed":
      return { kind: "delivery_delayed" };
    case "email.bounced": {
      const bounce = event.data.bounce;
      const reason = [bounce?.type, bounce?.subType, bounce?.message].filter(Boolean).join(" / ");
      return { kind: "bounced", permanent: isPermanentBounce(bounce?.type ?? ""), reason: reason || null };
    }
    case "email.complained":
      return { kind: "complained" };
    case "email.opened":
      return { kind: "opened" };
    case "email.clicked":
      return { kind: "clicked" };
    case "email.failed":
      return { kind: "failed", reason: event.data.failed?.reason ?? null };
    case "email.suppressed": {
      // Resend did not send it: the address is on its suppression list (an earlier hard bounce or complaint).
      const detail = event.data.suppressed?.message;
      return { kind: "failed", reason: detail ? `Suppressed by Resend: ${detail}` : "Suppressed by Resend" };
    }
    default:
      return { kind: "none" };
  }
}

/** The bare address in `Jane Doe <jane@acme.test>` or `jane@acme.test`. */
export function addressOf(recipient: string): string {
  const angled = /<([^<>]*)>\s*$/.exec(recipient);
  return (angled ? angled[1]! : recipient).trim();
}

/** The invitation fields delivery events may set. */
export interface InvitationDelivery {
  status: InvitationStatus;
  sentAt: Date | null;
  deliveredAt: Date | null;
  deliveryDelayedAt: Date | null;
  openedAt: Date | null;
  clickedAt: Date | null;
  bouncedAt: Date | null;
  failureReason: string | null;
}

export type InvitationChanges = Partial<InvitationDelivery>;

export interface EmailEventPlan {
  /** Only the fields that change; empty when the event changes nothing on the invitation. */
  invitation: InvitationChanges;
  contact: {
    /** Opt the contact out, as the unsubscribe page does (a spam complaint). */
    optOut: boolean;
    /** A hard bounce: set contacts.bounced_at to this unless it is already set. */
    bouncedAt: Date | null;
  };
}

/** The funnel, in order; terminal statuses (bounced, failed, expired, opted_out, revoked) are not on it. */
const FUNNEL: readonly InvitationStatus[] = ["queued", "sent", "delivered", "opened", "started", "completed"];

/** The funnel's statuses before `status`: the ones a move to `status` may leave. */
export function funnelStatusesBefore(status: InvitationStatus): InvitationStatus[] {
  return FUNNEL.slice(0, FUNNEL.indexOf(status));
}

/**
 * Moves `current` forward to `target`, never backwards, and never out of a terminal status.
 * Returns the new status, or null when it stays.
 */
function advance(current: InvitationStatus, target: InvitationStatus): InvitationStatus | null {
  const from = FUNNEL.indexOf(current);
  const to = FUNNEL.indexOf(target);
  if (from === -1 || to === -1 || to <= from) return null;
  return target;
}

/** Still on the way to the inbox or just arrived: a bounce or send failure ends it there. */
function undeliveredOrJustDelivered(status: InvitationStatus, includeDelivered: boolean): boolean {
  return status === "queued" || status === "sent" || (includeDelivered && status === "delivered");
}

/**
 * What one event changes. An event never moves the status backwards (a late `delivered`
 * after `opened` only fills delivered_at) and a timestamp is set only while still empty, so
 * events may arrive in any order and any number of times. Without an invitation (a sign-in
 * email, an unknown message) nothing changes.
 */
export function planEmailEvent(
  invitation: InvitationDelivery | null,
  fact: DeliveryFact,
  occurredAt: Date,
): EmailEventPlan {
  const plan: EmailEventPlan = { invitation: {}, contact: { optOut: false, bouncedAt: null } };
  if (!invitation) return plan;
  const changes = plan.invitation;
  const fill = (
    field: "sentAt" | "deliveredAt" | "deliveryDelayedAt" | "openedAt" | "clickedAt" | "bouncedAt",
  ) => {
    // each fact keeps its earliest time, whatever order the events arrive in: an open reported
    // after the click that implied it moves opened_at back to when the open happened
    const known = invitation[field];
    if (known === null || occurredAt < known) changes[field] = occurredAt;
  };
  const moveTo = (target: InvitationStatus) => {
    const next = advance(invitation.status, target);
    if (next) changes.status = next;
  };

  switch (fact.kind) {
    case "sent":
      fill("sentAt");
      moveTo("sent");
      break;
    case "delivered":
      fill("deliveredAt");
      moveTo("delivered");
      break;
    case "delivery_delayed":
      fill("deliveryDelayedAt");
      break;
    case "opened":
      fill("openedAt");
      moveTo("opened");
      break;
    case "clicked":
      // A click is an open, even when the tracking pixel was blocked.
      fill("clickedAt");
      fill("openedAt");
      moveTo("opened");
      break;
    case "bounced":
      if (!fact.permanent) {
        // A soft bounce: the provider keeps trying, so it only counts as a delay.
        fill("deliveryDelayedAt");
        break;
      }
      fill("bouncedAt");
      if (undeliveredOrJustDelivered(invitation.status, true)) {
        changes.status = "bounced";
        if (invitation.failureReason === null && fact.reason) changes.failureReason = fact.reason;
      }
      plan.contact.bouncedAt = occurredAt;
      break;
    case "failed":
      if (undeliveredOrJustDelivered(invitation.status, false)) {
        changes.status = "failed";
        if (invitation.failureReason === null && fact.reason) changes.failureReason = fact.reason;
      }
      break;
    case "complained":
      plan.contact.optOut = true;
      break;
    case "none":
      break;
  }
  return plan;
}
