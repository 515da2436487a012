/**
 * What stands behind the numbers of an account's health (pure, no I/O). health.ts computes
 * the views; these helpers pick out the rows each number rests on — the answers behind a
 * customer value, the predictions behind a team value — using the same selection rules, so
 * a page can link every figure to its source. Also the customers' own words: the free-text
 * answers kept verbatim in responses.data.
 */
import { HEALTH_DIMENSIONS, type HealthDimension } from "./dimensions";
import { elementTitle, isInterviewerOnly, surveyElements } from "./survey-verbatims";
import {
  isWithinWindow,
  latestAnswersPerContact,
  type CustomerAnswerRow,
  type PredictionRow,
  type RespondentAnswer,
  type WindowOptions,
} from "./health";

function perDimension<T>(make: (dimension: HealthDimension) => T): Record<HealthDimension, T> {
  return Object.fromEntries(HEALTH_DIMENSIONS.map((d) => [d, make(d)])) as Record<HealthDimension, T>;
}

/**
 * Per dimension, the respondents' latest answers the customer view weighs (health.ts's
 * latestAnswersPerContact), most recent first.
 */
export function customerSources(
  answers: readonly CustomerAnswerRow[],
  options: WindowOptions,
): Record<HealthDimension, RespondentAnswer[]> {
  const latest = latestAnswersPerContact(answers, options);
  return perDimension((dimension) =>
    latest
      .filter((item) => item.dimension === dimension)
      .sort(
        (a, b) => b.completedAt.getTime() - a.completedAt.getTime() || (a.respondent < b.respondent ? -1 : 1),
      ),
  );
}

/** A prediction value with the prediction it belongs to. */
export interface SourcedPredictionRow extends PredictionRow {
  predictionId: string;
}

/**
 * Per dimension, the prediction values the team view averages: each author's latest in the
 * window (every value at that instant, as health.ts's team view takes them), most recent first.
 */
export function teamSources<T extends SourcedPredictionRow>(
  predictions: readonly T[],
  options: WindowOptions,
): Record<HealthDimension, T[]> {
  const latest = new Map<string, T[]>();
  for (const row of predictions) {
    if (!isWithinWindow(row.madeAt, options.now, options.windowMonths)) continue;
    const key = `${row.dimension}|${row.authorId}`;
    const held = latest.get(key);
    const heldAt = held?.[0]?.madeAt.getTime();
    if (heldAt === undefined || row.madeAt.getTime() > heldAt) latest.set(key, [row]);
    else if (row.madeAt.getTime() === heldAt) held!.push(row);
  }
  const all = [...latest.values()].flat();
  return perDimension((dimension) =>
    all
      .filter((row) => row.dimension === dimension)
      .sort((a, b) => b.madeAt.getTime() - a.madeAt.getTime() || (a.predictionId < b.predictionId ? -1 : 1)),
  );
}

// ─── Verbatims ────────────────────────────────────────────────────────────────

export interface FreeTextQuestion {
  name: string;
  title: string;
}

/**
 * The free-text (comment) questions of a SurveyJS model, in the order they are asked,
 * with their titles ("{company}" read as "us", since it is the team reading).
 */
export function freeTextQuestions(model: unknown): FreeTextQuestion[] {
  return surveyElements(model)
    .filter(
      (e): e is typeof e & { name: string } =>
        e.type === "comment" && typeof e.name === "string" && !isInterviewerOnly(e.name),
    )
    .map((e) => ({ name: e.name, title: elementTitle(e, { company: "us" }) }));
}

export interface VerbatimSource {
  responseId: string;
  contactId: string | null;
  completedAt: Date;
  surveyVersionId: string;
  data: unknown;
}

export interface Verbatim {
  responseId: string;
  contactId: string | null;
  completedAt: Date;
  question: string;
  questionTitle: string;
  text: string;
}

/**
 * The customers' free-text answers, newest response first and in question order within
 * one, exactly as they wrote them (only surrounding blank space trimmed); blank answers and
 * anything that is not text are left out.
 */
export function collectVerbatims(
  responses: readonly VerbatimSource[],
  questionsByVersion: ReadonlyMap<string, readonly FreeTextQuestion[]>,
): Verbatim[] {
  const ordered = [...responses].sort(
    (a, b) => b.completedAt.getTime() - a.completedAt.getTime() || (a.responseId < b.responseId ? -1 : 1),
  );
  return ordered.flatMap((response) => {
    const data =
      response.data && typeof response.data === "object" ? (response.data as Record<string, unknown>) : {};
    return (questionsByVersion.get(response.surveyVersionId) ?? []).flatMap((question) => {
      const value = data[question.name];
      if (typeof value !== "string" || value.trim() === "") return [];
      return [
        {
          responseId: response.responseId,
          contactId: response.contactId,
          completedAt: response.completedAt,
          question: question.name,
          questionTitle: question.title,
          text: value.trim(),
        },
      ];
    });
  });
}
