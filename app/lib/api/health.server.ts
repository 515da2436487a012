import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { accountDimensionHealth, accountHealth, accounts } from "../../../db/schema";
import { HEALTH_DIMENSIONS } from "../../domain/dimensions";
import { refreshAccountHealth } from "../../domain/health-rollups.server";
import { DEFAULT_ROLLUP_WINDOW, ROLLUP_WINDOW_MONTHS } from "../../domain/health-windows";
import type { Database } from "../db.server";
import { idParams, notFoundProblem } from "./fields.server";
import { defineOperation } from "./operation.server";

// ─── Schemas ──────────────────────────────────────────────────────────────────────────

const confidence = z.enum(["none", "low", "medium", "high"]);
const quadrant = z.enum(["agreed_strength", "agreed_weakness", "blind_spot", "undervalued"]);
const score = z.number().nullable().describe("−100.0 … 100.0, one decimal; null without data.");
const flagKinds = ["silent", "busy_but_shallow", "overdrawn", "ledger_disagrees"] as const;

const dimensionHealthSchema = z
  .object({
    dimension: z.enum(HEALTH_DIMENSIONS),
    customer: z
      .object({ value: score, answers: z.number().int(), respondents: z.number().int(), confidence })
      .strict(),
    team: z
      .object({ value: score, predictions: z.number().int(), authors: z.number().int(), confidence })
      .strict(),
    gap: z
      .object({
        value: score.describe("team − customer"),
        misaligned: z.boolean().nullable(),
        quadrant: quadrant.nullable(),
        weighted_gap: score,
        confidence,
      })
      .strict(),
  })
  .strict();

export const accountHealthSchema = z
  .object({
    account_id: z.string().uuid(),
    window_months: z.number().int(),
    customer: z
      .object({
        health: score,
        respondents: z.number().int(),
        answers: z.number().int(),
        confidence,
      })
      .strict()
      .describe("What the customer says (answered surveys)."),
    team: z
      .object({
        health: score,
        predictions: z.number().int(),
        authors: z.number().int(),
        confidence,
      })
      .strict()
      .describe("What the account team predicted; only predictions the customer has since answered."),
    ledger: z
      .object({
        score: z.number(),
        confidence,
        interactions: z.number().int(),
        equity_balance: z.number(),
      })
      .strict()
      .describe("What the interaction ledger shows."),
    nps: z
      .object({
        nps: z.number().int().nullable(),
        promoters: z.number().int(),
        passives: z.number().int(),
        detractors: z.number().int(),
        respondents: z.number().int(),
      })
      .strict(),
    gap: z
      .object({
        health_gap: score.describe("team − customer on health"),
        quadrant: quadrant.nullable(),
        misaligned: z.boolean().nullable(),
        confidence,
      })
      .strict(),
    trend_change: score,
    flags: z.array(z.object({ flag: z.enum(flagKinds), reason: z.string() }).strict()),
    last_customer_voice_at: z.string().datetime().nullable(),
    dimensions: z.array(dimensionHealthSchema).describe("Dimensions with a customer or a team value."),
    computed_at: z.string().datetime(),
  })
  .strict();

const windowQuery = z
  .object({
    window_months: z.coerce
      .number()
      .int()
      .refine((n) => (ROLLUP_WINDOW_MONTHS as readonly number[]).includes(n), {
        message: `One of ${ROLLUP_WINDOW_MONTHS.join(", ")}.`,
      })
      .default(DEFAULT_ROLLUP_WINDOW)
      .describe(
        `The window in months: ${ROLLUP_WINDOW_MONTHS.join(", ")}; default ${DEFAULT_ROLLUP_WINDOW}.`,
      ),
  })
  .strict();

const exampleHealth: z.input<typeof accountHealthSchema> = {
  account_id: "5b0c7a4e-3f1d-4a52-9a0e-0c8f0b6c2d11",
  window_months: 12,
  customer: { health: 42.5, respondents: 3, answers: 17, confidence: "medium" },
  team: { health: 61, predictions: 2, authors: 2, confidence: "low" },
  ledger: { score: 35, confidence: "medium", interactions: 14, equity_balance: 2 },
  nps: { nps: 0, promoters: 1, passives: 1, detractors: 1, respondents: 3 },
  gap: { health_gap: 18.5, quadrant: "blind_spot", misaligned: true, confidence: "low" },
  trend_change: -6.5,
  flags: [{ flag: "overdrawn", reason: "The equity balance is −4 over the last 90 days." }],
  last_customer_voice_at: "2025-02-11T09:12:00.000Z",
  dimensions: [
    {
      dimension: "trust",
      customer: { value: 30, answers: 3, respondents: 3, confidence: "medium" },
      team: { value: 60, predictions: 2, authors: 2, confidence: "low" },
      gap: { value: 30, misaligned: true, quadrant: "blind_spot", weighted_gap: 30, confidence: "low" },
    },
  ],
  computed_at: "2025-03-05T02:23:00.000Z",
};

// ─── Reading ──────────────────────────────────────────────────────────────────────────

async function readRollups(db: Database, accountId: string, windowMonths: number) {
  const [[row], dimensions] = await Promise.all([
    db
      .select()
      .from(accountHealth)
      .where(and(eq(accountHealth.accountId, accountId), eq(accountHealth.windowMonths, windowMonths))),
    db
      .select()
      .from(accountDimensionHealth)
      .where(
        and(
          eq(accountDimensionHealth.accountId, accountId),
          eq(accountDimensionHealth.windowMonths, windowMonths),
        ),
      )
      .orderBy(asc(accountDimensionHealth.dimension)),
  ]);
  return { row, dimensions };
}

type Rollups = Awaited<ReturnType<typeof readRollups>>;

export function toApiHealth({
  row,
  dimensions,
}: {
  row: NonNullable<Rollups["row"]>;
  dimensions: Rollups["dimensions"];
}): z.infer<typeof accountHealthSchema> {
  const order = new Map(HEALTH_DIMENSIONS.map((d, i) => [d as string, i]));
  return {
    account_id: row.accountId,
    window_months: row.windowMonths,
    customer: {
      health: row.customerHealth,
      respondents: row.customerRespondents,
      answers: row.customerAnswers,
      confidence: row.customerConfidence,
    },
    team: {
      health: row.teamHealth,
      predictions: row.teamPredictions,
      authors: row.teamAuthors,
      confidence: row.teamConfidence,
    },
    ledger: {
      score: row.ledgerScore,
      confidence: row.ledgerConfidence,
      interactions: row.ledgerInteractions,
      equity_balance: row.equityBalance,
    },
    nps: {
      nps: row.nps,
      promoters: row.promoters,
      passives: row.passives,
      detractors: row.detractors,
      respondents: row.npsRespondents,
    },
    gap: {
      health_gap: row.healthGap,
      quadrant: row.healthQuadrant,
      misaligned: row.healthMisaligned,
      confidence: row.gapConfidence,
    },
    trend_change: row.trendChange,
    flags: row.flags as z.infer<typeof accountHealthSchema>["flags"],
    last_customer_voice_at: row.lastCustomerVoiceAt?.toISOString() ?? null,
    dimensions: [...dimensions]
      .sort((a, b) => order.get(a.dimension)! - order.get(b.dimension)!)
      .map((d) => ({
        dimension: d.dimension,
        customer: {
          value: d.customerValue,
          answers: d.customerAnswers,
          respondents: d.customerRespondents,
          confidence: d.customerConfidence,
        },
        team: {
          value: d.teamValue,
          predictions: d.teamPredictions,
          authors: d.teamAuthors,
          confidence: d.teamConfidence,
        },
        gap: {
          value: d.gap,
          misaligned: d.misaligned,
          quadrant: d.quadrant,
          weighted_gap: d.weightedGap,
          confidence: d.gapConfidence,
        },
      })),
    computed_at: row.computedAt.toISOString(),
  };
}

// ─── Operations ───────────────────────────────────────────────────────────────────────

export const healthOperations = [
  defineOperation({
    operationId: "getAccountHealth",
    method: "GET",
    path: "/accounts/{id}/health",
    scope: "read",
    tag: "Accounts",
    summary: "An account's health: the customer, team and ledger views, NPS, gaps, flags",
    description:
      "Read from the health rollups the account page and dashboard show (refreshed after each write and nightly). The team view holds only predictions the customer has answered since, so no sealed prediction shows through. An account without rollups yet has them built on first read.",
    params: idParams,
    query: windowQuery,
    responses: {
      200: {
        description: "The account's health in the window.",
        schema: z.object({ data: accountHealthSchema }).strict(),
        example: { data: exampleHealth },
      },
    },
    async handle({ db, params, query }) {
      const [account] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, params.id));
      if (!account) throw notFoundProblem("account", `id ${params.id}`);
      let rollups = await readRollups(db, account.id, query.window_months);
      if (!rollups.row) {
        await refreshAccountHealth(db, account.id);
        rollups = await readRollups(db, account.id, query.window_months);
      }
      if (!rollups.row) throw notFoundProblem("account", `id ${params.id}`);
      return {
        status: 200,
        body: { data: toApiHealth({ row: rollups.row, dimensions: rollups.dimensions }) },
      };
    },
  }),
];
