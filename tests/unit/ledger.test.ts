import { describe, expect, it } from "vitest";
import {
  balanceSeries,
  defaultEquity,
  equityBalance,
  INTERACTION_KINDS,
  isOverdue,
  isTwoWay,
  LOGGABLE_KINDS,
  type LedgerEntry,
} from "~/domain/ledger";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("equityBalance", () => {
  it("is zero with no entries", () => {
    expect(equityBalance([], day("2026-06-01"))).toBe(0);
  });

  it("counts a fresh deposit at full weight and halves it every 90 days", () => {
    const deposit: LedgerEntry = { occurredAt: day("2026-01-01"), equityEffect: "deposit", equityWeight: 2 };
    expect(equityBalance([deposit], day("2026-01-01"))).toBe(2);
    // 2026-01-01 + 90 days = 2026-04-01; + 180 days = 2026-06-30
    expect(equityBalance([deposit], day("2026-04-01"))).toBeCloseTo(1, 10);
    expect(equityBalance([deposit], day("2026-06-30"))).toBeCloseTo(0.5, 10);
  });

  it("subtracts withdrawals, ignores neutral entries and entries not yet made", () => {
    const entries: LedgerEntry[] = [
      { occurredAt: day("2026-03-01"), equityEffect: "deposit", equityWeight: 3 },
      { occurredAt: day("2026-03-01"), equityEffect: "withdrawal", equityWeight: 1 },
      { occurredAt: day("2026-03-01"), equityEffect: "neutral", equityWeight: 3 },
      { occurredAt: day("2026-09-01"), equityEffect: "deposit", equityWeight: 3 },
    ];
    // (3 − 1) × 0.5^(45/90) = 2 × 0.70711 = 1.41421 on 2026-04-15 (45 days later)
    expect(equityBalance(entries, day("2026-04-15"))).toBeCloseTo(1.41421, 4);
  });

  it("lets a balance go below zero (overdrawn)", () => {
    const entries: LedgerEntry[] = [
      { occurredAt: day("2026-05-01"), equityEffect: "deposit", equityWeight: 1 },
      { occurredAt: day("2026-05-01"), equityEffect: "withdrawal", equityWeight: 3 },
    ];
    expect(equityBalance(entries, day("2026-05-01"))).toBe(-2);
  });

  it("moves nothing for an open commitment and dates a kept or broken one from its resolution", () => {
    const open: LedgerEntry = {
      kind: "commitment",
      occurredAt: day("2026-01-01"),
      equityEffect: "deposit",
      equityWeight: 2,
      commitmentStatus: "open",
    };
    expect(equityBalance([open], day("2026-02-01"))).toBe(0);
    const kept = { ...open, commitmentStatus: "kept" as const, commitmentResolvedAt: day("2026-04-01") };
    expect(equityBalance([kept], day("2026-03-01"))).toBe(0);
    expect(equityBalance([kept], day("2026-04-01"))).toBe(2);
    const broken = { ...kept, equityEffect: "withdrawal" as const, commitmentStatus: "broken" as const };
    expect(equityBalance([broken], day("2026-06-30"))).toBeCloseTo(-1, 10);
  });
});

describe("balanceSeries", () => {
  it("samples the balance from start to end inclusive", () => {
    const entries: LedgerEntry[] = [
      { occurredAt: day("2026-01-01"), equityEffect: "deposit", equityWeight: 2 },
    ];
    const series = balanceSeries(entries, day("2026-01-01"), day("2026-06-30"), 3);
    expect(series.map((p) => p.at.toISOString().slice(0, 10))).toEqual([
      "2026-01-01",
      "2026-04-01",
      "2026-06-30",
    ]);
    expect(series.map((p) => Number(p.balance.toFixed(6)))).toEqual([2, 1, 0.5]);
  });
});

describe("defaultEquity", () => {
  it("deposits for a favour, withdraws for a mistake, and waits on a commitment", () => {
    expect(defaultEquity("favour").equityEffect).toBe("deposit");
    expect(defaultEquity("mistake").equityEffect).toBe("withdrawal");
    expect(defaultEquity("call").equityEffect).toBe("neutral");
    expect(defaultEquity("commitment", "open").equityEffect).toBe("neutral");
    expect(defaultEquity("commitment", "kept").equityEffect).toBe("deposit");
    expect(defaultEquity("commitment", "broken").equityEffect).toBe("withdrawal");
  });
});

describe("isOverdue", () => {
  it("flags an open commitment past its due date only", () => {
    const today = day("2026-05-10");
    expect(isOverdue({ kind: "commitment", commitmentStatus: "open", dueOn: "2026-05-09" }, today)).toBe(
      true,
    );
    expect(isOverdue({ kind: "commitment", commitmentStatus: "open", dueOn: "2026-05-10" }, today)).toBe(
      false,
    );
    expect(isOverdue({ kind: "commitment", commitmentStatus: "kept", dueOn: "2026-05-01" }, today)).toBe(
      false,
    );
    expect(isOverdue({ kind: "call", commitmentStatus: null, dueOn: "2026-05-01" }, today)).toBe(false);
  });
});

describe("the kinds", () => {
  it("keeps Customer 9-1-1's alerts off what people log and out of two-way contact", () => {
    expect(INTERACTION_KINDS).toContain("customer_alert");
    expect(LOGGABLE_KINDS).not.toContain("customer_alert");
    expect(isTwoWay("customer_alert")).toBe(false);
    // a logged escalation is a conversation with the customer
    expect(isTwoWay("escalation")).toBe(true);
    expect(defaultEquity("customer_alert")).toEqual({ equityEffect: "withdrawal", equityWeight: 2 });
  });
});
