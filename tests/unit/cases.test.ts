import { describe, expect, it } from "vitest";
import {
  addBusinessDays,
  caseAllows,
  caseForResponse,
  caseHeadline,
  caseRefusal,
  caseSignals,
  caseSlaBusinessDays,
  closedLoopMetrics,
  describeDuration,
  describeSlaClock,
  equityWeightForSeverity,
  helpRequestSeverity,
  ledgerSummaryForCase,
  median,
  questionTitles,
  recoveryPulseBlocker,
  responseCustomerHealth,
  responseHealthDrop,
  slaClock,
  verbatimComments,
  type ScoredAnswerRow,
} from "~/domain/cases";

/** A response scored on the six relationship dimensions (all `health`) plus advocacy and renewal. */
function scored(
  health: number,
  extra: Partial<Record<ScoredAnswerRow["dimension"], number>> = {},
): ScoredAnswerRow[] {
  const values: Record<string, number> = {
    trust: health,
    responsiveness: health,
    understanding: health,
    value: health,
    communication: health,
    relationship: health,
    advocacy: 90,
    renewal: 100,
    ...extra,
  };
  return Object.entries(values).map(([dimension, value]) => ({
    dimension: dimension as ScoredAnswerRow["dimension"],
    value,
  }));
}

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("customer health of one response", () => {
  it("is the mean of the six relationship dimensions, leaving out advocacy and renewal", () => {
    // (75 + 100 + 50 + 75 + 75 + 100) / 6 = 79.1666…
    const answers = scored(0, {
      trust: 75,
      responsiveness: 100,
      understanding: 50,
      value: 75,
      communication: 75,
      relationship: 100,
      advocacy: 0,
      renewal: 0,
    });
    expect(responseCustomerHealth(answers)).toBeCloseTo(79.1667, 3);
  });

  it("averages several questions on one dimension first, then the dimensions present", () => {
    // trust (0 + 100) / 2 = 50, value 80 → (50 + 80) / 2 = 65
    expect(
      responseCustomerHealth([
        { dimension: "trust", value: 0 },
        { dimension: "trust", value: 100 },
        { dimension: "value", value: 80 },
        { dimension: "advocacy", value: 10 },
      ]),
    ).toBe(65);
  });

  it("is null for a response with none of the six (a pulse of advocacy only)", () => {
    expect(responseCustomerHealth([{ dimension: "advocacy", value: 30 }])).toBeNull();
    expect(responseHealthDrop(scored(80), [{ dimension: "renewal", value: 0 }])).toBeNull();
    expect(responseHealthDrop(scored(80), null)).toBeNull();
  });

  it("measures the drop from the previous response", () => {
    expect(responseHealthDrop(scored(55), scored(75))).toEqual({ previous: 75, current: 55, drop: 20 });
  });
});

describe("what opens a case", () => {
  it("opens none for a healthy response", () => {
    expect(caseForResponse(scored(75), scored(80))).toBeNull();
    // the thresholds themselves are inclusive; just above them is healthy
    expect(caseForResponse(scored(50, { advocacy: 70, renewal: 50 }), null)).toBeNull();
  });

  it.each([
    [60, "medium"],
    [50, "high"],
    [40, "high"],
    [30, "critical"],
    [0, "critical"],
  ] as const)("opens a low-advocacy case at advocacy %i/100 (%s)", (advocacy, severity) => {
    expect(caseForResponse(scored(75, { advocacy }), null)).toMatchObject({
      trigger: "low_advocacy",
      severity,
    });
  });

  it("opens a low-dimension case at 25 (high) and 10 or less (critical), renewal included", () => {
    expect(caseForResponse(scored(75, { communication: 25 }), null)).toMatchObject({
      trigger: "low_dimension",
      severity: "high",
      signals: [{ dimension: "communication", score: 25 }],
    });
    expect(caseForResponse(scored(75, { trust: 0 }), null)).toMatchObject({ severity: "critical" });
    expect(caseForResponse(scored(75, { renewal: 25 }), null)?.trigger).toBe("low_dimension");
    expect(caseForResponse(scored(75, { value: 26 }), null)).toBeNull();
  });

  it.each([
    [80, 61, null],
    [80, 60, "medium"],
    [80, 50, "high"],
    [80, 40, "critical"],
  ] as const)("health %i → %i opens %s", (before, after, severity) => {
    const decision = caseForResponse(scored(after), scored(before));
    if (severity === null) expect(decision).toBeNull();
    else expect(decision).toMatchObject({ trigger: "health_drop", severity });
  });

  it("names the worst signal and lists every one, worst first", () => {
    // advocacy 50 (high), trust 0 (critical), health 90 → (0 + 5 × 75) / 6 = 62.5 (drop 27.5, medium)
    const signals = caseSignals(scored(75, { trust: 0, advocacy: 50 }), scored(90));
    expect(signals.map((s) => [s.trigger, s.severity])).toEqual([
      ["low_dimension", "critical"],
      ["low_advocacy", "high"],
      ["health_drop", "medium"],
    ]);
    expect(caseForResponse(scored(75, { trust: 0, advocacy: 50 }), scored(90))).toMatchObject({
      trigger: "low_dimension",
      severity: "critical",
    });
  });

  it("puts advocacy before a dimension of the same severity", () => {
    expect(caseForResponse(scored(75, { advocacy: 20, value: 0 }), null)?.trigger).toBe("low_advocacy");
  });

  it("makes a help request at least high, and critical when the answers are", () => {
    expect(helpRequestSeverity([])).toBe("high");
    expect(helpRequestSeverity(caseSignals(scored(75, { advocacy: 60 }), null))).toBe("high");
    expect(helpRequestSeverity(caseSignals(scored(75, { advocacy: 20 }), null))).toBe("critical");
  });

  it("weighs the ledger withdrawal by severity", () => {
    expect(["medium", "high", "critical"].map((s) => equityWeightForSeverity(s as "high"))).toEqual([
      1, 2, 3,
    ]);
  });
});

describe("words", () => {
  it("says what the customer answered in one sentence", () => {
    const signals = caseSignals(scored(75, { trust: 0, advocacy: 30 }), scored(90));
    expect(
      caseHeadline({ trigger: "low_advocacy", contactName: "Dana Lee", surveyTitle: "Pulse", signals }),
    ).toBe(
      "Dana Lee answered “Pulse” with advocacy 3/10, trust 0/100 and customer health down 28 points (90 → 63)",
    );
    expect(
      caseHeadline({ trigger: "help_requested", contactName: "Dana Lee", surveyTitle: "Pulse", signals: [] }),
    ).toBe("Dana Lee pressed “I need help now” after answering “Pulse”");
  });

  it("names the trigger in the ledger summary and keeps it within the column's limit", () => {
    expect(ledgerSummaryForCase("help_requested", "Dana asked")).toBe(
      "Customer 9-1-1 opened (asked for help): Dana asked",
    );
    expect(ledgerSummaryForCase("low_advocacy", "x".repeat(5000), 2000)).toHaveLength(2000);
  });
});

describe("the SLA in business days", () => {
  it.each([
    ["Monday 09:00 → Wednesday 09:00", "2026-03-02T09:00:00Z", "2026-03-04T09:00:00Z"],
    ["Thursday 16:30 → Monday 16:30", "2026-03-05T16:30:00Z", "2026-03-09T16:30:00Z"],
    ["Friday 15:00 → Tuesday 15:00", "2026-03-06T15:00:00Z", "2026-03-10T15:00:00Z"],
    ["Saturday 10:00 → Tuesday 10:00", "2026-03-07T10:00:00Z", "2026-03-10T10:00:00Z"],
    ["Sunday 23:59 → Tuesday 23:59", "2026-03-08T23:59:00Z", "2026-03-10T23:59:00Z"],
  ])("adds two business days: %s", (_label, from, due) => {
    expect(addBusinessDays(at(from), 2).toISOString()).toBe(at(due).toISOString());
  });

  it("adds a whole week over a weekend for five days, and nothing for zero", () => {
    expect(addBusinessDays(at("2026-03-04T12:00:00Z"), 5).toISOString()).toBe("2026-03-11T12:00:00.000Z");
    expect(addBusinessDays(at("2026-03-07T12:00:00Z"), 0).toISOString()).toBe("2026-03-07T12:00:00.000Z");
  });

  it("reads CASE_SLA_BUSINESS_DAYS, defaulting to 2 and reporting a malformed value", () => {
    expect(caseSlaBusinessDays({})).toEqual({ days: 2, problem: null });
    expect(caseSlaBusinessDays({ CASE_SLA_BUSINESS_DAYS: "3" })).toEqual({ days: 3, problem: null });
    for (const bad of ["0", "31", "2.5", "two", "-1"]) {
      const result = caseSlaBusinessDays({ CASE_SLA_BUSINESS_DAYS: bad });
      expect(result.days, bad).toBe(2);
      expect(result.problem, bad).toMatch(/CASE_SLA_BUSINESS_DAYS must be a whole number/);
    }
  });

  it("tells running, overdue, met and missed apart", () => {
    const due = at("2026-03-04T09:00:00Z");
    expect(slaClock({ slaDueAt: due, resolvedAt: null }, at("2026-03-03T06:00:00Z"))).toEqual({
      state: "running",
      dueInMs: 27 * HOUR,
    });
    expect(slaClock({ slaDueAt: due, resolvedAt: null }, at("2026-03-05T12:30:00Z"))).toEqual({
      state: "overdue",
      overdueByMs: 27.5 * HOUR,
    });
    expect(
      slaClock({ slaDueAt: due, resolvedAt: at("2026-03-04T08:00:00Z") }, at("2026-04-01T00:00:00Z")),
    ).toMatchObject({ state: "met" });
    expect(
      describeSlaClock(slaClock({ slaDueAt: due, resolvedAt: at("2026-03-04T14:00:00Z") }, new Date())),
    ).toBe("resolved 5 h after the SLA");
    expect(describeSlaClock({ state: "overdue", overdueByMs: 27.5 * HOUR })).toBe("overdue by 1 day 3 h");
  });

  it.each([
    [30_000, "less than a minute"],
    [45 * 60_000, "45 min"],
    [5 * HOUR + 20 * 60_000, "5 h 20 min"],
    [3 * HOUR, "3 h"],
    [DAY + 3 * HOUR, "1 day 3 h"],
    [2 * DAY, "2 days"],
    [12 * DAY + 5 * HOUR, "12 days"],
  ])("describes %i ms as %s", (ms, words) => {
    expect(describeDuration(ms)).toBe(words);
  });
});

describe("working a case", () => {
  it("goes open → acknowledged → resolved, may resolve an open case, and never leaves resolved", () => {
    expect(caseAllows("open", "acknowledge")).toBe(true);
    expect(caseAllows("acknowledged", "acknowledge")).toBe(false);
    expect(caseAllows("open", "resolve")).toBe(true);
    expect(caseAllows("acknowledged", "resolve")).toBe(true);
    expect(caseAllows("resolved", "resolve")).toBe(false);
    expect(caseAllows("resolved", "acknowledge")).toBe(false);
    expect(caseAllows("resolved", "note")).toBe(true);
    expect(caseRefusal("resolved", "resolve")).toMatch(/resolved, so it cannot be resolved again/);
  });

  it("never sends a recovery pulse to an opted-out, bounced or unreachable contact", () => {
    const ok = { email: "dana@example.test", optedOutAt: null, bouncedAt: null };
    expect(recoveryPulseBlocker(ok)).toBeNull();
    expect(recoveryPulseBlocker({ ...ok, optedOutAt: new Date() })).toBe("opted_out");
    expect(recoveryPulseBlocker({ ...ok, bouncedAt: new Date() })).toBe("bounced");
    expect(recoveryPulseBlocker({ ...ok, email: " " })).toBe("no_email");
    expect(recoveryPulseBlocker(null)).toBe("no_contact");
  });
});

describe("closed-loop metrics", () => {
  const now = at("2026-06-30T12:00:00Z");
  const opened = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);
  const hoursAfter = (from: Date, hours: number) => new Date(from.getTime() + hours * HOUR);

  it("takes medians, the SLA share of decided cases, and today's open and overdue counts", () => {
    const a = opened(10); // acknowledged after 1 h, resolved after 20 h, due after 48 h: met
    const b = opened(20); // acknowledged after 3 h, resolved after 60 h, due after 48 h: missed
    const c = opened(5); // acknowledged after 2 h, still open, due after 48 h: overdue, counts as missed
    const d = opened(1); // open, not due yet: not decided
    const old = opened(200); // outside the window; still open and overdue
    const cases = [
      {
        openedAt: a,
        acknowledgedAt: hoursAfter(a, 1),
        resolvedAt: hoursAfter(a, 20),
        slaDueAt: hoursAfter(a, 48),
      },
      {
        openedAt: b,
        acknowledgedAt: hoursAfter(b, 3),
        resolvedAt: hoursAfter(b, 60),
        slaDueAt: hoursAfter(b, 48),
      },
      { openedAt: c, acknowledgedAt: hoursAfter(c, 2), resolvedAt: null, slaDueAt: hoursAfter(c, 48) },
      { openedAt: d, acknowledgedAt: null, resolvedAt: null, slaDueAt: hoursAfter(d, 48) },
      { openedAt: old, acknowledgedAt: null, resolvedAt: null, slaDueAt: hoursAfter(old, 48) },
    ];
    expect(closedLoopMetrics(cases, now)).toEqual({
      windowDays: 90,
      opened: 4,
      medianAcknowledgeMs: 2 * HOUR,
      medianResolveMs: 40 * HOUR,
      resolvedWithinSla: { met: 1, decided: 3, share: 1 / 3 },
      openNow: 3,
      overdueNow: 2,
    });
  });

  it("has no medians or share with nothing to measure", () => {
    expect(closedLoopMetrics([], now, 30)).toEqual({
      windowDays: 30,
      opened: 0,
      medianAcknowledgeMs: null,
      medianResolveMs: null,
      resolvedWithinSla: { met: 0, decided: 0, share: null },
      openNow: 0,
      overdueNow: 0,
    });
  });

  it("takes the mean of the middle two for an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNull();
  });
});

describe("what the customer wrote", () => {
  const model = {
    pages: [
      {
        elements: [
          { type: "rating", name: "advocacy", title: "Would you recommend {company}?" },
          { type: "comment", name: "advocacy_why", title: "What would it take, {contact}?" },
          {
            type: "panel",
            name: "more",
            elements: [
              { type: "text", name: "size", inputType: "number" },
              { type: "radiogroup", name: "reason", title: "Why?" },
            ],
          },
          { type: "comment", name: "empty" },
        ],
      },
    ],
  };

  it("lists non-empty text answers in survey order with their titles filled in", () => {
    const data = {
      advocacy: 3,
      advocacy_why: "  Call us back.  ",
      size: 12,
      reason: "other",
      "reason-Comment": "Billing",
      empty: "   ",
    };
    expect(verbatimComments(model, data, { company: "Acme", contact: "Dana" })).toEqual([
      { question: "advocacy_why", title: "What would it take, Dana?", text: "Call us back." },
      { question: "reason-Comment", title: "Why? (in their words)", text: "Billing" },
    ]);
    expect(questionTitles(model, { company: "Acme" })).toMatchObject({
      advocacy: "Would you recommend Acme?",
      size: "size",
    });
  });

  it("copes with a model that is not a survey", () => {
    expect(verbatimComments(null, { a: "b" })).toEqual([]);
    expect(verbatimComments({ pages: "no" }, {})).toEqual([]);
  });
});
