import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { WINLOSS_TABLES } from "~/domain/winloss";
import { winlossTable, winlossTableToCsv } from "~/domain/winloss-export.server";
import { parseWinlossQuery } from "~/domain/winloss-query.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";

const tableSchema = z.enum(WINLOSS_TABLES);

/**
 * GET /winloss/export/:table — one table of the win/loss page as CSV, every row, with the same
 * filters (and the deal view and verbatim search) as the page it was linked from. A manager's
 * file holds only their own accounts' deals, as on the page.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const table = tableSchema.safeParse(params.table);
  if (!table.success) {
    throw new Response(`No such table. Choose one of ${WINLOSS_TABLES.join(", ")}.`, { status: 404 });
  }
  const query = parseWinlossQuery(new URL(request.url).searchParams);
  const now = new Date();
  const csv = winlossTableToCsv(
    await winlossTable(getDb(), user, query, table.data, { now, companyName: getEnv().COMPANY_NAME }),
  );
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="rapport-winloss-${table.data}-${now.toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
