import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { PageHeader } from "~/components/page-header";
import { discardCsvImport, getCsvImport, submitApply, type ImportReport } from "~/domain/csv-import.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { humanize } from "~/lib/format";
import { sendJob } from "~/lib/jobs.server";
import { useRevalidateEvery } from "~/lib/use-revalidate-every";

const intentSchema = z.object({ intent: z.enum(["apply", "discard"]) });

const NOT_FOUND = "No such import. It may have been discarded.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, { roles: ["admin", "manager"] });
  const imp = await getCsvImport(getDb(), user, params.importId ?? "");
  if (!imp) throw new Response(NOT_FOUND, { status: 404 });
  const report = imp.report ?? null;
  return json({
    imp: { ...imp, report },
    canApply: imp.isMine && imp.status === "checked" && (report?.errorCount ?? 0) === 0,
    canDiscard: ["checking", "checked", "rejected", "failed"].includes(imp.status),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["admin", "manager"] });
  const importId = params.importId ?? "";
  // Someone else's import is a 404 whatever the form says, as on the page itself.
  if (!(await getCsvImport(getDb(), user, importId))) throw new Response(NOT_FOUND, { status: 404 });
  const parsed = intentSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ error: "Choose Apply or Discard." }, { status: 400 });
  if (parsed.data.intent === "discard") {
    if (await discardCsvImport(getDb(), user, importId)) return redirect("/import");
    if (!(await getCsvImport(getDb(), user, importId))) throw new Response(NOT_FOUND, { status: 404 });
    return json(
      { error: "This import is being or has been applied, so it cannot be discarded." },
      { status: 409 },
    );
  }
  const result = await submitApply(getDb(), user, importId, sendJob);
  if (result === "not-found") throw new Response(NOT_FOUND, { status: 404 });
  if (result === "not-ready") {
    return json(
      { error: "Only a checked file without problems can be applied, once, by the person who uploaded it." },
      { status: 409 },
    );
  }
  return redirect(`/import/${importId}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.imp.fileName ?? "Import"} · Rapport` },
];

const dateFormat = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});
const numberFormat = new Intl.NumberFormat("en-US");

export default function ImportDetail() {
  const { imp, canApply, canDiscard } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = imp.status === "checking" || imp.status === "applying";
  useRevalidateEvery(1000, busy);
  const report = imp.report;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to="/import" className="text-indigo-700 hover:underline">
          ← Import and export
        </Link>
      </p>
      <PageHeader
        title={imp.fileName}
        description={`${humanize(imp.kind)} · uploaded by ${imp.createdByName} on ${dateFormat.format(new Date(imp.createdAt))}`}
      />
      <div className="space-y-6">
        {busy ? <Progress status={imp.status} processed={imp.processedRows} total={imp.totalRows} /> : null}
        {imp.status === "checked" && report ? <Preview report={report} /> : null}
        {imp.status === "applied" && report ? (
          <p
            role="status"
            className="rounded-md border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900"
          >
            Applied{imp.appliedAt ? ` on ${dateFormat.format(new Date(imp.appliedAt))}` : ""}:{" "}
            {numberFormat.format(report.creates)} created, {numberFormat.format(report.updates)} updated,{" "}
            {numberFormat.format(report.unchanged)} unchanged.
          </p>
        ) : null}
        {imp.status === "failed" ? (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-900">
            {imp.error ?? "The import stopped."} Try again by uploading the file once more.
          </p>
        ) : null}
        {imp.status === "rejected" && report ? <Problems report={report} note={imp.error} /> : null}
        {actionData?.error ? (
          <p role="alert" className="text-sm text-red-700">
            {actionData.error}
          </p>
        ) : null}
        {canApply || canDiscard ? <Actions canApply={canApply} canDiscard={canDiscard} /> : null}
      </div>
    </>
  );
}

/** While the file is being checked or applied, reload the page's data every second. */
function Progress({ status, processed, total }: { status: string; processed: number; total: number }) {
  const doing = status === "checking" ? "Checking rows" : "Applying";
  return (
    <section className="card p-6" aria-labelledby="progress-heading">
      <h2 id="progress-heading" className="text-base font-semibold">
        {doing}…
      </h2>
      {/* no value while the rows are still being counted: an indeterminate bar */}
      <progress
        className="mt-3 h-3 w-full"
        aria-labelledby="progress-heading"
        max={total > 0 ? total : undefined}
        value={total > 0 ? processed : undefined}
      />
      <p className="mt-2 text-sm tabular-nums text-slate-600" aria-live="polite">
        {total > 0
          ? `${numberFormat.format(processed)} of ${numberFormat.format(total)} rows`
          : "Counting rows…"}
      </p>
      <noscript>
        <p className="mt-2 text-sm">
          <a href="" className="text-indigo-700 hover:underline">
            Refresh
          </a>{" "}
          to see how far it has got.
        </p>
      </noscript>
    </section>
  );
}

function Preview({ report }: { report: ImportReport }) {
  const counts = [
    ["To create", report.creates],
    ["To update", report.updates],
    ["Unchanged", report.unchanged],
  ] as const;
  return (
    <>
      <dl className="grid gap-4 sm:grid-cols-3">
        {counts.map(([label, n]) => (
          <div key={label} className="card p-4">
            <dt className="text-sm text-slate-600">{label}</dt>
            <dd className="mt-1 text-xl font-semibold tabular-nums">{numberFormat.format(n)}</dd>
          </div>
        ))}
      </dl>
      {report.ignoredColumns.length > 0 ? (
        <p className="text-sm text-slate-600">
          Columns Rapport does not know, left out: {report.ignoredColumns.join(", ")}.
        </p>
      ) : null}
      {report.sample.length === 0 ? (
        <p className="text-sm text-slate-600">
          Every row matches what is already there: applying changes nothing.
        </p>
      ) : (
        <div className="card overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="px-4 py-3 text-left text-slate-600">
              {report.sample.length < report.creates + report.updates
                ? `The first ${report.sample.length} changes`
                : "Every change"}
            </caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                {["Row", "Change", "Record", "Values"].map((heading) => (
                  <th key={heading} scope="col" className="px-4 py-2 font-medium">
                    {heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 align-top">
              {report.sample.map((change) => (
                <tr key={change.row}>
                  <td className="px-4 py-2 tabular-nums">{change.row}</td>
                  <td className="px-4 py-2">{change.action === "create" ? "Create" : "Update"}</td>
                  <td className="px-4 py-2 font-medium">{change.record}</td>
                  <td className="px-4 py-2">
                    <ul>
                      {change.changes.map((c) => (
                        <li key={c.column}>
                          <span className="font-mono text-xs">{c.column}</span>:{" "}
                          {change.action === "update" ? (
                            <>
                              <del className="text-slate-500">{c.from || "(empty)"}</del> →{" "}
                              {c.to || "(empty)"}
                            </>
                          ) : (
                            c.to
                          )}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Problems({ report, note }: { report: ImportReport; note: string | null }) {
  const shown = report.errors.length;
  return (
    <section aria-labelledby="problems-heading" className="space-y-3">
      <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-900">
        <h2 id="problems-heading" className="font-semibold">
          Nothing was imported: {numberFormat.format(report.errorCount)}{" "}
          {report.errorCount === 1 ? "problem needs" : "problems need"} fixing.
        </h2>
        <p className="mt-1">
          {note ? `${note} ` : ""}Fix the file and upload it again.
          {shown < report.errorCount ? ` The first ${numberFormat.format(shown)} are listed.` : ""}
        </p>
      </div>
      <div className="card overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Problems by row (the header is row 1)</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              {["Row", "Column", "Value", "Reason"].map((heading) => (
                <th key={heading} scope="col" className="px-4 py-2 font-medium">
                  {heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 align-top">
            {report.errors.map((error, index) => (
              <tr key={index}>
                <td className="px-4 py-2 tabular-nums">{error.row === 0 ? "File" : error.row}</td>
                <td className="px-4 py-2 font-mono text-xs">{error.column}</td>
                <td className="max-w-xs break-words px-4 py-2">{error.value}</td>
                <td className="px-4 py-2">{error.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Actions({ canApply, canDiscard }: { canApply: boolean; canDiscard: boolean }) {
  const navigation = useNavigation();
  const pending = navigation.state !== "idle" ? navigation.formData?.get("intent") : null;
  return (
    <div className="flex flex-wrap gap-2">
      {canApply ? (
        <Form method="post">
          <button type="submit" name="intent" value="apply" className="btn-primary" disabled={!!pending}>
            {pending === "apply" ? "Starting…" : "Apply"}
          </button>
        </Form>
      ) : null}
      {canDiscard ? (
        <Form
          method="post"
          onSubmit={(event) => {
            if (!window.confirm("Discard this import? The uploaded file is deleted; nothing is imported.")) {
              event.preventDefault();
            }
          }}
        >
          <button type="submit" name="intent" value="discard" className="btn-secondary" disabled={!!pending}>
            {pending === "discard" ? "Discarding…" : "Discard"}
          </button>
        </Form>
      ) : null}
    </div>
  );
}
