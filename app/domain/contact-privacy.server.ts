/** What a contact's export and erasure both read: the emails about the person, and past erasures. */
import { desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { cases, contactErasures, invitations, outbox } from "../../db/schema";
import type { Executor } from "../lib/db.server";

/**
 * The emails about this person: every message of their invitations (invitation, reminders,
 * recovery pulse), anything sent to their address, and the Customer 9-1-1 alerts their
 * answers raised (those quote their words to the owner).
 */
export function emailsToContact(person: { id: string; email: string | null }): SQL {
  const conditions: SQL[] = [
    inArray(
      outbox.invitationId,
      sql`(select ${invitations.id} from ${invitations} where ${invitations.contactId} = ${person.id})`,
    ),
    sql`${outbox.idempotencyKey} in (select 'case_alert:' || ${cases.id} from ${cases} where ${cases.contactId} = ${person.id})`,
  ];
  if (person.email) conditions.push(sql`lower(${outbox.toAddress}) = lower(${person.email})`);
  return or(...conditions)!;
}

export type ErasureCounts = Record<string, number>;

export interface ErasureRecord {
  id: string;
  contactId: string;
  accountId: string | null;
  erasedById: string | null;
  counts: ErasureCounts;
  createdAt: Date;
}

/** The erasure of a contact id, if it was erased (the newest, should there be more). */
export async function findErasure(db: Executor, contactId: string): Promise<ErasureRecord | null> {
  const [row] = await db
    .select()
    .from(contactErasures)
    .where(eq(contactErasures.contactId, contactId))
    .orderBy(desc(contactErasures.createdAt))
    .limit(1);
  return row ? { ...row, counts: row.counts as ErasureCounts } : null;
}
