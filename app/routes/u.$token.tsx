import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { optOutByToken, optOutStateForToken } from "~/domain/unsubscribe.server";
import { getDb } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { resolveSurveyToken, surveyHeaders } from "~/lib/survey-access.server";

export const headers: HeadersFunction = () => surveyHeaders;

export const meta: MetaFunction = () => [
  { title: "Unsubscribe" },
  { name: "robots", content: "noindex, nofollow" },
];

// GET only asks: mail scanners follow links, and a follow must never unsubscribe anyone.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const companyName = getEnv().COMPANY_NAME;
  const found = await resolveSurveyToken(request, params.token ?? "");
  const state = found ? await optOutStateForToken(getDb(), params.token ?? "") : null;
  if (!state)
    return json({ state: "unknown" as const, companyName }, { status: 404, headers: surveyHeaders });
  return json(
    { state: state.optedOut ? ("done" as const) : ("ask" as const), companyName },
    { headers: surveyHeaders },
  );
}

// POST unsubscribes: the confirm button, and mail clients' one-click List-Unsubscribe-Post.
export async function action({ request, params }: ActionFunctionArgs) {
  const found = await resolveSurveyToken(request, params.token ?? "");
  const result = found ? await optOutByToken(getDb(), params.token ?? "") : null;
  if (!result) return json({ done: false }, { status: 404, headers: surveyHeaders });
  return json({ done: true }, { headers: surveyHeaders });
}

export default function Unsubscribe() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const done = data.state === "done" || actionData?.done;
  return (
    <main className="mx-auto max-w-xl px-4 py-10">
      <section className="card p-6" aria-labelledby="unsubscribe-heading">
        {data.state === "unknown" ? (
          <>
            <h1 id="unsubscribe-heading" className="text-2xl font-bold">
              This link is not available
            </h1>
            <p className="mt-2 text-slate-700">
              Reply to the email that brought you here and we will take you off our survey list by hand.
            </p>
          </>
        ) : done ? (
          <>
            <h1 id="unsubscribe-heading" className="text-2xl font-bold">
              You are unsubscribed
            </h1>
            <p role="status" className="mt-2 text-slate-700">
              {data.companyName} will not send you feedback surveys any more. Your account team can still
              reach you as usual.
            </p>
          </>
        ) : (
          <Form method="post">
            <h1 id="unsubscribe-heading" className="text-2xl font-bold">
              Stop receiving feedback surveys?
            </h1>
            <p className="mt-2 text-slate-700">
              {data.companyName} will stop sending you survey invitations and reminders.
            </p>
            <button type="submit" className="btn-primary mt-4" disabled={navigation.state !== "idle"}>
              {navigation.state !== "idle" ? "Unsubscribing…" : "Unsubscribe"}
            </button>
          </Form>
        )}
      </section>
    </main>
  );
}
