import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Question } from "survey-core";
import { describe, expect, it } from "vitest";
import { DECISION_REASONS, HEALTH_DIMENSIONS, SURVEY_KINDS, isHealthDimension } from "~/domain/dimensions";
import { createSurveyModel, scoreAnswers, validateAnswers, validateDefinition } from "~/domain/survey-model";

const surveysDir = path.resolve(import.meta.dirname, "../../surveys");

/** Every definition in surveys/, listed when the tests run, so a new file is covered without editing this one. */
const files = readdirSync(surveysDir)
  .filter((file) => file.endsWith(".json"))
  .sort();

/** Variables the app sets when it renders a survey; any other `{name}` must be a question or calculated value. */
const APP_VARIABLES = ["company", "contact"];

type Json = Record<string, unknown>;

function readSurvey(file: string): Json {
  return JSON.parse(readFileSync(path.join(surveysDir, file), "utf8")) as Json;
}

/** The survey-core members these tests read, which the Question type does not declare. */
interface QuestionParts {
  name: string;
  dimension?: unknown;
  isRequired: boolean;
  title: string;
  visibleRateValues?: { value: unknown }[];
  choices?: { value: unknown; text: string; score?: number }[];
  valueTrue?: unknown;
  valueFalse?: unknown;
  maxSelectedChoices?: number;
  getType(): string;
}

function questionsOf(json: unknown): QuestionParts[] {
  return createSurveyModel(json).getAllQuestions(
    false,
    true,
    true,
  ) as Question[] as unknown as QuestionParts[];
}

function dimensionQuestions(json: unknown): QuestionParts[] {
  return questionsOf(json).filter((q) => isHealthDimension(q.dimension));
}

function question(json: unknown, name: string): QuestionParts {
  const found = questionsOf(json).find((q) => q.name === name);
  if (!found) throw new Error(`no question named ${name}`);
  return found;
}

function ratingValues(q: QuestionParts): number[] {
  return (q.visibleRateValues ?? []).map((v) => v.value).filter((v): v is number => typeof v === "number");
}

/** The answer that scores highest ("top") or lowest ("bottom") on a scored question. */
function extremeAnswer(q: QuestionParts, end: "top" | "bottom"): unknown {
  const pick = end === "top" ? Math.max : Math.min;
  switch (q.getType()) {
    case "rating":
      return pick(...ratingValues(q));
    case "boolean":
      return end === "top" ? (q.valueTrue ?? true) : (q.valueFalse ?? false);
    default: {
      const choices = q.choices ?? [];
      const score = pick(...choices.map((c) => c.score ?? NaN));
      return choices.find((c) => c.score === score)?.value;
    }
  }
}

function answerAll(questions: QuestionParts[], end: "top" | "bottom"): Json {
  return Object.fromEntries(questions.map((q) => [q.name, extremeAnswer(q, end)]));
}

function problemsOf(result: ReturnType<typeof validateDefinition>): string {
  return result.ok ? "" : result.problems.map((p) => `${p.where}: ${p.message}`).join("\n");
}

/** Every `{name}` used in a string of the definition (titles, texts, conditions), with the key it was found under. */
function placeholders(value: unknown, key = ""): { key: string; name: string }[] {
  if (typeof value === "string") {
    return [...value.matchAll(/\{([^{}]+)\}/g)].map((m) => ({ key, name: m[1]!.trim().split(/[.[]/)[0]! }));
  }
  if (Array.isArray(value)) return value.flatMap((v) => placeholders(v, key));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => placeholders(v, k));
  }
  return [];
}

describe("survey definitions in surveys/", () => {
  it("has at least one file", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  describe.each(files)("%s", (file) => {
    it("parses as JSON", () => {
      expect(() => readSurvey(file)).not.toThrow();
    });

    it("is a valid Rapport definition", () => {
      const result = validateDefinition(readSurvey(file));
      expect(result.ok, `validateDefinition found problems in ${file}:\n${problemsOf(result)}`).toBe(true);
    });

    it("scores each dimension question 100 at its top answer and 0 at its bottom", () => {
      const json = readSurvey(file);
      const questions = dimensionQuestions(json);
      const model = createSurveyModel(json);
      const top = scoreAnswers(model, answerAll(questions, "top"));
      const bottom = scoreAnswers(model, answerAll(questions, "bottom"));
      expect(top.map((s) => s.question)).toEqual(questions.map((q) => q.name));
      expect(
        top.every((s) => s.value === 100),
        JSON.stringify(top),
      ).toBe(true);
      expect(
        bottom.every((s) => s.value === 0),
        JSON.stringify(bottom),
      ).toBe(true);
    });

    it("refers only to its own questions and to variables the app sets", () => {
      const json = readSurvey(file);
      const known = new Set([
        ...APP_VARIABLES,
        ...questionsOf(json).map((q) => q.name),
        ...((json.calculatedValues as { name: string }[] | undefined) ?? []).map((c) => c.name),
      ]);
      const unknown = placeholders(json).filter(
        (p) => !known.has(p.name) && !(p.name === "item" && p.key === "choicesVisibleIf"),
      );
      expect(unknown).toEqual([]);
    });
  });

  it.each(SURVEY_KINDS)("includes at least one %s survey", (kind) => {
    const kinds = files.map((file) => readSurvey(file).kind);
    expect(kinds).toContain(kind);
  });
});

describe("relationship-health.json", () => {
  const json = readSurvey("relationship-health.json");

  it("gives 100 on every dimension when every rating gets its maximum", () => {
    const ratings = questionsOf(json).filter((q) => q.getType() === "rating");
    const data = Object.fromEntries(ratings.map((q) => [q.name, Math.max(...ratingValues(q))]));
    const scores = scoreAnswers(createSurveyModel(json), data);
    const byDimension = Object.fromEntries(scores.map((s) => [s.dimension, s.value]));
    expect(byDimension).toEqual(Object.fromEntries(HEALTH_DIMENSIONS.map((d) => [d, 100])));
    expect(validateAnswers(createSurveyModel(json), data, { complete: true })).toMatchObject({
      ok: true,
      data,
    });
  });

  it("maps a 1–5 rating to 0/25/50/75/100 and 0–10 to tenfold", () => {
    const scores = scoreAnswers(createSurveyModel(json), { trust: 2, value: 4, advocacy: 7 });
    expect(scores.map((s) => [s.question, s.value])).toEqual([
      ["trust", 25],
      ["value", 75],
      ["advocacy", 70],
    ]);
  });
});

describe("mirror.json", () => {
  const json = readSurvey("mirror.json");

  it("has exactly one question per dimension, named after it", () => {
    const questions = dimensionQuestions(json);
    for (const dimension of HEALTH_DIMENSIONS) {
      const matching = questions.filter((q) => q.dimension === dimension);
      expect(
        matching.map((q) => q.name),
        dimension,
      ).toEqual([dimension]);
    }
    expect(questions).toHaveLength(HEALTH_DIMENSIONS.length);
  });

  it("asks each dimension on the same scale the customer answers in relationship-health.json", () => {
    const customer = readSurvey("relationship-health.json");
    for (const dimension of HEALTH_DIMENSIONS) {
      expect(ratingValues(question(json, dimension)), dimension).toEqual(
        ratingValues(question(customer, dimension)),
      );
    }
  });

  it("requires every prediction and leaves the reasoning optional", () => {
    expect(dimensionQuestions(json).every((q) => q.isRequired)).toBe(true);
    expect(question(json, "confidence_basis").isRequired).toBe(false);
  });

  it("names the contact when there is one and says 'the customer' otherwise", () => {
    const model = createSurveyModel(json);
    const trust = () =>
      (model.getQuestionByName("trust") as unknown as { locTitle: { renderedHtml: string } }).locTitle
        .renderedHtml;
    model.setVariable("company", "Acme");
    expect(trust()).toBe("How far will the customer agree that Acme does what it says it will do?");
    model.setVariable("contact", "Dana Lee");
    expect(trust()).toBe("How far will Dana Lee agree that Acme does what it says it will do?");
  });
});

describe("win-loss.json", () => {
  const json = readSurvey("win-loss.json");

  it.each(["primary_reason", "secondary_reasons"])("offers the whole reason taxonomy in %s", (name) => {
    const q = question(json, name) as QuestionParts & { reasonTaxonomy?: boolean };
    expect(q.reasonTaxonomy).toBe(true);
    expect((q.choices ?? []).map((c) => c.value)).toEqual([...DECISION_REASONS]);
    expect((q.choices ?? []).every((c) => c.text.trim() !== "" && c.text !== c.value)).toBe(true);
  });

  it("requires the decision and the primary reason, and caps secondary reasons at three", () => {
    expect(question(json, "decision").isRequired).toBe(true);
    expect(question(json, "primary_reason").isRequired).toBe(true);
    expect(question(json, "secondary_reasons").maxSelectedChoices).toBe(3);
  });

  it("asks for the competitor only when the buyer chose another provider", () => {
    const model = createSurveyModel(json);
    const competitor = model.getQuestionByName("competitor");
    for (const decision of ["chose_us", "chose_another", "not_buying_now", "still_deciding"]) {
      model.setValue("decision", decision);
      expect(competitor.isVisible, decision).toBe(decision === "chose_another");
    }
  });

  it("accepts and scores a complete answer from a lost deal", () => {
    const data = {
      decision: "chose_another",
      competitor: "Globex",
      primary_reason: "price",
      secondary_reasons: ["implementation_risk", "responsiveness"],
      compare_responsiveness: 2,
      compare_understanding: 4,
      compare_relationship: 5,
      compare_value: 1,
      compare_trust: 3,
      what_would_change: "A phased rollout and a clearer price for year two.",
      follow_up_ok: true,
    };
    expect(validateAnswers(createSurveyModel(json), data, { complete: true })).toMatchObject({
      ok: true,
      data,
    });
    const scores = scoreAnswers(createSurveyModel(json), data);
    expect(Object.fromEntries(scores.map((s) => [s.dimension, s.value]))).toEqual({
      responsiveness: 25,
      understanding: 75,
      relationship: 100,
      value: 0,
      trust: 50,
    });
  });

  it("cannot be completed with only the decision answered: the primary reason is missing", () => {
    const model = createSurveyModel(json);
    model.data = { decision: "chose_us" };
    expect(model.validate(true, false)).toBe(false);
    const unanswered = model.getAllQuestions(true).filter((q) => q.errors.length > 0);
    expect(unanswered.map((q) => q.name)).toEqual(["primary_reason"]);
  });
});

describe("interview-guide.json", () => {
  const json = readSurvey("interview-guide.json");
  const pages = json.pages as { name: string }[];

  it.each(pages.map((p) => p.name))("has optional interviewer notes in section %s", (section) => {
    const notes = question(json, `interviewer_notes_${section}`);
    expect(notes.getType()).toBe("comment");
    expect(notes.title).toBe("Interviewer notes");
    expect(notes.isRequired).toBe(false);
  });

  it("requires every rating, and every rating measures a dimension", () => {
    const ratings = questionsOf(json).filter((q) => q.getType() === "rating");
    expect(ratings.map((q) => [q.name, q.isRequired, isHealthDimension(q.dimension)])).toEqual(
      ratings.map((q) => [q.name, true, true]),
    );
    expect(new Set(ratings.map((q) => q.dimension))).toEqual(new Set(HEALTH_DIMENSIONS));
  });

  it("asks which of the six health dimensions matter most, by their dimension names", () => {
    const important = question(json, "important_dimensions");
    expect(important.getType()).toBe("checkbox");
    expect(new Set((important.choices ?? []).map((c) => c.value))).toEqual(
      new Set(HEALTH_DIMENSIONS.filter((d) => d !== "advocacy" && d !== "renewal")),
    );
  });
});

describe("winloss-interview.json", () => {
  const json = readSurvey("winloss-interview.json");
  const buyerSurvey = readSurvey("win-loss.json");
  const pages = json.pages as { name: string; elements: { name: string }[] }[];

  it("is an interview guide, so the interview recorder offers it and campaigns never send it", () => {
    expect(json.kind).toBe("interview");
  });

  it.each(["decision", "competitor", "primary_reason", "secondary_reasons"])(
    "asks %s exactly as the buyer survey does: same name, type and choices",
    (name) => {
      const spoken = question(json, name);
      const written = question(buyerSurvey, name);
      expect(spoken.getType()).toBe(written.getType());
      expect((spoken.choices ?? []).map((c) => c.value)).toEqual((written.choices ?? []).map((c) => c.value));
      expect(spoken.isRequired).toBe(written.isRequired);
      expect(spoken.maxSelectedChoices).toBe(written.maxSelectedChoices);
    },
  );

  it.each(["primary_reason", "secondary_reasons"])("marks %s as the reason taxonomy", (name) => {
    const q = question(json, name) as QuestionParts & { reasonTaxonomy?: boolean };
    expect(q.reasonTaxonomy).toBe(true);
    expect((q.choices ?? []).map((c) => c.value)).toEqual([...DECISION_REASONS]);
  });

  it("keeps the interviewer's own notes in optional questions named interviewer_*, one in every section", () => {
    const notes = questionsOf(json).filter((q) => q.name.startsWith("interviewer_"));
    expect(notes.every((q) => q.getType() === "comment" && !q.isRequired)).toBe(true);
    for (const page of pages) {
      expect(
        page.elements.some((e) => e.name === `interviewer_notes_${page.name}`),
        page.name,
      ).toBe(true);
    }
  });

  it("accepts a complete interview of a lost deal and scores its comparisons like the survey", () => {
    const data = {
      decision: "chose_another",
      competitor: "Globex",
      primary_reason: "implementation_risk",
      secondary_reasons: ["price"],
      reasons_in_their_words: "Your rollout plan needed our IT team for six months.",
      interviewer_notes_reasons: "The CFO joined for this part.",
      compare_value: 2,
      compare_trust: 5,
    };
    expect(validateAnswers(createSurveyModel(json), data, { complete: true })).toMatchObject({
      ok: true,
      data,
    });
    const scores = scoreAnswers(createSurveyModel(json), data);
    expect(Object.fromEntries(scores.map((s) => [s.question, s.value]))).toEqual({
      compare_value: 25,
      compare_trust: 100,
    });
  });

  it("cannot be saved without the decision and the primary reason", () => {
    const checked = validateAnswers(
      createSurveyModel(json),
      { interviewer_notes_decision: "No-show." },
      {
        complete: true,
      },
    );
    expect(checked.ok).toBe(false);
    expect(checked.ok ? [] : Object.keys(checked.errors).sort()).toEqual(["decision", "primary_reason"]);
  });
});

describe("validateDefinition refuses a broken copy of relationship-health.json", () => {
  it("rejects an unknown dimension and names the question", () => {
    const json = readSurvey("relationship-health.json");
    const broken = structuredClone(json) as { pages: { elements: Json[] }[] };
    const target = broken.pages[0]!.elements.find((e) => e.dimension === "value")!;
    target.dimension = "happiness";
    const result = validateDefinition(broken);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toContainEqual({
      where: "value",
      message: expect.stringContaining('"happiness"'),
    });
  });

  it("rejects a file-upload question", () => {
    const json = readSurvey("relationship-health.json");
    const broken = structuredClone(json) as { pages: { elements: Json[] }[] };
    broken.pages[1]!.elements.push({ type: "file", name: "attachment", title: "Attach a document" });
    const result = validateDefinition(broken);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toContainEqual({
      where: "attachment",
      message: expect.stringContaining('"file" is not supported'),
    });
  });
});
