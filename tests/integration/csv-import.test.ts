import { asc, count, eq } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import {
  insertAccount,
  insertAccountMember,
  insertContact,
  insertInteraction,
  insertOpportunity,
  insertUser,
} from "../../db/factories";
import {
  accounts,
  contacts,
  csvImports,
  interactionContacts,
  interactions,
  opportunities,
  type User,
} from "../../db/schema";
import {
  NOT_UTF8_REASON,
  applyCsvImport,
  discardCsvImport,
  getCsvImport,
  importCsv,
  startApplyingCsvImport,
  submitApply,
  submitCsvImport,
  type ImportReport,
} from "~/domain/csv-import.server";
import { exportCsvText } from "~/domain/csv-export.server";
import { getDb } from "~/lib/db.server";
import { jobDefinitions, sendJob, startJobs } from "~/lib/jobs.server";
import { loader as exportLoader } from "~/routes/_app.export.$kind";
import { action as detailAction, loader as detailLoader } from "~/routes/_app.import.$importId";
import { action as uploadAction, loader as indexLoader } from "~/routes/_app.import._index";
import { cookieFor, makeRequest, settle } from "../support/requests";

const noQueue = async () => false;

/** Two managers with an account each, an admin and a leader. */
async function world() {
  const db = getDb();
  const admin = await insertUser(db, { role: "admin", email: "admin@rapport.test", name: "Ada Admin" });
  const leader = await insertUser(db, { role: "leader", email: "leader@rapport.test" });
  const owner = await insertUser(db, { role: "manager", email: "owner@rapport.test", name: "Olga Owner" });
  const other = await insertUser(db, { role: "manager", email: "other@rapport.test", name: "Otto Other" });
  const acme = await insertAccount(db, { name: "Acme", externalId: "ACC-1", ownerId: owner.id });
  const globex = await insertAccount(db, { name: "Globex", externalId: "ACC-2", ownerId: other.id });
  return { admin, leader, owner, other, acme, globex };
}

async function tableCounts() {
  const db = getDb();
  const [a] = await db.select({ n: count() }).from(accounts);
  const [c] = await db.select({ n: count() }).from(contacts);
  const [o] = await db.select({ n: count() }).from(opportunities);
  const [i] = await db.select({ n: count() }).from(interactions);
  return { accounts: a!.n, contacts: c!.n, opportunities: o!.n, interactions: i!.n };
}

/** Checks then applies, as the Apply button does when no queue runs. */
async function importAndApply(user: User, kind: Parameters<typeof importCsv>[2]["kind"], content: string) {
  const checked = await importCsv(getDb(), user, { kind, content });
  expect(checked.status, JSON.stringify(checked.report?.errors)).toBe("checked");
  expect(await submitApply(getDb(), user, checked.id, noQueue)).toBe("started");
  const applied = await getCsvImport(getDb(), user, checked.id);
  expect(applied!.status, applied!.error ?? "").toBe("applied");
  return applied!;
}

function report(imp: { report: unknown }): ImportReport {
  return imp.report as ImportReport;
}

const csv = (...lines: string[]) => lines.join("\n") + "\n";

describe("a file with bad rows is rejected, names every bad cell and writes nothing", () => {
  it("names a missing required column on row 1", async () => {
    const w = await world();
    const before = await tableCounts();
    const imp = await importCsv(getDb(), w.admin, {
      kind: "accounts",
      content: csv("name,segment,region,tier", "Initech,smb,EMEA,core"),
    });
    expect(imp.status).toBe("rejected");
    expect(report(imp).errors).toEqual([
      { row: 1, column: "owner_email", value: "", reason: "missing required column" },
    ]);
    expect(await tableCounts()).toEqual(before);
  });

  it("names a contacts file with neither account column", async () => {
    const w = await world();
    const imp = await importCsv(getDb(), w.admin, {
      kind: "contacts",
      content: csv("name,email", "A,a@x.test"),
    });
    expect(report(imp).errors).toEqual([
      { row: 1, column: "account_external_id or account_name", value: "", reason: "missing required column" },
    ]);
  });

  it("reports a bad email with its row, column and value", async () => {
    const w = await world();
    const before = await tableCounts();
    const imp = await importCsv(getDb(), w.admin, {
      kind: "contacts",
      content: csv(
        "account_external_id,name,email",
        "ACC-1,Dana Price,dana@acme.test",
        "ACC-1,Eli Stone,eli.acme.test",
      ),
    });
    expect(imp.status).toBe("rejected");
    expect(report(imp).errors).toEqual([
      { row: 3, column: "email", value: "eli.acme.test", reason: "not a valid email address" },
    ]);
    expect(report(imp).errorCount).toBe(1);
    expect(await tableCounts()).toEqual(before);
  });

  it("reports an owner email that belongs to no user", async () => {
    const w = await world();
    const before = await tableCounts();
    const imp = await importCsv(getDb(), w.admin, {
      kind: "accounts",
      content: csv(
        "name,segment,region,tier,owner_email",
        "Initech,smb,EMEA,core,owner@rapport.test",
        "Umbrella,enterprise,EMEA,key,ghost@rapport.test",
      ),
    });
    expect(imp.status).toBe("rejected");
    expect(report(imp).errors).toEqual([
      {
        row: 3,
        column: "owner_email",
        value: "ghost@rapport.test",
        reason: "unknown owner: no user has this email",
      },
    ]);
    expect(await tableCounts()).toEqual(before);
  });

  it("names both rows that share an email, whatever its case", async () => {
    const w = await world();
    const before = await tableCounts();
    const imp = await importCsv(getDb(), w.admin, {
      kind: "contacts",
      content: csv(
        "account_name,name,email",
        "Acme,Dana Price,dana@acme.test",
        "Acme,Eli Stone,eli@acme.test",
        "Acme,Dana P.,Dana@Acme.test",
      ),
    });
    expect(imp.status).toBe("rejected");
    expect(report(imp).errors).toEqual([
      {
        row: 2,
        column: "email",
        value: "Dana@Acme.test",
        reason: "duplicate email within the file (also on row 4)",
      },
      {
        row: 4,
        column: "email",
        value: "Dana@Acme.test",
        reason: "duplicate email within the file (also on row 2)",
      },
    ]);
    expect(await tableCounts()).toEqual(before);
  });

  it("reports an unparseable close date and occurred-at time", async () => {
    const w = await world();
    const before = await tableCounts();
    const opportunitiesFile = await importCsv(getDb(), w.admin, {
      kind: "opportunities",
      content: csv("account_external_id,name,amount,close_date", "ACC-1,Renewal 2026,125000,14/03/2026"),
    });
    expect(report(opportunitiesFile).errors).toEqual([
      {
        row: 2,
        column: "close_date",
        value: "14/03/2026",
        reason: "unparseable date: use YYYY-MM-DD (e.g. 2025-03-14)",
      },
    ]);
    const interactionsFile = await importCsv(getDb(), w.admin, {
      kind: "interactions",
      content: csv("account_external_id,kind,occurred_at", "ACC-1,call,2026-02-30T10:00:00Z"),
    });
    expect(report(interactionsFile).errors).toEqual([
      {
        row: 2,
        column: "occurred_at",
        value: "2026-02-30T10:00:00Z",
        reason: "unparseable date and time: use ISO 8601 (e.g. 2025-03-14T09:30:00Z)",
      },
    ]);
    expect(await tableCounts()).toEqual(before);
  });

  it("rejects a file that is not UTF-8 at upload, before any check", async () => {
    const w = await world();
    const before = await tableCounts();
    const imp = await importCsv(getDb(), w.admin, {
      kind: "contacts",
      content: new Uint8Array([0xff, 0xfe]),
    });
    expect(imp.status).toBe("rejected");
    expect(report(imp).errors).toEqual([{ row: 0, column: "file", value: "", reason: NOT_UTF8_REASON }]);
    expect(await tableCounts()).toEqual(before);
  });

  it("lists every bad row of a file and refuses to apply it", async () => {
    const w = await world();
    const before = await tableCounts();
    const imp = await importCsv(getDb(), w.admin, {
      kind: "contacts",
      content: csv(
        "account_external_id,name,email,buying_role,opted_out",
        "ACC-1,Dana Price,dana@acme.test,champion,false",
        "ACC-9,Eli Stone,eli@acme.test,user,false",
        "ACC-1,,fay@acme.test,boss,maybe",
      ),
    });
    expect(imp.status).toBe("rejected");
    expect(report(imp).errors).toEqual([
      {
        row: 3,
        column: "account_external_id",
        value: "ACC-9",
        reason: "unknown account: no account has this external id",
      },
      { row: 4, column: "name", value: "", reason: "required value is missing" },
      {
        row: 4,
        column: "buying_role",
        value: "boss",
        reason: "must be one of: decision_maker, influencer, user, champion",
      },
      { row: 4, column: "opted_out", value: "maybe", reason: "must be true or false" },
    ]);
    expect(await startApplyingCsvImport(getDb(), w.admin, imp.id)).toBe("not-ready");
    expect(await tableCounts()).toEqual(before);
  });

  it("refuses a manager's row for an account they are not on the team of", async () => {
    const w = await world();
    const imp = await importCsv(getDb(), w.owner, {
      kind: "contacts",
      content: csv(
        "account_external_id,account_name,name,email",
        "ACC-1,Acme,Dana Price,dana@acme.test",
        "ACC-2,Globex,Gus Grey,gus@globex.test",
      ),
    });
    expect(imp.status).toBe("rejected");
    expect(report(imp).errors).toEqual([
      {
        row: 3,
        column: "account_external_id",
        value: "ACC-2",
        reason: "account not yours: you can import only into accounts you own or are on the team of",
      },
    ]);
  });

  it("lets a team member import into the account, and not create accounts owned by others", async () => {
    const w = await world();
    await insertAccountMember(getDb(), { accountId: w.globex.id, userId: w.owner.id });
    const contactsFile = await importCsv(getDb(), w.owner, {
      kind: "contacts",
      content: csv("account_name,name", "Globex,Gus Grey"),
    });
    expect(contactsFile.status).toBe("checked");
    const accountsFile = await importCsv(getDb(), w.owner, {
      kind: "accounts",
      content: csv(
        "name,segment,region,tier,owner_email",
        "Mine,smb,EMEA,core,owner@rapport.test",
        "Theirs,smb,EMEA,core,other@rapport.test",
      ),
    });
    expect(report(accountsFile).errors).toEqual([
      {
        row: 3,
        column: "owner_email",
        value: "other@rapport.test",
        reason: "account not yours: as a manager you can only create accounts you own",
      },
    ]);
  });

  it("reports a row that does not line up with the header and a quote left open", async () => {
    const w = await world();
    const ragged = await importCsv(getDb(), w.admin, {
      kind: "contacts",
      content: csv("account_name,name,email", "Acme,Dana Price", "Acme,Eli,eli@acme.test"),
    });
    expect(report(ragged).errors).toEqual([
      {
        row: 2,
        column: "row",
        value: "",
        reason: "has 2 cells but the header has 3: check for a stray comma or quote",
      },
    ]);
    const unclosed = await importCsv(getDb(), w.admin, {
      kind: "contacts",
      content: csv("account_name,name,email", 'Acme,"Dana Price,dana@acme.test'),
    });
    expect(unclosed.status).toBe("rejected");
    expect(report(unclosed).errors).toMatchObject([{ row: 2, column: "file" }]);
    expect(report(unclosed).errors[0]!.reason).toMatch(/^not valid CSV: Quote Not Closed/);
  });
  it("rejects an empty file and a header without rows", async () => {
    const w = await world();
    const empty = await importCsv(getDb(), w.admin, { kind: "contacts", content: "\n\n" });
    expect(report(empty).errors).toEqual([
      { row: 1, column: "file", value: "", reason: "the file is empty" },
    ]);
    const headerOnly = await importCsv(getDb(), w.admin, {
      kind: "contacts",
      content: "account_name,name\n",
    });
    expect(report(headerOnly).errors).toEqual([
      { row: 2, column: "file", value: "", reason: "no rows below the header" },
    ]);
  });

  it("stores the first 1,000 problems and counts them all", async () => {
    const w = await world();
    const lines = ["account_name,name,email"];
    for (let n = 0; n < 1_500; n += 1) lines.push(`Acme,Person ${n},not-an-email-${n}`);
    const imp = await importCsv(getDb(), w.admin, { kind: "contacts", content: lines.join("\n") });
    expect(report(imp).errorCount).toBe(1_500);
    expect(report(imp).errors).toHaveLength(1_000);
    expect(report(imp).errors.at(-1)).toMatchObject({ row: 1_001, column: "email" });
  });
});

describe("a clean file", () => {
  it("previews, then creates the contacts it describes; the same file again changes nothing", async () => {
    const w = await world();
    const file = csv(
      "External ID,Account Name,Name,Email,Title,Buying Role,Language,Opted Out,Favourite colour",
      "C-1,Acme,Dana Price,dana@acme.test,CFO,Decision-maker,de,false,blue",
      'C-2,Acme,"Stone, Eli",eli@acme.test,,champion,,true,red',
      ",Acme,Fay Wu,,Analyst,,,,",
    );
    const checked = await importCsv(getDb(), w.owner, { kind: "contacts", content: file });
    expect(checked.status).toBe("checked");
    expect(checked.totalRows).toBe(3);
    expect(checked.processedRows).toBe(3);
    expect(report(checked)).toMatchObject({
      creates: 3,
      updates: 0,
      unchanged: 0,
      errorCount: 0,
      ignoredColumns: ["Favourite colour"],
    });
    expect(report(checked).sample[0]).toEqual({
      row: 2,
      action: "create",
      record: "Dana Price (Acme)",
      changes: [
        { column: "external_id", from: "", to: "C-1" },
        { column: "account", from: "", to: "Acme" },
        { column: "name", from: "", to: "Dana Price" },
        { column: "email", from: "", to: "dana@acme.test" },
        { column: "title", from: "", to: "CFO" },
        { column: "buying_role", from: "", to: "decision_maker" },
        { column: "language", from: "", to: "de" },
        { column: "opted_out", from: "", to: "false" },
      ],
    });
    expect(await tableCounts()).toMatchObject({ contacts: 0 });

    const applied = await startApplyAndRun(w.owner, checked.id);
    expect(applied.status).toBe("applied");
    expect(applied.appliedAt).not.toBeNull();
    const rows = await getDb()
      .select({
        externalId: contacts.externalId,
        accountId: contacts.accountId,
        name: contacts.name,
        email: contacts.email,
        title: contacts.title,
        buyingRole: contacts.buyingRole,
        language: contacts.language,
        optedOut: contacts.optedOutAt,
      })
      .from(contacts)
      .orderBy(asc(contacts.name));
    expect(rows.map((r) => ({ ...r, optedOut: r.optedOut !== null }))).toEqual([
      {
        externalId: "C-1",
        accountId: w.acme.id,
        name: "Dana Price",
        email: "dana@acme.test",
        title: "CFO",
        buyingRole: "decision_maker",
        language: "de",
        optedOut: false,
      },
      {
        externalId: null,
        accountId: w.acme.id,
        name: "Fay Wu",
        email: null,
        title: "Analyst",
        buyingRole: "user",
        language: "en",
        optedOut: false,
      },
      {
        externalId: "C-2",
        accountId: w.acme.id,
        name: "Stone, Eli",
        email: "eli@acme.test",
        title: null,
        buyingRole: "champion",
        language: "en",
        optedOut: true,
      },
    ]);

    const again = await importCsv(getDb(), w.owner, { kind: "contacts", content: file });
    expect(report(again)).toMatchObject({ creates: 0, updates: 0, unchanged: 3, errorCount: 0, sample: [] });
  });

  it("updates the row with the same external id, and shows what changes", async () => {
    const w = await world();
    const dana = await insertContact(getDb(), {
      accountId: w.acme.id,
      externalId: "C-1",
      name: "Dana Price",
      email: "dana@acme.test",
      title: "CFO",
    });
    const checked = await importCsv(getDb(), w.admin, {
      kind: "contacts",
      content: csv(
        "external_id,account_external_id,name,email,title",
        "C-1,ACC-1,Dana Price,dana@acme.test,CEO",
      ),
    });
    expect(report(checked)).toMatchObject({ creates: 0, updates: 1, unchanged: 0 });
    expect(report(checked).sample).toEqual([
      {
        row: 2,
        action: "update",
        record: "Dana Price (Acme)",
        changes: [{ column: "title", from: "CFO", to: "CEO" }],
      },
    ]);
    await startApplyAndRun(w.admin, checked.id);
    const [after] = await getDb().select().from(contacts).where(eq(contacts.id, dana.id));
    expect(after!.title).toBe("CEO");
    expect(after!.buyingRole).toBe(dana.buyingRole);
    expect((await tableCounts()).contacts).toBe(1);
  });

  it("writes cells that array syntax would misread (quotes, backslashes, braces, NULL) as they are", async () => {
    const w = await world();
    const awkward = ['Says "hi", then {leaves}', "C:\\temp\\new", "NULL", "null", "日本 😀"];
    const rows = (titles: string[]) =>
      csv(
        "external_id,account_external_id,name,title",
        ...titles.map((title, i) => `C-${i},ACC-1,Person ${i},"${title.replaceAll('"', '""')}"`),
      );
    await importAndApply(w.admin, "contacts", rows(awkward));
    const titles = async () =>
      (await getDb().select().from(contacts).orderBy(asc(contacts.externalId))).map((c) => c.title);
    expect(await titles()).toEqual(awkward);
    // the same values through the update path
    await importAndApply(w.admin, "contacts", rows(["x", "y", "z", "w", "v"]));
    await importAndApply(w.admin, "contacts", rows(awkward));
    expect(await titles()).toEqual(awkward);
  });

  it("links an existing contact found by email to the external id the file brings", async () => {
    const w = await world();
    const dana = await insertContact(getDb(), {
      accountId: w.acme.id,
      name: "Dana Price",
      email: "dana@acme.test",
    });
    await importAndApply(
      w.admin,
      "contacts",
      csv("external_id,account_name,name,email", "C-9,Acme,Dana Price,DANA@acme.test"),
    );
    const [after] = await getDb().select().from(contacts).where(eq(contacts.id, dana.id));
    expect(after).toMatchObject({ externalId: "C-9", email: "DANA@acme.test" });
    expect((await tableCounts()).contacts).toBe(1);
  });

  it("upserts accounts by external id, else by name, and keeps fields the file leaves empty", async () => {
    const w = await world();
    await importAndApply(
      w.admin,
      "accounts",
      csv(
        "external_id,name,segment,region,tier,lifecycle_stage,annual_value,owner_email,target_cadence_days",
        'ACC-1,Acme Corp,enterprise,EMEA,strategic,,"250,000.50",other@rapport.test,30',
        ",globex,smb,APAC,core,at risk,,owner@rapport.test,",
        "ACC-3,Initech,Mid-market,North America,key,onboarding,$1200,admin@rapport.test,",
      ),
    );
    const rows = await getDb().select().from(accounts).orderBy(asc(accounts.externalId));
    expect(
      rows.map((a) => [
        a.externalId,
        a.name,
        a.segment,
        a.tier,
        a.lifecycleStage,
        a.annualValueCents,
        a.ownerId,
        a.targetCadenceDays,
      ]),
    ).toEqual([
      ["ACC-1", "Acme Corp", "enterprise", "strategic", "adopting", 25_000_050, w.other.id, 30],
      // matched by name (case-insensitive); its external id is kept, its value and cadence too
      ["ACC-2", "globex", "smb", "core", "at_risk", w.globex.annualValueCents, w.owner.id, 45],
      ["ACC-3", "Initech", "mid_market", "key", "onboarding", 120_000, w.admin.id, 45],
    ]);
  });

  it("imports opportunities and interactions with their people, and updates them by external id", async () => {
    const w = await world();
    const dana = await insertContact(getDb(), {
      accountId: w.acme.id,
      name: "Dana",
      email: "dana@acme.test",
    });
    const eli = await insertContact(getDb(), { accountId: w.acme.id, name: "Eli", email: "eli@acme.test" });
    await importAndApply(
      w.owner,
      "opportunities",
      csv(
        "external_id,account_external_id,name,amount,close_date,outcome,competitor,seller_email",
        "OPP-1,ACC-1,Renewal 2026,125000.5,2026-03-14,won,Initrode,owner@rapport.test",
      ),
    );
    const [deal] = await getDb().select().from(opportunities);
    expect(deal).toMatchObject({
      externalId: "OPP-1",
      accountId: w.acme.id,
      amountCents: 12_500_050,
      closeDate: "2026-03-14",
      outcome: "won",
      competitor: "Initrode",
      sellerId: w.owner.id,
    });
    expect(deal!.closedAt).not.toBeNull();

    const header =
      "external_id,account_external_id,kind,occurred_at,summary,engagement_quality,author_email,contact_emails";
    await importAndApply(
      w.owner,
      "interactions",
      csv(
        header,
        "INT-1,ACC-1,favour,2026-01-10T09:30:00+01:00,Fixed their export,4,owner@rapport.test,dana@acme.test; eli@acme.test",
      ),
    );
    const [entry] = await getDb().select().from(interactions);
    expect(entry).toMatchObject({
      externalId: "INT-1",
      kind: "favour",
      occurredAt: new Date("2026-01-10T08:30:00Z"),
      engagementQuality: 4,
      // the kind's default equity (ledger.ts): a favour deposits 2
      equityEffect: "deposit",
      equityWeight: 2,
      authorId: w.owner.id,
    });
    const participants = async () =>
      (
        await getDb()
          .select()
          .from(interactionContacts)
          .where(eq(interactionContacts.interactionId, entry!.id))
      )
        .map((p) => p.contactId)
        .sort();
    expect(await participants()).toEqual([dana.id, eli.id].sort());

    const changed = await importCsv(getDb(), w.owner, {
      kind: "interactions",
      content: csv(
        header,
        "INT-1,ACC-1,favour,2026-01-10T08:30:00Z,Fixed their export,4,owner@rapport.test,eli@acme.test",
      ),
    });
    expect(report(changed)).toMatchObject({ creates: 0, updates: 1, unchanged: 0 });
    expect(report(changed).sample[0]!.changes).toEqual([
      { column: "contact_emails", from: "dana@acme.test;eli@acme.test", to: "eli@acme.test" },
    ]);
    await startApplyAndRun(w.owner, changed.id);
    expect(await participants()).toEqual([eli.id]);
    expect((await tableCounts()).interactions).toBe(1);
  });

  it("re-checks at apply time and writes nothing when the data changed since the preview", async () => {
    const w = await world();
    const checked = await importCsv(getDb(), w.admin, {
      kind: "contacts",
      content: csv(
        "account_external_id,name,email",
        "ACC-1,Dana Price,dana@acme.test",
        "ACC-2,Gus Grey,gus@globex.test",
      ),
    });
    expect(checked.status).toBe("checked");
    await getDb().delete(accounts).where(eq(accounts.id, w.globex.id));
    await startApplyAndRun(w.admin, checked.id);
    const after = await getCsvImport(getDb(), w.admin, checked.id);
    expect(after!.status).toBe("rejected");
    expect(after!.error).toBe(
      "The data changed since the preview: 1 row no longer applies. Nothing was imported.",
    );
    expect(report(after!).errors).toEqual([
      {
        row: 3,
        column: "account_external_id",
        value: "ACC-2",
        reason: "unknown account: no account has this external id",
      },
    ]);
    expect((await tableCounts()).contacts).toBe(0);
  });

  it("applies once: a second apply, or one by someone else, does nothing", async () => {
    const w = await world();
    const checked = await importCsv(getDb(), w.owner, {
      kind: "contacts",
      content: csv("account_name,name", "Acme,Dana Price"),
    });
    expect(await startApplyingCsvImport(getDb(), w.other, checked.id)).toBe("not-found");
    expect(await startApplyingCsvImport(getDb(), w.admin, checked.id)).toBe("not-ready");
    await startApplyAndRun(w.owner, checked.id);
    expect(await startApplyingCsvImport(getDb(), w.owner, checked.id)).toBe("not-ready");
    await applyCsvImport(getDb(), checked.id);
    expect((await tableCounts()).contacts).toBe(1);
    expect(await discardCsvImport(getDb(), w.owner, checked.id)).toBe(false);
  });
});

async function startApplyAndRun(user: User, importId: string) {
  expect(await startApplyingCsvImport(getDb(), user, importId)).toBe("started");
  await applyCsvImport(getDb(), importId);
  return (await getCsvImport(getDb(), user, importId))!;
}

describe("export", () => {
  it("round-trips: accounts and contacts exported and imported again change nothing", async () => {
    const w = await world();
    const db = getDb();
    await insertAccount(db, {
      name: "Initech, Inc.",
      ownerId: w.owner.id,
      lifecycleStage: "at_risk",
      annualValueCents: 150,
    });
    await insertContact(db, {
      accountId: w.acme.id,
      externalId: "C-1",
      name: 'Dana "DP" Price',
      email: "dana@acme.test",
    });
    await insertContact(db, { accountId: w.acme.id, name: "No Email", email: null, title: "=1+2" });
    await insertContact(db, {
      accountId: w.globex.id,
      name: "Gus",
      email: "gus@globex.test",
      optedOutAt: new Date(),
      language: "pt-BR",
    });

    const accountsCsv = await exportCsvText(db, w.admin, "accounts");
    expect(accountsCsv.split("\n")[0]).toBe(
      "\uFEFFexternal_id,name,segment,region,tier,lifecycle_stage,annual_value,owner_email,target_cadence_days",
    );
    const contactsCsv = await exportCsvText(db, w.admin, "contacts");
    expect(contactsCsv.split("\n")[0]).toBe(
      "\uFEFFexternal_id,account_external_id,account_name,name,email,title,buying_role,language,opted_out",
    );
    expect(contactsCsv).toContain(",'=1+2,");
    const accountsBack = await importCsv(db, w.admin, { kind: "accounts", content: accountsCsv });
    expect(report(accountsBack)).toMatchObject({ creates: 0, updates: 0, unchanged: 3, errorCount: 0 });
    const contactsBack = await importCsv(db, w.admin, { kind: "contacts", content: contactsCsv });
    expect(report(contactsBack)).toMatchObject({ creates: 0, updates: 0, unchanged: 3, errorCount: 0 });
  });

  it("round-trips opportunities and interactions that have external ids", async () => {
    const w = await world();
    const db = getDb();
    const dana = await insertContact(db, { accountId: w.acme.id, email: "dana@acme.test" });
    await insertOpportunity(db, {
      accountId: w.acme.id,
      externalId: "OPP-1",
      amountCents: 99,
      competitor: null,
    });
    await insertInteraction(db, {
      accountId: w.acme.id,
      externalId: "INT-1",
      kind: "call",
      contactIds: [dana.id],
    });
    const opportunitiesBack = await importCsv(db, w.owner, {
      kind: "opportunities",
      content: await exportCsvText(db, w.owner, "opportunities"),
    });
    expect(report(opportunitiesBack)).toMatchObject({ creates: 0, updates: 0, unchanged: 1, errorCount: 0 });
    const interactionsBack = await importCsv(db, w.owner, {
      kind: "interactions",
      content: await exportCsvText(db, w.owner, "interactions"),
    });
    expect(report(interactionsBack)).toMatchObject({ creates: 0, updates: 0, unchanged: 1, errorCount: 0 });
  });

  it("gives a manager only the accounts they may edit, and a leader all of them", async () => {
    const w = await world();
    const names = (text: string) =>
      text
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => line.split(",")[1])
        .sort();
    expect(names(await exportCsvText(getDb(), w.owner, "accounts"))).toEqual(["Acme"]);
    expect(names(await exportCsvText(getDb(), w.leader, "accounts"))).toEqual(["Acme", "Globex"]);
  });

  it("pages through more rows than one page holds", async () => {
    const w = await world();
    const db = getDb();
    await db.insert(contacts).values(
      Array.from({ length: 2_345 }, (_, n) => ({
        accountId: w.acme.id,
        name: `Person ${n}`,
        email: `p${n}@acme.test`,
      })),
    );
    const text = await exportCsvText(db, w.owner, "contacts");
    const lines = text.trim().split("\n");
    expect(lines).toHaveLength(2_346);
    expect(new Set(lines).size).toBe(2_346);
  });
});

describe("a large file", () => {
  it("checks and applies 50,000 contacts in batches, counting progress to the end", async () => {
    const w = await world();
    const lines = ["account_external_id,name,email,title,buying_role"];
    for (let n = 0; n < 50_000; n += 1)
      lines.push(`ACC-1,Person ${n},person${n}@acme.test,Analyst ${n % 7},user`);
    const content = lines.join("\n");
    const progress: number[] = [];
    const checked = await importCsv(getDb(), w.admin, { kind: "contacts", content });
    expect(checked.status).toBe("checked");
    expect(checked.totalRows).toBe(50_000);
    expect(checked.processedRows).toBe(50_000);
    expect(report(checked)).toMatchObject({ creates: 50_000, updates: 0, unchanged: 0, errorCount: 0 });
    expect(report(checked).sample).toHaveLength(50);

    expect(await startApplyingCsvImport(getDb(), w.admin, checked.id)).toBe("started");
    const watching = (async () => {
      for (;;) {
        const [row] = await getDb()
          .select({ status: csvImports.status, processed: csvImports.processedRows })
          .from(csvImports)
          .where(eq(csvImports.id, checked.id));
        progress.push(row!.processed);
        if (row!.status !== "applying") return;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    await applyCsvImport(getDb(), checked.id);
    await watching;
    const applied = await getCsvImport(getDb(), w.admin, checked.id);
    expect(applied).toMatchObject({ status: "applied", totalRows: 50_000, processedRows: 50_000 });
    expect((await tableCounts()).contacts).toBe(50_000);
    // progress was visible from outside the transaction while it ran
    expect(progress.some((n) => n > 0 && n < 50_000)).toBe(true);
  }, 120_000);
});

describe("with a job queue running", () => {
  it("checks and applies the upload through the csv-import jobs", async () => {
    const w = await world();
    const jobs = await startJobs(inject("databaseUrl"), { work: true, definitions: jobDefinitions });
    try {
      const { id } = await submitCsvImport(
        getDb(),
        w.owner,
        { kind: "contacts", fileName: "people.csv", content: csv("account_name,name", "Acme,Dana Price") },
        sendJob,
      );
      const settled = async (status: string) => {
        for (let tries = 0; tries < 100; tries += 1) {
          const imp = await getCsvImport(getDb(), w.owner, id);
          if (imp!.status === status) return imp!;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        throw new Error(`the import never became ${status}`);
      };
      await settled("checked");
      expect(await submitApply(getDb(), w.owner, id, sendJob)).toBe("started");
      await settled("applied");
      expect((await tableCounts()).contacts).toBe(1);
    } finally {
      await jobs.stop();
    }
  }, 60_000);
});

describe("the import and export pages", () => {
  function uploadRequest(cookie: string, fields: { kind?: string; file?: File }) {
    const body = new FormData();
    if (fields.kind !== undefined) body.set("kind", fields.kind);
    if (fields.file) body.set("file", fields.file);
    return new Request("http://localhost/import?index", {
      method: "POST",
      headers: { Cookie: cookie, "x-rapport-client-ip": "203.0.113.7" },
      body,
    });
  }

  const upload = async (user: User, fields: { kind?: string; file?: File }) =>
    settle(async () =>
      uploadAction({ request: uploadRequest(await cookieFor(user), fields), params: {}, context: {} }),
    );

  const detail = async (user: User, importId: string) =>
    settle(async () =>
      detailLoader({
        request: makeRequest(`/import/${importId}`, { cookie: await cookieFor(user) }),
        params: { importId },
        context: {},
      }),
    );

  const post = async (user: User, importId: string, intent: string) =>
    settle(async () =>
      detailAction({
        request: makeRequest(`/import/${importId}`, { cookie: await cookieFor(user), form: { intent } }),
        params: { importId },
        context: {},
      }),
    );

  it("uploads, previews, applies and lists a file", async () => {
    const w = await world();
    const file = new File([csv("account_name,name,email", "Acme,Dana Price,dana@acme.test")], "people.csv", {
      type: "text/csv",
    });
    const uploaded = await upload(w.owner, { kind: "contacts", file });
    expect(uploaded.status).toBe(302);
    const importId = uploaded.headers.get("Location")!.replace("/import/", "");

    const page = await (await detail(w.owner, importId)).json();
    expect(page).toMatchObject({
      canApply: true,
      canDiscard: true,
      imp: { fileName: "people.csv", status: "checked", totalRows: 1, report: { creates: 1 } },
    });
    expect((await detail(w.other, importId)).status).toBe(404);
    expect((await post(w.other, importId, "apply")).status).toBe(404);

    const applied = await post(w.owner, importId, "apply");
    expect(applied.headers.get("Location")).toBe(`/import/${importId}`);
    expect((await (await detail(w.owner, importId)).json()).imp.status).toBe("applied");
    const again = await post(w.owner, importId, "apply");
    expect(again.status).toBe(409);

    const list = await settle(async () =>
      indexLoader({
        request: makeRequest("/import", { cookie: await cookieFor(w.owner) }),
        params: {},
        context: {},
      }),
    );
    expect((await list.json()).imports).toMatchObject([{ id: importId, status: "applied", creates: 1 }]);
  });

  it("discards an import after asking, and only one that was not applied", async () => {
    const w = await world();
    const imp = await importCsv(getDb(), w.owner, {
      kind: "contacts",
      content: csv("account_name,name", "Nowhere,X"),
    });
    const discarded = await post(w.owner, imp.id, "discard");
    expect(discarded.headers.get("Location")).toBe("/import");
    expect(await getDb().select().from(csvImports)).toHaveLength(0);
    expect((await post(w.owner, imp.id, "discard")).status).toBe(404);
  });

  it("refuses an upload from a leader, without a file, or over 25 MB", async () => {
    const w = await world();
    const small = new File([csv("name", "x")], "x.csv");
    expect((await upload(w.leader, { kind: "contacts", file: small })).status).toBe(403);
    const noFile = await upload(w.owner, { kind: "contacts" });
    expect(noFile.status).toBe(400);
    expect((await noFile.json()).fieldErrors).toEqual({ file: "Choose a CSV file to upload." });
    const badKind = await upload(w.owner, { kind: "deals", file: small });
    expect((await badKind.json()).fieldErrors.kind).toBe(
      "Choose what the file holds: accounts, contacts, opportunities or interactions.",
    );
    const huge = new File([new Uint8Array(25 * 1024 * 1024 + 1).fill(0x61)], "huge.csv");
    const tooLarge = await upload(w.owner, { kind: "contacts", file: huge });
    expect(tooLarge.status).toBe(413);
    expect((await tooLarge.json()).fieldErrors.file).toMatch(/^That file is larger than 25 MB/);
    expect(await getDb().select().from(csvImports)).toHaveLength(0);
  });

  it("shows a leader the export links but no imports", async () => {
    const w = await world();
    const page = await settle(async () =>
      indexLoader({
        request: makeRequest("/import", { cookie: await cookieFor(w.leader) }),
        params: {},
        context: {},
      }),
    );
    expect(await page.json()).toEqual({ canImport: false, imports: [], isAdmin: false });
  });

  it("stores a file that is not UTF-8 as rejected, with the reason on its page", async () => {
    const w = await world();
    const latin1 = new File(
      [new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x4a, 0xfc, 0x72, 0x67, 0x65, 0x6e])],
      "l.csv",
    );
    const uploaded = await upload(w.owner, { kind: "contacts", file: latin1 });
    const importId = uploaded.headers.get("Location")!.replace("/import/", "");
    const page = await (await detail(w.owner, importId)).json();
    expect(page.imp.status).toBe("rejected");
    expect(page.imp.report.errors).toEqual([{ row: 0, column: "file", value: "", reason: NOT_UTF8_REASON }]);
    expect(page.canApply).toBe(false);
  });

  it("downloads an export as an attachment, and 404s for an unknown kind", async () => {
    const w = await world();
    const download = async (user: User, kind: string) =>
      settle(async () =>
        exportLoader({
          request: makeRequest(`/export/${kind}`, { cookie: await cookieFor(user) }),
          params: { kind },
          context: {},
        }),
      );
    const response = await download(w.leader, "accounts");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="rapport-accounts-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const text = await response.text();
    expect(text.trim().split("\n")).toHaveLength(3);
    expect((await download(w.owner, "deals")).status).toBe(404);
    const signedOut = await settle(() =>
      exportLoader({ request: makeRequest("/export/accounts"), params: { kind: "accounts" }, context: {} }),
    );
    expect(signedOut.status).toBe(302);
  });
});
