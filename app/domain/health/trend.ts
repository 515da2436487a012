/**
 * The trend and the 9-1-1 drop (docs/health-model.md, §8 "Trend and the 9-1-1 drop"): how far
 * a contact's health fell since their previous response, and the account's change since the
 * previous survey wave.
 */
import type { HealthDimension } from "../dimensions";
import { respondentKey, roleWeight, type BuyingRole, type CustomerAnswerRow } from "./customer";
import {
  assertScore,
  confidenceFromDates,
  isRelationshipDimension,
  isWithinWindow,
  mean,
  RELATIONSHIP_DIMENSIONS,
  roundOrNull,
  roundScore,
  weightedMean,
  type ConfidenceLevel,
  type WindowOptions,
} from "./shared";

/** DESIGN.md, Customer 9-1-1: a drop of this many points against the contact's previous response. */
export const HEALTH_DROP_CASE_POINTS = 20;

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
    const list = byRespondent.get(key);
    if (list) list.push(response);
    else byRespondent.set(key, [response]);
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
