/**
 * How long a 10,000-recipient campaign takes from launch to the last email Resend accepts.
 * The bench launches it and queues `campaign.send` as the campaign page does; the app's own
 * worker writes the invitations and sends them through the bench's fake Resend, which keeps
 * Resend's limits: at most 100 emails a request and 2 requests a second, so at best 200
 * emails a second (50 s). Every recipient must get exactly one email.
 */
import { count, eq, inArray, max, sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import { accounts, contacts, invitations, outbox } from "../../db/schema";
import { insertCampaign, insertUser } from "../../db/factories";
import { SEND_CAMPAIGN_JOB, startCampaign } from "../../app/domain/campaign-send.server";
import { latestSurveyVersion } from "../../app/domain/surveys.server";
import { RESEND_BATCH_LIMIT } from "../../app/lib/email.server";
import type { Benchmark } from "./benchmark";
import { RESEND_REQUESTS_PER_SECOND, type BenchContext } from "./context";
import type { Figure } from "./figures";

const RECIPIENTS = 10_000;
/** The campaign's ask budget is raised to this, so nobody is left out for it. */
const CONTACTS_PER_ACCOUNT = 100;
/** Rows a multi-row insert: well under Postgres's 65,535 parameters. */
const INSERT_CHUNK = 2_000;
const SEND_TIMEOUT_MS = 10 * 60_000;
const POLL_MS = 250;
/** What Resend's limits allow at most, emails a second. */
const CEILING_PER_SECOND = RESEND_BATCH_LIMIT * RESEND_REQUESTS_PER_SECOND;
/**
 * The budget: the send reaches at least this share of the ceiling, i.e. launch to last email
 * in at most 62.5 s. Measured 86–91 %: the sender's pacing (a request every 515 ms, 97 % of
 * the ceiling), the first chunk's few seconds before any mail, and the odd 429 use the rest.
 */
const MIN_SHARE_OF_CEILING = 0.8;

export const campaignSendTime: Benchmark = {
  name: "campaign send time",
  async run(context) {
    const { db, resend } = context;
    const { campaignId, addresses } = await createAudience(context);
    const requestsBefore = resend.requests.length;
    const receivedBefore = resend.received.length;

    const launchedAt = new Date();
    const started = await startCampaign(db, campaignId, launchedAt);
    if (started.status !== "done") {
      context.problem(`the ${RECIPIENTS}-recipient campaign did not launch: ${JSON.stringify(started)}`);
      return [];
    }
    await queueSend(context, campaignId);

    // Done when every message is written and settled (sent, or failed for good).
    const deadline = Date.now() + SEND_TIMEOUT_MS;
    for (;;) {
      const mail = await campaignMail(context, campaignId);
      if (mail.written === RECIPIENTS && mail.unfinished === 0) break;
      if (Date.now() > deadline) {
        context.problem(
          `after ${SEND_TIMEOUT_MS / 60_000} min the fake Resend had accepted ` +
            `${resend.received.length - receivedBefore} of ${RECIPIENTS} emails; the campaign's outbox ` +
            `had ${mail.written} messages, ${mail.unfinished} of them pending or sending`,
        );
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }

    const emails = resend.received.slice(receivedBefore);
    const requests = resend.requests.slice(requestsBefore);
    const perAddress = new Map<string, number>();
    for (const email of emails) {
      for (const to of email.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
    }
    const notOnce = addresses.filter((a) => perAddress.get(a) !== 1);
    const asked = new Set(addresses);
    const strangers = [...perAddress.keys()].filter((a) => !asked.has(a));
    if (notOnce.length > 0) {
      const first = notOnce[0]!;
      context.problem(
        `${notOnce.length} of ${RECIPIENTS} recipients did not get exactly one email (first: ${first}, ${perAddress.get(first) ?? 0})`,
      );
    }
    if (strangers.length > 0) {
      context.problem(
        `${strangers.length} emails went to addresses outside the campaign (first: ${strangers[0]})`,
      );
    }
    if (emails.length === 0) return [];

    const acceptedAt = emails.map((e) => e.receivedAt.getTime());
    const first = acceptedAt.reduce((a, b) => Math.min(a, b));
    const last = acceptedAt.reduce((a, b) => Math.max(a, b));
    const totalSeconds = (last - launchedAt.getTime()) / 1000;
    const perSecond = emails.length / totalSeconds;
    const writtenSeconds = ((await lastChunkWrittenAt(context, campaignId)) - launchedAt.getTime()) / 1000;
    const figure = (name: string, unit: string, value: number, extra: Partial<Figure> = {}): Figure => ({
      name,
      unit,
      value,
      ...extra,
    });
    return [
      figure(
        `Campaign of ${RECIPIENTS}: launch to first email accepted`,
        "s",
        (first - launchedAt.getTime()) / 1000,
      ),
      figure(`Campaign of ${RECIPIENTS}: launch to last chunk of invitations written`, "s", writtenSeconds),
      figure(`Campaign of ${RECIPIENTS}: launch to last email accepted`, "s", totalSeconds, {
        budget: RECIPIENTS / (MIN_SHARE_OF_CEILING * CEILING_PER_SECOND),
      }),
      // baseline: the ceiling Resend's limits allow (RESEND_BATCH_LIMIT a request × 2 requests/s)
      figure(`Campaign send rate, launch to last email (vs Resend's ceiling)`, "emails/s", perSecond, {
        baseline: CEILING_PER_SECOND,
        ratio: perSecond / CEILING_PER_SECOND,
        ratioAtLeast: MIN_SHARE_OF_CEILING,
      }),
      figure(
        `Requests the fake Resend answered 429`,
        `of ${requests.length}`,
        requests.filter((r) => r.status === 429).length,
      ),
      figure(`Recipients without exactly one email`, `of ${RECIPIENTS}`, notOnce.length, { budget: 0 }),
    ];
  },
};

/**
 * 10,000 contacts with addresses, a hundred to an account, inserted many rows a statement,
 * and a draft campaign for exactly those accounts.
 */
async function createAudience({ db }: BenchContext) {
  const run = Date.now().toString(36);
  const owner = await insertUser(db, {
    name: "Bench Owner",
    email: `bench-owner-${run}@vendor.test`,
    passwordHash: null,
  });
  const accountRows = await db
    .insert(accounts)
    .values(
      Array.from({ length: RECIPIENTS / CONTACTS_PER_ACCOUNT }, (_, i) => ({
        name: `Bench customer ${run}-${i + 1}`,
        segment: "mid_market" as const,
        region: "Bench",
        tier: "core" as const,
        ownerId: owner.id,
      })),
    )
    .returning({ id: accounts.id });
  const accountIds = accountRows.map((a) => a.id);
  const addresses = Array.from(
    { length: RECIPIENTS },
    (_, i) => `person-${i + 1}@customer-${run}-${Math.floor(i / CONTACTS_PER_ACCOUNT) + 1}.test`,
  );
  for (let i = 0; i < RECIPIENTS; i += INSERT_CHUNK) {
    await db.insert(contacts).values(
      addresses.slice(i, i + INSERT_CHUNK).map((email, j) => ({
        accountId: accountIds[Math.floor((i + j) / CONTACTS_PER_ACCOUNT)]!,
        name: `Bench Person ${i + j + 1}`,
        email,
      })),
    );
  }
  const version = await latestSurveyVersion(db, "relationship-health");
  if (!version) throw new Error("the app did not import surveys/relationship-health.json");
  const campaign = await insertCampaign(db, {
    name: `Bench campaign ${run}`,
    surveyVersionId: version.id,
    createdById: owner.id,
    audience: { accountIds },
    askBudgetPerQuarter: CONTACTS_PER_ACCOUNT,
  });
  return { campaignId: campaign.id, addresses };
}

/** Queues the send for the app's worker, as the campaign page does after launching. */
async function queueSend(context: BenchContext, campaignId: string) {
  // Only a sender: the app runs the schema, the maintenance and the schedules.
  const boss = new PgBoss({
    connectionString: context.databaseUrl,
    schema: "pgboss",
    max: 1,
    migrate: false,
    supervise: false,
    schedule: false,
    application_name: "rapport-bench",
  });
  boss.on("error", (error) => context.problem(`pg-boss in the bench: ${error.message}`));
  await boss.start();
  try {
    const jobId = await boss.send(SEND_CAMPAIGN_JOB, { campaignId });
    if (!jobId) throw new Error(`pg-boss did not queue ${SEND_CAMPAIGN_JOB}`);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/** When the worker began writing the campaign's last chunk (the invitations' creation time). */
async function lastChunkWrittenAt({ db }: BenchContext, campaignId: string): Promise<number> {
  const [row] = await db
    .select({ at: max(invitations.createdAt) })
    .from(invitations)
    .where(eq(invitations.campaignId, campaignId));
  return row?.at ? new Date(row.at).getTime() : Number.NaN;
}

/** How many of the campaign's messages are in the outbox, and how many are not settled yet. */
async function campaignMail({ db }: BenchContext, campaignId: string) {
  const [row] = await db
    .select({
      written: count(),
      unfinished: count(sql`case when ${inArray(outbox.status, ["pending", "sending"])} then 1 end`),
    })
    .from(outbox)
    .where(eq(outbox.campaignId, campaignId));
  return { written: row?.written ?? 0, unfinished: row?.unfinished ?? 0 };
}
