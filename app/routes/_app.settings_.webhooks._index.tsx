import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { PageHeader } from "~/components/page-header";
import { WebhookEndpointForm, type EndpointFieldErrors } from "~/components/webhook-endpoint-form";
import { firstErrorPerField } from "~/domain/field-errors";
import { createWebhookEndpoint, listWebhookEndpoints } from "~/domain/webhooks.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["admin"] });
  return json({ endpoints: await listWebhookEndpoints(getDb()) });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireUser(request, { roles: ["admin"] });
  const form = await request.formData();
  if (form.get("intent") !== "create")
    throw new Response("Unknown action: reload the page and use its buttons.", { status: 400 });
  const result = await createWebhookEndpoint(
    getDb(),
    {
      url: form.get("url") ?? undefined,
      description: form.get("description") ?? "",
      events: form.getAll("events"),
    },
    admin.id,
  );
  if (result.status !== "saved") {
    const fieldErrors: EndpointFieldErrors =
      result.status === "invalid" ? firstErrorPerField<keyof EndpointFieldErrors>(result.error) : {};
    return json({ fieldErrors }, { status: 400 });
  }
  return redirect(`/settings/webhooks/${result.endpoint.id}?created=1`);
}

export const meta: MetaFunction = () => [{ title: "Webhooks · Settings · Rapport" }];

export default function Webhooks() {
  const { endpoints } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/settings" className="text-indigo-700 hover:underline">
          ← Settings
        </Link>
      </p>
      <PageHeader
        title="Webhooks"
        description="Rapport POSTs signed JSON to these URLs when something happens: a survey completed, a case opened or resolved, a deal closed. Failed deliveries are retried for about seven hours. See docs/webhooks.md to verify the signature."
      />
      <div className="card mb-8 overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Webhook endpoints</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              {["URL", "Events", "Status"].map((h) => (
                <th key={h} scope="col" className="px-4 py-3 font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {endpoints.length === 0 ? (
              <tr>
                <td colSpan={3} className="px-4 py-6 text-center text-slate-600">
                  No endpoints yet. Add one below.
                </td>
              </tr>
            ) : null}
            {endpoints.map((e) => (
              <tr key={e.id}>
                <td className="px-4 py-3">
                  <Link to={e.id} className="break-all font-medium text-indigo-700 hover:underline">
                    {e.url}
                  </Link>
                  {e.description ? <p className="text-slate-600">{e.description}</p> : null}
                </td>
                <td className="px-4 py-3">{e.events.join(", ")}</td>
                <td className="px-4 py-3">{e.enabled ? "Enabled" : "Disabled"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section aria-labelledby="add-heading" className="card p-4">
        <h2 id="add-heading" className="mb-3 text-lg font-semibold">
          Add an endpoint
        </h2>
        <WebhookEndpointForm
          intent="create"
          errors={result?.fieldErrors ?? {}}
          submitLabel="Add the endpoint"
        />
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
