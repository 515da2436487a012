/**
 * Working a Customer 9-1-1 case: acknowledge, add a note, resolve (optionally sending the
 * contact a short recovery pulse). Each change locks the case row, checks the actor may edit
 * the account and that the status allows it, and writes its line on the case's timeline.
 */
import { desc, eq, sql } from "drizzle-orm";
import { createElement } from "react";
import { RecoveryPulseEmail, recoveryPulseSubject } from "../../emails/recovery-pulse";
import { renderEmail } from "../../emails/render";
import {
  accountMembers,
  accounts,
  caseNotes,
  cases,
  contacts,
  invitations,
  surveyDefinitions,
  surveyVersions,
  users,
  type Case,
} from "../../db/schema";
import type { Database, Transaction } from "../lib/db.server";
import { emailSettings } from "../lib/email.server";
import { getEnv, publicUrl } from "../lib/env.server";
import { log } from "../lib/log.server";
import { canAccessAccount } from "./access";
import { firstNameOf, senderLine, surveyLinks } from "./campaign-emails.server";
import {
  CASE_NOTE_MAX_LENGTH,
  RECOVERY_PULSE_BLOCKER_TEXT,
  RECOVERY_PULSE_EXPIRY_DAYS,
  RECOVERY_PULSE_SLUG,
  caseAllows,
  caseRefusal,
  recoveryPulseBlocker,
  type CaseAction,
  type RecoveryPulseBlocker,
} from "./cases";
import type { Actor } from "./interactions.server";
import { caseWebhookData } from "./cases.server";
import { enqueueEmail } from "./outbox.server";
import { addInvitationToken } from "./survey-links.server";
import { emitWebhookEvent, startWebhookDelivery } from "./webhooks.server";

export type CaseChange =
  | {
      status: "done";
      case: Case;
      notice: string;
      /** An email (the recovery pulse) is waiting in the outbox. */
      mailQueued: boolean;
    }
  | { status: "not_found" }
  | { status: "forbidden" }
  | { status: "conflict"; message: string }
  | { status: "invalid"; field: "body" | "resolutionNote"; message: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A note or resolution as typed: trimmed, required, at most 5,000 characters. */
export function checkCaseText(
  value: unknown,
  what: string,
): { ok: true; text: string } | { ok: false; message: string } {
  const text = typeof value === "string" ? value.trim() : "";
  if (!text) return { ok: false, message: `Write ${what}.` };
  if (text.length > CASE_NOTE_MAX_LENGTH)
    return {
      ok: false,
      message: `Keep ${what} to ${CASE_NOTE_MAX_LENGTH.toLocaleString("en-US")} characters (it has ${text.length.toLocaleString("en-US")}).`,
    };
  return { ok: true, text };
}

/**
 * Locks the case for this change and checks the actor may work it (edit access to its
 * account) and that its status allows `action`.
 */
async function lockFor(
  tx: Transaction,
  actor: Actor,
  caseId: string,
  action: CaseAction,
): Promise<{ status: "ok"; case: Case } | Exclude<CaseChange, { status: "done" | "invalid" }>> {
  if (!UUID.test(caseId)) return { status: "not_found" };
  const [row] = await tx
    .select({
      case: cases,
      accountOwnerId: accounts.ownerId,
      isMember: sql<boolean>`exists (select 1 from ${accountMembers} where ${accountMembers.accountId} = ${accounts.id} and ${accountMembers.userId} = ${actor.id})`,
    })
    .from(cases)
    .innerJoin(accounts, eq(accounts.id, cases.accountId))
    .where(eq(cases.id, caseId))
    .for("update", { of: cases });
  if (!row) return { status: "not_found" };
  if (!canAccessAccount(actor, { ownerId: row.accountOwnerId, isMember: row.isMember }, "edit"))
    return { status: "forbidden" };
  if (!caseAllows(row.case.status, action))
    return { status: "conflict", message: caseRefusal(row.case.status, action) };
  return { status: "ok", case: row.case };
}

/** The owner has seen it and is on it: open → acknowledged. */
export async function acknowledgeCase(
  db: Database,
  actor: Actor,
  caseId: string,
  now: Date = new Date(),
): Promise<CaseChange> {
  return db.transaction(async (tx): Promise<CaseChange> => {
    const locked = await lockFor(tx, actor, caseId, "acknowledge");
    if (locked.status !== "ok") return locked;
    const [updated] = await tx
      .update(cases)
      .set({ status: "acknowledged", acknowledgedAt: now })
      .where(eq(cases.id, caseId))
      .returning();
    await tx.insert(caseNotes).values({ caseId, authorId: actor.id, kind: "acknowledged", createdAt: now });
    log.info("case.acknowledged", { caseId, by: actor.id });
    return {
      status: "done",
      case: updated!,
      notice: "Acknowledged. The SLA clock keeps running until it is resolved.",
      mailQueued: false,
    };
  });
}

/** A note on the case's timeline (any status: a follow-up after resolving is welcome). */
export async function addCaseNote(
  db: Database,
  actor: Actor,
  caseId: string,
  body: unknown,
  now: Date = new Date(),
): Promise<CaseChange> {
  const checked = checkCaseText(body, "the note");
  if (!checked.ok) return { status: "invalid", field: "body", message: checked.message };
  return db.transaction(async (tx): Promise<CaseChange> => {
    const locked = await lockFor(tx, actor, caseId, "note");
    if (locked.status !== "ok") return locked;
    await tx
      .insert(caseNotes)
      .values({ caseId, authorId: actor.id, kind: "note", body: checked.text, createdAt: now });
    return { status: "done", case: locked.case, notice: "Note added.", mailQueued: false };
  });
}

/**
 * Resolves the case with a resolution note (an open case counts as acknowledged at the same
 * moment). With `sendRecoveryPulse`, the contact also gets a short pulse survey — unless they
 * opted out, bounced or have no address; then the case is resolved and the page says why not.
 */
export async function resolveCase(
  db: Database,
  actor: Actor,
  caseId: string,
  input: { resolutionNote: unknown; sendRecoveryPulse: boolean },
  now: Date = new Date(),
): Promise<CaseChange> {
  const checked = checkCaseText(input.resolutionNote, "what was done to resolve it");
  if (!checked.ok) return { status: "invalid", field: "resolutionNote", message: checked.message };
  const change = await db.transaction(async (tx): Promise<CaseChange> => {
    const locked = await lockFor(tx, actor, caseId, "resolve");
    if (locked.status !== "ok") return locked;
    const [updated] = await tx
      .update(cases)
      .set({
        status: "resolved",
        resolvedAt: now,
        acknowledgedAt: sql`coalesce(${cases.acknowledgedAt}, ${now.toISOString()}::timestamptz)`,
        resolutionNote: checked.text,
      })
      .where(eq(cases.id, caseId))
      .returning();
    await tx
      .insert(caseNotes)
      .values({ caseId, authorId: actor.id, kind: "resolved", body: checked.text, createdAt: now });
    log.info("case.resolved", { caseId, by: actor.id });
    await emitWebhookEvent(tx, "case.resolved", { case: caseWebhookData(updated!) }, { key: caseId, now });
    if (!input.sendRecoveryPulse)
      return { status: "done", case: updated!, notice: "Resolved.", mailQueued: false };
    const pulse = await sendRecoveryPulse(tx, actor, updated!, now);
    return pulse.sent
      ? {
          status: "done",
          case: { ...updated!, recoveryInvitationId: pulse.invitationId },
          notice: `Resolved. A short recovery pulse is on its way to ${pulse.to}.`,
          mailQueued: true,
        }
      : {
          status: "done",
          case: updated!,
          notice: `Resolved. No recovery pulse was sent: ${pulse.reason}.`,
          mailQueued: false,
        };
  });
  if (change.status === "done") await startWebhookDelivery();
  return change;
}

type PulseOutcome = { sent: true; to: string; invitationId: string } | { sent: false; reason: string };

/**
 * The recovery pulse: an invitation to surveys/recovery-pulse.json for the case's contact,
 * its link token and its outbox email (with one-click unsubscribe), in the resolving
 * transaction. Recorded on the timeline either way.
 */
async function sendRecoveryPulse(
  tx: Transaction,
  actor: Actor,
  resolved: Case,
  now: Date,
): Promise<PulseOutcome> {
  const [contact] = resolved.contactId
    ? await tx
        .select({
          name: contacts.name,
          email: contacts.email,
          optedOutAt: contacts.optedOutAt,
          bouncedAt: contacts.bouncedAt,
        })
        .from(contacts)
        .where(eq(contacts.id, resolved.contactId))
        .for("share")
    : [];
  // A millisecond after the resolution, so the timeline (ordered by time) always shows it second.
  const noteAt = new Date(now.getTime() + 1);
  const note = (body: string) =>
    tx
      .insert(caseNotes)
      .values({ caseId: resolved.id, authorId: actor.id, kind: "recovery_pulse", body, createdAt: noteAt });
  const blocker: RecoveryPulseBlocker | null = recoveryPulseBlocker(contact ?? null);
  if (blocker) {
    const reason = RECOVERY_PULSE_BLOCKER_TEXT[blocker];
    await note(`Recovery pulse not sent: ${reason}.`);
    return { sent: false, reason };
  }
  const [version] = await tx
    .select({ id: surveyVersions.id })
    .from(surveyVersions)
    .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
    .where(eq(surveyDefinitions.slug, RECOVERY_PULSE_SLUG))
    .orderBy(desc(surveyVersions.version))
    .limit(1);
  if (!version) {
    const reason = `the recovery pulse survey (surveys/${RECOVERY_PULSE_SLUG}.json) is not imported`;
    await note(`Recovery pulse not sent: ${reason}.`);
    log.warn("case.recovery-pulse-missing", { caseId: resolved.id });
    return { sent: false, reason };
  }
  const [owner] = await tx
    .select({ name: users.name, email: users.email })
    .from(users)
    .where(eq(users.id, resolved.ownerId));
  const [invitation] = await tx
    .insert(invitations)
    .values({
      contactId: resolved.contactId!,
      surveyVersionId: version.id,
      status: "queued",
      createdById: actor.id,
      expiresAt: new Date(now.getTime() + RECOVERY_PULSE_EXPIRY_DAYS * 86_400_000),
      createdAt: now,
    })
    .returning({ id: invitations.id, expiresAt: invitations.expiresAt });
  const token = await addInvitationToken(tx, invitation!.id);
  const companyName = getEnv().COMPANY_NAME;
  const { surveyUrl, unsubscribeUrl } = surveyLinks(publicUrl(), token);
  const props = {
    companyName,
    contactFirstName: firstNameOf(contact!.name),
    ownerName: owner!.name,
    surveyUrl,
    unsubscribeUrl,
    expiresOn: invitation!.expiresAt!.toISOString().slice(0, 10),
  };
  const rendered = await renderEmail(createElement(RecoveryPulseEmail, props));
  await enqueueEmail(tx, {
    // an invitation like any other: delivery marks it sent, bounces and unsubscribes apply
    kind: "invitation",
    to: contact!.email!,
    from: senderLine(owner!.name, companyName, emailSettings().from),
    replyTo: owner!.email,
    subject: recoveryPulseSubject(props),
    ...rendered,
    headers: {
      "List-Unsubscribe": `<${unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
    invitationId: invitation!.id,
    idempotencyKey: `recovery_pulse:${resolved.id}`,
  });
  await tx.update(cases).set({ recoveryInvitationId: invitation!.id }).where(eq(cases.id, resolved.id));
  const to = `${contact!.name} <${contact!.email}>`;
  await note(`Recovery pulse sent to ${to}.`);
  log.info("case.recovery-pulse", { caseId: resolved.id, invitationId: invitation!.id });
  return { sent: true, to: contact!.name, invitationId: invitation!.id };
}
