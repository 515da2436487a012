import { describe, expect, it } from "vitest";
import { formatCents, humanize } from "~/lib/format";
import { parseFlags } from "~/cli/with-database";

describe("humanize", () => {
  it("turns enum values into labels", () => {
    expect(humanize("mid_market")).toBe("Mid-market");
    expect(humanize("decision_maker")).toBe("Decision-maker");
    expect(humanize("enterprise")).toBe("Enterprise");
    expect(humanize("low_advocacy")).toBe("Low advocacy");
  });
});

describe("formatCents", () => {
  it("formats whole dollars", () => {
    expect(formatCents(12_345_600)).toBe("$123,456");
  });
});

describe("parseFlags", () => {
  it("reads --name value and --name=value", () => {
    expect(parseFlags(["--email", "a@b.test", "--role=manager", "--name", "Ana Silva"])).toEqual({
      email: "a@b.test",
      role: "manager",
      name: "Ana Silva",
    });
  });

  it("reads a flag with no value as empty", () => {
    expect(parseFlags(["--dry-run", "--email", "a@b.test"])).toEqual({ "dry-run": "", email: "a@b.test" });
  });
});
