import { describe, expect, it } from "vitest";
import { canonicalJson, surveyContentHash } from "../../app/domain/survey-hash";

const survey = {
  title: "How is our relationship, really?",
  pages: [
    {
      name: "working_together",
      elements: [
        { type: "rating", name: "trust", rateMin: 1, rateMax: 5, dimension: "trust" },
        { type: "comment", name: "trust_why", visibleIf: "{trust} <= 2" },
      ],
    },
  ],
};

/** The same survey with every object's keys written in another order. */
const reordered = {
  pages: [
    {
      elements: [
        { dimension: "trust", rateMax: 5, rateMin: 1, name: "trust", type: "rating" },
        { visibleIf: "{trust} <= 2", name: "trust_why", type: "comment" },
      ],
      name: "working_together",
    },
  ],
  title: "How is our relationship, really?",
};

describe("surveyContentHash", () => {
  it("is a sha-256 hex digest", () => {
    expect(surveyContentHash(survey)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("does not change when only the key order changes", () => {
    expect(surveyContentHash(reordered)).toBe(surveyContentHash(survey));
  });

  it("does not change with formatting, as a re-saved file would be", () => {
    const reparsed: unknown = JSON.parse(JSON.stringify(survey, null, 4));
    expect(surveyContentHash(reparsed)).toBe(surveyContentHash(survey));
  });

  it("changes when a value changes", () => {
    const changed = structuredClone(survey);
    changed.pages[0]!.elements[0]!.rateMax = 7;
    expect(surveyContentHash(changed)).not.toBe(surveyContentHash(survey));
  });

  it("changes when the question order changes", () => {
    const swapped = structuredClone(survey);
    swapped.pages[0]!.elements.reverse();
    expect(surveyContentHash(swapped)).not.toBe(surveyContentHash(survey));
  });

  it("tells a number from the same digits as a string", () => {
    expect(surveyContentHash({ rateMax: 5 })).not.toBe(surveyContentHash({ rateMax: "5" }));
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });

  it("drops undefined members like JSON.stringify does", () => {
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });

  it("treats __proto__ as an ordinary key", () => {
    const parsed: unknown = JSON.parse('{"__proto__": {"x": 1}, "a": 2}');
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"x":1},"a":2}');
  });
});
