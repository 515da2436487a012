import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CampaignForm } from "~/components/campaign-form";
import { PageHeader } from "~/components/page-header";
import { campaignAllows } from "~/domain/campaigns";
import {
  campaignFieldErrors,
  campaignFormOptions,
  campaignFormValues,
  campaignInputSchema,
  getCampaign,
  submittedCampaignValues,
  updateCampaign,
} from "~/domain/campaigns.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";

const NOT_FOUND = "No such campaign.";
const LOCKED = "This campaign has launched: what was sent stands. Pause or cancel it instead.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["admin"] });
  const found = await getCampaign(getDb(), params.campaignId ?? "");
  if (!found) throw new Response(NOT_FOUND, { status: 404 });
  if (!campaignAllows(found.campaign.status, "edit")) throw new Response(LOCKED, { status: 409 });
  const options = await campaignFormOptions(getDb());
  return json({
    id: found.campaign.id,
    name: found.campaign.name,
    options,
    values: campaignFormValues(found.campaign),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireUser(request, { roles: ["admin"] });
  const campaignId = params.campaignId ?? "";
  if (!(await getCampaign(getDb(), campaignId))) throw new Response(NOT_FOUND, { status: 404 });
  const values = submittedCampaignValues(await request.formData());
  const parsed = campaignInputSchema.safeParse(values);
  if (!parsed.success)
    return json({ fieldErrors: campaignFieldErrors(parsed.error), values }, { status: 400 });
  const result = await updateCampaign(getDb(), campaignId, parsed.data);
  if (result.status === "not_editable") throw new Response(LOCKED, { status: 409 });
  if (result.status === "invalid") return json({ fieldErrors: result.fieldErrors, values }, { status: 400 });
  return redirect(`/campaigns/${campaignId}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Edit ${data?.name ?? "campaign"} · Rapport` },
];

export default function EditCampaign() {
  const { id, name, options, values } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to={`/campaigns/${id}`} className="text-indigo-700 hover:underline">
          ← {name}
        </Link>
      </p>
      <PageHeader title={`Edit ${name}`} />
      <CampaignForm
        values={(actionData?.values as typeof values | undefined) ?? values}
        errors={actionData?.fieldErrors}
        options={options}
        submitLabel="Save and preview recipients"
        cancelTo={`/campaigns/${id}`}
      />
    </>
  );
}
