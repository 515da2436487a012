import type { SerializeFrom } from "@remix-run/node";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { loader } from "./route";

/** The health section's data as the page receives it. */
export type Health = SerializeFrom<typeof loader>["health"];
type Confidence = Health["customer"]["health"]["confidence"];

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** "low confidence: 1 respondent"; "no data" when nothing stands behind the number. */
export function confidenceText(level: Confidence, count: number, noun: string): string {
  if (level === "none" || count === 0) return "no data";
  return `${level} confidence: ${plural(count, noun)}`;
}

/** A link to what is behind a number: an anchor on this page, or another page. */
export function SourceLink({
  href,
  className,
  children,
}: {
  href: string;
  className: string;
  children: ReactNode;
}) {
  // a plain anchor for the page's own sections: no navigation, no reload of the loader
  return href.startsWith("#") ? (
    <a href={href} className={className}>
      {children}
    </a>
  ) : (
    <Link to={href} className={className}>
      {children}
    </Link>
  );
}
