/**
 * The 0–10 scale inside the invitation email: each number is a link, `GET /s/:token/scale/:score`,
 * so answering needs no JavaScript. The server records the score and redirects to the survey
 * page. Timed: the link itself (up to its redirect), 500 clicks, 10 at a time, each on its own
 * invitation. Checked: every click leads, by plain redirects, to a 200 HTML page whose
 * server markup confirms the score, and the score is stored (raw and scored) — nothing ran a script.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { answers, responses } from "../../db/schema";
import type { Benchmark } from "./benchmark";
import { timingFigure } from "./figures";
import { httpRequest, timeRequests } from "./measure";

const CLICKS = 500;
const CONCURRENCY = 10;
const WARM_UP = 20;
/** The question the email's scale answers (app/routes/s.$token.scale.$score.tsx). */
const QUESTION = "advocacy";
/** Redirects a browser would follow before giving up; the app needs one. */
const MAX_REDIRECTS = 5;

export const oneClickTime: Benchmark = {
  name: "survey one-click answer time",
  async run(context) {
    const scoreOf = (index: number) => index % 11;
    // node:http never follows redirects: each click is timed up to its redirect.
    const click = ({ token }: { token: string }, index: number) =>
      httpRequest(`${context.baseUrl}/s/${token}/scale/${scoreOf(index)}`);

    await timeRequests(await context.createInvitations(WARM_UP), CONCURRENCY, click);
    const links = await context.createInvitations(CLICKS);
    const clicks = await timeRequests(links, CONCURRENCY, click);

    // What a browser without JavaScript does next: follow the redirect and show the HTML.
    let pagesWorking = 0;
    const failures: string[] = [];
    await timeRequests(clicks, CONCURRENCY, async (result, index) => {
      const problem = await followWithoutScripts(
        context.baseUrl,
        result.status,
        result.headers.location ?? null,
        scoreOf(index),
      );
      if (problem) failures.push(problem);
      else pagesWorking += 1;
      return result;
    });
    if (failures.length > 0)
      context.problem(
        `one-click answer: ${failures.length} of ${CLICKS} did not work (first: ${failures[0]})`,
      );

    // Stored: the raw answer on the response and its scored row (score × 10).
    const stored = await context.db
      .select({ invitationId: responses.invitationId, raw: sql<unknown>`${responses.data} -> ${QUESTION}` })
      .from(responses)
      .innerJoin(answers, and(eq(answers.responseId, responses.id), eq(answers.question, QUESTION)))
      .where(
        inArray(
          responses.invitationId,
          links.map((l) => l.invitationId),
        ),
      );
    const expected = new Map(links.map((l, i) => [l.invitationId, scoreOf(i)]));
    const answered = stored.filter(
      (row) => row.invitationId !== null && row.raw === expected.get(row.invitationId),
    ).length;
    if (answered !== CLICKS) context.problem(`only ${answered} of ${CLICKS} one-click answers are stored`);

    return [
      timingFigure(
        `GET /s/:token/scale/:score, ${CONCURRENCY} concurrent (n=${CLICKS})`,
        clicks.map((r) => r.ms),
        { budget: 50 },
      ),
      {
        name: `One-click answers stored (no JavaScript)`,
        unit: `of ${CLICKS}`,
        value: Math.min(answered, pagesWorking),
        baseline: CLICKS,
        ratio: Math.min(answered, pagesWorking) / CLICKS,
        ratioAtLeast: 1,
      },
    ];
  },
};

/** Follows redirects as a browser would; null when it ends on a 200 HTML page that confirms the score. */
async function followWithoutScripts(
  baseUrl: string,
  status: number,
  location: string | null,
  score: number,
): Promise<string | null> {
  let current = { status, location };
  for (let hops = 0; current.status >= 300 && current.status < 400; hops++) {
    if (hops === MAX_REDIRECTS || !current.location) return `redirect ${current.status} leads nowhere`;
    const response = await fetch(new URL(current.location, baseUrl), { redirect: "manual" });
    const body = await response.text();
    current = { status: response.status, location: response.headers.get("location") };
    if (current.status >= 300 && current.status < 400) continue;
    if (current.status !== 200) return `the page answered ${current.status}`;
    if (!response.headers.get("content-type")?.startsWith("text/html")) return "the page is not HTML";
    if (!/^<!DOCTYPE html>/i.test(body)) return "the page is not a whole HTML document";
    // What a customer without scripts reads: the server markup confirms the score.
    if (!body.includes(`your answer, ${score} out of 10, is saved`))
      return `the page does not confirm ${QUESTION} = ${score} in its markup`;
    return null;
  }
  return `the link answered ${current.status} instead of redirecting to the survey`;
}
