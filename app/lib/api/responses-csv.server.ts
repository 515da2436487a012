import { createReadableStreamFromReadable } from "@remix-run/node";
import { z } from "zod";
import type { ChangeCursor } from "../../domain/account-sync.server";
import { scoresByDimension } from "../../domain/cases";
import { csvStreamOf, type CsvCell } from "../../domain/csv-export.server";
import { HEALTH_DIMENSIONS } from "../../domain/dimensions";
import { scoredAnswersOf } from "../../domain/scored-answers.server";
import type { Database } from "../db.server";
import { log } from "../log.server";
import { defineOperation } from "./operation.server";
import { responseFilterShape, selectCompletedResponses, type ResponseFilters } from "./responses.server";

/** Responses read per query: memory holds one page, however many rows the export has. */
export const RESPONSES_CSV_PAGE_SIZE = 1000;

/** The file's columns, in order: one per dimension score, and the answers as one JSON cell. */
export const RESPONSES_CSV_COLUMNS = [
  "id",
  "survey_id",
  "survey_slug",
  "survey_version",
  "account_id",
  "account_external_id",
  "contact_id",
  "opportunity_id",
  "source",
  "completed_at",
  ...HEALTH_DIMENSIONS.map((d) => `${d}_score`),
  "answers",
];

/** Every completed response matching `filters`, as CSV cells, read a page at a time by keyset. */
export async function* responseCsvRows(
  db: Database,
  filters: ResponseFilters,
  pageSize = RESPONSES_CSV_PAGE_SIZE,
): AsyncGenerator<Record<string, CsvCell>> {
  let after: ChangeCursor | undefined;
  for (;;) {
    const rows = await selectCompletedResponses(db, filters, { after, limit: pageSize });
    const scoresOf = await scoredAnswersOf(
      db,
      rows.map((row) => row.response.id),
    );
    for (const { response, surveyId, surveySlug, surveyVersion, accountExternalId } of rows) {
      const dimensionScores = scoresByDimension(scoresOf.get(response.id) ?? []);
      yield {
        id: response.id,
        survey_id: surveyId,
        survey_slug: surveySlug,
        survey_version: surveyVersion,
        account_id: response.accountId,
        account_external_id: accountExternalId,
        contact_id: response.contactId,
        opportunity_id: response.opportunityId,
        source: response.source,
        completed_at: response.completedAt!.toISOString(),
        ...Object.fromEntries(HEALTH_DIMENSIONS.map((d) => [`${d}_score`, dimensionScores[d] ?? null])),
        answers: JSON.stringify(response.data ?? {}),
      };
    }
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    after = { updatedAt: last.completedAtText, id: last.response.id };
  }
}

const csvQuery = z.object(responseFilterShape).strict();

const exampleCsv = [
  RESPONSES_CSV_COLUMNS.join(","),
  [
    "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b",
    "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
    "relationship-health",
    "2",
    "5b0c7a4e-3f1d-4a52-9a0e-0c8f0b6c2d11",
    "CRM-0042",
    "8d2f1c3a-6b7e-4f90-a1b2-c3d4e5f60718",
    "",
    "email",
    "2025-03-04T09:00:00.000Z",
    ...HEALTH_DIMENSIONS.map((d) => (d === "trust" ? "75" : d === "advocacy" ? "90" : "")),
    '"{""trust"":4,""advocacy"":9,""advocacy_why"":""They call back, the same day.""}"',
  ].join(","),
  "",
].join("\n");

export const responseCsvOperations = [
  defineOperation({
    operationId: "exportResponsesCsv",
    method: "GET",
    path: "/responses.csv",
    scope: "read",
    tag: "Responses",
    summary: "Every completed response matching the filters, as one streamed CSV file",
    description: `The rows GET /responses lists, with the same filters, in the same order (completed_at, then id), in one download without paging. Columns: ${RESPONSES_CSV_COLUMNS.join(", ")}. A *_score is the mean of that dimension's scored questions, 0–100, empty when the response did not answer it; answers is everything submitted, as JSON. UTF-8 without a BOM, RFC 4180 quoting, a header row; a text cell starting with = + - or @ gets a leading apostrophe so a spreadsheet does not run it. A failure mid-way cuts the download short with a network error rather than ending it cleanly.`,
    query: csvQuery,
    responses: {
      200: {
        description: "The CSV file, streamed.",
        contentType: "text/csv",
        schema: z.string(),
        example: exampleCsv,
      },
    },
    async handle({ db, query }) {
      const csv = csvStreamOf(responseCsvRows(db, query), {
        columns: RESPONSES_CSV_COLUMNS,
        bom: false,
        onError: (error) => {
          // the client went away: the generator has stopped reading, nothing failed
          if ((error as NodeJS.ErrnoException).code === "ERR_STREAM_PREMATURE_CLOSE") return;
          log.error("api.responses_csv_failed", { error: error.stack ?? error.message });
        },
      });
      return {
        status: 200,
        stream: createReadableStreamFromReadable(csv),
        contentType: "text/csv; charset=utf-8",
        headers: { "Content-Disposition": 'attachment; filename="responses.csv"' },
      };
    },
  }),
];
