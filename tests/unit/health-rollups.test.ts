import { describe, expect, it } from "vitest";
import {
  answeredPredictions,
  computeAccountRollup,
  computeMonthlyRollup,
  computeReach,
  lastCustomerVoice,
  monthOf,
  type AccountRollupInput,
} from "~/domain/health-rollups";
import type { CustomerAnswerRow } from "~/domain/health";

const now = new Date("2026-06-30T00:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

function answer(overrides: Partial<CustomerAnswerRow>): CustomerAnswerRow {
  return {
    contactId: "dana",
    buyingRole: "decision_maker",
    responseId: "r1",
    completedAt: daysAgo(5),
    dimension: "trust",
    value: 50,
    ...overrides,
  };
}

function input(overrides: Partial<AccountRollupInput> = {}): AccountRollupInput {
  return {
    accountId: "account-1",
    now,
    answers: [],
    responses: [],
    predictions: [],
    interactions: [],
    targetCadenceDays: 45,
    keyContactIds: [],
    invitations: [],
    ...overrides,
  };
}

describe("computeAccountRollup", () => {
  it("makes one account row per window and a dimension row only where a side has a value", () => {
    const rollup = computeAccountRollup(
      input({
        answers: [answer({ value: 40 })],
        responses: [{ id: "r1", contactId: "dana", completedAt: daysAgo(5), campaignId: null }],
        predictions: [
          {
            authorId: "ana",
            contactId: null,
            madeAt: daysAgo(20),
            campaignId: null,
            dimension: "trust",
            value: 80,
          },
        ],
        keyContactIds: ["dana"],
      }),
    );
    expect(rollup.account.map((r) => r.windowMonths)).toEqual([3, 6, 12, 24]);
    expect(rollup.dimensions.map((r) => [r.windowMonths, r.dimension, r.gap, r.quadrant])).toEqual([
      [3, "trust", 40, "blind_spot"],
      [6, "trust", 40, "blind_spot"],
      [12, "trust", 40, "blind_spot"],
      [24, "trust", 40, "blind_spot"],
    ]);
    expect(rollup.account[2]).toMatchObject({
      customerHealth: 40,
      teamHealth: 80,
      healthGap: 40,
      healthQuadrant: "blind_spot",
      lastCustomerVoiceAt: daysAgo(5),
      keyContacts: 1,
      keyContactsHeard: 1,
      computedAt: now,
    });
  });

  it("gives an account with no rows at all a row that says so", () => {
    const [row] = computeAccountRollup(input()).account;
    expect(row).toMatchObject({
      customerHealth: null,
      customerConfidence: "none",
      nps: null,
      teamHealth: null,
      healthGap: null,
      healthQuadrant: null,
      lastCustomerVoiceAt: null,
      invitationsSent: 0,
      keyContacts: 0,
    });
    expect((row!.flags as { flag: string }[]).map((f) => f.flag)).toEqual(["silent"]);
  });

  it("is the same whatever order the rows come in", () => {
    const answers = [
      answer({ responseId: "r1", contactId: "dana", value: 25, completedAt: daysAgo(40) }),
      answer({ responseId: "r2", contactId: "chris", buyingRole: "champion", value: 75 }),
      answer({
        responseId: "r2",
        contactId: "chris",
        buyingRole: "champion",
        dimension: "advocacy",
        value: 90,
      }),
    ];
    const forward = computeAccountRollup(input({ answers }));
    const backward = computeAccountRollup(input({ answers: [...answers].reverse() }));
    expect(backward).toEqual(forward);
  });
});

describe("answeredPredictions", () => {
  const prediction = (madeDaysAgo: number, campaignId: string | null = null) => ({
    authorId: "ana",
    contactId: null,
    madeAt: daysAgo(madeDaysAgo),
    campaignId,
    dimension: "trust" as const,
    value: 80,
  });
  const response = (completedDaysAgo: number, campaignId: string | null = null) => ({
    id: `r${completedDaysAgo}`,
    contactId: "dana",
    completedAt: daysAgo(completedDaysAgo),
    campaignId,
  });

  it("counts a prediction only once the customer has answered after it", () => {
    const made = [prediction(20), prediction(3)];
    expect(answeredPredictions(made, [response(10)], now)).toEqual([made[0]]);
    expect(answeredPredictions(made, [response(10), response(1)], now)).toEqual(made);
    // an answer at the very instant of the prediction was not given after it
    expect(answeredPredictions([prediction(10)], [response(10)], now)).toEqual([]);
    // nor one that lies after now
    expect(answeredPredictions([prediction(10)], [response(-1)], now)).toEqual([]);
  });

  it("waits for the campaign a prediction names, not any answer", () => {
    const made = [prediction(20, "spring")];
    expect(answeredPredictions(made, [response(5, "autumn"), response(4)], now)).toEqual([]);
    expect(answeredPredictions(made, [response(5, "spring")], now)).toEqual(made);
  });

  it("keeps a colleague's sealed prediction out of the team view", () => {
    const rollup = computeAccountRollup(
      input({
        answers: [answer({ value: 40, completedAt: daysAgo(30) })],
        responses: [{ id: "r1", contactId: "dana", completedAt: daysAgo(30), campaignId: null }],
        predictions: [prediction(5)],
      }),
    );
    expect(rollup.account[2]).toMatchObject({ customerHealth: 40, teamHealth: null, healthGap: null });
    expect(rollup.dimensions.map((d) => [d.dimension, d.teamValue])).toEqual([
      ["trust", null],
      ["trust", null],
      ["trust", null],
      ["trust", null],
    ]);
  });
});

describe("computeReach", () => {
  it("counts invitations that reached the customer in the window, and key contacts asked and heard", () => {
    const reach = computeReach(
      input({
        keyContactIds: ["dana", "chris", "dana"],
        invitations: [
          { contactId: "dana", sentAt: daysAgo(10), status: "completed" },
          { contactId: "chris", sentAt: daysAgo(20), status: "expired" },
          // never reached anyone: not counted
          { contactId: "chris", sentAt: daysAgo(20), status: "bounced" },
          { contactId: "uma", sentAt: null, status: "queued" },
          // before the 3-month window
          { contactId: "uma", sentAt: daysAgo(120), status: "completed" },
        ],
        responses: [
          { id: "r1", contactId: "dana", completedAt: daysAgo(9), campaignId: null },
          { id: "r2", contactId: "uma", completedAt: daysAgo(100), campaignId: null },
        ],
      }),
      3,
    );
    expect(reach).toEqual({
      invitationsSent: 2,
      invitationsCompleted: 1,
      keyContacts: 2,
      keyContactsAsked: 2,
      keyContactsHeard: 1,
    });
  });
});

describe("computeMonthlyRollup", () => {
  it("takes each respondent's latest answer in the month and averages answers given at the same instant", () => {
    const at = new Date("2026-05-10T09:00:00Z");
    const months = computeMonthlyRollup(
      [
        answer({ responseId: "a", completedAt: at, dimension: "advocacy", value: 100 }),
        answer({ responseId: "b", completedAt: at, dimension: "advocacy", value: 60 }),
        answer({ responseId: "a", completedAt: at, dimension: "trust", value: 100 }),
        answer({ responseId: "b", completedAt: at, dimension: "trust", value: 50 }),
        // the last day of April, UTC: its own month
        answer({ responseId: "c", completedAt: new Date("2026-04-30T23:59:59Z"), value: 0 }),
        // after `now`: not yet
        answer({ responseId: "d", completedAt: new Date("2026-07-02T00:00:00Z"), value: 100 }),
      ],
      [
        { id: "a", contactId: "dana", completedAt: at, campaignId: null },
        { id: "b", contactId: "dana", completedAt: at, campaignId: null },
      ],
      now,
    );
    expect(months).toEqual([
      {
        month: "2026-04-01",
        responses: 0,
        promoters: 0,
        passives: 0,
        detractors: 0,
        npsRespondents: 0,
        healthSum: 0,
        healthCount: 1,
      },
      // (100 + 60) / 2 = 80 → passive; trust (100 + 50) / 2 = 75
      {
        month: "2026-05-01",
        responses: 2,
        promoters: 0,
        passives: 1,
        detractors: 0,
        npsRespondents: 1,
        healthSum: 75,
        healthCount: 1,
      },
    ]);
  });
});

describe("small helpers", () => {
  it("names a month by its first day in UTC", () => {
    expect(monthOf(new Date("2026-12-31T23:30:00-02:00"))).toBe("2027-01-01");
  });

  it("finds when the customer last spoke, ignoring anything after now", () => {
    expect(
      lastCustomerVoice(
        [
          { id: "a", contactId: null, completedAt: daysAgo(30), campaignId: null },
          { id: "b", contactId: null, completedAt: daysAgo(-1), campaignId: null },
          { id: "c", contactId: null, completedAt: daysAgo(3), campaignId: null },
        ],
        now,
      ),
    ).toEqual(daysAgo(3));
    expect(lastCustomerVoice([], now)).toBeNull();
  });
});
