import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { z } from "zod";
import { PageHeader } from "~/components/page-header";
import {
  CloseOpportunityForm,
  OpportunityForm,
  centsToUnits,
  formValues,
  type FormResult,
} from "~/components/opportunity-form";
import {
  MAX_SECONDARY_REASONS,
  closeOpportunity,
  getAccountTeam,
  getOpportunity,
  listOpportunityResponses,
  updateOpportunity,
  type OpportunityWriteOutcome,
} from "~/domain/opportunities.server";
import { sellerReasonSet } from "~/domain/winloss";
import { getDealWinloss } from "~/domain/winloss.server";
import { getDb } from "~/lib/db.server";
import { runWinlossFollowupsSoon } from "~/lib/jobs.server";
import { getEnv } from "~/lib/env.server";
import { humanize } from "~/lib/format";
import { requireOpportunityAccess } from "./opportunity-access.server";
import { BuyerSide, FollowupStatus, SideBySide, formatDay, formatDealAmount } from "./sections";
import { getFollowup } from "~/domain/winloss-followups.server";
import { CAMPAIGN_READERS } from "~/routes/_app.campaigns._index";

const intentSchema = z.enum(["update", "close"]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, opportunityId } = await requireOpportunityAccess(request, params.opportunityId, "view");
  const db = getDb();
  const [opportunity, buyerResponses, winloss, followup] = await Promise.all([
    getOpportunity(db, opportunityId),
    listOpportunityResponses(db, opportunityId),
    getDealWinloss(db, opportunityId, { companyName: getEnv().COMPANY_NAME }),
    getFollowup(db, opportunityId),
  ]);
  if (!opportunity) throw new Response("No such opportunity.", { status: 404 });
  // the buyer's reasons and words wait for the seller's sealed reasons: what the seller records
  // must be their own account, not a reply to what the buyer said
  const buyerWithheld = !opportunity.sellerReasonsAt;
  // viewing a manager's account means being on its team, which is edit access too; leaders only read
  const canEdit = user.role !== "leader" && opportunity.outcome === "open";
  const team = canEdit ? ((await getAccountTeam(db, opportunity.accountId))?.team ?? []) : [];
  return json({
    opportunity,
    buyerResponses,
    winloss: buyerWithheld ? null : winloss,
    buyerWithheld,
    followup: followup && {
      status: followup.status,
      action: followup.action,
      ruleSummary: followup.ruleSummary,
      skipReason: followup.skipReason,
      dueAt: followup.dueAt,
      // the campaign page is for those who run campaigns
      campaignId: (CAMPAIGN_READERS as readonly string[]).includes(user.role) ? followup.campaignId : null,
      interviewTaskId: followup.interviewTaskId,
    },
    // a deal closed by the CRM or an import waits for its seller's reasons (recorded on /reasons)
    canRecordReasons:
      user.role !== "leader" && opportunity.outcome !== "open" && !opportunity.sellerReasonsAt,
    team,
    canEdit,
    today: new Date().toISOString().slice(0, 10),
    maxSecondaryReasons: MAX_SECONDARY_REASONS,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { opportunityId } = await requireOpportunityAccess(request, params.opportunityId, "edit");
  const values = formValues(await request.formData());
  const intent = intentSchema.safeParse(values.intent);
  if (!intent.success) {
    return json<FormResult>(
      { formError: "Unknown action: use the form's Save or Close button.", fieldErrors: {} },
      { status: 400 },
    );
  }
  const outcome: OpportunityWriteOutcome =
    intent.data === "update"
      ? await updateOpportunity(getDb(), opportunityId, values)
      : await closeOpportunity(getDb(), opportunityId, values);
  switch (outcome.status) {
    case "saved":
      if (intent.data === "close") await runWinlossFollowupsSoon();
      return redirect(
        `/opportunities/${opportunityId}?saved=${intent.data === "update" ? "updated" : "closed"}`,
      );
    case "invalid":
      return json<FormResult>(
        { intent: intent.data, formError: null, fieldErrors: outcome.fieldErrors },
        { status: 400 },
      );
    case "conflict":
      return json<FormResult>(
        { intent: intent.data, formError: outcome.message, fieldErrors: {} },
        { status: 409 },
      );
    case "not_found":
      throw new Response("No such opportunity.", { status: 404 });
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.opportunity.name ?? "Opportunity"} · Rapport` },
];

const savedMessages: Record<string, string> = {
  updated: "Saved.",
  closed: "Closed. The seller's reasons are sealed; the buyer's side will sit beside them.",
};

export default function OpportunityPage() {
  const {
    opportunity: deal,
    buyerResponses,
    winloss,
    buyerWithheld,
    followup,
    canRecordReasons,
    team,
    canEdit,
    today,
    maxSecondaryReasons,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const saved = savedMessages[searchParams.get("saved") ?? ""];
  const isOpen = deal.outcome === "open";
  const amount = centsToUnits(deal.amountCents);
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to={`/accounts/${deal.accountId}`} className="text-indigo-700 hover:underline">
          ← {deal.accountName}
        </Link>
      </p>
      <PageHeader
        title={deal.name}
        description={
          isOpen
            ? `Open${deal.closeDate ? ` · expected to close ${formatDay(deal.closeDate)}` : ""}`
            : `${humanize(deal.outcome)}${deal.closeDate ? ` · closed ${formatDay(deal.closeDate)}` : ""}`
        }
      />
      {saved && !result ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          {saved}
        </p>
      ) : null}
      {result?.formError && (!canEdit || !result.intent) ? (
        <p role="alert" className="mb-4 rounded-md bg-red-50 p-3 text-sm text-red-800">
          {result.formError}
        </p>
      ) : null}
      <dl className="grid gap-4 sm:grid-cols-3 lg:grid-cols-5">
        <Fact label="Status">{isOpen ? "Open" : humanize(deal.outcome)}</Fact>
        <Fact label={isOpen ? "Amount" : "Final amount"}>{formatDealAmount(deal.amountCents)}</Fact>
        <Fact label={isOpen ? "Expected close" : "Closed on"}>
          {deal.closeDate ? formatDay(deal.closeDate) : "Not set"}
        </Fact>
        <Fact label="Competitor">{deal.competitor ?? "None recorded"}</Fact>
        <Fact label="Seller">{deal.sellerName ?? "No seller recorded"}</Fact>
      </dl>
      {!isOpen ? (
        <SideBySide
          seller={sellerReasonSet(deal.sellerPrimaryReason, deal.sellerSecondaryReasons)}
          note={deal.sellerReasonNote}
          sealedAt={deal.sellerReasonsAt}
          comparison={winloss?.comparison ?? null}
          withheld={buyerWithheld}
          recordHref={canRecordReasons ? `/opportunities/${deal.id}/reasons` : undefined}
        />
      ) : null}
      {followup ? <FollowupStatus followup={followup} /> : null}
      {canEdit ? (
        <div className="mt-8 space-y-4">
          <details className="card p-4" open={result?.intent === "update"}>
            <summary className="cursor-pointer font-semibold">Edit the deal</summary>
            <div className="mt-4">
              <OpportunityForm
                intent="update"
                defaults={{
                  name: deal.name,
                  amount,
                  closeDate: deal.closeDate ?? "",
                  competitor: deal.competitor ?? "",
                  sellerId: deal.sellerId ?? "",
                  sellerName: deal.sellerName,
                }}
                team={team}
                result={result}
                submitLabel="Save changes"
                pendingLabel="Saving…"
              />
            </div>
          </details>
          <details className="card p-4" open={result?.intent === "close"}>
            <summary className="cursor-pointer font-semibold">Close the deal</summary>
            <p className="mt-2 max-w-prose text-sm text-slate-600">
              Record why it ended the way it did, before any buyer is asked. Once saved, the reasons are
              sealed: they cannot be changed, and the deal cannot be reopened.
            </p>
            <div className="mt-4">
              <CloseOpportunityForm
                dealName={deal.name}
                defaults={{ closeDate: today, amount, competitor: deal.competitor ?? "" }}
                maxSecondaryReasons={maxSecondaryReasons}
                result={result}
              />
            </div>
          </details>
        </div>
      ) : null}
      <BuyerSide responses={buyerResponses} details={winloss?.responses ?? null} />
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="card p-4">
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="mt-1 font-semibold">{children}</dd>
    </div>
  );
}
