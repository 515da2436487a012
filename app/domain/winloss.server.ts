/**
 * The win/loss queries (DESIGN.md, "Win/loss"; docs/winloss.md). The page reads the closed deals
 * of one window on the accounts in scope — the viewer's access (visibleAccounts, the same rule as
 * everywhere) and the filters — and the completed buyer responses linked to them, one statement
 * each (run side by side); the measures are then added up by the pure code in winloss.ts. Only the
 * answers to reason questions travel from the database for the figures; the free-text answers are
 * searched and paged in SQL.
 */
import { and, asc, count, desc, eq, gte, inArray, isNotNull, lte, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import {
  accounts,
  contacts,
  opportunities,
  responses,
  surveyDefinitions,
  surveyVersions,
  users,
} from "../../db/schema";
import type { Database } from "../lib/db.server";
import { visibleAccounts, type Viewer } from "./accounts.server";
import type { DecisionReason } from "./dimensions";
import { verbatimQuestions } from "./survey-verbatims";
import {
  agreementOf,
  closeDateWindow,
  compareDeal,
  competitorTable,
  DEAL_PAGE_SIZE,
  dealInView,
  DEAL_VIEWS,
  likePattern,
  outcomeSummary,
  priceAttributionGap,
  rankReasons,
  reasonQuestions,
  reasonsFromAnswers,
  sellerAgreement,
  sellerReasonSet,
  windowMonthsList,
  winRateByMonth,
  WINLOSS_OUTCOMES,
  WINLOSS_VERBATIM_PAGE_SIZE,
  type BuyerResponseReasons,
  type ComparedDeal,
  type DealComparison,
  type DealView,
  type ReasonQuestion,
  type ReasonSet,
  type WinlossOutcome,
} from "./winloss";
import type { WinlossQuery } from "./winloss-query.server";

/** `limit: null` reads every row (CSV downloads). */
type Paging = { limit: number | null; offset?: number };

// ─── Scope ────────────────────────────────────────────────────────────────────

/** Closed deals in the window on the accounts the viewer may see, narrowed by the filters (needs `accounts` joined). */
function dealScope(db: Database, viewer: Viewer, query: WinlossQuery, now: Date): SQL {
  const { from, to } = closeDateWindow(now, query.window);
  return and(
    inArray(opportunities.outcome, query.outcome ? [query.outcome] : [...WINLOSS_OUTCOMES]),
    gte(opportunities.closeDate, from),
    lte(opportunities.closeDate, to),
    query.seller ? eq(opportunities.sellerId, query.seller) : undefined,
    visibleAccounts(viewer, db),
    query.segment ? eq(accounts.segment, query.segment) : undefined,
    query.region ? eq(accounts.region, query.region) : undefined,
    query.tier ? eq(accounts.tier, query.tier) : undefined,
    query.owner ? eq(accounts.ownerId, query.owner) : undefined,
  )!;
}

const completed = and(eq(responses.isComplete, true), isNotNull(responses.completedAt));

// ─── Survey versions: which answers are reasons, which are the buyer's words ───

interface VersionInfo {
  reasonQuestions: ReasonQuestion[];
  /** Verbatim answer keys → question titles, in survey order. */
  verbatims: Record<string, string>;
}
type Versions = Map<string, VersionInfo>;

// A version's definition never changes (a new definition is a new version), so what it says is read once.
const versionInfoCache = new Map<string, VersionInfo>();

/** What the given survey versions (default: all of them) ask, from the cache or their models. */
async function versionInfo(db: Database, companyName: string, versionIds?: string[]): Promise<Versions> {
  const ids =
    versionIds ?? (await db.select({ id: surveyVersions.id }).from(surveyVersions)).map((v) => v.id);
  const key = (id: string) => `${id}\u0000${companyName}`;
  const unread = ids.filter((id) => !versionInfoCache.has(key(id)));
  if (unread.length > 0) {
    const rows = await db
      .select({ id: surveyVersions.id, model: surveyVersions.model })
      .from(surveyVersions)
      .where(inArray(surveyVersions.id, unread));
    for (const row of rows) {
      versionInfoCache.set(key(row.id), {
        reasonQuestions: reasonQuestions(row.model),
        verbatims: verbatimQuestions(row.model, { company: companyName, contact: "they" }),
      });
    }
  }
  return new Map(
    ids.flatMap((id) => {
      const info = versionInfoCache.get(key(id));
      return info ? [[id, info] as const] : [];
    }),
  );
}

// ─── The deals and the buyer's reasons ────────────────────────────────────────

export interface WinlossDeal extends ComparedDeal {
  name: string;
  accountId: string;
  accountName: string;
  amountCents: number;
  /** Completed buyer responses linked to the deal, whether or not they name a reason. */
  buyerResponses: number;
}

/**
 * Every closed deal in scope with its comparison, newest close first, and how many completed
 * buyer responses are linked to them. Two statements side by side whatever the number of deals:
 * the deals, and their responses with only the answers to reason questions (a response's free
 * text can be long, and is not needed for the figures).
 */
export async function loadComparedDeals(
  db: Database,
  viewer: Viewer,
  query: WinlossQuery,
  options: { now: Date; companyName: string; versions?: Promise<Versions> },
): Promise<{ deals: WinlossDeal[]; buyerResponses: number }> {
  const versions = await (options.versions ?? versionInfo(db, options.companyName));
  const reasonNames = [
    ...new Set([...versions.values()].flatMap((v) => v.reasonQuestions.map((q) => q.name))),
  ];
  // {"primary_reason": data -> 'primary_reason', …}; `->` on a response whose data is no object is null
  const reasonAnswers =
    reasonNames.length === 0
      ? sql<Record<string, unknown>>`'{}'::jsonb`
      : sql<Record<string, unknown>>`jsonb_build_object(${sql.join(
          reasonNames.map((name) => sql`${name}::text, ${responses.data} -> ${name}::text`),
          sql`, `,
        )})`;
  const scope = dealScope(db, viewer, query, options.now);
  const [dealRows, responseRows] = await Promise.all([
    db
      .select({
        id: opportunities.id,
        name: opportunities.name,
        accountId: opportunities.accountId,
        accountName: accounts.name,
        amountCents: opportunities.amountCents,
        outcome: opportunities.outcome,
        closeDate: opportunities.closeDate,
        competitor: opportunities.competitor,
        sellerId: opportunities.sellerId,
        sellerName: users.name,
        sellerPrimaryReason: opportunities.sellerPrimaryReason,
        sellerSecondaryReasons: opportunities.sellerSecondaryReasons,
      })
      .from(opportunities)
      .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
      .leftJoin(users, eq(users.id, opportunities.sellerId))
      .where(scope)
      .orderBy(desc(opportunities.closeDate), asc(sql`lower(${opportunities.name})`), asc(opportunities.id)),
    db
      .select({
        id: responses.id,
        opportunityId: responses.opportunityId,
        contactId: responses.contactId,
        completedAt: responses.completedAt,
        surveyVersionId: responses.surveyVersionId,
        answers: reasonAnswers,
      })
      .from(responses)
      .where(
        and(
          inArray(
            responses.opportunityId,
            db
              .select({ id: opportunities.id })
              .from(opportunities)
              .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
              .where(scope),
          ),
          completed,
        ),
      ),
  ]);

  const byDeal = new Map<string, BuyerResponseReasons[]>();
  for (const row of responseRows) {
    const questions = versions.get(row.surveyVersionId)?.reasonQuestions ?? [];
    const list = byDeal.get(row.opportunityId!) ?? [];
    list.push({
      responseId: row.id,
      contactId: row.contactId,
      completedAt: row.completedAt!,
      reasons: reasonsFromAnswers(questions, row.answers ?? {}),
    });
    byDeal.set(row.opportunityId!, list);
  }
  return {
    buyerResponses: responseRows.length,
    deals: dealRows.map(({ sellerPrimaryReason, sellerSecondaryReasons, ...deal }) => ({
      ...deal,
      outcome: deal.outcome as WinlossOutcome,
      closeDate: deal.closeDate!,
      buyerResponses: byDeal.get(deal.id)?.length ?? 0,
      comparison: compareDeal(
        sellerReasonSet(sellerPrimaryReason, sellerSecondaryReasons),
        byDeal.get(deal.id) ?? [],
      ),
    })),
  };
}

/** One row of the seller-vs-buyer table. */
export interface DealRow {
  id: string;
  name: string;
  accountId: string;
  accountName: string;
  closeDate: string;
  outcome: WinlossOutcome;
  amountCents: number;
  competitor: string | null;
  sellerName: string | null;
  sellerPrimary: DecisionReason | null;
  sellerSecondary: DecisionReason[];
  buyerPrimary: DecisionReason | null;
  buyerSecondary: DecisionReason[];
  /** Completed buyer responses on the deal. */
  buyerResponses: number;
  /** Respondents whose reasons count (see buyerView). */
  buyerRespondents: number;
  bothSides: boolean;
  primaryAgrees: boolean | null;
  anyOverlap: boolean | null;
  priceGap: boolean | null;
}

function dealRow(deal: WinlossDeal): DealRow {
  const { seller, buyer } = deal.comparison;
  return {
    id: deal.id,
    name: deal.name,
    accountId: deal.accountId,
    accountName: deal.accountName,
    closeDate: deal.closeDate,
    outcome: deal.outcome,
    amountCents: deal.amountCents,
    competitor: deal.competitor,
    sellerName: deal.sellerName,
    sellerPrimary: seller?.primary ?? null,
    sellerSecondary: seller?.secondary ?? [],
    buyerPrimary: buyer?.primary ?? null,
    buyerSecondary: buyer?.secondary ?? [],
    buyerResponses: deal.buyerResponses,
    buyerRespondents: buyer?.respondents ?? 0,
    bothSides: deal.comparison.bothSides,
    primaryAgrees: deal.comparison.primaryAgrees,
    anyOverlap: deal.comparison.anyOverlap,
    priceGap: deal.comparison.priceGap,
  };
}

/** The deals of one view of the table, and how many each view holds (for its tabs). */
export function dealTable(deals: WinlossDeal[], view: DealView, paging: Paging) {
  const inView = deals.filter((deal) => dealInView(deal.comparison, view));
  const offset = paging.offset ?? 0;
  const page = paging.limit === null ? inView : inView.slice(offset, offset + paging.limit);
  return {
    rows: page.map(dealRow),
    total: inView.length,
    viewCounts: Object.fromEntries(
      DEAL_VIEWS.map((v) => [v, deals.filter((deal) => dealInView(deal.comparison, v)).length]),
    ) as Record<DealView, number>,
  };
}

/** The headline figures of the deals in scope. */
export function winlossSummary(deals: WinlossDeal[], buyerResponses: number) {
  return {
    ...outcomeSummary(deals),
    withBuyer: deals.filter((deal) => deal.comparison.buyer !== null).length,
    bothSides: deals.filter((deal) => deal.comparison.bothSides).length,
    buyerResponses,
    priceGap: priceAttributionGap(deals),
    agreement: agreementOf(deals),
  };
}
export type WinlossSummary = ReturnType<typeof winlossSummary>;

// ─── The buyer's words ────────────────────────────────────────────────────────

export interface WinlossVerbatim {
  responseId: string;
  opportunityId: string;
  dealName: string;
  outcome: WinlossOutcome;
  accountId: string;
  accountName: string;
  contactId: string | null;
  contactName: string | null;
  source: "email" | "link" | "interview";
  completedAt: Date;
  survey: string;
  question: string;
  title: string;
  text: string;
}

/**
 * The buyers' free-text answers on the deals in scope, newest first; `q` narrows them to answers
 * containing it (case-insensitive, taken literally, sent as a parameter). Interviewer-only notes
 * are not the buyer's words and are left out. One statement for a page and its total.
 */
export async function searchWinlossVerbatims(
  db: Database,
  viewer: Viewer,
  query: WinlossQuery,
  options: { now: Date; companyName: string; versions?: Promise<Versions> } & Paging,
): Promise<{ rows: WinlossVerbatim[]; total: number }> {
  const versions = await (options.versions ?? versionInfo(db, options.companyName));
  const keys = Object.fromEntries(
    [...versions].flatMap(([id, info]) => {
      const names = Object.keys(info.verbatims);
      return names.length > 0 ? [[id, names]] : [];
    }),
  );
  if (Object.keys(keys).length === 0) return { rows: [], total: 0 };
  const text = sql<string>`btrim(verbatim.text, E' \\t\\r\\n')`;
  const where = and(
    dealScope(db, viewer, query, options.now),
    completed,
    sql`jsonb_typeof(${responses.data}) = 'object'`,
    sql`jsonb_exists(${JSON.stringify(keys)}::jsonb -> ${responses.surveyVersionId}::text, verbatim.question)`,
    sql`${text} <> ''`,
    query.q ? sql`${text} ilike ${likePattern(query.q)}` : undefined,
  );
  const matching = () =>
    db
      .select({
        responseId: responses.id,
        opportunityId: opportunities.id,
        dealName: opportunities.name,
        outcome: opportunities.outcome,
        accountId: accounts.id,
        accountName: accounts.name,
        contactId: responses.contactId,
        contactName: contacts.name,
        source: responses.source,
        completedAt: responses.completedAt,
        surveyVersionId: responses.surveyVersionId,
        survey: surveyDefinitions.title,
        question: sql<string>`verbatim.question`,
        text,
        total: sql<number>`count(*) over ()`.mapWith(Number),
      })
      .from(responses)
      .innerJoin(opportunities, eq(opportunities.id, responses.opportunityId))
      .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
      .innerJoin(surveyVersions, eq(surveyVersions.id, responses.surveyVersionId))
      .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
      .leftJoin(contacts, eq(contacts.id, responses.contactId))
      .crossJoinLateral(sql`jsonb_each_text(${responses.data}) as verbatim(question, text)`)
      .where(where)
      .orderBy(desc(responses.completedAt), asc(responses.id), asc(sql`verbatim.question`));
  const found = await (options.limit === null
    ? matching()
    : matching()
        .limit(options.limit)
        .offset(options.offset ?? 0));
  // past the last page there is no row to carry the total: count on its own
  const total =
    found[0]?.total ??
    (options.offset ? ((await db.select({ n: count() }).from(matching().as("matching")))[0]?.n ?? 0) : 0);
  return {
    total,
    rows: found.map(({ surveyVersionId, total: _total, ...row }) => ({
      ...row,
      outcome: row.outcome as WinlossOutcome,
      completedAt: row.completedAt!,
      title: versions.get(surveyVersionId)?.verbatims[row.question] ?? row.question,
    })),
  };
}

// ─── Filter choices ───────────────────────────────────────────────────────────

/** The sellers of closed deals on the accounts the viewer may see, for the seller filter. */
export async function listWinlossSellers(db: Database, viewer: Viewer) {
  return db
    .selectDistinct({ id: users.id, name: users.name })
    .from(opportunities)
    .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
    .innerJoin(users, eq(users.id, opportunities.sellerId))
    .where(and(inArray(opportunities.outcome, [...WINLOSS_OUTCOMES]), visibleAccounts(viewer, db)))
    .orderBy(users.name, users.id);
}

// ─── All of it ────────────────────────────────────────────────────────────────

/** Every panel of the page for one request. */
export async function getWinloss(
  db: Database,
  viewer: Viewer,
  query: WinlossQuery,
  options: { now: Date; companyName: string },
) {
  const versions = versionInfo(db, options.companyName);
  const [{ deals, buyerResponses }, verbatims] = await Promise.all([
    loadComparedDeals(db, viewer, query, { ...options, versions }),
    searchWinlossVerbatims(db, viewer, query, {
      ...options,
      versions,
      limit: WINLOSS_VERBATIM_PAGE_SIZE,
      offset: (query.vpage - 1) * WINLOSS_VERBATIM_PAGE_SIZE,
    }),
  ]);
  return {
    summary: winlossSummary(deals, buyerResponses),
    trend: winRateByMonth(deals, windowMonthsList(options.now, query.window)),
    reasons: rankReasons(deals),
    competitors: competitorTable(deals),
    noCompetitorDeals: deals.filter((deal) => !deal.competitor?.trim()).length,
    deals: dealTable(deals, query.dshow, {
      limit: DEAL_PAGE_SIZE,
      offset: (query.dpage - 1) * DEAL_PAGE_SIZE,
    }),
    sellers: sellerAgreement(deals),
    verbatims,
  };
}
export type WinlossData = Awaited<ReturnType<typeof getWinloss>>;

// ─── One deal's page ──────────────────────────────────────────────────────────

export interface DealBuyerResponse {
  id: string;
  contactId: string | null;
  contactName: string | null;
  source: "email" | "link" | "interview";
  interviewerName: string | null;
  survey: string;
  completedAt: Date;
  reasons: ReasonSet;
  /** Whether the buyer view counts it (each respondent's latest response that names a reason). */
  counted: boolean;
  comments: { question: string; title: string; text: string }[];
}

/**
 * The win/loss comparison of one deal: the seller's sealed reasons beside the buyer's completed
 * responses (survey or interview), each with its reasons and the buyer's own words. Access is the
 * caller's to check (requireOpportunityAccess).
 */
export async function getDealWinloss(
  db: Database,
  opportunityId: string,
  options: { companyName: string },
): Promise<{ comparison: DealComparison; responses: DealBuyerResponse[] } | null> {
  const interviewers = alias(users, "interviewer");
  const [[deal], rows] = await Promise.all([
    db
      .select({
        primary: opportunities.sellerPrimaryReason,
        secondary: opportunities.sellerSecondaryReasons,
      })
      .from(opportunities)
      .where(eq(opportunities.id, opportunityId)),
    db
      .select({
        id: responses.id,
        contactId: responses.contactId,
        contactName: contacts.name,
        source: responses.source,
        interviewerName: interviewers.name,
        surveyVersionId: responses.surveyVersionId,
        survey: surveyDefinitions.title,
        completedAt: responses.completedAt,
        data: responses.data,
      })
      .from(responses)
      .innerJoin(surveyVersions, eq(surveyVersions.id, responses.surveyVersionId))
      .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
      .leftJoin(contacts, eq(contacts.id, responses.contactId))
      .leftJoin(interviewers, eq(interviewers.id, responses.interviewerId))
      .where(and(eq(responses.opportunityId, opportunityId), completed))
      .orderBy(desc(responses.completedAt), asc(responses.id))
      .limit(100),
  ]);
  if (!deal) return null;
  const versions = await versionInfo(db, options.companyName, [
    ...new Set(rows.map((r) => r.surveyVersionId)),
  ]);
  const answered = rows.map((row) => {
    const version = versions.get(row.surveyVersionId);
    const data =
      row.data && typeof row.data === "object" && !Array.isArray(row.data)
        ? (row.data as Record<string, unknown>)
        : {};
    const comments = Object.entries(version?.verbatims ?? {}).flatMap(([question, title]) => {
      const answer = data[question];
      return typeof answer === "string" && answer.trim() ? [{ question, title, text: answer.trim() }] : [];
    });
    return {
      row,
      survey: row.survey,
      comments,
      reasons: reasonsFromAnswers(version?.reasonQuestions ?? [], data),
    };
  });
  const comparison = compareDeal(
    sellerReasonSet(deal.primary, deal.secondary),
    answered.map(({ row, reasons }) => ({
      responseId: row.id,
      contactId: row.contactId,
      completedAt: row.completedAt!,
      reasons,
    })),
  );
  const counted = new Set(comparison.buyer?.responseIds ?? []);
  return {
    comparison,
    responses: answered.map(({ row, survey, comments, reasons }) => ({
      id: row.id,
      contactId: row.contactId,
      contactName: row.contactName,
      source: row.source,
      interviewerName: row.interviewerName,
      survey,
      completedAt: row.completedAt!,
      reasons,
      counted: counted.has(row.id),
      comments,
    })),
  };
}
