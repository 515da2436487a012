/**
 * "2025-06-30" → "June 30, 2025". Read as a calendar date (UTC) so the day never shifts
 * with the server's zone; anything that is not a real YYYY-MM-DD is shown as given rather
 * than crashing a send.
 */
export function formatCalendarDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(m) - 1) return isoDate;
  return date.toLocaleDateString("en-US", { timeZone: "UTC", dateStyle: "long" });
}

/**
 * A moment in the reader's zone with the zone named, e.g. "Thu, June 12, 2025 at 2:00 PM UTC",
 * so a deadline is never ambiguous. An unparseable value or unknown zone falls back to
 * something readable instead of throwing.
 */
export function formatMoment(value: Date | string, timeZone = "UTC"): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const options: Intl.DateTimeFormatOptions = {
    weekday: "short",
    month: "long",
    day: "numeric",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  };
  try {
    return date.toLocaleString("en-US", { ...options, timeZone });
  } catch {
    return date.toLocaleString("en-US", { ...options, timeZone: "UTC" });
  }
}

/**
 * "Maya Chen, Account manager at Acme, asked us to send this." or, without a title,
 * "Maya Chen at Acme asked us to send this." The customer should know which person is asking.
 */
export function askedUsToSend(ownerName: string, companyName: string, ownerTitle?: string): string {
  const title = ownerTitle?.trim();
  return title
    ? `${ownerName}, ${title} at ${companyName}, asked us to send this.`
    : `${ownerName} at ${companyName} asked us to send this.`;
}
