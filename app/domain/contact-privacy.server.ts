/**
 * A contact's data on request (docs/security.md, "Privacy"): everything Rapport holds about
 * the person as one JSON document, and its erasure. Erasure removes what identifies them and
 * keeps what the team's numbers are made of: their scores stay in the account's health (as
 * an anonymous respondent) and the interactions stay on the ledger.
 */
import { and, asc, desc, eq, inArray, isNotNull, or, sql, type SQL } from "drizzle-orm";
import {
  accounts,
  answers,
  apiIdempotency,
  campaignRecipients,
  campaigns,
  caseNotes,
  cases,
  contactErasures,
  contactNotes,
  contacts,
  emailEvents,
  interactionContacts,
  interactions,
  interviewTasks,
  invitationTokens,
  invitations,
  opportunities,
  outbox,
  predictions,
  predictionValues,
  responses,
  responseVerbatims,
  surveyDefinitions,
  surveyVersions,
  users,
  webhookDeliveries,
  type UserRole,
} from "../../db/schema";
import type { Database, Executor, Transaction } from "../lib/db.server";
import { log } from "../lib/log.server";
import { queueHealthRefresh } from "./health-rollups.server";
import { isFreeText, surveyElements } from "./survey-verbatims";

export interface PrivacyActor {
  id: string;
  role: UserRole;
}

/** Only admins export or erase a person: see docs/security.md, "Privacy", for why. */
export function mayHandlePrivacyRequests(actor: { role: UserRole }): boolean {
  return actor.role === "admin";
}

/** What stands in for an erased person's name in the team's own words (a case, the ledger). */
export const ERASED_CONTACT_NAME = "A former contact";

/** What stands in for another contact's name in an export. */
const OTHER_CONTACT_NAME = "another contact";

export const CONTACT_EXPORT_FORMAT = "rapport.contact-export.v1";

// ─── Export ───────────────────────────────────────────────────────────────────

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/**
 * Everything Rapport holds about one contact, or null when there is no such contact. Other
 * people appear only as the names of the staff who wrote or own something; other contacts of
 * the same interactions are left out. Notes: an admin (who answers the person's request) gets
 * every note about them, private ones included, because the person has a right to what is
 * written about them; anyone else gets the notes they could read on the contact page.
 */
export async function exportContact(db: Database, contactId: string, viewer: PrivacyActor, now = new Date()) {
  const [contact] = await db
    .select({ contact: contacts, accountName: accounts.name })
    .from(contacts)
    .innerJoin(accounts, eq(accounts.id, contacts.accountId))
    .where(eq(contacts.id, contactId));
  if (!contact) return null;
  const person = contact.contact;

  const noteScope = mayHandlePrivacyRequests(viewer)
    ? undefined
    : or(eq(contactNotes.isPrivate, false), eq(contactNotes.authorId, viewer.id));

  const [
    notes,
    interactionRows,
    invitationRows,
    responseRows,
    predictionRows,
    caseRows,
    emailRows,
    taskRows,
    recipientRows,
  ] = await Promise.all([
    db
      .select({
        id: contactNotes.id,
        kind: contactNotes.kind,
        body: contactNotes.body,
        remindOn: contactNotes.remindOn,
        isPrivate: contactNotes.isPrivate,
        authorName: users.name,
        createdAt: contactNotes.createdAt,
        updatedAt: contactNotes.updatedAt,
      })
      .from(contactNotes)
      .innerJoin(users, eq(users.id, contactNotes.authorId))
      .where(and(eq(contactNotes.contactId, contactId), noteScope))
      .orderBy(asc(contactNotes.createdAt), asc(contactNotes.id)),
    db
      .select({
        id: interactions.id,
        kind: interactions.kind,
        occurredAt: interactions.occurredAt,
        summary: interactions.summary,
        engagementQuality: interactions.engagementQuality,
        equityEffect: interactions.equityEffect,
        dueOn: interactions.dueOn,
        commitmentStatus: interactions.commitmentStatus,
        authorName: users.name,
      })
      .from(interactionContacts)
      .innerJoin(interactions, eq(interactions.id, interactionContacts.interactionId))
      .leftJoin(users, eq(users.id, interactions.authorId))
      .where(eq(interactionContacts.contactId, contactId))
      .orderBy(asc(interactions.occurredAt), asc(interactions.id)),
    db
      .select({
        id: invitations.id,
        status: invitations.status,
        surveyTitle: surveyDefinitions.title,
        surveyVersion: surveyVersions.version,
        campaignName: campaigns.name,
        createdAt: invitations.createdAt,
        sentAt: invitations.sentAt,
        deliveredAt: invitations.deliveredAt,
        openedAt: invitations.openedAt,
        startedAt: invitations.startedAt,
        completedAt: invitations.completedAt,
        expiresAt: invitations.expiresAt,
        bouncedAt: invitations.bouncedAt,
        remindersSent: invitations.remindersSent,
      })
      .from(invitations)
      .innerJoin(surveyVersions, eq(surveyVersions.id, invitations.surveyVersionId))
      .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
      .leftJoin(campaigns, eq(campaigns.id, invitations.campaignId))
      .where(eq(invitations.contactId, contactId))
      .orderBy(asc(invitations.createdAt), asc(invitations.id)),
    db
      .select({
        id: responses.id,
        surveyTitle: surveyDefinitions.title,
        surveyVersion: surveyVersions.version,
        source: responses.source,
        isComplete: responses.isComplete,
        startedAt: responses.startedAt,
        completedAt: responses.completedAt,
        helpRequestedAt: responses.helpRequestedAt,
        interviewerName: users.name,
        data: responses.data,
      })
      .from(responses)
      .innerJoin(surveyVersions, eq(surveyVersions.id, responses.surveyVersionId))
      .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
      .leftJoin(users, eq(users.id, responses.interviewerId))
      .where(eq(responses.contactId, contactId))
      .orderBy(asc(responses.startedAt), asc(responses.id)),
    db
      .select({
        id: predictions.id,
        authorName: users.name,
        note: predictions.note,
        createdAt: predictions.createdAt,
      })
      .from(predictions)
      .innerJoin(users, eq(users.id, predictions.authorId))
      .where(eq(predictions.contactId, contactId))
      .orderBy(asc(predictions.createdAt), asc(predictions.id)),
    db
      .select({
        id: cases.id,
        trigger: cases.trigger,
        severity: cases.severity,
        status: cases.status,
        summary: cases.summary,
        ownerName: users.name,
        openedAt: cases.openedAt,
        acknowledgedAt: cases.acknowledgedAt,
        resolvedAt: cases.resolvedAt,
        resolutionNote: cases.resolutionNote,
      })
      .from(cases)
      .innerJoin(users, eq(users.id, cases.ownerId))
      .where(eq(cases.contactId, contactId))
      .orderBy(asc(cases.openedAt), asc(cases.id)),
    db
      .select({
        id: outbox.id,
        kind: outbox.kind,
        toAddress: outbox.toAddress,
        subject: outbox.subject,
        status: outbox.status,
        createdAt: outbox.createdAt,
        sentAt: outbox.sentAt,
      })
      .from(outbox)
      .where(emailsToContact(person))
      .orderBy(asc(outbox.createdAt), asc(outbox.id)),
    db
      .select({
        id: interviewTasks.id,
        opportunityName: opportunities.name,
        status: interviewTasks.status,
        dueOn: interviewTasks.dueOn,
        assigneeName: users.name,
        completedAt: interviewTasks.completedAt,
      })
      .from(interviewTasks)
      .innerJoin(opportunities, eq(opportunities.id, interviewTasks.opportunityId))
      .innerJoin(users, eq(users.id, interviewTasks.assigneeId))
      .where(eq(interviewTasks.contactId, contactId))
      .orderBy(asc(interviewTasks.createdAt), asc(interviewTasks.id)),
    db
      .select({
        campaignName: campaigns.name,
        excludedReason: campaignRecipients.excludedReason,
      })
      .from(campaignRecipients)
      .innerJoin(campaigns, eq(campaigns.id, campaignRecipients.campaignId))
      .where(eq(campaignRecipients.contactId, contactId))
      .orderBy(asc(campaigns.name)),
  ]);

  const responseIds = responseRows.map((r) => r.id);
  const predictionIds = predictionRows.map((p) => p.id);
  const caseIds = caseRows.map((c) => c.id);
  const emailIds = emailRows.map((e) => e.id);
  const interactionIds = interactionRows.map((i) => i.id);
  const [answerRows, valueRows, caseNoteRows, eventRows, otherParticipants] = await Promise.all([
    responseIds.length
      ? db
          .select({
            responseId: answers.responseId,
            question: answers.question,
            dimension: answers.dimension,
            value: answers.value,
          })
          .from(answers)
          .where(inArray(answers.responseId, responseIds))
          .orderBy(asc(answers.id))
      : [],
    predictionIds.length
      ? db
          .select()
          .from(predictionValues)
          .where(inArray(predictionValues.predictionId, predictionIds))
          .orderBy(asc(predictionValues.dimension))
      : [],
    caseIds.length
      ? db
          .select({
            caseId: caseNotes.caseId,
            kind: caseNotes.kind,
            body: caseNotes.body,
            authorName: users.name,
            createdAt: caseNotes.createdAt,
          })
          .from(caseNotes)
          .leftJoin(users, eq(users.id, caseNotes.authorId))
          .where(inArray(caseNotes.caseId, caseIds))
          .orderBy(asc(caseNotes.createdAt), asc(caseNotes.id))
      : [],
    emailIds.length
      ? db
          .select({
            outboxId: emailEvents.outboxId,
            type: emailEvents.type,
            occurredAt: emailEvents.occurredAt,
          })
          .from(emailEvents)
          .where(inArray(emailEvents.outboxId, emailIds))
          .orderBy(asc(emailEvents.occurredAt), asc(emailEvents.id))
      : [],
    interactionIds.length
      ? db
          .select({ interactionId: interactionContacts.interactionId, name: contacts.name })
          .from(interactionContacts)
          .innerJoin(contacts, eq(contacts.id, interactionContacts.contactId))
          .where(
            and(
              inArray(interactionContacts.interactionId, interactionIds),
              sql`${interactionContacts.contactId} <> ${contactId}`,
            ),
          )
      : [],
  ]);

  const group = <T, K extends keyof T>(rows: readonly T[], key: K) => {
    const byKey = new Map<unknown, Omit<T, K>[]>();
    for (const row of rows) {
      const { [key]: value, ...rest } = row;
      byKey.set(value, [...(byKey.get(value) ?? []), rest]);
    }
    return byKey;
  };
  const answersOf = group(answerRows, "responseId");
  const valuesOf = group(valueRows, "predictionId");
  const caseNotesOf = group(caseNoteRows, "caseId");
  const eventsOf = group(eventRows, "outboxId");
  const othersOf = group(otherParticipants, "interactionId");
  // The other people at a meeting are not the requester's data: their names leave the summary.
  const withoutOthers = (interactionId: string, summary: string) =>
    (othersOf.get(interactionId) ?? [])
      .map((other) => other.name)
      .filter((name) => name.trim() !== "" && name !== person.name)
      .sort((a, b) => b.length - a.length)
      .reduce((text, name) => text.split(name).join(OTHER_CONTACT_NAME), summary);

  return {
    format: CONTACT_EXPORT_FORMAT,
    exportedAt: now.toISOString(),
    contact: {
      id: person.id,
      externalId: person.externalId,
      name: person.name,
      email: person.email,
      title: person.title,
      buyingRole: person.buyingRole,
      language: person.language,
      photoUrl: person.photoUrl,
      optedOutAt: iso(person.optedOutAt),
      bouncedAt: iso(person.bouncedAt),
      createdAt: iso(person.createdAt),
      updatedAt: iso(person.updatedAt),
    },
    account: { id: person.accountId, name: contact.accountName },
    notes: notes.map((n) => ({ ...n, createdAt: iso(n.createdAt), updatedAt: iso(n.updatedAt) })),
    interactions: interactionRows.map((i) => ({
      ...i,
      summary: withoutOthers(i.id, i.summary),
      occurredAt: iso(i.occurredAt),
    })),
    invitations: invitationRows.map((i) => ({
      ...i,
      createdAt: iso(i.createdAt),
      sentAt: iso(i.sentAt),
      deliveredAt: iso(i.deliveredAt),
      openedAt: iso(i.openedAt),
      startedAt: iso(i.startedAt),
      completedAt: iso(i.completedAt),
      expiresAt: iso(i.expiresAt),
      bouncedAt: iso(i.bouncedAt),
    })),
    campaigns: recipientRows,
    responses: responseRows.map((r) => ({
      ...r,
      startedAt: iso(r.startedAt),
      completedAt: iso(r.completedAt),
      helpRequestedAt: iso(r.helpRequestedAt),
      answers: answersOf.get(r.id) ?? [],
    })),
    predictions: predictionRows.map((p) => ({
      ...p,
      createdAt: iso(p.createdAt),
      values: Object.fromEntries((valuesOf.get(p.id) ?? []).map((v) => [v.dimension, v.value])),
    })),
    cases: caseRows.map((c) => ({
      ...c,
      openedAt: iso(c.openedAt),
      acknowledgedAt: iso(c.acknowledgedAt),
      resolvedAt: iso(c.resolvedAt),
      timeline: (caseNotesOf.get(c.id) ?? []).map((n) => ({ ...n, createdAt: iso(n.createdAt) })),
    })),
    emails: emailRows.map((e) => ({
      ...e,
      createdAt: iso(e.createdAt),
      sentAt: iso(e.sentAt),
      events: (eventsOf.get(e.id) ?? []).map((ev) => ({ ...ev, occurredAt: iso(ev.occurredAt) })),
    })),
    interviewTasks: taskRows.map((t) => ({ ...t, completedAt: iso(t.completedAt) })),
  };
}

export type ContactExport = NonNullable<Awaited<ReturnType<typeof exportContact>>>;

/**
 * The emails about this person: every message of their invitations (invitation, reminders,
 * recovery pulse), anything sent to their address, and the Customer 9-1-1 alerts their
 * answers raised (those quote their words to the owner).
 */
function emailsToContact(person: { id: string; email: string | null }): SQL {
  const conditions: SQL[] = [
    inArray(
      outbox.invitationId,
      sql`(select ${invitations.id} from ${invitations} where ${invitations.contactId} = ${person.id})`,
    ),
    sql`${outbox.idempotencyKey} in (select 'case_alert:' || ${cases.id} from ${cases} where ${cases.contactId} = ${person.id})`,
  ];
  if (person.email) conditions.push(sql`lower(${outbox.toAddress}) = lower(${person.email})`);
  return or(...conditions)!;
}

// ─── Erasure ──────────────────────────────────────────────────────────────────

interface ModelElement {
  type?: unknown;
  name?: unknown;
  dimension?: unknown;
  choices?: unknown;
  rateValues?: unknown;
}

function choiceValues(element: ModelElement): Set<unknown> {
  const values = new Set<unknown>();
  for (const list of [element.choices, element.rateValues]) {
    if (!Array.isArray(list)) continue;
    for (const choice of list) {
      values.add(choice && typeof choice === "object" ? (choice as { value?: unknown }).value : choice);
    }
  }
  return values;
}

/**
 * A response's raw answers with everything that could identify the person taken out: only
 * answers to the definition's own questions that are not free text survive, and only as
 * numbers, yes/no, or values from the question's list of choices. Free text, "other, in
 * their words" boxes, interviewer notes, unknown keys and anything nested go. What the
 * scores are computed from stays, so `npm run scores:rebuild` gives the same numbers.
 */
export function anonymiseResponseData(model: unknown, data: unknown): Record<string, unknown> {
  if (!data || typeof data !== "object" || Array.isArray(data)) return {};
  const elements = new Map<string, ModelElement>();
  for (const element of surveyElements(model) as ModelElement[]) {
    if (typeof element.name === "string") elements.set(element.name, element);
  }
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const element = elements.get(key);
    if (!element || isFreeText(element as Parameters<typeof isFreeText>[0])) continue;
    if (typeof value === "number" || typeof value === "boolean") {
      kept[key] = value;
      continue;
    }
    const allowed = choiceValues(element);
    const fromList = (v: unknown) => (typeof v === "string" || typeof v === "number") && allowed.has(v);
    if (fromList(value)) kept[key] = value;
    else if (Array.isArray(value) && value.length > 0 && value.every(fromList)) kept[key] = value;
  }
  return kept;
}

export type ErasureCounts = Record<string, number>;

export interface ErasureRecord {
  id: string;
  contactId: string;
  accountId: string | null;
  erasedById: string | null;
  counts: ErasureCounts;
  createdAt: Date;
}

export type EraseOutcome =
  | { status: "erased"; erasure: ErasureRecord; contactName: string }
  | { status: "already_erased"; erasure: ErasureRecord }
  | { status: "not_found" }
  | { status: "forbidden"; message: string };

/** The erasure of a contact id, if it was erased (the newest, should there be more). */
export async function findErasure(db: Executor, contactId: string): Promise<ErasureRecord | null> {
  const [row] = await db
    .select()
    .from(contactErasures)
    .where(eq(contactErasures.contactId, contactId))
    .orderBy(desc(contactErasures.createdAt))
    .limit(1);
  return row ? { ...row, counts: row.counts as ErasureCounts } : null;
}

/** `text` with every occurrence of the person's full name replaced, in SQL. */
const withoutName = (column: SQL, name: string) => sql`replace(${column}, ${name}, ${ERASED_CONTACT_NAME})`;

/**
 * Erases a contact in one transaction: notes, invitations and their links, the emails and
 * delivery events about them, webhook deliveries and API replays that carry their data, and
 * the contact row go; their completed responses stay as anonymous answers (contact unlinked,
 * free text removed, scores kept) so the account's health history stays true; interactions,
 * cases and predictions stay as the team's record, unlinked and with the person's name
 * replaced. A `contact_erasures` row records who did it and how much. Erasing an id that was
 * already erased answers with that erasure.
 */
export async function eraseContact(
  db: Database,
  contactId: string,
  by: PrivacyActor,
  now = new Date(),
): Promise<EraseOutcome> {
  if (!mayHandlePrivacyRequests(by)) {
    return { status: "forbidden", message: "Only an admin can erase a contact." };
  }
  const outcome = await db.transaction(async (tx): Promise<EraseOutcome> => {
    const [person] = await tx.select().from(contacts).where(eq(contacts.id, contactId)).for("update");
    if (!person) {
      const erasure = await findErasure(tx, contactId);
      return erasure ? { status: "already_erased", erasure } : { status: "not_found" };
    }
    const counts = await eraseWithin(tx, person);
    const [erasure] = await tx
      .insert(contactErasures)
      .values({ contactId, accountId: person.accountId, erasedById: by.id, counts, createdAt: now })
      .returning();
    return {
      status: "erased",
      erasure: { ...erasure!, counts: erasure!.counts as ErasureCounts },
      contactName: person.name,
    };
  });
  if (outcome.status === "erased") {
    // after the commit: the anonymised answers and the smaller buying group change the rollups
    await queueHealthRefresh(outcome.erasure.accountId);
    log.info("contact.erased", {
      erasureId: outcome.erasure.id,
      contactId,
      accountId: outcome.erasure.accountId,
      by: by.id,
    });
  }
  return outcome;
}

async function eraseWithin(tx: Transaction, person: typeof contacts.$inferSelect): Promise<ErasureCounts> {
  const contactId = person.id;
  const name = person.name;
  const invitationIds = (
    await tx.select({ id: invitations.id }).from(invitations).where(eq(invitations.contactId, contactId))
  ).map((r) => r.id);
  const caseIds = (await tx.select({ id: cases.id }).from(cases).where(eq(cases.contactId, contactId))).map(
    (r) => r.id,
  );
  const interactionIds = (
    await tx
      .select({ id: interactionContacts.interactionId })
      .from(interactionContacts)
      .where(eq(interactionContacts.contactId, contactId))
  ).map((r) => r.id);

  // The emails go before the invitations, whose deletion would unlink them (set null).
  const emailIds = (await tx.select({ id: outbox.id }).from(outbox).where(emailsToContact(person))).map(
    (r) => r.id,
  );
  const eventsOfEmails = emailIds.length
    ? await tx
        .delete(emailEvents)
        .where(inArray(emailEvents.outboxId, emailIds))
        .returning({ id: emailEvents.id })
    : [];
  // a provider event whose message row is gone still names the address
  const eventsToAddress = person.email
    ? await tx
        .delete(emailEvents)
        .where(sql`${emailEvents.payload} -> 'data' -> 'to' @> ${JSON.stringify([person.email])}::jsonb`)
        .returning({ id: emailEvents.id })
    : [];
  const emails = emailIds.length
    ? await tx.delete(outbox).where(inArray(outbox.id, emailIds)).returning({ id: outbox.id })
    : [];

  // Responses: complete ones become anonymous answers; an unfinished autosave counts nowhere and goes.
  const responseRows = await tx
    .select({
      id: responses.id,
      isComplete: responses.isComplete,
      data: responses.data,
      model: surveyVersions.model,
    })
    .from(responses)
    .innerJoin(surveyVersions, eq(surveyVersions.id, responses.surveyVersionId))
    .where(eq(responses.contactId, contactId))
    .for("update", { of: responses });
  const complete = responseRows.filter((r) => r.isComplete);
  const unfinished = responseRows.filter((r) => !r.isComplete).map((r) => r.id);
  const verbatims = responseRows.length
    ? await tx
        .delete(responseVerbatims)
        .where(
          inArray(
            responseVerbatims.responseId,
            responseRows.map((r) => r.id),
          ),
        )
        .returning({ id: responseVerbatims.responseId })
    : [];
  for (const row of complete) {
    await tx
      .update(responses)
      .set({
        contactId: null,
        invitationId: null,
        data: anonymiseResponseData(row.model, row.data),
        updatedAt: new Date(),
      })
      .where(eq(responses.id, row.id));
  }
  if (unfinished.length) await tx.delete(responses).where(inArray(responses.id, unfinished));
  const [scoresKept] = complete.length
    ? await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(answers)
        .where(
          inArray(
            answers.responseId,
            complete.map((r) => r.id),
          ),
        )
    : [{ n: 0 }];

  const notes = await tx
    .delete(contactNotes)
    .where(eq(contactNotes.contactId, contactId))
    .returning({ id: contactNotes.id });

  const tokens = invitationIds.length
    ? await tx
        .delete(invitationTokens)
        .where(inArray(invitationTokens.invitationId, invitationIds))
        .returning({ hash: invitationTokens.tokenHash })
    : [];
  const campaignLinks = await tx
    .delete(campaignRecipients)
    .where(eq(campaignRecipients.contactId, contactId))
    .returning({ id: campaignRecipients.campaignId });
  const invitationsDeleted = invitationIds.length
    ? await tx
        .delete(invitations)
        .where(inArray(invitations.id, invitationIds))
        .returning({ id: invitations.id })
    : [];

  // The team's record stays, without the person: the ledger, the cases, the predictions.
  const interactionLinks = await tx
    .delete(interactionContacts)
    .where(eq(interactionContacts.contactId, contactId))
    .returning({ id: interactionContacts.interactionId });
  if (interactionIds.length) {
    await tx
      .update(interactions)
      .set({ summary: withoutName(sql`${interactions.summary}`, name) })
      .where(
        and(inArray(interactions.id, interactionIds), sql`position(${name} in ${interactions.summary}) > 0`),
      );
  }
  if (caseIds.length) {
    await tx
      .update(cases)
      .set({
        contactId: null,
        summary: withoutName(sql`${cases.summary}`, name),
        resolutionNote: withoutName(sql`${cases.resolutionNote}`, name),
      })
      .where(inArray(cases.id, caseIds));
    await tx
      .update(caseNotes)
      .set({ body: withoutName(sql`${caseNotes.body}`, name) })
      .where(and(inArray(caseNotes.caseId, caseIds), sql`position(${name} in ${caseNotes.body}) > 0`));
  }
  const predictionsUnlinked = await tx
    .update(predictions)
    .set({ contactId: null, note: withoutName(sql`${predictions.note}`, name) })
    .where(eq(predictions.contactId, contactId))
    .returning({ id: predictions.id });
  const tasksUnlinked = await tx
    .update(interviewTasks)
    .set({ contactId: null })
    .where(eq(interviewTasks.contactId, contactId))
    .returning({ id: interviewTasks.id });

  // Copies of their data sent on, or kept to replay an API answer.
  const deliveries = await tx
    .delete(webhookDeliveries)
    .where(
      or(
        sql`${webhookDeliveries.payload} #>> '{data,response,contact_id}' = ${contactId}`,
        sql`${webhookDeliveries.payload} #>> '{data,case,contact_id}' = ${contactId}`,
      ),
    )
    .returning({ id: webhookDeliveries.id });
  const replays = await tx
    .delete(apiIdempotency)
    .where(and(isNotNull(apiIdempotency.body), sql`${apiIdempotency.body} #>> '{data,id}' = ${contactId}`))
    .returning({ key: apiIdempotency.idempotencyKey });

  await tx.delete(contacts).where(eq(contacts.id, contactId));

  return {
    responsesAnonymised: complete.length,
    responsesDeleted: unfinished.length,
    scoresKept: scoresKept?.n ?? 0,
    verbatimsDeleted: verbatims.length,
    notesDeleted: notes.length,
    invitationsDeleted: invitationsDeleted.length,
    tokensDeleted: tokens.length,
    campaignRecipientsDeleted: campaignLinks.length,
    emailsDeleted: emails.length,
    emailEventsDeleted: eventsOfEmails.length + eventsToAddress.length,
    interactionLinksDeleted: interactionLinks.length,
    casesUnlinked: caseIds.length,
    predictionsUnlinked: predictionsUnlinked.length,
    interviewTasksUnlinked: tasksUnlinked.length,
    webhookDeliveriesDeleted: deliveries.length,
    apiReplaysDeleted: replays.length,
  };
}
