import type {
  ActionFunctionArgs,
  HeadersFunction,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import surveyStyles from "survey-core/survey-core.fontless.min.css";
import { SurveyRunner } from "~/components/survey-runner";
import { surveyDescription } from "~/domain/survey-model";
import { invitationIsOpen } from "~/domain/survey-links.server";
import { requestHelp, responseForInvitation } from "~/domain/responses.server";
import { getDb } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { deliverSoon } from "~/lib/deliver-soon.server";
import { markOpened, resolveSurveyToken, surveyHeaders } from "~/lib/survey-access.server";
import { useAutosave } from "./use-autosave";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: surveyStyles }];

export const headers: HeadersFunction = () => surveyHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.state === "open" ? `${data.title} · ${data.companyName}` : "Survey" },
  { name: "robots", content: "noindex, nofollow" },
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const found = await resolveSurveyToken(request, params.token ?? "");
  const companyName = getEnv().COMPANY_NAME;
  // Unknown, expired and revoked links look the same: the page reveals nothing about which.
  if (!found)
    return json({ state: "unavailable" as const, companyName }, { status: 404, headers: surveyHeaders });
  const [response] = await Promise.all([
    responseForInvitation(getDb(), found.invitation.id),
    // the first view of a link that can still be answered, sent with the read (one wait, not
    // two); a completed invitation is past "opened" already, so markOpened leaves it alone
    invitationIsOpen(found.invitation) ? markOpened(found.invitation) : undefined,
  ]);
  if (response?.isComplete) {
    return json(
      {
        state: "completed" as const,
        companyName,
        ownerName: found.ownerName,
        completedAt: response.completedAt!.toISOString(),
        helpRequestedAt: response.helpRequestedAt?.toISOString() ?? null,
      },
      { headers: surveyHeaders },
    );
  }
  if (!invitationIsOpen(found.invitation)) {
    return json({ state: "unavailable" as const, companyName }, { status: 404, headers: surveyHeaders });
  }
  return json(
    {
      state: "open" as const,
      companyName,
      title: found.surveyTitle,
      description: surveyDescription(found.model, found.contactLanguage),
      ownerName: found.ownerName,
      json: found.model as object,
      data: (response?.data ?? {}) as Record<string, unknown>,
      currentPage: response?.currentPage ?? 0,
      sequence: response?.saveSequence ?? 0,
      locale: found.contactLanguage,
      contactFirstName: found.contactName.split(" ")[0] ?? "",
      scaleAnswer: scaleAnswerShown(request, response?.data),
    },
    { headers: surveyHeaders },
  );
}

/**
 * The score a click on the email's 0–10 scale just saved (`?answered=9`, set by
 * s.$token.scale.$score), when the stored answer says so; the page confirms it in its
 * server markup, so a mail client's browser without scripts shows it too.
 */
function scaleAnswerShown(request: Request, data: unknown): number | null {
  const answered = new URL(request.url).searchParams.get("answered");
  const stored = (data as Record<string, unknown> | null | undefined)?.advocacy;
  return answered !== null && typeof stored === "number" && String(stored) === answered ? stored : null;
}

/** "I need help now" — a plain form post, so it works without JavaScript too. */
export async function action({ request, params }: ActionFunctionArgs) {
  const found = await resolveSurveyToken(request, params.token ?? "");
  if (!found)
    throw new Response("This link does not open a survey.", { status: 404, headers: surveyHeaders });
  const form = await request.formData();
  if (form.get("intent") !== "help")
    throw new Response("Unknown request.", { status: 400, headers: surveyHeaders });
  const help = await requestHelp(getDb(), found.invitation.id);
  if (!help)
    throw new Response("Send your answers first, then ask for help.", {
      status: 409,
      headers: surveyHeaders,
    });
  // The case's alert email is in the outbox; send it now rather than at the next minute.
  if (help.openedCaseId) await deliverSoon("case_alert");
  return json({ helpRequested: true }, { headers: surveyHeaders });
}

export default function SurveyPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <div className="min-h-full bg-slate-50">
      <header className="border-b border-slate-200 bg-white">
        <p className="mx-auto max-w-3xl px-4 py-3 text-sm font-semibold text-indigo-700">
          {data.companyName}
        </p>
      </header>
      <main className="mx-auto max-w-3xl px-2 py-4 sm:px-4">
        {data.state === "open" ? <OpenSurvey {...data} /> : null}
        {data.state === "completed" ? <ThankYou {...data} /> : null}
        {data.state === "unavailable" ? <Unavailable /> : null}
      </main>
    </div>
  );
}

function OpenSurvey(props: Extract<ReturnType<typeof useLoaderData<typeof loader>>, { state: "open" }>) {
  const revalidator = useRevalidator();
  const autosave = useAutosave(props.sequence);
  return (
    <>
      {/* Server-rendered, so the customer reads what this is at first paint, before SurveyJS
          has loaded (it is the page's largest content: docs/performance.md, "LCP"). */}
      <header className="px-2 pb-4 pt-2 sm:px-4">
        <h1 className="text-2xl font-bold text-slate-900">{props.title}</h1>
        {props.description ? <p className="mt-2 text-base text-slate-700">{props.description}</p> : null}
      </header>
      {props.scaleAnswer !== null ? (
        <p role="status" className="mx-2 mb-4 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm">
          {`Thank you: your answer, ${props.scaleAnswer} out of 10, is saved. The few questions below tell your account team why; answer them if you have three minutes.`}
        </p>
      ) : null}
      <SurveyRunner
        hideTitle
        json={props.json}
        initialData={props.data}
        initialPage={props.currentPage}
        locale={props.locale}
        variables={{ company: props.companyName, contact: props.contactFirstName }}
        onProgress={autosave.save}
        onSubmit={async (answers) => {
          const result = await autosave.submit(answers);
          if (result.ok) revalidator.revalidate();
          return result;
        }}
        completedHtml="<p>Sending your answers…</p>"
      />
      <p className="mt-3 px-2 text-center text-xs text-slate-500" aria-live="polite">
        {autosave.status === "saving" ? "Saving…" : null}
        {autosave.status === "saved"
          ? "Your answers are saved. You can close this page and come back with the same link."
          : null}
        {autosave.status === "error" ? "We could not save just now; we will keep trying." : null}
      </p>
      <p className="mt-6 px-2 text-center text-xs text-slate-500">
        Questions about this survey? Your contact at {props.companyName} is {props.ownerName}.
      </p>
    </>
  );
}

function ThankYou(props: Extract<ReturnType<typeof useLoaderData<typeof loader>>, { state: "completed" }>) {
  const navigation = useNavigation();
  const received = new Date(props.completedAt).toLocaleDateString("en-GB", {
    dateStyle: "long",
    timeZone: "UTC",
  });
  return (
    <section className="card p-6" aria-labelledby="thanks">
      <h1 id="thanks" className="text-2xl font-bold">
        Thank you — your answers were received
      </h1>
      <p className="mt-2 text-slate-700">
        We received them on {received}. {props.ownerName} and the team at {props.companyName} read every
        answer.
      </p>
      <div className="mt-6 rounded-md border border-amber-200 bg-amber-50 p-4">
        {props.helpRequestedAt ? (
          <p role="status" className="text-amber-900">
            Your request for help is recorded. {props.ownerName} will contact you as soon as possible.
          </p>
        ) : (
          <Form method="post">
            <p className="text-amber-900">Is something wrong that cannot wait?</p>
            <button
              type="submit"
              name="intent"
              value="help"
              className="btn mt-3 bg-amber-600 text-white hover:bg-amber-700"
              disabled={navigation.state !== "idle"}
            >
              {navigation.state !== "idle" ? "Sending…" : "I need help now"}
            </button>
          </Form>
        )}
      </div>
    </section>
  );
}

function Unavailable() {
  return (
    <section className="card p-6" aria-labelledby="unavailable">
      <h1 id="unavailable" className="text-2xl font-bold">
        This survey link is not available
      </h1>
      <p className="mt-2 text-slate-700">
        It may have expired or been replaced by a newer invitation. If you would like to share feedback,
        please reply to the email that brought you here and we will send you a fresh link.
      </p>
    </section>
  );
}
