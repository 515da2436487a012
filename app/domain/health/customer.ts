/**
 * The customer view and NPS (docs/health-model.md, §1 "Customer view" and §2 "NPS"): what the
 * customer says, each respondent's latest answer weighted by buying role, and the account's
 * Net Promoter Score, one person one vote.
 */
import type { Contact } from "../../../db/schema";
import type { HealthDimension } from "../dimensions";
import {
  assertScore,
  confidenceFromDates,
  isWithinWindow,
  mean,
  perDimension,
  RELATIONSHIP_DIMENSIONS,
  roundOrNull,
  roundWhole,
  rowsAtExtreme,
  weightedMean,
  type ConfidenceLevel,
  type WindowOptions,
} from "./shared";

// ─── 1. Customer view ─────────────────────────────────────────────────────────

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

export function toRespondentAnswers(groups: readonly CustomerAnswerRow[][]): RespondentAnswer[] {
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
