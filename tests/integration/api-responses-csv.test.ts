import { parse } from "csv-parse/sync";
import { describe, expect, it, vi } from "vitest";
import { responses } from "../../db/schema";
import { addDays, insertAccount, insertContact, insertSurveyVersionFromFile } from "../../db/factories";
import { unprotectFormula } from "~/domain/csv/columns";
import { RESPONSES_CSV_COLUMNS, RESPONSES_CSV_PAGE_SIZE } from "~/lib/api/responses-csv.server";
import { getDb } from "~/lib/db.server";
import { log } from "~/lib/log.server";
import { callApi, makeApiKey } from "../support/api";
import { responsesToList } from "../support/api-responses";

type Row = Record<string, string>;

async function csvOf(response: Response): Promise<{ header: string[]; rows: Row[] }> {
  const text = await response.text();
  const [header, ...lines] = parse(text) as string[][];
  return {
    header: header!,
    rows: lines.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i]!]))),
  };
}

const fieldsOf = async (response: Response) =>
  ((await response.json()).errors as { field: string }[]).map((e) => e.field);

describe("GET /api/v1/responses.csv", () => {
  it("streams one row a completed response, with scores and answers, filtered like GET /responses", async () => {
    const comment = '=SUM(A1:A9), said "Dana"\non two lines, then @me';
    const { now, account, other, dana, version, pulse, first, second, third } = await responsesToList({
      comment,
      externalIds: ['=HYPERLINK("http://evil")', "CRM-2"],
    });
    const { key } = await makeApiKey("read");

    const response = await callApi("/responses.csv", { key });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toContain("responses.csv");
    expect(response.headers.get("RateLimit-Limit")).toBe("600");
    expect(response.headers.get("RateLimit-Remaining")).toBeTruthy();
    const { header, rows } = await csvOf(response);
    expect(header).toEqual(RESPONSES_CSV_COLUMNS);
    expect(rows.map((r) => r.id)).toEqual([first.id, third.id, second.id]);
    expect(rows[0]).toMatchObject({
      survey_id: version.definitionId,
      survey_slug: "relationship-health",
      survey_version: String(version.version),
      account_id: account.id,
      contact_id: dana.id,
      opportunity_id: "",
      source: "link",
      completed_at: first.completedAt!.toISOString(),
      trust_score: "50",
      advocacy_score: "90",
      renewal_score: "",
    });
    // a cell a spreadsheet would run gets an apostrophe; the answers cell is JSON, verbatim
    expect(rows[0]!.account_external_id).toBe('\'=HYPERLINK("http://evil")');
    expect(unprotectFormula(rows[0]!.account_external_id!)).toBe(account.externalId);
    expect(JSON.parse(rows[0]!.answers!)).toEqual({ trust: 4, advocacy_why: comment });
    expect(rows[1]).toMatchObject({ account_external_id: "CRM-2", survey_slug: "recovery-pulse" });
    expect(JSON.parse(rows[2]!.answers!)).toEqual({});

    const ids = async (query: string) =>
      (await csvOf(await callApi(`/responses.csv?${query}`, { key }))).rows.map((r) => r.id);
    expect(await ids(`account_id=${account.id}`)).toEqual([first.id, second.id]);
    expect(await ids(`survey_id=${pulse.definitionId}`)).toEqual([third.id]);
    const since = encodeURIComponent(addDays(now, -2).toISOString());
    expect(await ids(`completed_since=${since}`)).toEqual([third.id, second.id]);
    expect(await ids(`account_id=${other.id}&survey_id=${version.definitionId}`)).toEqual([]);
    const empty = await csvOf(
      await callApi(`/responses.csv?account_id=${other.id}&survey_id=${version.definitionId}`, { key }),
    );
    expect(empty.header).toEqual(RESPONSES_CSV_COLUMNS);
  });

  it("refuses an unknown or malformed query parameter, a missing key and a write method as problems", async () => {
    const { key } = await makeApiKey("read");
    const bad = await callApi("/responses.csv?limit=5&survey_id=nope", { key });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("Content-Type")).toBe("application/problem+json");
    expect((await fieldsOf(bad)).sort()).toEqual(["limit", "survey_id"]);

    const anonymous = await callApi("/responses.csv");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("Content-Type")).toBe("application/problem+json");
    expect((await anonymous.json()).type).toBe("https://rapport.dev/problems/unauthorized");

    const post = await callApi("/responses.csv", { key, body: {} });
    expect(post.status).toBe(405);
  });

  it("reads page after page, with no row twice and none left out, ties on completed_at included", async () => {
    const db = getDb();
    const account = await insertAccount(db);
    const contact = await insertContact(db, { accountId: account.id });
    const version = await insertSurveyVersionFromFile(db, "relationship-health");
    const total = 2 * RESPONSES_CSV_PAGE_SIZE + 500;
    const base = Date.parse("2026-01-01T00:00:00Z");
    const values = Array.from({ length: total }, (_, i) => ({
      surveyVersionId: version.id,
      contactId: contact.id,
      accountId: account.id,
      source: "link" as const,
      data: { n: i },
      isComplete: true,
      // ten responses share each instant, so some ties straddle a page boundary
      completedAt: new Date(base + Math.floor(i / 10) * 1000),
    }));
    const inserted: string[] = [];
    for (let i = 0; i < values.length; i += 500) {
      const rows = await db
        .insert(responses)
        .values(values.slice(i, i + 500))
        .returning({ id: responses.id, completedAt: responses.completedAt });
      inserted.push(...rows.map((r) => `${r.completedAt!.toISOString()} ${r.id}`));
    }
    const { key } = await makeApiKey("read");

    const { rows } = await csvOf(await callApi("/responses.csv", { key }));
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r.id)).size).toBe(total);
    expect(rows.map((r) => `${r.completed_at} ${r.id}`)).toEqual(inserted.sort());

    // a client that hangs up mid-way stops the reading; that is not an error
    const logged = vi.spyOn(log, "error");
    const download = await callApi("/responses.csv", { key });
    const reader = download.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logged).not.toHaveBeenCalled();
    logged.mockRestore();
  });
});
