/**
 * The health model (DESIGN.md, "The three views of an account, and the gap"): what the
 * customer says, what the team believes, what the ledger shows, and the gaps between them.
 * Pure functions, no I/O: the inputs are the rows a query returns, every function takes
 * `now` and gives the same answer for the same rows in any order. docs/health-model.md has
 * every formula and weight, the reasons for them, and a worked example that
 * tests/unit/health.test.ts reproduces.
 *
 * Reported numbers are rounded to one decimal (NPS to a whole number) at the end of each
 * computation; everything derived from a view (gaps, flags) is computed from the rounded
 * numbers, so the figures on a page subtract the way a reader checks them.
 */
import type { Contact, InvitationStatus } from "../../db/schema";
import { DEFAULT_EXPIRY_DAYS } from "./campaigns";
import { HEALTH_DIMENSIONS, type HealthDimension } from "./dimensions";
import { daysBetween, engagementDue, isoDay, monthsBefore } from "./keep-in-touch";
import {
  DEFAULT_TARGET_CADENCE_DAYS,
  effectiveAt,
  equityBalance,
  isTwoWay,
  type InteractionKind,
  type LedgerEntry,
} from "./ledger";

// ─── Constants ────────────────────────────────────────────────────────────────

export type BuyingRole = Contact["buyingRole"];

/**
 * How much one contact's answer counts in the customer view. The decision-maker signs the
 * renewal, the champion carries us inside the account, an influencer shapes the decision,
 * a user lives with the service every day but decides little.
 */
export const ROLE_WEIGHTS: Readonly<Record<BuyingRole, number>> = {
  decision_maker: 3,
  champion: 2,
  influencer: 1.5,
  user: 1,
};
/** A response whose contact is gone (or was never linked) counts like a user's. */
export const UNKNOWN_ROLE_WEIGHT = 1;

/** The dimensions the overall health score averages: the drivers, not the outcomes (advocacy, renewal). */
export const RELATIONSHIP_DIMENSIONS = [
  "trust",
  "responsiveness",
  "understanding",
  "value",
  "communication",
  "relationship",
] as const satisfies readonly HealthDimension[];

export const VIEW_WINDOW_MONTHS = 12;
export const HEALTHY_THRESHOLD = 60;
export const MISALIGNED_GAP = 15;
export const SILENT_AFTER_DAYS = 180;
/** An invitation still unanswered when its link would have expired (campaign default) is unanswered. */
export const UNANSWERED_AFTER_DAYS = DEFAULT_EXPIRY_DAYS;
export const BUSY_WINDOW_DAYS = 90;
export const BUSY_INTERACTION_COUNT = 10;
/** Mean engagement quality (1–5) below this is shallow: under "average". */
export const LOW_ENGAGEMENT_QUALITY = 3;
/** An equity balance of +6 scores 100 and −6 scores 0 (three fresh weight-2 deposits). */
export const EQUITY_FULL_SCALE = 6;
export const CALIBRATION_HORIZON_DAYS = 180;
/** DESIGN.md, Customer 9-1-1: a drop of this many points against the contact's previous response. */
export const HEALTH_DROP_CASE_POINTS = 20;

export const LEDGER_WEIGHTS = {
  recency: 0.25,
  cadence: 0.2,
  breadth: 0.15,
  equity: 0.15,
  quality: 0.15,
  commitments: 0.1,
} as const;
export type LedgerComponent = keyof typeof LEDGER_WEIGHTS;

// ─── Small numeric helpers ────────────────────────────────────────────────────

const DAY_MS = 86_400_000;

/** One decimal, halves away from zero (so +12.25 and −12.25 round to the same size), never −0. */
export function roundScore(value: number): number {
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * 10 + 1e-9)) / 10;
  return rounded === 0 ? 0 : rounded;
}

function roundWhole(value: number): number {
  const rounded = Math.sign(value) * Math.round(Math.abs(value) + 1e-9);
  return rounded === 0 ? 0 : rounded;
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : roundScore(value);
}

function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function weightedMean(items: readonly { value: number; weight: number }[]): number | null {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  if (total === 0) return null;
  return items.reduce((sum, item) => sum + item.value * item.weight, 0) / total;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** Whole UTC calendar days from `at` to `now`, like every other date rule in the app (daysBetween of their isoDays). */
function ageInDays(at: Date, now: Date): number {
  return Math.floor(now.getTime() / DAY_MS) - Math.floor(at.getTime() / DAY_MS);
}

function assertScore(value: number, what: string): void {
  if (!Number.isFinite(value) || value < 0 || value > 100) {
    throw new RangeError(`${what} must be a score from 0 to 100, got ${value}`);
  }
}

function perDimension<T>(make: (dimension: HealthDimension) => T): Record<HealthDimension, T> {
  return Object.fromEntries(HEALTH_DIMENSIONS.map((d) => [d, make(d)])) as Record<HealthDimension, T>;
}

function isRelationshipDimension(dimension: HealthDimension): boolean {
  return (RELATIONSHIP_DIMENSIONS as readonly HealthDimension[]).includes(dimension);
}

// ─── Windows and confidence ───────────────────────────────────────────────────

export interface WindowOptions {
  now: Date;
  /** Calendar months back from `now`; default 12. */
  windowMonths?: number;
}

/** The first instant of the window: `windowMonths` calendar months before `now`. */
export function windowStart(now: Date, windowMonths: number = VIEW_WINDOW_MONTHS): Date {
  return new Date(windowStartTime(now.getTime(), windowMonths));
}

/** windowStart in epoch ms, remembered: a rollup asks it for every row of every window. */
const windowStarts = new Map<string, number>();
function windowStartTime(now: number, windowMonths: number): number {
  const key = `${now}:${windowMonths}`;
  let start = windowStarts.get(key);
  if (start === undefined) {
    if (windowStarts.size >= 64) windowStarts.clear();
    start = monthsBefore(new Date(now), windowMonths).getTime();
    windowStarts.set(key, start);
  }
  return start;
}

/** In the window: from its start (inclusive — exactly 12 months ago still counts) to `now` (inclusive). */
export function isWithinWindow(at: Date, now: Date, windowMonths: number = VIEW_WINDOW_MONTHS): boolean {
  const t = at.getTime();
  return t >= windowStartTime(now.getTime(), windowMonths) && t <= now.getTime();
}

export const CONFIDENCE_LEVELS = ["none", "low", "medium", "high"] as const;
export type ConfidenceLevel = (typeof CONFIDENCE_LEVELS)[number];

export interface ConfidenceRule {
  /** From this many sources the level is at least medium… */
  mediumAt: number;
  /** …and from this many, high. */
  highAt: number;
  /** When the sources' median age is more than this many days, one level down (never below low). */
  staleAfterDays: number;
}
/** Respondents (customer view) and authors (team view): one is low, two medium, three high. */
export const RESPONDENT_CONFIDENCE: ConfidenceRule = { mediumAt: 2, highAt: 3, staleAfterDays: 180 };
/** Interactions in the window (ledger view): 1–2 low, 3–5 medium, 6 or more high. */
export const INTERACTION_CONFIDENCE: ConfidenceRule = { mediumAt: 3, highAt: 6, staleAfterDays: 180 };

/** How far a number can be trusted, from how many sources it rests on and how old they are. */
export function confidenceLevel(
  count: number,
  medianAgeDays: number | null,
  rule: ConfidenceRule = RESPONDENT_CONFIDENCE,
): ConfidenceLevel {
  if (count <= 0) return "none";
  const byCount = count >= rule.highAt ? 3 : count >= rule.mediumAt ? 2 : 1;
  const stale = medianAgeDays !== null && medianAgeDays > rule.staleAfterDays;
  return CONFIDENCE_LEVELS[Math.max(1, byCount - (stale ? 1 : 0))]!;
}

/** `confidenceLevel` for sources given by their dates (one date per source). */
export function confidenceFromDates(
  dates: readonly Date[],
  now: Date,
  rule: ConfidenceRule = RESPONDENT_CONFIDENCE,
): ConfidenceLevel {
  return confidenceLevel(dates.length, median(dates.map((d) => ageInDays(d, now))), rule);
}

/** The weaker of two levels: a comparison is only as sure as its less certain side. */
export function lowerConfidence(a: ConfidenceLevel, b: ConfidenceLevel): ConfidenceLevel {
  return CONFIDENCE_LEVELS[Math.min(CONFIDENCE_LEVELS.indexOf(a), CONFIDENCE_LEVELS.indexOf(b))]!;
}

// ─── 1. Customer view ─────────────────────────────────────────────────────────

/** One scored answer of a completed response, joined to its contact's buying role. */
export interface CustomerAnswerRow {
  contactId: string | null;
  buyingRole: BuyingRole | null;
  responseId: string;
  completedAt: Date;
  dimension: HealthDimension;
  value: number;
}

/** A respondent's latest answer on one dimension (several rows at that instant are averaged). */
export interface RespondentAnswer {
  /** The contact id, or `response:<id>` for a response without a contact. */
  respondent: string;
  contactId: string | null;
  buyingRole: BuyingRole | null;
  dimension: HealthDimension;
  value: number;
  completedAt: Date;
  responseIds: string[];
  rows: number;
}

export interface DimensionScore {
  value: number | null;
  answers: number;
  respondents: number;
  confidence: ConfidenceLevel;
}

export interface CustomerView {
  dimensions: Record<HealthDimension, DimensionScore>;
  /** Mean of the six relationship dimensions that have a value. */
  health: DimensionScore;
}

export function respondentKey(row: { contactId: string | null; responseId: string }): string {
  return row.contactId ?? `response:${row.responseId}`;
}

export function roleWeight(role: BuyingRole | null): number {
  return role ? ROLE_WEIGHTS[role] : UNKNOWN_ROLE_WEIGHT;
}

/** Groups rows by `key` and keeps, per group, the rows at the latest (or earliest) instant. */
function rowsAtExtreme<T>(
  rows: readonly T[],
  key: (row: T) => string,
  at: (row: T) => number,
  pick: "latest" | "earliest",
): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const current = groups.get(k);
    if (!current) {
      groups.set(k, [row]);
      continue;
    }
    const held = at(current[0]!);
    const t = at(row);
    if (t === held) current.push(row);
    else if (pick === "latest" ? t > held : t < held) groups.set(k, [row]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
}

function toRespondentAnswers(groups: readonly CustomerAnswerRow[][]): RespondentAnswer[] {
  return groups.map((group) => {
    const first = group[0]!;
    return {
      respondent: respondentKey(first),
      contactId: first.contactId,
      buyingRole: first.buyingRole,
      dimension: first.dimension,
      value: mean(group.map((row) => row.value))!,
      completedAt: first.completedAt,
      responseIds: [...new Set(group.map((row) => row.responseId))].sort(),
      rows: group.length,
    };
  });
}

/**
 * Each respondent's latest answer per dimension in the window: the rows of their most
 * recently completed response that answered it. Two questions on one dimension in that
 * response, or two responses completed at the same instant, are averaged.
 */
export function latestAnswersPerContact(
  answers: readonly CustomerAnswerRow[],
  options: WindowOptions,
): RespondentAnswer[] {
  const inWindow = answers.filter((row) =>
    isWithinWindow(row.completedAt, options.now, options.windowMonths),
  );
  for (const row of inWindow) assertScore(row.value, `answer ${row.responseId}/${row.dimension}`);
  const groups = rowsAtExtreme(
    inWindow,
    (row) => `${row.dimension}|${respondentKey(row)}`,
    (row) => row.completedAt.getTime(),
    "latest",
  );
  return toRespondentAnswers(groups);
}

interface RawScore {
  value: number | null;
  answers: number;
  respondents: Map<string, Date>;
}

function scoreRespondentAnswers(items: readonly RespondentAnswer[]): RawScore {
  const respondents = new Map<string, Date>();
  for (const item of items) {
    const seen = respondents.get(item.respondent);
    if (!seen || item.completedAt > seen) respondents.set(item.respondent, item.completedAt);
  }
  return {
    value: weightedMean(items.map((item) => ({ value: item.value, weight: roleWeight(item.buyingRole) }))),
    answers: items.reduce((sum, item) => sum + item.rows, 0),
    respondents,
  };
}

function toDimensionScore(raw: RawScore, now: Date): DimensionScore {
  return {
    value: roundOrNull(raw.value),
    answers: raw.answers,
    respondents: raw.respondents.size,
    confidence: confidenceFromDates([...raw.respondents.values()], now),
  };
}

/** The mean of the relationship dimensions' unrounded values, over the respondents behind any of them. */
function healthOf(raws: Record<HealthDimension, RawScore>): RawScore {
  const respondents = new Map<string, Date>();
  let answers = 0;
  const values: number[] = [];
  for (const dimension of RELATIONSHIP_DIMENSIONS) {
    const raw = raws[dimension];
    if (raw.value !== null) values.push(raw.value);
    answers += raw.answers;
    for (const [who, at] of raw.respondents) {
      const seen = respondents.get(who);
      if (!seen || at > seen) respondents.set(who, at);
    }
  }
  return { value: mean(values), answers, respondents };
}

/**
 * The customer view, per dimension 0–100: each respondent's latest answer in the window,
 * weighted by buying role (ROLE_WEIGHTS); plus the overall health score.
 */
export function computeCustomerView(
  answers: readonly CustomerAnswerRow[],
  options: WindowOptions,
): CustomerView {
  const latest = latestAnswersPerContact(answers, options);
  const raws = perDimension((d) => scoreRespondentAnswers(latest.filter((item) => item.dimension === d)));
  return {
    dimensions: perDimension((d) => toDimensionScore(raws[d], options.now)),
    health: toDimensionScore(healthOf(raws), options.now),
  };
}

// ─── 2. NPS ───────────────────────────────────────────────────────────────────

export interface NpsResult {
  /** −100…+100, whole number; null with no answers. */
  nps: number | null;
  promoters: number;
  passives: number;
  detractors: number;
  respondents: number;
}

/** Net Promoter Score from raw 0–10 answers: promoters 9–10, detractors 0–6, % promoters − % detractors. */
export function computeNps(scores: readonly number[]): NpsResult {
  let promoters = 0;
  let detractors = 0;
  for (const score of scores) {
    if (!Number.isFinite(score) || score < 0 || score > 10) {
      throw new RangeError(`a recommend answer must be from 0 to 10, got ${score}`);
    }
    if (score >= 9) promoters += 1;
    else if (score <= 6) detractors += 1;
  }
  const respondents = scores.length;
  return {
    nps: respondents === 0 ? null : roundWhole((100 * (promoters - detractors)) / respondents),
    promoters,
    passives: respondents - promoters - detractors,
    detractors,
    respondents,
  };
}

/**
 * NPS from stored advocacy values (0–100). A 0–10 rating is stored as raw × 10
 * (survey-model.ts scores a rating linearly over its scale), so value ÷ 10 is the raw answer.
 */
export function computeNpsFromStoredValues(values: readonly number[]): NpsResult {
  for (const value of values) assertScore(value, "a stored advocacy value");
  return computeNps(values.map((value) => value / 10));
}

/** The account's NPS: each respondent's latest advocacy answer in the window, one person one vote. */
export function computeAccountNps(answers: readonly CustomerAnswerRow[], options: WindowOptions): NpsResult {
  const advocacy = latestAnswersPerContact(
    answers.filter((row) => row.dimension === "advocacy"),
    options,
  );
  return computeNpsFromStoredValues(advocacy.map((item) => item.value));
}

// ─── 3. Team view ─────────────────────────────────────────────────────────────

/** One value of a sealed prediction (predictions ⨝ prediction_values). */
export interface PredictionRow {
  authorId: string;
  contactId: string | null;
  madeAt: Date;
  dimension: HealthDimension;
  value: number;
}

export interface TeamViewOptions extends WindowOptions {
  /** Keep each author's latest prediction per contact (account-level ones are one more target) instead of per author. */
  perContact?: boolean;
}

export interface TeamDimensionScore {
  value: number | null;
  /** Latest predictions averaged (one per author, or per author and contact). */
  predictions: number;
  authors: number;
  confidence: ConfidenceLevel;
}

export interface TeamView {
  dimensions: Record<HealthDimension, TeamDimensionScore>;
  health: TeamDimensionScore;
}

interface LatestPrediction {
  authorId: string;
  dimension: HealthDimension;
  value: number;
  madeAt: Date;
}

function latestPredictions(
  predictions: readonly PredictionRow[],
  options: TeamViewOptions,
): LatestPrediction[] {
  const inWindow = predictions.filter((row) => isWithinWindow(row.madeAt, options.now, options.windowMonths));
  for (const row of inWindow) assertScore(row.value, `prediction by ${row.authorId}/${row.dimension}`);
  const groups = rowsAtExtreme(
    inWindow,
    (row) =>
      [row.dimension, row.authorId, options.perContact ? (row.contactId ?? "(account)") : ""].join("|"),
    (row) => row.madeAt.getTime(),
    "latest",
  );
  return groups.map((group) => ({
    authorId: group[0]!.authorId,
    dimension: group[0]!.dimension,
    value: mean(group.map((row) => row.value))!,
    madeAt: group[0]!.madeAt,
  }));
}

interface RawTeamScore {
  value: number | null;
  predictions: number;
  authors: Map<string, Date>;
}

function scoreTeam(items: readonly LatestPrediction[]): RawTeamScore {
  const authors = new Map<string, Date>();
  for (const item of items) {
    const seen = authors.get(item.authorId);
    if (!seen || item.madeAt > seen) authors.set(item.authorId, item.madeAt);
  }
  return { value: mean(items.map((item) => item.value)), predictions: items.length, authors };
}

function toTeamScore(raw: RawTeamScore, now: Date): TeamDimensionScore {
  return {
    value: roundOrNull(raw.value),
    predictions: raw.predictions,
    authors: raw.authors.size,
    confidence: confidenceFromDates([...raw.authors.values()], now),
  };
}

/**
 * The team view, per dimension 0–100: each author's latest prediction in the window
 * (optionally per contact), averaged with equal weight; plus the team's health score.
 */
export function computeTeamView(predictions: readonly PredictionRow[], options: TeamViewOptions): TeamView {
  const latest = latestPredictions(predictions, options);
  const raws = perDimension((d) => scoreTeam(latest.filter((item) => item.dimension === d)));
  const relationship = latest.filter((item) => isRelationshipDimension(item.dimension));
  const healthRaw: RawTeamScore = {
    value: mean(RELATIONSHIP_DIMENSIONS.flatMap((d) => (raws[d].value === null ? [] : [raws[d].value]))),
    predictions: relationship.length,
    authors: scoreTeam(relationship).authors,
  };
  return {
    dimensions: perDimension((d) => toTeamScore(raws[d], options.now)),
    health: toTeamScore(healthRaw, options.now),
  };
}

// ─── 4. Ledger view ───────────────────────────────────────────────────────────

/**
 * One logged interaction with the contacts it lists. Structurally a LedgerEntry, so the
 * same rows feed ledger.ts's equityBalance. Two-way or not follows from `kind` (isTwoWay).
 */
export interface LedgerInteractionRow extends LedgerEntry {
  kind: InteractionKind;
  engagementQuality: number | null;
  contactIds: readonly string[];
}

export interface LedgerViewInput {
  interactions: readonly LedgerInteractionRow[];
  /** The account's target cadence; null or not positive: DEFAULT_TARGET_CADENCE_DAYS. */
  targetCadenceDays: number | null;
  /** Decision-makers and champions not opted out (keep-in-touch.ts's key contacts). */
  keyContactIds: readonly string[];
}

export interface LedgerView {
  /** 0–100, the weighted mean of the components that have a value. */
  score: number;
  confidence: ConfidenceLevel;
  components: Record<LedgerComponent, number | null>;
  facts: {
    targetCadenceDays: number;
    lastTwoWayAt: Date | null;
    daysSinceTwoWay: number | null;
    periodsCovered: number;
    periods: number;
    keyContacts: number;
    keyContactsEngaged: number;
    balance: number;
    meanEngagementQuality: number | null;
    ratedInteractions: number;
    kept: number;
    broken: number;
    /** Interactions in the window, any kind. */
    interactions: number;
  };
}

function targetCadence(days: number | null | undefined): number {
  return days && days > 0 ? days : DEFAULT_TARGET_CADENCE_DAYS;
}

/** 100 while the last two-way contact is within the cadence, falling linearly to 0 at three cadences; 0 when none. */
export function recencyScore(daysSinceTwoWay: number | null, cadenceDays: number): number {
  if (daysSinceTwoWay === null) return 0;
  if (daysSinceTwoWay <= cadenceDays) return 100;
  return 100 * clamp(1 - (daysSinceTwoWay - cadenceDays) / (2 * cadenceDays), 0, 1);
}

/**
 * The share of cadence periods with at least one two-way contact. The window is cut into
 * whole periods of `cadenceDays` counting back from `now` (period 1 is the last
 * `cadenceDays` days, both ends included); a leftover part-period at its start is ignored.
 */
export function cadenceScore(
  twoWayAt: readonly Date[],
  now: Date,
  from: Date,
  cadenceDays: number,
): { value: number; covered: number; periods: number } {
  const periods = Math.max(1, Math.floor(daysBetween(isoDay(from), isoDay(now)) / cadenceDays));
  const covered = new Set<number>();
  for (const at of twoWayAt) {
    if (at < from || at > now) continue;
    const period = Math.max(1, Math.ceil(ageInDays(at, now) / cadenceDays));
    if (period <= periods) covered.add(period);
  }
  return { value: (100 * covered.size) / periods, covered: covered.size, periods };
}

/** The share of key contacts engaged (two-way) within the cadence, by keep-in-touch.ts's engagementDue; null without key contacts. */
export function breadthScore(
  keyContactIds: readonly string[],
  interactions: readonly LedgerInteractionRow[],
  now: Date,
  cadenceDays: number,
): { value: number | null; engaged: number; keyContacts: number } {
  const keys = [...new Set(keyContactIds)];
  let engaged = 0;
  for (const contactId of keys) {
    let last: Date | null = null;
    for (const row of interactions) {
      if (!isTwoWay(row.kind) || row.occurredAt > now || !row.contactIds.includes(contactId)) continue;
      if (!last || row.occurredAt > last) last = row.occurredAt;
    }
    if (!engagementDue(last, cadenceDays, now).overdue) engaged += 1;
  }
  return {
    value: keys.length === 0 ? null : (100 * engaged) / keys.length,
    engaged,
    keyContacts: keys.length,
  };
}

/** 50 at a zero balance, linear to 100 at +EQUITY_FULL_SCALE and 0 at −EQUITY_FULL_SCALE, clamped. */
export function equityScore(balance: number): number {
  return clamp(50 + (50 * balance) / EQUITY_FULL_SCALE, 0, 100);
}

/** Mean engagement quality (1–5) mapped onto 0–100 (1 → 0, 3 → 50, 5 → 100); null when nothing is rated. */
export function engagementQualityScore(qualities: readonly number[]): number | null {
  for (const quality of qualities) {
    if (!Number.isFinite(quality) || quality < 1 || quality > 5) {
      throw new RangeError(`engagement quality must be from 1 to 5, got ${quality}`);
    }
  }
  const average = mean(qualities);
  return average === null ? null : ((average - 1) / 4) * 100;
}

/** Commitments kept as a share of those kept or broken; null when none was resolved. */
export function commitmentScore(kept: number, broken: number): number | null {
  return kept + broken === 0 ? null : (100 * kept) / (kept + broken);
}

/** The weighted mean of the components that have a value (their weights rescaled to sum to 1). */
export function combineLedgerScore(
  components: Record<LedgerComponent, number | null>,
  weights: Record<LedgerComponent, number> = LEDGER_WEIGHTS,
): number {
  const items = (Object.keys(weights) as LedgerComponent[]).flatMap((name) => {
    const value = components[name];
    return value === null ? [] : [{ value, weight: weights[name] }];
  });
  return weightedMean(items) ?? 0;
}

/**
 * The ledger view, 0–100, from what the team did in the window. The equity balance uses
 * every entry given (decay already discounts age): pass the ledger page's rows and the two agree.
 */
export function computeLedgerView(input: LedgerViewInput, options: WindowOptions): LedgerView {
  const { now } = options;
  const from = windowStart(now, options.windowMonths);
  const cadence = targetCadence(input.targetCadenceDays);
  const inWindow = input.interactions.filter((row) => row.occurredAt >= from && row.occurredAt <= now);
  const twoWay = inWindow.filter((row) => isTwoWay(row.kind));

  const lastTwoWayAt = twoWay.reduce<Date | null>(
    (last, row) => (!last || row.occurredAt > last ? row.occurredAt : last),
    null,
  );
  const daysSinceTwoWay = lastTwoWayAt ? ageInDays(lastTwoWayAt, now) : null;
  const cadenceResult = cadenceScore(
    twoWay.map((row) => row.occurredAt),
    now,
    from,
    cadence,
  );
  const breadth = breadthScore(input.keyContactIds, inWindow, now, cadence);
  const balance = equityBalance(input.interactions, now);
  const qualities = inWindow.flatMap((row) =>
    row.engagementQuality === null ? [] : [row.engagementQuality],
  );
  const resolved = input.interactions.filter((row) => {
    if (row.kind !== "commitment") return false;
    const at = effectiveAt(row);
    return at >= from && at <= now;
  });
  const kept = resolved.filter((row) => row.commitmentStatus === "kept").length;
  const broken = resolved.filter((row) => row.commitmentStatus === "broken").length;

  const raw: Record<LedgerComponent, number | null> = {
    recency: recencyScore(daysSinceTwoWay, cadence),
    cadence: cadenceResult.value,
    breadth: breadth.value,
    equity: equityScore(balance),
    quality: engagementQualityScore(qualities),
    commitments: commitmentScore(kept, broken),
  };
  const averageQuality = mean(qualities);
  return {
    score: roundScore(combineLedgerScore(raw)),
    confidence: confidenceFromDates(
      inWindow.map((row) => row.occurredAt),
      now,
      INTERACTION_CONFIDENCE,
    ),
    components: {
      recency: roundOrNull(raw.recency),
      cadence: roundOrNull(raw.cadence),
      breadth: roundOrNull(raw.breadth),
      equity: roundOrNull(raw.equity),
      quality: roundOrNull(raw.quality),
      commitments: roundOrNull(raw.commitments),
    },
    facts: {
      targetCadenceDays: cadence,
      lastTwoWayAt,
      daysSinceTwoWay,
      periodsCovered: cadenceResult.covered,
      periods: cadenceResult.periods,
      keyContacts: breadth.keyContacts,
      keyContactsEngaged: breadth.engaged,
      balance,
      meanEngagementQuality: averageQuality === null ? null : Math.round(averageQuality * 100) / 100,
      ratedInteractions: qualities.length,
      kept,
      broken,
      interactions: inWindow.length,
    },
  };
}

// ─── 5. Gap and quadrants ─────────────────────────────────────────────────────

export type Quadrant = "agreed_strength" | "agreed_weakness" | "blind_spot" | "undervalued";

export interface GapThresholds {
  /** A view at or above this is healthy. */
  healthyThreshold: number;
  /** |gap| at or above this is misaligned. */
  misalignedGap: number;
}
export const DEFAULT_GAP_THRESHOLDS: GapThresholds = {
  healthyThreshold: HEALTHY_THRESHOLD,
  misalignedGap: MISALIGNED_GAP,
};

/** team − customer (positive: the team is more optimistic); null when either side is missing. */
export function computeGap(team: number | null, customer: number | null): number | null {
  return team === null || customer === null ? null : roundScore(team - customer);
}

/**
 * Where a dimension sits. Each view is high (≥ healthy) or low. Both high: agreed strength;
 * both low: agreed weakness — even when |gap| ≥ misaligned (`misaligned` says so). Team high
 * and customer low: a blind spot only when gap ≥ misaligned, otherwise the two nearly agree
 * and the customer's side decides (agreed weakness); customer high and team low: undervalued
 * only when −gap ≥ misaligned, otherwise agreed strength. Null when either side is missing.
 */
export function computeQuadrant(
  team: number | null,
  customer: number | null,
  thresholds: GapThresholds = DEFAULT_GAP_THRESHOLDS,
): Quadrant | null {
  const gap = computeGap(team, customer);
  if (team === null || customer === null || gap === null) return null;
  const teamHigh = team >= thresholds.healthyThreshold;
  const customerHigh = customer >= thresholds.healthyThreshold;
  if (teamHigh && !customerHigh) return gap >= thresholds.misalignedGap ? "blind_spot" : "agreed_weakness";
  if (!teamHigh && customerHigh) return -gap >= thresholds.misalignedGap ? "undervalued" : "agreed_strength";
  return customerHigh ? "agreed_strength" : "agreed_weakness";
}

export type ImportanceByDimension = Partial<Record<HealthDimension, number | null>>;

/**
 * How much a dimension's gap matters, from the customer's importance ratings (0–100): each
 * rated dimension's importance divided by the mean importance of the rated dimensions, so
 * the weights average 1 and a weighted gap stays on the gap's scale. Unrated: 1.
 */
export function importanceWeights(importance: ImportanceByDimension = {}): Record<HealthDimension, number> {
  const rated = HEALTH_DIMENSIONS.flatMap((d) => {
    const value = importance[d];
    if (value === null || value === undefined) return [];
    assertScore(value, `importance of ${d}`);
    return [value];
  });
  const average = mean(rated);
  return perDimension((d) => {
    const value = importance[d];
    if (value === null || value === undefined || !average) return 1;
    return value / average;
  });
}

export interface DimensionGap {
  team: number | null;
  customer: number | null;
  gap: number | null;
  misaligned: boolean | null;
  quadrant: Quadrant | null;
  importanceWeight: number;
  weightedGap: number | null;
  confidence: ConfidenceLevel;
}

export interface AccountGap {
  dimensions: Record<HealthDimension, DimensionGap>;
  health: DimensionGap;
}

/** What a gap needs from a view: a value and a confidence per dimension, and for health. */
export interface ScoredView {
  dimensions: Record<HealthDimension, { value: number | null; confidence: ConfidenceLevel }>;
  health: { value: number | null; confidence: ConfidenceLevel };
}

export interface AccountGapOptions extends Partial<GapThresholds> {
  importance?: ImportanceByDimension;
}

export function computeDimensionGap(
  team: { value: number | null; confidence: ConfidenceLevel },
  customer: { value: number | null; confidence: ConfidenceLevel },
  thresholds: GapThresholds = DEFAULT_GAP_THRESHOLDS,
  importanceWeight = 1,
): DimensionGap {
  const gap = computeGap(team.value, customer.value);
  return {
    team: team.value,
    customer: customer.value,
    gap,
    misaligned: gap === null ? null : Math.abs(gap) >= thresholds.misalignedGap,
    quadrant: computeQuadrant(team.value, customer.value, thresholds),
    importanceWeight,
    weightedGap: gap === null ? null : roundScore(gap * importanceWeight),
    confidence: lowerConfidence(team.confidence, customer.confidence),
  };
}

/** Per dimension and for health: gap = team − customer, quadrant, and the importance-weighted gap. */
export function computeAccountGap(
  team: ScoredView,
  customer: ScoredView,
  options: AccountGapOptions = {},
): AccountGap {
  const thresholds: GapThresholds = {
    healthyThreshold: options.healthyThreshold ?? HEALTHY_THRESHOLD,
    misalignedGap: options.misalignedGap ?? MISALIGNED_GAP,
  };
  const weights = importanceWeights(options.importance);
  return {
    dimensions: perDimension((d) =>
      computeDimensionGap(team.dimensions[d], customer.dimensions[d], thresholds, weights[d]),
    ),
    health: computeDimensionGap(team.health, customer.health, thresholds),
  };
}

// ─── 6. Account flags ─────────────────────────────────────────────────────────

export type AccountFlagKind = "silent" | "busy_but_shallow" | "overdrawn" | "ledger_disagrees";

export interface AccountFlag {
  flag: AccountFlagKind;
  /** A sentence naming the numbers behind the flag. */
  reason: string;
}

export interface InvitationRow {
  sentAt: Date | null;
  status: InvitationStatus;
}

export interface FlagThresholds extends GapThresholds {
  silentAfterDays: number;
  unansweredAfterDays: number;
  busyWindowDays: number;
  busyInteractionCount: number;
  lowEngagementQuality: number;
}
export const DEFAULT_FLAG_THRESHOLDS: FlagThresholds = {
  ...DEFAULT_GAP_THRESHOLDS,
  silentAfterDays: SILENT_AFTER_DAYS,
  unansweredAfterDays: UNANSWERED_AFTER_DAYS,
  busyWindowDays: BUSY_WINDOW_DAYS,
  busyInteractionCount: BUSY_INTERACTION_COUNT,
  lowEngagementQuality: LOW_ENGAGEMENT_QUALITY,
};

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Never reached the customer, so their silence says nothing: not counted either way. */
const UNDELIVERED_STATUSES: readonly InvitationStatus[] = ["queued", "bounced", "failed", "revoked"];

/**
 * What an invitation says about the customer: answered (completed), unanswered (expired,
 * opted out, or not completed `unansweredAfterDays` after it was sent), or nothing yet.
 */
export function invitationOutcome(
  invitation: InvitationRow,
  now: Date,
  unansweredAfterDays: number = UNANSWERED_AFTER_DAYS,
): "answered" | "unanswered" | "pending" | "not_delivered" {
  if (!invitation.sentAt || invitation.sentAt > now || UNDELIVERED_STATUSES.includes(invitation.status)) {
    return "not_delivered";
  }
  if (invitation.status === "completed") return "answered";
  if (invitation.status === "expired" || invitation.status === "opted_out") return "unanswered";
  return ageInDays(invitation.sentAt, now) >= unansweredAfterDays ? "unanswered" : "pending";
}

/** The two most recent decided invitations (answered or unanswered), newest first; a tie puts answered first. */
function lastTwoDecided(invitations: readonly InvitationRow[], now: Date, unansweredAfterDays: number) {
  return invitations
    .map((invitation) => ({ invitation, outcome: invitationOutcome(invitation, now, unansweredAfterDays) }))
    .filter(
      (item): item is { invitation: InvitationRow & { sentAt: Date }; outcome: "answered" | "unanswered" } =>
        item.outcome === "answered" || item.outcome === "unanswered",
    )
    .sort(
      (a, b) =>
        b.invitation.sentAt.getTime() - a.invitation.sentAt.getTime() ||
        (a.outcome === "answered" ? -1 : 0) - (b.outcome === "answered" ? -1 : 0),
    )
    .slice(0, 2);
}

/**
 * Silent: no customer voice (a completed response) for more than `silentAfterDays`, or the
 * two most recent decided invitations both went unanswered with no customer voice since
 * the first of them was sent.
 */
export function silentFlag(
  input: { now: Date; lastCustomerVoiceAt: Date | null; invitations: readonly InvitationRow[] },
  thresholds: Pick<FlagThresholds, "silentAfterDays" | "unansweredAfterDays"> = DEFAULT_FLAG_THRESHOLDS,
): AccountFlag | null {
  const { now, lastCustomerVoiceAt } = input;
  const reasons: string[] = [];
  if (!lastCustomerVoiceAt) {
    reasons.push("No customer has answered a survey or interview yet.");
  } else {
    const days = ageInDays(lastCustomerVoiceAt, now);
    if (days > thresholds.silentAfterDays) {
      reasons.push(
        `No customer answer in ${days} days (last on ${isoDay(lastCustomerVoiceAt)}; silent after ${thresholds.silentAfterDays}).`,
      );
    }
  }
  const lastTwo = lastTwoDecided(input.invitations, now, thresholds.unansweredAfterDays);
  const [newer, older] = lastTwo;
  if (
    newer &&
    older &&
    newer.outcome === "unanswered" &&
    older.outcome === "unanswered" &&
    !(lastCustomerVoiceAt && lastCustomerVoiceAt >= older.invitation.sentAt)
  ) {
    reasons.push(
      `The last 2 invitations went unanswered (sent ${isoDay(older.invitation.sentAt)} and ${isoDay(newer.invitation.sentAt)}).`,
    );
  }
  return reasons.length === 0 ? null : { flag: "silent", reason: reasons.join(" ") };
}

/**
 * Busy but shallow: at least `busyInteractionCount` interactions of any kind in the last
 * `busyWindowDays` days, and either their mean engagement quality is below
 * `lowEngagementQuality` or the customer's health is below healthy.
 */
export function busyButShallowFlag(
  input: { now: Date; interactions: readonly LedgerInteractionRow[]; customerHealth: number | null },
  thresholds: Pick<
    FlagThresholds,
    "busyWindowDays" | "busyInteractionCount" | "lowEngagementQuality" | "healthyThreshold"
  > = DEFAULT_FLAG_THRESHOLDS,
): AccountFlag | null {
  const { now } = input;
  const recent = input.interactions.filter(
    (row) => row.occurredAt <= now && ageInDays(row.occurredAt, now) <= thresholds.busyWindowDays,
  );
  if (recent.length < thresholds.busyInteractionCount) return null;
  const qualities = recent.flatMap((row) => (row.engagementQuality === null ? [] : [row.engagementQuality]));
  const averageQuality = mean(qualities);
  const why: string[] = [];
  if (averageQuality !== null && averageQuality < thresholds.lowEngagementQuality) {
    why.push(
      `engagement quality averages ${averageQuality.toFixed(1)} of 5 over ${qualities.length} rated (below ${thresholds.lowEngagementQuality})`,
    );
  }
  if (input.customerHealth !== null && input.customerHealth < thresholds.healthyThreshold) {
    why.push(
      `the customer rates health ${formatNumber(input.customerHealth)} (below ${thresholds.healthyThreshold})`,
    );
  }
  if (why.length === 0) return null;
  return {
    flag: "busy_but_shallow",
    reason: `${recent.length} interactions in the last ${thresholds.busyWindowDays} days, but ${why.join(" and ")}.`,
  };
}

/** Overdrawn: the decayed equity balance is below zero. */
export function overdrawnFlag(balance: number): AccountFlag | null {
  // judged on the balance as shown (one decimal), so "−0.0" is never called overdrawn
  const shown = roundScore(balance);
  if (!(shown < 0)) return null;
  return {
    flag: "overdrawn",
    reason: `The equity balance is −${Math.abs(shown).toFixed(1)}: recent withdrawals outweigh deposits.`,
  };
}

/** Ledger disagrees: the team's health against the ledger score falls in the blind-spot quadrant. */
export function ledgerDisagreesFlag(
  teamHealth: number | null,
  ledgerScore: number | null,
  thresholds: GapThresholds = DEFAULT_GAP_THRESHOLDS,
): AccountFlag | null {
  if (computeQuadrant(teamHealth, ledgerScore, thresholds) !== "blind_spot") return null;
  return {
    flag: "ledger_disagrees",
    reason: `The team rates health ${formatNumber(teamHealth!)} but the ledger shows ${formatNumber(ledgerScore!)} (gap ${formatNumber(computeGap(teamHealth, ledgerScore)!)}).`,
  };
}

export interface AccountFlagInput {
  now: Date;
  lastCustomerVoiceAt: Date | null;
  invitations: readonly InvitationRow[];
  interactions: readonly LedgerInteractionRow[];
  customerHealth: number | null;
  teamHealth: number | null;
  ledger: { score: number; balance: number } | null;
}

/** Every flag that holds, in a fixed order: silent, busy but shallow, overdrawn, ledger disagrees. */
export function computeAccountFlags(
  input: AccountFlagInput,
  thresholds: Partial<FlagThresholds> = {},
): AccountFlag[] {
  const t: FlagThresholds = { ...DEFAULT_FLAG_THRESHOLDS, ...thresholds };
  const flags = [
    silentFlag(input, t),
    busyButShallowFlag(input, t),
    input.ledger ? overdrawnFlag(input.ledger.balance) : null,
    ledgerDisagreesFlag(input.teamHealth, input.ledger?.score ?? null, t),
  ];
  return flags.filter((flag): flag is AccountFlag => flag !== null);
}

// ─── 8. Rep calibration ───────────────────────────────────────────────────────

export interface CalibrationPredictionRow extends PredictionRow {
  accountId: string;
}
export interface CalibrationAnswerRow extends CustomerAnswerRow {
  accountId: string;
}

export interface CalibrationOptions {
  now: Date;
  /** An answer pairs with a prediction only within this many days after it; default 180. */
  horizonDays?: number;
}

export interface CalibrationPair {
  authorId: string;
  accountId: string;
  contactId: string | null;
  dimension: HealthDimension;
  madeAt: Date;
  predicted: number;
  /** What the customer then said (role-weighted over the account's respondents for an account-level prediction). */
  actual: number;
  /** When the first of those answers came in. */
  answeredAt: Date;
  responseIds: string[];
  /** predicted − actual: positive is optimistic. */
  error: number;
}

/**
 * Pairs each prediction with what the customer said next on the same dimension: per
 * respondent, the first answer completed after the prediction and within the horizon (a
 * contact-level prediction looks only at that contact). A prediction is dropped when the
 * same author predicted the same target and dimension again before those answers came in:
 * the later one is what stood when the customer spoke.
 */
export function pairPredictionsWithAnswers(
  predictions: readonly CalibrationPredictionRow[],
  answers: readonly CalibrationAnswerRow[],
  options: CalibrationOptions,
): CalibrationPair[] {
  const horizonMs = (options.horizonDays ?? CALIBRATION_HORIZON_DAYS) * DAY_MS;
  const nowMs = options.now.getTime();
  const made = predictions.filter((p) => p.madeAt.getTime() <= nowMs);
  const candidatePairs: CalibrationPair[] = [];
  for (const prediction of made) {
    assertScore(prediction.value, `prediction by ${prediction.authorId}/${prediction.dimension}`);
    const start = prediction.madeAt.getTime();
    const end = Math.min(start + horizonMs, nowMs);
    const after = answers.filter(
      (a) =>
        a.accountId === prediction.accountId &&
        a.dimension === prediction.dimension &&
        (prediction.contactId === null || a.contactId === prediction.contactId) &&
        a.completedAt.getTime() > start &&
        a.completedAt.getTime() <= end,
    );
    if (after.length === 0) continue;
    for (const row of after) assertScore(row.value, `answer ${row.responseId}/${row.dimension}`);
    const firsts = toRespondentAnswers(
      rowsAtExtreme(after, respondentKey, (row) => row.completedAt.getTime(), "earliest"),
    );
    const actual = weightedMean(firsts.map((f) => ({ value: f.value, weight: roleWeight(f.buyingRole) })))!;
    candidatePairs.push({
      authorId: prediction.authorId,
      accountId: prediction.accountId,
      contactId: prediction.contactId,
      dimension: prediction.dimension,
      madeAt: prediction.madeAt,
      predicted: prediction.value,
      actual,
      answeredAt: new Date(Math.min(...firsts.map((f) => f.completedAt.getTime()))),
      responseIds: [...new Set(firsts.flatMap((f) => f.responseIds))].sort(),
      error: prediction.value - actual,
    });
  }
  const sameTarget = (
    a: CalibrationPair,
    b: { authorId: string; accountId: string; contactId: string | null },
  ) => a.authorId === b.authorId && a.accountId === b.accountId && a.contactId === b.contactId;
  return candidatePairs
    .filter(
      (pair) =>
        !made.some(
          (other) =>
            sameTarget(pair, other) &&
            other.dimension === pair.dimension &&
            other.madeAt > pair.madeAt &&
            other.madeAt < pair.answeredAt,
        ),
    )
    .sort(
      (a, b) =>
        (a.authorId < b.authorId ? -1 : a.authorId > b.authorId ? 1 : 0) ||
        a.madeAt.getTime() - b.madeAt.getTime() ||
        HEALTH_DIMENSIONS.indexOf(a.dimension) - HEALTH_DIMENSIONS.indexOf(b.dimension) ||
        (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0),
    );
}

export interface RepCalibration {
  authorId: string;
  pairs: number;
  /** Mean |predicted − actual|: how far off, whatever the direction. */
  meanAbsoluteError: number;
  /** Mean (predicted − actual): positive is optimistic, negative pessimistic. */
  meanBias: number;
}

/** Per author with at least one pair: mean absolute error and mean signed bias. */
export function computeRepCalibration(
  predictions: readonly CalibrationPredictionRow[],
  answers: readonly CalibrationAnswerRow[],
  options: CalibrationOptions,
): RepCalibration[] {
  const byAuthor = new Map<string, number[]>();
  for (const pair of pairPredictionsWithAnswers(predictions, answers, options)) {
    const errors = byAuthor.get(pair.authorId) ?? [];
    errors.push(pair.error);
    byAuthor.set(pair.authorId, errors);
  }
  return rankCalibration(
    [...byAuthor.entries()].map(([authorId, errors]) => ({
      authorId,
      pairs: errors.length,
      meanAbsoluteError: roundScore(mean(errors.map(Math.abs))!),
      meanBias: roundScore(mean(errors)!),
    })),
  );
}

/** Best calibrated first: lowest mean absolute error, then more pairs, then author id. */
export function rankCalibration(results: readonly RepCalibration[]): RepCalibration[] {
  return [...results].sort(
    (a, b) =>
      a.meanAbsoluteError - b.meanAbsoluteError ||
      b.pairs - a.pairs ||
      (a.authorId < b.authorId ? -1 : a.authorId > b.authorId ? 1 : 0),
  );
}

// ─── 9. Trend and the 9-1-1 health drop ───────────────────────────────────────

type DimensionValue = { dimension: HealthDimension; value: number };

/** Per relationship dimension, the mean of a response's rows on it. */
function relationshipMeans(answers: readonly DimensionValue[]): Map<HealthDimension, number> {
  const means = new Map<HealthDimension, number>();
  for (const dimension of RELATIONSHIP_DIMENSIONS) {
    const values = answers.filter((a) => a.dimension === dimension).map((a) => a.value);
    for (const value of values) assertScore(value, `answer on ${dimension}`);
    const average = mean(values);
    if (average !== null) means.set(dimension, average);
  }
  return means;
}

/** One response's health: the mean of the relationship dimensions it answered; null when none. */
export function responseHealth(answers: readonly DimensionValue[]): number | null {
  return roundOrNull(mean([...relationshipMeans(answers).values()]));
}

function unroundedDrop(
  previous: readonly DimensionValue[],
  current: readonly DimensionValue[],
): number | null {
  const before = relationshipMeans(previous);
  const after = relationshipMeans(current);
  const drops = [...before.entries()].flatMap(([dimension, value]) => {
    const now = after.get(dimension);
    return now === undefined ? [] : [value - now];
  });
  return mean(drops);
}

/**
 * How far health fell from a contact's previous response to the current one (positive: it
 * dropped), over the relationship dimensions both answered; null when they share none.
 */
export function healthDrop(
  previousAnswers: readonly DimensionValue[],
  currentAnswers: readonly DimensionValue[],
): number | null {
  return roundOrNull(unroundedDrop(previousAnswers, currentAnswers));
}

/** The 9-1-1 trigger: a drop of at least HEALTH_DROP_CASE_POINTS against the previous response. */
export function isHealthDropCase(
  previousAnswers: readonly DimensionValue[],
  currentAnswers: readonly DimensionValue[],
  points: number = HEALTH_DROP_CASE_POINTS,
): boolean {
  const drop = healthDrop(previousAnswers, currentAnswers);
  return drop !== null && drop >= points;
}

export interface ContactHealthChange {
  respondent: string;
  contactId: string | null;
  buyingRole: BuyingRole | null;
  previousResponseId: string;
  previousAt: Date;
  previousHealth: number | null;
  currentResponseId: string;
  currentAt: Date;
  currentHealth: number | null;
  /** current − previous over the dimensions both answered (−healthDrop). */
  change: number;
}

export interface HealthTrend {
  /** Role-weighted mean of the contacts' changes; null when no contact has two responses. */
  change: number | null;
  contacts: ContactHealthChange[];
  confidence: ConfidenceLevel;
}

interface ResponseRows {
  responseId: string;
  completedAt: Date;
  rows: CustomerAnswerRow[];
}

function responsesByRespondent(
  answers: readonly CustomerAnswerRow[],
  now: Date,
): Map<string, ResponseRows[]> {
  const byResponse = new Map<string, ResponseRows>();
  for (const row of answers) {
    if (row.completedAt > now || !isRelationshipDimension(row.dimension)) continue;
    const held = byResponse.get(row.responseId);
    if (held) held.rows.push(row);
    else
      byResponse.set(row.responseId, {
        responseId: row.responseId,
        completedAt: row.completedAt,
        rows: [row],
      });
  }
  const byRespondent = new Map<string, ResponseRows[]>();
  for (const response of byResponse.values()) {
    const key = respondentKey(response.rows[0]!);
    byRespondent.set(key, [...(byRespondent.get(key) ?? []), response]);
  }
  for (const list of byRespondent.values()) {
    // newest first; a tie on the instant is broken by response id so the order never depends on input order
    list.sort(
      (a, b) =>
        b.completedAt.getTime() - a.completedAt.getTime() ||
        (a.responseId < b.responseId ? 1 : a.responseId > b.responseId ? -1 : 0),
    );
  }
  return byRespondent;
}

/**
 * Change of customer health since the previous survey wave: for each respondent, their
 * latest response in the window against their response before it (however old), over the
 * dimensions both answered; the account's change is the role-weighted mean.
 */
export function computeHealthTrend(
  answers: readonly CustomerAnswerRow[],
  options: WindowOptions,
): HealthTrend {
  const contacts: ContactHealthChange[] = [];
  const weighted: { value: number; weight: number }[] = [];
  const byRespondent = responsesByRespondent(answers, options.now);
  for (const [respondent, list] of [...byRespondent.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const current = list[0];
    if (!current || !isWithinWindow(current.completedAt, options.now, options.windowMonths)) continue;
    // the response before it: a second response completed at the same instant is not an earlier wave
    const previous = list.find((response) => response.completedAt < current.completedAt);
    if (!previous) continue;
    const drop = unroundedDrop(previous.rows, current.rows);
    if (drop === null) continue;
    const first = current.rows[0]!;
    contacts.push({
      respondent,
      contactId: first.contactId,
      buyingRole: first.buyingRole,
      previousResponseId: previous.responseId,
      previousAt: previous.completedAt,
      previousHealth: responseHealth(previous.rows),
      currentResponseId: current.responseId,
      currentAt: current.completedAt,
      currentHealth: responseHealth(current.rows),
      change: roundScore(-drop),
    });
    weighted.push({ value: -drop, weight: roleWeight(first.buyingRole) });
  }
  return {
    change: roundOrNull(weightedMean(weighted)),
    contacts,
    confidence: confidenceFromDates(
      contacts.map((c) => c.currentAt),
      options.now,
    ),
  };
}

// ─── Everything for one account ───────────────────────────────────────────────

export interface AccountHealthInput {
  now: Date;
  windowMonths?: number;
  answers: readonly CustomerAnswerRow[];
  predictions: readonly PredictionRow[];
  interactions: readonly LedgerInteractionRow[];
  targetCadenceDays: number | null;
  keyContactIds: readonly string[];
  invitations: readonly InvitationRow[];
  /** The latest completed response of any kind; default: the latest `completedAt` among `answers`. */
  lastCustomerVoiceAt?: Date | null;
  importance?: ImportanceByDimension;
  thresholds?: Partial<FlagThresholds>;
}

export interface AccountHealth {
  customer: CustomerView;
  nps: NpsResult;
  team: TeamView;
  ledger: LedgerView;
  gap: AccountGap;
  trend: HealthTrend;
  flags: AccountFlag[];
}

/** The three views, the gap, the trend and the flags of one account, from its rows. */
export function computeAccountHealth(input: AccountHealthInput): AccountHealth {
  const window: WindowOptions = { now: input.now, windowMonths: input.windowMonths };
  const customer = computeCustomerView(input.answers, window);
  const team = computeTeamView(input.predictions, window);
  const ledger = computeLedgerView(input, window);
  const lastCustomerVoiceAt =
    input.lastCustomerVoiceAt !== undefined
      ? input.lastCustomerVoiceAt
      : input.answers.reduce<Date | null>(
          (last, row) =>
            row.completedAt <= input.now && (!last || row.completedAt > last) ? row.completedAt : last,
          null,
        );
  return {
    customer,
    nps: computeAccountNps(input.answers, window),
    team,
    ledger,
    gap: computeAccountGap(team, customer, { ...input.thresholds, importance: input.importance }),
    trend: computeHealthTrend(input.answers, window),
    flags: computeAccountFlags(
      {
        now: input.now,
        lastCustomerVoiceAt,
        invitations: input.invitations,
        interactions: input.interactions,
        customerHealth: customer.health.value,
        teamHealth: team.health.value,
        ledger: { score: ledger.score, balance: ledger.facts.balance },
      },
      input.thresholds,
    ),
  };
}
