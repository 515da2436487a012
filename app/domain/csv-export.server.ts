/**
 * CSV export with the same columns the import reads, so a file exported and imported again
 * changes nothing. Rows are read 1,000 at a time by id (keyset paging) and streamed through
 * csv-stringify, so memory stays flat however many rows the viewer can see.
 */
import { Readable, pipeline } from "node:stream";
import { stringify } from "csv-stringify";
import { and, asc, eq, gt, sql, type SQL } from "drizzle-orm";
import { accounts, contacts, interactionContacts, interactions, opportunities, users } from "../../db/schema";
import type { Database } from "../lib/db.server";
import { accountProfileColumns, visibleAccounts, type Viewer } from "./accounts.server";
import { CSV_COLUMNS, formatCentsForCsv, protectFromFormula, type CsvKind } from "./csv/columns";

export const EXPORT_PAGE_SIZE = 1000;

type Row = Record<string, string>;

/** Every row of `kind` on the accounts the viewer may see, page by page. */
export async function* exportRows(db: Database, viewer: Viewer, kind: CsvKind): AsyncGenerator<Row> {
  const pageOf = pages[kind];
  let after: string | undefined;
  for (;;) {
    const page = await pageOf(db, visibleAccounts(viewer, db), after);
    for (const row of page.rows) yield row;
    if (page.lastId === undefined || page.rows.length < EXPORT_PAGE_SIZE) return;
    after = page.lastId;
  }
}

/**
 * The export as a stream of CSV text (UTF-8 with a BOM, so Excel reads accents right; the
 * import strips it). A database error mid-way destroys the stream rather than ending it, so
 * a download is never silently cut short.
 */
export function exportCsvStream(db: Database, viewer: Viewer, kind: CsvKind): Readable {
  return csvStreamOf(exportRows(db, viewer, kind), { columns: [...CSV_COLUMNS[kind]], bom: true });
}

export type CsvCell = string | number | null | undefined;

/**
 * Rows as a stream of CSV text, pulled from `rows` only as fast as the reader takes them:
 * the header, then one line a row, quoted where needed, with text cells a spreadsheet would
 * run as a formula given a leading apostrophe (`protectFromFormula`). An error from `rows`
 * destroys the stream (after `onError` hears of it) rather than ending it.
 */
export function csvStreamOf(
  rows: AsyncIterable<Record<string, CsvCell>>,
  options: { columns: string[]; bom: boolean; onError?: (error: Error) => void },
): Readable {
  const stringifier = stringify({
    header: true,
    columns: options.columns,
    bom: options.bom,
    cast: { string: protectFromFormula },
  });
  pipeline(Readable.from(rows), stringifier, (error) => {
    if (error) options.onError?.(error);
  });
  return stringifier;
}

/** The whole export as one string (tests and small exports). */
export async function exportCsvText(db: Database, viewer: Viewer, kind: CsvKind): Promise<string> {
  let text = "";
  for await (const chunk of exportCsvStream(db, viewer, kind)) text += String(chunk);
  return text;
}

interface Page {
  rows: Row[];
  lastId: string | undefined;
}

const pages: Record<CsvKind, (db: Database, visible: SQL | undefined, after?: string) => Promise<Page>> = {
  async accounts(db, visible, after) {
    const found = await db
      .select({
        id: accounts.id,
        externalId: accounts.externalId,
        ...accountProfileColumns,
        ownerEmail: users.email,
      })
      .from(accounts)
      .innerJoin(users, eq(users.id, accounts.ownerId))
      .where(and(visible, after ? gt(accounts.id, after) : undefined))
      .orderBy(asc(accounts.id))
      .limit(EXPORT_PAGE_SIZE);
    return {
      lastId: found.at(-1)?.id,
      rows: found.map((a) => ({
        external_id: a.externalId ?? "",
        name: a.name,
        segment: a.segment,
        region: a.region,
        tier: a.tier,
        lifecycle_stage: a.lifecycleStage,
        annual_value: formatCentsForCsv(a.annualValueCents),
        owner_email: a.ownerEmail,
        target_cadence_days: String(a.targetCadenceDays),
      })),
    };
  },

  async contacts(db, visible, after) {
    const found = await db
      .select({
        id: contacts.id,
        externalId: contacts.externalId,
        accountExternalId: accounts.externalId,
        accountName: accounts.name,
        name: contacts.name,
        email: contacts.email,
        title: contacts.title,
        buyingRole: contacts.buyingRole,
        language: contacts.language,
        optedOutAt: contacts.optedOutAt,
      })
      .from(contacts)
      .innerJoin(accounts, eq(accounts.id, contacts.accountId))
      .where(and(visible, after ? gt(contacts.id, after) : undefined))
      .orderBy(asc(contacts.id))
      .limit(EXPORT_PAGE_SIZE);
    return {
      lastId: found.at(-1)?.id,
      rows: found.map((c) => ({
        external_id: c.externalId ?? "",
        account_external_id: c.accountExternalId ?? "",
        account_name: c.accountName,
        name: c.name,
        email: c.email ?? "",
        title: c.title ?? "",
        buying_role: c.buyingRole,
        language: c.language,
        opted_out: c.optedOutAt ? "true" : "false",
      })),
    };
  },

  async opportunities(db, visible, after) {
    const found = await db
      .select({
        id: opportunities.id,
        externalId: opportunities.externalId,
        accountExternalId: accounts.externalId,
        accountName: accounts.name,
        name: opportunities.name,
        amountCents: opportunities.amountCents,
        closeDate: opportunities.closeDate,
        outcome: opportunities.outcome,
        competitor: opportunities.competitor,
        sellerEmail: users.email,
      })
      .from(opportunities)
      .innerJoin(accounts, eq(accounts.id, opportunities.accountId))
      .leftJoin(users, eq(users.id, opportunities.sellerId))
      .where(and(visible, after ? gt(opportunities.id, after) : undefined))
      .orderBy(asc(opportunities.id))
      .limit(EXPORT_PAGE_SIZE);
    return {
      lastId: found.at(-1)?.id,
      rows: found.map((o) => ({
        external_id: o.externalId ?? "",
        account_external_id: o.accountExternalId ?? "",
        account_name: o.accountName,
        name: o.name,
        amount: formatCentsForCsv(o.amountCents),
        close_date: o.closeDate ?? "",
        outcome: o.outcome,
        competitor: o.competitor ?? "",
        seller_email: o.sellerEmail ?? "",
      })),
    };
  },

  async interactions(db, visible, after) {
    const found = await db
      .select({
        id: interactions.id,
        externalId: interactions.externalId,
        accountExternalId: accounts.externalId,
        accountName: accounts.name,
        kind: interactions.kind,
        occurredAt: interactions.occurredAt,
        summary: interactions.summary,
        engagementQuality: interactions.engagementQuality,
        equityEffect: interactions.equityEffect,
        equityWeight: interactions.equityWeight,
        authorEmail: users.email,
        // participants without an email cannot be named in the file, so they are left out
        contactEmails: sql<string | null>`(
          select string_agg(${contacts.email}, ';' order by lower(${contacts.email}))
          from ${interactionContacts} join ${contacts} on ${contacts.id} = ${interactionContacts.contactId}
          where ${interactionContacts.interactionId} = ${interactions.id} and ${contacts.email} is not null)`,
      })
      .from(interactions)
      .innerJoin(accounts, eq(accounts.id, interactions.accountId))
      .leftJoin(users, eq(users.id, interactions.authorId))
      .where(and(visible, after ? gt(interactions.id, after) : undefined))
      .orderBy(asc(interactions.id))
      .limit(EXPORT_PAGE_SIZE);
    return {
      lastId: found.at(-1)?.id,
      rows: found.map((i) => ({
        external_id: i.externalId ?? "",
        account_external_id: i.accountExternalId ?? "",
        account_name: i.accountName,
        kind: i.kind,
        occurred_at: i.occurredAt.toISOString(),
        summary: i.summary,
        engagement_quality: i.engagementQuality === null ? "" : String(i.engagementQuality),
        equity_effect: i.equityEffect,
        equity_weight: String(i.equityWeight),
        author_email: i.authorEmail ?? "",
        contact_emails: i.contactEmails ?? "",
      })),
    };
  },
};
