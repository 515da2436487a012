/**
 * The soak: a steady mixed load on the app for SOAK_SECONDS (default 600), to show that
 * nothing grows and nothing starts failing when the app is kept busy for a while, as a day of
 * campaigns would. Not part of a default `npm run bench` (it alone would push the run past its
 * 15 minutes): `npm run bench -- soak`, or SOAK=1 with any selection.
 *
 * Virtual users, each on its own pace (a start every period; a late one starts at once and
 * never bursts to catch up), so the load is the same whether the app is fast or slow and the
 * requests in flight never exceed the users:
 * - customers open a survey link, autosave twice and submit, each on an invitation of its own
 *   (made in batches ahead of time, so the load never runs out of them);
 * - email readers tap a score in the email (the one-click link);
 * - two leaders load the dashboard; a manager loads the accounts list and their accounts' pages;
 * - an admin launches a campaign of fresh contacts every minute, sent by the app's worker
 *   through the fake Resend, which keeps Resend's limits.
 * Every 10 s it samples the web process's RSS (/proc), Postgres's connections, the outbox's
 * backlog and the requests and failures so far. Afterwards it waits for the campaigns to be
 * sent and checks what was stored against what was answered.
 */
import { and, count, eq, inArray, sql } from "drizzle-orm";
import { accounts, answers, contacts, outbox, responses, users } from "../../db/schema";
import { insertCampaign, insertUser } from "../../db/factories";
import { latestSurveyVersion } from "../../app/domain/surveys.server";
import type { Benchmark } from "./benchmark";
import type { BenchContext } from "./context";
import {
  degradationFigure,
  leastSquaresSlope,
  parseSoakSeconds,
  soakWindows,
  statsByMinute,
  type Figure,
  type SoakSample,
} from "./figures";
import { DEMO_USERS } from "../../db/seed";
import { httpRequest, signInAs, type HttpAnswer } from "./measure";
import { ALL_AGREE, ALL_AGREE_FIRST_PAGE } from "../support/answers";

/** Customers answering: each a journey (open, two autosaves, submit) every CUSTOMER_PERIOD_MS. */
const CUSTOMERS = 12;
const CUSTOMER_PERIOD_MS = 3000;
/** A customer's pause between the steps of the survey. */
const THINK_MS = 400;
const ONE_CLICK_READERS = 3;
const ONE_CLICK_PERIOD_MS = 1000;
const LEADER_EMAILS = ["leader@demo.test", "ceo@demo.test"];
const LEADER_PERIOD_MS = 2000;
const MANAGER_PERIOD_MS = 1000;
const CAMPAIGN_PERIOD_MS = 60_000;
/** One campaign: two fresh accounts of 100 contacts, so no contact-frequency rule excludes anyone. */
const CAMPAIGN_ACCOUNTS = 2;
const CONTACTS_PER_ACCOUNT = 100;
const SAMPLE_PERIOD_MS = 10_000;
/** Invitations are made this many at a time, whenever fewer than INVITATIONS_LOW are left. */
const INVITATION_BATCH = 500;
const INVITATIONS_LOW = 300;
/** A request not answered by then is a failure (and the user moves on). */
const REQUEST_TIMEOUT_MS = 30_000;
/** After the load: how long the campaigns may take to be sent, at most. */
const DRAIN_TIMEOUT_MS = 120_000;
const DRAIN_POLL_MS = 1000;
/** The budgets (docs/performance.md, "Soak"). */
const RSS_BUDGET_MB = 400;
const RSS_SLOPE_BUDGET_MB_PER_MIN = 2;
const P95_GROWTH_AT_MOST = 2;
/** Fewer requests than this in a window say nothing about its p95. */
const MIN_SAMPLES_TO_JUDGE = 20;

const KIND = {
  open: "GET /s/:token",
  save: "POST /s/:token/save",
  submit: "POST /s/:token/submit",
  oneClick: "GET /s/:token/scale/:score",
  dashboard: "GET /dashboard (leader)",
  accountList: "GET /accounts (manager)",
  account: "GET /accounts/:id (manager)",
  launch: "POST /campaigns/:id launch (admin)",
} as const;

type Invitation = { token: string; invitationId: string };

/** SOAK_SECONDS, checked: run.ts asks before building, so a typo fails at once. */
export function soakSeconds(): number {
  return parseSoakSeconds(process.env.SOAK_SECONDS);
}

export const soak: Benchmark = {
  name: "soak",
  async run(context) {
    const durationMs = soakSeconds() * 1000;
    const windows = soakWindows(durationMs);
    const origin = context.baseUrl;
    const progress = (line: string) => process.stderr.write(`${line}\n`);

    // Everything the load needs, before the clock starts.
    const [leaderCookies, managerCookie, adminCookie] = await Promise.all([
      Promise.all(LEADER_EMAILS.map((email) => signInAs(context.baseUrl, email))),
      signInAs(context.baseUrl, demoEmail("manager")),
      signInAs(context.baseUrl, demoEmail("admin")),
    ]);
    const managerAccounts = await accountsOwnedBy(context, demoEmail("manager"));
    if (managerAccounts.length === 0) throw new Error(`${demoEmail("manager")} owns no demo account`);
    const invitations = invitationPool(context);
    await invitations.prefill(2 * INVITATION_BATCH);
    const audiences = await campaignAudiences(context);
    const receivedBefore = context.resend.received.length;
    const resendRequestsBefore = context.resend.requests.length;

    const samples: SoakSample[] = [];
    const failures = new Map<string, { count: number; first: string }>();
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const deadline = durationMs;

    /** Sends one request, times it and judges its answer; the answer, or null when it failed. */
    const timed = async (
      kind: string,
      send: () => Promise<HttpAnswer>,
      expected: (answer: HttpAnswer) => string | null,
    ): Promise<HttpAnswer | null> => {
      const atMs = elapsed();
      let problem: string | null;
      let answer: HttpAnswer | null = null;
      try {
        answer = await withTimeout(send(), REQUEST_TIMEOUT_MS);
        problem = expected(answer);
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
      }
      samples.push({ kind, atMs, ms: elapsed() - atMs, failed: problem !== null });
      if (problem !== null) {
        const seen = failures.get(kind);
        if (seen) seen.count += 1;
        else failures.set(kind, { count: 1, first: `at ${(atMs / 1000).toFixed(1)} s: ${problem}` });
        return null;
      }
      return answer;
    };
    const get = (path: string, cookie?: string) => () =>
      httpRequest(`${context.baseUrl}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
    // Origin on every POST, as a browser on the app's own pages sends it (the CSRF check wants it).
    const postJson = (path: string, body: unknown) => () =>
      httpRequest(`${context.baseUrl}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: origin },
        body: JSON.stringify(body),
      });

    const submitted: string[] = [];
    const clicked: { invitationId: string; score: number }[] = [];
    const launched: { campaignId: string; addresses: string[] }[] = [];
    let clicks = 0;

    const customer = async () => {
      const { token, invitationId } = await invitations.take();
      const steps = [
        () => timed(KIND.open, get(`/s/${token}`), status(200)),
        () =>
          timed(
            KIND.save,
            postJson(`/s/${token}/save`, { data: ALL_AGREE_FIRST_PAGE, currentPage: 0, sequence: 1 }),
            status(200),
          ),
        () =>
          timed(
            KIND.save,
            postJson(`/s/${token}/save`, {
              data: { ...ALL_AGREE_FIRST_PAGE, advocacy: ALL_AGREE.advocacy },
              currentPage: 1,
              sequence: 2,
            }),
            status(200),
          ),
      ];
      for (const step of steps) {
        // a person who sees an error does not go on to the next step
        if (!(await step())) return;
        await sleep(THINK_MS);
      }
      const done = await timed(
        KIND.submit,
        postJson(`/s/${token}/submit`, { data: ALL_AGREE }),
        (a) =>
          status(200)(a) ?? (a.body.includes('"completed":true') ? null : `answered ${a.body.slice(0, 200)}`),
      );
      if (done) submitted.push(invitationId);
    };

    const reader = async () => {
      const { token, invitationId } = await invitations.take();
      const score = clicks++ % 11;
      const ok = await timed(KIND.oneClick, get(`/s/${token}/scale/${score}`), (a) =>
        a.status === 302 && a.headers.location === `/s/${token}?answered=${score}`
          ? null
          : `answered ${a.status} (location ${a.headers.location ?? "none"}) ${a.body.slice(0, 200)}`,
      );
      if (ok) clicked.push({ invitationId, score });
    };

    let managerTurn = 0;
    const manager = async () => {
      const turn = managerTurn++;
      if (turn % 2 === 0) await timed(KIND.accountList, get("/accounts", managerCookie), status(200));
      else {
        const accountId = managerAccounts[Math.floor(turn / 2) % managerAccounts.length]!;
        await timed(KIND.account, get(`/accounts/${accountId}`, managerCookie), status(200));
      }
    };

    const admin = async () => {
      const audience = await audiences.next();
      const ok = await timed(
        KIND.launch,
        () =>
          httpRequest(`${context.baseUrl}/campaigns/${audience.campaignId}`, {
            method: "POST",
            headers: {
              Cookie: adminCookie,
              Origin: origin,
              "Content-Type": "application/x-www-form-urlencoded",
            },
            body: new URLSearchParams({ intent: "launch" }).toString(),
          }),
        (a) =>
          status(200)(a) ??
          (a.body.includes("Launched: invitations are on their way.")
            ? null
            : "the page does not say Launched"),
      );
      if (ok) launched.push(audience);
    };

    const pacedUsers = (users: number, periodMs: number, body: () => Promise<void>) =>
      Array.from({ length: users }, (_, i) =>
        paced({ offsetMs: (i * periodMs) / users, periodMs, deadlineMs: deadline, elapsed }, body),
      );

    const sampled: Sample[] = [];
    const sample = async () => {
      const atMs = elapsed();
      const [rssMb, backlog, connections] = await Promise.all([
        context.appRssMb(),
        outboxBacklog(context),
        databaseConnections(context),
      ]);
      const failed = samples.filter((s) => s.failed).length;
      const row = { atMs, rssMb, backlog, connections, requests: samples.length, failed };
      sampled.push(row);
      progress(
        `  ${clock(row.atMs)}  RSS ${rssMb.toFixed(1)} MB  Postgres connections ${connections}  ` +
          `outbox backlog ${backlog}  requests ${row.requests}  failed ${failed}`,
      );
    };

    progress(
      `  ${durationMs / 1000} s of load (warm-up ${windows.warmUpMs / 1000} s; first window ` +
        `${windows.first.from / 1000}–${windows.first.to / 1000} s against the last, ` +
        `${windows.last.from / 1000}–${windows.last.to / 1000} s)`,
    );
    await Promise.all([
      ...pacedUsers(CUSTOMERS, CUSTOMER_PERIOD_MS, customer),
      ...pacedUsers(ONE_CLICK_READERS, ONE_CLICK_PERIOD_MS, reader),
      ...leaderCookies.flatMap((cookie) =>
        pacedUsers(1, LEADER_PERIOD_MS, () =>
          timed(KIND.dashboard, get("/dashboard", cookie), status(200)).then(() => {}),
        ),
      ),
      ...pacedUsers(1, MANAGER_PERIOD_MS, manager),
      paced({ offsetMs: 5000, periodMs: CAMPAIGN_PERIOD_MS, deadlineMs: deadline, elapsed }, admin),
      paced({ offsetMs: 0, periodMs: SAMPLE_PERIOD_MS, deadlineMs: deadline, elapsed }, sample),
    ]);
    // the end: the load has stopped and the last journeys are done
    await sample();
    const loadEndedMs = elapsed();

    progress(`  load stopped at ${clock(loadEndedMs)}; waiting for the campaigns to be sent…`);
    const unsent = await drainCampaigns(context, launched);
    const backlogAfter = await outboxBacklog(context);

    // What reached the fake Resend: every recipient of every launched campaign exactly once.
    const perAddress = new Map<string, number>();
    for (const email of context.resend.received.slice(receivedBefore)) {
      for (const to of email.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
    }
    const recipients = launched.flatMap((c) => c.addresses);
    const notOnce = recipients.filter((a) => perAddress.get(a) !== 1);
    if (notOnce.length > 0) {
      const first = notOnce[0]!;
      context.problem(
        `soak: ${notOnce.length} of ${recipients.length} campaign recipients did not get exactly one email ` +
          `(first: ${first}, ${perAddress.get(first) ?? 0})`,
      );
    }
    if (unsent > 0) context.problem(`soak: ${unsent} campaign messages were still unsent after the drain`);

    const storedSubmits = await completedResponses(context, submitted);
    if (storedSubmits !== submitted.length) {
      context.problem(
        `soak: ${storedSubmits} of ${submitted.length} answered submits are stored as completed`,
      );
    }
    const storedClicks = await oneClickAnswers(context, clicked);
    if (storedClicks !== clicked.length) {
      context.problem(`soak: ${storedClicks} of ${clicked.length} answered one-click links are stored`);
    }

    const failedCount = samples.filter((s) => s.failed).length;
    for (const [kind, failure] of failures) {
      context.problem(`soak: ${failure.count} × ${kind} failed (first ${failure.first})`);
    }

    printMinutes(samples, durationMs, progress);

    const afterWarmUp = sampled.filter((s) => s.atMs >= windows.warmUpMs);
    const rssStart = afterWarmUp[0];
    const rssEnd = sampled.at(-1);
    const slope =
      afterWarmUp.length >= 2
        ? leastSquaresSlope(afterWarmUp.map((s) => ({ x: s.atMs / 60_000, y: s.rssMb })))
        : undefined;
    const minutes = (durationMs / 60_000).toFixed(1);
    const figures: Figure[] = [
      {
        name: `Soak: requests failed or answered wrongly (${minutes} min, ${samples.length} requests)`,
        unit: `of ${samples.length}`,
        value: failedCount,
        budget: 0,
      },
      {
        name: `Soak: web process RSS after the warm-up (${clock(rssStart?.atMs ?? 0)})`,
        unit: "MB",
        value: rssStart?.rssMb,
      },
      { name: `Soak: web process RSS at the end`, unit: "MB", value: rssEnd?.rssMb, budget: RSS_BUDGET_MB },
      {
        name: `Soak: RSS slope after the warm-up (least squares, ${afterWarmUp.length} samples)`,
        unit: "MB/min",
        value: slope,
        budget: RSS_SLOPE_BUDGET_MB_PER_MIN,
      },
      {
        name: `Soak: Postgres connections, most at once (start ${sampled[0]?.connections ?? "?"}, end ${rssEnd?.connections ?? "?"}, bench's own included)`,
        unit: "connections",
        value: Math.max(...sampled.map((s) => s.connections)),
      },
      {
        name: `Soak: outbox backlog, most at once during the load`,
        unit: "messages",
        value: Math.max(...sampled.map((s) => s.backlog)),
      },
      { name: `Soak: outbox backlog after the drain`, unit: "messages", value: backlogAfter, budget: 0 },
    ];
    for (const kind of Object.values(KIND)) {
      const inWindow = (w: { from: number; to: number }) =>
        samples
          .filter((s) => s.kind === kind && !s.failed && s.atMs >= w.from && s.atMs < w.to)
          .map((s) => s.ms);
      figures.push(
        degradationFigure(
          `Soak: ${kind}, last window vs first`,
          inWindow(windows.first),
          inWindow(windows.last),
          {
            maxRatio: P95_GROWTH_AT_MOST,
            minSamples: MIN_SAMPLES_TO_JUDGE,
          },
        ),
      );
    }
    figures.push(
      {
        name: `Soak: campaign recipients without exactly one email (${launched.length} campaigns)`,
        unit: `of ${recipients.length}`,
        value: notOnce.length,
        budget: 0,
      },
      {
        name: `Soak: requests the fake Resend answered 429`,
        unit: `of ${context.resend.requests.length - resendRequestsBefore}`,
        value: context.resend.requests.slice(resendRequestsBefore).filter((r) => r.status === 429).length,
      },
      {
        name: `Soak: submits stored as completed responses (vs submits answered 200)`,
        unit: "responses",
        value: storedSubmits,
        baseline: submitted.length,
        ratio: submitted.length === 0 ? undefined : storedSubmits / submitted.length,
        ratioAtLeast: 1,
        ratioAtMost: 1,
      },
      {
        name: `Soak: one-click answers stored (vs links answered 302)`,
        unit: "answers",
        value: storedClicks,
        baseline: clicked.length,
        ratio: clicked.length === 0 ? undefined : storedClicks / clicked.length,
        ratioAtLeast: 1,
        ratioAtMost: 1,
      },
    );
    return figures;
  },
};

interface Sample {
  atMs: number;
  rssMb: number;
  backlog: number;
  connections: number;
  requests: number;
  failed: number;
}

/** null when the answer has the status, else what it was. */
function status(expected: number) {
  return (answer: HttpAnswer) =>
    answer.status === expected ? null : `answered ${answer.status} ${answer.body.slice(0, 200)}`;
}

function demoEmail(role: "manager" | "admin"): string {
  return DEMO_USERS.find((u) => u.role === role)!.email;
}

/**
 * Runs `body` every `periodMs` from `offsetMs` until `deadlineMs` (all from the soak's start).
 * One at a time: a body that overruns its period delays the next start, which then goes at
 * once; missed starts are not made up, so a slow app is not hit by a burst.
 */
async function paced(
  plan: { offsetMs: number; periodMs: number; deadlineMs: number; elapsed: () => number },
  body: () => Promise<void>,
) {
  let next = plan.offsetMs;
  while (next < plan.deadlineMs) {
    await sleep(next - plan.elapsed());
    await body();
    next = Math.max(next + plan.periodMs, plan.elapsed());
  }
}

/**
 * Fresh invitations, made INVITATION_BATCH at a time on the bench's own pool whenever fewer
 * than INVITATIONS_LOW are left, so a customer never waits for one.
 */
function invitationPool(context: BenchContext) {
  const ready: Invitation[] = [];
  let filling: Promise<void> | null = null;
  let failed: unknown = null;
  const fill = () => {
    filling ??= context
      .createInvitations(INVITATION_BATCH)
      .then((made) => void ready.push(...made))
      .catch((error: unknown) => void (failed = error))
      .finally(() => (filling = null));
    return filling;
  };
  return {
    async prefill(count: number) {
      ready.push(...(await context.createInvitations(count)));
    },
    async take(): Promise<Invitation> {
      if (ready.length < INVITATIONS_LOW) void fill();
      while (ready.length === 0) {
        if (failed) throw new Error("the soak could not make invitations", { cause: failed });
        await fill();
      }
      if (failed) throw new Error("the soak could not make invitations", { cause: failed });
      return ready.pop()!;
    },
  };
}

/**
 * Draft campaigns, one a minute of the soak, each to two accounts of fresh contacts (with
 * addresses) owned by a bench user, made one ahead so the launch is all the minute's work.
 */
async function campaignAudiences(context: BenchContext) {
  const { db } = context;
  const run = Date.now().toString(36);
  const owner = await insertUser(db, {
    name: "Soak Owner",
    email: `soak-owner-${run}@vendor.test`,
    passwordHash: null,
  });
  const version = await latestSurveyVersion(db, "relationship-health");
  if (!version) throw new Error("the app did not import surveys/relationship-health.json");
  let made = 0;
  const make = async () => {
    const n = ++made;
    const accountIds = (
      await db
        .insert(accounts)
        .values(
          Array.from({ length: CAMPAIGN_ACCOUNTS }, (_, i) => ({
            name: `Soak customer ${run}-${n}-${i + 1}`,
            segment: "mid_market" as const,
            region: "Soak",
            tier: "core" as const,
            ownerId: owner.id,
          })),
        )
        .returning({ id: accounts.id })
    ).map((a) => a.id);
    const rows = accountIds.flatMap((accountId, a) =>
      Array.from({ length: CONTACTS_PER_ACCOUNT }, (_, c) => ({
        accountId,
        name: `Soak Person ${n}-${a + 1}-${c + 1}`,
        email: `person-${c + 1}@soak-${run}-${n}-${a + 1}.test`,
      })),
    );
    await db.insert(contacts).values(rows);
    const campaign = await insertCampaign(db, {
      name: `Soak campaign ${run}-${n}`,
      surveyVersionId: version.id,
      createdById: owner.id,
      audience: { accountIds },
      askBudgetPerQuarter: CONTACTS_PER_ACCOUNT,
    });
    return { campaignId: campaign.id, addresses: rows.map((r) => r.email) };
  };
  // a failed make is reported by the next() that awaits it, never left unhandled meanwhile
  const prepare = () => {
    const made = make();
    made.catch(() => {});
    return made;
  };
  let ahead = prepare();
  return {
    async next() {
      const audience = await ahead;
      ahead = prepare();
      return audience;
    },
  };
}

async function accountsOwnedBy({ db }: BenchContext, email: string): Promise<string[]> {
  const rows = await db
    .select({ id: accounts.id })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.ownerId))
    .where(eq(users.email, email))
    .orderBy(accounts.name)
    .limit(5);
  return rows.map((r) => r.id);
}

/** Messages waiting to go out or being sent, whoever wrote them. */
async function outboxBacklog({ db }: BenchContext): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(outbox)
    .where(inArray(outbox.status, ["pending", "sending"]));
  return row?.n ?? 0;
}

/** Client connections to the app's database: the web process's, its worker's and the bench's own pool. */
async function databaseConnections({ db }: BenchContext): Promise<number> {
  const rows = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and backend_type = 'client backend'`,
  );
  return Number(rows[0]?.n ?? 0);
}

/** Waits until every launched campaign's messages are written and settled; the number still unsent. */
async function drainCampaigns(
  { db }: BenchContext,
  launched: readonly { campaignId: string; addresses: string[] }[],
): Promise<number> {
  if (launched.length === 0) return 0;
  const expected = launched.reduce((sum, c) => sum + c.addresses.length, 0);
  const ids = launched.map((c) => c.campaignId);
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    const [row] = await db
      .select({
        written: count(),
        unfinished: count(sql`case when ${inArray(outbox.status, ["pending", "sending"])} then 1 end`),
      })
      .from(outbox)
      .where(inArray(outbox.campaignId, ids));
    const unsent = expected - (row?.written ?? 0) + (row?.unfinished ?? 0);
    if (unsent === 0 || Date.now() > deadline) return unsent;
    await sleep(DRAIN_POLL_MS);
  }
}

/** How many of these invitations have a completed response. */
async function completedResponses({ db }: BenchContext, invitationIds: readonly string[]): Promise<number> {
  let stored = 0;
  for (const chunk of chunks(invitationIds, 5000)) {
    const [row] = await db
      .select({ n: count() })
      .from(responses)
      .where(and(inArray(responses.invitationId, chunk), eq(responses.isComplete, true)));
    stored += row?.n ?? 0;
  }
  return stored;
}

/** How many one-click answers are stored raw and scored with the score that was clicked. */
async function oneClickAnswers(
  { db }: BenchContext,
  clicked: readonly { invitationId: string; score: number }[],
): Promise<number> {
  const expected = new Map(clicked.map((c) => [c.invitationId, c.score]));
  let stored = 0;
  for (const chunk of chunks([...expected.keys()], 5000)) {
    const rows = await db
      .select({ invitationId: responses.invitationId, raw: sql<unknown>`${responses.data} -> 'advocacy'` })
      .from(responses)
      .innerJoin(answers, and(eq(answers.responseId, responses.id), eq(answers.question, "advocacy")))
      .where(inArray(responses.invitationId, chunk));
    stored += rows.filter((r) => r.invitationId !== null && r.raw === expected.get(r.invitationId)).length;
  }
  return stored;
}

/** Requests, failures, p50 and p95 per kind and minute, for the log (the table has the first and last windows). */
function printMinutes(samples: readonly SoakSample[], durationMs: number, print: (line: string) => void) {
  const stats = statsByMinute(samples, durationMs);
  const ms = (n: number | undefined) => (n === undefined ? "-" : n.toFixed(0));
  print("  per minute: requests / failed / p50 ms / p95 ms");
  for (const [kind, minutes] of stats) {
    const cells = minutes.map((m) => `${m.minute}: ${m.requests}/${m.failed}/${ms(m.p50)}/${ms(m.p95)}`);
    print(`    ${kind.padEnd(36)} ${cells.join("  ")}`);
  }
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

function clock(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
