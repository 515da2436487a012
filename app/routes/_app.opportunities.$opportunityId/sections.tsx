import { Link } from "@remix-run/react";
import { formatCents, humanize } from "~/lib/format";

/** "2025-03-04" → "4 Mar 2025" (a calendar day, so no time zone shifts it). */
export function formatDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", { dateStyle: "medium", timeZone: "UTC" });
}

const dollarsAndCents = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** A deal's amount exactly: whole dollars as usual, cents only when there are some ($1,234.50). */
export function formatDealAmount(cents: number): string {
  return cents % 100 === 0 ? formatCents(cents) : dollarsAndCents.format(cents / 100);
}

function formatMoment(iso: string): string {
  return `${new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`;
}

/** What the seller said when the deal closed, with when it was sealed. */
export function SellerReasons({
  primary,
  secondary,
  note,
  sealedAt,
}: {
  primary: string;
  secondary: string[];
  note: string | null;
  sealedAt: string | null;
}) {
  return (
    <section className="mt-8" aria-labelledby="seller-reasons-heading">
      <h2 id="seller-reasons-heading" className="mb-3 text-lg font-semibold">
        The seller&rsquo;s reasons
      </h2>
      <div className="card p-4">
        <dl className="grid gap-3 sm:grid-cols-2">
          <div>
            <dt className="text-sm text-slate-600">Main reason</dt>
            <dd className="mt-1 font-semibold">{humanize(primary)}</dd>
          </div>
          <div>
            <dt className="text-sm text-slate-600">Other reasons</dt>
            <dd className="mt-1">
              {secondary.length > 0 ? secondary.map(humanize).join(", ") : "None given"}
            </dd>
          </div>
        </dl>
        {note ? (
          <blockquote className="mt-3 border-l-4 border-slate-200 pl-3 text-sm">{note}</blockquote>
        ) : null}
        {sealedAt ? (
          <p className="mt-3 text-xs text-slate-500">
            Sealed <time dateTime={sealedAt}>{formatMoment(sealedAt)}</time>, when the deal closed: it cannot
            be changed.
          </p>
        ) : null}
      </div>
    </section>
  );
}

export interface BuyerResponseRow {
  id: string;
  surveyTitle: string;
  contactId: string | null;
  contactName: string | null;
  source: string;
  isComplete: boolean;
  completedAt: string | null;
}

/**
 * The buyer's answers linked to this deal. Only who answered what, and when: the
 * side-by-side comparison with the seller's reasons comes with the win/loss program.
 */
export function BuyerSide({ responses }: { responses: BuyerResponseRow[] }) {
  return (
    <section className="mt-8" aria-labelledby="buyer-side-heading">
      <h2 id="buyer-side-heading" className="mb-3 text-lg font-semibold">
        Buyer&rsquo;s side
      </h2>
      {responses.length === 0 ? (
        <p className="card border-dashed p-6 text-sm text-slate-600">
          No buyer answers yet — the win/loss survey arrives with the win/loss program.
        </p>
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-600">
            Answers from the buyer&rsquo;s side linked to this deal. Setting them beside the seller&rsquo;s
            reasons comes with the win/loss program.
          </p>
          <ul className="card divide-y divide-slate-100" aria-label="Buyer answers">
            {responses.map((response) => (
              <li
                key={response.id}
                className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm"
              >
                <span>
                  {response.surveyTitle}
                  {response.source === "interview" ? " (interview)" : ""}{" "}
                  <span className="text-slate-500">
                    ·{" "}
                    {response.contactId && response.contactName ? (
                      <Link
                        to={`/contacts/${response.contactId}`}
                        className="text-indigo-700 hover:underline"
                      >
                        {response.contactName}
                      </Link>
                    ) : (
                      "a contact no longer on record"
                    )}
                  </span>
                </span>
                <span className="rounded-full bg-slate-100 px-2 py-1 text-xs">
                  {response.completedAt ? (
                    <>
                      Completed{" "}
                      <time dateTime={response.completedAt}>{formatMoment(response.completedAt)}</time>
                    </>
                  ) : (
                    "Not finished"
                  )}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
