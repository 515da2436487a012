import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { PageHeader } from "~/components/page-header";
import { WebhookEndpointForm, type EndpointFieldErrors } from "~/components/webhook-endpoint-form";
import { firstErrorPerField } from "~/domain/field-errors";
import {
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookDeliveries,
  rotateWebhookSecret,
  sendTestWebhook,
  setWebhookEndpointEnabled,
  startWebhookDelivery,
  updateWebhookEndpoint,
} from "~/domain/webhooks.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";

const intentSchema = z.enum(["update", "enable", "disable", "delete", "rotate", "test"]);
const pageSchema = z.coerce.number().int().min(1).max(100_000).catch(1);

const notices: Record<string, string> = {
  created: "Endpoint added. Copy its signing secret into the receiver.",
  updated: "Saved.",
  enabled: "Enabled: deliveries waiting for it are sent now.",
  disabled: "Disabled: new events are not queued for it, and queued ones wait.",
  rotated: "New secret: the old one no longer signs anything. Update the receiver.",
  tested: "A webhook.test event is queued. Its delivery appears in the log below.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["admin"] });
  const db = getDb();
  const endpoint = await getWebhookEndpoint(db, params.endpointId ?? "");
  if (!endpoint) throw new Response("No such webhook endpoint: it may have been deleted.", { status: 404 });
  const page = pageSchema.parse(new URL(request.url).searchParams.get("page") ?? 1);
  const deliveries = await listWebhookDeliveries(db, endpoint.id, page);
  return json(
    {
      endpoint: { ...endpoint, createdById: undefined },
      deliveries: deliveries.rows,
      page,
      pages: Math.max(1, Math.ceil(deliveries.total / deliveries.pageSize)),
    },
    // the page shows the signing secret
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireUser(request, { roles: ["admin"] });
  const db = getDb();
  const id = params.endpointId ?? "";
  const form = await request.formData();
  const intent = intentSchema.safeParse(form.get("intent"));
  if (!intent.success)
    throw new Response("Unknown action: reload the page and use its buttons.", { status: 400 });
  const gone = () => new Response("No such webhook endpoint: it may have been deleted.", { status: 404 });
  const back = (notice: string) => redirect(`/settings/webhooks/${id}?${notice}=1`);
  switch (intent.data) {
    case "delete":
      if (!(await deleteWebhookEndpoint(db, id))) throw gone();
      return redirect("/settings/webhooks");
    case "test":
      if (!(await sendTestWebhook(db, id))) throw gone();
      return back("tested");
    case "rotate":
      if ((await rotateWebhookSecret(db, id)).status !== "saved") throw gone();
      return back("rotated");
    case "enable":
    case "disable": {
      const result = await setWebhookEndpointEnabled(db, id, intent.data === "enable");
      if (result.status !== "saved") throw gone();
      if (intent.data === "enable") {
        await startWebhookDelivery();
      }
      return back(intent.data === "enable" ? "enabled" : "disabled");
    }
    case "update": {
      const result = await updateWebhookEndpoint(db, id, {
        url: form.get("url") ?? undefined,
        description: form.get("description") ?? "",
        events: form.getAll("events"),
      });
      if (result.status === "not_found") throw gone();
      if (result.status === "invalid") {
        const fieldErrors = firstErrorPerField<keyof EndpointFieldErrors>(result.error);
        return json({ fieldErrors }, { status: 400 });
      }
      return back("updated");
    }
  }
}

export const meta: MetaFunction = () => [{ title: "Webhook endpoint · Settings · Rapport" }];

const when = (iso: string) =>
  new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

function ConfirmButton({
  intent,
  label,
  confirm,
  danger,
}: {
  intent: string;
  label: string;
  confirm?: string;
  danger?: boolean;
}) {
  return (
    <Form
      method="post"
      onSubmit={(event) => {
        if (confirm && !window.confirm(confirm)) event.preventDefault();
      }}
    >
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" className={danger ? "btn-secondary text-red-700" : "btn-secondary"}>
        {label}
      </button>
    </Form>
  );
}

export default function WebhookEndpointPage() {
  const { endpoint, deliveries, page, pages } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const notice = Object.keys(notices).find((key) => searchParams.get(key));
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/settings/webhooks" className="text-indigo-700 hover:underline">
          ← Webhooks
        </Link>
      </p>
      <PageHeader title={endpoint.url} description={endpoint.description || undefined} />
      {notice && !result ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          {notices[notice]}
        </p>
      ) : null}
      <section aria-labelledby="secret-heading" className="card mb-6 p-4 text-sm">
        <h2 id="secret-heading" className="mb-2 text-lg font-semibold">
          Signing secret
        </h2>
        <code className="break-all rounded bg-slate-100 px-2 py-1 font-mono" data-testid="webhook-secret">
          {endpoint.secret}
        </code>
        <p className="mt-2 text-slate-600">
          Status: <strong>{endpoint.enabled ? "Enabled" : "Disabled"}</strong>
        </p>
        <div className="mt-3 flex flex-wrap gap-2">
          <ConfirmButton intent="test" label="Send test" />
          <ConfirmButton
            intent={endpoint.enabled ? "disable" : "enable"}
            label={endpoint.enabled ? "Disable" : "Enable"}
          />
          <ConfirmButton
            intent="rotate"
            label="Rotate secret"
            confirm="Make a new secret? The current one stops signing at once, so the receiver must be updated."
          />
          <ConfirmButton
            intent="delete"
            label="Delete endpoint"
            danger
            confirm={`Delete ${endpoint.url} and its delivery log? Nothing more is sent to it.`}
          />
        </div>
      </section>
      <section aria-labelledby="edit-heading" className="card mb-6 p-4">
        <h2 id="edit-heading" className="mb-3 text-lg font-semibold">
          Edit
        </h2>
        <WebhookEndpointForm
          intent="update"
          errors={result?.fieldErrors ?? {}}
          defaults={endpoint}
          submitLabel="Save"
        />
      </section>
      <section aria-labelledby="log-heading" className="card overflow-x-auto">
        <h2 id="log-heading" className="px-4 pt-4 text-lg font-semibold">
          Delivery log
        </h2>
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              {["Queued", "Event", "Status", "Attempts", "Code", "Error"].map((h) => (
                <th key={h} scope="col" className="px-4 py-3 font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {deliveries.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-4 py-6 text-center text-slate-600">
                  Nothing sent yet. Use “Send test” to try the endpoint.
                </td>
              </tr>
            ) : null}
            {deliveries.map((d) => (
              <tr key={d.id}>
                <td className="px-4 py-3">{when(d.createdAt)}</td>
                <td className="px-4 py-3">
                  <code>{d.eventType}</code>
                  <div className="font-mono text-xs text-slate-500">{d.eventId}</div>
                </td>
                <td className="px-4 py-3">
                  {d.status}
                  {d.status === "failed" ? ` (next try ${when(d.nextAttemptAt)})` : ""}
                </td>
                <td className="px-4 py-3">{d.attempts}</td>
                <td className="px-4 py-3">{d.lastStatusCode ?? "—"}</td>
                <td className="px-4 py-3">{d.lastError ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {pages > 1 ? (
          <nav aria-label="Delivery log pages" className="flex gap-4 px-4 py-3 text-sm">
            {page > 1 ? <Link to={`?page=${page - 1}`}>← Newer</Link> : null}
            <span>
              Page {page} of {pages}
            </span>
            {page < pages ? <Link to={`?page=${page + 1}`}>Older →</Link> : null}
          </nav>
        ) : null}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
