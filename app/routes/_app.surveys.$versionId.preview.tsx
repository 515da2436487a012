import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import surveyStyles from "survey-core/survey-core.fontless.min.css";
import { PageHeader } from "~/components/page-header";
import { SurveyRunner, type SubmitResult } from "~/components/survey-runner";
import { getSurveyVersion } from "~/domain/surveys.server";
import { isUuid, requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: surveyStyles }];

// The name a customer's first name would fill in ({contact}) on the real survey page.
const SAMPLE_CONTACT = "Alex";

const COMPLETED_HTML =
  "<h3>Preview complete</h3><p>This is where the customer sees the thank-you message. Nothing was saved: previews never store answers.</p>";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const versionId = params.versionId ?? "";
  if (!isUuid(versionId)) throw new Response("No such survey version.", { status: 404 });
  const version = await getSurveyVersion(getDb(), versionId);
  if (!version) throw new Response("No such survey version.", { status: 404 });
  return json({
    title: version.title,
    slug: version.slug,
    version: version.version,
    json: version.model as object,
    companyName: getEnv().COMPANY_NAME,
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Preview: ${data.title} (version ${data.version}) · Rapport` : "Survey preview · Rapport" },
];

/** Answers stay in the browser: the preview never calls the server. */
async function discardAnswers(): Promise<SubmitResult> {
  return { ok: true };
}

export default function SurveyPreview() {
  const data = useLoaderData<typeof loader>();
  // A new key gives SurveyRunner a fresh, empty survey.
  const [run, setRun] = useState(0);
  return (
    <>
      <PageHeader
        title={`Preview: ${data.title}`}
        description={
          <>
            Version {data.version} of <code className="rounded bg-slate-100 px-1">{data.slug}</code>, as a
            customer sees it. You can fill it in to try the flow.
          </>
        }
        actions={
          <div className="flex gap-2">
            <button type="button" className="btn-secondary" onClick={() => setRun((n) => n + 1)}>
              Start over
            </button>
            <Link to="/surveys" className="btn-secondary">
              Back to surveys
            </Link>
          </div>
        }
      />
      <p
        role="note"
        className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm font-medium text-amber-900"
      >
        Preview — answers are not saved. The customer’s name shows as “{SAMPLE_CONTACT}”.
      </p>
      {/* The same frame as the customer's page (/s/:token), so the survey lays out the same way. */}
      <div className="overflow-hidden rounded-lg border border-slate-200 bg-slate-50">
        <div className="border-b border-slate-200 bg-white">
          <p className="mx-auto max-w-3xl px-4 py-3 text-sm font-semibold text-indigo-700">
            {data.companyName}
          </p>
        </div>
        <div className="mx-auto max-w-3xl px-2 py-4 sm:px-4">
          <SurveyRunner
            key={run}
            json={data.json}
            variables={{ company: data.companyName, contact: SAMPLE_CONTACT }}
            onSubmit={discardAnswers}
            completedHtml={COMPLETED_HTML}
          />
        </div>
      </div>
    </>
  );
}
