import type { LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { EmptyState } from "~/components/empty-state";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { PageHeader } from "~/components/page-header";
import { seesAllAccounts } from "~/domain/access";
import { describeBias } from "~/domain/calibration";
import { getCalibration } from "~/domain/calibration.server";
import { requireUser } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { humanize } from "~/lib/format";
import { formatScore, formatSigned } from "~/lib/score-format";

// From the URL: a malformed id is no id (the page shows the ranking alone).
const querySchema = z.object({ rep: z.string().uuid().optional().catch(undefined) });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { rep } = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  if (rep && rep !== user.id && !seesAllAccounts(user.role)) {
    throw new Response("You can see your own calibration, not a colleague's.", { status: 403 });
  }
  const calibration = await getCalibration(getDb(), user, new Date(), { authorId: rep });
  return json({ calibration, viewerId: user.id });
}

export const meta: MetaFunction = () => [{ title: "Calibration · Rapport" }];

type Data = SerializeFrom<typeof loader>;
type Line = Data["calibration"]["ranking"][number];
type Focus = NonNullable<Data["calibration"]["focus"]>;

const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const formatDay = (iso: string) => day.format(new Date(iso));
const link = "font-medium text-indigo-700 hover:underline";

export default function CalibrationPage() {
  const { calibration } = useLoaderData<typeof loader>();
  const everyone = calibration.scope === "everyone";
  return (
    <>
      <PageHeader
        title="Calibration"
        description={
          everyone
            ? "How close each person’s sealed predictions came to what the customer said next."
            : "How close your sealed predictions came to what the customer said next."
        }
      />
      <p className="mb-6 max-w-prose text-sm text-slate-600">
        Each prediction is paired with the customer’s first answers on the same dimension within{" "}
        {calibration.horizonDays} days after it. <strong className="font-medium">Off by</strong> is the mean
        distance in points, whichever way; <strong className="font-medium">lean</strong> is the mean of
        predicted − actual: positive is optimistic, negative pessimistic. Sellers who overrate a relationship
        tend to invest less in it.
      </p>
      {calibration.ranking.length === 0 ? (
        <EmptyState title="No pairs yet">
          A prediction is paired once the customer answers within {calibration.horizonDays} days after it.{" "}
          <Link to="/accounts" className={link}>
            Open an account
          </Link>{" "}
          and make a prediction before its next survey goes out.
        </EmptyState>
      ) : (
        <Ranking
          lines={calibration.ranking}
          everyone={everyone}
          focusId={calibration.focus?.authorId ?? null}
        />
      )}
      {calibration.focus ? (
        <Breakdown focus={calibration.focus} everyone={everyone} horizonDays={calibration.horizonDays} />
      ) : null}
    </>
  );
}

function Ranking({ lines, everyone, focusId }: { lines: Line[]; everyone: boolean; focusId: string | null }) {
  return (
    <div className="card overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="px-4 py-2 text-left font-medium text-slate-700">
          {everyone ? "Every team member with pairs, best calibrated first" : "Your calibration"}
        </caption>
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            {everyone ? (
              <th scope="col" className="px-3 py-2 text-right font-medium">
                Rank
              </th>
            ) : null}
            <th scope="col" className="px-3 py-2 font-medium">
              Team member
            </th>
            <CalibrationColumns />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {lines.map((line) => {
            const href = everyone ? `?rep=${line.authorId}#breakdown` : "#breakdown";
            return (
              <tr key={line.authorId} className={line.authorId === focusId ? "bg-indigo-50/60" : undefined}>
                {everyone ? <td className="px-3 py-2 text-right tabular-nums">{line.rank}</td> : null}
                <th scope="row" className="px-3 py-2 text-left font-medium">
                  {everyone ? (
                    <Link to={href} className={link}>
                      {line.name}
                    </Link>
                  ) : (
                    line.name
                  )}
                  {line.deactivated ? (
                    <span className="ml-1 text-xs text-slate-500">(deactivated)</span>
                  ) : null}
                </th>
                <td className="px-3 py-2 text-right tabular-nums">
                  {everyone ? (
                    <Link to={href} className={link}>
                      {line.pairs}
                    </Link>
                  ) : (
                    <a href={href} className={link}>
                      {line.pairs}
                    </a>
                  )}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {formatScore(line.meanAbsoluteError)} points
                </td>
                <td className="px-3 py-2">
                  <span className="tabular-nums">{formatSigned(line.meanBias)}</span>{" "}
                  <span className="text-slate-600">({describeBias(line.meanBias)})</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Breakdown({
  focus,
  everyone,
  horizonDays,
}: {
  focus: Focus;
  everyone: boolean;
  horizonDays: number;
}) {
  return (
    <section aria-labelledby="breakdown" className="mt-8 space-y-4">
      <h2 id="breakdown" className="scroll-mt-4 text-lg font-semibold">
        {everyone ? `${focus.name}, by dimension` : "Your calibration by dimension"}
      </h2>
      {focus.pairCount === 0 ? (
        <EmptyState title="No pairs yet">
          {everyone ? `None of ${focus.name}’s predictions` : "None of your predictions"} has been followed by
          a customer answer within {horizonDays} days yet.
        </EmptyState>
      ) : (
        <>
          <div className="card overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <caption className="sr-only">Calibration per dimension</caption>
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Dimension
                  </th>
                  <CalibrationColumns />
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {focus.byDimension.map((row) => (
                  <tr key={row.dimension}>
                    <th scope="row" className="px-3 py-2 text-left font-medium">
                      {humanize(row.dimension)}
                    </th>
                    <td className="px-3 py-2 text-right tabular-nums">{row.pairs}</td>
                    <td className="px-3 py-2 text-right tabular-nums">
                      {formatScore(row.meanAbsoluteError)}
                    </td>
                    <td className="px-3 py-2">
                      <span className="tabular-nums">{formatSigned(row.meanBias)}</span>{" "}
                      <span className="text-slate-600">({describeBias(row.meanBias)})</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pairs focus={focus} />
        </>
      )}
    </section>
  );
}

function Pairs({ focus }: { focus: Focus }) {
  return (
    <div>
      <h3 className="mb-2 font-semibold">The pairs, newest prediction first</h3>
      <div className="card overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Each prediction and what the customer then said, 0–100</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">
                Predicted on
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Account
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Dimension
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                Predicted
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                Customer said
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                Error
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {focus.pairs.map((pair) => (
              <tr key={`${pair.predictionId}-${pair.dimension}`}>
                <td className="whitespace-nowrap px-3 py-2">
                  {pair.predictionId ? (
                    <Link to={`/predictions/${pair.predictionId}`} className={link}>
                      {formatDay(pair.madeAt)}
                    </Link>
                  ) : (
                    formatDay(pair.madeAt)
                  )}
                </td>
                <td className="px-3 py-2">
                  <Link to={`/accounts/${pair.accountId}`} className={link}>
                    {pair.accountName}
                  </Link>
                  {pair.contactName ? <span className="text-slate-600"> · {pair.contactName}</span> : null}
                </td>
                <td className="px-3 py-2">{humanize(pair.dimension)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{formatScore(pair.predicted)}</td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {formatScore(pair.actual)}
                  <span className="block text-xs text-slate-600">
                    {pair.responses} {pair.responses === 1 ? "answer" : "answers"},{" "}
                    {formatDay(pair.answeredAt)}
                  </span>
                </td>
                <td className="px-3 py-2 text-right font-semibold tabular-nums">
                  {formatSigned(pair.error)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {focus.pairCount > focus.pairs.length ? (
        <p className="mt-2 text-xs text-slate-600">
          The newest {focus.pairs.length} of {focus.pairCount} pairs.
        </p>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

/** The columns every calibration table shares, after its first. */
function CalibrationColumns() {
  return (
    <>
      <th scope="col" className="px-3 py-2 text-right font-medium">
        Pairs
      </th>
      <th scope="col" className="px-3 py-2 text-right font-medium">
        Off by <abbr title="mean absolute error">(MAE)</abbr>
      </th>
      <th scope="col" className="px-3 py-2 font-medium">
        Lean (bias)
      </th>
    </>
  );
}
