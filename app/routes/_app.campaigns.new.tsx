import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CampaignForm } from "~/components/campaign-form";
import { PageHeader } from "~/components/page-header";
import {
  campaignFieldErrors,
  campaignFormOptions,
  campaignFormValues,
  campaignInputSchema,
  createCampaign,
  submittedCampaignValues,
} from "~/domain/campaigns.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["admin"] });
  const options = await campaignFormOptions(getDb());
  // The relationship survey is what most campaigns send.
  const relationship = options.surveys.find((s) => s.kind === "relationship");
  return json({ options, values: { ...campaignFormValues(), surveyVersionId: relationship?.id ?? "" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["admin"] });
  const values = submittedCampaignValues(await request.formData());
  const parsed = campaignInputSchema.safeParse(values);
  if (!parsed.success)
    return json({ fieldErrors: campaignFieldErrors(parsed.error), values }, { status: 400 });
  const result = await createCampaign(getDb(), user, parsed.data);
  if (result.status !== "saved") return json({ fieldErrors: result.fieldErrors, values }, { status: 400 });
  return redirect(`/campaigns/${result.campaignId}`);
}

export const meta: MetaFunction = () => [{ title: "New campaign · Rapport" }];

export default function NewCampaign() {
  const { options, values } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/campaigns" className="text-indigo-700 hover:underline">
          ← Campaigns
        </Link>
      </p>
      <PageHeader
        title="New campaign"
        description="Saved as a draft: next you see exactly who would be asked, and who not and why, before launching."
      />
      <CampaignForm
        values={(actionData?.values as typeof values | undefined) ?? values}
        errors={actionData?.fieldErrors}
        options={options}
        submitLabel="Save and preview recipients"
        cancelTo="/campaigns"
      />
    </>
  );
}
