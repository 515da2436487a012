import { z } from "zod";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { and, count, desc, eq, max, sql } from "drizzle-orm";
import { responses, surveyDefinitions, surveyVersions, type SurveyVersion } from "../../db/schema";
import type { Database, Transaction } from "../lib/db.server";
import type { SurveyKind } from "./dimensions";
import { surveyContentHash } from "./survey-hash";
import { validateDefinition, type DefinitionProblem } from "./survey-model";

export class SurveyDefinitionError extends Error {
  constructor(
    public readonly source: string,
    public readonly problems: DefinitionProblem[],
  ) {
    super(
      `${source} is not a valid Rapport survey:\n${problems.map((p) => `  - ${p.where}: ${p.message}`).join("\n")}`,
    );
    this.name = "SurveyDefinitionError";
  }
}

export type ImportOutcome = "created" | "new-version" | "unchanged";

export interface ImportResult {
  outcome: ImportOutcome;
  slug: string;
  version: SurveyVersion;
}

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

const SLUG_MESSAGE = "Enter a name for the survey, e.g. relationship-health.";

/** A survey's name as the upload form and `POST /api/v1/surveys` take it, with the same messages. */
export const surveySlugSchema = z
  .string({ message: SLUG_MESSAGE })
  .trim()
  .min(1, SLUG_MESSAGE)
  .max(63, "The name must be at most 63 characters.")
  .regex(
    SLUG_PATTERN,
    "Use only lowercase letters, digits and dashes, starting with a letter or digit (e.g. relationship-health).",
  );

/**
 * Imports one SurveyJS definition under `slug`: validated first (nothing is written if it
 * is invalid), then stored as version 1, as the next version when its content changed,
 * or not at all when an identical version exists. Old responses keep their version.
 */
export async function importSurveyDefinition(
  db: Database | Transaction,
  input: { slug: string; json: unknown; source: "file" | "upload" | "api"; createdById?: string | null },
): Promise<ImportResult> {
  if (!SLUG_PATTERN.test(input.slug)) {
    throw new SurveyDefinitionError(input.slug, [
      {
        where: "survey",
        message: "the name must be lowercase letters, digits and dashes (e.g. relationship-health)",
      },
    ]);
  }
  const checked = validateDefinition(input.json);
  if (!checked.ok) throw new SurveyDefinitionError(input.slug, checked.problems);
  const { kind, title, model } = checked.definition;
  const contentHash = surveyContentHash(model);

  return db.transaction(async (tx) => {
    // One import per slug at a time, so two processes cannot both create "version 2".
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"survey:" + input.slug}))`);
    let [definition] = await tx
      .select()
      .from(surveyDefinitions)
      .where(eq(surveyDefinitions.slug, input.slug));
    let outcome: ImportOutcome = "new-version";
    if (!definition) {
      [definition] = await tx.insert(surveyDefinitions).values({ slug: input.slug, kind, title }).returning();
      outcome = "created";
    } else if (definition.kind !== kind) {
      throw new SurveyDefinitionError(input.slug, [
        {
          where: "survey",
          message: `is a ${definition.kind} survey; a new version cannot change its kind to ${kind}`,
        },
      ]);
    }
    const [existing] = await tx
      .select()
      .from(surveyVersions)
      .where(
        and(eq(surveyVersions.definitionId, definition!.id), eq(surveyVersions.contentHash, contentHash)),
      );
    if (existing) return { outcome: "unchanged" as const, slug: input.slug, version: existing };

    const [latest] = await tx
      .select({ version: max(surveyVersions.version) })
      .from(surveyVersions)
      .where(eq(surveyVersions.definitionId, definition!.id));
    const [version] = await tx
      .insert(surveyVersions)
      .values({
        definitionId: definition!.id,
        version: (latest?.version ?? 0) + 1,
        contentHash,
        model,
        source: input.source,
        createdById: input.createdById ?? null,
      })
      .returning();
    await tx.update(surveyDefinitions).set({ title }).where(eq(surveyDefinitions.id, definition!.id));
    return { outcome, slug: input.slug, version: version! };
  });
}

export interface FileImportReport {
  file: string;
  result?: ImportResult;
  error?: string;
}

/** Imports every `*.json` in `dir` (the checked-in surveys/). A bad file is reported, not fatal to the others. */
export async function importSurveyFiles(
  db: Database,
  dir = path.resolve("surveys"),
): Promise<FileImportReport[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".json")).sort();
  const reports: FileImportReport[] = [];
  for (const file of files) {
    const slug = file.slice(0, -".json".length);
    try {
      const text = await readFile(path.join(dir, file), "utf8");
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new SurveyDefinitionError(file, [
          { where: "file", message: `is not valid JSON: ${(error as Error).message}` },
        ]);
      }
      reports.push({ file, result: await importSurveyDefinition(db, { slug, json, source: "file" }) });
    } catch (error) {
      reports.push({ file, error: (error as Error).message });
    }
  }
  return reports;
}

/** The newest version of a definition, by slug. */
export async function latestSurveyVersion(db: Database, slug: string): Promise<SurveyVersion | null> {
  const [row] = await db
    .select({ version: surveyVersions })
    .from(surveyVersions)
    .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
    .where(eq(surveyDefinitions.slug, slug))
    .orderBy(desc(surveyVersions.version))
    .limit(1);
  return row?.version ?? null;
}

/** Newest version of each definition of the given kinds (for "which survey?" pickers). */
export async function latestVersionsOfKind(db: Database, kinds: readonly SurveyKind[]) {
  const rows = await db
    .selectDistinctOn([surveyDefinitions.id], {
      versionId: surveyVersions.id,
      version: surveyVersions.version,
      slug: surveyDefinitions.slug,
      title: surveyDefinitions.title,
      kind: surveyDefinitions.kind,
    })
    .from(surveyVersions)
    .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
    .orderBy(surveyDefinitions.id, desc(surveyVersions.version));
  return rows.filter((r) => kinds.includes(r.kind)).sort((a, b) => a.title.localeCompare(b.title));
}

export async function getSurveyVersion(db: Database, versionId: string) {
  const [row] = await db
    .select({
      id: surveyVersions.id,
      version: surveyVersions.version,
      model: surveyVersions.model,
      createdAt: surveyVersions.createdAt,
      slug: surveyDefinitions.slug,
      title: surveyDefinitions.title,
      kind: surveyDefinitions.kind,
    })
    .from(surveyVersions)
    .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
    .where(eq(surveyVersions.id, versionId))
    .limit(1);
  return row ?? null;
}

/** Definitions (or one) with their versions, newest first, and how many responses each version has. */
export async function listSurveyDefinitions(db: Database, { definitionId }: { definitionId?: string } = {}) {
  const rows = await db
    .select({
      definitionId: surveyDefinitions.id,
      slug: surveyDefinitions.slug,
      title: surveyDefinitions.title,
      kind: surveyDefinitions.kind,
      definitionCreatedAt: surveyDefinitions.createdAt,
      versionId: surveyVersions.id,
      version: surveyVersions.version,
      source: surveyVersions.source,
      contentHash: surveyVersions.contentHash,
      createdAt: surveyVersions.createdAt,
      responses: count(responses.id),
      completed: sql<number>`count(${responses.id}) filter (where ${responses.isComplete})`.mapWith(Number),
    })
    .from(surveyDefinitions)
    .innerJoin(surveyVersions, eq(surveyVersions.definitionId, surveyDefinitions.id))
    .leftJoin(responses, eq(responses.surveyVersionId, surveyVersions.id))
    .where(definitionId === undefined ? undefined : eq(surveyDefinitions.id, definitionId))
    .groupBy(surveyDefinitions.id, surveyVersions.id)
    .orderBy(surveyDefinitions.title, desc(surveyVersions.version));

  const definitions = new Map<
    string,
    {
      id: string;
      slug: string;
      title: string;
      kind: SurveyKind;
      createdAt: Date;
      versions: Omit<
        (typeof rows)[number],
        "definitionId" | "slug" | "title" | "kind" | "definitionCreatedAt"
      >[];
    }
  >();
  for (const { definitionId, slug, title, kind, definitionCreatedAt, ...version } of rows) {
    const entry = definitions.get(definitionId) ?? {
      id: definitionId,
      slug,
      title,
      kind,
      createdAt: definitionCreatedAt,
      versions: [],
    };
    entry.versions.push(version);
    definitions.set(definitionId, entry);
  }
  return [...definitions.values()];
}
