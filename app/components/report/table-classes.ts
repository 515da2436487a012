/** The classes of a report panel's tables, so every panel's table reads alike. */
export const tableClass = "min-w-full divide-y divide-slate-200 text-sm";
export const theadClass = "bg-slate-50 text-left text-slate-600";
export const cellClass = "px-3 py-2";
export const numberCellClass = "px-3 py-2 text-right tabular-nums";
export const headClass = "px-3 py-2 font-medium";
export const numberHeadClass = "px-3 py-2 text-right font-medium";
