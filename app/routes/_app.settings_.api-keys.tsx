import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { FieldError } from "~/components/field-error";
import { FormField } from "~/components/form-field";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { PageHeader } from "~/components/page-header";
import { apiKeyInputSchema, createApiKey, listApiKeys, revokeApiKey } from "~/domain/api-keys.server";
import { firstErrorPerField } from "~/domain/field-errors";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), name: z.unknown(), scope: z.unknown() }),
  z.object({ intent: z.literal("revoke"), keyId: z.string() }),
]);

type ActionData =
  | { created: { key: string; name: string; scope: string } }
  | { fieldErrors: Partial<Record<"name" | "scope", string>> };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["admin"] });
  return json({ keys: await listApiKeys(getDb()) });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireUser(request, { roles: ["admin"] });
  const parsed = intentSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    throw new Response("Unknown action: reload the page and use its buttons.", { status: 400 });
  const db = getDb();
  if (parsed.data.intent === "revoke") {
    if (!(await revokeApiKey(db, parsed.data.keyId, admin.id))) {
      throw new Response("No such active key: it may have been revoked already. Reload the page.", {
        status: 404,
      });
    }
    return redirect("/settings/api-keys?revoked=1");
  }
  const input = apiKeyInputSchema.safeParse({ name: parsed.data.name, scope: parsed.data.scope });
  if (!input.success) {
    return json<ActionData>(
      { fieldErrors: firstErrorPerField<"name" | "scope">(input.error) },
      { status: 400 },
    );
  }
  const { key, apiKey } = await createApiKey(db, input.data, admin.id);
  // the key goes back in this one answer and is never readable again
  return json<ActionData>(
    { created: { key, name: apiKey.name, scope: apiKey.scope } },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export const meta: MetaFunction = () => [{ title: "API keys · Settings · Rapport" }];

const when = (iso: string | null) =>
  iso
    ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })
    : "never";

export default function ApiKeys() {
  const { keys } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const errors = result && "fieldErrors" in result ? result.fieldErrors : {};
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/settings" className="text-indigo-700 hover:underline">
          ← Settings
        </Link>
      </p>
      <PageHeader
        title="API keys"
        description="Keys let a CRM or script use the /api/v1 API. A read key can look; a write key can also change accounts. A key acts for the whole workspace, so give each integration its own and revoke it when it is retired."
      />
      {searchParams.get("revoked") && !result ? (
        <p role="status" className="mb-4 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          Key revoked. Requests using it now get 401.
        </p>
      ) : null}
      {result && "created" in result ? (
        // `key` is React's own prop (never passed on), so the secret goes in as `value`
        <NewKey value={result.created.key} name={result.created.name} scope={result.created.scope} />
      ) : null}
      <section aria-labelledby="create-heading" className="card mb-8 p-4">
        <h2 id="create-heading" className="mb-3 text-lg font-semibold">
          Create a key
        </h2>
        <Form method="post" className="flex flex-wrap items-end gap-4" noValidate>
          <input type="hidden" name="intent" value="create" />
          <FormField
            id="key-name"
            name="name"
            label="Name"
            placeholder="Salesforce sync"
            error={errors.name}
          />
          <div>
            <label htmlFor="key-scope" className="block text-sm font-medium">
              Scope
            </label>
            <select
              id="key-scope"
              name="scope"
              defaultValue="read"
              className="input mt-1"
              aria-invalid={errors.scope ? true : undefined}
              aria-describedby={errors.scope ? "key-scope-error" : undefined}
            >
              <option value="read">read — look only</option>
              <option value="write">write — look and change</option>
            </select>
            <FieldError id="key-scope-error" message={errors.scope} />
          </div>
          <button type="submit" className="btn-primary">
            Create the key
          </button>
        </Form>
      </section>
      <div className="card overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">API keys</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              {["Name", "Key", "Scope", "Created", "Last used", "Status", ""].map((h) => (
                <th key={h} scope="col" className="px-4 py-3 font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {keys.length === 0 ? (
              <tr>
                <td colSpan={7} className="px-4 py-6 text-center text-slate-600">
                  No keys yet. Create one above, or run <code>npm run apikey:create</code>.
                </td>
              </tr>
            ) : null}
            {keys.map((k) => (
              <tr key={k.id}>
                <td className="px-4 py-3">{k.name}</td>
                <td className="px-4 py-3 font-mono">rk_{k.prefix}_…</td>
                <td className="px-4 py-3">{k.scope}</td>
                <td className="px-4 py-3">
                  {when(k.createdAt)}
                  {k.createdByName ? ` by ${k.createdByName}` : ""}
                </td>
                <td className="px-4 py-3">{when(k.lastUsedAt)}</td>
                <td className="px-4 py-3">
                  {k.revokedAt
                    ? `Revoked ${when(k.revokedAt)}${k.revokedByName ? ` by ${k.revokedByName}` : ""}`
                    : "Active"}
                </td>
                <td className="px-4 py-3">
                  {k.revokedAt ? null : (
                    <Form
                      method="post"
                      onSubmit={(event) => {
                        if (!window.confirm(`Revoke “${k.name}”? Anything using it stops working at once.`)) {
                          event.preventDefault();
                        }
                      }}
                    >
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="keyId" value={k.id} />
                      <button type="submit" className="text-red-700 hover:underline">
                        Revoke<span className="sr-only"> {k.name}</span>
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function NewKey({ value, name, scope }: { value: string; name: string; scope: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <section role="status" className="mb-6 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm">
      <p className="mb-2 font-medium">
        Your new {scope} key “{name}”. Copy it now: it is shown only this once.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="break-all rounded bg-white px-2 py-1 font-mono" data-testid="new-api-key">
          {value}
        </code>
        <button
          type="button"
          className="btn-secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(value).then(() => setCopied(true));
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
