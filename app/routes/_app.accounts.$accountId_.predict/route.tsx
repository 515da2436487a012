import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useCallback } from "react";
import surveyStyles from "survey-core/survey-core.fontless.min.css";
import { z } from "zod";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { SurveyRunner } from "~/components/survey-runner";
import { createPrediction, firstName, getPredictionForm } from "~/domain/predictions.server";
import { requireAccountAccess, requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { jsonError, readJsonBody } from "~/lib/json-body.server";
import { ChooseSubject, SubjectSummary, type Subject } from "./choose-subject";
import { usePostMirror } from "./use-post-mirror";

/** The page's step one, from the URL: `?chosen=1&contact=<id>&campaign=<id>` (empty = none). */
const subjectSchema = z.object({
  chosen: z.string().optional(),
  contact: z.string().optional(),
  campaign: z.string().optional(),
});

/** What the page's fetch posts when the survey is complete. */
const predictionSchema = z.object({
  surveyVersionId: z.string({
    required_error: "is missing",
    invalid_type_error: "must be the mirror survey version's id",
  }),
  contactId: z.string({ invalid_type_error: "must be a contact id or null" }).nullable().default(null),
  campaignId: z.string({ invalid_type_error: "must be a campaign id or null" }).nullable().default(null),
  data: z.unknown(),
});

export const links: LinksFunction = () => [{ rel: "stylesheet", href: surveyStyles }];

// Predicting is team work: admins and the account's team; leaders read predictions, never make them.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const accountId = params.accountId ?? "";
  await requireAccountAccess(user, accountId, "edit");
  const form = await getPredictionForm(getDb(), accountId);
  if (!form) throw new Response("No such account.", { status: 404 });

  const search = subjectSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const contact = search.contact ? form.contacts.find((c) => c.id === search.contact) : null;
  if (search.contact && !contact) {
    throw new Response(
      `contact ${JSON.stringify(search.contact)} is not a contact of ${form.account.name}.`,
      {
        status: 400,
      },
    );
  }
  const campaign = search.campaign ? form.campaigns.find((c) => c.id === search.campaign) : null;
  if (search.campaign && !campaign) {
    throw new Response(
      `campaign ${JSON.stringify(search.campaign)} is not a campaign that is still to come. Choose again.`,
      { status: 400 },
    );
  }
  const nothingToChoose = form.contacts.length === 0 && form.campaigns.length === 0;
  return json({
    account: form.account,
    choices: { contacts: form.contacts, campaigns: form.campaigns },
    subject: { contact: contact ?? null, campaign: campaign ?? null } satisfies Subject,
    chosen: nothingToChoose || search.chosen === "1",
    nothingToChoose,
    survey: form.survey,
    variables: {
      company: getEnv().COMPANY_NAME,
      contact: contact ? firstName(contact.name) : "the customer",
    },
  });
}

/** The completed mirror survey, posted as JSON `{ surveyVersionId, contactId, campaignId, data }`. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const accountId = params.accountId ?? "";
  await requireAccountAccess(user, accountId, "edit");
  if (request.method !== "POST") return jsonError(405, "Use POST.");
  const body = await readJsonBody(request);
  const parsed = predictionSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".") || "body";
    const value = typeof body === "object" && body !== null ? (body as Record<string, unknown>)[field] : body;
    return jsonError(400, `${field} ${issue.message} (got ${JSON.stringify(value) ?? "nothing"}).`, {
      field,
    });
  }
  const { surveyVersionId, contactId, campaignId, data } = parsed.data;
  const outcome = await createPrediction(getDb(), {
    accountId,
    authorId: user.id,
    surveyVersionId,
    contactId,
    campaignId,
    data,
  });
  switch (outcome.status) {
    case "refused":
      return jsonError(400, outcome.message, { field: outcome.field });
    case "invalid":
      return jsonError(422, "Some answers need another look.", { errors: outcome.errors });
    case "created":
      return redirect(`/accounts/${accountId}?predicted=1`);
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Predict: ${data?.account.name ?? "an account"} · Rapport` },
];

export default function PredictPage() {
  const { account, choices, subject, chosen, nothingToChoose, survey, variables } =
    useLoaderData<typeof loader>();
  const changeSearch = new URLSearchParams();
  if (subject.contact) changeSearch.set("contact", subject.contact.id);
  if (subject.campaign) changeSearch.set("campaign", subject.campaign.id);
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to={`/accounts/${account.id}`} className="text-indigo-700 hover:underline">
          ← {account.name}
        </Link>
      </p>
      <PageHeader
        title={`What will ${account.name} say?`}
        description="Seal your prediction before the customer answers. Nobody else sees it until they have; from then on it is locked and shown beside their answers."
      />
      {!survey ? (
        <EmptyState title="No mirror survey yet">
          An admin adds one as a survey of kind &ldquo;mirror&rdquo;; the files in surveys/ are imported when
          Rapport starts.
        </EmptyState>
      ) : !chosen ? (
        <ChooseSubject choices={choices} current={subject} />
      ) : (
        <>
          <SubjectSummary subject={subject} changeHref={nothingToChoose ? null : `?${changeSearch}`} />
          <MirrorSurvey
            // the contact's name is part of the questions, so another contact is another survey
            key={`${subject.contact?.id ?? "account"}:${subject.campaign?.id ?? "next"}`}
            survey={survey}
            variables={variables}
            contactId={subject.contact?.id ?? null}
            campaignId={subject.campaign?.id ?? null}
          />
        </>
      )}
    </>
  );
}

function MirrorSurvey({
  survey,
  variables,
  contactId,
  campaignId,
}: {
  survey: { versionId: string; title: string; model: object };
  variables: Record<string, string>;
  contactId: string | null;
  campaignId: string | null;
}) {
  const body = useCallback(
    (data: Record<string, unknown>) => ({ surveyVersionId: survey.versionId, contactId, campaignId, data }),
    [survey.versionId, contactId, campaignId],
  );
  const submit = usePostMirror(body);
  return (
    <section aria-label={survey.title}>
      <SurveyRunner
        json={survey.model}
        variables={variables}
        onSubmit={submit}
        completedHtml="<p>Prediction sealed. Opening the account…</p>"
      />
    </section>
  );
}
