import { describe, expect, it } from "vitest";
import {
  containsPattern,
  filterParams,
  npsFromCounts,
  percent,
  trendMonths,
  verbatimQuestions,
  verbatimRange,
} from "~/domain/dashboard";
import { parseDashboardQuery } from "~/domain/dashboard-query.server";

describe("parseDashboardQuery", () => {
  it("reads the filters and panel choices from the URL", () => {
    const query = parseDashboardQuery(
      new URLSearchParams(
        "window=24&segment=enterprise&region=EMEA&tier=key&owner=9d7e6b1c-2f4a-4c3e-8a1b-1c2d3e4f5a6b&hsort=trust&hdir=asc&hpage=2&quadrant=blind_spot&q=%20roadmap%20&vmonth=2026-05&vpage=3",
      ),
    );
    expect(query).toEqual({
      window: 24,
      segment: "enterprise",
      region: "EMEA",
      tier: "key",
      owner: "9d7e6b1c-2f4a-4c3e-8a1b-1c2d3e4f5a6b",
      hsort: "trust",
      hdir: "asc",
      hpage: 2,
      quadrant: "blind_spot",
      q: "roadmap",
      vmonth: "2026-05",
      vpage: 3,
    });
  });

  it("falls back to the defaults for anything it does not understand, and takes the first of repeats", () => {
    const query = parseDashboardQuery(
      new URLSearchParams(
        "window=5&window=3&segment=&tier=platinum&owner=1&hsort=drop%20table&hdir=up&hpage=0&quadrant=x&vmonth=2026-5&vpage=1e9",
      ),
    );
    expect(query).toEqual({ window: 12, hsort: "health", hdir: "desc", hpage: 1, vpage: 1 });
    expect(parseDashboardQuery(new URLSearchParams(`q=${"x".repeat(500)}`)).q).toBeUndefined();
  });
});

describe("filterParams", () => {
  it("keeps the shared filters and leaves the defaults and panel choices out", () => {
    const query = parseDashboardQuery(new URLSearchParams("window=6&segment=smb&hsort=value&q=price"));
    expect(filterParams(query).toString()).toBe("window=6&segment=smb");
    expect(filterParams(parseDashboardQuery(new URLSearchParams())).toString()).toBe("");
  });
});

describe("numbers", () => {
  it("computes NPS from counts, rounding halves away from zero, and none without respondents", () => {
    expect(npsFromCounts(2, 1, 3)).toBe(33);
    expect(npsFromCounts(1, 0, 8)).toBe(13); // 12.5
    expect(npsFromCounts(0, 1, 8)).toBe(-13); // −12.5
    expect(npsFromCounts(1, 1, 2)).toBe(0);
    expect(npsFromCounts(0, 0, 0)).toBeNull();
  });

  it("gives whole percentages, and none of nothing", () => {
    expect(percent(1, 3)).toBe(33);
    expect(percent(2, 3)).toBe(67);
    expect(percent(0, 0)).toBeNull();
  });
});

describe("trendMonths and verbatimRange", () => {
  const now = new Date("2026-03-15T12:00:00Z");

  it("lists the window's calendar months, the current one last", () => {
    expect(trendMonths(now, 3)).toEqual(["2026-01-01", "2026-02-01", "2026-03-01"]);
    expect(trendMonths(now, 12)[0]).toBe("2025-04-01");
  });

  it("limits a month's verbatims to the window and to now", () => {
    expect(verbatimRange(now, 12)).toEqual({ from: new Date("2025-03-15T12:00:00Z"), to: now });
    expect(verbatimRange(now, 12, "2026-03")).toEqual({ from: new Date("2026-03-01T00:00:00Z"), to: now });
    expect(verbatimRange(now, 12, "2026-02")).toEqual({
      from: new Date("2026-02-01T00:00:00Z"),
      to: new Date("2026-02-28T23:59:59.999Z"),
    });
    // a month partly before the window starts where the window does
    expect(verbatimRange(now, 12, "2025-03").from).toEqual(new Date("2025-03-15T12:00:00Z"));
  });
});

describe("containsPattern", () => {
  it("takes %, _ and backslashes literally", () => {
    expect(containsPattern("100%_a\\b")).toBe("%100\\%\\_a\\\\b%");
  });
});

describe("verbatimQuestions", () => {
  it("finds the questions answered in the customer's own words, with their titles filled in", () => {
    const model = {
      pages: [
        {
          elements: [
            { type: "rating", name: "trust", title: "{company} does what it says" },
            { type: "comment", name: "trust_why", title: "Why, at {company}?" },
            { type: "text", name: "competitor" },
            { type: "text", name: "seats", inputType: "number" },
            { type: "panel", name: "p", elements: [{ type: "comment", name: "nested" }] },
            { type: "comment", name: "interviewer_notes_opening", title: "Interviewer notes" },
          ],
        },
      ],
    };
    expect(verbatimQuestions(model, { company: "Rapport" })).toEqual({
      "trust-Comment": "Rapport does what it says (in their words)",
      trust_why: "Why, at Rapport?",
      competitor: "competitor",
      "seats-Comment": "seats (in their words)",
      "p-Comment": "p (in their words)",
      nested: "nested",
    });
    expect(verbatimQuestions(null)).toEqual({});
  });
});
