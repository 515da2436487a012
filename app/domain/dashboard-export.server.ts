/**
 * CSV downloads of the dashboard's tables (/dashboard/export/:table), with the same filters as
 * the page and every row rather than the page's first few. Numbers stay numbers; text cells
 * that a spreadsheet would run as a formula get a leading apostrophe (csv/columns.ts).
 */
import { stringify } from "csv-stringify/sync";
import { HEALTH_DIMENSIONS } from "./dimensions";
import { protectFromFormula } from "./csv/columns";
import type { Viewer } from "./accounts.server";
import type { Database } from "../lib/db.server";
import { QUADRANTS, type DashboardTable } from "./dashboard";
import type { DashboardQuery } from "./dashboard-query.server";
import {
  getBlindSpots,
  getCaseMetrics,
  getCoverage,
  getHeatmap,
  getQuadrants,
  getSilentAccounts,
  getTrend,
  searchVerbatims,
} from "./dashboard.server";

type Cell = string | number | null;
type Table = { columns: string[]; rows: Record<string, Cell>[] };

const iso = (at: Date | null) => (at ? at.toISOString() : null);

/** One dashboard table, every row, as the download has it. */
export async function dashboardTable(
  db: Database,
  viewer: Viewer,
  query: DashboardQuery,
  table: DashboardTable,
  options: { now: Date; companyName: string },
): Promise<Table> {
  const all = { limit: null };
  switch (table) {
    case "trend": {
      const points = await getTrend(db, viewer, query, options.now);
      return {
        columns: [
          "month",
          "accounts",
          "responses",
          "nps_respondents",
          "promoters",
          "passives",
          "detractors",
          "nps",
          "health_respondents",
          "health",
        ],
        rows: points.map((p) => ({
          month: p.month,
          accounts: p.accounts,
          responses: p.responses,
          nps_respondents: p.npsRespondents,
          promoters: p.promoters,
          passives: p.passives,
          detractors: p.detractors,
          nps: p.nps,
          health_respondents: p.healthRespondents,
          health: p.health,
        })),
      };
    }
    case "quadrants": {
      const counts = await getQuadrants(db, viewer, query);
      return {
        columns: ["quadrant", "accounts"],
        rows: [...QUADRANTS, "none" as const].map((quadrant) => ({ quadrant, accounts: counts[quadrant] })),
      };
    }
    case "heatmap": {
      const { rows } = await getHeatmap(db, viewer, query, all);
      return {
        columns: [
          "account_id",
          "account",
          "health_gap",
          "health_quadrant",
          ...HEALTH_DIMENSIONS.map((d) => `${d}_gap`),
        ],
        rows: rows.map((row) => ({
          account_id: row.accountId,
          account: row.accountName,
          health_gap: row.healthGap,
          health_quadrant: row.healthQuadrant,
          ...Object.fromEntries(HEALTH_DIMENSIONS.map((d) => [`${d}_gap`, row.cells[d]?.gap ?? null])),
        })),
      };
    }
    case "blind-spots": {
      const { rows } = await getBlindSpots(db, viewer, query, all);
      return {
        columns: [
          "account_id",
          "account",
          "dimension",
          "team",
          "customer",
          "gap",
          "weighted_gap",
          "confidence",
          "respondents",
        ],
        rows: rows.map((row) => ({
          account_id: row.accountId,
          account: row.accountName,
          dimension: row.dimension,
          team: row.team,
          customer: row.customer,
          gap: row.gap,
          weighted_gap: row.weightedGap,
          confidence: row.confidence,
          respondents: row.respondents,
        })),
      };
    }
    case "silent": {
      const { rows } = await getSilentAccounts(db, viewer, query, all);
      return {
        columns: [
          "account_id",
          "account",
          "last_customer_voice_at",
          "invitations_sent",
          "invitations_completed",
          "reason",
        ],
        rows: rows.map((row) => ({
          account_id: row.accountId,
          account: row.accountName,
          last_customer_voice_at: iso(row.lastCustomerVoiceAt),
          invitations_sent: row.invitationsSent,
          invitations_completed: row.invitationsCompleted,
          reason: row.reason,
        })),
      };
    }
    case "coverage": {
      const rows = await getCoverage(db, viewer, query, all);
      return {
        columns: [
          "account_id",
          "account",
          "invitations_sent",
          "invitations_completed",
          "response_rate_percent",
          "key_contacts",
          "key_contacts_asked",
          "key_contacts_heard",
          "coverage_percent",
        ],
        rows: rows.map((row) => ({
          account_id: row.accountId,
          account: row.accountName,
          invitations_sent: row.invitationsSent,
          invitations_completed: row.invitationsCompleted,
          response_rate_percent: row.responseRate,
          key_contacts: row.keyContacts,
          key_contacts_asked: row.keyContactsAsked,
          key_contacts_heard: row.keyContactsHeard,
          coverage_percent: row.coverage,
        })),
      };
    }
    case "cases": {
      const metrics = await getCaseMetrics(db, viewer, query, options.now);
      return {
        columns: ["metric", "value"],
        rows: (
          [
            ["cases_opened", metrics.opened],
            ["acknowledged", metrics.acknowledged],
            ["median_hours_to_acknowledge", metrics.medianHoursToAcknowledge],
            ["resolved", metrics.resolved],
            ["median_hours_to_resolve", metrics.medianHoursToResolve],
            ["sla_decided", metrics.slaDecided],
            ["resolved_within_sla", metrics.resolvedWithinSla],
            ["within_sla_percent", metrics.withinSlaShare],
            ["open", metrics.open],
            ["open_past_sla", metrics.overdue],
          ] as [string, number | null][]
        ).map(([metric, value]) => ({ metric, value })),
      };
    }
    case "verbatims": {
      const { rows } = await searchVerbatims(db, viewer, query, { ...options, ...all });
      return {
        columns: ["completed_at", "account_id", "account", "contact", "survey", "question", "text"],
        rows: rows.map((row) => ({
          completed_at: iso(row.completedAt),
          account_id: row.accountId,
          account: row.accountName,
          contact: row.contactName,
          survey: row.survey,
          question: row.title,
          text: row.text,
        })),
      };
    }
  }
}

/** The table as CSV text: UTF-8 with a BOM, so Excel reads accents right. */
export function tableToCsv(table: Table): string {
  return stringify(table.rows, {
    header: true,
    columns: table.columns,
    bom: true,
    cast: { string: protectFromFormula },
  });
}
