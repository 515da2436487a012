import { describe, expect, it } from "vitest";
import {
  createSurveyModel,
  scoreAnswers,
  surveyDescription,
  validateAnswers,
  validateDefinition,
} from "~/domain/survey-model";

const definition = {
  title: "Test",
  kind: "relationship",
  pages: [
    {
      name: "p1",
      elements: [
        { type: "rating", name: "trust", dimension: "trust", isRequired: true, rateMin: 1, rateMax: 5 },
        { type: "comment", name: "trust_why", visibleIf: "{trust} <= 2", maxLength: 20 },
        { type: "rating", name: "advocacy", dimension: "advocacy", rateMin: 0, rateMax: 10 },
        { type: "boolean", name: "renew", dimension: "renewal" },
        {
          type: "radiogroup",
          name: "value",
          dimension: "value",
          choices: [
            { value: "low", score: 0 },
            { value: "fair", score: 60 },
            { value: "great", score: 100 },
          ],
        },
        { type: "checkbox", name: "areas", choices: ["a", "b", "c"], maxSelectedChoices: 2 },
        {
          type: "rating",
          name: "why_low",
          dimension: "relationship",
          visibleIf: "{trust} <= 2",
          rateMin: 1,
          rateMax: 5,
        },
        { type: "text", name: "seats", inputType: "number" },
      ],
    },
  ],
};

const model = () => createSurveyModel(definition);

describe("validateDefinition", () => {
  it("accepts a well-formed definition and reads its kind and title", () => {
    const result = validateDefinition(definition);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.definition).toMatchObject({ kind: "relationship", title: "Test" });
  });

  it("names every problem: kind, unknown dimension, unscorable question, unsupported type, duplicate name", () => {
    const bad = {
      title: "Bad",
      kind: "party",
      pages: [
        {
          elements: [
            { type: "rating", name: "a", dimension: "happiness" },
            { type: "comment", name: "b", dimension: "trust" },
            { type: "radiogroup", name: "c", dimension: "value", choices: ["x", "y"] },
            { type: "file", name: "d" },
            { type: "text", name: "a" },
          ],
        },
      ],
    };
    const result = validateDefinition(bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const text = result.problems.map((p) => `${p.where}: ${p.message}`);
    expect(text).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^survey: `kind` must be one of/),
        expect.stringMatching(/^a: unknown dimension "happiness"/),
        expect.stringMatching(/^b: cannot be scored for "trust"/),
        expect.stringMatching(/^c: cannot be scored for "value": every choice needs a score/),
        expect.stringMatching(/^d: question type "file" is not supported/),
        expect.stringMatching(/^a: the question name is used twice/),
      ]),
    );
  });

  it("rejects what is not a survey at all", () => {
    for (const value of [null, 42, "survey", [], {}]) expect(validateDefinition(value).ok).toBe(false);
  });

  it("reports SurveyJS's own JSON errors", () => {
    const result = validateDefinition({
      ...definition,
      pages: [{ elements: [{ type: "rating", name: "x", colour: "red" }] }],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.message).join()).toMatch(/Unknown property.*colour/);
  });
});

describe("scoreAnswers", () => {
  it("maps 1–5 to 0/25/50/75/100", () => {
    expect([1, 2, 3, 4, 5].map((v) => scoreAnswers(model(), { trust: v })[0]!.value)).toEqual([
      0, 25, 50, 75, 100,
    ]);
  });

  it("maps 0–10 by ×10, a boolean to 100/0, and a choice to its score", () => {
    expect(scoreAnswers(model(), { advocacy: 7, renew: false, value: "fair" })).toEqual([
      { question: "advocacy", dimension: "advocacy", value: 70 },
      { question: "renew", dimension: "renewal", value: 0 },
      { question: "value", dimension: "value", value: 60 },
    ]);
  });

  it("scores only what was answered (a partial response) and ignores out-of-scale values", () => {
    expect(scoreAnswers(model(), { trust: 4 })).toEqual([
      { question: "trust", dimension: "trust", value: 75 },
    ]);
    expect(scoreAnswers(model(), { trust: 9, advocacy: "10" })).toEqual([]);
    expect(scoreAnswers(model(), {})).toEqual([]);
  });

  it("scores without loading the answers into the model when no scored question can be hidden", () => {
    const unconditional = createSurveyModel({
      ...definition,
      pages: [{ name: "p1", elements: definition.pages[0]!.elements.filter((e) => e.name !== "why_low") }],
    });
    unconditional.data = { trust: 1 };
    expect(scoreAnswers(unconditional, { trust: 4, advocacy: 7 })).toEqual([
      { question: "trust", dimension: "trust", value: 75 },
      { question: "advocacy", dimension: "advocacy", value: 70 },
    ]);
    expect(unconditional.data).toEqual({ trust: 1 });
  });

  it("loads the answers when a panel or page around a scored question has a visibleIf", () => {
    const rating = { type: "rating", name: "advocacy", dimension: "advocacy", rateMin: 0, rateMax: 10 };
    const gate = { type: "boolean", name: "recommends" };
    for (const pages of [
      [
        {
          name: "p1",
          elements: [
            gate,
            { type: "panel", name: "more", visibleIf: "{recommends} = true", elements: [rating] },
          ],
        },
      ],
      [
        { name: "p1", elements: [gate] },
        { name: "p2", visibleIf: "{recommends} = true", elements: [rating] },
      ],
    ]) {
      const gated = createSurveyModel({ title: "Gated", kind: "relationship", pages });
      expect(scoreAnswers(gated, { recommends: false, advocacy: 9 })).toEqual([]);
      expect(scoreAnswers(gated, { recommends: true, advocacy: 9 })).toEqual([
        { question: "advocacy", dimension: "advocacy", value: 90 },
      ]);
    }
  });

  it("does not score a question the respondent could not see", () => {
    expect(scoreAnswers(model(), { trust: 5, why_low: 1 }).map((s) => s.question)).toEqual(["trust"]);
    expect(scoreAnswers(model(), { trust: 1, why_low: 1 }).map((s) => s.question)).toEqual([
      "trust",
      "why_low",
    ]);
  });
});

describe("validateAnswers", () => {
  it("accepts a complete, well-typed answer set", () => {
    const result = validateAnswers(
      model(),
      { trust: 4, advocacy: 9, renew: true, value: "great", areas: ["a"], seats: 12 },
      { complete: true },
    );
    expect(result.ok).toBe(true);
  });

  it("names the missing required answer on a complete submit, but not on a partial save", () => {
    expect(validateAnswers(model(), { advocacy: 9 }, { complete: false }).ok).toBe(true);
    const result = validateAnswers(model(), { advocacy: 9 }, { complete: true });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors)).toEqual(["trust"]);
  });

  it.each([
    [{ trust: 6 }, "trust", /must be one of 1, 2, 3, 4, 5/],
    [{ trust: "4" }, "trust", /must be one of/],
    [{ value: "excellent" }, "value", /"excellent" is not one of the choices/],
    [{ areas: "a" }, "areas", /must be a list/],
    [{ areas: ["a", "z"] }, "areas", /"z" is not one of the choices/],
    [{ areas: ["a", "a"] }, "areas", /twice/],
    [{ areas: ["a", "b", "c"] }, "areas", /at most 2 choices/],
    [{ renew: "yes" }, "renew", /yes or no/],
    [{ seats: "12" }, "seats", /must be a number/],
    [{ trust: 1, trust_why: "x".repeat(21) }, "trust_why", /at most 20 characters/],
    [{ trust_why: { nested: true } }, "trust_why", /must be text/],
    [{ favourite_colour: "blue" }, "favourite_colour", /is not a question in this survey/],
  ])("rejects %j naming %s", (data, question, message) => {
    const result = validateAnswers(model(), data, { complete: false });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[question]?.join(" ")).toMatch(message);
  });

  it("scores what it accepts, skipping what the respondent could not see, as scoreAnswers does", () => {
    for (const complete of [false, true]) {
      const data = {
        trust: 5,
        why_low: 1,
        advocacy: 9,
        renew: true,
        value: "great",
        areas: ["a"],
        seats: 12,
      };
      const result = validateAnswers(model(), data, { complete });
      expect(result.ok && result.scores).toEqual(scoreAnswers(model(), data));
      expect(result.ok && result.scores.map((s) => s.question)).not.toContain("why_low");
    }
  });

  it("rejects answers that are not an object", () => {
    for (const data of [null, [], "answers", 3]) {
      expect(validateAnswers(model(), data, { complete: false }).ok).toBe(false);
    }
  });
});

describe("surveyDescription", () => {
  it("takes a plain description, or the contact's language of a localized one, else the default", () => {
    expect(surveyDescription({ description: " Three minutes. " }, "en")).toBe("Three minutes.");
    const localized = { description: { default: "Three minutes.", de: "Drei Minuten." } };
    expect(surveyDescription(localized, "de")).toBe("Drei Minuten.");
    expect(surveyDescription(localized, "fr")).toBe("Three minutes.");
    expect(surveyDescription(localized, null)).toBe("Three minutes.");
    expect(surveyDescription({ title: "No description" }, "en")).toBeNull();
    expect(surveyDescription({ description: "  " }, "en")).toBeNull();
    expect(surveyDescription(null, "en")).toBeNull();
  });
});
