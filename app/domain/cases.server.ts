import { and, asc, eq, ne } from "drizzle-orm";
import { accounts, cases, users } from "../../db/schema";
import type { Database } from "../lib/db.server";
import { visibleAccounts, type Viewer } from "./accounts.server";

/** Open and acknowledged Customer 9-1-1 cases on the accounts the viewer may see, soonest SLA first. */
export async function listOpenCases(db: Database, viewer: Viewer) {
  return db
    .select({
      id: cases.id,
      summary: cases.summary,
      severity: cases.severity,
      status: cases.status,
      trigger: cases.trigger,
      slaDueAt: cases.slaDueAt,
      openedAt: cases.openedAt,
      accountId: accounts.id,
      accountName: accounts.name,
      ownerName: users.name,
    })
    .from(cases)
    .innerJoin(accounts, eq(accounts.id, cases.accountId))
    .innerJoin(users, eq(users.id, cases.ownerId))
    .where(and(visibleAccounts(viewer, db), ne(cases.status, "resolved")))
    .orderBy(asc(cases.slaDueAt))
    .limit(200);
}
