/**
 * Writing a batch of plans inside the apply transaction: one INSERT for the new rows and one
 * UPDATE for the changed ones per table, never a statement per row.
 */
import { inArray, sql, type SQL } from "drizzle-orm";
import {
  accounts,
  contacts,
  interactionContacts,
  interactions,
  interactionUsers,
  opportunities,
} from "../../../db/schema";
import { emitOpportunitiesClosed } from "../webhooks.server";
import { recordClosedDeals } from "../winloss-followups.server";
import type { CsvKind } from "./columns";
import type { Transaction } from "./db.server";
import type { Plan } from "./plan.server";

/** `value::type` for a VALUES list, whose columns otherwise have no type to assign from. */
function typed(value: unknown, type: string): SQL {
  return sql`${value}::${sql.raw(type)}`;
}

/**
 * One UPDATE … FROM (VALUES …) for many rows: 1,000 single-row updates would be 1,000 round
 * trips inside the transaction.
 */
async function bulkUpdate(
  tx: Transaction,
  table: string,
  columns: readonly { name: string; type: string }[],
  rows: { id: string; values: unknown[] }[],
) {
  if (rows.length === 0) return;
  const values = sql.join(
    rows.map(
      (row) =>
        sql`(${sql.join(
          [typed(row.id, "uuid"), ...row.values.map((value, i) => typed(value, columns[i]!.type))],
          sql`, `,
        )})`,
    ),
    sql`, `,
  );
  const names = columns.map((c) => c.name);
  await tx.execute(sql`
    update ${sql.identifier(table)} as t
    set ${sql.raw(names.map((n) => `"${n}" = v."${n}"`).join(", "))}, "updated_at" = now()
    from (values ${values}) as v("id", ${sql.raw(names.map((n) => `"${n}"`).join(", "))})
    where t."id" = v."id"`);
}

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

async function writeAccounts(tx: Transaction, plans: Extract<Plan, { kind: "accounts" }>[]) {
  const creates = plans.filter((p) => p.action === "create");
  if (creates.length > 0) {
    await tx
      .insert(accounts)
      .values(creates.map(({ id, state: { ownerEmail: _ownerEmail, ...values } }) => ({ id, ...values })));
  }
  await bulkUpdate(
    tx,
    "accounts",
    [
      { name: "external_id", type: "text" },
      { name: "name", type: "text" },
      { name: "segment", type: "segment" },
      { name: "region", type: "text" },
      { name: "tier", type: "tier" },
      { name: "lifecycle_stage", type: "lifecycle_stage" },
      { name: "annual_value_cents", type: "bigint" },
      { name: "owner_id", type: "uuid" },
      { name: "target_cadence_days", type: "smallint" },
    ],
    plans
      .filter((p) => p.action === "update")
      .map(({ id, state: s }) => ({
        id,
        values: [
          s.externalId,
          s.name,
          s.segment,
          s.region,
          s.tier,
          s.lifecycleStage,
          s.annualValueCents,
          s.ownerId,
          s.targetCadenceDays,
        ],
      })),
  );
}

async function writeContacts(tx: Transaction, plans: Extract<Plan, { kind: "contacts" }>[]) {
  const creates = plans.filter((p) => p.action === "create");
  if (creates.length > 0) {
    await tx
      .insert(contacts)
      .values(creates.map(({ id, state: { accountName: _accountName, ...values } }) => ({ id, ...values })));
  }
  await bulkUpdate(
    tx,
    "contacts",
    [
      { name: "external_id", type: "text" },
      { name: "account_id", type: "uuid" },
      { name: "name", type: "text" },
      { name: "email", type: "text" },
      { name: "title", type: "text" },
      { name: "buying_role", type: "buying_role" },
      { name: "language", type: "text" },
      { name: "opted_out_at", type: "timestamptz" },
    ],
    plans
      .filter((p) => p.action === "update")
      .map(({ id, state: s }) => ({
        id,
        values: [
          s.externalId,
          s.accountId,
          s.name,
          s.email,
          s.title,
          s.buyingRole,
          s.language,
          iso(s.optedOutAt),
        ],
      })),
  );
}

async function writeOpportunities(tx: Transaction, plans: Extract<Plan, { kind: "opportunities" }>[]) {
  const creates = plans.filter((p) => p.action === "create");
  if (creates.length > 0) {
    await tx
      .insert(opportunities)
      .values(
        creates.map(({ id, state: { accountName: _a, sellerEmail: _s, ...values } }) => ({ id, ...values })),
      );
  }
  await bulkUpdate(
    tx,
    "opportunities",
    [
      { name: "external_id", type: "text" },
      { name: "account_id", type: "uuid" },
      { name: "name", type: "text" },
      { name: "amount_cents", type: "bigint" },
      { name: "close_date", type: "date" },
      { name: "outcome", type: "opportunity_outcome" },
      { name: "competitor", type: "text" },
      { name: "seller_id", type: "uuid" },
      { name: "closed_at", type: "timestamptz" },
    ],
    plans
      .filter((p) => p.action === "update")
      .map(({ id, state: s }) => ({
        id,
        values: [
          s.externalId,
          s.accountId,
          s.name,
          s.amountCents,
          s.closeDate,
          s.outcome,
          s.competitor,
          s.sellerId,
          iso(s.closedAt),
        ],
      })),
  );
}

async function writeInteractions(tx: Transaction, plans: Extract<Plan, { kind: "interactions" }>[]) {
  const creates = plans.filter((p) => p.action === "create");
  if (creates.length > 0) {
    await tx.insert(interactions).values(
      creates.map(({ id, state: s }) => ({
        id,
        accountId: s.accountId,
        authorId: s.authorId,
        externalId: s.externalId,
        kind: s.kind,
        occurredAt: s.occurredAt,
        summary: s.summary,
        engagementQuality: s.engagementQuality,
        equityEffect: s.equityEffect,
        equityWeight: s.equityWeight,
        commitmentStatus: s.commitmentStatus,
      })),
    );
    // the author took part, as when an interaction is logged by hand
    const authored = creates.flatMap((p) =>
      p.state.authorId ? [{ interactionId: p.id, userId: p.state.authorId }] : [],
    );
    if (authored.length > 0) await tx.insert(interactionUsers).values(authored);
  }
  const updates = plans.filter((p) => p.action === "update");
  await bulkUpdate(
    tx,
    "interactions",
    [
      { name: "external_id", type: "text" },
      { name: "account_id", type: "uuid" },
      { name: "kind", type: "interaction_kind" },
      { name: "occurred_at", type: "timestamptz" },
      { name: "summary", type: "text" },
      { name: "engagement_quality", type: "smallint" },
      { name: "equity_effect", type: "equity_effect" },
      { name: "equity_weight", type: "smallint" },
      { name: "commitment_status", type: "commitment_status" },
      { name: "author_id", type: "uuid" },
    ],
    updates.map(({ id, state: s }) => ({
      id,
      values: [
        s.externalId,
        s.accountId,
        s.kind,
        iso(s.occurredAt),
        s.summary,
        s.engagementQuality,
        s.equityEffect,
        s.equityWeight,
        s.commitmentStatus,
        s.authorId,
      ],
    })),
  );
  const replaced = plans.filter((p) => p.action !== "unchanged" && p.participantsChanged);
  const replacedUpdates = replaced.filter((p) => p.action === "update").map((p) => p.id);
  if (replacedUpdates.length > 0) {
    await tx.delete(interactionContacts).where(inArray(interactionContacts.interactionId, replacedUpdates));
  }
  const links = replaced.flatMap((p) =>
    p.state.contactIds.map((contactId) => ({ interactionId: p.id, contactId })),
  );
  if (links.length > 0) await tx.insert(interactionContacts).values(links);
}
