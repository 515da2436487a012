import { withLinksInNewTab } from "~/domain/outbox-viewer";

/**
 * An email's HTML part, rendered as the recipient's mail client would, in a sandbox: no
 * scripts, no forms, no access to the app's origin or cookies. Popups are allowed (and escape
 * the sandbox) so a link opens as an ordinary page in a new tab and works locally.
 */
export function EmailPreview({ html, title }: { html: string; title: string }) {
  return (
    <iframe
      title={title}
      srcDoc={withLinksInNewTab(html)}
      sandbox="allow-popups allow-popups-to-escape-sandbox"
      referrerPolicy="no-referrer"
      className="block h-[70vh] min-h-80 w-full bg-white"
    />
  );
}
