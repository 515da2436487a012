import { z } from "zod";
import { SURVEY_KINDS } from "../../domain/dimensions";
import type { DefinitionProblem } from "../../domain/survey-model";
import {
  surveySlugSchema,
  SurveyDefinitionError,
  importSurveyDefinition,
  listSurveyDefinitions,
  type ImportOutcome,
} from "../../domain/surveys.server";
import type { Database } from "../db.server";
import { idParams, notFoundProblem } from "./fields.server";
import { defineOperation } from "./operation.server";
import { validationProblem, type FieldProblem } from "./problem.server";

// ─── Schemas ──────────────────────────────────────────────────────────────────────────

const kind = z.enum(SURVEY_KINDS);
const source = z.enum(["file", "upload", "api"]);

export const surveySummarySchema = z
  .object({
    id: z.string().uuid(),
    slug: z.string(),
    title: z.string().describe("The latest version's title."),
    kind,
    latest_version: z.number().int(),
    latest_version_id: z.string().uuid().describe("What a campaign sends: `survey_version_id`."),
    versions_count: z.number().int(),
  })
  .strict();

export const surveyVersionSchema = z
  .object({
    id: z.string().uuid(),
    version: z.number().int(),
    source: source.describe("How it came in: the surveys/ folder, an upload in the UI, or this API."),
    content_hash: z
      .string()
      .describe("sha-256 of the canonical JSON; an identical import is no new version."),
    responses: z.number().int().describe("Responses begun on this version."),
    completed_responses: z.number().int(),
    created_at: z.string().datetime(),
  })
  .strict();

export const surveySchema = surveySummarySchema
  .extend({
    created_at: z.string().datetime(),
    versions: z.array(surveyVersionSchema).describe("Newest first."),
  })
  .strict();

/** The survey upload form's rules for the name (app/routes/_app.surveys._index.tsx), same messages. */
export const surveyImportSchema = z
  .object({
    slug: surveySlugSchema.describe(
      "The survey's name, e.g. relationship-health: a new one creates the survey, an existing one adds a version.",
    ),
    definition: z
      .record(z.string(), z.unknown(), {
        errorMap: (issue, context) => ({
          message:
            context.data === undefined
              ? "Send the SurveyJS definition (a JSON object)."
              : "must be a JSON object (a SurveyJS survey)",
        }),
      })
      .describe(
        "The SurveyJS JSON, with Rapport's `kind` and `dimension` properties (docs/surveys.md); checked as an upload in the UI is.",
      ),
  })
  .strict();

const importResult = z
  .enum(["created", "new_version", "unchanged"])
  .describe("created: a new survey (201); new_version: its content changed; unchanged: nothing written.");

const one = z.object({ data: surveySchema }).strict();
const imported = z
  .object({
    data: surveySchema,
    result: importResult,
    version: z
      .object({ id: z.string().uuid(), version: z.number().int() })
      .strict()
      .describe("The version the definition is: the one written, or the identical one on file."),
  })
  .strict();

const exampleVersion: z.input<typeof surveyVersionSchema> = {
  id: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  version: 2,
  source: "api",
  content_hash: "3f1c9a7e5b2d4c6e8a0b1d3f5e7c9a2b4d6f8e0a1c3e5b7d9f2a4c6e8b0d1f3a",
  responses: 12,
  completed_responses: 9,
  created_at: "2025-03-01T10:00:00.000Z",
};
const exampleSummary: z.input<typeof surveySummarySchema> = {
  id: "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
  slug: "relationship-health",
  title: "How is our relationship, really?",
  kind: "relationship",
  latest_version: 2,
  latest_version_id: exampleVersion.id,
  versions_count: 2,
};
const exampleSurvey: z.input<typeof surveySchema> = {
  ...exampleSummary,
  created_at: "2025-01-10T08:00:00.000Z",
  versions: [
    exampleVersion,
    {
      ...exampleVersion,
      id: "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
      version: 1,
      source: "file",
      content_hash: "a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8",
      created_at: "2025-01-10T08:00:00.000Z",
    },
  ],
};

// ─── Reading ──────────────────────────────────────────────────────────────────────────

/** A definition with its versions (newest first), or null. */
export async function getApiSurvey(
  db: Database,
  definitionId: string,
): Promise<z.infer<typeof surveySchema> | null> {
  const [definition] = await listSurveyDefinitions(db, { definitionId });
  if (!definition) return null;
  const { versions } = definition;
  const latest = versions[0]!;
  return {
    id: definition.id,
    slug: definition.slug,
    title: definition.title,
    kind: definition.kind,
    latest_version: latest.version,
    latest_version_id: latest.versionId,
    versions_count: versions.length,
    created_at: definition.createdAt.toISOString(),
    versions: versions.map((v) => ({
      id: v.versionId,
      version: v.version,
      source: v.source,
      content_hash: v.contentHash,
      responses: v.responses,
      completed_responses: v.completed,
      created_at: v.createdAt.toISOString(),
    })),
  };
}

/** The import's problems as field problems: `definition` for the survey, `definition.<question>` for a question. */
export function definitionProblems(problems: DefinitionProblem[]): FieldProblem[] {
  return problems.map((problem) => ({
    field: problem.where === "survey" || problem.where === "" ? "definition" : `definition.${problem.where}`,
    message: problem.message,
  }));
}

const resultOf: Record<ImportOutcome, z.infer<typeof importResult>> = {
  created: "created",
  "new-version": "new_version",
  unchanged: "unchanged",
};

// ─── Operations ───────────────────────────────────────────────────────────────────────

const tag = "Surveys";

export const surveyOperations = [
  defineOperation({
    operationId: "listSurveys",
    method: "GET",
    path: "/surveys",
    scope: "read",
    tag,
    summary: "List survey definitions with their latest version",
    description: "Every definition, by title; not paged (a workspace has a handful).",
    responses: {
      200: {
        description: "The survey definitions.",
        schema: z.object({ data: z.array(surveySummarySchema) }).strict(),
        example: { data: [exampleSummary] },
      },
    },
    async handle({ db }) {
      const definitions = await listSurveyDefinitions(db);
      return {
        status: 200,
        body: {
          data: definitions.map((d) => ({
            id: d.id,
            slug: d.slug,
            title: d.title,
            kind: d.kind,
            latest_version: d.versions[0]!.version,
            latest_version_id: d.versions[0]!.versionId,
            versions_count: d.versions.length,
          })),
        },
      };
    },
  }),
  defineOperation({
    operationId: "getSurvey",
    method: "GET",
    path: "/surveys/{id}",
    scope: "read",
    tag,
    summary: "Get a survey definition with its versions",
    params: idParams,
    responses: {
      200: { description: "The survey definition.", schema: one, example: { data: exampleSurvey } },
    },
    async handle({ db, params }) {
      const survey = await getApiSurvey(db, params.id);
      if (!survey) throw notFoundProblem("survey", `id ${params.id}`);
      return { status: 200, body: { data: survey } };
    },
  }),
  defineOperation({
    operationId: "importSurvey",
    method: "POST",
    path: "/surveys",
    scope: "write",
    tag,
    summary: "Import a SurveyJS definition: a new survey, a new version, or nothing when unchanged",
    description:
      "Checked exactly as an upload on the Surveys page is (importSurveyDefinition): each problem comes back as a 400 under `definition` or `definition.<question name>`, and nothing is written. A new version keeps the survey's kind; old responses keep their version.",
    body: surveyImportSchema,
    requestExample: {
      slug: "relationship-health",
      definition: {
        title: "How is our relationship, really?",
        kind: "relationship",
        pages: [
          {
            name: "working_together",
            elements: [{ type: "rating", name: "trust", dimension: "trust", rateMin: 1, rateMax: 5 }],
          },
        ],
      },
    },
    responses: {
      201: {
        description: "A new survey, as version 1.",
        schema: imported,
        example: {
          data: {
            ...exampleSurvey,
            latest_version: 1,
            versions_count: 1,
            versions: [exampleSurvey.versions[1]!],
          },
          result: "created",
          version: { id: exampleSurvey.versions[1]!.id, version: 1 },
        },
      },
      200: {
        description: "A new version of the survey (`new_version`), or the same content again (`unchanged`).",
        schema: imported,
        example: {
          data: exampleSurvey,
          result: "new_version",
          version: { id: exampleVersion.id, version: 2 },
        },
      },
    },
    async handle({ db, key, body }) {
      let outcome;
      try {
        outcome = await importSurveyDefinition(db, {
          slug: body.slug,
          json: body.definition,
          source: "api",
          createdById: key.createdById,
        });
      } catch (error) {
        if (error instanceof SurveyDefinitionError) {
          throw validationProblem(
            definitionProblems(error.problems),
            `${body.slug} is not a valid Rapport survey: ${error.problems.length === 1 ? "one problem" : `${error.problems.length} problems`}.`,
          );
        }
        throw error;
      }
      const survey = (await getApiSurvey(db, outcome.version.definitionId))!;
      const result = resultOf[outcome.outcome];
      return {
        status: result === "created" ? 201 : 200,
        body: { data: survey, result, version: { id: outcome.version.id, version: outcome.version.version } },
        ...(result === "created" ? { headers: { Location: `/api/v1/surveys/${survey.id}` } } : {}),
      };
    },
  }),
];
