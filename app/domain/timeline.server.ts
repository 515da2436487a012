/**
 * An account's timeline: one newest-first list of everything that happened with the
 * customer — logged interactions, completed survey responses, the team's predictions,
 * opportunities (created, closed) and Customer 9-1-1 cases (opened, resolved).
 *
 * Each source is read with one query that returns only the newest `page × pageSize` events
 * (enough to fill the requested page whatever the other sources hold) plus its total
 * count via `count(*) over ()`; the five lists are merged in memory. Predictions are the
 * exception: they are filtered by the sealing rule in app/domain/predictions.ts, which needs
 * every prediction's facts, and an account has few.
 */
import { and, desc, eq, gt, inArray, isNotNull, sql } from "drizzle-orm";
import {
  answers,
  cases,
  contacts,
  interactionContacts,
  interactions,
  invitations,
  opportunities,
  predictions,
  predictionValues,
  responses,
  surveyDefinitions,
  surveyVersions,
  users,
  type HealthDimension,
} from "../../db/schema";
import type { Database } from "../lib/db.server";
import { HEALTH_DIMENSIONS } from "./dimensions";
import type { CommitmentStatus, EquityEffect, InteractionKind } from "./ledger";
import { customerHasAnswered, isPredictionVisibleTo, type CustomerAnswerFacts } from "./predictions";

export const TIMELINE_KINDS = ["interaction", "response", "prediction", "opportunity", "case"] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];
export const TIMELINE_FILTERS = ["all", ...TIMELINE_KINDS] as const;
export type TimelineFilter = (typeof TIMELINE_FILTERS)[number];

export const TIMELINE_PAGE_SIZE = 25;
/** Deep pages read page × 25 rows per source; 400 pages (10,000 events) is plenty for a person. */
export const TIMELINE_MAX_PAGE = 400;

interface TimelineBase {
  /** Unique within a timeline (an opportunity yields two events with one id). */
  key: string;
  id: string;
  at: Date;
}

export type TimelineItem =
  | (TimelineBase & {
      kind: "interaction";
      interactionKind: InteractionKind;
      summary: string;
      authorName: string | null;
      engagementQuality: number | null;
      equityEffect: EquityEffect;
      equityWeight: number;
      dueOn: string | null;
      commitmentStatus: CommitmentStatus | null;
      contacts: { id: string; name: string }[];
    })
  | (TimelineBase & {
      kind: "response";
      surveyTitle: string;
      surveyKind: string;
      source: "email" | "link" | "interview";
      contactId: string | null;
      contactName: string | null;
      interviewerName: string | null;
    })
  | (TimelineBase & {
      kind: "prediction";
      authorId: string;
      authorName: string;
      contactId: string | null;
      contactName: string | null;
      /** The campaign whose answers it predicts; null: the account's next customer answer. */
      campaignId: string | null;
      note: string | null;
      /** Only its author can see it yet: no customer answer has arrived since it was made. */
      sealed: boolean;
      /** Per dimension the team predicted: the prediction and the customer's latest answer to it (null: not yet). */
      comparison: { dimension: HealthDimension; predicted: number; customer: number | null }[];
    })
  | (TimelineBase & {
      kind: "opportunity";
      event: "created" | "closed";
      name: string;
      amountCents: number;
      outcome: "open" | "won" | "lost" | "no_decision";
      competitor: string | null;
    })
  | (TimelineBase & {
      kind: "case";
      event: "opened" | "resolved";
      summary: string;
      severity: "medium" | "high" | "critical";
      trigger: string;
      status: "open" | "acknowledged" | "resolved";
      resolutionNote: string | null;
    });

export interface AccountTimeline {
  items: TimelineItem[];
  total: number;
  page: number;
  pageSize: number;
  kind: TimelineFilter;
}

/** `count(*) over ()` counts every matching row before LIMIT, so one query gives a page and its total. */
const totalRows = () => sql<number>`count(*) over ()`.mapWith(Number);

const KIND_ORDER: Record<TimelineKind, number> = {
  case: 0,
  opportunity: 1,
  prediction: 2,
  response: 3,
  interaction: 4,
};

/** Newest first; ties break the same way every time so a page boundary never repeats or drops an event. */
function newestFirst(a: TimelineItem, b: TimelineItem): number {
  return (
    b.at.getTime() - a.at.getTime() ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    (a.key < b.key ? 1 : a.key > b.key ? -1 : 0)
  );
}

export async function getAccountTimeline(
  db: Database,
  accountId: string,
  viewerId: string,
  options: { kind?: TimelineFilter; page?: number } = {},
): Promise<AccountTimeline> {
  const kind = options.kind ?? "all";
  const page = Math.min(TIMELINE_MAX_PAGE, Math.max(1, Math.trunc(options.page ?? 1) || 1));
  const limit = page * TIMELINE_PAGE_SIZE;
  const wants = (source: TimelineKind) => kind === "all" || kind === source;

  const none = Promise.resolve({ items: [] as TimelineItem[], total: 0 });
  const sources = await Promise.all([
    wants("interaction") ? interactionEvents(db, accountId, limit) : none,
    wants("response") ? responseEvents(db, accountId, limit) : none,
    wants("prediction") ? predictionEvents(db, accountId, viewerId, limit) : none,
    wants("opportunity") ? opportunityEvents(db, accountId, limit) : none,
    wants("case") ? caseEvents(db, accountId, limit) : none,
  ]);
  const merged = sources.flatMap((s) => s.items).sort(newestFirst);
  const items = merged.slice((page - 1) * TIMELINE_PAGE_SIZE, limit);
  await attachPredictionComparisons(db, accountId, items);
  return {
    items,
    total: sources.reduce((sum, s) => sum + s.total, 0),
    page,
    pageSize: TIMELINE_PAGE_SIZE,
    kind,
  };
}

// ─── Sources ──────────────────────────────────────────────────────────────────

async function interactionEvents(db: Database, accountId: string, limit: number) {
  const rows = await db
    .select({
      id: interactions.id,
      interactionKind: interactions.kind,
      at: interactions.occurredAt,
      summary: interactions.summary,
      authorName: users.name,
      engagementQuality: interactions.engagementQuality,
      equityEffect: interactions.equityEffect,
      equityWeight: interactions.equityWeight,
      dueOn: interactions.dueOn,
      commitmentStatus: interactions.commitmentStatus,
      // the customer's participants, in the same query rather than one per interaction
      contacts: sql<{ id: string; name: string }[]>`coalesce((
        select json_agg(json_build_object('id', ${contacts.id}, 'name', ${contacts.name}) order by ${contacts.name})
        from ${interactionContacts}
        inner join ${contacts} on ${contacts.id} = ${interactionContacts.contactId}
        where ${interactionContacts.interactionId} = ${interactions.id}
      ), '[]'::json)`,
      total: totalRows(),
    })
    .from(interactions)
    .leftJoin(users, eq(users.id, interactions.authorId))
    .where(eq(interactions.accountId, accountId))
    .orderBy(desc(interactions.occurredAt), desc(interactions.id))
    .limit(limit);
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map(({ total: _total, ...row }): TimelineItem => ({
      ...row,
      kind: "interaction",
      key: `interaction:${row.id}`,
    })),
  };
}

/** A response counts once the customer finished it; partial answers are not the customer's voice yet. */
const completedResponsesOf = (accountId: string) =>
  and(eq(responses.accountId, accountId), eq(responses.isComplete, true), isNotNull(responses.completedAt));

async function responseEvents(db: Database, accountId: string, limit: number) {
  const rows = await db
    .select({
      id: responses.id,
      at: responses.completedAt,
      source: responses.source,
      surveyTitle: surveyDefinitions.title,
      surveyKind: surveyDefinitions.kind,
      contactId: responses.contactId,
      contactName: contacts.name,
      interviewerName: users.name,
      total: totalRows(),
    })
    .from(responses)
    .innerJoin(surveyVersions, eq(surveyVersions.id, responses.surveyVersionId))
    .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
    .leftJoin(contacts, eq(contacts.id, responses.contactId))
    .leftJoin(users, eq(users.id, responses.interviewerId))
    .where(completedResponsesOf(accountId))
    .orderBy(desc(responses.completedAt), desc(responses.id))
    .limit(limit);
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map(({ total: _total, at, ...row }): TimelineItem => ({
      ...row,
      // completedAt is not null by the where clause
      at: at!,
      kind: "response",
      key: `response:${row.id}`,
    })),
  };
}

/**
 * The sealing rule needs the account's completed answers as {completedAt, campaignId}: the
 * campaign is the invitation's (a link or interview without a campaign answers "the next
 * customer answer" only).
 */
async function customerAnswerFacts(db: Database, accountId: string): Promise<CustomerAnswerFacts[]> {
  const rows = await db
    .select({ completedAt: responses.completedAt, campaignId: invitations.campaignId })
    .from(responses)
    .leftJoin(invitations, eq(invitations.id, responses.invitationId))
    .where(completedResponsesOf(accountId));
  return rows.map((r) => ({ completedAt: r.completedAt!, campaignId: r.campaignId ?? null }));
}

async function predictionEvents(db: Database, accountId: string, viewerId: string, limit: number) {
  const [rows, answered] = await Promise.all([
    db
      .select({
        id: predictions.id,
        at: predictions.createdAt,
        authorId: predictions.authorId,
        authorName: users.name,
        contactId: predictions.contactId,
        contactName: contacts.name,
        campaignId: predictions.campaignId,
        note: predictions.note,
      })
      .from(predictions)
      .innerJoin(users, eq(users.id, predictions.authorId))
      .leftJoin(contacts, eq(contacts.id, predictions.contactId))
      .where(eq(predictions.accountId, accountId))
      .orderBy(desc(predictions.createdAt), desc(predictions.id)),
    customerAnswerFacts(db, accountId),
  ]);
  const visible = rows.filter((row) =>
    isPredictionVisibleTo(
      { authorId: row.authorId, createdAt: row.at, campaignId: row.campaignId },
      viewerId,
      answered,
    ),
  );
  return {
    // hidden predictions are not counted either: a total that moved would give them away
    total: visible.length,
    items: visible.slice(0, limit).map((row): TimelineItem => ({
      ...row,
      kind: "prediction",
      key: `prediction:${row.id}`,
      sealed: !customerHasAnswered(
        { authorId: row.authorId, createdAt: row.at, campaignId: row.campaignId },
        answered,
      ),
      comparison: [],
    })),
  };
}

async function opportunityEvents(db: Database, accountId: string, limit: number) {
  // The newest `limit` events lie within the `limit` opportunities whose latest event is newest.
  const latestEvent = sql`coalesce(${opportunities.closedAt}, ${opportunities.createdAt})`;
  const rows = await db
    .select({
      id: opportunities.id,
      name: opportunities.name,
      amountCents: opportunities.amountCents,
      outcome: opportunities.outcome,
      competitor: opportunities.competitor,
      createdAt: opportunities.createdAt,
      closedAt: opportunities.closedAt,
      total: sql<number>`sum(case when ${opportunities.closedAt} is null then 1 else 2 end) over ()`.mapWith(
        Number,
      ),
    })
    .from(opportunities)
    .where(eq(opportunities.accountId, accountId))
    .orderBy(desc(sql`greatest(${latestEvent}, ${opportunities.createdAt})`), desc(opportunities.id))
    .limit(limit);
  const items: TimelineItem[] = [];
  for (const { total: _total, createdAt, closedAt, ...row } of rows) {
    items.push({
      ...row,
      kind: "opportunity",
      event: "created",
      at: createdAt,
      key: `opportunity:created:${row.id}`,
    });
    if (closedAt) {
      items.push({
        ...row,
        kind: "opportunity",
        event: "closed",
        at: closedAt,
        key: `opportunity:closed:${row.id}`,
      });
    }
  }
  return { total: rows[0]?.total ?? 0, items };
}

async function caseEvents(db: Database, accountId: string, limit: number) {
  const rows = await db
    .select({
      id: cases.id,
      summary: cases.summary,
      severity: cases.severity,
      trigger: cases.trigger,
      status: cases.status,
      resolutionNote: cases.resolutionNote,
      openedAt: cases.openedAt,
      resolvedAt: cases.resolvedAt,
      total: sql<number>`sum(case when ${cases.resolvedAt} is null then 1 else 2 end) over ()`.mapWith(
        Number,
      ),
    })
    .from(cases)
    .where(eq(cases.accountId, accountId))
    .orderBy(
      desc(sql`greatest(${cases.openedAt}, coalesce(${cases.resolvedAt}, ${cases.openedAt}))`),
      desc(cases.id),
    )
    .limit(limit);
  const items: TimelineItem[] = [];
  for (const { total: _total, openedAt, resolvedAt, ...row } of rows) {
    items.push({ ...row, kind: "case", event: "opened", at: openedAt, key: `case:opened:${row.id}` });
    if (resolvedAt) {
      items.push({ ...row, kind: "case", event: "resolved", at: resolvedAt, key: `case:resolved:${row.id}` });
    }
  }
  return { total: rows[0]?.total ?? 0, items };
}

// ─── The mirror: predicted next to said ──────────────────────────────────────

/**
 * Fills `comparison` on the predictions of this page only: their predicted values, and per
 * dimension the customer's latest answer among the responses the prediction predicts (made
 * after it, to its campaign if it names one, from its contact if it names one). A response
 * with several questions on one dimension counts as their mean.
 */
async function attachPredictionComparisons(db: Database, accountId: string, items: TimelineItem[]) {
  const shown = items.filter(
    (item): item is Extract<TimelineItem, { kind: "prediction" }> => item.kind === "prediction",
  );
  if (shown.length === 0) return;
  const answeredOnes = shown.filter((p) => !p.sealed);
  const earliest = answeredOnes.reduce<Date | null>((min, p) => (!min || p.at < min ? p.at : min), null);
  const [values, customerAnswers] = await Promise.all([
    db
      .select({
        predictionId: predictionValues.predictionId,
        dimension: predictionValues.dimension,
        value: predictionValues.value,
      })
      .from(predictionValues)
      .where(
        inArray(
          predictionValues.predictionId,
          shown.map((p) => p.id),
        ),
      ),
    earliest
      ? db
          .select({
            responseId: responses.id,
            completedAt: responses.completedAt,
            contactId: responses.contactId,
            campaignId: invitations.campaignId,
            dimension: answers.dimension,
            value: sql<number>`avg(${answers.value})`.mapWith(Number),
          })
          .from(answers)
          .innerJoin(responses, eq(responses.id, answers.responseId))
          .leftJoin(invitations, eq(invitations.id, responses.invitationId))
          .where(and(completedResponsesOf(accountId), gt(responses.completedAt, earliest)))
          .groupBy(
            responses.id,
            responses.completedAt,
            responses.contactId,
            invitations.campaignId,
            answers.dimension,
          )
      : Promise.resolve([]),
  ]);

  for (const prediction of shown) {
    const predicted = values.filter((v) => v.predictionId === prediction.id);
    const relevant = prediction.sealed
      ? []
      : customerAnswers.filter(
          (a) =>
            a.completedAt! > prediction.at &&
            (prediction.campaignId === null || a.campaignId === prediction.campaignId) &&
            (prediction.contactId === null || a.contactId === prediction.contactId),
        );
    prediction.comparison = HEALTH_DIMENSIONS.flatMap((dimension) => {
      const mine = predicted.find((v) => v.dimension === dimension);
      if (!mine) return [];
      const latest = relevant
        .filter((a) => a.dimension === dimension)
        .reduce<(typeof relevant)[number] | null>(
          (best, a) => (!best || a.completedAt! > best.completedAt! ? a : best),
          null,
        );
      return [{ dimension, predicted: mine.value, customer: latest ? Math.round(latest.value) : null }];
    });
  }
}
