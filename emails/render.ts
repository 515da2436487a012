import { render } from "@react-email/render";
import type { ReactElement } from "react";

export type RenderedEmail = { html: string; text: string };

// html-to-text shouts headings in capitals by default; a survey title or a customer's name
// in capitals reads as alarm, so keep them as written.
const headings = ["h1", "h2", "h3"].map((selector) => ({
  selector,
  options: { uppercase: false },
}));

/** HTML and plain-text parts of one email, for the outbox; both renders are pure. */
export async function renderEmail(element: ReactElement): Promise<RenderedEmail> {
  const [html, text] = await Promise.all([
    render(element),
    render(element, { plainText: true, htmlToTextOptions: { selectors: headings } }),
  ]);
  return { html, text };
}
