import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
  SerializeFrom,
} from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useCallback } from "react";
import surveyStyles from "survey-core/survey-core.fontless.min.css";
import { z } from "zod";
import { PageHeader } from "~/components/page-header";
import { PredictionComparisonTable } from "~/components/prediction-comparison-table";
import { SurveyRunner } from "~/components/survey-runner";
import { firstName, getPrediction, LOCKED_MESSAGE, updatePrediction } from "~/domain/predictions.server";
import { getSurveyVersion } from "~/domain/surveys.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { jsonError, readJsonBody } from "~/lib/json-body.server";
import { usePostMirror } from "./_app.accounts.$accountId_.predict/use-post-mirror";

/** The edit mode's fetch posts the author's new answers; the survey version stays the prediction's own. */
const editSchema = z.object({ data: z.unknown() });

export const links: LinksFunction = () => [{ rel: "stylesheet", href: surveyStyles }];

// The account access check is inside getPrediction/updatePrediction: whoever may not see a
// prediction gets the same 404 as for an unknown id, so a sealed prediction reveals nothing.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const prediction = await getPrediction(db, params.predictionId ?? "", user);
  if (!prediction) throw new Response("No such prediction.", { status: 404 });
  const search = new URL(request.url).searchParams;
  const wantsEdit = search.get("edit") === "1";
  const version =
    wantsEdit && prediction.canEdit && prediction.surveyVersionId
      ? await getSurveyVersion(db, prediction.surveyVersionId)
      : null;
  const { data, ...shown } = prediction;
  return json({
    prediction: shown,
    edit: version
      ? {
          versionId: version.id,
          title: version.title,
          // the same questions; only the last button says what it does here
          model: { ...(version.model as object), completeText: "Save my changes" },
          data: data ?? {},
          variables: {
            company: getEnv().COMPANY_NAME,
            contact: prediction.contact ? firstName(prediction.contact.name) : "the customer",
          },
        }
      : null,
    editRefused:
      wantsEdit && !version
        ? prediction.locked
          ? LOCKED_MESSAGE
          : "You cannot edit this prediction."
        : null,
    edited: search.get("edited") === "1",
  });
}

/** The author's edit, posted as JSON `{ data }` by the edit mode below. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (request.method !== "POST") return jsonError(405, "Use POST.");
  const db = getDb();
  const predictionId = params.predictionId ?? "";
  // The caller first, the body after: whoever may not see or change the prediction gets the
  // same answer whatever they send (updatePrediction checks again, under the row lock).
  const prediction = await getPrediction(db, predictionId, user);
  if (!prediction) return jsonError(404, "No such prediction.");
  if (!prediction.isAuthor) return jsonError(403, "Only the author of a prediction can change it.");
  const parsed = editSchema.safeParse(await readJsonBody(request));
  if (!parsed.success) return jsonError(400, 'The edit is malformed: send { "data": { … } }.');
  const outcome = await updatePrediction(db, user, predictionId, parsed.data.data);
  switch (outcome.status) {
    case "not_found":
      return jsonError(404, "No such prediction.");
    case "forbidden":
      return jsonError(403, outcome.message);
    case "locked":
      return jsonError(409, outcome.message);
    case "invalid":
      return jsonError(422, "Some answers need another look.", { errors: outcome.errors });
    case "updated":
      return redirect(`/predictions/${predictionId}?edited=1`);
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Prediction for ${data?.prediction.accountName ?? "an account"} · Rapport` },
];

const dateTime = (iso: string) =>
  `${new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`;

type Shown = SerializeFrom<typeof loader>["prediction"];

export default function PredictionPage() {
  const { prediction, edit, editRefused, edited } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to={`/accounts/${prediction.accountId}`} className="text-indigo-700 hover:underline">
          ← {prediction.accountName}
        </Link>
      </p>
      <PageHeader
        title={`${prediction.isAuthor ? "Your" : `${prediction.author.name}’s`} prediction for ${prediction.accountName}`}
        actions={
          prediction.canEdit && !edit ? (
            <Link to="?edit=1" className="btn-secondary">
              Edit
            </Link>
          ) : null
        }
      />
      {edited ? (
        <p role="status" className="card mb-4 border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900">
          Prediction updated. It stays sealed until the customer answers.
        </p>
      ) : null}
      {editRefused ? (
        <p role="alert" className="card mb-4 border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          {editRefused}
        </p>
      ) : null}
      <Facts prediction={prediction} />
      {edit ? (
        <EditPrediction predictionId={prediction.id} edit={edit} />
      ) : (
        <Comparison prediction={prediction} />
      )}
    </>
  );
}

function Facts({ prediction }: { prediction: Shown }) {
  return (
    <dl className="card mb-6 grid gap-4 p-4 text-sm sm:grid-cols-2">
      <div>
        <dt className="text-slate-600">Sealed at</dt>
        <dd className="font-medium">
          <time dateTime={prediction.sealedAt}>{dateTime(prediction.sealedAt)}</time>
          {prediction.updatedAt > prediction.sealedAt ? (
            <span className="font-normal text-slate-600">
              {" "}
              (last changed <time dateTime={prediction.updatedAt}>{dateTime(prediction.updatedAt)}</time>)
            </span>
          ) : null}
        </dd>
      </div>
      <div>
        <dt className="text-slate-600">Author</dt>
        <dd className="font-medium">{prediction.author.name}</dd>
      </div>
      <div>
        <dt className="text-slate-600">About</dt>
        <dd className="font-medium">
          {prediction.contact ? (
            <Link to={`/contacts/${prediction.contact.id}`} className="text-indigo-700 hover:underline">
              {prediction.contact.name}
            </Link>
          ) : (
            "The account as a whole"
          )}
        </dd>
      </div>
      <div>
        <dt className="text-slate-600">Predicts</dt>
        <dd className="font-medium">{prediction.campaign?.name ?? "The account’s next customer answer"}</dd>
      </div>
      <div className="sm:col-span-2">
        <dt className="text-slate-600">Status</dt>
        <dd className="font-medium">
          {prediction.customerAnsweredAt ? (
            <>
              Locked: the customer answered on{" "}
              <time dateTime={prediction.customerAnsweredAt}>{dateTime(prediction.customerAnsweredAt)}</time>
            </>
          ) : (
            "Sealed: only you can see it until the customer answers, and you can change it until then"
          )}
        </dd>
      </div>
    </dl>
  );
}

function Comparison({ prediction }: { prediction: Shown }) {
  const answered = prediction.locked;
  const comparedWith =
    prediction.comparedWith === "contact" && prediction.contact
      ? `${prediction.contact.name}’s latest answers`
      : "the customer’s latest answers";
  return (
    <section aria-labelledby="values-heading">
      <h2 id="values-heading" className="mb-1 text-lg font-semibold">
        {answered ? "Prediction and what the customer said" : "Predicted, per dimension"}
      </h2>
      <p className="mb-3 text-sm text-slate-600">
        {answered
          ? `Compared with ${comparedWith} since the prediction was sealed. Gap = team − customer, 0–100.`
          : "The customer’s answers appear beside these once they have answered."}
      </p>
      <div className="card overflow-x-auto">
        <PredictionComparisonTable rows={prediction.dimensions} answered={answered} />
      </div>
      {prediction.confidenceBasis ? (
        <div className="mt-4 text-sm">
          <h3 className="font-medium">What made {prediction.isAuthor ? "you" : "them"} confident</h3>
          <p className="mt-1 whitespace-pre-line text-slate-700">{prediction.confidenceBasis}</p>
        </div>
      ) : null}
    </section>
  );
}

function EditPrediction({
  predictionId,
  edit,
}: {
  predictionId: string;
  edit: { title: string; model: object; data: Record<string, unknown>; variables: Record<string, string> };
}) {
  const body = useCallback((data: Record<string, unknown>) => ({ data }), []);
  const submit = usePostMirror(body);
  return (
    <section aria-label={`Edit: ${edit.title}`}>
      <p className="mb-3 text-sm">
        <Link to={`/predictions/${predictionId}`} className="text-indigo-700 hover:underline">
          Cancel editing
        </Link>
      </p>
      <SurveyRunner
        json={edit.model}
        initialData={edit.data}
        variables={edit.variables}
        onSubmit={submit}
        completedHtml="<p>Prediction updated. Opening it…</p>"
      />
    </section>
  );
}
