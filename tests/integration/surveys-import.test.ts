import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { answers, responses, surveyDefinitions, surveyVersions } from "../../db/schema";
import { insertContact, insertUser } from "../../db/factories";
import { rebuildAllScores, submitAnswers, saveProgress } from "~/domain/responses.server";
import { createSurveyLink, findInvitationByToken } from "~/domain/survey-links.server";
import { importSurveyDefinition, importSurveyFiles, SurveyDefinitionError } from "~/domain/surveys.server";
import { getDb } from "~/lib/db.server";

const base = {
  title: "Pulse",
  kind: "relationship",
  pages: [
    {
      elements: [
        { type: "rating", name: "trust", dimension: "trust", rateMin: 1, rateMax: 5, isRequired: true },
      ],
    },
  ],
};

async function counts() {
  const db = getDb();
  return {
    definitions: (await db.select().from(surveyDefinitions)).length,
    versions: (await db.select().from(surveyVersions)).length,
  };
}

describe("importing survey definitions", () => {
  it("creates version 1, keeps it for identical content, and adds version 2 when the content changes", async () => {
    const db = getDb();
    const first = await importSurveyDefinition(db, { slug: "pulse", json: base, source: "file" });
    expect(first.outcome).toBe("created");
    expect(first.version.version).toBe(1);
    // key order is not a change
    const reordered = { pages: base.pages, kind: base.kind, title: base.title };
    expect(
      (await importSurveyDefinition(db, { slug: "pulse", json: reordered, source: "file" })).outcome,
    ).toBe("unchanged");
    const changed = await importSurveyDefinition(db, {
      slug: "pulse",
      json: { ...base, title: "Pulse check" },
      source: "upload",
    });
    expect(changed.outcome).toBe("new-version");
    expect(changed.version.version).toBe(2);
    const [definition] = await db.select().from(surveyDefinitions).where(eq(surveyDefinitions.slug, "pulse"));
    expect(definition!.title).toBe("Pulse check");
  });

  it("keeps old responses on the version they answered", async () => {
    const db = getDb();
    const v1 = await importSurveyDefinition(db, { slug: "pulse", json: base, source: "file" });
    const user = await insertUser(db, { role: "manager" });
    const contact = await insertContact(db, {});
    const { token } = await createSurveyLink(db, {
      contactId: contact.id,
      surveyVersionId: v1.version.id,
      createdById: user.id,
    });
    await submitAnswers(db, (await findInvitationByToken(db, token))!, { data: { trust: 5 } });
    await importSurveyDefinition(db, { slug: "pulse", json: { ...base, title: "Pulse v2" }, source: "file" });
    const [response] = await db.select().from(responses);
    expect(response!.surveyVersionId).toBe(v1.version.id);
  });

  it("saves nothing from an invalid definition and lists the problems", async () => {
    const db = getDb();
    await importSurveyDefinition(db, { slug: "pulse", json: base, source: "file" });
    const before = await counts();
    const bad = {
      ...base,
      pages: [{ elements: [{ type: "rating", name: "trust", dimension: "happiness" }] }],
    };
    const error = await importSurveyDefinition(db, { slug: "pulse", json: bad, source: "upload" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SurveyDefinitionError);
    expect((error as SurveyDefinitionError).problems).toEqual([
      expect.objectContaining({
        where: "trust",
        message: expect.stringMatching(/unknown dimension "happiness"/),
      }),
    ]);
    expect(await counts()).toEqual(before);
  });

  it("refuses to change a definition's kind and a malformed slug", async () => {
    const db = getDb();
    await importSurveyDefinition(db, { slug: "pulse", json: base, source: "file" });
    await expect(
      importSurveyDefinition(db, { slug: "pulse", json: { ...base, kind: "mirror" }, source: "upload" }),
    ).rejects.toThrow(/cannot change its kind/);
    await expect(
      importSurveyDefinition(db, { slug: "../etc/passwd", json: base, source: "upload" }),
    ).rejects.toThrow(/lowercase letters/);
  });

  it("imports every file in a folder, reporting a bad one without stopping the others", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "rapport-surveys-"));
    try {
      await fs.writeFile(path.join(dir, "good.json"), JSON.stringify(base));
      await fs.writeFile(path.join(dir, "broken.json"), "{ not json");
      const reports = await importSurveyFiles(getDb(), dir);
      expect(reports.find((r) => r.file === "good.json")?.result?.outcome).toBe("created");
      expect(reports.find((r) => r.file === "broken.json")?.error).toMatch(/not valid JSON/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("imports the checked-in surveys/ folder without a problem", async () => {
    const reports = await importSurveyFiles(getDb());
    expect(reports.filter((r) => r.error)).toEqual([]);
    expect(reports.map((r) => r.file)).toEqual(
      expect.arrayContaining([
        "relationship-health.json",
        "win-loss.json",
        "interview-guide.json",
        "mirror.json",
      ]),
    );
  });
});

describe("scores:rebuild", () => {
  it("recomputes exactly the answers rows that answering wrote", async () => {
    const db = getDb();
    await importSurveyFiles(db);
    const [version] = await db
      .select({ id: surveyVersions.id })
      .from(surveyVersions)
      .innerJoin(surveyDefinitions, eq(surveyDefinitions.id, surveyVersions.definitionId))
      .where(eq(surveyDefinitions.slug, "relationship-health"));
    const user = await insertUser(db, { role: "manager" });
    for (let i = 0; i < 3; i++) {
      const contact = await insertContact(db, {});
      const { token } = await createSurveyLink(db, {
        contactId: contact.id,
        surveyVersionId: version!.id,
        createdById: user.id,
      });
      const found = (await findInvitationByToken(db, token))!;
      if (i === 2) {
        await saveProgress(db, found, { data: { trust: 2, advocacy: 3 }, currentPage: 1, sequence: 1 });
      } else {
        await submitAnswers(db, found, {
          data: {
            trust: 1 + i,
            responsiveness: 5,
            understanding: 4,
            value: 3,
            communication: 2,
            relationship: 1,
            advocacy: 7 + i,
            renewal: 4,
          },
        });
      }
    }
    const snapshot = async () =>
      (
        await db
          .select({ r: answers.responseId, q: answers.question, d: answers.dimension, v: answers.value })
          .from(answers)
      )
        .map((a) => `${a.r}/${a.q}/${a.d}/${a.v}`)
        .sort();
    const before = await snapshot();
    expect(before.length).toBe(8 + 8 + 2);
    await db.delete(answers);
    const result = await rebuildAllScores(db, 2);
    expect(result).toEqual({ responses: 3, answers: 18 });
    expect(await snapshot()).toEqual(before);
  });
});
