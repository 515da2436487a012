import { Link } from "@remix-run/react";

export interface SurveyListVersion {
  versionId: string;
  version: number;
  source: "file" | "upload" | "api";
  createdAt: string;
  responses: number;
  completed: number;
}

export interface SurveyListDefinition {
  id: string;
  slug: string;
  title: string;
  kind: string;
  /** Newest first. */
  versions: SurveyListVersion[];
}

const kindLabels: Record<string, string> = {
  relationship: "Relationship health",
  winloss: "Win/loss",
  interview: "Interview guide",
  mirror: "Mirror",
};

const sourceLabels: Record<SurveyListVersion["source"], string> = {
  file: "File in surveys/",
  upload: "Uploaded",
  api: "API",
};

// A fixed locale and time zone, so the server and the browser print the same date.
const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const numberFormat = new Intl.NumberFormat("en-US");

/** Every survey definition with its versions, newest first, and what each version collected. */
export function SurveyList({ definitions }: { definitions: SurveyListDefinition[] }) {
  return (
    <ul className="space-y-6" aria-label="Survey definitions">
      {definitions.map((definition) => (
        <li key={definition.id}>
          <SurveyDefinitionCard definition={definition} />
        </li>
      ))}
    </ul>
  );
}

function SurveyDefinitionCard({ definition }: { definition: SurveyListDefinition }) {
  const headingId = `survey-${definition.id}`;
  return (
    <section className="card overflow-hidden" aria-labelledby={headingId}>
      <div className="border-b border-slate-200 px-4 py-3">
        <h2 id={headingId} className="text-base font-semibold text-slate-900">
          {definition.title}
        </h2>
        <dl className="mt-1 flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-600">
          <div className="flex gap-1">
            <dt>Kind:</dt>
            <dd className="font-medium text-slate-800">{kindLabels[definition.kind] ?? definition.kind}</dd>
          </div>
          <div className="flex gap-1">
            <dt>Name:</dt>
            <dd>
              <code className="rounded bg-slate-100 px-1 text-slate-800">{definition.slug}</code>
            </dd>
          </div>
        </dl>
      </div>
      {/* relative: keeps the sr-only text of cells scrolled out of view inside this box, so a
          phone's page does not grow sideways */}
      <div className="relative overflow-x-auto">
        {/* Fixed column widths line the versions of every survey up under each other. */}
        <table className="w-full min-w-[48rem] table-fixed divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Versions of {definition.title}, newest first</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className="w-40 px-4 py-2 font-medium">
                Version
              </th>
              <th scope="col" className="w-24 px-4 py-2 font-medium">
                <span className="sr-only">Preview</span>
              </th>
              <th scope="col" className="px-4 py-2 text-right font-medium">
                Responses
              </th>
              <th scope="col" className="px-4 py-2 text-right font-medium">
                Completed
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Source
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Imported
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {definition.versions.map((version, index) => (
              <tr key={version.versionId}>
                <th scope="row" className="whitespace-nowrap px-4 py-2 text-left font-medium">
                  Version {version.version}
                  {index === 0 ? (
                    <>
                      {" "}
                      <span className="ml-1 rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-700">
                        Latest
                      </span>
                    </>
                  ) : null}
                </th>
                {/* Second, so a phone shows it without scrolling the table sideways. */}
                <td className="px-4 py-2">
                  <Link
                    to={`/surveys/${version.versionId}/preview`}
                    className="font-medium text-indigo-700 hover:underline"
                  >
                    Preview
                    <span className="sr-only">
                      {" "}
                      version {version.version} of {definition.title}
                    </span>
                  </Link>
                </td>
                <td className="px-4 py-2 text-right tabular-nums">
                  {numberFormat.format(version.responses)}
                </td>
                <td className="px-4 py-2 text-right tabular-nums">
                  {numberFormat.format(version.completed)}
                </td>
                <td className="px-4 py-2">{sourceLabels[version.source]}</td>
                <td className="whitespace-nowrap px-4 py-2">
                  <time dateTime={version.createdAt}>{dateFormat.format(new Date(version.createdAt))}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
