import { readFile } from "node:fs/promises";
import path from "node:path";
import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { surveyDefinitions, surveyVersions } from "../../db/schema";
import { insertSurveyVersionFromFile, insertUser } from "../../db/factories";
import { surveySchema, surveySummarySchema } from "~/lib/api/surveys.server";
import { getDb } from "~/lib/db.server";
import { callApi, makeApiKey } from "../support/api";

const MISSING = "00000000-0000-4000-8000-000000000000";

async function surveyFile(slug: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.resolve(`surveys/${slug}.json`), "utf8")) as Record<string, unknown>;
}

async function rowCounts() {
  const db = getDb();
  const [definitions] = await db.select({ n: count() }).from(surveyDefinitions);
  const [versions] = await db.select({ n: count() }).from(surveyVersions);
  return { definitions: definitions!.n, versions: versions!.n };
}

const importSurvey = (key: string, body: unknown) => callApi("/surveys", { key, body });

describe("POST /api/v1/surveys", () => {
  it("imports a valid definition, lists it, and answers an identical import as unchanged", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    const { key } = await makeApiKey("write", admin.id);
    const definition = await surveyFile("relationship-health");

    const created = await importSurvey(key, { slug: "relationship-health", definition });
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body.result).toBe("created");
    expect(surveySchema.parse(body.data)).toEqual(body.data);
    expect(body.data).toMatchObject({
      slug: "relationship-health",
      kind: "relationship",
      title: definition.title,
      latest_version: 1,
      versions_count: 1,
    });
    expect(body.version).toEqual({ id: body.data.latest_version_id, version: 1 });
    expect(created.headers.get("Location")).toBe(`/api/v1/surveys/${body.data.id}`);
    const [stored] = await getDb().select().from(surveyVersions);
    expect(stored).toMatchObject({ source: "api", createdById: admin.id, version: 1 });
    expect(body.data.versions[0].content_hash).toBe(stored!.contentHash);

    const { key: readKey } = await makeApiKey("read");
    const list = await callApi("/surveys", { key: readKey });
    expect(list.status).toBe(200);
    const listed = (await list.json()).data;
    expect(listed).toEqual([
      {
        id: body.data.id,
        slug: "relationship-health",
        title: definition.title,
        kind: "relationship",
        latest_version: 1,
        latest_version_id: stored!.id,
        versions_count: 1,
      },
    ]);
    expect(surveySummarySchema.parse(listed[0])).toEqual(listed[0]);

    // the same content again, formatted differently: nothing written
    const again = await importSurvey(key, { slug: "relationship-health", definition: { ...definition } });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({
      result: "unchanged",
      version: { id: stored!.id, version: 1 },
    });
    expect(await rowCounts()).toEqual({ definitions: 1, versions: 1 });

    const next = await importSurvey(key, {
      slug: "relationship-health",
      definition: { ...definition, description: "A shorter introduction." },
    });
    expect(next.status).toBe(200);
    const nextBody = await next.json();
    expect(nextBody).toMatchObject({ result: "new_version", version: { version: 2 } });
    expect(nextBody.data.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const one = await callApi(`/surveys/${body.data.id}`, { key: readKey });
    expect(one.status).toBe(200);
    expect((await one.json()).data).toMatchObject({ latest_version: 2, versions_count: 2 });
  });

  it("refuses what the UI's upload refuses, with field paths, and stores nothing", async () => {
    const { key } = await makeApiKey("write");
    await insertSurveyVersionFromFile(getDb(), "relationship-health");
    const before = await rowCounts();
    const relationship = await surveyFile("relationship-health");
    const pages = relationship.pages as { elements: Record<string, unknown>[] }[];
    const unknownDimension = {
      ...relationship,
      pages: [{ ...pages[0], elements: [{ ...pages[0]!.elements[0], dimension: "trustworthiness" }] }],
    };
    const cases: { body: unknown; errors: { field: string; message: unknown }[] }[] = [
      {
        // a question without a name
        body: {
          slug: "nameless",
          definition: {
            title: "T",
            kind: "relationship",
            pages: [{ name: "p", elements: [{ type: "rating" }] }],
          },
        },
        errors: [{ field: "definition", message: expect.stringContaining("'name' is required") }],
      },
      {
        body: { slug: "relationship-health-2", definition: unknownDimension },
        errors: [
          {
            field: "definition.trust",
            message: expect.stringContaining('unknown dimension "trustworthiness"'),
          },
        ],
      },
      {
        body: { slug: "relationship-health", definition: await surveyFile("win-loss") },
        errors: [
          {
            field: "definition",
            message: "is a relationship survey; a new version cannot change its kind to winloss",
          },
        ],
      },
      {
        body: { slug: "list", definition: [1, 2, 3] },
        errors: [{ field: "definition", message: "must be a JSON object (a SurveyJS survey)" }],
      },
      {
        body: { slug: "Not A Slug", definition: relationship },
        errors: [{ field: "slug", message: expect.stringContaining("lowercase letters, digits and dashes") }],
      },
      {
        body: { slug: "no-definition" },
        errors: [{ field: "definition", message: expect.any(String) }],
      },
    ];
    for (const { body, errors } of cases) {
      const response = await importSurvey(key, body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      const problem = await response.json();
      expect(problem.type).toBe("https://rapport.dev/problems/validation");
      expect(problem.errors).toEqual(errors);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it("needs a write key to import, and answers 404 for an unknown survey", async () => {
    const { key } = await makeApiKey("read");
    const refused = await importSurvey(key, {
      slug: "relationship-health",
      definition: await surveyFile("relationship-health"),
    });
    expect(refused.status).toBe(403);
    expect(await rowCounts()).toEqual({ definitions: 0, versions: 0 });
    expect((await callApi(`/surveys/${MISSING}`, { key })).status).toBe(404);
    expect((await callApi(`/surveys/not-an-id`, { key })).status).toBe(404);
  });
});
