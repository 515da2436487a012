import { headlineName, type Figure } from "./figures";

/** One plain-text table for every figure; baseline and ratio columns appear once any figure has them. */
export function formatTable(figures: readonly Figure[]): string {
  const number = (n: number | undefined) => (n === undefined ? "" : n.toFixed(1));
  const ratio = (n: number | undefined) =>
    n === undefined ? "" : Math.abs(n) < 10 ? n.toFixed(2) : n.toFixed(1);
  const budget = (f: Figure) =>
    [
      f.budget === undefined
        ? ""
        : `${f.budgetOn ? `${headlineName(f)} (${number(f.p75)}) ` : ""}≤ ${number(f.budget)}`,
      f.ratioAtLeast === undefined ? "" : `ratio ≥ ${ratio(f.ratioAtLeast)}`,
      f.ratioAtMost === undefined ? "" : `ratio ≤ ${ratio(f.ratioAtMost)}`,
    ]
      .filter(Boolean)
      .join(", ");
  const columns: { title: string; cell: (f: Figure) => string; right?: boolean }[] = [
    { title: "Figure", cell: (f) => f.name },
    { title: "Unit", cell: (f) => f.unit },
    { title: "Median", cell: (f) => number(f.median), right: true },
    { title: "p95", cell: (f) => number(f.p95), right: true },
    { title: "Value", cell: (f) => number(f.value), right: true },
  ];
  if (figures.some((f) => f.baseline !== undefined || f.ratio !== undefined)) {
    columns.push(
      { title: "Baseline", cell: (f) => number(f.baseline), right: true },
      { title: "Ratio", cell: (f) => ratio(f.ratio), right: true },
    );
  }
  columns.push(
    { title: "Budget", cell: budget, right: true },
    { title: "Result", cell: (f) => (f.passed === undefined ? "" : f.passed ? "ok" : "MISSED") },
  );

  const rows = [columns.map((c) => c.title), ...figures.map((f) => columns.map((c) => c.cell(f)))];
  const widths = columns.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (columns[i]!.right ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join("\n");
}
