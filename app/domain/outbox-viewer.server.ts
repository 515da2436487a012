import { and, count, desc, eq, ilike, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { outbox } from "../../db/schema";
import type { Database } from "../lib/db.server";
import { OUTBOX_STATUSES, type OutboxStatus } from "./outbox-viewer";

export { OUTBOX_STATUSES, type OutboxStatus };

/**
 * Reads the outbox for the mail viewer at /dev/outbox. Read-only: what is sent, and when,
 * is outbox.server.ts's business.
 */

export const OUTBOX_PAGE_SIZE = 50;

export interface OutboxFilters {
  status?: OutboxStatus;
  kind?: string;
  /** Part of the recipient's address or of the subject, any case. */
  search?: string;
}

const uuidSchema = z.string().uuid();

/** `%`, `_` and `\` typed into the search box are looked for as themselves, not as wildcards. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function matching(filters: OutboxFilters, { withStatus }: { withStatus: boolean }): SQL | undefined {
  const search = filters.search?.trim();
  return and(
    withStatus && filters.status ? eq(outbox.status, filters.status) : undefined,
    filters.kind ? eq(outbox.kind, filters.kind) : undefined,
    search
      ? or(ilike(outbox.toAddress, containsPattern(search)), ilike(outbox.subject, containsPattern(search)))
      : undefined,
  );
}

/** What a row of the list shows: everything but the message's body and headers. */
const listColumns = {
  id: outbox.id,
  kind: outbox.kind,
  toAddress: outbox.toAddress,
  subject: outbox.subject,
  status: outbox.status,
  attempts: outbox.attempts,
  lastError: outbox.lastError,
  createdAt: outbox.createdAt,
  sentAt: outbox.sentAt,
};

/** One page of messages, newest first, with how many match the filters in all. */
export async function listOutboxMessages(db: Database, filters: OutboxFilters, page = 1) {
  const where = matching(filters, { withStatus: true });
  const [rows, [total]] = await Promise.all([
    db
      .select(listColumns)
      .from(outbox)
      .where(where)
      // id breaks ties (one statement's rows share a created_at), so a page boundary never repeats a row
      .orderBy(desc(outbox.createdAt), desc(outbox.id))
      .limit(OUTBOX_PAGE_SIZE)
      .offset((page - 1) * OUTBOX_PAGE_SIZE),
    db.select({ n: count() }).from(outbox).where(where),
  ]);
  const n = total?.n ?? 0;
  return {
    rows,
    total: n,
    page,
    pageSize: OUTBOX_PAGE_SIZE,
    pages: Math.max(1, Math.ceil(n / OUTBOX_PAGE_SIZE)),
  };
}

/**
 * How many messages are in each status (every status present, zero when none), among those
 * matching the kind and search filters; the status filter itself is ignored so the counts
 * say what choosing another status would show.
 */
export async function countOutboxByStatus(
  db: Database,
  filters: Omit<OutboxFilters, "status"> = {},
): Promise<Record<OutboxStatus, number>> {
  const rows = await db
    .select({ status: outbox.status, n: count() })
    .from(outbox)
    .where(matching(filters, { withStatus: false }))
    .groupBy(outbox.status);
  const counts = Object.fromEntries(OUTBOX_STATUSES.map((status) => [status, 0])) as Record<
    OutboxStatus,
    number
  >;
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/** The kinds of mail the outbox holds (invitation, reminder, case_alert …), for the kind filter. */
export async function listOutboxKinds(db: Database): Promise<string[]> {
  const rows = await db.selectDistinct({ kind: outbox.kind }).from(outbox).orderBy(outbox.kind);
  return rows.map((row) => row.kind);
}

/** Header name and value pairs from the jsonb column, in name order; non-strings shown as JSON. */
function headerPairs(headers: unknown): { name: string; value: string }[] {
  if (!headers || typeof headers !== "object" || Array.isArray(headers)) return [];
  return Object.entries(headers as Record<string, unknown>)
    .map(([name, value]) => ({ name, value: typeof value === "string" ? value : JSON.stringify(value) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** One message, everything the viewer shows; null for an unknown or malformed id. */
export async function getOutboxMessage(db: Database, id: string) {
  if (!uuidSchema.safeParse(id).success) return null;
  const [row] = await db
    .select({
      ...listColumns,
      fromAddress: outbox.fromAddress,
      replyTo: outbox.replyTo,
      html: outbox.html,
      text: outbox.text,
      headers: outbox.headers,
      providerMessageId: outbox.providerMessageId,
      invitationId: outbox.invitationId,
      campaignId: outbox.campaignId,
    })
    .from(outbox)
    .where(eq(outbox.id, id))
    .limit(1);
  if (!row) return null;
  return { ...row, headers: headerPairs(row.headers) };
}
