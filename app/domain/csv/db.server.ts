import type { Executor } from "../../lib/db.server";

export type { Transaction } from "../../lib/db.server";
/** A pass reads through either: the check through the database, the apply through its transaction. */
export type DbOrTx = Executor;
