import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { collectVerbatims, customerSources, freeTextQuestions, teamSources } from "~/domain/account-health";

const survey = (slug: string): unknown =>
  JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, `../../surveys/${slug}.json`), "utf8"));
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const now = day("2026-06-30");

describe("freeTextQuestions", () => {
  it("lists a survey's comment questions in the order they are asked, {company} read as us", () => {
    const questions = freeTextQuestions(survey("relationship-health"));
    expect(questions.map((q) => q.name)).toEqual([
      "trust_why",
      "responsiveness_why",
      "understanding_why",
      "value_why",
      "communication_why",
      "relationship_why",
      "advocacy_why",
      "renewal_why",
      "one_change",
    ]);
    expect(questions.at(-1)!.title).toBe(
      "If you could change one thing about working with us, what would it be?",
    );
  });

  it("leaves out the interviewer's own notes, and finds questions inside panels", () => {
    const names = freeTextQuestions(survey("interview-guide")).map((q) => q.name);
    expect(names).toContain("one_change");
    expect(names.some((n) => n.startsWith("interviewer_"))).toBe(false);
    expect(
      freeTextQuestions({
        pages: [
          {
            elements: [
              {
                type: "panel",
                name: "p",
                elements: [{ type: "comment", name: "inner", title: { default: "Why?" } }],
              },
              { type: "rating", name: "score" },
            ],
          },
        ],
      }),
    ).toEqual([{ name: "inner", title: "Why?" }]);
  });

  it("gives nothing for a model that is not one", () => {
    expect(freeTextQuestions(null)).toEqual([]);
    expect(freeTextQuestions("nope")).toEqual([]);
  });
});

describe("collectVerbatims", () => {
  const questions = new Map([
    [
      "v1",
      [
        { name: "trust_why", title: "What has made it hard to rely on us?" },
        { name: "one_change", title: "One change?" },
      ],
    ],
  ]);

  it("keeps the words as written, newest response first and in question order, and skips blanks and non-text", () => {
    const verbatims = collectVerbatims(
      [
        {
          responseId: "a",
          contactId: "c1",
          completedAt: day("2026-01-01"),
          surveyVersionId: "v1",
          data: { one_change: "Call us." },
        },
        {
          responseId: "b",
          contactId: "c2",
          completedAt: day("2026-03-01"),
          surveyVersionId: "v1",
          data: {
            one_change: "  Fewer surprises.\nPlease.  ",
            trust_why: "Missed dates",
            other: "not a comment",
          },
        },
        {
          responseId: "c",
          contactId: null,
          completedAt: day("2026-04-01"),
          surveyVersionId: "v1",
          data: { trust_why: "   ", one_change: 5 },
        },
        {
          responseId: "d",
          contactId: null,
          completedAt: day("2026-05-01"),
          surveyVersionId: "unknown",
          data: { one_change: "?" },
        },
      ],
      questions,
    );
    expect(verbatims.map((v) => [v.responseId, v.question, v.text])).toEqual([
      ["b", "trust_why", "Missed dates"],
      ["b", "one_change", "Fewer surprises.\nPlease."],
      ["a", "one_change", "Call us."],
    ]);
  });
});

describe("the sources behind a number", () => {
  it("names each author's latest prediction per dimension in the window, both values at a tie", () => {
    const row = (predictionId: string, authorId: string, madeAt: string, value: number) => ({
      predictionId,
      authorId,
      contactId: null,
      madeAt: day(madeAt),
      dimension: "trust" as const,
      value,
    });
    const sources = teamSources(
      [
        row("old", "ana", "2025-05-01", 10), // before the window
        row("p1", "ana", "2026-03-01", 60),
        row("p2", "ana", "2026-05-01", 80),
        row("p3", "ben", "2026-04-01", 70),
        row("p4", "ben", "2026-04-01", 90),
      ],
      { now },
    );
    expect(sources.trust.map((s) => s.predictionId)).toEqual(["p2", "p3", "p4"]);
    expect(sources.value).toEqual([]);
  });

  it("names each respondent's latest answer per dimension, newest first", () => {
    const answer = (responseId: string, contactId: string, completedAt: string, value: number) => ({
      responseId,
      contactId,
      buyingRole: "user" as const,
      completedAt: day(completedAt),
      dimension: "trust" as const,
      value,
    });
    const sources = customerSources(
      [
        answer("r1", "dana", "2026-01-01", 75),
        answer("r2", "dana", "2026-06-01", 25),
        answer("r3", "uma", "2026-02-01", 50),
      ],
      { now },
    );
    expect(sources.trust.map((s) => [s.contactId, s.value, s.responseIds])).toEqual([
      ["dana", 25, ["r2"]],
      ["uma", 50, ["r3"]],
    ]);
  });
});
