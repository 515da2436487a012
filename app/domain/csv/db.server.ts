import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Executor } from "../../lib/db.server";

export type { Transaction } from "../../lib/db.server";
/** A pass reads through either: the check through the database, the apply through its transaction. */
export type DbOrTx = Executor;

/**
 * `column = any($1::type[])`: a batch's keys as one array parameter. An `IN (…)` list would
 * have a placeholder per key, each built by drizzle and parsed by Postgres on every batch; this
 * statement is the same few bytes whatever the batch's size, and still uses the column's index.
 */
export function anyOf(column: SQLWrapper, values: readonly unknown[], type: string): SQL {
  return sql`${column} = any(${sql.param(values)}::${sql.raw(type)}[])`;
}
