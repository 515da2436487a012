/**
 * How scores print (0–100 with one decimal at most, as health.ts rounds them), so every
 * page shows the same figure the same way and a reader's subtraction checks out.
 */

/** "45.8", "80", or "—" for no value. */
export function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** "+12.5", "−3", "0": a signed number with a real minus sign; "—" for no value. */
export function formatSigned(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  const shown = formatScore(Math.abs(value));
  if (value > 0) return `+${shown}`;
  if (value < 0) return `−${shown}`;
  return "0";
}
