/**
 * Opportunity reads for integrations (the public API): the change order, by external id,
 * with the account's external id and the seller's email. Validation and writes stay in
 * opportunities.server.ts (createOpportunity / updateOpportunity / closeOpportunityFromSync /
 * recordSellerReasons), shared with the deal forms.
 */
import { and, asc, eq, type SQL } from "drizzle-orm";
import { accounts, opportunities, users } from "../../db/schema";
import type { Database } from "../lib/db.server";
import { changedAfter, pageOf, updatedAtMicros, type ChangePageOptions } from "./account-sync.server";

const recordColumns = {
  id: opportunities.id,
  externalId: opportunities.externalId,
  accountId: opportunities.accountId,
  accountExternalId: accounts.externalId,
  name: opportunities.name,
  amountCents: opportunities.amountCents,
  closeDate: opportunities.closeDate,
  outcome: opportunities.outcome,
  competitor: opportunities.competitor,
  sellerId: opportunities.sellerId,
  sellerEmail: users.email,
  sellerPrimaryReason: opportunities.sellerPrimaryReason,
  sellerSecondaryReasons: opportunities.sellerSecondaryReasons,
  sellerReasonNote: opportunities.sellerReasonNote,
  sellerReasonsAt: opportunities.sellerReasonsAt,
  closedAt: opportunities.closedAt,
  createdAt: opportunities.createdAt,
  updatedAt: opportunities.updatedAt,
  updatedAtText: updatedAtMicros(opportunities.updatedAt),
};

async function findRecords(db: Database, where: SQL | undefined, limit: number) {
  return db
    .select(recordColumns)
    .from(opportunities)
    .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
    .leftJoin(users, eq(users.id, opportunities.sellerId))
    .where(where)
    .orderBy(asc(opportunities.updatedAt), asc(opportunities.id))
    .limit(limit);
}

export type OpportunityRecord = Awaited<ReturnType<typeof findRecords>>[number];

export async function getOpportunityRecord(
  db: Database,
  opportunityId: string,
): Promise<OpportunityRecord | null> {
  return (await findRecords(db, eq(opportunities.id, opportunityId), 1))[0] ?? null;
}

export async function getOpportunityRecordByExternalId(
  db: Database,
  externalId: string,
): Promise<OpportunityRecord | null> {
  return (await findRecords(db, eq(opportunities.externalId, externalId), 1))[0] ?? null;
}

/** Deals in the order they last changed (then id), optionally of one account. */
export async function listOpportunitiesByChange(
  db: Database,
  options: ChangePageOptions & { accountId?: string },
) {
  const rows = await findRecords(
    db,
    and(
      changedAfter(opportunities.updatedAt, opportunities.id, options),
      options.accountId ? eq(opportunities.accountId, options.accountId) : undefined,
    ),
    options.limit + 1,
  );
  return pageOf(rows, options.limit);
}
