/**
 * The mail viewer's pure half, safe in the browser bundle (outbox-viewer.server.ts reads the
 * database). Kept free of db/schema so the page does not ship drizzle to the browser.
 */

/** The outbox's statuses in their lifecycle order; the same as `outbox_status` (a unit test checks). */
export const OUTBOX_STATUSES = ["pending", "sending", "sent", "failed", "cancelled"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * The HTML part as a standalone document whose links open in a new tab: a `<base
 * target="_blank">` goes first in its head (made when the message has none). A link in a
 * sandboxed frame that navigated the frame itself would show the page inside the mail.
 */
export function withLinksInNewTab(html: string): string {
  const base = '<base target="_blank">';
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head) {
    const end = head.index + head[0].length;
    return html.slice(0, end) + base + html.slice(end);
  }
  const root = /<html(\s[^>]*)?>/i.exec(html);
  if (root) {
    const end = root.index + root[0].length;
    return `${html.slice(0, end)}<head>${base}</head>${html.slice(end)}`;
  }
  return `<head>${base}</head>${html}`;
}
