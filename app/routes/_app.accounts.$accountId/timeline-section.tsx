import type { SerializeFrom } from "@remix-run/node";
import { Link, useNavigation, useSearchParams } from "@remix-run/react";
import { EmptyState } from "~/components/empty-state";
import { Pagination } from "~/components/pagination";
import { PredictionComparisonTable } from "~/components/prediction-comparison-table";
import { formatCents, humanize } from "~/lib/format";
import { formatDayAndTime, formatDay } from "./dates";
import type { loader } from "./route";

type Timeline = SerializeFrom<typeof loader>["timeline"];
type Item = Timeline["items"][number];
type Kind = Timeline["kind"];

const FILTERS: { kind: Kind; label: string; empty: string }[] = [
  { kind: "all", label: "Everything", empty: "Nothing has happened on this account yet." },
  { kind: "interaction", label: "Interactions", empty: "No interactions logged yet." },
  { kind: "response", label: "Survey responses", empty: "No completed survey responses yet." },
  {
    kind: "prediction",
    label: "Predictions",
    empty:
      "No predictions you can see yet. A colleague’s prediction stays sealed until the customer answers.",
  },
  { kind: "opportunity", label: "Opportunities", empty: "No opportunities yet." },
  { kind: "case", label: "Cases", empty: "No Customer 9-1-1 cases. Good." },
];

const BADGE: Record<Item["kind"], { label: string; style: string }> = {
  interaction: { label: "Interaction", style: "bg-slate-100 text-slate-800" },
  response: { label: "Survey response", style: "bg-indigo-50 text-indigo-800" },
  prediction: { label: "Prediction", style: "bg-violet-50 text-violet-800" },
  opportunity: { label: "Opportunity", style: "bg-sky-50 text-sky-800" },
  case: { label: "9-1-1 case", style: "bg-red-50 text-red-800" },
};

const SOURCE: Record<"email" | "link" | "interview", string> = {
  email: "from an email invitation",
  link: "from a survey link",
  interview: "in an interview",
};

/** Everything that happened with the customer, newest first, one kind at a time if asked. */
export function TimelineSection({ timeline }: { timeline: Timeline }) {
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const hrefFor = (kind: Kind) => {
    const params = new URLSearchParams(searchParams);
    params.delete("page");
    if (kind === "all") params.delete("kind");
    else params.set("kind", kind);
    const query = params.toString();
    return `${query ? `?${query}` : "?"}#timeline`;
  };
  const active = FILTERS.find((f) => f.kind === timeline.kind) ?? FILTERS[0]!;
  return (
    <section aria-labelledby="timeline" className="mt-10">
      <h2 id="timeline" className="mb-3 text-lg font-semibold">
        Timeline
      </h2>
      <nav aria-label="Show on the timeline" className="mb-4">
        <ul className="flex flex-wrap gap-2 text-sm">
          {FILTERS.map((filter) => (
            <li key={filter.kind}>
              <Link
                to={hrefFor(filter.kind)}
                aria-current={filter.kind === timeline.kind ? "page" : undefined}
                className={`inline-block rounded-full border px-3 py-1 ${
                  filter.kind === timeline.kind
                    ? "border-indigo-600 bg-indigo-600 text-white"
                    : "border-slate-300 bg-white text-slate-700 hover:bg-slate-100"
                }`}
              >
                {filter.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {timeline.items.length === 0 ? (
        <EmptyState title={timeline.total > 0 ? "No more entries" : "Nothing here yet"}>
          {timeline.total > 0 ? "This page is past the end of the timeline." : active.empty}
        </EmptyState>
      ) : (
        <ol
          className={`card divide-y divide-slate-100 ${navigation.state === "loading" ? "opacity-60" : ""}`}
          aria-busy={navigation.state === "loading"}
        >
          {timeline.items.map((item) => (
            <li key={item.key} className="px-4 py-3">
              <p className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
                <span className={`rounded-full px-2 py-0.5 font-medium ${BADGE[item.kind].style}`}>
                  {BADGE[item.kind].label}
                </span>
                <time dateTime={item.at}>{formatDayAndTime(item.at)}</time>
              </p>
              <div className="mt-1 text-sm">
                <TimelineEntry item={item} />
              </div>
            </li>
          ))}
        </ol>
      )}
      {timeline.items.length > 0 ? (
        <Pagination page={timeline.page} pageSize={timeline.pageSize} total={timeline.total} />
      ) : timeline.page > 1 ? (
        <p className="mt-4 text-sm">
          <Link to={hrefFor(timeline.kind)} className="font-medium text-indigo-700 hover:underline">
            Back to the newest entries
          </Link>
        </p>
      ) : null}
    </section>
  );
}

function TimelineEntry({ item }: { item: Item }) {
  switch (item.kind) {
    case "interaction":
      return (
        <>
          <p>
            <span className="font-medium">{humanize(item.interactionKind)}</span>
            {item.summary ? `: ${item.summary}` : ""}
          </p>
          <p className="mt-0.5 text-xs text-slate-600">
            {item.authorName ? `Logged by ${item.authorName}` : "Logged by a former colleague"}
            {item.contacts.length > 0 ? (
              <>
                {" · with "}
                {item.contacts.map((contact, i) => (
                  <span key={contact.id}>
                    {i > 0 ? ", " : ""}
                    <Link to={`/contacts/${contact.id}`} className="text-indigo-700 hover:underline">
                      {contact.name}
                    </Link>
                  </span>
                ))}
              </>
            ) : null}
            {item.engagementQuality ? ` · engagement ${item.engagementQuality}/5` : ""}
            {item.interactionKind === "commitment"
              ? ` · ${item.commitmentStatus ?? "open"}${item.dueOn ? `, due ${formatDay(item.dueOn)}` : ""}`
              : ""}
            {item.equityEffect !== "neutral" &&
            !(item.interactionKind === "commitment" && item.commitmentStatus === "open")
              ? ` · ${item.equityEffect === "deposit" ? "+" : "−"}${item.equityWeight} ${item.equityEffect}`
              : ""}
          </p>
        </>
      );
    case "response":
      return (
        <p>
          {item.contactId ? (
            <Link to={`/contacts/${item.contactId}`} className="font-medium text-indigo-700 hover:underline">
              {item.contactName}
            </Link>
          ) : (
            <span className="font-medium">A former contact</span>
          )}{" "}
          answered <span className="font-medium">{item.surveyTitle}</span> {SOURCE[item.source]}
          {item.source === "interview" && item.interviewerName ? ` with ${item.interviewerName}` : ""}.
        </p>
      );
    case "prediction":
      return <PredictionEntry item={item} />;
    case "opportunity":
      return (
        <p>
          {item.event === "created" ? (
            <>
              New opportunity{" "}
              <Link to={`/opportunities/${item.id}`} className="font-medium text-indigo-700 hover:underline">
                {item.name}
              </Link>{" "}
              worth <span className="tabular-nums">{formatCents(item.amountCents)}</span>.
            </>
          ) : (
            <>
              <Link to={`/opportunities/${item.id}`} className="font-medium text-indigo-700 hover:underline">
                {item.name}
              </Link>{" "}
              closed: <span className="font-medium">{humanize(item.outcome)}</span>
              {item.competitor ? ` (competitor: ${item.competitor})` : ""}.
            </>
          )}
        </p>
      );
    case "case":
      return item.event === "opened" ? (
        <p>
          <span className="font-medium">{humanize(item.severity)}</span> case opened ({humanize(item.trigger)}
          ): {item.summary}{" "}
          <Link to={`/cases/${item.id}`} className="text-indigo-700 hover:underline">
            Open the case
          </Link>
        </p>
      ) : (
        <p>
          Case resolved: {item.summary}
          {item.resolutionNote ? (
            <span className="block text-xs text-slate-600">{item.resolutionNote}</span>
          ) : null}
        </p>
      );
  }
}

function PredictionEntry({ item }: { item: Extract<Item, { kind: "prediction" }> }) {
  const answered = item.comparison.some((row) => row.customer !== null);
  return (
    <>
      <p>
        <span className="font-medium">{item.authorName}</span> predicted how{" "}
        {item.contactName ?? "the customer"} would answer.{" "}
        <Link to={`/predictions/${item.id}`} className="text-indigo-700 hover:underline">
          Open the prediction
        </Link>
      </p>
      {item.sealed ? (
        <p className="mt-0.5 text-xs text-violet-800">
          Sealed: only you can see it until the customer answers.
        </p>
      ) : null}
      {item.note ? <p className="mt-0.5 text-xs text-slate-600">{item.note}</p> : null}
      {item.comparison.length > 0 ? (
        <PredictionComparisonTable
          rows={item.comparison}
          answered={answered}
          compact
          caption={
            answered
              ? "Predicted and customer answers by dimension, 0–100"
              : "Predicted answers by dimension, 0–100"
          }
        />
      ) : null}
    </>
  );
}
