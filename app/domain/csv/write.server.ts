/**
 * Writing a batch of plans inside the apply transaction: one INSERT for the new rows and one
 * UPDATE for the changed ones per table, never a statement per row.
 *
 * Both read the batch from `unnest()` of one array parameter per column: a multi-row VALUES
 * list would have a placeholder per cell (9,000 for 1,000 contacts), each built by drizzle and
 * parsed by Postgres, which cost more than the writing itself.
 */
import { sql, type SQL } from "drizzle-orm";
import { interactionContacts } from "../../../db/schema";
import { emitOpportunitiesClosed } from "../webhooks.server";
import { recordClosedDeals } from "../winloss-followups.server";
import type { CsvKind } from "./columns";
import { anyOf, type Transaction } from "./db.server";
import type { Plan } from "./plan.server";

/** A column a batch writes: its SQL name and type, and the value a plan gives it. */
interface Column<P> {
  name: string;
  type: string;
  value: (plan: P) => unknown;
}

/** The row's own id: the first column of an insert, the key of an update. */
function idColumn<P extends { id: string }>(): Column<P> {
  return { name: "id", type: "uuid", value: (p) => p.id };
}

const names = (columns: readonly { name: string }[]) => sql.raw(columns.map((c) => `"${c.name}"`).join(", "));

/**
 * `unnest($1::text[]::uuid[], $2::text[]::text[], …) as v("id", "name", …)`: one row per plan.
 * Every array travels as text and Postgres casts it to the column's type: sent as, say,
 * timestamptz[] it would go through the driver's serializer for that type, which drizzle sets
 * to pass values through untouched, and an array does not survive that.
 */
function unnested<P>(columns: readonly Column<P>[], plans: readonly P[]): SQL {
  const arrays = columns.map((c) => sql`${sql.param(plans.map(c.value))}::text[]::${sql.raw(c.type)}[]`);
  return sql`unnest(${sql.join(arrays, sql`, `)}) as v(${names(columns)})`;
}

async function bulkInsert<P>(tx: Transaction, table: string, columns: readonly Column<P>[], plans: P[]) {
  if (plans.length === 0) return;
  await tx.execute(sql`
    insert into ${sql.identifier(table)} (${names(columns)})
    select ${names(columns)} from ${unnested(columns, plans)}`);
}

/** `columns` without the id, which picks the row. */
async function bulkUpdate<P extends { id: string }>(
  tx: Transaction,
  table: string,
  columns: readonly Column<P>[],
  plans: P[],
) {
  if (plans.length === 0) return;
  await tx.execute(sql`
    update ${sql.identifier(table)} as t
    set ${sql.raw(columns.map((c) => `"${c.name}" = v."${c.name}"`).join(", "))}, "updated_at" = now()
    from ${unnested([idColumn<P>(), ...columns], plans)}
    where t."id" = v."id"`);
}

/** A table's creates and updates; `columns` are what a row of the file sets, the same for both. */
async function writeRecords<P extends { id: string; action: Plan["action"] }>(
  tx: Transaction,
  table: string,
  columns: readonly Column<P>[],
  plans: P[],
) {
  await bulkInsert(
    tx,
    table,
    [idColumn<P>(), ...columns],
    plans.filter((p) => p.action === "create"),
  );
  await bulkUpdate(
    tx,
    table,
    columns,
    plans.filter((p) => p.action === "update"),
  );
}

// as text, like every value in the arrays (see `unnested`)
const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * Writes one batch and returns the accounts whose health rollups it changed (docs/health-model.md,
 * "Rollups"): accounts created or updated (the target cadence), and the accounts of contacts
 * (key contacts) and interactions (the ledger) created or updated, with the one a row moved
 * them from. Opportunities feed no rollup.
 */
export async function writePlans(tx: Transaction, kind: CsvKind, plans: Plan[]): Promise<string[]> {
  switch (kind) {
    case "accounts":
      await writeAccounts(tx, plans as Extract<Plan, { kind: "accounts" }>[]);
      return plans.filter((p) => p.action !== "unchanged").map((p) => p.id);
    case "contacts":
      await writeContacts(tx, plans as Extract<Plan, { kind: "contacts" }>[]);
      return accountsOfChanged(plans as Extract<Plan, { kind: "contacts" }>[]);
    case "opportunities": {
      const deals = plans as Extract<Plan, { kind: "opportunities" }>[];
      await writeOpportunities(tx, deals);
      // A deal the file closes gets its win/loss follow-up here, in the import's transaction.
      // A file carries no seller's reasons, so it waits for the seller (docs/winloss-program.md).
      const closed = deals
        .filter((p) => p.action !== "unchanged" && p.state.outcome !== "open")
        .map((p) => p.id);
      await recordClosedDeals(tx, closed);
      // delivered by the minute schedule (docs/webhooks.md)
      await emitOpportunitiesClosed(tx, closed);
      return [];
    }
    case "interactions":
      await writeInteractions(tx, plans as Extract<Plan, { kind: "interactions" }>[]);
      return accountsOfChanged(plans as Extract<Plan, { kind: "interactions" }>[]);
  }
}

function accountsOfChanged(
  plans: { action: Plan["action"]; state: { accountId: string }; previousAccountId: string | null }[],
): string[] {
  return plans
    .filter((p) => p.action !== "unchanged")
    .flatMap((p) => (p.previousAccountId ? [p.state.accountId, p.previousAccountId] : [p.state.accountId]));
}

type PlanOf<K extends CsvKind> = Extract<Plan, { kind: K }>;

const ACCOUNT_COLUMNS: Column<PlanOf<"accounts">>[] = [
  { name: "external_id", type: "text", value: (p) => p.state.externalId },
  { name: "name", type: "text", value: (p) => p.state.name },
  { name: "segment", type: "segment", value: (p) => p.state.segment },
  { name: "region", type: "text", value: (p) => p.state.region },
  { name: "tier", type: "tier", value: (p) => p.state.tier },
  { name: "lifecycle_stage", type: "lifecycle_stage", value: (p) => p.state.lifecycleStage },
  { name: "annual_value_cents", type: "bigint", value: (p) => p.state.annualValueCents },
  { name: "owner_id", type: "uuid", value: (p) => p.state.ownerId },
  { name: "target_cadence_days", type: "smallint", value: (p) => p.state.targetCadenceDays },
];

async function writeAccounts(tx: Transaction, plans: PlanOf<"accounts">[]) {
  await writeRecords(tx, "accounts", ACCOUNT_COLUMNS, plans);
}

const CONTACT_COLUMNS: Column<PlanOf<"contacts">>[] = [
  { name: "external_id", type: "text", value: (p) => p.state.externalId },
  { name: "account_id", type: "uuid", value: (p) => p.state.accountId },
  { name: "name", type: "text", value: (p) => p.state.name },
  { name: "email", type: "text", value: (p) => p.state.email },
  { name: "title", type: "text", value: (p) => p.state.title },
  { name: "buying_role", type: "buying_role", value: (p) => p.state.buyingRole },
  { name: "language", type: "text", value: (p) => p.state.language },
  { name: "opted_out_at", type: "timestamptz", value: (p) => iso(p.state.optedOutAt) },
];

async function writeContacts(tx: Transaction, plans: PlanOf<"contacts">[]) {
  await writeRecords(tx, "contacts", CONTACT_COLUMNS, plans);
}

const OPPORTUNITY_COLUMNS: Column<PlanOf<"opportunities">>[] = [
  { name: "external_id", type: "text", value: (p) => p.state.externalId },
  { name: "account_id", type: "uuid", value: (p) => p.state.accountId },
  { name: "name", type: "text", value: (p) => p.state.name },
  { name: "amount_cents", type: "bigint", value: (p) => p.state.amountCents },
  { name: "close_date", type: "date", value: (p) => p.state.closeDate },
  { name: "outcome", type: "opportunity_outcome", value: (p) => p.state.outcome },
  { name: "competitor", type: "text", value: (p) => p.state.competitor },
  { name: "seller_id", type: "uuid", value: (p) => p.state.sellerId },
  { name: "closed_at", type: "timestamptz", value: (p) => iso(p.state.closedAt) },
];

async function writeOpportunities(tx: Transaction, plans: PlanOf<"opportunities">[]) {
  await writeRecords(tx, "opportunities", OPPORTUNITY_COLUMNS, plans);
}

const INTERACTION_COLUMNS: Column<PlanOf<"interactions">>[] = [
  { name: "external_id", type: "text", value: (p) => p.state.externalId },
  { name: "account_id", type: "uuid", value: (p) => p.state.accountId },
  { name: "kind", type: "interaction_kind", value: (p) => p.state.kind },
  { name: "occurred_at", type: "timestamptz", value: (p) => iso(p.state.occurredAt) },
  { name: "summary", type: "text", value: (p) => p.state.summary },
  { name: "engagement_quality", type: "smallint", value: (p) => p.state.engagementQuality },
  { name: "equity_effect", type: "equity_effect", value: (p) => p.state.equityEffect },
  { name: "equity_weight", type: "smallint", value: (p) => p.state.equityWeight },
  { name: "commitment_status", type: "commitment_status", value: (p) => p.state.commitmentStatus },
  { name: "author_id", type: "uuid", value: (p) => p.state.authorId },
];

/** A link row: an interaction and one of its people. */
type Link = { interactionId: string; otherId: string };
const linkColumns = (other: string): Column<Link>[] => [
  { name: "interaction_id", type: "uuid", value: (l) => l.interactionId },
  { name: other, type: "uuid", value: (l) => l.otherId },
];

async function writeInteractions(tx: Transaction, plans: PlanOf<"interactions">[]) {
  await writeRecords(tx, "interactions", INTERACTION_COLUMNS, plans);
  // the author took part, as when an interaction is logged by hand
  const authored = plans.flatMap((p) =>
    p.action === "create" && p.state.authorId ? [{ interactionId: p.id, otherId: p.state.authorId }] : [],
  );
  await bulkInsert(tx, "interaction_users", linkColumns("user_id"), authored);
  const replaced = plans.filter((p) => p.action !== "unchanged" && p.participantsChanged);
  const replacedUpdates = replaced.filter((p) => p.action === "update").map((p) => p.id);
  if (replacedUpdates.length > 0) {
    await tx
      .delete(interactionContacts)
      .where(anyOf(interactionContacts.interactionId, replacedUpdates, "uuid"));
  }
  const links = replaced.flatMap((p) =>
    p.state.contactIds.map((contactId) => ({ interactionId: p.id, otherId: contactId })),
  );
  await bulkInsert(tx, "interaction_contacts", linkColumns("contact_id"), links);
}
