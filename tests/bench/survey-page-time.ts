/**
 * How long the server takes to answer a customer's `GET /s/:token`: one at a time, and
 * ten at a time. Every request is a first view of its own invitation (it marks it opened).
 */
import type { Benchmark } from "./benchmark";
import { timingFigure } from "./figures";
import { describeFailures, timeRequests } from "./measure";

const REQUESTS = 200;
const CONCURRENCY = 10;
const WARM_UP = 10;

export const surveyPageTime: Benchmark = {
  name: "survey page server time",
  async run(context) {
    const get = ({ token }: { token: string }) => fetch(`${context.baseUrl}/s/${token}`);

    // JIT, the pool's connections and the route's first import are not what is measured.
    await timeRequests(await context.createInvitations(WARM_UP), 1, get);

    const sequential = await timeRequests(await context.createInvitations(REQUESTS), 1, get);
    const concurrent = await timeRequests(await context.createInvitations(REQUESTS), CONCURRENCY, get);
    for (const failure of [
      describeFailures("GET /s/:token (sequential)", sequential),
      describeFailures(`GET /s/:token (${CONCURRENCY} concurrent)`, concurrent),
    ]) {
      if (failure) context.problem(failure);
    }
    return [
      timingFigure(
        `GET /s/:token, sequential (n=${REQUESTS})`,
        sequential.map((r) => r.ms),
      ),
      timingFigure(
        `GET /s/:token, ${CONCURRENCY} concurrent (n=${REQUESTS})`,
        concurrent.map((r) => r.ms),
      ),
    ];
  },
};
