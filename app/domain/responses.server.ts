import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { answers, contacts, invitations, responses, surveyVersions, type Response } from "../../db/schema";
import { preparedQuery, type Database, type Transaction, type Executor } from "../lib/db.server";
import { openCaseForCompletedResponse, openHelpRequestCase } from "./cases.server";
import { queueHealthRefresh } from "./health-rollups.server";
import {
  createSurveyModel,
  scoreAnswers,
  validateAnswers,
  type AnswerErrors,
  type ScoredAnswer,
} from "./survey-model";
import { surveyModelForVersion } from "./survey-model-cache.server";
import { invitationIsOpen, type FoundInvitation } from "./survey-links.server";
import { funnelStatusesBefore } from "./email-events";
import { emitWebhookEvent, startWebhookDelivery } from "./webhooks.server";

/** What a respondent's save or submit came to; the route turns it into an HTTP status. */
export type AnswerOutcome =
  | { status: "saved"; response: Response }
  /** `openedCaseId`: the Customer 9-1-1 case the answers opened, if they opened one. */
  | { status: "completed"; response: Response; openedCaseId?: string | null }
  | { status: "invalid"; errors: AnswerErrors }
  | { status: "closed"; reason: "completed" | "expired" };

/** Invitation statuses that answering moves to "started"; later ones are never moved back. */
const NOT_YET_STARTED = funnelStatusesBefore("started");

/** Replaces a response's scored rows with `scored` (validateAnswers' or scoreAnswers' result). */
export async function writeAnswers(db: Executor, responseId: string, scored: ScoredAnswer[]) {
  await db.delete(answers).where(eq(answers.responseId, responseId));
  if (scored.length > 0) {
    await db.insert(answers).values(scored.map((s) => ({ responseId, ...s })));
  }
  return scored;
}

/**
 * Autosave of unfinished answers. Checks every value's type and range (not completeness),
 * keeps the newest save by the client's sequence number, and scores what is there.
 */
export async function saveProgress(
  db: Database,
  found: FoundInvitation,
  input: { data?: unknown; currentPage: number; sequence: number },
): Promise<AnswerOutcome> {
  const closed = closedReason(found);
  if (closed) return { status: "closed", reason: closed };
  const model = surveyModelForVersion(found.invitation.surveyVersionId, found.model);
  const checked = validateAnswers(model, input.data, { complete: false });
  if (!checked.ok) return { status: "invalid", errors: checked.errors };

  return db.transaction(async (tx) => {
    const [saved] = await tx
      .insert(responses)
      .values({
        ...respondentOf(found),
        data: checked.data,
        currentPage: input.currentPage,
        saveSequence: input.sequence,
      })
      .onConflictDoUpdate({
        target: responses.invitationId,
        set: {
          data: checked.data,
          currentPage: input.currentPage,
          saveSequence: input.sequence,
          updatedAt: new Date(),
        },
        // a late, older save and anything after completion leave the stored answers alone
        setWhere: and(lt(responses.saveSequence, input.sequence), eq(responses.isComplete, false)),
      })
      .returning();
    if (!saved) {
      const [current] = await tx
        .select()
        .from(responses)
        .where(eq(responses.invitationId, found.invitation.id));
      if (current?.isComplete) return { status: "closed" as const, reason: "completed" as const };
      return { status: "saved" as const, response: current! };
    }
    // Independent statements, sent together: postgres.js pipelines them on the transaction's
    // connection and Postgres runs them in the order sent (see submitAnswers).
    await Promise.all([writeAnswers(tx, saved.id, checked.scores), markStarted(tx, found.invitation.id)]);
    return { status: "saved" as const, response: saved };
  });
}

/**
 * The final submit: validated in full against the exact version, stored once. A repeated
 * or concurrent submit finds the invitation completed, stores nothing and is told so.
 */
export async function submitAnswers(
  db: Database,
  found: FoundInvitation,
  input: { data?: unknown },
): Promise<AnswerOutcome> {
  const closed = closedReason(found);
  if (closed) return { status: "closed", reason: closed };
  const model = surveyModelForVersion(found.invitation.surveyVersionId, found.model);
  const checked = validateAnswers(model, input.data, { complete: true });
  if (!checked.ok) return { status: "invalid", errors: checked.errors };

  const outcome = await db.transaction(async (tx) => {
    // The row lock makes concurrent submits of one invitation take turns.
    const [locked] = await tx
      .select({ status: invitations.status })
      .from(invitations)
      .where(eq(invitations.id, found.invitation.id))
      .for("update");
    if (locked?.status === "completed") return { status: "closed" as const, reason: "completed" as const };
    const now = new Date();
    const [response] = await tx
      .insert(responses)
      .values({
        ...respondentOf(found),
        data: checked.data,
        isComplete: true,
        completedAt: now,
      })
      .onConflictDoUpdate({
        target: responses.invitationId,
        set: { data: checked.data, isComplete: true, completedAt: now, updatedAt: now },
      })
      .returning();
    // Three independent strands, sent together rather than one round trip after another: on a
    // busy machine every wait for Postgres is also a wait for the CPU. postgres.js pipelines
    // them on the transaction's one connection, Postgres runs each statement in the order it
    // was sent, and a failing one fails the rest and rolls the whole submit back. The case and
    // the events read the scores passed in, not the rows being written.
    const [openedCaseId] = await Promise.all([
      // In this transaction, so a completed response, its case and its events are committed together.
      openCaseForCompletedResponse(tx, response!, checked.scores, now).then(async (caseId) => {
        await emitResponseCompleted(tx, response!, checked.scores, now);
        return caseId;
      }),
      writeAnswers(tx, response!.id, checked.scores),
      tx
        .update(invitations)
        .set({
          status: "completed",
          completedAt: now,
          startedAt: sql`coalesce(${invitations.startedAt}, now())`,
        })
        .where(eq(invitations.id, found.invitation.id)),
    ]);
    return { status: "completed" as const, response: response!, openedCaseId };
  });
  // after the commit, so the refresh reads the answers (docs/health-model.md, "Rollups")
  if (outcome.status === "completed") {
    await queueHealthRefresh(outcome.response.accountId);
    await startWebhookDelivery();
  }
  return outcome;
}

/**
 * The `response.completed` webhook (docs/webhooks.md): the raw answers, each scored answer
 * (`scored`, as this transaction wrote them) and the mean score per dimension.
 */
async function emitResponseCompleted(
  tx: Transaction,
  response: Response,
  scored: readonly ScoredAnswer[],
  now: Date,
) {
  const byDimension = new Map<string, number[]>();
  for (const a of scored) byDimension.set(a.dimension, [...(byDimension.get(a.dimension) ?? []), a.value]);
  const dimensionScores = Object.fromEntries(
    [...byDimension].map(([dimension, values]) => [
      dimension,
      Math.round(values.reduce((sum, v) => sum + v, 0) / values.length),
    ]),
  );
  await emitWebhookEvent(
    tx,
    "response.completed",
    {
      response: {
        id: response.id,
        survey_version_id: response.surveyVersionId,
        invitation_id: response.invitationId,
        account_id: response.accountId,
        contact_id: response.contactId,
        opportunity_id: response.opportunityId,
        source: response.source,
        completed_at: (response.completedAt ?? now).toISOString(),
        data: response.data,
        answers: scored,
        dimension_scores: dimensionScores,
      },
    },
    { key: response.id, now },
  );
}

/** Who answered and about what: the columns every response behind an invitation carries. */
function respondentOf(found: FoundInvitation) {
  return {
    invitationId: found.invitation.id,
    surveyVersionId: found.invitation.surveyVersionId,
    contactId: found.invitation.contactId,
    accountId: found.accountId,
    opportunityId: found.invitation.opportunityId,
    // a campaign's invitation arrived by email; a hand-made link was passed on some other way
    source: found.invitation.campaignId ? ("email" as const) : ("link" as const),
  };
}

function closedReason(found: FoundInvitation): "completed" | "expired" | null {
  if (found.invitation.status === "completed") return "completed";
  return invitationIsOpen(found.invitation) ? null : "expired";
}

async function markStarted(tx: Transaction, invitationId: string) {
  await tx
    .update(invitations)
    .set({ status: "started", startedAt: new Date() })
    .where(and(eq(invitations.id, invitationId), inArray(invitations.status, NOT_YET_STARTED)));
}

/** The stored answers behind an invitation (to resume, or to show they were received). */
export async function responseForInvitation(db: Database, invitationId: string) {
  const [row] = await responseByInvitation(db).execute({ invitationId });
  return row ?? null;
}

// Every survey page view (app/routes/s.$token).
const responseByInvitation = preparedQuery((db) =>
  db
    .select()
    .from(responses)
    .where(eq(responses.invitationId, sql.placeholder("invitationId")))
    .prepare("response_by_invitation"),
);

/**
 * "I need help now" on the thank-you page. Recorded once (the first request's time is
 * kept), and opens the response's Customer 9-1-1 help case in the same transaction (once,
 * however often it is pressed). Null when there are no submitted answers to attach it to.
 */
export async function requestHelp(
  db: Database,
  invitationId: string,
  now: Date = new Date(),
): Promise<{ helpRequestedAt: Date; openedCaseId: string | null } | null> {
  const outcome = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(responses)
      .set({
        helpRequestedAt: sql`coalesce(${responses.helpRequestedAt}, ${now.toISOString()}::timestamptz)`,
      })
      .where(and(eq(responses.invitationId, invitationId), eq(responses.isComplete, true)))
      .returning({
        id: responses.id,
        contactId: responses.contactId,
        accountId: responses.accountId,
        helpRequestedAt: responses.helpRequestedAt,
      });
    if (!row?.helpRequestedAt) return null;
    const openedCaseId = await openHelpRequestCase(tx, row, now);
    return { helpRequestedAt: row.helpRequestedAt, openedCaseId, accountId: row.accountId };
  });
  if (!outcome) return null;
  // after the commit: the case's withdrawal is on the account's ledger (docs/health-model.md, "Rollups")
  if (outcome.openedCaseId) {
    await queueHealthRefresh(outcome.accountId);
    await startWebhookDelivery();
  }
  return { helpRequestedAt: outcome.helpRequestedAt, openedCaseId: outcome.openedCaseId };
}

/**
 * An interview recorded by a staff member on a contact's behalf: validated like a
 * customer's submit, stored with source "interview" and the interviewer named. A win/loss
 * interview names its deal (`opportunityId`); `alsoInTransaction` runs in the transaction
 * that stores the response (an interview task marks itself done there) and may throw to
 * store nothing.
 */
export async function recordInterview(
  db: Database,
  input: {
    contactId: string;
    surveyVersionId: string;
    interviewerId: string;
    data: unknown;
    opportunityId?: string | null;
  },
  options: { alsoInTransaction?: (tx: Transaction, response: Response) => Promise<void> } = {},
): Promise<
  | { status: "completed"; response: Response; openedCaseId: string | null }
  | { status: "invalid"; errors: AnswerErrors }
  | { status: "not_found" }
> {
  const [version] = await db
    .select()
    .from(surveyVersions)
    .where(eq(surveyVersions.id, input.surveyVersionId));
  const [contact] = await db.select().from(contacts).where(eq(contacts.id, input.contactId));
  if (!version || !contact) return { status: "not_found" };
  const checked = validateAnswers(createSurveyModel(version.model), input.data, { complete: true });
  if (!checked.ok) return { status: "invalid", errors: checked.errors };
  const outcome = await db.transaction(async (tx) => {
    const now = new Date();
    const [response] = await tx
      .insert(responses)
      .values({
        surveyVersionId: version.id,
        contactId: contact.id,
        accountId: contact.accountId,
        opportunityId: input.opportunityId ?? null,
        interviewerId: input.interviewerId,
        source: "interview",
        data: checked.data,
        isComplete: true,
        startedAt: now,
        completedAt: now,
      })
      .returning();
    await writeAnswers(tx, response!.id, checked.scores);
    await options.alsoInTransaction?.(tx, response!);
    const openedCaseId = await openCaseForCompletedResponse(tx, response!, checked.scores, now);
    await emitResponseCompleted(tx, response!, checked.scores, now);
    return { status: "completed" as const, response: response!, openedCaseId };
  });
  await queueHealthRefresh(outcome.response.accountId);
  await startWebhookDelivery();
  return outcome;
}

/**
 * Recomputes every response's answers from its raw data (`npm run scores:rebuild`),
 * in batches so memory stays flat however many responses there are.
 */
export async function rebuildAllScores(
  db: Database,
  batchSize = 500,
): Promise<{ responses: number; answers: number }> {
  let after = "00000000-0000-0000-0000-000000000000";
  let responseCount = 0;
  let answerCount = 0;
  for (;;) {
    const batch = await db
      .select({ id: responses.id, data: responses.data, model: surveyVersions.model })
      .from(responses)
      .innerJoin(surveyVersions, eq(surveyVersions.id, responses.surveyVersionId))
      .where(sql`${responses.id} > ${after}`)
      .orderBy(responses.id)
      .limit(batchSize);
    if (batch.length === 0) break;
    await db.transaction(async (tx) => {
      for (const row of batch) {
        const scored = scoreAnswers(createSurveyModel(row.model), row.data as Record<string, unknown>);
        answerCount += (await writeAnswers(tx, row.id, scored)).length;
      }
    });
    responseCount += batch.length;
    after = batch[batch.length - 1]!.id;
  }
  return { responses: responseCount, answers: answerCount };
}

/**
 * One click on the 0–10 scale inside an invitation email: records that answer as if the
 * customer had clicked it on the page (validated and scored like any autosave), keeping
 * whatever else they already answered. The survey then opens with it filled in.
 */
export async function recordEmailScaleAnswer(
  db: Database,
  found: FoundInvitation,
  input: { question: string; value: number },
): Promise<AnswerOutcome> {
  const current = await responseForInvitation(db, found.invitation.id);
  const data = {
    ...((current?.data as Record<string, unknown> | undefined) ?? {}),
    [input.question]: input.value,
  };
  return saveProgress(db, found, {
    data,
    currentPage: current?.currentPage ?? 0,
    sequence: (current?.saveSequence ?? 0) + 1,
  });
}
