/**
 * The leadership dashboard and an account page on a large workspace: 10,000 accounts,
 * 50,000 contacts, 1,000,000 completed responses with their scored answers (8 each; one in
 * five with a comment), 500,000 interactions and two sealed predictions per account, written straight into the bench app's database with set-based SQL.
 * The rollups are then built with `npm run health:rebuild`, and the dashboard's and an
 * account page's server times are set beside the time of the equivalent aggregation over
 * the raw answers (what the dashboard would cost without rollups).
 */
import { spawnSync } from "node:child_process";
import postgres from "postgres";
import type { Benchmark } from "./benchmark";
import type { BenchContext } from "./context";
import { timingFigure, median, percentile, type Figure } from "./figures";
import { describeFailures, httpRequest, signInAs, timeRequests } from "./measure";

export interface WorkspaceSize {
  accounts: number;
  contactsPerAccount: number;
  responses: number;
  interactions: number;
}
const SIZE: WorkspaceSize = {
  accounts: 10_000,
  contactsPerAccount: 5,
  responses: 1_000_000,
  interactions: 500_000,
};
/** The owner's sealed predictions per account, so every account has a gap on the heat map. */
const PREDICTIONS_PER_ACCOUNT = 2;
const CHUNK = 100_000;
const REQUESTS = 30;
/** Seeding + rebuild + requests ≤ 8 minutes, so the whole suite stays within 15 on 2 cores. */
const SEED_BUDGET_S = 180;
const REBUILD_BUDGET_S = 240;
const TOTAL_BUDGET_S = 480;
const RAW_RUNS = 5;
const DIMENSIONS = [
  "trust",
  "responsiveness",
  "understanding",
  "value",
  "communication",
  "relationship",
  "advocacy",
  "renewal",
];

/**
 * Bench rows get ids of their own, in insertion order ('b', a hex digit per table, then the
 * row's number in hex: never a random v4 id's version digit), so the primary keys and the
 * answers' (response, question) index grow at their right edge instead of touching a random
 * page per row, with the same rows and indexes as random ids would have.
 */
const benchId = (prefix: string, n: string) => `('b${prefix}' || lpad(to_hex(${n}), 30, '0'))::uuid`;

/**
 * Writes a large workspace next to the demo one (its managers own the accounts). Set-based
 * INSERT … SELECT generate_series, on connections of its own: no commit waits for the disk
 * (synchronous_commit off; a crash would lose only this throwaway data), and foreign keys
 * are not checked row by row (session_replication_role = replica: every reference is made
 * by the same statements from rows just read). The responses and their answers are written
 * by `parallel` connections side by side, each its own range.
 */
export async function seedLargeWorkspace(
  databaseUrl: string,
  size: WorkspaceSize,
  progress: (line: string) => void,
  { parallel = 2 }: { parallel?: number } = {},
) {
  const {
    accounts: ACCOUNTS,
    contactsPerAccount: CONTACTS_PER_ACCOUNT,
    responses: RESPONSES,
    interactions: INTERACTIONS,
  } = size;
  const sql = postgres(databaseUrl, {
    max: parallel,
    onnotice: () => {},
    connection: {
      synchronous_commit: "off",
      session_replication_role: "replica",
      work_mem: "64MB",
      maintenance_work_mem: "256MB",
    },
  });
  try {
    const [version] = await sql<{ id: string }[]>`
      select v.id from survey_versions v join survey_definitions d on d.id = v.definition_id
      where d.kind = 'relationship' order by v.version desc limit 1`;
    if (!version) throw new Error("no relationship survey version to answer");
    const owners = await sql<{ id: string }[]>`select id from users where role = 'manager' order by email`;
    if (owners.length === 0) throw new Error("no managers to own the accounts");

    progress(`  ${ACCOUNTS} accounts, ${ACCOUNTS * CONTACTS_PER_ACCOUNT} contacts…`);
    // account n and its contacts (n - 1) * per + c: the later statements find them by number
    await sql`
      insert into accounts (id, name, segment, region, tier, owner_id, annual_value_cents)
      select ${sql.unsafe(benchId("a", "g"))}, 'Bench account ' || g,
        (array['enterprise','mid_market','smb'])[1 + g % 3]::segment,
        (array['North America','EMEA','APAC','LATAM'])[1 + g % 4],
        (array['strategic','key','core'])[1 + g % 3]::tier,
        (${sql.array(owners.map((o) => o.id))}::uuid[])[1 + g % ${owners.length}::int],
        (50000 + g % 500000) * 100
      from generate_series(1, ${ACCOUNTS}::int) g`;
    await sql`
      insert into contacts (id, account_id, name, email, buying_role)
      select ${sql.unsafe(benchId("c", `(g - 1) * ${CONTACTS_PER_ACCOUNT} + c`))},
        ${sql.unsafe(benchId("a", "g"))},
        'Bench contact ' || g || '-' || c, 'bench-' || g || '-' || c || '@bench.test',
        (array['decision_maker','champion','influencer','user','user'])[1 + (c - 1) % 5]::buying_role
      from generate_series(1, ${ACCOUNTS}::int) g, generate_series(1, ${CONTACTS_PER_ACCOUNT}::int) c`;

    progress(
      `  ${RESPONSES.toLocaleString("en-US")} responses with ${(RESPONSES * DIMENSIONS.length).toLocaleString("en-US")} answers…`,
    );
    const contactCount = ACCOUNTS * CONTACTS_PER_ACCOUNT;
    // response g: contact 1 + g % contacts, which belongs to account 1 + (g % contacts) / per
    const contactOf = `(1 + g % ${contactCount})`;
    const chunks: [number, number][] = [];
    for (let start = 0; start < RESPONSES; start += CHUNK)
      chunks.push([start + 1, Math.min(RESPONSES, start + CHUNK)]);
    let written = 0;
    const writeChunk = async ([first, last]: [number, number]) => {
      await sql`
        insert into responses (id, survey_version_id, contact_id, account_id, source, data, is_complete, started_at, completed_at)
        select ${sql.unsafe(benchId("e", "g"))}, ${version.id},
          ${sql.unsafe(benchId("c", `${contactOf} - 1`))},
          ${sql.unsafe(benchId("a", `1 + (${contactOf} - 1) / ${CONTACTS_PER_ACCOUNT}`))}, 'link',
          -- one response in five says something in its own words, for the verbatim search
          case when g % 5 = 0
            then jsonb_build_object('trust_why', 'Bench comment ' || g || ' on ' ||
              (array['pricing','support','onboarding','renewals','the roadmap'])[1 + (g / 5) % 5])
            else '{}'::jsonb end,
          true,
          now() - make_interval(days => ((g::bigint * 7919) % 730)::int) - interval '5 minutes',
          now() - make_interval(days => ((g::bigint * 7919) % 730)::int)
        from generate_series(${first}::int, ${last}::int) g`;
      await sql`
        insert into answers (response_id, question, dimension, value)
        select ${sql.unsafe(benchId("e", "g"))}, d.name, d.name::health_dimension,
          case when d.name = 'advocacy' then 10 * ((abs(hashtext(g || d.name)) % 11))
               else 25 * ((abs(hashtext(g || d.name)) % 5)) end
        from generate_series(${first}::int, ${last}::int) g,
          unnest(${sql.array(DIMENSIONS)}::text[]) as d(name)`;
      written += last - first + 1;
      progress(`    ${written.toLocaleString("en-US")} responses`);
    };
    // each connection takes a contiguous share of the chunks, so its ids stay in order
    const share = Math.ceil(chunks.length / parallel);
    await Promise.all(
      Array.from({ length: parallel }, async (_, i) => {
        for (const chunk of chunks.slice(i * share, (i + 1) * share)) await writeChunk(chunk);
      }),
    );

    progress(`  ${INTERACTIONS.toLocaleString("en-US")} interactions…`);
    await sql`
      insert into interactions (id, account_id, kind, occurred_at, summary, engagement_quality, equity_effect, equity_weight)
      select ${sql.unsafe(benchId("f", "g"))}, ${sql.unsafe(benchId("a", `1 + g % ${ACCOUNTS}`))},
        (array['meeting','call','email','qbr','favour','mistake'])[1 + g % 6]::interaction_kind,
        now() - make_interval(days => ((g::bigint * 104729) % 540)::int),
        'Bench interaction ' || g,
        1 + g % 5,
        (array['deposit','neutral','withdrawal'])[1 + g % 3]::equity_effect,
        1 + g % 3
      from generate_series(1, ${INTERACTIONS}::int) g`;
    progress(`  ${(ACCOUNTS * PREDICTIONS_PER_ACCOUNT).toLocaleString("en-US")} sealed predictions…`);
    await sql`
      with made as (
        insert into predictions (account_id, author_id, created_at, updated_at)
        select a.id, a.owner_id, at, at
        from accounts a, generate_series(1, ${PREDICTIONS_PER_ACCOUNT}::int) p,
          lateral (select now() - make_interval(days => 30 + ((abs(hashtext(a.id::text)) + p * 97) % 300))) t(at)
        where a.name like 'Bench account %'
        returning id
      )
      insert into prediction_values (prediction_id, dimension, value)
      select made.id, d.name::health_dimension,
        case when d.name = 'advocacy' then 10 * ((abs(hashtext(made.id::text || d.name)) % 11))
             else 25 * ((abs(hashtext(made.id::text || d.name)) % 5)) end
      from made, unnest(${sql.array(DIMENSIONS)}::text[]) as d(name)`;
    progress("  analyze…");
    await sql`analyze`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The dashboard's headline numbers straight from the raw answers: NPS and health by month and account. */
async function rawAggregation(sql: postgres.Sql) {
  await sql`
    with latest as (
      select r.account_id, date_trunc('month', r.completed_at) as month, a.dimension, a.value
      from responses r join answers a on a.response_id = r.id
      where r.is_complete and r.completed_at >= now() - interval '12 months'
    )
    select month, account_id,
      avg(value) filter (where dimension not in ('advocacy', 'renewal')) as health,
      count(*) filter (where dimension = 'advocacy' and value >= 90) as promoters,
      count(*) filter (where dimension = 'advocacy' and value <= 60) as detractors,
      count(*) filter (where dimension = 'advocacy') as respondents
    from latest group by month, account_id`;
}

/**
 * The account page's two-sided view straight from the raw rows of one account, over the
 * page's 12 months: the customer's score, answers and respondents per dimension, the team's
 * predictions per dimension (value, predictions, authors) and the ledger (interactions,
 * engagement, equity balance).
 */
async function rawAccountAggregation(sql: postgres.Sql, accountId: string) {
  await sql`
    with customer as (
      select a.dimension, avg(a.value) as value, count(*) as answers, count(distinct r.contact_id) as respondents
      from responses r join answers a on a.response_id = r.id
      where r.account_id = ${accountId} and r.is_complete and r.completed_at >= now() - interval '12 months'
      group by a.dimension
    ), team as (
      select v.dimension, avg(v.value) as value, count(*) as predictions, count(distinct p.author_id) as authors
      from predictions p join prediction_values v on v.prediction_id = p.id
      where p.account_id = ${accountId} and p.created_at >= now() - interval '12 months'
      group by v.dimension
    ), ledger as (
      select count(*) as interactions, avg(engagement_quality) as engagement,
        sum(case equity_effect when 'deposit' then equity_weight
                               when 'withdrawal' then -equity_weight else 0 end) as balance
      from interactions
      where account_id = ${accountId} and occurred_at >= now() - interval '12 months'
    )
    select coalesce(c.dimension, t.dimension) as dimension, c.value as customer, c.answers, c.respondents,
      t.value as team, t.predictions, t.authors, l.interactions, l.engagement, l.balance
    from customer c full join team t on t.dimension = c.dimension cross join ledger l`;
}

/** Median of `runs` timings of `run`, in ms. */
async function timeRuns(runs: number, run: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples;
}

function rebuildRollups(context: BenchContext) {
  const started = process.hrtime.bigint();
  const result = spawnSync("npm", ["run", "--silent", "health:rebuild"], {
    env: { ...process.env, DATABASE_URL: context.databaseUrl, LOG_LEVEL: "warn" },
    encoding: "utf8",
    timeout: 30 * 60_000,
  });
  if (result.status !== 0) {
    throw new Error(`npm run health:rebuild failed:\n${result.stdout ?? ""}${result.stderr ?? ""}`);
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export const dashboardTime: Benchmark = {
  name: "dashboard and account page on 1,000,000 responses",
  async run(context) {
    const started = process.hrtime.bigint();
    const sql = postgres(context.databaseUrl, { max: 2, onnotice: () => {} });
    const figures: Figure[] = [];
    try {
      const progress = (line: string) => process.stderr.write(`${line}\n`);
      const seedStarted = process.hrtime.bigint();
      await seedLargeWorkspace(context.databaseUrl, SIZE, progress);
      // Budgets that keep the whole suite within 15 minutes: this benchmark ≤ 8 of them.
      figures.push({
        name: "Seeding 10,000 accounts, 1,000,000 responses, 500,000 interactions",
        unit: "s",
        value: Number(process.hrtime.bigint() - seedStarted) / 1e9,
        budget: SEED_BUDGET_S,
      });
      progress("  building the rollups (npm run health:rebuild)…");
      figures.push({
        name: "npm run health:rebuild on that data (with VACUUM ANALYZE)",
        unit: "s",
        value: rebuildRollups(context),
        budget: REBUILD_BUDGET_S,
      });

      const cookie = await signInAs(context.baseUrl, "leader@demo.test");
      const get = (path: string) => () =>
        httpRequest(`${context.baseUrl}${path}`, { headers: { Cookie: cookie } });
      const [account] = await sql<
        { id: string; responses: number }[]
      >`select a.id, (select count(*)::int from responses r where r.account_id = a.id) as responses
        from accounts a where a.name = 'Bench account 4242'`;
      const pages = [
        { name: "GET /dashboard (leader, 12 months)", path: "/dashboard" },
        {
          name: `GET /accounts/:id (an account with ${account!.responses} responses)`,
          path: `/accounts/${account!.id}`,
        },
      ];
      const timings: number[][] = [];
      for (const page of pages) {
        await timeRequests([1, 2, 3], 1, get(page.path)); // warm-up
        const results = await timeRequests(Array.from({ length: REQUESTS }), 1, get(page.path));
        const failure = describeFailures(page.name, results);
        if (failure) context.problem(failure);
        timings.push(results.map((r) => r.ms));
      }
      const raws = [
        {
          name: `Dashboard's numbers aggregated from raw answers (n=${RAW_RUNS})`,
          samples: await timeRuns(RAW_RUNS, () => rawAggregation(sql)),
        },
        {
          name: `Account page's numbers aggregated from its raw rows (n=${RAW_RUNS})`,
          samples: await timeRuns(RAW_RUNS, () => rawAccountAggregation(sql, account!.id)),
        },
      ];
      pages.forEach((page, i) => {
        // ≥ 10× faster than the raw aggregation: ratio = raw median ÷ page p95
        const rawMedian = median(raws[i]!.samples);
        figures.push(
          timingFigure(`${page.name} (n=${REQUESTS})`, timings[i]!, {
            budget: 300,
            baseline: rawMedian,
            ratio: rawMedian / percentile(timings[i]!, 95),
            ratioAtLeast: 10,
          }),
          timingFigure(raws[i]!.name, raws[i]!.samples),
        );
      });
      figures.push({
        name: "Dashboard benchmark in all (seed, rebuild, requests)",
        unit: "s",
        value: Number(process.hrtime.bigint() - started) / 1e9,
        budget: TOTAL_BUDGET_S,
      });
      return figures;
    } finally {
      await sql.end({ timeout: 5 });
    }
  },
};
