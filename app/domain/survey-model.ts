/**
 * The one place that teaches SurveyJS about Rapport: custom properties, what a valid
 * definition is, and how a question's answer becomes a 0–100 score. Imported by the
 * server (validation, scoring) and the browser (rendering), so both read a definition
 * the same way. Pure: no I/O.
 */
import { Model, Serializer, type Question } from "survey-core";
import {
  DECISION_REASONS,
  HEALTH_DIMENSIONS,
  SURVEY_KINDS,
  isHealthDimension,
  type HealthDimension,
  type SurveyKind,
} from "./dimensions";

// ─── Custom properties (registered once, at module scope) ─────────────────────

function addPropertyOnce(className: string, property: Parameters<typeof Serializer.addProperty>[1]) {
  const name = typeof property === "string" ? property.split(":")[0]! : property.name.split(":")[0]!;
  if (!Serializer.findProperty(className, name)) Serializer.addProperty(className, property);
}

// Which health dimension a scored question measures.
addPropertyOnce("question", { name: "dimension", category: "general", choices: [...HEALTH_DIMENSIONS] });
// Marks a choice question whose choices are the win/loss reason taxonomy.
addPropertyOnce("question", { name: "reasonTaxonomy:boolean", category: "general" });
// The score (0–100) of a choice in a scored single-choice question.
addPropertyOnce("itemvalue", { name: "score:number" });
// What kind of survey a definition is.
addPropertyOnce("survey", { name: "kind", category: "general", choices: [...SURVEY_KINDS] });

/** Question types a Rapport survey may use; anything else is refused at import. */
export const SUPPORTED_QUESTION_TYPES = [
  "rating",
  "radiogroup",
  "dropdown",
  "checkbox",
  "tagbox",
  "boolean",
  "text",
  "comment",
  "html",
  "expression",
] as const;
const SCORABLE_TYPES = ["rating", "boolean", "radiogroup", "dropdown"];
const DISPLAY_ONLY_TYPES = ["html", "expression"];

/** Long answers are welcome, not unbounded (a comment without maxLength gets this cap). */
export const DEFAULT_MAX_TEXT_LENGTH = 5000;

export interface DefinitionProblem {
  /** The question (or "survey") the problem is about. */
  where: string;
  message: string;
}

export interface ParsedDefinition {
  kind: SurveyKind;
  title: string;
  model: Record<string, unknown>;
}

/** Builds a survey-core Model; the caller decides which variables to set. */
export function createSurveyModel(json: unknown): Model {
  return new Model(json);
}

function questionTitle(question: Question) {
  return question.name;
}

/**
 * Checks a SurveyJS JSON definition: parses without SurveyJS errors, says what kind it
 * is, uses only supported question types, has unique question names, names only known
 * dimensions, and every dimension question can be scored.
 */
export function validateDefinition(
  json: unknown,
): { ok: true; definition: ParsedDefinition } | { ok: false; problems: DefinitionProblem[] } {
  const problems: DefinitionProblem[] = [];
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return {
      ok: false,
      problems: [{ where: "survey", message: "must be a JSON object (a SurveyJS survey)" }],
    };
  }
  const raw = json as Record<string, unknown>;
  if (!Array.isArray(raw.pages) || raw.pages.length === 0) {
    problems.push({ where: "survey", message: "must have at least one page in `pages`" });
  }
  if (typeof raw.title !== "string" || raw.title.trim() === "") {
    problems.push({ where: "survey", message: "must have a `title`" });
  }
  if (!(SURVEY_KINDS as readonly string[]).includes(raw.kind as string)) {
    problems.push({
      where: "survey",
      message: `\`kind\` must be one of ${SURVEY_KINDS.join(", ")} (got ${JSON.stringify(raw.kind ?? null)})`,
    });
  }

  const model = createSurveyModel(json);
  for (const error of model.jsonErrors ?? []) {
    problems.push({ where: "survey", message: `SurveyJS: ${error.message}` });
  }

  const seen = new Set<string>();
  for (const question of model.getAllQuestions(false, true, true) as Question[]) {
    const where = questionTitle(question);
    const type = question.getType();
    if (seen.has(question.name)) problems.push({ where, message: "the question name is used twice" });
    seen.add(question.name);
    if (!(SUPPORTED_QUESTION_TYPES as readonly string[]).includes(type)) {
      problems.push({
        where,
        message: `question type "${type}" is not supported (use ${SUPPORTED_QUESTION_TYPES.join(", ")})`,
      });
      continue;
    }
    const dimension = (question as unknown as { dimension?: unknown }).dimension;
    if (dimension !== undefined && dimension !== null && dimension !== "") {
      if (!isHealthDimension(dimension)) {
        problems.push({
          where,
          message: `unknown dimension ${JSON.stringify(dimension)} (use ${HEALTH_DIMENSIONS.join(", ")})`,
        });
      } else {
        const reason = unscorableReason(question);
        if (reason) problems.push({ where, message: `cannot be scored for "${dimension}": ${reason}` });
      }
    }
    if ((question as unknown as { reasonTaxonomy?: boolean }).reasonTaxonomy) {
      const values = choiceValues(question);
      const unknown = values.filter((v) => !(DECISION_REASONS as readonly unknown[]).includes(v));
      if ((question as unknown as { showOtherItem?: boolean }).showOtherItem) {
        problems.push({
          where,
          message: "a reason question cannot offer 'other': it is not a reason in the taxonomy",
        });
      }
      if (values.length === 0 || unknown.length > 0) {
        problems.push({
          where,
          message: `reason choices must come from the taxonomy (${DECISION_REASONS.join(", ")})${
            unknown.length ? `; unknown: ${unknown.map((v) => JSON.stringify(v)).join(", ")}` : ""
          }`,
        });
      }
    }
  }
  if (seen.size === 0) problems.push({ where: "survey", message: "has no questions" });

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    definition: { kind: raw.kind as SurveyKind, title: (raw.title as string).trim(), model: raw },
  };
}

function choiceValues(question: Question): unknown[] {
  const choices = (question as unknown as { choices?: { value: unknown }[] }).choices ?? [];
  return choices.map((c) => c.value);
}

function unscorableReason(question: Question): string | null {
  const type = question.getType();
  if (!SCORABLE_TYPES.includes(type)) {
    return `a ${type} question has no scale (use rating, boolean, or single choice with a score on each choice)`;
  }
  if (type === "rating") {
    const values = ratingValues(question);
    if (values.length < 2) return "a rating needs at least two points";
    if (values.some((v) => typeof v !== "number")) return "rating values must be numbers";
    return null;
  }
  if (type === "radiogroup" || type === "dropdown") {
    const choices = (question as unknown as { choices: { value: unknown; score?: unknown }[] }).choices;
    if (choices.length === 0) return "it has no choices";
    const missing = choices.filter((c) => typeof c.score !== "number" || c.score < 0 || c.score > 100);
    if (missing.length > 0) {
      return `every choice needs a score from 0 to 100 (missing or wrong on ${missing
        .map((c) => JSON.stringify(c.value))
        .join(", ")})`;
    }
    if ((question as unknown as { showOtherItem?: boolean }).showOtherItem)
      return "an 'other' choice has no score";
  }
  return null;
}

function ratingValues(question: Question): unknown[] {
  return ((question as unknown as { visibleRateValues: { value: unknown }[] }).visibleRateValues ?? []).map(
    (v) => v.value,
  );
}

// ─── Scoring ──────────────────────────────────────────────────────────────────

export interface ScoredAnswer {
  question: string;
  dimension: HealthDimension;
  value: number;
}

/**
 * Turns raw answers into 0–100 scores, one per answered dimension question: a rating
 * maps its scale linearly (1–5 → 0/25/50/75/100, 0–10 → ×10), a boolean yes → 100 and
 * no → 0, a single choice its choice's `score`. Unanswered or unscorable answers give
 * no row, and so does a question the respondent could not see (hidden by its
 * `visibleIf`). Works on partial answers too.
 */
export function scoreAnswers(model: Model, data: Record<string, unknown>): ScoredAnswer[] {
  const plan = scoringPlan(model);
  // Loading answers into a model runs every condition in it: half a millisecond for
  // relationship-health, the most expensive step of an autosave. Only needed when one of
  // the scored questions can be hidden by an answer.
  if (!plan.dependsOnAnswers) return scoreQuestions(plan.questions, data);
  model.data = data;
  return scoreLoadedAnswers(model, data);
}

/** scoreAnswers for a model already holding `data`: setting it again costs as much as the scoring. */
function scoreLoadedAnswers(model: Model, data: Record<string, unknown>): ScoredAnswer[] {
  const plan = scoringPlan(model);
  if (!plan.dependsOnAnswers) return scoreQuestions(plan.questions, data);
  const visible = (model.getAllQuestions(true) as Question[]).filter(
    (question) => !question.page || question.page.isVisible,
  );
  return scoreQuestions(visible, data);
}

function scoreQuestions(questions: Question[], data: Record<string, unknown>): ScoredAnswer[] {
  const scored: ScoredAnswer[] = [];
  for (const question of questions) {
    const dimension = (question as unknown as { dimension?: unknown }).dimension;
    if (!isHealthDimension(dimension)) continue;
    if (!(question.name in data)) continue;
    const value = scoreOne(question, data[question.name]);
    if (value !== null) scored.push({ question: question.name, dimension, value });
  }
  return scored;
}

/**
 * What scoring a version needs to know, worked out once per parsed model: its scored
 * (dimension) questions that are shown at all, and whether any of them, or a panel or page
 * around it, has a `visibleIf` — only then do the answers decide what is scored.
 */
interface ScoringPlan {
  questions: Question[];
  dependsOnAnswers: boolean;
}
const scoringPlans = new WeakMap<Model, ScoringPlan>();

function scoringPlan(model: Model): ScoringPlan {
  let plan = scoringPlans.get(model);
  if (!plan) {
    const questions = (model.getAllQuestions(false, false, true) as Question[]).filter((question) =>
      isHealthDimension((question as unknown as { dimension?: unknown }).dimension),
    );
    const containers = (question: Question) => {
      const chain: { visible: boolean; visibleIf?: string }[] = [];
      let element = question as unknown as
        { parent?: unknown; visible: boolean; visibleIf?: string } | undefined;
      while (element) {
        chain.push(element);
        element = element.parent as typeof element;
      }
      if (question.page) chain.push(question.page as unknown as { visible: boolean; visibleIf?: string });
      return chain;
    };
    plan = {
      questions: questions.filter((question) => containers(question).every((element) => element.visible)),
      dependsOnAnswers: questions.some((question) =>
        containers(question).some((element) => !!element.visibleIf),
      ),
    };
    scoringPlans.set(model, plan);
  }
  return plan;
}

function scoreOne(question: Question, answer: unknown): number | null {
  switch (question.getType()) {
    case "rating": {
      const values = ratingValues(question).filter((v): v is number => typeof v === "number");
      if (typeof answer !== "number" || !values.includes(answer)) return null;
      const min = Math.min(...values);
      const max = Math.max(...values);
      return Math.round(((answer - min) / (max - min)) * 100);
    }
    case "boolean": {
      const q = question as unknown as { valueTrue?: unknown; valueFalse?: unknown };
      if (answer === (q.valueTrue ?? true)) return 100;
      if (answer === (q.valueFalse ?? false)) return 0;
      return null;
    }
    case "radiogroup":
    case "dropdown": {
      const choice = (question as unknown as { choices: { value: unknown; score?: number }[] }).choices.find(
        (c) => c.value === answer,
      );
      return typeof choice?.score === "number" ? Math.round(choice.score) : null;
    }
    default:
      return null;
  }
}

// ─── Validating what a respondent sent ────────────────────────────────────────

export type AnswerErrors = Record<string, string[]>;

/**
 * Checks submitted answers against the exact version they answer. Always: every key is
 * a question of this survey, and every value has the question's type and range. With
 * `complete`, also everything survey-core itself checks (required answers, validators),
 * for the questions the respondent can see. Returns per-question messages, or the answers
 * with their scores (scoreAnswers), computed on the same loaded model.
 */
export function validateAnswers(
  model: Model,
  data: unknown,
  options: { complete: boolean },
): { ok: true; data: Record<string, unknown>; scores: ScoredAnswer[] } | { ok: false; errors: AnswerErrors } {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { ok: false, errors: { survey: ["The answers must be sent as a JSON object."] } };
  }
  const answers = data as Record<string, unknown>;
  // Keyed by whatever the respondent sent: without a prototype, `__proto__` or `constructor`
  // is a key like any other rather than Object.prototype's own (found by fuzzing).
  const errors: AnswerErrors = Object.create(null) as AnswerErrors;
  const add = (name: string, message: string) => (errors[name] ??= []).push(message);

  const questions = new Map<string, Question>();
  for (const question of model.getAllQuestions(false, true, true) as Question[]) {
    if (!DISPLAY_ONLY_TYPES.includes(question.getType())) questions.set(question.name, question);
  }
  for (const [name, value] of Object.entries(answers)) {
    const commentOf = name.endsWith("-Comment")
      ? questions.get(name.slice(0, -"-Comment".length))
      : undefined;
    if (commentOf) {
      if (typeof value !== "string") add(name, "must be text.");
      else if (value.length > DEFAULT_MAX_TEXT_LENGTH)
        add(name, `must be at most ${DEFAULT_MAX_TEXT_LENGTH} characters.`);
      else if (!isStorableText(value)) add(name, UNSTORABLE_TEXT);
      continue;
    }
    const question = questions.get(name);
    if (!question) {
      add(name, "is not a question in this survey.");
      continue;
    }
    if (value === null || value === undefined) continue;
    const problem = typeProblem(question, value);
    if (problem) add(name, problem);
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  if (options.complete) {
    model.data = answers;
    // Question by question: page.validate() stops filling `errors` after some question types.
    for (const question of model.getAllQuestions(true) as Question[]) {
      if (question.page && !question.page.isVisible) continue;
      if (!question.validate(true)) for (const error of question.errors) add(question.name, error.getText());
    }
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    return { ok: true, data: answers, scores: scoreLoadedAnswers(model, answers) };
  }
  return { ok: true, data: answers, scores: scoreAnswers(model, answers) };
}

function typeProblem(question: Question, value: unknown): string | null {
  const type = question.getType();
  switch (type) {
    case "rating": {
      const allowed = ratingValues(question);
      return allowed.includes(value) ? null : `must be one of ${allowed.join(", ")}.`;
    }
    case "boolean": {
      const q = question as unknown as { valueTrue?: unknown; valueFalse?: unknown };
      return value === (q.valueTrue ?? true) || value === (q.valueFalse ?? false)
        ? null
        : "must be yes or no.";
    }
    case "radiogroup":
    case "dropdown": {
      const allowed = allowedChoices(question);
      return allowed.includes(value) ? null : `${JSON.stringify(value)} is not one of the choices.`;
    }
    case "checkbox":
    case "tagbox": {
      if (!Array.isArray(value)) return "must be a list of choices.";
      const allowed = allowedChoices(question);
      const unknown = value.filter((v) => !allowed.includes(v));
      if (unknown.length > 0)
        return `${unknown.map((v) => JSON.stringify(v)).join(", ")} is not one of the choices.`;
      if (new Set(value).size !== value.length) return "lists a choice twice.";
      const most = (question as unknown as { maxSelectedChoices?: number }).maxSelectedChoices;
      if (most && most > 0 && value.length > most) return `allows at most ${most} choices.`;
      return null;
    }
    case "text": {
      const inputType = (question as unknown as { inputType?: string }).inputType;
      if (inputType === "number") {
        return typeof value === "number" && Number.isFinite(value) ? null : "must be a number.";
      }
      return textProblem(question, value);
    }
    case "comment":
      return textProblem(question, value);
    default:
      return null;
  }
}

function textProblem(question: Question, value: unknown): string | null {
  if (typeof value !== "string") return "must be text.";
  const declared = (question as unknown as { maxLength?: number }).maxLength;
  const max = declared && declared > 0 ? declared : DEFAULT_MAX_TEXT_LENGTH;
  if (value.length > max) return `must be at most ${max} characters.`;
  return isStorableText(value) ? null : UNSTORABLE_TEXT;
}

const UNSTORABLE_TEXT = "contains a character that cannot be stored (a NUL or half of a surrogate pair).";
// eslint-disable-next-line no-control-regex -- the NUL is what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Whether Postgres can keep a text exactly: jsonb refuses a NUL (\u0000) and a lone UTF-16
 * surrogate outright, and a text column would store the surrogate as U+FFFD.
 */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

function allowedChoices(question: Question): unknown[] {
  const q = question as unknown as { showOtherItem?: boolean; showNoneItem?: boolean };
  const values = choiceValues(question);
  if (q.showOtherItem) values.push("other");
  if (q.showNoneItem) values.push("none");
  return values;
}

/**
 * The survey's description as the customer's language has it (SurveyJS allows a plain
 * string or `{ default, de, … }`), or null; the survey page renders it on the server.
 */
export function surveyDescription(model: unknown, language: string | null): string | null {
  const description = (model as { description?: unknown } | null)?.description;
  if (typeof description === "string") return description.trim() || null;
  if (description && typeof description === "object") {
    const texts = description as Record<string, unknown>;
    const text = (language ? texts[language] : undefined) ?? texts.default;
    return typeof text === "string" && text.trim() ? text.trim() : null;
  }
  return null;
}
