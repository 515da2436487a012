import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { scoreAnswers, validateAnswers } from "~/domain/survey-model";
import { surveyModelForVersion } from "~/domain/survey-model-cache.server";
import { RELATIONSHIP_RATINGS } from "../support/answers";

const relationship: unknown = JSON.parse(readFileSync("surveys/relationship-health.json", "utf8"));
const complete = RELATIONSHIP_RATINGS;

describe("surveyModelForVersion", () => {
  it("parses a version once and hands the same model out again", () => {
    const first = surveyModelForVersion("v-cache-1", relationship);
    expect(surveyModelForVersion("v-cache-1", relationship)).toBe(first);
    expect(surveyModelForVersion("v-cache-2", relationship)).not.toBe(first);
  });

  it("never reads the answers the last caller left in the model", () => {
    const model = surveyModelForVersion("v-cache-4", relationship);
    model.data = { ...complete, trust: 1 };
    const partial = validateAnswers(
      surveyModelForVersion("v-cache-4", relationship),
      { trust: 4 },
      {
        complete: false,
      },
    );
    expect(partial.ok && partial.scores).toEqual([{ question: "trust", dimension: "trust", value: 75 }]);
    expect(
      validateAnswers(surveyModelForVersion("v-cache-4", relationship), { trust: 4 }, { complete: true }).ok,
    ).toBe(false);
  });

  it("validates and scores one answer set after another as a fresh model would", () => {
    const model = surveyModelForVersion("v-cache-3", relationship);
    expect(validateAnswers(model, complete, { complete: true }).ok).toBe(true);
    expect(
      validateAnswers(surveyModelForVersion("v-cache-3", relationship), { trust: 4 }, { complete: true }).ok,
    ).toBe(false);
    const scored = scoreAnswers(surveyModelForVersion("v-cache-3", relationship), complete);
    expect(scored.find((s) => s.question === "trust")?.value).toBe(75);
  });

  it("keeps at most 100 versions, dropping the least recently used", () => {
    const kept = surveyModelForVersion("v-lru-0", relationship);
    const oldest = surveyModelForVersion("v-lru-1", relationship);
    for (let i = 2; i <= 100; i++) {
      surveyModelForVersion(`v-lru-${i}`, relationship);
      if (i === 50) surveyModelForVersion("v-lru-0", relationship); // used again: stays
    }
    // 101 versions asked for: the least recently used one (v-lru-1) was dropped
    expect(surveyModelForVersion("v-lru-0", relationship)).toBe(kept);
    expect(surveyModelForVersion("v-lru-1", relationship)).not.toBe(oldest);
  });
});
