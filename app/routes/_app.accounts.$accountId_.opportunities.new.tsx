import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { PageHeader } from "~/components/page-header";
import { OpportunityForm, formValues, type FormResult } from "~/components/opportunity-form";
import { createOpportunity, getAccountTeam } from "~/domain/opportunities.server";
import { requireAccountAccess, requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const accountId = params.accountId ?? "";
  await requireAccountAccess(user, accountId, "edit");
  const found = await getAccountTeam(getDb(), accountId);
  if (!found) throw new Response("No such account.", { status: 404 });
  // the creator sells it when they are on the team; an admin from outside defaults to the owner
  const sellerId = found.team.some((member) => member.id === user.id) ? user.id : found.team[0]!.id;
  return json({ ...found, sellerId });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const accountId = params.accountId ?? "";
  await requireAccountAccess(user, accountId, "edit");
  const outcome = await createOpportunity(getDb(), accountId, formValues(await request.formData()), user.id);
  switch (outcome.status) {
    case "saved":
      return redirect(`/opportunities/${outcome.opportunity.id}`);
    case "invalid":
      return json<FormResult>(
        { intent: "create", formError: null, fieldErrors: outcome.fieldErrors },
        { status: 400 },
      );
    case "conflict":
      return json<FormResult>(
        { intent: "create", formError: outcome.message, fieldErrors: {} },
        { status: 409 },
      );
    case "not_found":
      throw new Response("No such account.", { status: 404 });
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `New opportunity · ${data?.account.name ?? "Account"} · Rapport` },
];

export default function NewOpportunityPage() {
  const { account, team, sellerId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to={`/accounts/${account.id}`} className="text-indigo-700 hover:underline">
          ← {account.name}
        </Link>
      </p>
      <PageHeader
        title="New opportunity"
        description={`A deal with ${account.name}. When it closes, the seller records why, before the buyer is asked.`}
      />
      <section className="card max-w-2xl p-6" aria-label="The deal">
        <OpportunityForm
          intent="create"
          defaults={{ name: "", amount: "", closeDate: "", competitor: "", sellerId }}
          team={team}
          result={result}
          submitLabel="Create the opportunity"
          pendingLabel="Creating…"
        />
      </section>
    </>
  );
}
