import { describe, expect, it } from "vitest";
import {
  daysBetween,
  daysOverdue,
  describeDaysAway,
  engagementDue,
  isSlaBreached,
  monthsBefore,
  needsPrediction,
  nextOccurrence,
  upcomingWithin,
} from "~/domain/keep-in-touch";

const at = (iso: string) => new Date(iso);

describe("nextOccurrence", () => {
  // 2026-03-10 is a Tuesday; late in the UTC day to show the time of day does not matter.
  const now = at("2026-03-10T23:30:00Z");

  it("is today when the month and day are today's, whatever the birth year", () => {
    expect(nextOccurrence("1980-03-10", now)).toBe("2026-03-10");
  });

  it("is later this year when the date has not come yet", () => {
    expect(nextOccurrence("1975-11-02", now)).toBe("2026-11-02");
  });

  it("is next year when the date was yesterday", () => {
    expect(nextOccurrence("1990-03-09", now)).toBe("2027-03-09");
  });

  it("wraps the year: from 25 December, 3 January is next year's", () => {
    expect(nextOccurrence("1988-01-03", at("2026-12-25T09:00:00Z"))).toBe("2027-01-03");
  });

  it("puts 29 February on 28 February in a year without one, and on 29 February in a leap year", () => {
    expect(nextOccurrence("1992-02-29", at("2026-02-01T12:00:00Z"))).toBe("2026-02-28");
    expect(nextOccurrence("1992-02-29", at("2028-02-01T12:00:00Z"))).toBe("2028-02-29");
    // From 1 March 2027 the next one is in 2028, a leap year.
    expect(nextOccurrence("1992-02-29", at("2027-03-01T12:00:00Z"))).toBe("2028-02-29");
    // On 28 February 2027 (no 29th that year) it is today.
    expect(nextOccurrence("1992-02-29", at("2027-02-28T08:00:00Z"))).toBe("2027-02-28");
  });

  it("is null for a date that does not exist or is not YYYY-MM-DD", () => {
    expect(nextOccurrence("1991-02-29", now)).toBeNull();
    expect(nextOccurrence("1991-13-01", now)).toBeNull();
    expect(nextOccurrence("10/03/1980", now)).toBeNull();
    expect(nextOccurrence("", now)).toBeNull();
  });
});

describe("upcomingWithin (the 14-day birthday window)", () => {
  const now = at("2026-03-10T09:00:00Z");

  it("includes today (0 days) and exactly 14 days ahead, not 15", () => {
    expect(upcomingWithin("1980-03-10", now)).toEqual({ on: "2026-03-10", inDays: 0 });
    // 10 March + 14 days = 24 March
    expect(upcomingWithin("1985-03-24", now)).toEqual({ on: "2026-03-24", inDays: 14 });
    expect(upcomingWithin("1985-03-25", now)).toBeNull();
  });

  it("counts across the new year: 25 December to 3 January is 9 days", () => {
    // 25 Dec → 31 Dec is 6 days, + 3 = 9
    expect(upcomingWithin("1988-01-03", at("2026-12-25T18:00:00Z"))).toEqual({
      on: "2027-01-03",
      inDays: 9,
    });
  });

  it("counts a 29 February birthday from 20 February 2026 as 28 February, 8 days away", () => {
    expect(upcomingWithin("2000-02-29", at("2026-02-20T00:00:00Z"))).toEqual({ on: "2026-02-28", inDays: 8 });
  });

  it("takes another window length", () => {
    expect(upcomingWithin("1985-03-17", now, 7)).toEqual({ on: "2026-03-17", inDays: 7 });
    expect(upcomingWithin("1985-03-18", now, 7)).toBeNull();
  });
});

describe("describeDaysAway", () => {
  it("says today, in 1 day, in N days", () => {
    expect(describeDaysAway(0)).toBe("today");
    expect(describeDaysAway(1)).toBe("in 1 day");
    expect(describeDaysAway(14)).toBe("in 14 days");
  });
});

describe("daysBetween", () => {
  it("counts calendar days, across months and a leap day", () => {
    expect(daysBetween("2026-03-10", "2026-03-10")).toBe(0);
    expect(daysBetween("2026-02-27", "2026-03-01")).toBe(2);
    expect(daysBetween("2028-02-27", "2028-03-01")).toBe(3);
    expect(daysBetween("2026-03-10", "2026-03-03")).toBe(-7);
  });

  it("refuses something that is not a date, naming it", () => {
    expect(() => daysBetween("2026-03-10", "soon")).toThrow(/"soon"/);
  });
});

describe("engagementDue", () => {
  const now = at("2026-03-10T09:00:00Z");

  it("is overdue when the contact was never engaged", () => {
    expect(engagementDue(null, 45, now)).toEqual({ overdue: true, daysSince: null });
  });

  it("is on time up to the cadence and overdue the day after", () => {
    // 2026-03-10 − 45 days = 2026-01-24; − 46 days = 2026-01-23
    expect(engagementDue(at("2026-01-24T17:00:00Z"), 45, now)).toEqual({ overdue: false, daysSince: 45 });
    expect(engagementDue(at("2026-01-23T08:00:00Z"), 45, now)).toEqual({ overdue: true, daysSince: 46 });
  });

  it("uses the account's own cadence, and 45 days when it has none", () => {
    // 40 days before 2026-03-10 is 2026-01-29
    const fortyDaysAgo = at("2026-01-29T12:00:00Z");
    expect(engagementDue(fortyDaysAgo, 30, now).overdue).toBe(true);
    expect(engagementDue(fortyDaysAgo, null, now).overdue).toBe(false);
    expect(engagementDue(at("2026-01-23T12:00:00Z"), undefined, now).overdue).toBe(true);
  });

  it("counts a call earlier today as 0 days", () => {
    expect(engagementDue(at("2026-03-10T00:01:00Z"), 45, now)).toEqual({ overdue: false, daysSince: 0 });
  });
});

describe("daysOverdue", () => {
  it("counts whole days since the due date", () => {
    const now = at("2026-03-10T09:00:00Z");
    expect(daysOverdue("2026-03-03", now)).toBe(7);
    expect(daysOverdue("2026-03-09", now)).toBe(1);
    expect(daysOverdue("2026-03-10", now)).toBe(0);
  });
});

describe("monthsBefore and needsPrediction", () => {
  it("goes back six calendar months, keeping the time, clamping to the month's last day", () => {
    expect(monthsBefore(at("2026-03-10T09:00:00Z"), 6).toISOString()).toBe("2025-09-10T09:00:00.000Z");
    expect(monthsBefore(at("2026-08-31T10:30:00Z"), 6).toISOString()).toBe("2026-02-28T10:30:00.000Z");
    expect(monthsBefore(at("2028-08-31T10:30:00Z"), 6).toISOString()).toBe("2028-02-29T10:30:00.000Z");
  });

  it("asks for a prediction when there is none or the latest is older than six months", () => {
    const now = at("2026-03-10T09:00:00Z");
    expect(needsPrediction(null, now)).toBe(true);
    expect(needsPrediction(at("2025-09-10T08:59:59Z"), now)).toBe(true);
    expect(needsPrediction(at("2025-09-10T09:00:00Z"), now)).toBe(false);
    expect(needsPrediction(at("2026-02-01T00:00:00Z"), now)).toBe(false);
  });
});

describe("isSlaBreached", () => {
  it("is breached only once the due time has passed", () => {
    const now = at("2026-03-10T09:00:00Z");
    expect(isSlaBreached(at("2026-03-10T08:59:00Z"), now)).toBe(true);
    expect(isSlaBreached(at("2026-03-10T09:00:00Z"), now)).toBe(false);
    expect(isSlaBreached(at("2026-03-12T09:00:00Z"), now)).toBe(false);
  });
});
