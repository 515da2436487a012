import { Link } from "@remix-run/react";
import type { SerializeFrom } from "@remix-run/node";
import type { ReactNode } from "react";
import { describeAgreement, type DealComparison, type ReasonSet } from "~/domain/winloss";
import type { DealBuyerResponse } from "~/domain/winloss.server";
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

const listOf = (reasons: string[]) => (reasons.length > 0 ? reasons.map(humanize).join(", ") : "None given");

function ReasonList({ reasons }: { reasons: ReasonSet }) {
  return (
    <dl className="grid gap-3 sm:grid-cols-2">
      <div>
        <dt className="text-sm text-slate-600">Main reason</dt>
        <dd className="mt-1 font-semibold">{reasons.primary ? humanize(reasons.primary) : "None given"}</dd>
      </div>
      <div>
        <dt className="text-sm text-slate-600">Other reasons</dt>
        <dd className="mt-1">{listOf(reasons.secondary)}</dd>
      </div>
    </dl>
  );
}

function SideCard({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card min-w-0 p-4" aria-labelledby={id}>
      <h3 id={id} className="mb-3 font-semibold">
        {title}
      </h3>
      {children}
    </section>
  );
}

/** What the seller said when the deal closed, with when it was sealed. */
function SellerCard({
  reasons,
  note,
  sealedAt,
  recordHref,
}: {
  reasons: ReasonSet | null;
  note: string | null;
  sealedAt: string | null;
  recordHref?: string;
}) {
  return (
    <SideCard id="seller-reasons-heading" title="The seller’s reasons">
      {reasons ? (
        <>
          <ReasonList reasons={reasons} />
          {note ? (
            <blockquote className="mt-3 border-l-4 border-slate-200 pl-3 text-sm">{note}</blockquote>
          ) : null}
          {sealedAt ? (
            <p className="mt-3 text-xs text-slate-500">
              Sealed <time dateTime={sealedAt}>{formatMoment(sealedAt)}</time>, when the deal closed: it
              cannot be changed.
            </p>
          ) : null}
        </>
      ) : (
        <>
          <p className="text-sm text-slate-600">
            Not recorded yet. The deal closed without the seller&rsquo;s reasons (from the CRM or an import);
            the seller is asked to record them, and once saved they are sealed like any other.
          </p>
          {recordHref ? (
            <p className="mt-3">
              <Link to={recordHref} className="btn-secondary">
                Record the seller&rsquo;s reasons
              </Link>
            </p>
          ) : null}
        </>
      )}
    </SideCard>
  );
}

function BuyerCard({
  comparison,
  withheld,
}: {
  comparison: SerializeFrom<DealComparison> | null;
  withheld: boolean;
}) {
  const buyer = comparison?.buyer ?? null;
  return (
    <SideCard id="buyer-reasons-heading" title="The buyer’s reasons">
      {withheld ? (
        <p className="text-sm text-slate-600">
          Hidden until the seller&rsquo;s reasons are recorded, so that what the seller says is their own
          account and not a reply to the buyer.
        </p>
      ) : buyer ? (
        <>
          <ReasonList reasons={buyer} />
          <p className="mt-3 text-xs text-slate-500">
            {buyer.respondents === 1
              ? "From one respondent's answers."
              : `From ${buyer.respondents} respondents' latest answers. The main reason is the one given by the most respondents (${buyer.primaryVotes} of ${buyer.respondents}); a tie goes to the reason earlier in the reason list.`}
          </p>
        </>
      ) : (
        <p className="text-sm text-slate-600">
          The buyer has not answered yet. Their reasons appear here when a buyer contact completes the
          win/loss survey, or an interviewer records the conversation on their behalf.
        </p>
      )}
    </SideCard>
  );
}

/** The agreement, the overlap and the price flag, in words. */
function Findings({ comparison }: { comparison: SerializeFrom<DealComparison> }) {
  const agreement = describeAgreement(comparison, humanize);
  if (!agreement) return null;
  const tone =
    comparison.primaryAgrees === true
      ? "bg-emerald-50 text-emerald-900"
      : comparison.primaryAgrees === false
        ? "bg-amber-50 text-amber-900"
        : "bg-slate-50 text-slate-800";
  return (
    <div className="mb-4 space-y-2" aria-label="How the two sides compare" role="group">
      <p className={`rounded-md p-3 text-sm font-medium ${tone}`}>{agreement}</p>
      <p className="text-sm text-slate-700">
        {comparison.anyOverlap
          ? `Both sides name ${listOf(comparison.shared)}.`
          : "The two sides name no reason in common."}
      </p>
      {comparison.priceGap ? (
        <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          <strong className="font-semibold">Price attribution:</strong> the seller named price, and no buyer
          response mentions it at all.
        </p>
      ) : null}
    </div>
  );
}

/**
 * A closed deal's seller and buyer, side by side: each side's main and other reasons, whether they
 * agree, and the price attribution flag. Read-only for everyone; the seller's side never changes.
 */
export function SideBySide({
  seller,
  note,
  sealedAt,
  comparison,
  withheld,
  recordHref,
}: {
  seller: ReasonSet | null;
  note: string | null;
  sealedAt: string | null;
  comparison: SerializeFrom<DealComparison> | null;
  withheld: boolean;
  /** Where the seller's reasons are recorded, when the viewer may and they are still missing. */
  recordHref?: string;
}) {
  return (
    <section className="mt-8" aria-labelledby="side-by-side-heading">
      <h2 id="side-by-side-heading" className="mb-3 text-lg font-semibold">
        Seller and buyer
      </h2>
      {comparison && !withheld ? <Findings comparison={comparison} /> : null}
      <div className="grid gap-4 md:grid-cols-2 print:grid-cols-2">
        <SellerCard reasons={seller} note={note} sealedAt={sealedAt} recordHref={recordHref} />
        <BuyerCard comparison={comparison} withheld={withheld} />
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

function ResponseDetail({ detail }: { detail: SerializeFrom<DealBuyerResponse> }) {
  const named = detail.reasons.primary || detail.reasons.secondary.length > 0;
  return (
    <div className="mt-2 space-y-2 text-sm">
      {detail.source === "interview" && detail.interviewerName ? (
        <p className="text-xs text-slate-500">Interview recorded by {detail.interviewerName}.</p>
      ) : null}
      {named ? (
        <p>
          <span className="text-slate-600">Main reason:</span>{" "}
          {detail.reasons.primary ? humanize(detail.reasons.primary) : "none given"}
          {detail.reasons.secondary.length > 0 ? (
            <>
              {" · "}
              <span className="text-slate-600">Other reasons:</span> {listOf(detail.reasons.secondary)}
            </>
          ) : null}
          {detail.counted ? null : (
            <span className="text-slate-500"> (superseded by this person&rsquo;s later answers)</span>
          )}
        </p>
      ) : null}
      {detail.comments.map((comment) => (
        <figure key={comment.question}>
          <figcaption className="text-xs text-slate-500">{comment.title}</figcaption>
          <blockquote className="mt-0.5 whitespace-pre-line border-l-4 border-slate-200 pl-3">
            “{comment.text}”
          </blockquote>
        </figure>
      ))}
    </div>
  );
}

/**
 * The buyer's answers linked to this deal: who answered what and when, and — once the seller's
 * reasons are sealed — the reasons each response gives and the buyer's own words.
 */
export function BuyerSide({
  responses,
  details,
}: {
  responses: BuyerResponseRow[];
  details: SerializeFrom<DealBuyerResponse>[] | null;
}) {
  const detailOf = new Map((details ?? []).map((d) => [d.id, d]));
  return (
    <section className="mt-8" aria-labelledby="buyer-side-heading">
      <h2 id="buyer-side-heading" className="mb-3 text-lg font-semibold">
        Buyer&rsquo;s answers
      </h2>
      {responses.length === 0 ? (
        <p className="card border-dashed p-6 text-sm text-slate-600">
          No buyer answers yet. After the deal closes and the seller&rsquo;s reasons are in, buyer contacts
          are invited to the win/loss survey, or an interviewer records a conversation from the
          contact&rsquo;s page.
        </p>
      ) : (
        <ul className="card divide-y divide-slate-100" aria-label="Buyer answers">
          {responses.map((response) => {
            const detail = detailOf.get(response.id);
            return (
              <li key={response.id} className="px-4 py-3 text-sm">
                <div className="flex flex-wrap items-center justify-between gap-2">
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
                </div>
                {detail ? <ResponseDetail detail={detail} /> : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export interface FollowupView {
  status: "waiting_for_seller" | "scheduled" | "invited" | "task_opened" | "skipped";
  action: "survey" | "interview" | "none";
  ruleSummary: string;
  skipReason: string | null;
  dueAt: string;
  campaignId: string | null;
  interviewTaskId: string | null;
}

/** What Rapport does next about the buyer's side of a closed deal (docs/winloss-program.md). */
export function FollowupStatus({ followup }: { followup: FollowupView }) {
  const asking = followup.action === "interview" ? "an interview with the buyer" : "the win/loss survey";
  let text: ReactNode;
  switch (followup.status) {
    case "waiting_for_seller":
      text = <>Waiting for the seller&rsquo;s reasons: the buyers are asked only after they are sealed.</>;
      break;
    case "scheduled":
      text = (
        <>
          {followup.action === "interview" ? "An interview task opens" : "The buyers get the win/loss survey"}{" "}
          <time dateTime={followup.dueAt}>{formatMoment(followup.dueAt)}</time>.
        </>
      );
      break;
    case "invited":
      text = followup.campaignId ? (
        <>
          The buyers were sent {asking}:{" "}
          <Link to={`/campaigns/${followup.campaignId}`} className="text-indigo-700 hover:underline">
            see the campaign
          </Link>
          .
        </>
      ) : (
        <>The buyers were sent {asking}.</>
      );
      break;
    case "task_opened":
      text = followup.interviewTaskId ? (
        <>
          An interview task is open:{" "}
          <Link to={`/interviews/${followup.interviewTaskId}`} className="text-indigo-700 hover:underline">
            see the task
          </Link>
          .
        </>
      ) : (
        <>An interview task was opened.</>
      );
      break;
    case "skipped":
      text = <>No buyer follow-up: {followup.skipReason ?? "skipped"}.</>;
      break;
  }
  return (
    <section className="mt-8" aria-labelledby="followup-heading">
      <h2 id="followup-heading" className="mb-3 text-lg font-semibold">
        Buyer follow-up
      </h2>
      <div className="card p-4 text-sm">
        <p>{text}</p>
        <p className="mt-1 text-xs text-slate-500">Rule: {followup.ruleSummary}</p>
      </div>
    </section>
  );
}
