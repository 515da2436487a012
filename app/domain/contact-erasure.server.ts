/**
 * A contact's erasure on request (docs/security.md, "Privacy"): removes what identifies the
 * person and keeps what the team's numbers are made of: their scores stay in the account's
 * health (as an anonymous respondent) and the interactions stay on the ledger.
 */
import { and, eq, inArray, isNotNull, or, sql, type SQL } from "drizzle-orm";
import {
  answers,
  apiIdempotency,
  campaignRecipients,
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
  outbox,
  predictions,
  responses,
  responseVerbatims,
  surveyVersions,
  webhookDeliveries,
} from "../../db/schema";
import type { Database, Transaction } from "../lib/db.server";
import { log } from "../lib/log.server";
import { eraseAddressesFromImports } from "./csv/erase.server";
import { queueHealthRefresh } from "./health-rollups.server";
import {
  emailsToContact,
  findErasure,
  type ErasureCounts,
  type ErasureRecord,
} from "./contact-privacy.server";
import {
  ERASED_CONTACT_NAME,
  anonymiseResponseData,
  mayHandlePrivacyRequests,
  type PrivacyActor,
} from "./contact-privacy";

export type EraseOutcome =
  | { status: "erased"; erasure: ErasureRecord; contactName: string }
  | { status: "already_erased"; erasure: ErasureRecord }
  | { status: "not_found" }
  | { status: "forbidden"; message: string }
  /** Nothing was erased: try again in a moment. */
  | { status: "busy"; message: string };

/** `text` with every occurrence of the person's full name replaced, in SQL. */
const withoutName = (column: SQL, name: string) => sql`replace(${column}, ${name}, ${ERASED_CONTACT_NAME})`;

/**
 * Erases a contact in one transaction: notes, invitations and their links, the emails and
 * delivery events about them, webhook deliveries and API replays that carry their data, and
 * the contact row go; their completed responses stay as anonymous answers (contact unlinked,
 * free text removed, scores kept) so the account's health history stays true; interactions,
 * cases and predictions stay as the team's record, unlinked and with the person's name
 * replaced; the rows of uploaded CSV files that name their address are emptied. A
 * `contact_erasures` row records who did it and how much. Erasing an id that was already
 * erased answers with that erasure; while an import naming them is being applied, nothing is
 * erased (`busy`).
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
    // first, so that an import being applied stops the erasure before anything is written
    const fromImports = await eraseAddressesFromImports(tx, [person.email]);
    if (fromImports.status === "busy") {
      return {
        status: "busy",
        message: `The import “${fromImports.fileName}” names this contact and is being applied right now. Erase them once it has finished: nothing was erased.`,
      };
    }
    const counts = {
      ...(await eraseWithin(tx, person)),
      importFilesEdited: fromImports.imports,
      importRowsErased: fromImports.rows,
    };
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
