/**
 * How the server holds up under customers opening their survey links: 2,000 `GET /s/:token`,
 * 50 at a time, each a first view of its own invitation (it marks it opened). The baseline,
 * measured just before in the same run, is a bare Remix route that renders a static page
 * (tests/bench/baseline-route.tsx) on the same server and build: the survey page must keep
 * 40 % of its throughput and answer within 150 ms at p95.
 */
import { and, count, eq, inArray } from "drizzle-orm";
import { invitations } from "../../db/schema";
import type { Benchmark } from "./benchmark";
import type { BenchContext } from "./context";
import { timingFigure, type Figure } from "./figures";
import { describeFailures, httpRequest, timeRequests, type TimedResult } from "./measure";

const REQUESTS = 2000;
const CONCURRENCY = 50;
const WARM_UP = 50;

export const surveyPageTime: Benchmark = {
  name: "survey page server time",
  async run(context) {
    const bare = () => httpRequest(`${context.baseUrl}${context.baselinePath}`);
    const get = ({ token }: { token: string }) => httpRequest(`${context.baseUrl}/s/${token}`);
    const slots = Array.from({ length: REQUESTS }, (_, i) => i);

    // JIT, the pool's connections and the routes' first import are not what is measured.
    await timeRequests(slots.slice(0, WARM_UP), CONCURRENCY, bare);
    await timeRequests(await context.createInvitations(WARM_UP), CONCURRENCY, get);

    const links = await context.createInvitations(REQUESTS);
    const baseline = await throughput(context, () => timeRequests(slots, CONCURRENCY, bare));
    const survey = await throughput(context, () => timeRequests(links, CONCURRENCY, get));

    for (const failure of [
      describeFailures(`GET ${context.baselinePath} (${CONCURRENCY} concurrent)`, baseline.results),
      describeFailures(`GET /s/:token (${CONCURRENCY} concurrent)`, survey.results),
    ]) {
      if (failure) context.problem(failure);
    }
    const [opened] = await context.db
      .select({ n: count() })
      .from(invitations)
      .where(
        and(
          inArray(
            invitations.id,
            links.map((l) => l.invitationId),
          ),
          eq(invitations.status, "opened"),
        ),
      );
    if ((opened?.n ?? 0) !== REQUESTS)
      context.problem(
        `only ${opened?.n ?? 0} of ${REQUESTS} survey page views marked their invitation opened`,
      );

    return [
      timingFigure(
        `GET ${context.baselinePath}, bare route, ${CONCURRENCY} concurrent (n=${REQUESTS})`,
        baseline.results.map((r) => r.ms),
      ),
      timingFigure(
        `GET /s/:token, ${CONCURRENCY} concurrent (n=${REQUESTS})`,
        survey.results.map((r) => r.ms),
        { budget: 150 },
      ),
      {
        name: `GET /s/:token throughput vs bare route`,
        unit: "req/s",
        value: survey.perSecond,
        baseline: baseline.perSecond,
        ratio: survey.perSecond / baseline.perSecond,
        ratioAtLeast: 0.4,
      },
      cpuFigure(`  web process CPU per request, bare route`, baseline),
      cpuFigure(`  web process CPU per request, GET /s/:token`, survey),
    ];
  },
};

/**
 * The results, how many requests a second completed over the whole run, and the web
 * process's CPU time per request over it.
 */
export async function throughput(context: BenchContext, run: () => Promise<TimedResult[]>) {
  const cpuBefore = await context.appCpuMs();
  const started = process.hrtime.bigint();
  const results = await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuMs = (await context.appCpuMs()) - cpuBefore;
  return { results, perSecond: results.length / seconds, cpuMsPerRequest: cpuMs / results.length };
}

export function cpuFigure(name: string, measured: { cpuMsPerRequest: number }): Figure {
  return { name, unit: "ms CPU", value: measured.cpuMsPerRequest };
}
