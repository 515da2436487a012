import { afterAll, beforeEach, inject } from "vitest";
import { closeDb, connectDb, getSql } from "../../app/lib/db.server";

const url = inject("databaseUrl");
process.env.DATABASE_URL = url;
connectDb(url, { max: 4 });

// Every test starts from empty tables (the schema and its reference data stay).
beforeEach(async () => {
  const sql = getSql();
  const tables = await sql<{ name: string }[]>`
    select quote_ident(tablename) as name from pg_tables where schemaname = 'public'`;
  if (tables.length > 0) {
    await sql.unsafe(`truncate ${tables.map((t) => t.name).join(", ")} restart identity cascade`);
  }
});

afterAll(async () => {
  await closeDb();
});
