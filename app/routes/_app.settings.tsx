import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FieldError } from "~/components/field-error";
import { PageHeader } from "~/components/page-header";
import { listUsers } from "~/domain/users.server";
import { getSurveyEmbedding, saveSurveyFrameAncestors } from "~/domain/workspace-settings.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { humanize } from "~/lib/format";

const embeddingSchema = z.object({
  intent: z.literal("survey-embedding"),
  // 20 origins of 200 characters fit with room to spare; more is not a list of sites
  frameAncestors: z.string().max(10_000, "That list is too long: put one site a line, 20 at most."),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { roles: ["admin"] });
  const db = getDb();
  const [users, embedding] = await Promise.all([listUsers(db), getSurveyEmbedding(db)]);
  return json({ users, frameAncestors: embedding.frameAncestors });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireUser(request, { roles: ["admin"] });
  const form = Object.fromEntries(await request.formData());
  if (form.intent !== "survey-embedding")
    throw new Response("Unknown action: reload the page and use its buttons.", { status: 400 });
  const parsed = embeddingSchema.safeParse(form);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "Enter one site a line.";
    return json({ saved: false as const, error: message }, { status: 400 });
  }
  const result = await saveSurveyFrameAncestors(getDb(), parsed.data.frameAncestors, admin.id);
  if (!result.ok) return json({ saved: false as const, error: result.error }, { status: 400 });
  return json({ saved: true as const, error: null });
}

export const meta: MetaFunction = () => [{ title: "Settings · Rapport" }];

export default function Settings() {
  const { users } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Settings"
        description={
          <>
            People who can sign in. Add one from the command line with{" "}
            <code className="rounded bg-slate-100 px-1">
              npm run user:create -- --email … --name … --role manager
            </code>
            .
          </>
        }
      />
      <nav aria-label="More settings" className="mb-6">
        <ul className="card divide-y divide-slate-100">
          <li className="px-4 py-3">
            <Link to="/settings/winloss" className="font-medium text-indigo-700 hover:underline">
              Win/loss follow-up rules
            </Link>
            <p className="text-sm text-slate-600">
              What happens with a closed deal&rsquo;s buyers: a survey, an interview, or nothing, and how many
              days after the close.
            </p>
          </li>
          <li className="px-4 py-3">
            <Link to="/settings/api-keys" className="font-medium text-indigo-700 hover:underline">
              API keys
            </Link>
            <p className="text-sm text-slate-600">
              Keys for a CRM or script to use the <code>/api/v1</code> API: create, see when each was last
              used, revoke.
            </p>
          </li>
          <li className="px-4 py-3">
            <Link to="/settings/webhooks" className="font-medium text-indigo-700 hover:underline">
              Webhooks
            </Link>
            <p className="text-sm text-slate-600">
              URLs Rapport notifies, signed, when a survey is completed, a case opens or is resolved, or a
              deal closes; with each endpoint&rsquo;s delivery log and a test button.
            </p>
          </li>
        </ul>
      </nav>
      <div className="card overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Users</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-3 font-medium">
                Name
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                Email
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                Role
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((u) => (
              <tr key={u.id}>
                <td className="px-4 py-3">{u.name}</td>
                <td className="px-4 py-3">{u.email}</td>
                <td className="px-4 py-3">
                  {humanize(u.role)}
                  {u.deactivatedAt ? " (deactivated)" : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <SurveyEmbeddingForm />
    </>
  );
}

/** Which other sites (a customer portal, say) may show the survey page inside a frame. */
function SurveyEmbeddingForm() {
  const { frameAncestors } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const saving =
    navigation.state === "submitting" && navigation.formData?.get("intent") === "survey-embedding";
  const error = result?.saved === false ? result.error : undefined;
  return (
    <section aria-labelledby="embedding-heading" className="card mt-8 p-4">
      <h2 id="embedding-heading" className="text-lg font-semibold">
        Survey embedding
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        {frameAncestors.length > 0
          ? `The survey page may be shown in a frame on: ${frameAncestors.join(", ")}.`
          : "No other site may show the survey page in a frame."}
      </p>
      {result?.saved ? (
        <p role="status" className="mt-3 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
          Saved. New survey pages use this list from now on.
        </p>
      ) : null}
      <Form method="post" className="mt-4 space-y-3">
        <input type="hidden" name="intent" value="survey-embedding" />
        <div>
          <label htmlFor="frame-ancestors" className="block text-sm font-medium">
            Sites that may embed the survey page
          </label>
          <textarea
            id="frame-ancestors"
            name="frameAncestors"
            rows={4}
            className="input mt-1 font-mono"
            // the saved list again after a successful save, what was typed after a refused one
            key={result?.saved ? frameAncestors.join("\n") : "draft"}
            defaultValue={frameAncestors.join("\n")}
            placeholder="https://portal.example.com"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "frame-ancestors-help frame-ancestors-error" : "frame-ancestors-help"}
          />
          <p id="frame-ancestors-help" className="mt-1 text-xs text-slate-500">
            One site a line, as https://host (or http://localhost:PORT to try it locally). Leave empty so no
            site can.
          </p>
          <FieldError id="frame-ancestors-error" message={error} />
        </div>
        <button type="submit" className="btn-primary" disabled={saving}>
          {saving ? "Saving…" : "Save the list"}
        </button>
      </Form>
    </section>
  );
}
