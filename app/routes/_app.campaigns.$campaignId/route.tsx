import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CampaignStatusBadge } from "~/components/campaign-status-badge";
import { FormError } from "~/components/form-error";
import { PageHeader } from "~/components/page-header";
import {
  accountsWithoutAnswer,
  campaignFunnel,
  campaignOutboxState,
  campaignResponseRates,
} from "~/domain/campaign-report.server";
import { campaignAllows } from "~/domain/campaigns";
import { campaignRecipientsView, getCampaign } from "~/domain/campaigns.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { emailSettings } from "~/lib/email.server";
import { mailViewerOn } from "~/lib/mail-viewer.server";
import { useRevalidateEvery } from "~/lib/use-revalidate-every";
import { CAMPAIGN_READERS } from "../_app.campaigns._index";
import { CampaignActions } from "./campaign-actions";
import { runCampaignAction } from "~/domain/campaign-actions.server";
import { CampaignSettings } from "./campaign-settings";
import { RecipientsSection } from "./recipients-section";
import { ResultsSection } from "./results-section";

const NOT_FOUND = "No such campaign.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: CAMPAIGN_READERS });
  const db = getDb();
  const found = await getCampaign(db, params.campaignId ?? "");
  if (!found) throw new Response(NOT_FOUND, { status: 404 });
  const { campaign } = found;
  const recipients = await campaignRecipientsView(db, campaign, new Date());
  const launched = !recipients.preview;
  const [funnel, rates, silent, mail] = launched
    ? await Promise.all([
        campaignFunnel(db, campaign.id),
        campaignResponseRates(db, campaign.id),
        accountsWithoutAnswer(db, campaign.id),
        campaignOutboxState(db, campaign.id),
      ])
    : [null, null, null, null];
  const can = (action: Parameters<typeof campaignAllows>[1]) =>
    user.role === "admin" && campaignAllows(campaign.status, action);
  return json({
    ...found,
    recipients,
    results: funnel && rates && silent && mail ? { funnel, rates, silent, mail } : null,
    delivering: Boolean(emailSettings().apiKey),
    mailViewer: user.role === "admin" && mailViewerOn(),
    can: {
      edit: can("edit"),
      launch: can("launch"),
      schedule: can("schedule"),
      pause: can("pause"),
      resume: can("resume"),
      cancel: can("cancel"),
      remind: can("remind"),
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireUser(request, { roles: ["admin"] });
  const result = await runCampaignAction(getDb(), params.campaignId ?? "", await request.formData());
  if (result.status === "not_found") throw new Response(NOT_FOUND, { status: 404 });
  if (result.status === "error")
    return json({ error: result.message, notice: null }, { status: result.httpStatus });
  return json({ error: null, notice: result.notice });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.campaign.name ?? "Campaign"} · Rapport` },
];

export default function CampaignPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { campaign, recipients, results } = data;
  // While invitations are being written or mail is on its way, keep the numbers moving.
  const inProgress =
    results !== null &&
    (campaign.status === "sending" || campaign.status === "paused") &&
    (results.mail.pending > 0 ||
      results.mail.sending > 0 ||
      results.funnel.invited < results.funnel.recipients);
  useRevalidateEvery(2000, inProgress && campaign.status === "sending");

  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/campaigns" className="text-indigo-700 hover:underline">
          ← Campaigns
        </Link>
      </p>
      <PageHeader
        title={campaign.name}
        description={
          <>
            <CampaignStatusBadge status={campaign.status} /> · {data.surveyTitle} (version{" "}
            {data.surveyVersion}){data.createdByName ? ` · created by ${data.createdByName}` : ""}
          </>
        }
        actions={
          data.can.edit ? (
            <Link to={`/campaigns/${campaign.id}/edit`} className="btn-secondary">
              Edit
            </Link>
          ) : null
        }
      />
      <div className="space-y-6">
        <FormError message={actionData?.error ?? undefined} />
        {actionData?.notice ? (
          <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
            {actionData.notice}
          </p>
        ) : null}
        <CampaignActions campaign={campaign} can={data.can} invitedCount={recipients.invitedCount} />
        <CampaignSettings campaign={campaign} />
        {results ? (
          <ResultsSection
            campaign={campaign}
            results={results}
            inProgress={inProgress}
            delivering={data.delivering}
            mailViewer={data.mailViewer}
          />
        ) : null}
        <RecipientsSection recipients={recipients} />
      </div>
    </>
  );
}
