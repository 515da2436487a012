import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { formValues } from "~/components/opportunity-form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { PageHeader } from "~/components/page-header";
import { SellerReasonsForm } from "~/components/seller-reasons-form";
import type { AccountAccess } from "~/domain/access";
import {
  MAX_SECONDARY_REASONS,
  accountIdOfOpportunity,
  getOpportunity,
  recordSellerReasons,
  type OpportunityFieldErrors,
} from "~/domain/opportunities.server";
import { getFollowup } from "~/domain/winloss-followups.server";
import { FOLLOW_UP_STATUS_LABELS, describeAction } from "~/domain/winloss-program";
import { isUuid, requireAccountAccess, requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { runWinlossFollowupsSoon } from "~/lib/jobs.server";
import { humanize } from "~/lib/format";

/** Signed in and allowed `access` to the deal's account; an unknown or malformed id is a 404. */
async function requireDeal(request: Request, opportunityId: string | undefined, access: AccountAccess) {
  const user = await requireUser(request);
  const accountId =
    opportunityId && isUuid(opportunityId) ? await accountIdOfOpportunity(getDb(), opportunityId) : null;
  if (!accountId) throw new Response("No such opportunity.", { status: 404 });
  await requireAccountAccess(user, accountId, access);
  return { user, opportunityId: opportunityId! };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, opportunityId } = await requireDeal(request, params.opportunityId, "view");
  const db = getDb();
  const [deal, followup] = await Promise.all([
    getOpportunity(db, opportunityId),
    getFollowup(db, opportunityId),
  ]);
  if (!deal) throw new Response("No such opportunity.", { status: 404 });
  return json({
    deal,
    followup: followup && {
      status: followup.status,
      statusLabel: FOLLOW_UP_STATUS_LABELS[followup.status],
      then: describeAction(followup.action, followup.delayDays),
      dueAt: followup.dueAt.toISOString(),
      skipReason: followup.skipReason,
    },
    // seeing a manager's account means being on its team, which is edit access too; leaders only read
    canRecord: user.role !== "leader" && deal.outcome !== "open" && !deal.sellerReasonsAt,
    maxSecondaryReasons: MAX_SECONDARY_REASONS,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { opportunityId } = await requireDeal(request, params.opportunityId, "edit");
  const outcome = await recordSellerReasons(getDb(), opportunityId, formValues(await request.formData()));
  switch (outcome.status) {
    case "saved":
      await runWinlossFollowupsSoon();
      return redirect(`/opportunities/${opportunityId}/reasons?saved=1`);
    case "invalid":
      return json(
        { formError: null, fieldErrors: outcome.fieldErrors as OpportunityFieldErrors },
        { status: 400 },
      );
    case "conflict":
      return json({ formError: outcome.message, fieldErrors: {} as OpportunityFieldErrors }, { status: 409 });
    case "not_found":
      throw new Response("No such opportunity.", { status: 404 });
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Seller's reasons · ${data?.deal.name ?? "Opportunity"} · Rapport` },
];

const day = (iso: string) =>
  new Date(iso).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });

export default function SellerReasonsPage() {
  const { deal, followup, canRecord, maxSecondaryReasons } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const justSealed = searchParams.get("saved") === "1" && !result;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to={`/opportunities/${deal.id}`} className="text-indigo-700 hover:underline">
          ← {deal.name}
        </Link>
      </p>
      <PageHeader
        title={deal.sellerReasonsAt ? "The seller's reasons" : "Record your reasons"}
        description={`${deal.name} at ${deal.accountName} · ${humanize(deal.outcome)}${deal.closeDate ? ` · closed ${day(deal.closeDate)}` : ""}`}
      />
      {justSealed ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          Sealed. The buyers&rsquo; side will sit beside your reasons.
        </p>
      ) : null}
      {deal.outcome === "open" ? (
        <p className="card p-4 text-sm">
          This deal is still open. Record the reasons when you close it,{" "}
          <Link to={`/opportunities/${deal.id}`} className="font-medium text-indigo-700 hover:underline">
            on the deal page
          </Link>
          .
        </p>
      ) : deal.sellerReasonsAt ? (
        <SealedReasons deal={deal} />
      ) : canRecord ? (
        <div className="card p-4">
          <p className="mb-4 max-w-prose text-sm text-slate-600">
            This deal closed without the seller&rsquo;s reasons (from an import or the CRM). Say why it ended
            the way it did before any buyer is asked: until you do, nobody is. Once saved, the reasons are
            sealed and cannot change.
          </p>
          <SellerReasonsForm
            dealName={deal.name}
            maxSecondaryReasons={maxSecondaryReasons}
            formError={result?.formError}
            fieldErrors={result?.fieldErrors}
          />
        </div>
      ) : (
        <p className="card p-4 text-sm">
          The seller has not recorded their reasons yet{deal.sellerName ? ` (${deal.sellerName})` : ""}. Until
          they do, no buyer is asked.
        </p>
      )}
      {followup ? (
        <section aria-labelledby="followup-heading" className="card mt-6 p-4 text-sm">
          <h2 id="followup-heading" className="font-semibold">
            Follow-up with the buyers
          </h2>
          <p className="mt-1">
            {followup.statusLabel}
            {followup.status === "scheduled"
              ? ` · ${followup.then.toLowerCase()}, due ${day(followup.dueAt)}`
              : ""}
            {followup.status === "waiting_for_seller" ? ` · then ${followup.then.toLowerCase()}` : ""}
            {followup.skipReason ? ` · ${followup.skipReason}` : ""}
          </p>
        </section>
      ) : null}
    </>
  );
}

function SealedReasons({
  deal,
}: {
  deal: {
    sellerPrimaryReason: string | null;
    sellerSecondaryReasons: string[] | null;
    sellerReasonNote: string | null;
    sellerReasonsAt: string | null;
  };
}) {
  return (
    <dl className="card grid gap-3 p-4 text-sm sm:grid-cols-3">
      <div>
        <dt className="text-slate-600">Main reason</dt>
        <dd className="font-semibold">
          {deal.sellerPrimaryReason ? humanize(deal.sellerPrimaryReason) : "—"}
        </dd>
      </div>
      <div>
        <dt className="text-slate-600">Other reasons</dt>
        <dd>{(deal.sellerSecondaryReasons ?? []).map(humanize).join(", ") || "None"}</dd>
      </div>
      <div>
        <dt className="text-slate-600">Sealed</dt>
        <dd>{deal.sellerReasonsAt ? day(deal.sellerReasonsAt) : "—"}</dd>
      </div>
      {deal.sellerReasonNote ? (
        <div className="sm:col-span-3">
          <dt className="text-slate-600">In a sentence</dt>
          <dd>{deal.sellerReasonNote}</dd>
        </div>
      ) : null}
    </dl>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
