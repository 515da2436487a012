import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";

/** What the upload action answers; the form shows it. */
export type SurveyUploadResult =
  | {
      ok: true;
      outcome: "created" | "new-version" | "unchanged";
      slug: string;
      title: string;
      version: number;
    }
  | {
      ok: false;
      slug: string;
      fieldErrors: { slug?: string; file?: string };
      /** Why the definition itself was refused, one line per problem. */
      problems: { where: string; message: string }[];
    };

/** "question trust: unknown dimension …", "survey: must have a `title`". */
export function describeProblem(problem: { where: string; message: string }): string {
  const subject =
    problem.where === "survey" || problem.where === "file" ? problem.where : `question ${problem.where}`;
  return `${subject}: ${problem.message}`;
}

export const MAX_SURVEY_UPLOAD_BYTES = 1_000_000;

/**
 * The admin's upload: a name and a SurveyJS JSON file. The server checks it exactly as it
 * checks surveys/*.json and answers with the new version or every problem it found.
 */
export function SurveyUploadForm({
  existing,
  result,
}: {
  existing: { slug: string; title: string }[];
  result: SurveyUploadResult | undefined;
}) {
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting" && navigation.formEncType === "multipart/form-data";
  const form = useRef<HTMLFormElement>(null);

  // A success clears the form for the next file; after a refusal the admin fixes and resubmits.
  useEffect(() => {
    if (result?.ok) form.current?.reset();
  }, [result]);

  const fieldErrors = result && !result.ok ? result.fieldErrors : {};
  const slugDescribedBy = ["survey-slug-help", fieldErrors.slug ? "survey-slug-error" : null]
    .filter(Boolean)
    .join(" ");
  const fileDescribedBy = ["survey-file-help", fieldErrors.file ? "survey-file-error" : null]
    .filter(Boolean)
    .join(" ");

  return (
    <section className="card p-6" aria-labelledby="upload-heading">
      <h2 id="upload-heading" className="text-base font-semibold text-slate-900">
        Upload a survey definition
      </h2>
      <p className="mt-1 max-w-prose text-sm text-slate-600">
        A SurveyJS JSON file is checked the same way as the files in surveys/. If anything is wrong, nothing
        is saved and every problem is listed. Responses already collected keep the version they answered.
      </p>
      <Form
        ref={form}
        method="post"
        encType="multipart/form-data"
        preventScrollReset
        noValidate
        className="mt-4 max-w-xl space-y-4"
        aria-busy={submitting}
      >
        <div>
          <label htmlFor="survey-slug" className="block text-sm font-medium">
            Name
          </label>
          <input
            id="survey-slug"
            name="slug"
            type="text"
            list="survey-slugs"
            required
            maxLength={63}
            autoComplete="off"
            spellCheck={false}
            defaultValue={result && !result.ok ? result.slug : undefined}
            className="input mt-1 font-mono"
            aria-invalid={fieldErrors.slug ? true : undefined}
            aria-describedby={slugDescribedBy}
          />
          <datalist id="survey-slugs">
            {existing.map((definition) => (
              <option key={definition.slug} value={definition.slug}>
                {definition.title}
              </option>
            ))}
          </datalist>
          <p id="survey-slug-help" className="mt-1 text-sm text-slate-600">
            Lowercase letters, digits and dashes, starting with a letter or digit (e.g. relationship-health).
            To add a new version of an existing survey, type its name; a new name creates a new survey.
          </p>
          {fieldErrors.slug ? (
            <p id="survey-slug-error" role="alert" className="mt-1 text-sm text-red-700">
              {fieldErrors.slug}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor="survey-file" className="block text-sm font-medium">
            SurveyJS JSON file
          </label>
          <input
            id="survey-file"
            name="file"
            type="file"
            accept=".json,application/json"
            required
            className="mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-slate-100"
            aria-invalid={fieldErrors.file ? true : undefined}
            aria-describedby={fileDescribedBy}
          />
          <p id="survey-file-help" className="mt-1 text-sm text-slate-600">
            A .json file of at most 1 MB.
          </p>
          {fieldErrors.file ? (
            <p id="survey-file-error" role="alert" className="mt-1 text-sm text-red-700">
              {fieldErrors.file}
            </p>
          ) : null}
        </div>
        {result && !result.ok && result.problems.length > 0 ? (
          <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-900">
            <p className="font-medium">
              Nothing was imported. Fix {result.problems.length === 1 ? "this problem" : "these problems"} and
              upload the file again:
            </p>
            <ul className="mt-2 list-disc space-y-1 pl-5">
              {result.problems.map((problem, index) => (
                <li key={index}>{describeProblem(problem)}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {result?.ok ? (
          <p
            role="status"
            className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900"
          >
            {result.outcome === "unchanged"
              ? `Identical to version ${result.version} of ${result.title} — nothing changed.`
              : `Imported as version ${result.version} of ${result.title}.`}
          </p>
        ) : null}
        <button type="submit" className="btn-primary" disabled={submitting}>
          {submitting ? "Checking and importing…" : "Upload"}
        </button>
      </Form>
    </section>
  );
}
