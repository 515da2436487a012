import type { PanelCsv } from "~/components/report/panel";
import type { WinlossTable } from "~/domain/winloss";

/** A win/loss table's CSV download (its lists' page parameters stay behind: the file has every row). */
export const winlossCsv = (table: WinlossTable): PanelCsv => ({
  path: `/winloss/export/${table}`,
  pagingParams: ["dpage", "vpage"],
});
