/**
 * Everything Rapport holds about one person, as one JSON document, for their request to see it
 * (docs/security.md, "Privacy").
 */
import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import {
  accounts,
  campaignRecipients,
  campaigns,
  caseNotes,
  cases,
  contactNotes,
  contacts,
  emailEvents,
  interactionContacts,
  interactions,
  interviewTasks,
  invitations,
  opportunities,
  outbox,
  predictions,
  predictionValues,
  responses,
  surveyDefinitions,
  surveyVersions,
  users,
} from "../../db/schema";
import type { Database } from "../lib/db.server";
import { emailsToContact } from "./contact-privacy.server";
import { scoredAnswersOf } from "./scored-answers.server";
import { CONTACT_EXPORT_FORMAT, mayHandlePrivacyRequests, type PrivacyActor } from "./contact-privacy";

/** What stands in for another contact's name in an export. */
const OTHER_CONTACT_NAME = "another contact";

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
  const [answersOf, valueRows, caseNoteRows, eventRows, otherParticipants] = await Promise.all([
    scoredAnswersOf(db, responseIds),
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
