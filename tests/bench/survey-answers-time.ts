/**
 * How long the server takes to store a customer's answers, the way the survey page sends
 * them: an autosave of the first page, then the final submit, each invitation once. Every
 * submit must come back 200 and be stored as a completed response.
 */
import { and, count, eq, inArray } from "drizzle-orm";
import { responses } from "../../db/schema";
import type { Benchmark } from "./benchmark";
import { timingFigure } from "./figures";
import { describeFailures, postJson, timeRequests } from "./measure";

const INVITATIONS = 200;
const WARM_UP = 10;

/** relationship-health's first page, all "agree": no follow-up comment becomes required. */
const FIRST_PAGE = {
  trust: 4,
  responsiveness: 4,
  understanding: 4,
  value: 4,
  communication: 4,
  relationship: 4,
};
/** Every required rating answered. */
const COMPLETE = { ...FIRST_PAGE, advocacy: 8, renewal: 4 };

export const surveyAnswersTime: Benchmark = {
  name: "survey answers server time",
  async run(context) {
    const save = ({ token }: { token: string }, index: number) =>
      postJson(`${context.baseUrl}/s/${token}/save`, {
        data: FIRST_PAGE,
        currentPage: 0,
        sequence: index + 1,
      });
    const submit = ({ token }: { token: string }) =>
      postJson(`${context.baseUrl}/s/${token}/submit`, { data: COMPLETE });

    const warmUp = await context.createInvitations(WARM_UP);
    await timeRequests(warmUp, 1, save);
    await timeRequests(warmUp, 1, submit);

    const invitations = await context.createInvitations(INVITATIONS);
    const saves = await timeRequests(invitations, 1, save);
    const submits = await timeRequests(invitations, 1, submit);
    for (const failure of [
      describeFailures("POST /s/:token/save", saves),
      describeFailures("POST /s/:token/submit", submits),
    ]) {
      if (failure) context.problem(failure);
    }

    const [stored] = await context.db
      .select({ n: count() })
      .from(responses)
      .where(
        and(
          inArray(
            responses.invitationId,
            invitations.map((i) => i.invitationId),
          ),
          eq(responses.isComplete, true),
        ),
      );
    const completed = stored?.n ?? 0;
    if (completed !== INVITATIONS) {
      context.problem(`only ${completed} of ${INVITATIONS} submits are stored as completed responses`);
    }

    return [
      timingFigure(
        `POST /s/:token/save, autosave (n=${INVITATIONS})`,
        saves.map((r) => r.ms),
      ),
      timingFigure(
        `POST /s/:token/submit (n=${INVITATIONS})`,
        submits.map((r) => r.ms),
      ),
      { name: `Submits stored as completed responses`, unit: `of ${INVITATIONS}`, value: completed },
    ];
  },
};
