import { describe, expect, it } from "vitest";
import {
  CONTACT_FIELDS,
  cellsByColumn,
  checkHeader,
  detectDelimiter,
  diffStates,
  formatCentsForCsv,
  nextContactState,
  nextInteractionState,
  nextOpportunityState,
  normalizeHeader,
  protectFromFormula,
  unprotectFormula,
  parseAccountRow,
  parseBoolean,
  parseContactRow,
  parseEnum,
  parseInteractionRow,
  parseIsoDate,
  parseIsoDateTime,
  parseLanguage,
  parseMoneyToCents,
  parseOpportunityRow,
  type ContactState,
  type OpportunityState,
} from "~/domain/csv/columns";

const cells = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe("the header", () => {
  it("normalises what spreadsheets and CRMs write", () => {
    expect(normalizeHeader("\uFEFFExternal ID")).toBe("external_id");
    expect(normalizeHeader("  Owner-Email ")).toBe("owner_email");
    expect(normalizeHeader("Account.Name")).toBe("account_name");
  });

  it("detects a semicolon or tab file, ignoring separators inside quotes", () => {
    expect(detectDelimiter("name,email,title")).toBe(",");
    expect(detectDelimiter("name;email;title")).toBe(";");
    expect(detectDelimiter("name\temail\ttitle")).toBe("\t");
    expect(detectDelimiter('"a;b;c;d",email,title')).toBe(",");
  });

  it("names every missing required column and a repeated one, and lists unknown ones", () => {
    const header = checkHeader("accounts", ["Name", "Segment", "name", "Notes", ""]);
    expect(header.columns).toEqual(["name", "segment", null, null, null]);
    expect(header.ignored).toEqual(["Notes"]);
    expect(header.errors).toEqual([
      { row: 1, column: "name", value: "name", reason: "column appears more than once" },
      { row: 1, column: "region", value: "", reason: "missing required column" },
      { row: 1, column: "tier", value: "", reason: "missing required column" },
      { row: 1, column: "owner_email", value: "", reason: "missing required column" },
    ]);
  });

  it("needs one of the two account columns for rows that belong to an account", () => {
    expect(checkHeader("contacts", ["account_name", "name"]).errors).toEqual([]);
    expect(checkHeader("contacts", ["account_external_id", "name"]).errors).toEqual([]);
    expect(checkHeader("opportunities", ["name"]).errors).toEqual([
      { row: 1, column: "account_external_id or account_name", value: "", reason: "missing required column" },
    ]);
  });

  it("lines a row up with the header, tolerating a trailing empty cell but not a missing one", () => {
    const header = checkHeader("contacts", ["account_name", "name", "notes"]);
    const lined = cellsByColumn(header, 2, [" Acme ", "Dana", "x", ""]);
    expect(lined).toEqual({
      ok: true,
      cells: new Map([
        ["account_name", "Acme"],
        ["name", "Dana"],
      ]),
    });
    expect(cellsByColumn(header, 3, ["Acme", "Dana"])).toEqual({
      ok: false,
      error: {
        row: 3,
        column: "row",
        value: "",
        reason: "has 2 cells but the header has 3: check for a stray comma or quote",
      },
    });
    expect(cellsByColumn(header, 4, ["Acme", "Dana", "", "extra"]).ok).toBe(false);
  });
});

describe("formulas in cells", () => {
  it("are written as text and read back as they were", () => {
    expect(protectFromFormula('=HYPERLINK("http://evil.test")')).toBe(`'=HYPERLINK("http://evil.test")`);
    expect(protectFromFormula("- call back")).toBe("'- call back");
    expect(protectFromFormula("Acme")).toBe("Acme");
    expect(unprotectFormula("'- call back")).toBe("- call back");
    expect(unprotectFormula("'tis the season")).toBe("'tis the season");
    expect(cellsByColumn(checkHeader("contacts", ["account_name", "name"]), 2, ["Acme", "'@Dana"])).toEqual({
      ok: true,
      cells: new Map([
        ["account_name", "Acme"],
        ["name", "@Dana"],
      ]),
    });
  });
});

describe("values", () => {
  it("reads amounts in currency units as integer cents", () => {
    expect(parseMoneyToCents("125000")).toBe(12_500_000);
    expect(parseMoneyToCents("125000.5")).toBe(12_500_050);
    expect(parseMoneyToCents("$125,000.50")).toBe(12_500_050);
    expect(parseMoneyToCents("0.07")).toBe(7);
    for (const bad of ["-5", "1,23", "12.345", "abc", "1e5", ""]) expect(parseMoneyToCents(bad)).toBeNull();
  });

  it("writes cents back the way it reads them", () => {
    expect(formatCentsForCsv(12_000_000)).toBe("120000");
    expect(formatCentsForCsv(150)).toBe("1.50");
    expect(formatCentsForCsv(5)).toBe("0.05");
    expect(parseMoneyToCents(formatCentsForCsv(12_500_050))).toBe(12_500_050);
  });

  it("accepts real calendar dates only, written YYYY-MM-DD", () => {
    expect(parseIsoDate("2024-02-29")).toBe("2024-02-29");
    expect(parseIsoDate("2023-02-29")).toBeNull();
    expect(parseIsoDate("2024-13-01")).toBeNull();
    expect(parseIsoDate("14/03/2024")).toBeNull();
    expect(parseIsoDate("2024-3-14")).toBeNull();
  });

  it("reads ISO 8601 times with and without an offset (UTC when none)", () => {
    expect(parseIsoDateTime("2025-03-14T09:30:00Z")).toEqual(new Date("2025-03-14T09:30:00.000Z"));
    expect(parseIsoDateTime("2025-03-14T09:30:00+01:00")).toEqual(new Date("2025-03-14T08:30:00.000Z"));
    expect(parseIsoDateTime("2025-03-14 09:30-0530")).toEqual(new Date("2025-03-14T15:00:00.000Z"));
    expect(parseIsoDateTime("2025-03-14T09:30:00.123456")).toEqual(new Date("2025-03-14T09:30:00.123Z"));
    expect(parseIsoDateTime("2025-03-14")).toEqual(new Date("2025-03-14T00:00:00.000Z"));
    for (const bad of ["2026-02-30T10:00Z", "2025-03-14T25:00", "yesterday", "2025-03-14T09:30+15:00"]) {
      expect(parseIsoDateTime(bad)).toBeNull();
    }
  });

  it("reads enum values the way people write them", () => {
    const segments = ["enterprise", "mid_market", "smb"] as const;
    expect(parseEnum("Mid-market", segments)).toBe("mid_market");
    expect(parseEnum(" SMB ", segments)).toBe("smb");
    expect(parseEnum("No decision", ["open", "no_decision"] as const)).toBe("no_decision");
    expect(parseEnum("small", segments)).toBeNull();
  });

  it("reads booleans and language codes", () => {
    expect([parseBoolean("TRUE"), parseBoolean("no"), parseBoolean("1"), parseBoolean("maybe")]).toEqual([
      true,
      false,
      true,
      null,
    ]);
    expect(parseLanguage("DE")).toBe("de");
    expect(parseLanguage("pt-BR")).toBe("pt-BR");
    expect(parseLanguage("english please")).toBeNull();
  });
});

describe("rows", () => {
  it("collects every problem in an account row", () => {
    const result = parseAccountRow(
      7,
      cells({
        name: "",
        segment: "huge",
        region: "EMEA",
        tier: "core",
        annual_value: "lots",
        owner_email: "dana at acme",
        target_cadence_days: "0",
      }),
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { row: 7, column: "name", value: "", reason: "required value is missing" },
        { row: 7, column: "segment", value: "huge", reason: "must be one of: enterprise, mid_market, smb" },
        {
          row: 7,
          column: "annual_value",
          value: "lots",
          reason: "not an amount: use digits with an optional decimal point (e.g. 125000.50)",
        },
        { row: 7, column: "owner_email", value: "dana at acme", reason: "not a valid email address" },
        {
          row: 7,
          column: "target_cadence_days",
          value: "0",
          reason: "must be a whole number from 1 to 3650",
        },
      ],
    });
  });

  it("tells an absent column (keep) from an empty cell (clear) in a contact row", () => {
    const absent = parseContactRow(2, cells({ account_name: "Acme", name: "Dana" }));
    expect(absent).toEqual({
      ok: true,
      value: { row: 2, account: { name: "Acme" }, name: "Dana" },
    });
    const empty = parseContactRow(
      3,
      cells({ account_name: "Acme", name: "Dana", email: "", title: "", buying_role: "" }),
    );
    expect(empty.ok && empty.value).toMatchObject({ email: null, title: null, buyingRole: undefined });
  });

  it("asks for an account in either column", () => {
    expect(parseOpportunityRow(4, cells({ account_name: "", name: "Deal" }))).toEqual({
      ok: false,
      errors: [
        {
          row: 4,
          column: "account_name",
          value: "",
          reason: "required value is missing: give account_external_id or account_name",
        },
      ],
    });
  });

  it("splits participant emails on semicolons and names the bad ones", () => {
    const good = parseInteractionRow(
      2,
      cells({
        account_name: "Acme",
        kind: "QBR",
        occurred_at: "2025-01-02",
        contact_emails: "a@x.test; b@x.test;a@x.test",
      }),
    );
    expect(good.ok && good.value).toMatchObject({ kind: "qbr", contactEmails: ["a@x.test", "b@x.test"] });
    const bad = parseInteractionRow(
      3,
      cells({
        account_name: "Acme",
        kind: "call",
        occurred_at: "2025-01-02",
        contact_emails: "a@x.test;nobody",
      }),
    );
    expect(bad.ok ? [] : bad.errors.map((e) => e.reason)).toEqual([
      "not a valid email address: nobody (separate addresses with semicolons)",
    ]);
  });
});

describe("what a row would write", () => {
  const acme = { id: "acc-1", name: "Acme" };
  const before: ContactState = {
    externalId: "C-1",
    accountId: "acc-1",
    accountName: "Acme",
    name: "Dana",
    email: "dana@acme.test",
    title: "CFO",
    buyingRole: "champion",
    language: "de",
    optedOutAt: new Date("2025-01-01T00:00:00Z"),
  };

  it("keeps what the file leaves out and never undoes a contact's opt-out", () => {
    const row = { row: 2, account: { name: "Acme" }, name: "Dana", title: null, optedOut: false };
    const next = nextContactState(row, before, acme, new Date("2026-01-01T00:00:00Z"));
    expect(next).toEqual({ ...before, title: null });
    expect(diffStates(before, next, CONTACT_FIELDS)).toEqual([{ column: "title", from: "CFO", to: "" }]);
  });

  it("fills a new contact's defaults and lists what it sets", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const next = nextContactState(
      { row: 2, account: { name: "Acme" }, name: "Eli", optedOut: true },
      null,
      acme,
      now,
    );
    expect(next).toMatchObject({ buyingRole: "user", language: "en", email: null, optedOutAt: now });
    expect(diffStates(null, next, CONTACT_FIELDS).map((c) => c.column)).toEqual([
      "account",
      "name",
      "buying_role",
      "language",
      "opted_out",
    ]);
  });

  it("compares the account by id even when two accounts share a name", () => {
    const moved = { ...before, accountId: "acc-2" };
    expect(diffStates(before, moved, CONTACT_FIELDS)).toEqual([
      { column: "account", from: "Acme", to: "Acme" },
    ]);
  });

  it("dates an opportunity's close when its outcome stops being open, and clears it on reopening", () => {
    const now = new Date("2026-02-01T00:00:00Z");
    const open: OpportunityState = {
      externalId: null,
      accountId: "acc-1",
      accountName: "Acme",
      name: "Deal",
      amountCents: 100,
      closeDate: null,
      outcome: "open",
      competitor: null,
      sellerId: "u-1",
      sellerEmail: "s@x.test",
      closedAt: null,
    };
    const won = nextOpportunityState(
      { row: 2, account: {}, name: "Deal", outcome: "won" },
      open,
      acme,
      null,
      now,
    );
    expect(won).toMatchObject({ outcome: "won", closedAt: now, sellerId: "u-1", amountCents: 100 });
    const reopened = nextOpportunityState(
      { row: 2, account: {}, name: "Deal", outcome: "open", sellerEmail: null },
      won,
      acme,
      null,
      now,
    );
    expect(reopened).toMatchObject({ closedAt: null, sellerId: null });
  });

  it("gives an interaction its kind's default equity and opens a commitment", () => {
    const occurredAt = new Date("2026-01-10T00:00:00Z");
    const mistake = nextInteractionState(
      { row: 2, account: {}, kind: "mistake", occurredAt },
      null,
      acme,
      null,
      [],
    );
    expect(mistake).toMatchObject({
      equityEffect: "withdrawal",
      equityWeight: 2,
      commitmentStatus: null,
      summary: "",
    });
    const promise = nextInteractionState(
      { row: 3, account: {}, kind: "commitment", occurredAt, contactEmails: ["b@x.test", "a@x.test"] },
      null,
      acme,
      null,
      [
        { id: "c-2", email: "b@x.test" },
        { id: "c-1", email: "a@x.test" },
      ],
    );
    expect(promise).toMatchObject({
      commitmentStatus: "open",
      equityEffect: "neutral",
      contactIds: ["c-1", "c-2"],
      contactEmails: ["a@x.test", "b@x.test"],
    });
  });
});
