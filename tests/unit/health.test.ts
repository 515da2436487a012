import { describe, expect, it } from "vitest";
import type { HealthDimension } from "~/domain/dimensions";
import {
  breadthScore,
  busyButShallowFlag,
  cadenceScore,
  combineLedgerScore,
  commitmentScore,
  computeAccountFlags,
  computeAccountGap,
  computeAccountHealth,
  computeAccountNps,
  computeCustomerView,
  computeDimensionGap,
  computeGap,
  computeHealthTrend,
  computeLedgerView,
  computeNps,
  computeNpsFromStoredValues,
  computeQuadrant,
  computeRepCalibration,
  computeTeamView,
  confidenceFromDates,
  confidenceLevel,
  engagementQualityScore,
  equityScore,
  healthDrop,
  importanceWeights,
  invitationOutcome,
  isHealthDropCase,
  isWithinWindow,
  latestAnswersPerContact,
  ledgerDisagreesFlag,
  lowerConfidence,
  overdrawnFlag,
  pairPredictionsWithAnswers,
  rankCalibration,
  recencyScore,
  responseHealth,
  roundScore,
  silentFlag,
  windowStart,
  type CalibrationAnswerRow,
  type CalibrationPredictionRow,
  type InvitationRow,
  type LedgerInteractionRow,
  type PredictionRow,
} from "~/domain/health";
import { defaultEquity, equityBalance, type CommitmentStatus, type InteractionKind } from "~/domain/ledger";

const at = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
const NOW = at("2026-06-30");
const window = { now: NOW };

// ─── Factories (fresh objects every call; overrides win) ──────────────────────

function answer(overrides: Partial<CalibrationAnswerRow> = {}): CalibrationAnswerRow {
  return {
    accountId: "northwind",
    contactId: "c1",
    buyingRole: "user",
    responseId: "r1",
    completedAt: at("2026-06-01"),
    dimension: "trust",
    value: 50,
    ...overrides,
  };
}

function prediction(overrides: Partial<CalibrationPredictionRow> = {}): CalibrationPredictionRow {
  return {
    accountId: "northwind",
    authorId: "ana",
    contactId: null,
    madeAt: at("2026-05-01"),
    dimension: "trust",
    value: 50,
    ...overrides,
  };
}

function interaction(
  kind: InteractionKind,
  occurredAt: string,
  overrides: Partial<LedgerInteractionRow> & { commitmentStatus?: CommitmentStatus | null } = {},
): LedgerInteractionRow {
  const equity = defaultEquity(kind, overrides.commitmentStatus);
  return {
    kind,
    occurredAt: at(occurredAt),
    engagementQuality: null,
    contactIds: [],
    commitmentStatus: kind === "commitment" ? "open" : null,
    ...equity,
    ...overrides,
  };
}

function invitation(sentAt: string | null, status: InvitationRow["status"]): InvitationRow {
  return { sentAt: sentAt ? at(sentAt) : null, status };
}

/** docs/health-model.md, "Worked example": the Northwind account on 30 June 2026. */
function northwind() {
  const answers: CalibrationAnswerRow[] = [
    // Ian answered before the window opened (30 June 2025): not counted.
    answer({
      contactId: "ian",
      buyingRole: "influencer",
      responseId: "r0",
      completedAt: at("2025-05-01"),
      value: 0,
    }),
    answer({
      contactId: "ian",
      buyingRole: "influencer",
      responseId: "r0",
      completedAt: at("2025-05-01"),
      dimension: "advocacy",
      value: 0,
    }),
    answer({
      contactId: "dana",
      buyingRole: "decision_maker",
      responseId: "r1",
      completedAt: at("2026-01-15"),
      value: 75,
    }),
    ...(
      [
        ["trust", 25],
        ["communication", 50],
        ["advocacy", 60],
      ] as const
    ).map(([dimension, value]) =>
      answer({
        contactId: "dana",
        buyingRole: "decision_maker",
        responseId: "r2",
        completedAt: at("2026-06-01"),
        dimension,
        value,
      }),
    ),
    ...(
      [
        ["trust", 50],
        ["communication", 75],
        ["advocacy", 90],
      ] as const
    ).map(([dimension, value]) =>
      answer({
        contactId: "chris",
        buyingRole: "champion",
        responseId: "r3",
        completedAt: at("2026-06-05"),
        dimension,
        value,
      }),
    ),
    ...(
      [
        ["trust", 100],
        ["communication", 100],
        ["advocacy", 100],
      ] as const
    ).map(([dimension, value]) =>
      answer({
        contactId: "uma",
        buyingRole: "user",
        responseId: "r4",
        completedAt: at("2026-06-10"),
        dimension,
        value,
      }),
    ),
  ];
  const predictions: CalibrationPredictionRow[] = [
    prediction({ authorId: "ana", madeAt: at("2026-05-20"), dimension: "trust", value: 80 }),
    prediction({ authorId: "ana", madeAt: at("2026-05-20"), dimension: "communication", value: 70 }),
    prediction({ authorId: "ben", madeAt: at("2026-03-01"), dimension: "trust", value: 60 }),
    prediction({ authorId: "ben", madeAt: at("2026-05-25"), dimension: "trust", value: 80 }),
    prediction({ authorId: "ben", madeAt: at("2026-05-25"), dimension: "communication", value: 90 }),
  ];
  const interactions: LedgerInteractionRow[] = [
    interaction("meeting", "2026-06-20", { contactIds: ["dana"], engagementQuality: 4 }),
    interaction("email", "2026-06-25", { contactIds: ["chris"] }),
    interaction("call", "2026-05-10", { contactIds: ["chris"], engagementQuality: 2 }),
    interaction("qbr", "2026-01-20", { contactIds: ["dana", "chris"], engagementQuality: 5 }),
    interaction("favour", "2026-04-01", { equityWeight: 3 }),
    interaction("mistake", "2026-01-01"),
    interaction("commitment", "2026-03-01", {
      commitmentStatus: "kept",
      commitmentResolvedAt: at("2026-04-01"),
    }),
    interaction("commitment", "2025-09-15", {
      commitmentStatus: "broken",
      commitmentResolvedAt: at("2025-10-03"),
    }),
  ];
  const invitations: InvitationRow[] = [
    invitation("2026-05-25", "completed"),
    invitation("2026-05-25", "completed"),
    invitation("2026-05-25", "completed"),
    invitation("2026-05-25", "opened"),
  ];
  return {
    answers,
    predictions,
    interactions,
    invitations,
    targetCadenceDays: 30,
    keyContactIds: ["dana", "chris"],
  };
}

// ─── Rounding, windows, confidence ────────────────────────────────────────────

describe("roundScore", () => {
  it("rounds to one decimal, halves away from zero, and never gives −0", () => {
    expect(roundScore(56.25)).toBe(56.3);
    expect(roundScore(-56.25)).toBe(-56.3);
    expect(roundScore(275 / 6)).toBe(45.8);
    expect(roundScore(-0.01)).toBe(0);
    expect(Object.is(roundScore(-0.01), 0)).toBe(true);
  });
});

describe("the window", () => {
  it("starts twelve calendar months before now and includes both ends", () => {
    expect(windowStart(NOW).toISOString()).toBe("2025-06-30T00:00:00.000Z");
    expect(isWithinWindow(at("2025-06-30"), NOW)).toBe(true);
    expect(isWithinWindow(new Date(at("2025-06-30").getTime() - 1), NOW)).toBe(false);
    expect(isWithinWindow(NOW, NOW)).toBe(true);
    expect(isWithinWindow(new Date(NOW.getTime() + 1), NOW)).toBe(false);
    expect(isWithinWindow(at("2026-01-01"), NOW, 6)).toBe(true);
    expect(isWithinWindow(at("2025-12-29"), NOW, 6)).toBe(false);
  });
});

describe("confidenceLevel", () => {
  it("is none without sources, low for one, medium for two, high from three", () => {
    expect(confidenceLevel(0, null)).toBe("none");
    expect(confidenceLevel(1, 10)).toBe("low");
    expect(confidenceLevel(2, 10)).toBe("medium");
    expect(confidenceLevel(3, 10)).toBe("high");
    expect(confidenceLevel(12, 0)).toBe("high");
  });

  it("drops one level when the median source is more than 180 days old, never below low", () => {
    expect(confidenceLevel(3, 180)).toBe("high");
    expect(confidenceLevel(3, 181)).toBe("medium");
    expect(confidenceLevel(2, 181)).toBe("low");
    expect(confidenceLevel(1, 400)).toBe("low");
  });

  it("takes the median age of the dates given", () => {
    // ages 10, 200, 300 days → median 200 → one level down from high
    const dates = [at("2026-06-20"), at("2025-12-12"), at("2025-09-03")];
    expect(confidenceFromDates(dates, NOW)).toBe("medium");
    // ages 10, 20, 300, 310 → median 160 → high
    expect(
      confidenceFromDates([at("2026-06-20"), at("2026-06-10"), at("2025-09-03"), at("2025-08-24")], NOW),
    ).toBe("high");
  });

  it("compares as the weaker of two", () => {
    expect(lowerConfidence("high", "low")).toBe("low");
    expect(lowerConfidence("medium", "high")).toBe("medium");
    expect(lowerConfidence("none", "high")).toBe("none");
  });
});

// ─── 1. Customer view ─────────────────────────────────────────────────────────

describe("computeCustomerView", () => {
  it("has no value, no counts and no confidence without answers", () => {
    const view = computeCustomerView([], window);
    expect(view.dimensions.trust).toEqual({ value: null, answers: 0, respondents: 0, confidence: "none" });
    expect(view.health).toEqual({ value: null, answers: 0, respondents: 0, confidence: "none" });
  });

  it("reports one answer as it is, with low confidence", () => {
    const view = computeCustomerView([answer({ value: 75 })], window);
    expect(view.dimensions.trust).toEqual({ value: 75, answers: 1, respondents: 1, confidence: "low" });
    expect(view.dimensions.value.value).toBeNull();
  });

  it("gives the common value when everyone says the same, whatever their roles", () => {
    const rows = (["decision_maker", "champion", "influencer", "user"] as const).map((buyingRole, i) =>
      answer({ contactId: `c${i}`, responseId: `r${i}`, buyingRole, value: 50 }),
    );
    expect(computeCustomerView(rows, window).dimensions.trust).toEqual({
      value: 50,
      answers: 4,
      respondents: 4,
      confidence: "high",
    });
  });

  it("weights a decision-maker three times a user: (3×25 + 1×100) / 4 = 43.75 → 43.8", () => {
    const rows = [
      answer({ contactId: "dm", buyingRole: "decision_maker", responseId: "r1", value: 25 }),
      answer({ contactId: "u", buyingRole: "user", responseId: "r2", value: 100 }),
    ];
    expect(computeCustomerView(rows, window).dimensions.trust.value).toBe(43.8);
  });

  it("weights a champion 2 and an influencer 1.5: (2×100 + 1.5×30) / 3.5 = 70", () => {
    const rows = [
      answer({ contactId: "ch", buyingRole: "champion", responseId: "r1", value: 100 }),
      answer({ contactId: "in", buyingRole: "influencer", responseId: "r2", value: 30 }),
    ];
    expect(computeCustomerView(rows, window).dimensions.trust.value).toBe(70);
  });

  it("uses only each contact's latest answer in the window", () => {
    const rows = [
      answer({ responseId: "old", completedAt: at("2026-01-01"), value: 100 }),
      answer({ responseId: "new", completedAt: at("2026-06-01"), value: 20 }),
    ];
    expect(computeCustomerView(rows, window).dimensions.trust).toMatchObject({
      value: 20,
      answers: 1,
      respondents: 1,
    });
  });

  it("falls back, per dimension, to the latest response that answered it", () => {
    const rows = [
      answer({ responseId: "full", completedAt: at("2026-01-01"), dimension: "value", value: 75 }),
      answer({ responseId: "full", completedAt: at("2026-01-01"), dimension: "trust", value: 75 }),
      answer({ responseId: "pulse", completedAt: at("2026-06-01"), dimension: "trust", value: 25 }),
    ];
    const view = computeCustomerView(rows, window);
    expect(view.dimensions.trust.value).toBe(25);
    expect(view.dimensions.value.value).toBe(75);
  });

  it("averages two questions on one dimension of a response, counting one respondent", () => {
    const rows = [answer({ value: 50 }), answer({ value: 100 })];
    expect(computeCustomerView(rows, window).dimensions.trust).toMatchObject({
      value: 75,
      answers: 2,
      respondents: 1,
    });
  });

  it("averages two responses completed at the same instant, whatever the input order", () => {
    const rows = [answer({ responseId: "a", value: 40 }), answer({ responseId: "b", value: 60 })];
    expect(computeCustomerView(rows, window).dimensions.trust.value).toBe(50);
    expect(computeCustomerView([...rows].reverse(), window)).toEqual(computeCustomerView(rows, window));
  });

  it("counts an answer exactly twelve months old and none older or in the future", () => {
    const rows = [
      answer({ contactId: "edge", responseId: "r1", completedAt: at("2025-06-30"), value: 80 }),
      answer({ contactId: "old", responseId: "r2", completedAt: at("2025-06-29T23:59:59Z"), value: 0 }),
      answer({ contactId: "future", responseId: "r3", completedAt: at("2026-07-01"), value: 0 }),
    ];
    expect(computeCustomerView(rows, window).dimensions.trust).toMatchObject({ value: 80, respondents: 1 });
  });

  it("honours a shorter window", () => {
    const rows = [answer({ completedAt: at("2026-01-15"), value: 80 })];
    expect(computeCustomerView(rows, { now: NOW, windowMonths: 3 }).dimensions.trust.value).toBeNull();
  });

  it("counts each response without a contact as its own respondent, weighted like a user", () => {
    const rows = [
      answer({ contactId: null, buyingRole: null, responseId: "x", value: 0 }),
      answer({ contactId: null, buyingRole: null, responseId: "y", value: 100 }),
      answer({ contactId: "dm", buyingRole: "decision_maker", responseId: "z", value: 100 }),
    ];
    // (1×0 + 1×100 + 3×100) / 5 = 80
    expect(computeCustomerView(rows, window).dimensions.trust).toMatchObject({ value: 80, respondents: 3 });
  });

  it("scores health as the mean of the six relationship dimensions, leaving out advocacy and renewal", () => {
    const rows = [
      answer({ dimension: "trust", value: 40 }),
      answer({ dimension: "value", value: 80 }),
      answer({ dimension: "advocacy", value: 0 }),
      answer({ dimension: "renewal", value: 0 }),
    ];
    expect(computeCustomerView(rows, window).health).toEqual({
      value: 60,
      answers: 2,
      respondents: 1,
      confidence: "low",
    });
  });

  it("lowers confidence when the answers are old", () => {
    const rows = ["a", "b", "c"].map((contactId) =>
      answer({ contactId, responseId: contactId, completedAt: at("2025-10-01"), value: 50 }),
    );
    // 272 days old: three respondents would be high, stale makes it medium
    expect(computeCustomerView(rows, window).dimensions.trust.confidence).toBe("medium");
  });

  it("refuses a value outside 0–100", () => {
    expect(() => computeCustomerView([answer({ value: 101 })], window)).toThrow(RangeError);
    expect(() => computeCustomerView([answer({ value: Number.NaN })], window)).toThrow(/0 to 100/);
  });

  it("reproduces the worked example", () => {
    const view = computeCustomerView(northwind().answers, window);
    expect(view.dimensions.trust).toEqual({ value: 45.8, answers: 3, respondents: 3, confidence: "high" });
    expect(view.dimensions.communication).toEqual({
      value: 66.7,
      answers: 3,
      respondents: 3,
      confidence: "high",
    });
    expect(view.dimensions.advocacy.value).toBe(76.7);
    expect(view.dimensions.renewal.value).toBeNull();
    expect(view.health).toEqual({ value: 56.3, answers: 6, respondents: 3, confidence: "high" });
  });
});

describe("latestAnswersPerContact", () => {
  it("names the rows each number came from", () => {
    const latest = latestAnswersPerContact(northwind().answers, window).filter(
      (a) => a.dimension === "trust",
    );
    expect(latest.map((a) => [a.respondent, a.responseIds, a.value])).toEqual([
      ["chris", ["r3"], 50],
      ["dana", ["r2"], 25],
      ["uma", ["r4"], 100],
    ]);
  });
});

// ─── 2. NPS ───────────────────────────────────────────────────────────────────

describe("computeNps", () => {
  it("is null with no answers", () => {
    expect(computeNps([])).toEqual({ nps: null, promoters: 0, passives: 0, detractors: 0, respondents: 0 });
  });

  it("counts 9–10 as promoters, 7–8 passives and 0–6 detractors", () => {
    expect(computeNps([10, 9, 8, 7, 6, 0])).toEqual({
      nps: 0,
      promoters: 2,
      passives: 2,
      detractors: 2,
      respondents: 6,
    });
  });

  it("runs from −100 to +100", () => {
    expect(computeNps([9, 10]).nps).toBe(100);
    expect(computeNps([6, 0, 3]).nps).toBe(-100);
    expect(computeNps([7, 8]).nps).toBe(0);
  });

  it("rounds to a whole number, halves away from zero", () => {
    expect(computeNps([10, 10, 0]).nps).toBe(33); // 33.3
    expect(computeNps([10, 10, 0, 8, 8, 8, 8, 8]).nps).toBe(13); // 12.5
    expect(computeNps([0, 0, 10, 8, 8, 8, 8, 8]).nps).toBe(-13); // −12.5
  });

  it("refuses an answer outside 0–10", () => {
    expect(() => computeNps([11])).toThrow(RangeError);
    expect(() => computeNps([-1])).toThrow(RangeError);
    expect(() => computeNps([Number.NaN])).toThrow(RangeError);
  });
});

describe("computeNpsFromStoredValues", () => {
  it("reads a stored value as raw × 10: 90 promotes, 60 detracts, 70 is passive", () => {
    expect(computeNpsFromStoredValues([90, 60, 70, 100])).toEqual({
      nps: 25,
      promoters: 2,
      passives: 1,
      detractors: 1,
      respondents: 4,
    });
  });

  it("refuses a stored value outside 0–100", () => {
    expect(() => computeNpsFromStoredValues([110])).toThrow(RangeError);
  });
});

describe("computeAccountNps", () => {
  it("counts each respondent's latest advocacy answer once, unweighted (worked example: 33)", () => {
    expect(computeAccountNps(northwind().answers, window)).toEqual({
      nps: 33,
      promoters: 2,
      passives: 0,
      detractors: 1,
      respondents: 3,
    });
  });
});

// ─── 3. Team view ─────────────────────────────────────────────────────────────

function teamRow(overrides: Partial<PredictionRow> = {}): PredictionRow {
  const { accountId: _accountId, ...row } = prediction(overrides);
  return row;
}

describe("computeTeamView", () => {
  it("has no value without predictions", () => {
    expect(computeTeamView([], window).dimensions.trust).toEqual({
      value: null,
      predictions: 0,
      authors: 0,
      confidence: "none",
    });
  });

  it("keeps each author's latest prediction and averages the authors", () => {
    const rows = [
      teamRow({ authorId: "ana", madeAt: at("2026-01-01"), value: 20 }),
      teamRow({ authorId: "ana", madeAt: at("2026-05-01"), value: 70 }),
      teamRow({ authorId: "ben", madeAt: at("2026-02-01"), value: 90 }),
    ];
    expect(computeTeamView(rows, window).dimensions.trust).toEqual({
      value: 80,
      predictions: 2,
      authors: 2,
      confidence: "medium",
    });
  });

  it("averages one author's predictions made at the same instant", () => {
    const rows = [teamRow({ contactId: "c1", value: 40 }), teamRow({ contactId: "c2", value: 60 })];
    expect(computeTeamView(rows, window).dimensions.trust).toMatchObject({
      value: 50,
      predictions: 1,
      authors: 1,
    });
  });

  it("keeps one prediction per author and contact when asked to", () => {
    const rows = [
      teamRow({ contactId: null, madeAt: at("2026-03-01"), value: 90 }),
      teamRow({ contactId: "c1", madeAt: at("2026-04-01"), value: 60 }),
      teamRow({ contactId: "c2", madeAt: at("2026-05-01"), value: 30 }),
    ];
    expect(computeTeamView(rows, window).dimensions.trust.value).toBe(30);
    expect(computeTeamView(rows, { ...window, perContact: true }).dimensions.trust).toEqual({
      value: 60,
      predictions: 3,
      authors: 1,
      confidence: "low",
    });
  });

  it("ignores predictions from before the window or after now", () => {
    const rows = [
      teamRow({ authorId: "edge", madeAt: at("2025-06-30"), value: 70 }),
      teamRow({ authorId: "old", madeAt: at("2025-06-29"), value: 0 }),
      teamRow({ authorId: "future", madeAt: at("2026-07-01"), value: 0 }),
    ];
    expect(computeTeamView(rows, window).dimensions.trust).toMatchObject({ value: 70, authors: 1 });
  });

  it("reproduces the worked example", () => {
    const view = computeTeamView(
      northwind().predictions.map(({ accountId: _a, ...row }) => row),
      window,
    );
    expect(view.dimensions.trust).toEqual({ value: 80, predictions: 2, authors: 2, confidence: "medium" });
    expect(view.dimensions.communication.value).toBe(80);
    expect(view.health).toEqual({ value: 80, predictions: 4, authors: 2, confidence: "medium" });
  });
});

// ─── 4. Ledger view ───────────────────────────────────────────────────────────

describe("ledger components", () => {
  it("recency: 100 within the cadence, linear to 0 at three cadences, 0 when never", () => {
    expect(recencyScore(null, 45)).toBe(0);
    expect(recencyScore(0, 45)).toBe(100);
    expect(recencyScore(45, 45)).toBe(100);
    expect(recencyScore(46, 45)).toBeCloseTo(100 * (1 - 1 / 90), 10);
    expect(recencyScore(90, 45)).toBe(50);
    expect(recencyScore(135, 45)).toBe(0);
    expect(recencyScore(400, 45)).toBe(0);
  });

  it("cadence: the share of whole periods back from now with a two-way contact", () => {
    const from = windowStart(NOW); // 365 days → 12 periods of 30
    expect(cadenceScore([], NOW, from, 30)).toEqual({ value: 0, covered: 0, periods: 12 });
    // 30 days ago is still period 1; 31 days ago is period 2; two in one period count once
    expect(cadenceScore([at("2026-05-31"), at("2026-06-29")], NOW, from, 30)).toMatchObject({ covered: 1 });
    expect(cadenceScore([at("2026-05-30"), at("2026-06-29")], NOW, from, 30)).toMatchObject({ covered: 2 });
    // 361–365 days ago is the leftover part-period: ignored
    expect(cadenceScore([at("2025-07-01")], NOW, from, 30)).toMatchObject({ covered: 0 });
    expect(cadenceScore([at("2025-07-06")], NOW, from, 30)).toMatchObject({ covered: 1 });
  });

  it("cadence: a cadence longer than the window is one period", () => {
    expect(cadenceScore([at("2025-08-01")], NOW, windowStart(NOW), 400)).toEqual({
      value: 100,
      covered: 1,
      periods: 1,
    });
  });

  it("breadth: key contacts engaged two-way within the cadence; emails do not count", () => {
    const rows = [
      interaction("call", "2026-05-31", { contactIds: ["a"] }), // 30 days: on time
      interaction("meeting", "2026-05-30", { contactIds: ["b"] }), // 31 days: late
      interaction("email", "2026-06-29", { contactIds: ["b", "c"] }),
    ];
    expect(breadthScore(["a", "b", "c", "a"], rows, NOW, 30)).toEqual({
      value: (100 * 1) / 3,
      engaged: 1,
      keyContacts: 3,
    });
    expect(breadthScore([], rows, NOW, 30)).toEqual({ value: null, engaged: 0, keyContacts: 0 });
  });

  it("equity: 50 at zero, ±6 at the ends, clamped", () => {
    expect(equityScore(0)).toBe(50);
    expect(equityScore(6)).toBe(100);
    expect(equityScore(12)).toBe(100);
    expect(equityScore(-3)).toBe(25);
    expect(equityScore(-7)).toBe(0);
  });

  it("quality: the mean of 1–5 mapped to 0–100; null when nothing is rated", () => {
    expect(engagementQualityScore([])).toBeNull();
    expect(engagementQualityScore([1])).toBe(0);
    expect(engagementQualityScore([5])).toBe(100);
    expect(engagementQualityScore([3, 4])).toBe(62.5);
    expect(() => engagementQualityScore([6])).toThrow(RangeError);
    expect(() => engagementQualityScore([0])).toThrow(RangeError);
  });

  it("commitments: kept over kept plus broken; null when none was resolved", () => {
    expect(commitmentScore(0, 0)).toBeNull();
    expect(commitmentScore(1, 1)).toBe(50);
    expect(commitmentScore(3, 0)).toBe(100);
    expect(commitmentScore(0, 2)).toBe(0);
  });

  it("combines the components that have a value, rescaling their weights", () => {
    const none = { breadth: null, equity: null, quality: null, commitments: null };
    // 100×0.25 / (0.25 + 0.20)
    expect(combineLedgerScore({ recency: 100, cadence: 0, ...none })).toBeCloseTo(55.5556, 4);
    expect(
      combineLedgerScore({ recency: 80, cadence: 80, breadth: 80, equity: 80, quality: 80, commitments: 80 }),
    ).toBeCloseTo(80, 10);
  });
});

describe("computeLedgerView", () => {
  it("scores an account with no interactions from the neutral balance alone", () => {
    const view = computeLedgerView({ interactions: [], targetCadenceDays: null, keyContactIds: [] }, window);
    // (0×0.25 + 0×0.20 + 50×0.15) / 0.60 = 12.5
    expect(view.score).toBe(12.5);
    expect(view.components).toEqual({
      recency: 0,
      cadence: 0,
      breadth: null,
      equity: 50,
      quality: null,
      commitments: null,
    });
    expect(view.confidence).toBe("none");
    expect(view.facts.targetCadenceDays).toBe(45);
    expect(view.facts.periods).toBe(8); // floor(365 / 45)
  });

  it("counts unengaged key contacts as zero breadth", () => {
    const view = computeLedgerView({ interactions: [], targetCadenceDays: 45, keyContactIds: ["k"] }, window);
    // (50×0.15) / 0.75 = 10
    expect(view.score).toBe(10);
    expect(view.components.breadth).toBe(0);
  });

  it("decays the equity balance with ledger.ts, over every entry given", () => {
    const rows = [
      interaction("mistake", "2026-04-01"), // withdrawal 2, 90 days old → −1
      interaction("favour", "2025-04-01"), // before the window, 455 days old: still counts, decayed
    ];
    const view = computeLedgerView({ interactions: rows, targetCadenceDays: 45, keyContactIds: [] }, window);
    const balance = -1 + 2 * Math.pow(0.5, 455 / 90);
    expect(view.facts.balance).toBeCloseTo(balance, 10);
    expect(view.facts.balance).toBe(equityBalance(rows, NOW));
    expect(view.components.equity).toBe(roundScore(50 + (50 * balance) / 6));
    expect(view.facts.interactions).toBe(1);
  });

  it("leaves two-way contact before the window out of recency and cadence", () => {
    const rows = [interaction("meeting", "2025-06-29", { engagementQuality: 5 })];
    const view = computeLedgerView({ interactions: rows, targetCadenceDays: 45, keyContactIds: [] }, window);
    expect(view.facts.lastTwoWayAt).toBeNull();
    expect(view.components.recency).toBe(0);
    expect(view.components.quality).toBeNull();
  });

  it("counts a commitment by when it was kept or broken, not when it was made", () => {
    const rows = [
      interaction("commitment", "2025-05-01", {
        commitmentStatus: "kept",
        commitmentResolvedAt: at("2025-07-15"),
      }),
      interaction("commitment", "2025-05-01", {
        commitmentStatus: "broken",
        commitmentResolvedAt: at("2025-06-01"),
      }),
      interaction("commitment", "2026-06-01", { commitmentStatus: "open" }),
    ];
    const view = computeLedgerView({ interactions: rows, targetCadenceDays: 45, keyContactIds: [] }, window);
    expect(view.facts).toMatchObject({ kept: 1, broken: 0 });
    expect(view.components.commitments).toBe(100);
  });

  it("reproduces the worked example", () => {
    const { interactions, targetCadenceDays, keyContactIds } = northwind();
    const view = computeLedgerView({ interactions, targetCadenceDays, keyContactIds }, window);
    expect(view.components).toEqual({
      recency: 100,
      cadence: 25,
      breadth: 50,
      equity: 64.6,
      quality: 66.7,
      commitments: 50,
    });
    expect(view.facts.balance).toBeCloseTo(1.75, 10);
    expect(view.facts).toMatchObject({
      daysSinceTwoWay: 10,
      periodsCovered: 3,
      periods: 12,
      keyContacts: 2,
      keyContactsEngaged: 1,
      meanEngagementQuality: 3.67,
      ratedInteractions: 3,
      kept: 1,
      broken: 1,
      interactions: 8,
    });
    // 25 + 5 + 7.5 + 9.6875 + 10 + 5 = 62.1875
    expect(view.score).toBe(62.2);
    expect(view.confidence).toBe("high");
  });
});

// ─── 5. Gap and quadrants ─────────────────────────────────────────────────────

describe("computeGap and computeQuadrant", () => {
  it("is team − customer, null when either side is missing", () => {
    expect(computeGap(80, 40)).toBe(40);
    expect(computeGap(40, 80)).toBe(-40);
    expect(computeGap(66.7, 45.8)).toBe(20.9);
    expect(computeGap(null, 40)).toBeNull();
    expect(computeGap(80, null)).toBeNull();
    expect(computeQuadrant(null, 40)).toBeNull();
  });

  it("places the four quadrants", () => {
    expect(computeQuadrant(80, 75)).toBe("agreed_strength");
    expect(computeQuadrant(40, 35)).toBe("agreed_weakness");
    expect(computeQuadrant(80, 40)).toBe("blind_spot");
    expect(computeQuadrant(40, 80)).toBe("undervalued");
  });

  it("counts 60 as healthy and a gap of exactly 15 as misaligned", () => {
    expect(computeQuadrant(60, 60)).toBe("agreed_strength");
    expect(computeQuadrant(60, 45)).toBe("blind_spot");
    expect(computeQuadrant(45, 60)).toBe("undervalued");
  });

  it("lets the customer's side decide when the views straddle 60 but nearly agree", () => {
    expect(computeQuadrant(65, 55)).toBe("agreed_weakness");
    expect(computeQuadrant(60, 46)).toBe("agreed_weakness");
    expect(computeQuadrant(55, 65)).toBe("agreed_strength");
    expect(computeQuadrant(46, 60)).toBe("agreed_strength");
  });

  it("keeps both-high and both-low agreed even when far apart", () => {
    expect(computeQuadrant(95, 70)).toBe("agreed_strength");
    expect(computeQuadrant(55, 20)).toBe("agreed_weakness");
    expect(
      computeDimensionGap({ value: 95, confidence: "high" }, { value: 70, confidence: "high" }),
    ).toMatchObject({
      quadrant: "agreed_strength",
      misaligned: true,
    });
  });

  it("takes the thresholds as parameters", () => {
    const strict = { healthyThreshold: 75, misalignedGap: 10 };
    expect(computeQuadrant(80, 70, strict)).toBe("blind_spot");
    expect(computeQuadrant(80, 70)).toBe("agreed_strength");
  });
});

describe("importanceWeights", () => {
  it("is 1 for every dimension without importance data", () => {
    expect(Object.values(importanceWeights())).toEqual(Array(8).fill(1));
  });

  it("divides each rated importance by the mean of the rated ones", () => {
    const weights = importanceWeights({ trust: 90, value: 30, renewal: null });
    expect(weights.trust).toBe(1.5);
    expect(weights.value).toBe(0.5);
    expect(weights.renewal).toBe(1);
    expect(weights.communication).toBe(1);
  });

  it("falls back to 1 when every rated importance is zero, and refuses one outside 0–100", () => {
    expect(importanceWeights({ trust: 0, value: 0 }).trust).toBe(1);
    expect(() => importanceWeights({ trust: 120 })).toThrow(RangeError);
  });
});

describe("computeAccountGap", () => {
  it("shows a team predicting 80 on trust against a customer answering 40 as a blind spot, gap +40", () => {
    const team = computeTeamView([teamRow({ dimension: "trust", value: 80 })], window);
    const customer = computeCustomerView([answer({ dimension: "trust", value: 40 })], window);
    const gap = computeAccountGap(team, customer);
    expect(gap.dimensions.trust).toEqual({
      team: 80,
      customer: 40,
      gap: 40,
      misaligned: true,
      quadrant: "blind_spot",
      importanceWeight: 1,
      weightedGap: 40,
      confidence: "low",
    });
    expect(gap.dimensions.value).toMatchObject({
      gap: null,
      quadrant: null,
      misaligned: null,
      confidence: "none",
    });
  });

  it("weights gaps by importance", () => {
    const team = computeTeamView(
      [teamRow({ dimension: "trust", value: 80 }), teamRow({ dimension: "value", value: 80 })],
      window,
    );
    const customer = computeCustomerView(
      [answer({ dimension: "trust", value: 40 }), answer({ dimension: "value", value: 40 })],
      window,
    );
    const gap = computeAccountGap(team, customer, { importance: { trust: 100, value: 25 } });
    // mean importance 62.5: trust 1.6, value 0.4
    expect(gap.dimensions.trust.weightedGap).toBe(64);
    expect(gap.dimensions.value.weightedGap).toBe(16);
    expect(gap.health.importanceWeight).toBe(1);
  });

  it("reproduces the worked example", () => {
    const { answers, predictions } = northwind();
    const gap = computeAccountGap(computeTeamView(predictions, window), computeCustomerView(answers, window));
    expect(gap.dimensions.trust).toMatchObject({ gap: 34.2, quadrant: "blind_spot", confidence: "medium" });
    expect(gap.dimensions.communication).toMatchObject({
      gap: 13.3,
      quadrant: "agreed_strength",
      misaligned: false,
    });
    expect(gap.dimensions.advocacy).toMatchObject({ team: null, customer: 76.7, gap: null, quadrant: null });
    expect(gap.health).toMatchObject({ team: 80, customer: 56.3, gap: 23.7, quadrant: "blind_spot" });
  });
});

// ─── 6. Account flags ─────────────────────────────────────────────────────────

describe("silentFlag", () => {
  const quiet = { now: NOW, invitations: [] as InvitationRow[] };

  it("flags an account no customer has ever answered", () => {
    expect(silentFlag({ ...quiet, lastCustomerVoiceAt: null })).toEqual({
      flag: "silent",
      reason: "No customer has answered a survey or interview yet.",
    });
  });

  it("flags more than 180 days without an answer, not exactly 180", () => {
    expect(silentFlag({ ...quiet, lastCustomerVoiceAt: at("2026-01-01") })).toBeNull(); // 180 days
    expect(silentFlag({ ...quiet, lastCustomerVoiceAt: at("2025-12-31") })?.reason).toBe(
      "No customer answer in 181 days (last on 2025-12-31; silent after 180).",
    );
  });

  it("flags two unanswered invitations in a row", () => {
    const invitations = [invitation("2026-03-01", "expired"), invitation("2026-05-01", "opted_out")];
    expect(silentFlag({ now: NOW, lastCustomerVoiceAt: at("2026-02-01"), invitations })?.reason).toBe(
      "The last 2 invitations went unanswered (sent 2026-03-01 and 2026-05-01).",
    );
  });

  it("does not flag when one of the last two was answered", () => {
    const invitations = [
      invitation("2026-01-01", "expired"),
      invitation("2026-03-01", "completed"),
      invitation("2026-05-01", "expired"),
    ];
    expect(silentFlag({ now: NOW, lastCustomerVoiceAt: at("2026-03-05"), invitations })).toBeNull();
  });

  it("counts an invitation left unanswered for 21 days, skips younger ones and undelivered ones", () => {
    expect(invitationOutcome(invitation("2026-06-09", "opened"), NOW)).toBe("unanswered");
    expect(invitationOutcome(invitation("2026-06-10", "opened"), NOW)).toBe("pending");
    expect(invitationOutcome(invitation("2026-01-01", "bounced"), NOW)).toBe("not_delivered");
    expect(invitationOutcome(invitation(null, "queued"), NOW)).toBe("not_delivered");
    const invitations = [
      invitation("2026-04-01", "expired"),
      invitation("2026-05-01", "delivered"), // 60 days: unanswered
      invitation("2026-06-20", "bounced"),
      invitation("2026-06-25", "sent"), // 5 days: still pending
    ];
    expect(silentFlag({ now: NOW, lastCustomerVoiceAt: at("2026-03-01"), invitations })?.reason).toBe(
      "The last 2 invitations went unanswered (sent 2026-04-01 and 2026-05-01).",
    );
  });

  it("does not flag unanswered invitations when the customer spoke since (an interview)", () => {
    const invitations = [invitation("2026-03-01", "expired"), invitation("2026-05-01", "expired")];
    expect(silentFlag({ now: NOW, lastCustomerVoiceAt: at("2026-04-10"), invitations })).toBeNull();
  });

  it("names both reasons when both hold", () => {
    const invitations = [invitation("2025-11-01", "expired"), invitation("2025-12-01", "expired")];
    expect(silentFlag({ now: NOW, lastCustomerVoiceAt: at("2025-10-01"), invitations })?.reason).toBe(
      "No customer answer in 272 days (last on 2025-10-01; silent after 180). " +
        "The last 2 invitations went unanswered (sent 2025-11-01 and 2025-12-01).",
    );
  });
});

describe("busyButShallowFlag", () => {
  const emails = (count: number, occurredAt = "2026-06-01") =>
    Array.from({ length: count }, () => interaction("email", occurredAt));

  it("needs at least 10 interactions in the last 90 days", () => {
    const nine = [
      ...emails(7),
      ...Array.from({ length: 2 }, () => interaction("call", "2026-06-01", { engagementQuality: 1 })),
    ];
    expect(busyButShallowFlag({ now: NOW, interactions: nine, customerHealth: 20 })).toBeNull();
    // 91 days ago does not count; exactly 90 does
    expect(
      busyButShallowFlag({
        now: NOW,
        interactions: [...nine, interaction("email", "2026-03-31")],
        customerHealth: 20,
      }),
    ).toBeNull();
    expect(
      busyButShallowFlag({
        now: NOW,
        interactions: [...nine, interaction("email", "2026-04-01")],
        customerHealth: 20,
      }),
    ).not.toBeNull();
  });

  it("flags low engagement quality, naming the numbers", () => {
    const rows = [
      ...emails(8),
      interaction("call", "2026-06-01", { engagementQuality: 2 }),
      interaction("meeting", "2026-06-02", { engagementQuality: 3 }),
    ];
    expect(busyButShallowFlag({ now: NOW, interactions: rows, customerHealth: 80 })).toEqual({
      flag: "busy_but_shallow",
      reason:
        "10 interactions in the last 90 days, but engagement quality averages 2.5 of 5 over 2 rated (below 3).",
    });
  });

  it("flags a low customer view even when quality looks fine, and not when both are fine", () => {
    const rows = [...emails(9), interaction("meeting", "2026-06-02", { engagementQuality: 4 })];
    expect(busyButShallowFlag({ now: NOW, interactions: rows, customerHealth: 45.8 })?.reason).toBe(
      "10 interactions in the last 90 days, but the customer rates health 45.8 (below 60).",
    );
    expect(busyButShallowFlag({ now: NOW, interactions: rows, customerHealth: 60 })).toBeNull();
    expect(busyButShallowFlag({ now: NOW, interactions: rows, customerHealth: null })).toBeNull();
  });
});

describe("overdrawnFlag and ledgerDisagreesFlag", () => {
  it("flags a balance below zero only, as shown to one decimal", () => {
    expect(overdrawnFlag(0)).toBeNull();
    expect(overdrawnFlag(0.3)).toBeNull();
    // shown as 0.0 on the ledger, so not overdrawn
    expect(overdrawnFlag(-0.04)).toBeNull();
    expect(overdrawnFlag(-1.4142)).toEqual({
      flag: "overdrawn",
      reason: "The equity balance is −1.4: recent withdrawals outweigh deposits.",
    });
  });

  it("flags a team that rates health high against a low ledger", () => {
    expect(ledgerDisagreesFlag(80, 35)).toEqual({
      flag: "ledger_disagrees",
      reason: "The team rates health 80 but the ledger shows 35 (gap 45).",
    });
    expect(ledgerDisagreesFlag(80, 62.2)).toBeNull(); // ledger healthy, even 17.8 apart
    expect(ledgerDisagreesFlag(65, 55)).toBeNull(); // within 15
    expect(ledgerDisagreesFlag(55, 20)).toBeNull(); // the team does not rate it high
    expect(ledgerDisagreesFlag(null, 20)).toBeNull();
  });
});

describe("computeAccountFlags", () => {
  it("lists every flag that holds, in a fixed order", () => {
    const interactions = Array.from({ length: 10 }, () =>
      interaction("mistake", "2026-06-01", { engagementQuality: 1 }),
    );
    const flags = computeAccountFlags({
      now: NOW,
      lastCustomerVoiceAt: null,
      invitations: [],
      interactions,
      customerHealth: null,
      teamHealth: 90,
      ledger: { score: 10, balance: -16 },
    });
    expect(flags.map((f) => f.flag)).toEqual(["silent", "busy_but_shallow", "overdrawn", "ledger_disagrees"]);
  });

  it("raises nothing for the worked example", () => {
    const health = computeAccountHealth({ now: NOW, ...northwind() });
    expect(health.flags).toEqual([]);
  });
});

// ─── 8. Rep calibration ───────────────────────────────────────────────────────

describe("rep calibration", () => {
  it("reproduces the worked example, dropping a prediction superseded before the answers came", () => {
    const { predictions, answers } = northwind();
    const pairs = pairPredictionsWithAnswers(predictions, answers, { now: NOW });
    expect(
      pairs.map((p) => [p.authorId, p.dimension, p.predicted, roundScore(p.actual), roundScore(p.error)]),
    ).toEqual([
      ["ana", "trust", 80, 45.8, 34.2],
      ["ana", "communication", 70, 66.7, 3.3],
      ["ben", "trust", 80, 45.8, 34.2],
      ["ben", "communication", 90, 66.7, 23.3],
    ]);
    expect(pairs[0]!.answeredAt.toISOString()).toBe("2026-06-01T00:00:00.000Z");
    expect(pairs[0]!.responseIds).toEqual(["r2", "r3", "r4"]);
    expect(computeRepCalibration(predictions, answers, { now: NOW })).toEqual([
      { authorId: "ana", pairs: 2, meanAbsoluteError: 18.8, meanBias: 18.8 },
      { authorId: "ben", pairs: 2, meanAbsoluteError: 28.8, meanBias: 28.8 },
    ]);
  });

  it("is empty without pairs", () => {
    expect(computeRepCalibration([], [], { now: NOW })).toEqual([]);
    expect(computeRepCalibration([prediction()], [], { now: NOW })).toEqual([]);
  });

  it("pairs a contact-level prediction with that contact's first answer after it", () => {
    const answers = [
      answer({ contactId: "c1", responseId: "before", completedAt: at("2026-04-01"), value: 100 }),
      answer({ contactId: "c1", responseId: "first", completedAt: at("2026-05-10"), value: 40 }),
      answer({ contactId: "c1", responseId: "second", completedAt: at("2026-06-10"), value: 0 }),
      answer({ contactId: "c2", responseId: "other", completedAt: at("2026-05-05"), value: 100 }),
    ];
    const result = computeRepCalibration([prediction({ contactId: "c1", value: 60 })], answers, { now: NOW });
    expect(result).toEqual([{ authorId: "ana", pairs: 1, meanAbsoluteError: 20, meanBias: 20 }]);
  });

  it("measures pessimism as a negative bias", () => {
    const answers = [answer({ completedAt: at("2026-05-10"), value: 90 })];
    expect(computeRepCalibration([prediction({ value: 60 })], answers, { now: NOW })).toEqual([
      { authorId: "ana", pairs: 1, meanAbsoluteError: 30, meanBias: -30 },
    ]);
  });

  it("mixes signs: MAE counts the size, bias nets them out", () => {
    const answers = [
      answer({ completedAt: at("2026-05-10"), dimension: "trust", value: 40 }),
      answer({ completedAt: at("2026-05-10"), dimension: "value", value: 80 }),
    ];
    const predictions = [
      prediction({ dimension: "trust", value: 60 }),
      prediction({ dimension: "value", value: 70 }),
    ];
    expect(computeRepCalibration(predictions, answers, { now: NOW })).toEqual([
      { authorId: "ana", pairs: 2, meanAbsoluteError: 15, meanBias: 5 },
    ]);
  });

  it("pairs only answers strictly after the prediction, within 180 days, by now, on the same account", () => {
    const madeAt = at("2026-01-01");
    const one = (completedAt: Date, overrides: Partial<CalibrationAnswerRow> = {}) =>
      pairPredictionsWithAnswers([prediction({ madeAt })], [answer({ completedAt, ...overrides })], {
        now: NOW,
      });
    expect(one(madeAt)).toEqual([]);
    expect(one(at("2026-06-30"))).toHaveLength(1); // exactly 180 days
    expect(one(at("2026-06-30T00:00:01Z"), {})).toEqual([]); // after now, and past 180 days
    expect(
      pairPredictionsWithAnswers(
        [prediction({ madeAt })],
        [answer({ completedAt: at("2026-06-30T00:00:01Z") })],
        {
          now: at("2026-12-01"),
        },
      ),
    ).toEqual([]); // 180 days and 1 second
    expect(one(at("2026-03-01"), { accountId: "elsewhere" })).toEqual([]);
    expect(
      pairPredictionsWithAnswers(
        [prediction({ madeAt: at("2026-06-01") })],
        [answer({ completedAt: at("2026-06-15") })],
        {
          now: at("2026-06-10"),
        },
      ),
    ).toEqual([]); // the answer is after now
  });

  it("keeps both predictions an author made at the same instant", () => {
    const answers = [answer({ completedAt: at("2026-05-10"), value: 50 })];
    const predictions = [
      prediction({ contactId: null, value: 40 }),
      prediction({ contactId: "c1", value: 70 }),
    ];
    expect(computeRepCalibration(predictions, answers, { now: NOW })).toEqual([
      { authorId: "ana", pairs: 2, meanAbsoluteError: 15, meanBias: 5 },
    ]);
  });

  it("ranks lowest error first, then more pairs, then author id", () => {
    const ranked = rankCalibration([
      { authorId: "cy", pairs: 3, meanAbsoluteError: 10, meanBias: 0 },
      { authorId: "bo", pairs: 5, meanAbsoluteError: 10, meanBias: 0 },
      { authorId: "al", pairs: 1, meanAbsoluteError: 20, meanBias: 0 },
      { authorId: "ax", pairs: 3, meanAbsoluteError: 10, meanBias: 0 },
    ]);
    expect(ranked.map((r) => r.authorId)).toEqual(["bo", "ax", "cy", "al"]);
  });
});

// ─── 9. Trend and the 9-1-1 drop ──────────────────────────────────────────────

const dv = (dimension: HealthDimension, value: number) => ({ dimension, value });

describe("healthDrop", () => {
  it("is how far health fell over the dimensions both responses answered", () => {
    expect(healthDrop([dv("trust", 75)], [dv("trust", 25), dv("communication", 50)])).toBe(50);
    // trust 80 → 60, value 60 → 60: mean drop 10
    expect(healthDrop([dv("trust", 80), dv("value", 60)], [dv("trust", 60), dv("value", 60)])).toBe(10);
  });

  it("is negative for an improvement and null with nothing in common", () => {
    expect(healthDrop([dv("trust", 50)], [dv("trust", 75)])).toBe(-25);
    expect(healthDrop([dv("trust", 50)], [dv("value", 75)])).toBeNull();
    expect(healthDrop([], [])).toBeNull();
  });

  it("ignores advocacy and renewal, and averages two questions on one dimension", () => {
    expect(healthDrop([dv("advocacy", 100)], [dv("advocacy", 0)])).toBeNull();
    expect(healthDrop([dv("trust", 100), dv("trust", 50)], [dv("trust", 50)])).toBe(25);
  });
});

describe("isHealthDropCase", () => {
  it("opens a case from a drop of 20 points, not 19.9", () => {
    expect(isHealthDropCase([dv("trust", 80)], [dv("trust", 60)])).toBe(true);
    expect(isHealthDropCase([dv("trust", 80)], [dv("trust", 60.1)])).toBe(false);
    expect(isHealthDropCase([dv("trust", 80), dv("value", 60)], [dv("trust", 60), dv("value", 60)])).toBe(
      false,
    );
    expect(isHealthDropCase([], [dv("trust", 0)])).toBe(false);
  });
});

describe("responseHealth", () => {
  it("is the mean of the relationship dimensions a response answered", () => {
    expect(responseHealth([dv("trust", 25), dv("communication", 50), dv("advocacy", 60)])).toBe(37.5);
    expect(responseHealth([dv("renewal", 60)])).toBeNull();
  });
});

describe("computeHealthTrend", () => {
  it("has no change without a contact who answered twice", () => {
    expect(computeHealthTrend([], window)).toEqual({ change: null, contacts: [], confidence: "none" });
    expect(computeHealthTrend([answer()], window).change).toBeNull();
  });

  it("reproduces the worked example: Dana fell 50 points from January to June", () => {
    const trend = computeHealthTrend(northwind().answers, window);
    expect(trend.change).toBe(-50);
    expect(trend.confidence).toBe("low");
    expect(trend.contacts).toEqual([
      {
        respondent: "dana",
        contactId: "dana",
        buyingRole: "decision_maker",
        previousResponseId: "r1",
        previousAt: at("2026-01-15"),
        previousHealth: 75,
        currentResponseId: "r2",
        currentAt: at("2026-06-01"),
        currentHealth: 37.5,
        change: -50,
      },
    ]);
  });

  it("weights contacts' changes by role and compares against a previous response of any age", () => {
    const rows = [
      answer({
        contactId: "dm",
        buyingRole: "decision_maker",
        responseId: "a1",
        completedAt: at("2024-01-01"),
        value: 50,
      }),
      answer({
        contactId: "dm",
        buyingRole: "decision_maker",
        responseId: "a2",
        completedAt: at("2026-06-01"),
        value: 70,
      }),
      answer({
        contactId: "u",
        buyingRole: "user",
        responseId: "b1",
        completedAt: at("2026-01-01"),
        value: 80,
      }),
      answer({
        contactId: "u",
        buyingRole: "user",
        responseId: "b2",
        completedAt: at("2026-06-01"),
        value: 0,
      }),
    ];
    // (3×20 + 1×(−80)) / 4 = −5
    expect(computeHealthTrend(rows, window).change).toBe(-5);
  });

  it("skips a contact whose latest response is outside the window", () => {
    const rows = [
      answer({ responseId: "a1", completedAt: at("2024-01-01"), value: 50 }),
      answer({ responseId: "a2", completedAt: at("2025-06-01"), value: 70 }),
    ];
    expect(computeHealthTrend(rows, window).contacts).toEqual([]);
  });

  it("does not treat a response completed at the same instant as the previous wave", () => {
    const rows = [
      answer({ responseId: "a", completedAt: at("2026-01-01"), value: 80 }),
      answer({ responseId: "b", completedAt: at("2026-06-01"), value: 40 }),
      answer({ responseId: "c", completedAt: at("2026-06-01"), value: 60 }),
    ];
    const trend = computeHealthTrend(rows, window);
    // newest is "c" (ties break by response id), previous is "a"
    expect(trend.contacts.map((c) => [c.previousResponseId, c.currentResponseId, c.change])).toEqual([
      ["a", "c", -20],
    ]);
    expect(computeHealthTrend([...rows].reverse(), window)).toEqual(trend);
  });
});

// ─── Everything together ──────────────────────────────────────────────────────

describe("computeAccountHealth", () => {
  it("assembles the worked example", () => {
    const health = computeAccountHealth({ now: NOW, ...northwind() });
    expect(health.customer.health.value).toBe(56.3);
    expect(health.team.health.value).toBe(80);
    expect(health.ledger.score).toBe(62.2);
    expect(health.nps.nps).toBe(33);
    expect(health.gap.health.quadrant).toBe("blind_spot");
    expect(health.trend.change).toBe(-50);
  });

  it("gives the same answer whatever order the rows come in", () => {
    const data = northwind();
    const reversed = {
      ...data,
      answers: [...data.answers].reverse(),
      predictions: [...data.predictions].reverse(),
      interactions: [...data.interactions].reverse(),
      invitations: [...data.invitations].reverse(),
    };
    expect(computeAccountHealth({ now: NOW, ...reversed })).toEqual(
      computeAccountHealth({ now: NOW, ...data }),
    );
  });
});
