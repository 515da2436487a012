import { describe, expect, it } from "vitest";
import {
  closedTooLongAgo,
  describeAction,
  describeCondition,
  followUpDueAt,
  matchFollowUp,
  parseRuleInput,
  type WinlossRule,
} from "~/domain/winloss-program";

const rule = (overrides: Partial<WinlossRule>): WinlossRule => ({
  id: "r",
  position: 1,
  outcomes: [],
  minAmountCents: null,
  maxAmountCents: null,
  segment: null,
  action: "survey",
  delayDays: 3,
  ...overrides,
});

const bigLoss = rule({
  id: "big-loss",
  position: 1,
  outcomes: ["lost"],
  minAmountCents: 50_000_00,
  action: "interview",
  delayDays: 2,
});
const enterprise = rule({
  id: "enterprise",
  position: 2,
  segment: "enterprise",
  action: "none",
  delayDays: 0,
});

describe("matchFollowUp", () => {
  it("takes the first rule in position order that matches, whatever order they arrive in", () => {
    const deal = { outcome: "lost", amountCents: 80_000_00, segment: "enterprise" };
    expect(matchFollowUp([enterprise, bigLoss], deal)).toEqual({
      ruleId: "big-loss",
      action: "interview",
      delayDays: 2,
      summary: "Rule 1: Lost · $50,000 or more → open an interview task 2 days after close",
    });
  });

  it("counts the lower bound in and the upper bound out", () => {
    const band = rule({ id: "band", minAmountCents: 10_000_00, maxAmountCents: 50_000_00 });
    const at = (amountCents: number) =>
      matchFollowUp([band], { outcome: "won", amountCents, segment: "smb" }).ruleId;
    expect(at(10_000_00)).toBe("band");
    expect(at(49_999_99)).toBe("band");
    expect(at(50_000_00)).toBeNull();
    expect(at(9_999_99)).toBeNull();
  });

  it("falls back to surveying three days after close when nothing matches", () => {
    expect(matchFollowUp([bigLoss, enterprise], { outcome: "won", amountCents: 1, segment: "smb" })).toEqual({
      ruleId: null,
      action: "survey",
      delayDays: 3,
      summary: "No rule matched: survey the buyers 3 days after close (the default)",
    });
  });
});

describe("the words for a rule", () => {
  it("names outcomes, amounts and segment, and 'every closed deal' when it names nothing", () => {
    expect(describeCondition(rule({}))).toBe("Every closed deal");
    expect(describeCondition(rule({ outcomes: ["won", "lost", "no_decision"] }))).toBe("Every closed deal");
    expect(
      describeCondition(
        rule({ outcomes: ["no_decision", "lost"], maxAmountCents: 25_000_50, segment: "mid_market" }),
      ),
    ).toBe("Lost or no decision · under $25,000.50 · Mid-market");
    expect(describeCondition(rule({ minAmountCents: 1_000_00, maxAmountCents: 2_000_00 }))).toBe(
      "$1,000 to under $2,000",
    );
  });

  it("says when the action happens", () => {
    expect(describeAction("survey", 0)).toBe("Survey the buyers on the day it closes");
    expect(describeAction("interview", 1)).toBe("Open an interview task 1 day after close");
    expect(describeAction("none", 5)).toBe("No follow-up");
  });
});

describe("dates", () => {
  it("puts the follow-up `delay` whole days after the close", () => {
    expect(followUpDueAt(new Date("2026-03-30T15:00:00Z"), 3)).toEqual(new Date("2026-04-02T15:00:00Z"));
  });

  it("calls a close more than 90 days back too old to follow up, and day 90 not yet", () => {
    const now = new Date("2026-06-30T12:00:00Z");
    expect(closedTooLongAgo("2026-04-01", now)).toBe(false);
    expect(closedTooLongAgo("2026-03-31", now)).toBe(true);
    expect(closedTooLongAgo(null, now)).toBe(false);
  });
});

describe("parseRuleInput", () => {
  it("reads dollars with separators and a sign, outcomes once each in a fixed order", () => {
    expect(
      parseRuleInput({
        outcomes: ["no_decision", "won", "won"],
        minAmount: " $1,234.5 ",
        maxAmount: "",
        segment: "",
        action: "survey",
        delayDays: "7",
      }),
    ).toEqual({
      ok: true,
      input: {
        outcomes: ["won", "no_decision"],
        minAmountCents: 123_450,
        maxAmountCents: null,
        segment: null,
        action: "survey",
        delayDays: 7,
      },
    });
  });

  it("refuses more than two decimals, a huge amount and a wrong type", () => {
    const result = parseRuleInput({
      minAmount: "1.005",
      maxAmount: "9".repeat(20),
      action: 3,
      delayDays: ["1"],
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? {} : result.fieldErrors).toEqual({
      minAmount: "“At least” “1.005” is not an amount; enter dollars such as 50000 or 50,000.",
      maxAmount: "“Below” “99999999999999999999” is larger than any deal can be.",
      action: "Action “3” is not one of survey, interview or none.",
      delayDays: "Delay must be a whole number of days from 0 to 90.",
    });
  });
});
