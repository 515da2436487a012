import type { AccountAccess } from "~/domain/access";
import { accountIdOfOpportunity } from "~/domain/opportunities.server";
import { isUuid, requireAccountAccess, requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";

/**
 * The guard for a deal's page: signed in, and allowed `access` to the deal's account.
 * An unknown or malformed id is a 404.
 */
export async function requireOpportunityAccess(
  request: Request,
  opportunityId: string | undefined,
  access: AccountAccess,
) {
  const user = await requireUser(request);
  const accountId =
    opportunityId && isUuid(opportunityId) ? await accountIdOfOpportunity(getDb(), opportunityId) : null;
  if (!accountId) throw new Response("No such opportunity.", { status: 404 });
  await requireAccountAccess(user, accountId, access);
  return { user, opportunityId: opportunityId!, accountId };
}
