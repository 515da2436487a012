import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  MaxPartSizeExceededError,
  json,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { MAX_UPLOAD_BYTES, listCsvImports, submitCsvImport } from "~/domain/csv-import.server";
import { CSV_COLUMNS, CSV_KINDS, REQUIRED_COLUMNS } from "~/domain/csv/columns";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { humanize } from "~/lib/format";
import { sendJob } from "~/lib/jobs.server";

const CHOOSE_FILE = "Choose a CSV file to upload.";

const uploadSchema = z.object({
  kind: z.enum(CSV_KINDS, {
    errorMap: () => ({
      message: "Choose what the file holds: accounts, contacts, opportunities or interactions.",
    }),
  }),
  file: z
    .instanceof(File, { message: CHOOSE_FILE })
    // a form sent without a chosen file still carries the field: no name, no bytes
    .refine((file) => file.name !== "" || file.size > 0, CHOOSE_FILE)
    .refine((file) => file.size > 0, "That file is empty. Export the data again and upload the .csv file."),
});

type FieldErrors = { kind?: string; file?: string };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // leaders export only: they get the export links, not the upload or the import list
  const canImport = user.role !== "leader";
  const imports = canImport ? await listCsvImports(getDb(), user) : [];
  return json({ canImport, imports, isAdmin: user.role === "admin" });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, { roles: ["admin", "manager"] });
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      return refused(413, {
        file: "That file is larger than 25 MB. Split it into smaller files, each with the header row, and import them one after another.",
      });
    }
    return refused(400, { file: "The upload could not be read. Choose the file again and upload it." });
  }
  const parsed = uploadSchema.safeParse({
    kind: form.get("kind") ?? undefined,
    file: form.get("file") ?? undefined,
  });
  if (!parsed.success) {
    const errors = parsed.error.flatten().fieldErrors;
    return refused(400, { kind: errors.kind?.[0], file: errors.file?.[0] });
  }
  const { kind, file } = parsed.data;
  const { id } = await submitCsvImport(
    getDb(),
    user,
    { kind, fileName: file.name, content: new Uint8Array(await file.arrayBuffer()) },
    sendJob,
  );
  return redirect(`/import/${id}`);
}

function refused(status: number, fieldErrors: FieldErrors) {
  return json({ fieldErrors }, { status });
}

export const meta: MetaFunction = () => [{ title: "Import and export · Rapport" }];

const statusLabels: Record<string, string> = {
  checking: "Checking",
  checked: "Ready to apply",
  rejected: "Needs fixing",
  applying: "Applying",
  applied: "Applied",
  failed: "Failed",
};
const dateFormat = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

export default function ImportPage() {
  const { canImport, imports, isAdmin } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Import and export"
        description="Bring accounts, contacts, opportunities and interactions in from a CRM export, or take them out as CSV."
      />
      <div className="space-y-8">
        {canImport ? <UploadForm /> : null}
        <section className="card p-6" aria-labelledby="export-heading">
          <h2 id="export-heading" className="text-base font-semibold">
            Export
          </h2>
          <p className="mt-1 max-w-prose text-sm text-slate-600">
            A CSV file of everything on the accounts you can see, with the same columns the import reads: edit
            it and import it again to update the records.
          </p>
          <ul className="mt-3 flex flex-wrap gap-2">
            {CSV_KINDS.map((kind) => (
              <li key={kind}>
                <a href={`/export/${kind}`} download className="btn-secondary">
                  Export {kind}
                </a>
              </li>
            ))}
          </ul>
        </section>
        {canImport ? (
          <section aria-labelledby="recent-heading">
            <h2 id="recent-heading" className="mb-3 text-lg font-semibold">
              Recent imports
            </h2>
            {imports.length === 0 ? (
              <EmptyState title="No imports yet">
                Files you upload appear here with what they would change, or what needs fixing first.
              </EmptyState>
            ) : (
              <div className="card overflow-x-auto">
                <table className="min-w-full divide-y divide-slate-200 text-sm">
                  <thead className="bg-slate-50 text-left text-slate-600">
                    <tr>
                      <th scope="col" className="px-4 py-3 font-medium">
                        File
                      </th>
                      <th scope="col" className="px-4 py-3 font-medium">
                        Kind
                      </th>
                      <th scope="col" className="px-4 py-3 font-medium">
                        Status
                      </th>
                      <th scope="col" className="px-4 py-3 text-right font-medium">
                        Rows
                      </th>
                      {isAdmin ? (
                        <th scope="col" className="px-4 py-3 font-medium">
                          Uploaded by
                        </th>
                      ) : null}
                      <th scope="col" className="px-4 py-3 font-medium">
                        Uploaded
                      </th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {imports.map((imp) => (
                      <tr key={imp.id}>
                        <td className="px-4 py-3 font-medium">
                          <Link to={`/import/${imp.id}`} className="text-indigo-700 hover:underline">
                            {imp.fileName}
                          </Link>
                        </td>
                        <td className="px-4 py-3">{humanize(imp.kind)}</td>
                        <td className="px-4 py-3">
                          {statusLabels[imp.status]}
                          {imp.status === "rejected" ? ` (${imp.errorCount} problems)` : ""}
                        </td>
                        <td className="px-4 py-3 text-right tabular-nums">{imp.totalRows}</td>
                        {isAdmin ? <td className="px-4 py-3">{imp.createdByName}</td> : null}
                        <td className="whitespace-nowrap px-4 py-3">
                          {dateFormat.format(new Date(imp.createdAt))}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        ) : null}
      </div>
    </>
  );
}

function UploadForm() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state !== "idle" && navigation.formEncType === "multipart/form-data";
  const errors: FieldErrors = result?.fieldErrors ?? {};
  const describedBy = (field: keyof FieldErrors) =>
    [`import-${field}-help`, errors[field] ? `import-${field}-error` : null].filter(Boolean).join(" ");
  return (
    <section className="card p-6" aria-labelledby="upload-heading">
      <h2 id="upload-heading" className="text-base font-semibold">
        Import a CSV file
      </h2>
      <p className="mt-1 max-w-prose text-sm text-slate-600">
        Rapport checks every row first and shows what would be created or updated, or every row that needs
        fixing. Nothing is written until you apply it, and then all of it is written or none.
      </p>
      <Form
        method="post"
        encType="multipart/form-data"
        noValidate
        className="mt-4 max-w-xl space-y-4"
        aria-busy={submitting}
      >
        <div>
          <label htmlFor="import-kind" className="block text-sm font-medium">
            The file holds
          </label>
          <select
            id="import-kind"
            name="kind"
            required
            className="input mt-1"
            aria-invalid={errors.kind ? true : undefined}
            aria-describedby={describedBy("kind")}
          >
            {CSV_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {humanize(kind)}
              </option>
            ))}
          </select>
          <details id="import-kind-help" className="mt-2 text-sm text-slate-600">
            <summary className="cursor-pointer">The columns of each kind of file</summary>
            <dl className="mt-2 space-y-2">
              {CSV_KINDS.map((kind) => (
                <div key={kind}>
                  <dt className="font-medium text-slate-800">{humanize(kind)}</dt>
                  <dd className="font-mono text-xs">
                    {CSV_COLUMNS[kind]
                      .map((column) => (REQUIRED_COLUMNS[kind].includes(column) ? `${column}*` : column))
                      .join(", ")}
                  </dd>
                </div>
              ))}
            </dl>
            <p className="mt-2">
              * required. Contacts, opportunities and interactions also need account_external_id or
              account_name. Rows with an external_id update the record that has it; otherwise accounts match
              by name, contacts by email (else name) and opportunities by name within their account. An empty
              cell clears an optional field; a column left out of the file changes nothing.
            </p>
          </details>
          {errors.kind ? (
            <p id="import-kind-error" role="alert" className="mt-1 text-sm text-red-700">
              {errors.kind}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor="import-file" className="block text-sm font-medium">
            CSV file
          </label>
          <input
            id="import-file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            required
            className="mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-slate-100"
            aria-invalid={errors.file ? true : undefined}
            aria-describedby={describedBy("file")}
          />
          <p id="import-file-help" className="mt-1 text-sm text-slate-600">
            UTF-8 text (in Excel: “CSV UTF-8”), at most 25 MB, with a header row.
          </p>
          {errors.file ? (
            <p id="import-file-error" role="alert" className="mt-1 text-sm text-red-700">
              {errors.file}
            </p>
          ) : null}
        </div>
        <button type="submit" className="btn-primary" disabled={submitting}>
          {submitting ? "Uploading…" : "Upload and check"}
        </button>
      </Form>
    </section>
  );
}
