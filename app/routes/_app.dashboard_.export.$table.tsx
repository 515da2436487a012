import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { DASHBOARD_TABLES } from "~/domain/dashboard";
import { parseDashboardQuery } from "~/domain/dashboard-query.server";
import { dashboardTable, tableToCsv } from "~/domain/dashboard-export.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";

const tableSchema = z.enum(DASHBOARD_TABLES);

/**
 * GET /dashboard/export/:table — one dashboard table as CSV, every row, with the same filters
 * (and panel choices: heat-map order, quadrant, verbatim search) as the page it was linked from.
 * A manager's file holds only their own accounts, as on the page.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const table = tableSchema.safeParse(params.table);
  if (!table.success) {
    throw new Response(`No such table. Choose one of ${DASHBOARD_TABLES.join(", ")}.`, { status: 404 });
  }
  const query = parseDashboardQuery(new URL(request.url).searchParams);
  const now = new Date();
  const csv = tableToCsv(
    await dashboardTable(getDb(), user, query, table.data, { now, companyName: getEnv().COMPANY_NAME }),
  );
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="rapport-dashboard-${table.data}-${now.toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
