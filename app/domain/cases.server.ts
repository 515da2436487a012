/**
 * Opening Customer 9-1-1 cases (docs/cases.md). Everything here runs inside the transaction
 * that completes a response or records a help request, so a case exists exactly when its
 * cause does: the alert email is in the outbox and the withdrawal is on the ledger in the
 * same commit, and a replay finds the case already there (one per response and trigger).
 */
import { and, desc, eq, exists, inArray, lte, ne } from "drizzle-orm";
import { createElement } from "react";
import { CaseAlertEmail, caseAlertSubject } from "../../emails/case-alert";
import { renderEmail } from "../../emails/render";
import {
  accounts,
  answers,
  cases,
  contacts,
  interactionContacts,
  interactions,
  responses,
  surveyDefinitions,
  surveyVersions,
  users,
  type Case,
} from "../../db/schema";
import type { Executor } from "../lib/db.server";
import { getEnv, publicUrl } from "../lib/env.server";
import { log } from "../lib/log.server";
import {
  CUSTOMER_HEALTH_DIMENSIONS,
  addBusinessDays,
  caseForResponse,
  caseHeadline,
  caseSignals,
  caseSlaBusinessDays,
  equityWeightForSeverity,
  helpRequestSeverity,
  ledgerSummaryForCase,
  verbatimComments,
  type CaseSeverity,
  type CaseSignal,
  type CaseTrigger,
  type ScoredAnswerRow,
} from "./cases";
import { firstNameOf } from "./campaign-emails.server";
import { SUMMARY_MAX_LENGTH } from "./interactions.server";
import { enqueueEmail } from "./outbox.server";
import { emitWebhookEvent } from "./webhooks.server";

/** The link in the alert email and everywhere a case is named. */
export function caseUrl(caseId: string): string {
  return `${publicUrl()}/cases/${caseId}`;
}

let reportedSlaProblem = false;

/** The SLA in business days (CASE_SLA_BUSINESS_DAYS, default 2); a malformed value is logged once. */
export function slaBusinessDays(): number {
  const { days, problem } = caseSlaBusinessDays(process.env);
  if (problem && !reportedSlaProblem) {
    reportedSlaProblem = true;
    log.warn("cases.sla-setting", { problem });
  }
  return days;
}

/** A response as the transaction that completed it knows it. */
export interface CompletedResponse {
  id: string;
  contactId: string | null;
  accountId: string | null;
}

/**
 * The scored answers of the contact's previous completed response that has a health figure
 * (at least one of the six relationship dimensions), or null when there is none.
 */
async function previousHealthAnswers(
  tx: Executor,
  response: CompletedResponse,
  completedBy: Date,
): Promise<ScoredAnswerRow[] | null> {
  if (!response.contactId) return null;
  const [previous] = await tx
    .select({ id: responses.id })
    .from(responses)
    .where(
      and(
        eq(responses.contactId, response.contactId),
        eq(responses.isComplete, true),
        ne(responses.id, response.id),
        lte(responses.completedAt, completedBy),
        exists(
          tx
            .select({ id: answers.id })
            .from(answers)
            .where(
              and(
                eq(answers.responseId, responses.id),
                inArray(answers.dimension, [...CUSTOMER_HEALTH_DIMENSIONS]),
              ),
            ),
        ),
      ),
    )
    .orderBy(desc(responses.completedAt), desc(responses.id))
    .limit(1);
  if (!previous) return null;
  return tx
    .select({ dimension: answers.dimension, value: answers.value })
    .from(answers)
    .where(eq(answers.responseId, previous.id));
}

async function answersOf(tx: Executor, responseId: string): Promise<ScoredAnswerRow[]> {
  return tx
    .select({ dimension: answers.dimension, value: answers.value })
    .from(answers)
    .where(eq(answers.responseId, responseId));
}

/** Who and what a case on this response is about: the account, its owner, the contact, the survey. */
async function caseContext(tx: Executor, responseId: string) {
  const [row] = await tx
    .select({
      accountId: accounts.id,
      accountName: accounts.name,
      ownerId: users.id,
      ownerName: users.name,
      ownerEmail: users.email,
      contactId: contacts.id,
      contactName: contacts.name,
      data: responses.data,
      model: surveyVersions.model,
      surveyTitle: surveyDefinitions.title,
    })
    .from(responses)
    .innerJoin(accounts, eq(accounts.id, responses.accountId))
    .innerJoin(users, eq(users.id, accounts.ownerId))
    .leftJoin(contacts, eq(contacts.id, responses.contactId))
    .innerJoin(surveyVersions, eq(surveyVersions.id, responses.surveyVersionId))
    .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
    .where(eq(responses.id, responseId));
  return row ?? null;
}

type CaseContext = NonNullable<Awaited<ReturnType<typeof caseContext>>>;

/**
 * Opens one case unless this response already has one for this trigger; with it, the
 * owner's alert email (outbox, `case_alert:<id>`) and a withdrawal on the account's ledger.
 * Returns the new case's id, or null when it already existed.
 */
async function openCase(
  tx: Executor,
  input: {
    context: CaseContext;
    responseId: string;
    trigger: CaseTrigger;
    severity: CaseSeverity;
    signals: readonly CaseSignal[];
    now: Date;
  },
): Promise<string | null> {
  const { context, now } = input;
  const contactName = context.contactName ?? "A former contact";
  const headline = caseHeadline({
    trigger: input.trigger,
    contactName,
    surveyTitle: context.surveyTitle,
    signals: input.signals,
  });
  const slaDueAt = addBusinessDays(now, slaBusinessDays());
  const [opened] = await tx
    .insert(cases)
    .values({
      accountId: context.accountId,
      contactId: context.contactId,
      responseId: input.responseId,
      trigger: input.trigger,
      severity: input.severity,
      ownerId: context.ownerId,
      summary: headline,
      status: "open",
      slaDueAt,
      openedAt: now,
    })
    .onConflictDoNothing({ target: [cases.responseId, cases.trigger] })
    .returning();
  if (!opened) return null;
  // the caller kicks delivery after its commit (responses.server.ts)
  await emitWebhookEvent(tx, "case.opened", { case: caseWebhookData(opened) }, { key: opened.id, now });

  const companyName = getEnv().COMPANY_NAME;
  const comments = verbatimComments(context.model, (context.data ?? {}) as Record<string, unknown>, {
    company: companyName,
    contact: firstNameOf(contactName),
  });
  const verbatim = comments[0]?.text;
  const props = {
    ownerFirstName: firstNameOf(context.ownerName),
    accountName: context.accountName,
    contactName,
    trigger: headline,
    severity: input.severity,
    slaDueAt,
    caseUrl: caseUrl(opened.id),
    verbatim: verbatim && verbatim.length > 600 ? `${verbatim.slice(0, 599)}…` : verbatim,
  };
  const rendered = await renderEmail(createElement(CaseAlertEmail, props));
  await enqueueEmail(tx, {
    kind: "case_alert",
    to: context.ownerEmail,
    subject: caseAlertSubject(props),
    ...rendered,
    idempotencyKey: `case_alert:${opened.id}`,
  });

  const [entry] = await tx
    .insert(interactions)
    .values({
      accountId: context.accountId,
      // the owner answers for the account's ledger; the case is theirs
      authorId: context.ownerId,
      // not contact: nobody has spoken with them yet (ledger.ts, INTERACTION_KINDS)
      kind: "customer_alert",
      occurredAt: now,
      summary: ledgerSummaryForCase(input.trigger, headline, SUMMARY_MAX_LENGTH),
      equityEffect: "withdrawal",
      equityWeight: equityWeightForSeverity(input.severity),
    })
    .returning({ id: interactions.id });
  if (context.contactId) {
    await tx.insert(interactionContacts).values({ interactionId: entry!.id, contactId: context.contactId });
  }
  log.info("case.opened", {
    caseId: opened.id,
    accountId: context.accountId,
    trigger: input.trigger,
    severity: input.severity,
  });
  return opened.id;
}

/** A case as the `case.opened` and `case.resolved` webhooks carry it (docs/webhooks.md). */
export function caseWebhookData(row: Case) {
  return {
    id: row.id,
    account_id: row.accountId,
    contact_id: row.contactId,
    response_id: row.responseId,
    trigger: row.trigger,
    severity: row.severity,
    status: row.status,
    summary: row.summary,
    owner_id: row.ownerId,
    sla_due_at: row.slaDueAt.toISOString(),
    opened_at: row.openedAt.toISOString(),
    acknowledged_at: row.acknowledgedAt?.toISOString() ?? null,
    resolved_at: row.resolvedAt?.toISOString() ?? null,
    resolution_note: row.resolutionNote,
  };
}

/**
 * Call inside the transaction that completes `response`, with the scored answers it wrote:
 * opens the case its scores call for — advocacy ≤ 6/10, a dimension ≤ 25, or a health drop
 * of 20 points or more against the contact's previous response — and returns its id.
 */
export async function openCaseForCompletedResponse(
  tx: Executor,
  response: CompletedResponse,
  current: readonly ScoredAnswerRow[],
  now: Date = new Date(),
): Promise<string | null> {
  if (!response.accountId) return null;
  const decision = caseForResponse(current, await previousHealthAnswers(tx, response, now));
  if (!decision) return null;
  const context = await caseContext(tx, response.id);
  if (!context) return null;
  return openCase(tx, { context, responseId: response.id, ...decision, now });
}

/**
 * Call inside the transaction that records "I need help now": opens the response's help
 * case (once), at least high, critical when its answers already are.
 */
export async function openHelpRequestCase(
  tx: Executor,
  response: CompletedResponse,
  now: Date = new Date(),
): Promise<string | null> {
  if (!response.accountId) return null;
  const signals = caseSignals(
    await answersOf(tx, response.id),
    await previousHealthAnswers(tx, response, now),
  );
  const context = await caseContext(tx, response.id);
  if (!context) return null;
  return openCase(tx, {
    context,
    responseId: response.id,
    trigger: "help_requested",
    severity: helpRequestSeverity(signals),
    signals,
    now,
  });
}
