/**
 * The leadership dashboard's queries (DESIGN.md, "leadership"). Every panel but two reads the
 * health rollups (account_health, account_dimension_health, health_monthly) of one window;
 * the closed-loop case metrics aggregate `cases`, and the verbatim search reads the window's
 * responses because it is a search. Which accounts count — the viewer's access and the
 * segment, region, tier and owner filters — is decided on `accounts` itself, so a reassigned
 * account leaves a manager's dashboard at once (docs/health-model.md, "Rollups").
 */
import {
  and,
  asc,
  count,
  desc,
  eq,
  gte,
  inArray,
  isNotNull,
  sql,
  type SQL,
  type SQLWrapper,
} from "drizzle-orm";
import {
  accountDimensionHealth,
  accountHealth,
  accounts,
  cases,
  contacts,
  healthMonthly,
  responses,
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

/** One window's account rows in scope. */
function healthScope(db: Database, viewer: Viewer, query: DashboardQuery) {
  return and(eq(accountHealth.windowMonths, query.window), accountScope(db, viewer, query));
}

const SILENT = sql`${accountHealth.flags} @> '[{"flag":"silent"}]'::jsonb`;

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
      silent: sql<number>`count(*) filter (where ${SILENT})`.mapWith(Number),
      blindSpots: sql<number>`count(*) filter (where ${accountHealth.healthQuadrant} = 'blind_spot')`.mapWith(
        Number,
      ),
      invitationsSent: sumOf(accountHealth.invitationsSent),
      invitationsCompleted: sumOf(accountHealth.invitationsCompleted),
      keyContacts: sumOf(accountHealth.keyContacts),
      keyContactsAsked: sumOf(accountHealth.keyContactsAsked),
      keyContactsHeard: sumOf(accountHealth.keyContactsHeard),
      computedAt: sql<Date | null>`min(${accountHealth.computedAt})`.mapWith(accountHealth.computedAt),
    })
    .from(accountHealth)
    .innerJoin(accounts, eq(accounts.id, accountHealth.accountId))
    .where(healthScope(db, viewer, query));
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
    blindSpots: row?.blindSpots ?? 0,
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
    .innerJoin(accounts, eq(accounts.id, healthMonthly.accountId))
    .where(and(gte(healthMonthly.month, months[0]!), accountScope(db, viewer, query)))
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

/** Accounts by where their health gap puts them; `null`: no customer or no team view in the window. */
export async function getQuadrants(db: Database, viewer: Viewer, query: DashboardQuery) {
  const rows = await db
    .select({ quadrant: accountHealth.healthQuadrant, accounts: count() })
    .from(accountHealth)
    .innerJoin(accounts, eq(accounts.id, accountHealth.accountId))
    .where(healthScope(db, viewer, query))
    .groupBy(accountHealth.healthQuadrant);
  const of = (quadrant: QuadrantName | null) => rows.find((r) => r.quadrant === quadrant)?.accounts ?? 0;
  return {
    blind_spot: of("blind_spot"),
    undervalued: of("undervalued"),
    agreed_strength: of("agreed_strength"),
    agreed_weakness: of("agreed_weakness"),
    none: of(null),
  };
}
export type QuadrantCounts = Awaited<ReturnType<typeof getQuadrants>>;

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
): Promise<{ rows: HeatmapRow[]; total: number }> {
  const d = accountDimensionHealth;
  const sameAccount = and(
    eq(d.accountId, accountHealth.accountId),
    eq(d.windowMonths, accountHealth.windowMonths),
  );
  const where = and(
    healthScope(db, viewer, query),
    sql`exists (select 1 from ${d} where ${sameAccount} and ${d.gap} is not null)`,
    query.quadrant ? eq(accountHealth.healthQuadrant, query.quadrant) : undefined,
  );
  const byName = sql`lower(${accounts.name})`;
  const sortValue =
    query.hsort === "name"
      ? byName
      : query.hsort === "health"
        ? sql`${accountHealth.healthGap}`
        : sql`(select ${d.gap} from ${d} where ${sameAccount} and ${d.dimension} = ${query.hsort})`;
  const direction = query.hdir === "asc" ? sql`asc` : sql`desc`;
  const order =
    query.hsort === "name"
      ? [sql`${byName} ${direction}`, asc(accounts.id)]
      : [sql`${sortValue} ${direction} nulls last`, asc(byName), asc(accounts.id)];
  const base = db
    .select({
      accountId: accountHealth.accountId,
      accountName: accounts.name,
      healthGap: accountHealth.healthGap,
      healthQuadrant: accountHealth.healthQuadrant,
    })
    .from(accountHealth)
    .innerJoin(accounts, eq(accounts.id, accountHealth.accountId))
    .where(where)
    .orderBy(...order);
  const [found, [total]] = await Promise.all([
    paging.limit === null ? base : base.limit(paging.limit).offset(paging.offset ?? 0),
    db
      .select({ n: count() })
      .from(accountHealth)
      .innerJoin(accounts, eq(accounts.id, accountHealth.accountId))
      .where(where),
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
  return {
    total: total?.n ?? 0,
    rows: found.map((row) => ({
      ...row,
      cells: Object.fromEntries(
        cells
          .filter((c) => c.accountId === row.accountId)
          .map(({ accountId: _id, dimension, ...cell }) => [dimension, cell]),
      ),
    })),
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
  const where = and(
    eq(d.windowMonths, query.window),
    eq(d.quadrant, "blind_spot"),
    accountScope(db, viewer, query),
  );
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
    db.select({ n: count() }).from(d).innerJoin(accounts, eq(accounts.id, d.accountId)).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/** Silent accounts (no customer voice in 180 days, or two unanswered invitations), the longest silent first. */
export async function getSilentAccounts(
  db: Database,
  viewer: Viewer,
  query: DashboardQuery,
  paging: Paging = { limit: PANEL_ROWS },
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
  const [rows, [total]] = await Promise.all([
    paging.limit === null ? base : base.limit(paging.limit),
    db
      .select({ n: count() })
      .from(accountHealth)
      .innerJoin(accounts, eq(accounts.id, accountHealth.accountId))
      .where(where),
  ]);
  return {
    total: total?.n ?? 0,
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

/** Per survey version: its verbatim questions by name, with their titles. */
async function verbatimQuestionsByVersion(db: Database, companyName: string) {
  const versions = await db
    .select({ id: surveyVersions.id, model: surveyVersions.model, title: surveyDefinitions.title })
    .from(surveyVersions)
    .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
    // the mirror is the team's prediction, not the customer's voice
    .where(sql`${surveyDefinitions.kind} <> 'mirror'`);
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
 */
export async function searchVerbatims(
  db: Database,
  viewer: Viewer,
  query: DashboardQuery,
  options: { now: Date; companyName: string } & Paging,
): Promise<{ rows: Verbatim[]; total: number }> {
  const versions = await verbatimQuestionsByVersion(db, options.companyName);
  const names = JSON.stringify(
    Object.fromEntries([...versions].map(([id, v]) => [id, Object.keys(v.questions)])),
  );
  const { from, to } = verbatimRange(options.now, query.window, query.vmonth);
  const scope = accountScope(db, viewer, query);
  const body = sql`
    from ${responses}
    join ${accounts} on ${accounts.id} = ${responses.accountId}
    cross join lateral jsonb_each_text(${responses.data}) as verbatim(question, text)
    where ${responses.isComplete}
      and ${responses.completedAt} >= ${from.toISOString()}::timestamptz
      and ${responses.completedAt} <= ${to.toISOString()}::timestamptz
      and jsonb_exists(${names}::jsonb -> ${responses.surveyVersionId}::text, verbatim.question)
      and btrim(verbatim.text) <> ''
      ${query.q ? sql`and verbatim.text ilike ${containsPattern(query.q)}` : sql``}
      ${scope ? sql`and ${scope}` : sql``}`;
  const page = options.limit === null ? sql`` : sql`limit ${options.limit} offset ${options.offset ?? 0}`;
  const [found, [total]] = await Promise.all([
    db.execute<{
      responseId: string;
      accountId: string;
      accountName: string;
      contactId: string | null;
      contactName: string | null;
      completedAt: Date;
      surveyVersionId: string;
      question: string;
      text: string;
    }>(sql`
      select ${responses.id} as "responseId", ${accounts.id} as "accountId", ${accounts.name} as "accountName",
        ${responses.contactId} as "contactId",
        (select ${contacts.name} from ${contacts} where ${contacts.id} = ${responses.contactId}) as "contactName",
        ${responses.completedAt} as "completedAt", ${responses.surveyVersionId} as "surveyVersionId",
        verbatim.question, verbatim.text
      ${body}
      order by ${responses.completedAt} desc, ${responses.id}, verbatim.question
      ${page}`),
    db.execute<{ n: number }>(sql`select count(*)::int as n ${body}`),
  ]);
  return {
    total: total?.n ?? 0,
    rows: [...found].map(({ surveyVersionId, ...row }) => {
      const version = versions.get(surveyVersionId);
      return {
        ...row,
        completedAt: new Date(row.completedAt),
        survey: version?.survey ?? "",
        title: version?.questions[row.question] ?? row.question,
        text: row.text.trim(),
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
  const [summary, trend, quadrants, heatmap, blindSpots, silent, coverage, caseMetrics, verbatims] =
    await Promise.all([
      getSummary(db, viewer, query),
      getTrend(db, viewer, query, now),
      getQuadrants(db, viewer, query),
      getHeatmap(db, viewer, query),
      getBlindSpots(db, viewer, query),
      getSilentAccounts(db, viewer, query),
      getCoverage(db, viewer, query),
      getCaseMetrics(db, viewer, query, now),
      searchVerbatims(db, viewer, query, {
        ...options,
        limit: VERBATIM_PAGE_SIZE,
        offset: (query.vpage - 1) * VERBATIM_PAGE_SIZE,
      }),
    ]);
  return { summary, trend, quadrants, heatmap, blindSpots, silent, coverage, caseMetrics, verbatims };
}
export type DashboardData = Awaited<ReturnType<typeof getDashboard>>;
