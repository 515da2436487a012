/**
 * The leadership dashboard's queries (DESIGN.md, "leadership"). Every panel but two reads the
 * health rollups (account_health, account_dimension_health, health_monthly) of one window;
 * the closed-loop case metrics aggregate `cases`, and the verbatim search reads
 * `response_verbatims`, the rollup of the customer's free-text answers. Which accounts count — the viewer's access and the
 * segment, region, tier and owner filters — is decided on `accounts` itself, so a reassigned
 * account leaves a manager's dashboard at once (docs/health-model.md, "Rollups").
 */
import {
  and,
  asc,
  count,
  desc,
  eq,
  gt,
  gte,
  ilike,
  inArray,
  exists,
  isNotNull,
  isNull,
  lte,
  sql,
  type SQL,
  type SQLWrapper,
} from "drizzle-orm";
import { alias, type PgColumn } from "drizzle-orm/pg-core";
import {
  accountDimensionHealth,
  accountHealth,
  accounts,
  cases,
  contacts,
  healthMonthly,
  responses,
  responseVerbatims,
  surveyDefinitions,
  surveyVersions,
  type HealthDimension,
} from "../../db/schema";
import type { Database } from "../lib/db.server";
import { visibleAccounts, type Viewer } from "./accounts.server";
import {
  containsPattern,
  HEATMAP_PAGE_SIZE,
  npsFromCounts,
  PANEL_ROWS,
  percent,
  trendMonths,
  verbatimQuestions,
  verbatimRange,
  VERBATIM_PAGE_SIZE,
  type QuadrantName,
} from "./dashboard";
import type { DashboardQuery } from "./dashboard-query.server";
import type { AccountFlag } from "./health";
import { monthsBefore } from "./keep-in-touch";

/** `limit: null` reads every row (CSV downloads). */
type Paging = { limit: number | null; offset?: number };

const toNumber = (value: string | number | null): number | null => (value === null ? null : Number(value));
const oneDecimal = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

/** The accounts the viewer may see that match the filters. */
function accountScope(db: Database, viewer: Viewer, query: DashboardQuery): SQL | undefined {
  return and(
    visibleAccounts(viewer, db),
    query.segment ? eq(accounts.segment, query.segment) : undefined,
    query.region ? eq(accounts.region, query.region) : undefined,
    query.tier ? eq(accounts.tier, query.tier) : undefined,
    query.owner ? eq(accounts.ownerId, query.owner) : undefined,
  );
}

/**
 * Rollup rows (by their `account_id`) of the accounts in scope, for queries that need nothing
 * else from `accounts`: a semi-join only when the viewer's access or a filter narrows them, so
 * a leader's unfiltered view reads the rollups alone.
 */
function inScope(db: Database, viewer: Viewer, query: DashboardQuery, accountId: PgColumn): SQL | undefined {
  const scope = accountScope(db, viewer, query);
  if (!scope) return undefined;
  return exists(
    db
      .select({ one: sql`1` })
      .from(accounts)
      .where(and(eq(accounts.id, accountId), scope)),
  );
}

/** One window's account rows in scope; with `accounts` joined (lists that show names). */
function healthScope(db: Database, viewer: Viewer, query: DashboardQuery) {
  return and(eq(accountHealth.windowMonths, query.window), accountScope(db, viewer, query));
}

/** One window's account rows in scope, without `accounts` joined (aggregates). */
function healthInScope(db: Database, viewer: Viewer, query: DashboardQuery) {
  return and(
    eq(accountHealth.windowMonths, query.window),
    inScope(db, viewer, query, accountHealth.accountId),
  );
}

/** The heat map's accounts: a gap on at least one dimension (both views), in the chosen quadrant if any. */
function onHeatmap(query: DashboardQuery) {
  return and(
    gt(accountHealth.gapDimensions, 0),
    query.quadrant ? eq(accountHealth.healthQuadrant, query.quadrant) : undefined,
  );
}

const SILENT = sql`${accountHealth.flags} @> '[{"flag":"silent"}]'::jsonb`;

async function countHealthRows(db: Database, where: SQL | undefined): Promise<number> {
  const [row] = await db.select({ n: count() }).from(accountHealth).where(where);
  return row?.n ?? 0;
}

const countWhere = (condition: SQL | undefined) =>
  sql<number>`count(*) filter (where ${condition ?? sql`true`})`.mapWith(Number);

const inQuadrant = (quadrant: QuadrantName) => countWhere(eq(accountHealth.healthQuadrant, quadrant));

function quadrantCounts(row: Partial<Record<QuadrantName | "noQuadrant", number>> | undefined) {
  return {
    blind_spot: row?.blind_spot ?? 0,
    undervalued: row?.undervalued ?? 0,
    agreed_strength: row?.agreed_strength ?? 0,
    agreed_weakness: row?.agreed_weakness ?? 0,
    none: row?.noQuadrant ?? 0,
  };
}

// ─── Headline figures ─────────────────────────────────────────────────────────

export async function getSummary(db: Database, viewer: Viewer, query: DashboardQuery) {
  const sumOf = (column: SQLWrapper) => sql<string | null>`sum(${column})`;
  const [row] = await db
    .select({
      accounts: count(),
      withCustomerVoice: count(accountHealth.customerHealth),
      customerHealth: sql<string | null>`avg(${accountHealth.customerHealth})`,
      teamHealth: sql<string | null>`avg(${accountHealth.teamHealth})`,
      ledgerScore: sql<string | null>`avg(${accountHealth.ledgerScore})`,
      promoters: sumOf(accountHealth.promoters),
      passives: sumOf(accountHealth.passives),
      detractors: sumOf(accountHealth.detractors),
      npsRespondents: sumOf(accountHealth.npsRespondents),
      silent: countWhere(SILENT),
      invitationsSent: sumOf(accountHealth.invitationsSent),
      invitationsCompleted: sumOf(accountHealth.invitationsCompleted),
      keyContacts: sumOf(accountHealth.keyContacts),
      keyContactsAsked: sumOf(accountHealth.keyContactsAsked),
      keyContactsHeard: sumOf(accountHealth.keyContactsHeard),
      computedAt: sql<Date | null>`min(${accountHealth.computedAt})`.mapWith(accountHealth.computedAt),
      // the other panels' totals, from the same rows
      heatmapAccounts: countWhere(onHeatmap(query)),
      blind_spot: inQuadrant("blind_spot"),
      undervalued: inQuadrant("undervalued"),
      agreed_strength: inQuadrant("agreed_strength"),
      agreed_weakness: inQuadrant("agreed_weakness"),
      noQuadrant: countWhere(isNull(accountHealth.healthQuadrant)),
    })
    .from(accountHealth)
    .where(healthInScope(db, viewer, query));
  const n = (value: string | null | undefined) => Number(value ?? 0);
  const promoters = n(row?.promoters);
  const detractors = n(row?.detractors);
  const npsRespondents = n(row?.npsRespondents);
  const sent = n(row?.invitationsSent);
  const completed = n(row?.invitationsCompleted);
  const keyContacts = n(row?.keyContacts);
  return {
    accounts: row?.accounts ?? 0,
    withCustomerVoice: row?.withCustomerVoice ?? 0,
    customerHealth: oneDecimal(toNumber(row?.customerHealth ?? null)),
    teamHealth: oneDecimal(toNumber(row?.teamHealth ?? null)),
    ledgerScore: oneDecimal(toNumber(row?.ledgerScore ?? null)),
    nps: npsFromCounts(promoters, detractors, npsRespondents),
    promoters,
    passives: n(row?.passives),
    detractors,
    npsRespondents,
    silent: row?.silent ?? 0,
    blindSpots: row?.blind_spot ?? 0,
    quadrants: quadrantCounts(row),
    heatmapAccounts: row?.heatmapAccounts ?? 0,
    invitationsSent: sent,
    invitationsCompleted: completed,
    responseRate: percent(completed, sent),
    keyContacts,
    keyContactsAsked: n(row?.keyContactsAsked),
    keyContactsHeard: n(row?.keyContactsHeard),
    coverage: percent(n(row?.keyContactsHeard), keyContacts),
    computedAt: row?.computedAt ?? null,
  };
}
export type DashboardSummary = Awaited<ReturnType<typeof getSummary>>;

// ─── NPS and health over time ─────────────────────────────────────────────────

export interface TrendPoint {
  /** YYYY-MM */
  month: string;
  accounts: number;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  npsRespondents: number;
  nps: number | null;
  /** Mean of the month's respondents' response health; null with none. */
  health: number | null;
  healthRespondents: number;
}

/** Month by month over the window (every month listed, empty ones with zeros), summed over the accounts in scope. */
export async function getTrend(
  db: Database,
  viewer: Viewer,
  query: DashboardQuery,
  now: Date,
): Promise<TrendPoint[]> {
  const months = trendMonths(now, query.window);
  const rows = await db
    .select({
      month: healthMonthly.month,
      accounts: count(),
      responses: sql<string>`sum(${healthMonthly.responses})`,
      promoters: sql<string>`sum(${healthMonthly.promoters})`,
      passives: sql<string>`sum(${healthMonthly.passives})`,
      detractors: sql<string>`sum(${healthMonthly.detractors})`,
      npsRespondents: sql<string>`sum(${healthMonthly.npsRespondents})`,
      healthSum: sql<string>`sum(${healthMonthly.healthSum})`,
      healthCount: sql<string>`sum(${healthMonthly.healthCount})`,
    })
    .from(healthMonthly)
    .where(and(gte(healthMonthly.month, months[0]!), inScope(db, viewer, query, healthMonthly.accountId)))
    .groupBy(healthMonthly.month);
  const byMonth = new Map(rows.map((row) => [row.month, row]));
  return months.map((month) => {
    const row = byMonth.get(month);
    const promoters = Number(row?.promoters ?? 0);
    const detractors = Number(row?.detractors ?? 0);
    const npsRespondents = Number(row?.npsRespondents ?? 0);
    const healthCount = Number(row?.healthCount ?? 0);
    return {
      month: month.slice(0, 7),
      accounts: row?.accounts ?? 0,
      responses: Number(row?.responses ?? 0),
      promoters,
      passives: Number(row?.passives ?? 0),
      detractors,
      npsRespondents,
      nps: npsFromCounts(promoters, detractors, npsRespondents),
      health: healthCount > 0 ? oneDecimal(Number(row!.healthSum) / healthCount) : null,
      healthRespondents: healthCount,
    };
  });
}

// ─── Quadrants ────────────────────────────────────────────────────────────────

/** Accounts by where their health gap puts them; `none`: no customer or no team view in the window. */
export async function getQuadrants(db: Database, viewer: Viewer, query: DashboardQuery) {
  return (await getSummary(db, viewer, query)).quadrants;
}
export type QuadrantCounts = ReturnType<typeof quadrantCounts>;

// ─── The gap heat map ─────────────────────────────────────────────────────────

export interface HeatmapCell {
  team: number | null;
  customer: number | null;
  gap: number | null;
  quadrant: QuadrantName | null;
  confidence: string;
}

export interface HeatmapRow {
  accountId: string;
  accountName: string;
  healthGap: number | null;
  healthQuadrant: QuadrantName | null;
  cells: Partial<Record<HealthDimension, HeatmapCell>>;
}

/**
 * Accounts with a gap on at least one dimension (both views present), each with its gap per
 * dimension, sorted by the chosen column (gaps missing last, then by name).
 */
export async function getHeatmap(
  db: Database,
  viewer: Viewer,
  query: DashboardQuery,
  paging: Paging = { limit: HEATMAP_PAGE_SIZE, offset: (query.hpage - 1) * HEATMAP_PAGE_SIZE },
  /** The summary's `heatmapAccounts`, when it counts them anyway. */
  knownTotal?: Promise<number>,
): Promise<{ rows: HeatmapRow[]; total: number }> {
  const d = accountDimensionHealth;
  const where = and(healthScope(db, viewer, query), onHeatmap(query));
  const byName = sql`lower(${accounts.name})`;
  const direction = query.hdir === "asc" ? sql`asc` : sql`desc`;
  // the chosen dimension's cell, joined only when sorting by one
  const sortCell = alias(d, "sort_cell");
  const sortsByDimension = query.hsort !== "name" && query.hsort !== "health";
  const order =
    query.hsort === "name"
      ? [sql`${byName} ${direction}`, asc(accounts.id)]
      : [
          sql`${sortsByDimension ? sortCell.gap : accountHealth.healthGap} ${direction} nulls last`,
          asc(byName),
          asc(accounts.id),
        ];
  const rowsInScope = db
    .select({
      accountId: accountHealth.accountId,
      accountName: accounts.name,
      healthGap: accountHealth.healthGap,
      healthQuadrant: accountHealth.healthQuadrant,
    })
    .from(accountHealth)
    .innerJoin(accounts, eq(accounts.id, accountHealth.accountId))
    .$dynamic();
  const base = (
    sortsByDimension
      ? rowsInScope.leftJoin(
          sortCell,
          and(
            eq(sortCell.accountId, accountHealth.accountId),
            eq(sortCell.windowMonths, accountHealth.windowMonths),
            eq(sortCell.dimension, query.hsort as HealthDimension),
          ),
        )
      : rowsInScope
  )
    .where(where)
    .orderBy(...order);
  const [found, total] = await Promise.all([
    paging.limit === null ? base : base.limit(paging.limit).offset(paging.offset ?? 0),
    knownTotal ?? countHealthRows(db, and(healthInScope(db, viewer, query), onHeatmap(query))),
  ]);
  const cells =
    found.length === 0
      ? []
      : await db
          .select({
            accountId: d.accountId,
            dimension: d.dimension,
            team: d.teamValue,
            customer: d.customerValue,
            gap: d.gap,
            quadrant: d.quadrant,
            confidence: d.gapConfidence,
          })
          .from(d)
          .where(
            and(
              eq(d.windowMonths, query.window),
              inArray(
                d.accountId,
                found.map((r) => r.accountId),
              ),
            ),
          );
  const cellsByAccount = new Map<string, HeatmapRow["cells"]>();
  for (const { accountId, dimension, ...cell } of cells) {
    const row = cellsByAccount.get(accountId) ?? {};
    row[dimension] = cell;
    cellsByAccount.set(accountId, row);
  }
  return {
    total,
    rows: found.map((row) => ({ ...row, cells: cellsByAccount.get(row.accountId) ?? {} })),
  };
}

// ─── Blind spots, silent accounts, coverage ───────────────────────────────────

/** Dimensions the team rates healthy and the customer does not, largest (weighted) gap first. */
export async function getBlindSpots(
  db: Database,
  viewer: Viewer,
  query: DashboardQuery,
  paging: Paging = { limit: PANEL_ROWS },
) {
  const d = accountDimensionHealth;
  const blindSpotsIn = and(eq(d.windowMonths, query.window), eq(d.quadrant, "blind_spot"));
  const where = and(blindSpotsIn, accountScope(db, viewer, query));
  const base = db
    .select({
      accountId: d.accountId,
      accountName: accounts.name,
      dimension: d.dimension,
      team: d.teamValue,
      customer: d.customerValue,
      gap: d.gap,
      weightedGap: d.weightedGap,
      confidence: d.gapConfidence,
      respondents: d.customerRespondents,
    })
    .from(d)
    .innerJoin(accounts, eq(accounts.id, d.accountId))
    .where(where)
    .orderBy(desc(d.weightedGap), desc(d.gap), asc(sql`lower(${accounts.name})`), asc(d.dimension));
  const [rows, [total]] = await Promise.all([
    paging.limit === null ? base : base.limit(paging.limit),
    db
      .select({ n: count() })
      .from(d)
      .where(and(blindSpotsIn, inScope(db, viewer, query, d.accountId))),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/** Silent accounts (no customer voice in 180 days, or two unanswered invitations), the longest silent first. */
export async function getSilentAccounts(
  db: Database,
  viewer: Viewer,
  query: DashboardQuery,
  paging: Paging = { limit: PANEL_ROWS },
  /** The summary's `silent`, when it counts them anyway. */
  knownTotal?: Promise<number>,
) {
  const where = and(healthScope(db, viewer, query), SILENT);
  const base = db
    .select({
      accountId: accountHealth.accountId,
      accountName: accounts.name,
      lastCustomerVoiceAt: accountHealth.lastCustomerVoiceAt,
      invitationsSent: accountHealth.invitationsSent,
      invitationsCompleted: accountHealth.invitationsCompleted,
      flags: accountHealth.flags,
    })
    .from(accountHealth)
    .innerJoin(accounts, eq(accounts.id, accountHealth.accountId))
    .where(where)
    .orderBy(sql`${accountHealth.lastCustomerVoiceAt} asc nulls first`, asc(sql`lower(${accounts.name})`));
  const [rows, total] = await Promise.all([
    paging.limit === null ? base : base.limit(paging.limit),
    knownTotal ?? countHealthRows(db, and(healthInScope(db, viewer, query), SILENT)),
  ]);
  return {
    total,
    rows: rows.map(({ flags, ...row }) => ({
      ...row,
      reason: (flags as AccountFlag[]).find((f) => f.flag === "silent")?.reason ?? "",
    })),
  };
}

/** Per account: response rate and key-contact coverage in the window, the least covered first. */
export async function getCoverage(
  db: Database,
  viewer: Viewer,
  query: DashboardQuery,
  paging: Paging = { limit: PANEL_ROWS },
) {
  const where = healthScope(db, viewer, query);
  const base = db
    .select({
      accountId: accountHealth.accountId,
      accountName: accounts.name,
      invitationsSent: accountHealth.invitationsSent,
      invitationsCompleted: accountHealth.invitationsCompleted,
      keyContacts: accountHealth.keyContacts,
      keyContactsAsked: accountHealth.keyContactsAsked,
      keyContactsHeard: accountHealth.keyContactsHeard,
    })
    .from(accountHealth)
    .innerJoin(accounts, eq(accounts.id, accountHealth.accountId))
    .where(where)
    .orderBy(
      sql`${accountHealth.keyContactsHeard}::float / nullif(${accountHealth.keyContacts}, 0) asc nulls first`,
      sql`${accountHealth.invitationsCompleted}::float / nullif(${accountHealth.invitationsSent}, 0) asc nulls first`,
      asc(sql`lower(${accounts.name})`),
    );
  const rows = await (paging.limit === null ? base : base.limit(paging.limit));
  return rows.map((row) => ({
    ...row,
    responseRate: percent(row.invitationsCompleted, row.invitationsSent),
    coverage: percent(row.keyContactsHeard, row.keyContacts),
  }));
}

// ─── Closed loop: Customer 9-1-1 ──────────────────────────────────────────────

/**
 * Cases opened in the window on the accounts in scope. Acknowledged means acknowledged or
 * resolved (resolving answers the alert too). The SLA share counts the cases whose outcome is
 * known — resolved, or still open past their due time — and how many of them were resolved in time.
 */
export async function getCaseMetrics(db: Database, viewer: Viewer, query: DashboardQuery, now: Date) {
  const acknowledgedAt = sql`coalesce(${cases.acknowledgedAt}, ${cases.resolvedAt})`;
  const hours = (to: SQLWrapper) => sql`extract(epoch from (${to} - ${cases.openedAt})) / 3600`;
  const nowParam = sql`${now.toISOString()}::timestamptz`;
  const int = (expression: SQL) => sql<number>`${expression}`.mapWith(Number);
  const [row] = await db
    .select({
      opened: count(),
      acknowledged: int(sql`count(${acknowledgedAt})`),
      medianHoursToAcknowledge: sql<
        string | null
      >`percentile_cont(0.5) within group (order by ${hours(acknowledgedAt)})`,
      resolved: count(cases.resolvedAt),
      medianHoursToResolve: sql<
        string | null
      >`percentile_cont(0.5) within group (order by ${hours(cases.resolvedAt)}) filter (where ${isNotNull(cases.resolvedAt)})`,
      resolvedWithinSla: int(sql`count(*) filter (where ${cases.resolvedAt} <= ${cases.slaDueAt})`),
      slaDecided: int(
        sql`count(*) filter (where ${cases.resolvedAt} is not null or ${cases.slaDueAt} < ${nowParam})`,
      ),
      open: int(sql`count(*) filter (where ${cases.status} <> 'resolved')`),
      overdue: int(
        sql`count(*) filter (where ${cases.status} <> 'resolved' and ${cases.slaDueAt} < ${nowParam})`,
      ),
    })
    .from(cases)
    .innerJoin(accounts, eq(accounts.id, cases.accountId))
    .where(
      and(
        gte(cases.openedAt, monthsBefore(now, query.window)),
        sql`${cases.openedAt} <= ${nowParam}`,
        accountScope(db, viewer, query),
      ),
    );
  const opened = row?.opened ?? 0;
  const slaDecided = row?.slaDecided ?? 0;
  return {
    opened,
    acknowledged: row?.acknowledged ?? 0,
    medianHoursToAcknowledge: oneDecimal(toNumber(row?.medianHoursToAcknowledge ?? null)),
    resolved: row?.resolved ?? 0,
    medianHoursToResolve: oneDecimal(toNumber(row?.medianHoursToResolve ?? null)),
    resolvedWithinSla: row?.resolvedWithinSla ?? 0,
    slaDecided,
    withinSlaShare: percent(row?.resolvedWithinSla ?? 0, slaDecided),
    open: row?.open ?? 0,
    overdue: row?.overdue ?? 0,
  };
}
export type CaseMetrics = Awaited<ReturnType<typeof getCaseMetrics>>;

// ─── Verbatims ────────────────────────────────────────────────────────────────

export interface Verbatim {
  responseId: string;
  accountId: string;
  accountName: string;
  contactId: string | null;
  contactName: string | null;
  completedAt: Date;
  survey: string;
  question: string;
  title: string;
  text: string;
}

/** The given survey versions' verbatim questions by name, with their titles, and each survey's title. */
async function verbatimQuestionsOf(db: Database, versionIds: string[], companyName: string) {
  if (versionIds.length === 0)
    return new Map<string, { survey: string; questions: Record<string, string> }>();
  const versions = await db
    .select({ id: surveyVersions.id, model: surveyVersions.model, title: surveyDefinitions.title })
    .from(surveyVersions)
    .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
    .where(inArray(surveyVersions.id, versionIds));
  return new Map(
    versions.map((v) => [
      v.id,
      { survey: v.title, questions: verbatimQuestions(v.model, { company: companyName, contact: "they" }) },
    ]),
  );
}

/**
 * The customer's own words in the window (or one month of it) on the accounts in scope,
 * newest first; `q` narrows them to answers containing it (case-insensitive, taken literally).
 * Reads `response_verbatims`, the rollup of every completed response's free-text answers.
 */
export async function searchVerbatims(
  db: Database,
  viewer: Viewer,
  query: DashboardQuery,
  options: { now: Date; companyName: string } & Paging,
): Promise<{ rows: Verbatim[]; total: number }> {
  const v = responseVerbatims;
  const { from, to } = verbatimRange(options.now, query.window, query.vmonth);
  const matching = and(
    gte(v.completedAt, from),
    lte(v.completedAt, to),
    query.q ? ilike(v.text, containsPattern(query.q)) : undefined,
  );
  const where = and(matching, accountScope(db, viewer, query));
  const base = db
    .select({
      responseId: v.responseId,
      accountId: v.accountId,
      accountName: accounts.name,
      contactId: responses.contactId,
      contactName: contacts.name,
      completedAt: v.completedAt,
      surveyVersionId: v.surveyVersionId,
      question: v.question,
      text: v.text,
    })
    .from(v)
    .innerJoin(accounts, eq(accounts.id, v.accountId))
    .innerJoin(responses, eq(responses.id, v.responseId))
    .leftJoin(contacts, eq(contacts.id, responses.contactId))
    .where(where)
    .orderBy(desc(v.completedAt), asc(v.responseId), asc(v.question));
  const [found, [total]] = await Promise.all([
    options.limit === null ? base : base.limit(options.limit).offset(options.offset ?? 0),
    db
      .select({ n: count() })
      .from(v)
      .where(and(matching, inScope(db, viewer, query, v.accountId))),
  ]);
  const versions = await verbatimQuestionsOf(
    db,
    [...new Set(found.map((row) => row.surveyVersionId))],
    options.companyName,
  );
  return {
    total: total?.n ?? 0,
    rows: found.map(({ surveyVersionId, ...row }) => {
      const version = versions.get(surveyVersionId);
      return {
        ...row,
        survey: version?.survey ?? "",
        title: version?.questions[row.question] ?? row.question,
      };
    }),
  };
}

// ─── All of it ────────────────────────────────────────────────────────────────

/** Every panel of the dashboard for one request, read side by side. */
export async function getDashboard(
  db: Database,
  viewer: Viewer,
  query: DashboardQuery,
  options: { now: Date; companyName: string },
) {
  const { now } = options;
  // the summary counts the heat map's and the silent panel's accounts from the rows it reads anyway
  const summaryRead = getSummary(db, viewer, query);
  const [summary, trend, heatmap, blindSpots, silent, coverage, caseMetrics, verbatims] = await Promise.all([
    summaryRead,
    getTrend(db, viewer, query, now),
    getHeatmap(
      db,
      viewer,
      query,
      undefined,
      summaryRead.then((s) => s.heatmapAccounts),
    ),
    getBlindSpots(db, viewer, query),
    getSilentAccounts(
      db,
      viewer,
      query,
      undefined,
      summaryRead.then((s) => s.silent),
    ),
    getCoverage(db, viewer, query),
    getCaseMetrics(db, viewer, query, now),
    searchVerbatims(db, viewer, query, {
      ...options,
      limit: VERBATIM_PAGE_SIZE,
      offset: (query.vpage - 1) * VERBATIM_PAGE_SIZE,
    }),
  ]);
  return {
    summary,
    trend,
    quadrants: summary.quadrants,
    heatmap,
    blindSpots,
    silent,
    coverage,
    caseMetrics,
    verbatims,
  };
}
export type DashboardData = Awaited<ReturnType<typeof getDashboard>>;
