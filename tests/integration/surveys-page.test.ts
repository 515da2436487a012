import { readFile } from "node:fs/promises";
import path from "node:path";
import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  insertInvitation,
  insertResponse,
  insertSurveyVersionFromFile,
  insertUser,
} from "../../db/factories";
import { surveyDefinitions, surveyVersions, type User } from "../../db/schema";
import { importSurveyDefinition } from "~/domain/surveys.server";
import { getDb } from "~/lib/db.server";
import { loader as previewLoader } from "~/routes/_app.surveys.$versionId.preview";
import { action as surveysAction, loader as surveysLoader } from "~/routes/_app.surveys._index";
import { cookieFor, makeRequest, settle } from "../support/requests";

const RELATIONSHIP_TITLE = "How is our relationship, really?";

async function surveyFile(slug: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.resolve("surveys", `${slug}.json`), "utf8")) as Record<
    string,
    unknown
  >;
}

/** GET /surveys, signed in as `user` (or signed out). */
async function loadSurveys(user?: User): Promise<Response> {
  const cookie = user ? await cookieFor(user) : undefined;
  return settle(() =>
    surveysLoader({ request: makeRequest("/surveys", { cookie }), params: {}, context: {} }),
  );
}

/** GET /surveys/:versionId/preview, signed in as `user` (or signed out). */
async function loadPreview(versionId: string, user?: User): Promise<Response> {
  const cookie = user ? await cookieFor(user) : undefined;
  const request = makeRequest(`/surveys/${encodeURIComponent(versionId)}/preview`, { cookie });
  return settle(() => previewLoader({ request, params: { versionId }, context: {} }));
}

function jsonFile(content: BlobPart, name = "x.json"): File {
  return new File([content], name, { type: "application/json" });
}

/** A multipart POST to /surveys, as the upload form sends it. */
function uploadRequest(cookie: string, fields: { slug?: string; file?: File }): Request {
  const body = new FormData();
  if (fields.slug !== undefined) body.set("slug", fields.slug);
  if (fields.file) body.set("file", fields.file);
  return new Request("http://localhost/surveys?index", {
    method: "POST",
    headers: { Cookie: cookie, "x-rapport-client-ip": "203.0.113.7" },
    body,
  });
}

async function upload(cookie: string, fields: { slug?: string; file?: File }) {
  const response = await settle(() =>
    surveysAction({ request: uploadRequest(cookie, fields), params: {}, context: {} }),
  );
  const isJson = response.headers.get("Content-Type")?.startsWith("application/json");
  return { status: response.status, body: isJson ? await response.json() : await response.text() };
}

async function rowCounts() {
  const db = getDb();
  const [definitions] = await db.select({ n: count() }).from(surveyDefinitions);
  const [versions] = await db.select({ n: count() }).from(surveyVersions);
  return { definitions: definitions!.n, versions: versions!.n };
}

/** The relationship-health survey with its first question pointing at a dimension that does not exist. */
async function definitionWithUnknownDimension() {
  const json = await surveyFile("relationship-health");
  const pages = json.pages as { elements: Record<string, unknown>[] }[];
  pages[0]!.elements[0] = { ...pages[0]!.elements[0], dimension: "trustworthiness" };
  return json;
}

describe("the surveys list", () => {
  it("lists each definition with its versions newest first and their response counts", async () => {
    const db = getDb();
    const admin = await insertUser(db, { role: "admin" });
    const first = await insertSurveyVersionFromFile(db, "relationship-health");
    await insertSurveyVersionFromFile(db, "win-loss");
    const invitation = await insertInvitation(db, { surveyVersionId: first.id });
    await insertResponse(db, { invitationId: invitation.id, isComplete: true });
    await insertResponse(db, { surveyVersionId: first.id, isComplete: false });
    const changed = { ...(await surveyFile("relationship-health")), description: "A shorter introduction." };
    const second = await importSurveyDefinition(db, {
      slug: "relationship-health",
      json: changed,
      source: "api",
    });

    const response = await loadSurveys(admin);
    expect(response.status).toBe(200);
    const data = await response.json();
    expect(data.canUpload).toBe(true);
    // In title order: "How did you make your decision?" before "How is our relationship, really?".
    expect(data.definitions.map((d: { slug: string }) => d.slug)).toEqual([
      "win-loss",
      "relationship-health",
    ]);
    const relationship = data.definitions[1];
    expect(relationship).toMatchObject({ title: RELATIONSHIP_TITLE, kind: "relationship" });
    expect(relationship.versions).toMatchObject([
      { versionId: second.version.id, version: 2, source: "api", responses: 0, completed: 0 },
      { versionId: first.id, version: 1, source: "file", responses: 2, completed: 1 },
    ]);
    expect(data.definitions[0].versions).toMatchObject([{ version: 1, responses: 0, completed: 0 }]);
  });

  it("shows leaders and managers the list without the upload", async () => {
    const db = getDb();
    await insertSurveyVersionFromFile(db, "relationship-health");
    for (const role of ["leader", "manager"] as const) {
      const user = await insertUser(db, { role });
      const response = await loadSurveys(user);
      expect(response.status).toBe(200);
      const data = await response.json();
      expect(data.canUpload).toBe(false);
      expect(data.definitions).toHaveLength(1);
    }
  });

  it("answers with an empty list when nothing has been imported", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    const response = await loadSurveys(admin);
    expect((await response.json()).definitions).toEqual([]);
  });

  it("sends a signed-out visitor to sign in", async () => {
    const response = await loadSurveys();
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fsurveys");
  });
});

describe("uploading a survey definition", () => {
  it("imports a valid file as an upload by the admin, and reports an identical re-upload as unchanged", async () => {
    const db = getDb();
    const admin = await insertUser(db, { role: "admin" });
    const cookie = await cookieFor(admin);
    const content = await readFile(path.resolve("surveys/relationship-health.json"), "utf8");

    const created = await upload(cookie, { slug: "relationship-health", file: jsonFile(content) });
    expect(created).toEqual({
      status: 200,
      body: {
        ok: true,
        outcome: "created",
        slug: "relationship-health",
        title: RELATIONSHIP_TITLE,
        version: 1,
      },
    });
    const [stored] = await db.select().from(surveyVersions);
    expect(stored).toMatchObject({ version: 1, source: "upload", createdById: admin.id });

    // Same survey, different formatting: the content is what counts.
    const again = await upload(cookie, {
      slug: "relationship-health",
      file: jsonFile(JSON.stringify(JSON.parse(content))),
    });
    expect(again.body).toMatchObject({ ok: true, outcome: "unchanged", version: 1 });
    expect(await rowCounts()).toEqual({ definitions: 1, versions: 1 });

    const changed = { ...(await surveyFile("relationship-health")), description: "A shorter introduction." };
    const next = await upload(cookie, {
      slug: "relationship-health",
      file: jsonFile(JSON.stringify(changed)),
    });
    expect(next.body).toMatchObject({ ok: true, outcome: "new-version", version: 2 });
  });

  it("accepts a file that starts with a byte-order mark", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    const content = await readFile(path.resolve("surveys/win-loss.json"), "utf8");
    const result = await upload(await cookieFor(admin), {
      slug: "win-loss",
      file: jsonFile(`\uFEFF${content}`),
    });
    expect(result.body).toMatchObject({ ok: true, outcome: "created", version: 1 });
  });

  it("refuses a definition with an unknown dimension, lists the problem and saves nothing", async () => {
    const db = getDb();
    const admin = await insertUser(db, { role: "admin" });
    const cookie = await cookieFor(admin);
    await insertSurveyVersionFromFile(db, "relationship-health");
    const before = await rowCounts();
    const file = jsonFile(JSON.stringify(await definitionWithUnknownDimension()));

    for (const slug of ["relationship-health", "relationship-health-2"]) {
      const result = await upload(cookie, { slug, file });
      expect(result.status).toBe(400);
      expect(result.body.ok).toBe(false);
      expect(result.body.slug).toBe(slug);
      expect(result.body.problems).toEqual([
        { where: "trust", message: expect.stringContaining('unknown dimension "trustworthiness"') },
      ]);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses a new version that would change the survey's kind", async () => {
    const db = getDb();
    const admin = await insertUser(db, { role: "admin" });
    await insertSurveyVersionFromFile(db, "relationship-health");
    const before = await rowCounts();
    const winLoss = await readFile(path.resolve("surveys/win-loss.json"), "utf8");
    const result = await upload(await cookieFor(admin), {
      slug: "relationship-health",
      file: jsonFile(winLoss),
    });
    expect(result.status).toBe(400);
    expect(result.body.problems).toEqual([
      {
        where: "survey",
        message: "is a relationship survey; a new version cannot change its kind to winloss",
      },
    ]);
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses a file that is not JSON, with the parser's reason", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    const result = await upload(await cookieFor(admin), {
      slug: "broken",
      file: jsonFile('{ "title": "Half a survey",'),
    });
    expect(result.status).toBe(400);
    expect(result.body.fieldErrors.file).toMatch(/^That file is not valid JSON: .+/);
    expect(await rowCounts()).toEqual({ definitions: 0, versions: 0 });
  });

  it("refuses JSON that is not a survey object", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    const result = await upload(await cookieFor(admin), { slug: "list", file: jsonFile("[1, 2, 3]") });
    expect(result.status).toBe(400);
    expect(result.body.problems).toEqual([
      { where: "survey", message: "must be a JSON object (a SurveyJS survey)" },
    ]);
  });

  it("refuses a file that is not UTF-8", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    const latin1 = new Uint8Array([
      0x7b, 0x22, 0x74, 0x69, 0x74, 0x6c, 0x65, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d,
    ]);
    const result = await upload(await cookieFor(admin), { slug: "latin", file: jsonFile(latin1) });
    expect(result.status).toBe(400);
    expect(result.body.fieldErrors.file).toMatch(/not UTF-8/);
  });

  it("refuses a missing file, an empty file and a malformed name", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    const cookie = await cookieFor(admin);
    const content = await readFile(path.resolve("surveys/mirror.json"), "utf8");

    const noFile = await upload(cookie, { slug: "mirror" });
    expect(noFile.status).toBe(400);
    expect(noFile.body.fieldErrors).toEqual({ file: "Choose a SurveyJS JSON file to upload." });

    // What a browser sends when no file was chosen.
    const unchosen = await upload(cookie, {
      slug: "mirror",
      file: new File([], "", { type: "application/octet-stream" }),
    });
    expect(unchosen.body.fieldErrors).toEqual({ file: "Choose a SurveyJS JSON file to upload." });

    const empty = await upload(cookie, { slug: "mirror", file: jsonFile("") });
    expect(empty.body.fieldErrors.file).toMatch(/empty/);

    for (const slug of ["", "Mirror Survey", "-mirror", "mirror/../../etc", "a".repeat(64)]) {
      const result = await upload(cookie, { slug, file: jsonFile(content) });
      expect(result.status, slug).toBe(400);
      expect(result.body.fieldErrors.slug, slug).toBeTruthy();
    }
    expect(await rowCounts()).toEqual({ definitions: 0, versions: 0 });
  });

  it("refuses a file over 1 MB with a clear message", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    const huge = jsonFile(`{"title": "${"x".repeat(1_000_001)}"}`);
    const result = await upload(await cookieFor(admin), { slug: "huge", file: huge });
    expect(result.status).toBe(413);
    expect(result.body.fieldErrors.file).toMatch(/larger than 1 MB/);
    expect(await rowCounts()).toEqual({ definitions: 0, versions: 0 });
  });

  it("refuses a post that is not a multipart form", async () => {
    const admin = await insertUser(getDb(), { role: "admin" });
    const request = makeRequest("/surveys?index", {
      cookie: await cookieFor(admin),
      form: { slug: "mirror" },
    });
    const response = await settle(() => surveysAction({ request, params: {}, context: {} }));
    expect(response.status).toBe(400);
    expect((await response.json()).fieldErrors.file).toMatch(/could not be read/);
  });

  it("answers 403 to leaders and managers and saves nothing", async () => {
    const db = getDb();
    const content = await readFile(path.resolve("surveys/relationship-health.json"), "utf8");
    for (const role of ["leader", "manager"] as const) {
      const user = await insertUser(db, { role });
      const result = await upload(await cookieFor(user), {
        slug: "relationship-health",
        file: jsonFile(content),
      });
      expect(result.status).toBe(403);
    }
    expect(await rowCounts()).toEqual({ definitions: 0, versions: 0 });
  });
});

describe("the survey preview", () => {
  it("loads a version's definition with the company name", async () => {
    const db = getDb();
    const manager = await insertUser(db, { role: "manager" });
    const version = await insertSurveyVersionFromFile(db, "relationship-health");
    const response = await loadPreview(version.id, manager);
    expect(response.status).toBe(200);
    const data = await response.json();
    expect(data).toMatchObject({ title: RELATIONSHIP_TITLE, slug: "relationship-health", version: 1 });
    expect(data.json).toEqual(version.model);
    expect(typeof data.companyName).toBe("string");
  });

  it("answers 404 for an unknown or malformed version id", async () => {
    const db = getDb();
    const admin = await insertUser(db, { role: "admin" });
    await insertSurveyVersionFromFile(db, "relationship-health");
    for (const versionId of ["00000000-0000-4000-8000-000000000000", "not-a-uuid", "1' or '1'='1"]) {
      const response = await loadPreview(versionId, admin);
      expect(response.status, versionId).toBe(404);
    }
  });

  it("sends a signed-out visitor to sign in", async () => {
    const version = await insertSurveyVersionFromFile(getDb(), "relationship-health");
    const response = await loadPreview(version.id);
    expect(response.status).toBe(302);
  });
});
