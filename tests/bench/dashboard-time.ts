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
import { describeFailures, timeRequests } from "./measure";

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

/** Writes a large workspace next to the demo one (its managers own the accounts). */
export async function seedLargeWorkspace(
  sql: postgres.Sql,
  size: WorkspaceSize,
  progress: (line: string) => void,
) {
  const {
    accounts: ACCOUNTS,
    contactsPerAccount: CONTACTS_PER_ACCOUNT,
    responses: RESPONSES,
    interactions: INTERACTIONS,
  } = size;
  const [version] = await sql<{ id: string }[]>`
    select v.id from survey_versions v join survey_definitions d on d.id = v.definition_id
    where d.kind = 'relationship' order by v.version desc limit 1`;
  if (!version) throw new Error("no relationship survey version to answer");
  const owners = await sql<{ id: string }[]>`select id from users where role = 'manager' order by email`;
  if (owners.length === 0) throw new Error("no managers to own the accounts");

  progress(`  ${ACCOUNTS} accounts, ${ACCOUNTS * CONTACTS_PER_ACCOUNT} contacts…`);
  await sql`
    insert into accounts (name, segment, region, tier, owner_id, annual_value_cents)
    select 'Bench account ' || g,
      (array['enterprise','mid_market','smb'])[1 + g % 3]::segment,
      (array['North America','EMEA','APAC','LATAM'])[1 + g % 4],
      (array['strategic','key','core'])[1 + g % 3]::tier,
      (${sql.array(owners.map((o) => o.id))}::uuid[])[1 + g % ${owners.length}::int],
      (50000 + g % 500000) * 100
    from generate_series(1, ${ACCOUNTS}::int) g`;
  await sql`
    insert into contacts (account_id, name, email, buying_role)
    select a.id, 'Bench contact ' || a.n || '-' || c, 'bench-' || a.n || '-' || c || '@bench.test',
      (array['decision_maker','champion','influencer','user','user'])[c]::buying_role
    from (select id, row_number() over (order by id) as n from accounts where name like 'Bench account %') a,
      generate_series(1, ${CONTACTS_PER_ACCOUNT}::int) c`;

  progress(
    `  ${RESPONSES.toLocaleString("en-US")} responses with ${(RESPONSES * DIMENSIONS.length).toLocaleString("en-US")} answers…`,
  );
  await sql`create temporary table bench_contacts as
    select row_number() over (order by c.id) as n, c.id, c.account_id
    from contacts c join accounts a on a.id = c.account_id where a.name like 'Bench account %'`;
  const contactCount = ACCOUNTS * CONTACTS_PER_ACCOUNT;
  for (let start = 0; start < RESPONSES; start += CHUNK) {
    await sql`
      with made as (
        insert into responses (survey_version_id, contact_id, account_id, source, data, is_complete, started_at, completed_at)
        select ${version.id}, bc.id, bc.account_id, 'link',
          -- one response in five says something in its own words, for the verbatim search
          case when g % 5 = 0
            then jsonb_build_object('trust_why', 'Bench comment ' || g || ' on ' ||
              (array['pricing','support','onboarding','renewals','the roadmap'])[1 + (g / 5) % 5])
            else '{}'::jsonb end,
          true,
          now() - make_interval(days => ((g::bigint * 7919) % 730)::int) - interval '5 minutes',
          now() - make_interval(days => ((g::bigint * 7919) % 730)::int)
        from generate_series(${start + 1}::int, ${Math.min(RESPONSES, start + CHUNK)}::int) g
        join bench_contacts bc on bc.n = 1 + g % ${contactCount}::int
        returning id
      )
      insert into answers (response_id, question, dimension, value)
      select made.id, d.name, d.name::health_dimension,
        case when d.name = 'advocacy' then 10 * ((abs(hashtext(made.id::text || d.name)) % 11))
             else 25 * ((abs(hashtext(made.id::text || d.name)) % 5)) end
      from made, unnest(${sql.array(DIMENSIONS)}::text[]) as d(name)`;
    progress(`    ${Math.min(RESPONSES, start + CHUNK).toLocaleString("en-US")} responses`);
  }

  progress(`  ${INTERACTIONS.toLocaleString("en-US")} interactions…`);
  await sql`
    insert into interactions (account_id, kind, occurred_at, summary, engagement_quality, equity_effect, equity_weight)
    select a.id,
      (array['meeting','call','email','qbr','favour','mistake'])[1 + g % 6]::interaction_kind,
      now() - make_interval(days => ((g::bigint * 104729) % 540)::int),
      'Bench interaction ' || g,
      1 + g % 5,
      (array['deposit','neutral','withdrawal'])[1 + g % 3]::equity_effect,
      1 + g % 3
    from generate_series(1, ${INTERACTIONS}::int) g
    join (select id, row_number() over (order by id) as n from accounts where name like 'Bench account %') a
      on a.n = 1 + g % ${ACCOUNTS}::int`;
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
  await sql`drop table bench_contacts`;
  await sql`analyze`;
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

async function signInAsLeader(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: "leader@demo.test", password: "rapport-demo" }),
    redirect: "manual",
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`signing in as the demo leader answered ${response.status} without a cookie`);
  return cookie;
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
    const sql = postgres(context.databaseUrl, { max: 2, onnotice: () => {} });
    const figures: Figure[] = [];
    try {
      const progress = (line: string) => process.stderr.write(`${line}\n`);
      const seedStarted = process.hrtime.bigint();
      await seedLargeWorkspace(sql, SIZE, progress);
      figures.push({
        name: "Seeding 10,000 accounts, 1,000,000 responses, 500,000 interactions",
        unit: "s",
        value: Number(process.hrtime.bigint() - seedStarted) / 1e9,
      });
      progress("  building the rollups (npm run health:rebuild)…");
      figures.push({
        name: "npm run health:rebuild on that data",
        unit: "s",
        value: rebuildRollups(context),
      });

      const cookie = await signInAsLeader(context.baseUrl);
      const get = (path: string) => () => fetch(`${context.baseUrl}${path}`, { headers: { Cookie: cookie } });
      const [account] = await sql<
        { id: string }[]
      >`select id from accounts where name = 'Bench account 4242'`;
      const pages = [
        { name: "GET /dashboard (leader, 12 months)", path: "/dashboard" },
        { name: "GET /accounts/:id (an account with 500 responses)", path: `/accounts/${account!.id}` },
      ];
      const timings: Record<string, number[]> = {};
      for (const page of pages) {
        await timeRequests([1, 2, 3], 1, get(page.path)); // warm-up
        const results = await timeRequests(Array.from({ length: REQUESTS }), 1, get(page.path));
        const failure = describeFailures(page.name, results);
        if (failure) context.problem(failure);
        timings[page.path] = results.map((r) => r.ms);
      }

      const raw: number[] = [];
      for (let i = 0; i < RAW_RUNS; i++) {
        const started = process.hrtime.bigint();
        await rawAggregation(sql);
        raw.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      const rawMedian = median(raw);
      const dashboard = timings["/dashboard"]!;
      figures.push(
        timingFigure(`${pages[0]!.name} (n=${REQUESTS})`, dashboard, { budget: 300 }),
        timingFigure(`${pages[1]!.name} (n=${REQUESTS})`, timings[pages[1]!.path]!),
        timingFigure(`The same numbers aggregated from raw answers (n=${RAW_RUNS})`, raw),
        {
          name: "Raw aggregation ÷ dashboard (p95), at least 10×",
          unit: "×",
          value: rawMedian / percentile(dashboard, 95),
        },
      );
      const ratio = rawMedian / percentile(dashboard, 95);
      if (ratio < 10)
        context.problem(
          `the dashboard is only ${ratio.toFixed(1)}× faster than the raw aggregation (target 10×)`,
        );
      return figures;
    } finally {
      await sql.end({ timeout: 5 });
    }
  },
};
