/**
 * One account's health, computed live from its rows (docs/health-model.md): the customer,
 * team and ledger views, the gap and quadrants, NPS, the trend and the flags — plus, for
 * every number, the rows it came from, so the account page can link each one to its source.
 * A single account's data is small, so this reads raw rows rather than the dashboard's
 * rollups: seven indexed queries side by side, then one for the survey models of the
 * responses that hold free text.
 *
 * Predictions still sealed to the viewer (a colleague's, with no customer answer since) are
 * left out of the team view: a number that moved when a colleague predicted would give the
 * prediction away before the customer speaks.
 */
import { and, asc, desc, eq, gte, inArray, isNotNull, sql } from "drizzle-orm";
import {
  accounts,
  answers,
  contacts,
  interactionContacts,
  interactions,
  invitations,
  predictions,
  predictionValues,
  responses,
  surveyDefinitions,
  surveyVersions,
  users,
} from "../../db/schema";
import type { Database } from "../lib/db.server";
import {
  collectVerbatims,
  customerSources,
  freeTextQuestions,
  teamSources,
  type FreeTextQuestion,
  type SourcedPredictionRow,
} from "./account-health";
import { HEALTH_DIMENSIONS, type HealthDimension } from "./dimensions";
import {
  computeAccountHealth,
  isWithinWindow,
  LEDGER_WEIGHTS,
  roleWeight,
  VIEW_WINDOW_MONTHS,
  windowStart,
  type BuyingRole,
  type CustomerAnswerRow,
  type LedgerInteractionRow,
} from "./health";
import { engagementDue } from "./keep-in-touch";
import { DEFAULT_TARGET_CADENCE_DAYS, isTwoWay } from "./ledger";
import { isPredictionVisibleTo, type CustomerAnswerFacts } from "./predictions";

/** At most this many verbatim comments are listed; the count says how many there are. */
export const VERBATIMS_SHOWN = 12;

export interface HealthViewer {
  id: string;
}

export interface CustomerSource {
  contactId: string | null;
  contactName: string | null;
  buyingRole: BuyingRole | null;
  /** How much this answer counts (ROLE_WEIGHTS). */
  weight: number;
  value: number;
  completedAt: Date;
  responseIds: string[];
}

export interface TeamSource {
  predictionId: string;
  authorId: string;
  authorName: string;
  contactName: string | null;
  value: number;
  madeAt: Date;
}

export interface KeyContactEngagement {
  contactId: string;
  name: string;
  buyingRole: "decision_maker" | "champion";
  lastTwoWayAt: Date | null;
  engaged: boolean;
}

export type AccountHealthDetail = NonNullable<Awaited<ReturnType<typeof getAccountHealth>>>;

export async function getAccountHealth(db: Database, accountId: string, viewer: HealthViewer, now: Date) {
  const from = windowStart(now, VIEW_WINDOW_MONTHS);
  const window = { now, windowMonths: VIEW_WINDOW_MONTHS };

  const [[account], contactRows, responseRows, answerRows, predictionRows, interactionRows, invitationRows] =
    await Promise.all([
      db
        .select({ targetCadenceDays: accounts.targetCadenceDays })
        .from(accounts)
        .where(eq(accounts.id, accountId)),
      db
        .select({
          id: contacts.id,
          name: contacts.name,
          email: contacts.email,
          buyingRole: contacts.buyingRole,
          optedOutAt: contacts.optedOutAt,
        })
        .from(contacts)
        .where(eq(contacts.accountId, accountId))
        .orderBy(asc(contacts.name), asc(contacts.id)),
      // every completed response (the last customer voice may predate the window); the raw
      // answers only for those in the window, where the verbatims come from
      db
        .select({
          id: responses.id,
          contactId: responses.contactId,
          completedAt: responses.completedAt,
          surveyVersionId: responses.surveyVersionId,
          campaignId: invitations.campaignId,
          data: sql<unknown>`case when ${gte(responses.completedAt, from)} then ${responses.data} end`.mapWith(
            responses.data,
          ),
        })
        .from(responses)
        .leftJoin(invitations, eq(invitations.id, responses.invitationId))
        .where(completedResponsesOf(accountId)),
      db
        .select({
          responseId: answers.responseId,
          contactId: responses.contactId,
          completedAt: responses.completedAt,
          dimension: answers.dimension,
          value: answers.value,
        })
        .from(answers)
        .innerJoin(responses, eq(responses.id, answers.responseId))
        .where(completedResponsesOf(accountId)),
      db
        .select({
          predictionId: predictions.id,
          authorId: predictions.authorId,
          authorName: users.name,
          contactId: predictions.contactId,
          campaignId: predictions.campaignId,
          madeAt: predictions.createdAt,
          dimension: predictionValues.dimension,
          value: predictionValues.value,
        })
        .from(predictions)
        .innerJoin(predictionValues, eq(predictionValues.predictionId, predictions.id))
        .innerJoin(users, eq(users.id, predictions.authorId))
        .where(eq(predictions.accountId, accountId)),
      db
        .select({
          id: interactions.id,
          kind: interactions.kind,
          occurredAt: interactions.occurredAt,
          engagementQuality: interactions.engagementQuality,
          equityEffect: interactions.equityEffect,
          equityWeight: interactions.equityWeight,
          commitmentStatus: interactions.commitmentStatus,
          commitmentResolvedAt: interactions.commitmentResolvedAt,
          // the customer's participants in the same query rather than one per interaction
          contactIds: sql<string[]>`coalesce((
            select json_agg(${interactionContacts.contactId})
            from ${interactionContacts}
            where ${interactionContacts.interactionId} = ${interactions.id}
          ), '[]'::json)`,
        })
        .from(interactions)
        .where(eq(interactions.accountId, accountId))
        .orderBy(desc(interactions.occurredAt), desc(interactions.id)),
      db
        .select({ sentAt: invitations.sentAt, status: invitations.status })
        .from(invitations)
        .innerJoin(contacts, eq(contacts.id, invitations.contactId))
        .where(eq(contacts.accountId, accountId)),
    ]);
  if (!account) return null;

  const contactById = new Map(contactRows.map((c) => [c.id, c]));
  const nameOf = (contactId: string | null) =>
    contactId ? (contactById.get(contactId)?.name ?? null) : null;

  // ─── The rows, in the shapes health.ts takes ───
  const customerAnswers: CustomerAnswerRow[] = answerRows.map((row) => ({
    contactId: row.contactId,
    buyingRole: row.contactId ? (contactById.get(row.contactId)?.buyingRole ?? null) : null,
    responseId: row.responseId,
    completedAt: row.completedAt!,
    dimension: row.dimension,
    value: row.value,
  }));
  const answerFacts: CustomerAnswerFacts[] = responseRows.map((r) => ({
    completedAt: r.completedAt!,
    campaignId: r.campaignId ?? null,
  }));
  const visible = predictionRows.filter((row) =>
    isPredictionVisibleTo(
      { authorId: row.authorId, createdAt: row.madeAt, campaignId: row.campaignId },
      viewer.id,
      answerFacts,
    ),
  );
  const visibleIds = new Set(visible.map((row) => row.predictionId));
  const sealedFromViewer = new Set(
    predictionRows
      .filter(
        (row) => isWithinWindow(row.madeAt, now, VIEW_WINDOW_MONTHS) && !visibleIds.has(row.predictionId),
      )
      .map((row) => row.predictionId),
  ).size;
  const teamRows: (SourcedPredictionRow & { authorName: string })[] = visible.map((row) => ({
    predictionId: row.predictionId,
    authorId: row.authorId,
    authorName: row.authorName,
    contactId: row.contactId,
    madeAt: row.madeAt,
    dimension: row.dimension,
    value: row.value,
  }));
  const ledgerRows: (LedgerInteractionRow & { id: string })[] = interactionRows.map((row) => ({
    ...row,
    contactIds: Array.isArray(row.contactIds) ? row.contactIds : [],
  }));
  const keyContacts = contactRows.filter(
    (c): c is typeof c & { buyingRole: "decision_maker" | "champion" } =>
      (c.buyingRole === "decision_maker" || c.buyingRole === "champion") && c.optedOutAt === null,
  );
  const lastCustomerVoiceAt = responseRows.reduce<Date | null>(
    (last, r) => (r.completedAt! <= now && (!last || r.completedAt! > last) ? r.completedAt! : last),
    null,
  );

  const health = computeAccountHealth({
    now,
    windowMonths: VIEW_WINDOW_MONTHS,
    answers: customerAnswers,
    predictions: teamRows,
    interactions: ledgerRows,
    targetCadenceDays: account.targetCadenceDays,
    keyContactIds: keyContacts.map((c) => c.id),
    invitations: invitationRows,
    lastCustomerVoiceAt,
  });

  // ─── What each number rests on ───
  const customerBehind = customerSources(customerAnswers, window);
  const teamBehind = teamSources(teamRows, window);
  const sources = Object.fromEntries(
    HEALTH_DIMENSIONS.map((dimension) => [
      dimension,
      {
        customer: customerBehind[dimension].map((item): CustomerSource => ({
          contactId: item.contactId,
          contactName: nameOf(item.contactId),
          buyingRole: item.buyingRole,
          weight: roleWeight(item.buyingRole),
          value: item.value,
          completedAt: item.completedAt,
          responseIds: item.responseIds,
        })),
        team: teamBehind[dimension].map((row): TeamSource => ({
          predictionId: row.predictionId,
          authorId: row.authorId,
          authorName: row.authorName,
          contactName: nameOf(row.contactId),
          value: row.value,
          madeAt: row.madeAt,
        })),
      },
    ]),
  ) as Record<HealthDimension, { customer: CustomerSource[]; team: TeamSource[] }>;

  const cadence = account.targetCadenceDays > 0 ? account.targetCadenceDays : DEFAULT_TARGET_CADENCE_DAYS;
  const twoWayInWindow = ledgerRows.filter(
    (row) => isTwoWay(row.kind) && row.occurredAt >= from && row.occurredAt <= now,
  );
  const lastTwoWay = twoWayInWindow[0] ?? null; // newest first, by the query's order
  const keyContactEngagement = keyContacts.map((contact): KeyContactEngagement => {
    const last = twoWayInWindow.find((row) => row.contactIds.includes(contact.id))?.occurredAt ?? null;
    return {
      contactId: contact.id,
      name: contact.name,
      buyingRole: contact.buyingRole,
      lastTwoWayAt: last,
      engaged: !engagementDue(last, cadence, now).overdue,
    };
  });

  // ─── The customers' own words ───
  const inWindow = responseRows.filter((r) => isWithinWindow(r.completedAt!, now, VIEW_WINDOW_MONTHS));
  const versionIds = [...new Set(inWindow.map((r) => r.surveyVersionId))];
  const versions =
    versionIds.length === 0
      ? []
      : await db
          .select({ id: surveyVersions.id, model: surveyVersions.model, title: surveyDefinitions.title })
          .from(surveyVersions)
          .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
          .where(inArray(surveyVersions.id, versionIds));
  const questionsByVersion = new Map<string, FreeTextQuestion[]>(
    versions.map((v) => [v.id, freeTextQuestions(v.model)]),
  );
  const surveyTitleOf = new Map(versions.map((v) => [v.id, v.title]));
  const versionOfResponse = new Map(inWindow.map((r) => [r.id, r.surveyVersionId]));
  const verbatims = collectVerbatims(
    inWindow.map((r) => ({
      responseId: r.id,
      contactId: r.contactId,
      completedAt: r.completedAt!,
      surveyVersionId: r.surveyVersionId,
      data: r.data,
    })),
    questionsByVersion,
  ).map((v) => ({
    ...v,
    contactName: nameOf(v.contactId),
    surveyTitle: surveyTitleOf.get(versionOfResponse.get(v.responseId) ?? "") ?? "Survey",
  }));

  const customerEmpty = HEALTH_DIMENSIONS.every((d) => health.customer.dimensions[d].value === null);
  const teamEmpty = HEALTH_DIMENSIONS.every((d) => health.team.dimensions[d].value === null);
  return {
    windowStart: from,
    windowMonths: VIEW_WINDOW_MONTHS,
    ledgerWeights: LEDGER_WEIGHTS,
    ...health,
    sources,
    keyContacts: keyContactEngagement,
    trend: {
      ...health.trend,
      contacts: health.trend.contacts.map((c) => ({ ...c, contactName: nameOf(c.contactId) })),
    },
    lastTwoWay: lastTwoWay ? { kind: lastTwoWay.kind, occurredAt: lastTwoWay.occurredAt } : null,
    lastCustomerVoiceAt,
    verbatims: verbatims.slice(0, VERBATIMS_SHOWN),
    verbatimCount: verbatims.length,
    /** Predictions in the window the viewer may not see yet, so not counted. */
    sealedFromViewer,
    empty: { customer: customerEmpty, team: teamEmpty, ledger: health.ledger.facts.interactions === 0 },
    /** Whom to ask first when the customer has said nothing: a key contact who can still be surveyed. */
    surveyTarget: surveyTarget(contactRows),
  };
}

const completedResponsesOf = (accountId: string) =>
  and(eq(responses.accountId, accountId), eq(responses.isComplete, true), isNotNull(responses.completedAt));

const ROLE_ORDER: Record<BuyingRole, number> = { decision_maker: 0, champion: 1, influencer: 2, user: 3 };

function surveyTarget(
  rows: readonly {
    id: string;
    name: string;
    email: string | null;
    buyingRole: BuyingRole;
    optedOutAt: Date | null;
  }[],
): { contactId: string; name: string } | null {
  const reachable = rows
    .filter((c) => c.optedOutAt === null && c.email)
    .sort((a, b) => ROLE_ORDER[a.buyingRole] - ROLE_ORDER[b.buyingRole]);
  const first = reachable[0];
  return first ? { contactId: first.id, name: first.name } : null;
}
