/** The win/loss page's own formats (dates: ~/components/report/format). */
import { humanize } from "~/lib/format";

/** A whole percentage, or "—" when there is nothing to divide. */
export const formatPercent = (value: number | null) => (value === null ? "—" : `${value}%`);
/** A reason of the taxonomy as people read it ("product_fit" → "Product fit"); "—" for none. */
export const reasonLabel = (reason: string | null) => (reason ? humanize(reason) : "—");
