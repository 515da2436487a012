import { describe, expect, it } from "vitest";
import { calibrationByDimension, describeBias } from "~/domain/calibration";
import type { CalibrationPair } from "~/domain/health";
import { formatScore, formatSigned } from "~/lib/score-format";

const pair = (dimension: CalibrationPair["dimension"], error: number): CalibrationPair => ({
  authorId: "ana",
  accountId: "acme",
  contactId: null,
  dimension,
  madeAt: new Date("2026-05-01T00:00:00Z"),
  predicted: 50 + error,
  actual: 50,
  answeredAt: new Date("2026-06-01T00:00:00Z"),
  responseIds: ["r"],
  error,
});

describe("calibrationByDimension", () => {
  it("gives each dimension with pairs its MAE and bias, in dimension order", () => {
    // trust: errors +20 and −5 → MAE 12.5, bias 7.5; communication: −10.25 → 10.3 and −10.3
    expect(
      calibrationByDimension([pair("communication", -10.25), pair("trust", 20), pair("trust", -5)]),
    ).toEqual([
      { dimension: "trust", pairs: 2, meanAbsoluteError: 12.5, meanBias: 7.5 },
      { dimension: "communication", pairs: 1, meanAbsoluteError: 10.3, meanBias: -10.3 },
    ]);
    expect(calibrationByDimension([])).toEqual([]);
  });
});

describe("describeBias", () => {
  it("says which way a person leans, and by how much", () => {
    expect(describeBias(12)).toBe("optimistic by 12 points");
    expect(describeBias(-4.5)).toBe("pessimistic by 4.5 points");
    expect(describeBias(1)).toBe("optimistic by 1 point");
    expect(describeBias(0)).toBe("no lean either way");
  });
});

describe("score formatting", () => {
  it("prints one decimal at most, a real minus sign, and a dash for nothing", () => {
    expect([formatScore(45.8), formatScore(80), formatScore(null)]).toEqual(["45.8", "80", "—"]);
    expect([formatSigned(40), formatSigned(-12.5), formatSigned(0), formatSigned(null)]).toEqual([
      "+40",
      "−12.5",
      "0",
      "—",
    ]);
  });
});
