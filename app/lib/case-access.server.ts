import { accountIdOfCase } from "../domain/case-queries.server";
import type { AccountAccess } from "../domain/access";
import { isUuid, requireAccountAccess, requireUser } from "./auth.server";
import { getDb } from "./db.server";

/**
 * The guard for a case's page: signed in, and allowed `access` to the case's account
 * (managers: accounts they own or are on the team of). An unknown or malformed id is a 404;
 * a case on someone else's account a 403.
 */
export async function requireCaseAccess(request: Request, caseId: string | undefined, access: AccountAccess) {
  const user = await requireUser(request);
  const accountId = caseId && isUuid(caseId) ? await accountIdOfCase(getDb(), caseId) : null;
  if (!accountId) throw new Response("No such case.", { status: 404 });
  if (access === "edit" && user.role === "leader") {
    throw new Response("Leaders read cases; the account team works them.", { status: 403 });
  }
  await requireAccountAccess(user, accountId, access);
  return { user, caseId: caseId!, accountId };
}
