import type { PanelCsv } from "~/components/report/panel";
import type { DashboardTable } from "~/domain/dashboard";

/** A dashboard table's CSV download (its lists' page parameters stay behind: the file has every row). */
export const dashboardCsv = (table: DashboardTable): PanelCsv => ({
  path: `/dashboard/export/${table}`,
  pagingParams: ["hpage", "vpage"],
});
