import type { Database } from "../../lib/db.server";

export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** A pass reads through either: the check through the database, the apply through its transaction. */
export type DbOrTx = Database | Transaction;
