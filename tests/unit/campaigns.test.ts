import { describe, expect, it } from "vitest";
import {
  campaignAllows,
  parseEmailList,
  parseReminderOffsets,
  planRecipients,
  quarterStart,
  remindersDue,
  responseRate,
  type AudienceCandidate,
} from "~/domain/campaigns";

const NOW = new Date("2026-05-15T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 24 * 60 * 60 * 1000);

function candidate(overrides: Partial<AudienceCandidate> & { contactId: string }): AudienceCandidate {
  return {
    accountId: "acct-a",
    name: overrides.contactId,
    email: `${overrides.contactId}@example.test`,
    buyingRole: "user",
    optedOutAt: null,
    bouncedAt: null,
    lastInvitedAt: null,
    ...overrides,
  };
}

const rules = { frequencyWindowDays: 90, askBudgetPerQuarter: 2 };
const reasons = (plan: ReturnType<typeof planRecipients>) =>
  Object.fromEntries(plan.map((p) => [p.contactId, p.excludedReason]));

describe("planRecipients", () => {
  it("leaves out, with the reason, each contact a rule stops, and asks the rest", () => {
    const plan = planRecipients(
      [
        candidate({ contactId: "ok" }),
        candidate({ contactId: "blank", email: "  " }),
        candidate({ contactId: "broken", email: "not an address" }),
        candidate({ contactId: "out", optedOutAt: daysAgo(5), accountId: "acct-b" }),
        candidate({ contactId: "bounce", bouncedAt: daysAgo(5), accountId: "acct-b" }),
        candidate({ contactId: "recent", lastInvitedAt: daysAgo(89), accountId: "acct-c" }),
        candidate({ contactId: "long-ago", lastInvitedAt: daysAgo(91), accountId: "acct-c" }),
      ],
      rules,
      new Map(),
      NOW,
    );
    expect(reasons(plan)).toEqual({
      ok: null,
      blank: "no_email",
      broken: "no_email",
      out: "opted_out",
      bounce: "bounced",
      recent: "recently_surveyed",
      "long-ago": null,
    });
    expect(plan.find((p) => p.contactId === "recent")?.excludedDetail).toBe(
      "asked on 2026-02-15, within 90 days",
    );
    expect(plan.find((p) => p.contactId === "broken")?.excludedDetail).toBe(
      "“not an address” is not an email address",
    );
  });

  it("asks one contact per address, whatever its case", () => {
    const plan = planRecipients(
      [
        candidate({ contactId: "a", email: "Pat@Acme.test" }),
        candidate({ contactId: "b", email: "pat@acme.test" }),
      ],
      rules,
      new Map(),
      NOW,
    );
    expect(reasons(plan)).toEqual({ a: null, b: "duplicate_email" });
  });

  it("keeps to the ask budget per account, decision-makers and champions first, counting earlier asks", () => {
    const plan = planRecipients(
      [
        candidate({ contactId: "user-1", name: "Aaron" }),
        candidate({ contactId: "champ", name: "Zed", buyingRole: "champion" }),
        candidate({ contactId: "boss", name: "Yara", buyingRole: "decision_maker" }),
        candidate({ contactId: "other-account", accountId: "acct-b" }),
      ],
      rules,
      new Map([["acct-b", 2]]),
      NOW,
    );
    expect(reasons(plan)).toEqual({
      boss: null,
      champ: null,
      "user-1": "over_ask_budget",
      "other-account": "over_ask_budget",
    });
    expect(plan.find((p) => p.contactId === "other-account")?.excludedDetail).toBe(
      "2 of 2 contacts at this account asked this quarter",
    );
  });

  it("gives the same plan for the same audience in any order", () => {
    const people = [
      candidate({ contactId: "1", name: "B" }),
      candidate({ contactId: "2", name: "A" }),
      candidate({ contactId: "3", name: "C" }),
    ];
    const a = planRecipients(people, rules, new Map(), NOW);
    const b = planRecipients([...people].reverse(), rules, new Map(), NOW);
    expect(a).toEqual(b);
    expect(a.filter((p) => !p.excludedReason).map((p) => p.contactId)).toEqual(["2", "1"]);
  });
});

describe("reminders and rules", () => {
  it("counts the reminders due since launch", () => {
    const launched = new Date("2026-05-01T09:00:00Z");
    expect(remindersDue(launched, [3, 7], new Date("2026-05-04T08:59:59Z"))).toBe(0);
    expect(remindersDue(launched, [3, 7], new Date("2026-05-04T09:00:00Z"))).toBe(1);
    expect(remindersDue(launched, [3, 7], new Date("2026-05-30T00:00:00Z"))).toBe(2);
    expect(remindersDue(launched, [], new Date("2026-05-30T00:00:00Z"))).toBe(0);
  });

  it("reads reminder days as typed, naming what is wrong", () => {
    expect(parseReminderOffsets("3, 7", 21)).toEqual({ ok: true, days: [3, 7] });
    expect(parseReminderOffsets("", 21)).toEqual({ ok: true, days: [] });
    expect(parseReminderOffsets("3;7 10", 21)).toEqual({ ok: true, days: [3, 7, 10] });
    expect(parseReminderOffsets("three", 21)).toEqual({
      ok: false,
      message: "“three” is not a whole number of days.",
    });
    expect(parseReminderOffsets("0", 21)).toEqual({
      ok: false,
      message: "A reminder goes at least 1 day after launch.",
    });
    expect(parseReminderOffsets("3, 21", 21)).toEqual({
      ok: false,
      message: "Day 21 is not before the links expire (day 21).",
    });
    expect(parseReminderOffsets("3, 3", 21).ok).toBe(false);
    expect(parseReminderOffsets("1 2 3 4 5 6", 21).ok).toBe(false);
  });

  it("splits a pasted list of addresses and drops repeats", () => {
    expect(parseEmailList(" Ana@Acme.test, bo@acme.test;\n<cy@globex.test>  ana@acme.test ")).toEqual([
      "ana@acme.test",
      "bo@acme.test",
      "cy@globex.test",
    ]);
    expect(parseEmailList("   ")).toEqual([]);
  });

  it("starts quarters on the first of January, April, July and October (UTC)", () => {
    expect(quarterStart(new Date("2026-05-15T12:00:00Z")).toISOString()).toBe("2026-04-01T00:00:00.000Z");
    expect(quarterStart(new Date("2026-12-31T23:59:59Z")).toISOString()).toBe("2026-10-01T00:00:00.000Z");
    expect(quarterStart(new Date("2026-01-01T00:00:00Z")).toISOString()).toBe("2026-01-01T00:00:00.000Z");
  });

  it("allows each action only from the statuses it makes sense in", () => {
    expect(campaignAllows("draft", "launch")).toBe(true);
    expect(campaignAllows("sending", "launch")).toBe(false);
    expect(campaignAllows("sending", "pause")).toBe(true);
    expect(campaignAllows("paused", "remind")).toBe(false);
    expect(campaignAllows("cancelled", "cancel")).toBe(false);
    expect(campaignAllows("completed", "resume")).toBe(false);
  });

  it("gives the response rate to one decimal, and none before anything was sent", () => {
    expect(responseRate(1, 3)).toBe(33.3);
    expect(responseRate(0, 0)).toBeNull();
  });
});
