import { describe, expect, it } from "vitest";
import { getSql } from "~/lib/db.server";

const domainTables = [
  "users",
  "sessions",
  "api_keys",
  "accounts",
  "account_members",
  "contacts",
  "contact_notes",
  "interactions",
  "survey_definitions",
  "survey_versions",
  "campaigns",
  "invitations",
  "email_events",
  "outbox",
  "responses",
  "answers",
  "predictions",
  "opportunities",
  "cases",
];

describe("migrated schema", () => {
  it("has every table of the domain model", async () => {
    const rows = await getSql()<
      { tablename: string }[]
    >`select tablename from pg_tables where schemaname = 'public'`;
    const tables = rows.map((r) => r.tablename);
    for (const table of domainTables) expect(tables).toContain(table);
  });

  it("indexes every foreign key (an index whose leading columns are the key's columns)", async () => {
    const unindexed = await getSql()<{ table: string; constraint: string }[]>`
      select c.conrelid::regclass::text as table, c.conname as constraint
      from pg_constraint c
      where c.contype = 'f'
        and c.connamespace = 'public'::regnamespace
        and not exists (
          select 1 from pg_index i
          where i.indrelid = c.conrelid
            and (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] @> c.conkey
            and (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] <@ c.conkey
        )`;
    expect(unindexed).toEqual([]);
  });

  it("keeps scores within 0–100 and equity weights within 1–3 at the database level", async () => {
    const checks = await getSql()<{ name: string }[]>`
      select conname as name from pg_constraint where contype = 'c' and connamespace = 'public'::regnamespace`;
    const names = checks.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining(["answers_value_range", "interactions_equity_weight_range"]),
    );
  });
});
