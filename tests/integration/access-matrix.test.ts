/**
 * The access-control matrix (docs/security.md, "Access control"): every route the build
 * serves and every API operation is in the doc's tables, and answers each caller as its cell
 * says, over real HTTP through the app's own express stack and production build, so parent
 * layouts' guards count as they do for a person.
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvImports, interviewTasks, outbox, webhookEndpoints } from "../../db/schema";
import {
  insertAccount,
  insertCampaign,
  insertCase,
  insertContact,
  insertInteraction,
  insertInvitation,
  insertOpportunity,
  insertPrediction,
  insertUser,
} from "../../db/factories";
import { createApiKey, revokeApiKey } from "~/domain/api-keys.server";
import { CSV_KINDS } from "~/domain/csv/columns";
import { DASHBOARD_TABLES } from "~/domain/dashboard";
import { WINLOSS_TABLES } from "~/domain/winloss";
import { apiOperations } from "~/lib/api/registry.server";
import { ensureBuild, serverBuildPath } from "~/lib/build.server";
import { getDb } from "~/lib/db.server";
import { createHttpApp } from "~/lib/http.server";
import {
  API_CALLERS,
  ROUTE_CALLERS,
  answerFits,
  apiAnswerFits,
  describeAnswer,
  pathShape,
  readAccessTables,
  servedRoutes,
  type ApiCaller,
  type RouteCaller,
  type ServedRoute,
} from "../support/access-matrix";
import { cookieFor } from "../support/requests";

const DOC = path.resolve("docs/security.md");
const API_PREFIX = "/api/v1";

let build: ServerBuild;
let server: Server;
let origin: string;

beforeAll(async () => {
  // `npm test` builds first; run alone, the test builds when the sources are newer than build/.
  ensureBuild();
  build = (await import(/* @vite-ignore */ pathToFileURL(serverBuildPath).href)) as ServerBuild;
  // the dev mail viewer is off wherever DATABASE_URL is set; the matrix checks its guard when on
  process.env.MAIL_VIEWER = "true";
  // and the Resend webhook answers 503 until it has a secret: with one, it checks signatures
  process.env.RESEND_WEBHOOK_SECRET = `whsec_${randomBytes(32).toString("base64")}`;
  server = createHttpApp(build, { mode: "production", trustProxy: 0 }).listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 300_000);

afterAll(async () => {
  delete process.env.MAIL_VIEWER;
  delete process.env.RESEND_WEBHOOK_SECRET;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

/** The API routes' files answer the operations table's rows; every other route is a route row. */
function isApiOperationRoute(route: ServedRoute) {
  const shapes = new Set(apiOperations.map((op) => pathShape(API_PREFIX + op.path)));
  return shapes.has(pathShape(route.pattern));
}

function webRows(): { route: ServedRoute; method: "GET" | "POST" }[] {
  return servedRoutes(build)
    .filter((route) => !isApiOperationRoute(route))
    .flatMap((route) => [
      { route, method: "GET" as const },
      ...(route.hasAction ? [{ route, method: "POST" as const }] : []),
    ]);
}

describe("docs/security.md's access-control tables", () => {
  it("name every route the build serves and every API operation, and nothing else", () => {
    const doc = readAccessTables(DOC);
    const problems: string[] = [];
    const served = webRows().map(({ route, method }) => `${method} ${route.pattern}`);
    const documented = doc.routes.map((row) => `${row.method} ${row.pattern}`);
    for (const key of served) {
      if (!documented.includes(key)) problems.push(`${key} is served but has no row in the route table`);
    }
    for (const row of doc.routes) {
      const key = `${row.method} ${row.pattern}`;
      if (!served.includes(key))
        problems.push(`line ${row.line}: ${key} is in the table but no route serves it`);
      if (documented.filter((d) => d === key).length > 1)
        problems.push(`line ${row.line}: ${key} is listed twice`);
    }
    const routeShapes = new Set(servedRoutes(build).map((r) => pathShape(r.pattern)));
    for (const op of apiOperations) {
      const key = `${op.method} ${op.path}`;
      const row = doc.api.find((r) => r.method === op.method && r.path === op.path);
      if (!row) problems.push(`API operation ${key} has no row in the API table`);
      else if (row.scope !== op.scope) {
        problems.push(`line ${row.line}: ${key} needs a ${op.scope} key, the table says ${row.scope}`);
      }
      if (!routeShapes.has(pathShape(API_PREFIX + op.path))) {
        problems.push(`API operation ${key} has no route file under app/routes/api.v1.*`);
      }
    }
    for (const row of doc.api) {
      if (!apiOperations.some((op) => op.method === row.method && op.path === row.path)) {
        problems.push(`line ${row.line}: ${row.method} ${row.path} is in the API table but is no operation`);
      }
    }
    expect(problems, `docs/security.md is out of date:\n${problems.join("\n")}`).toEqual([]);
  });
});

/** Names only the record the matrix is about carries: a body showing one to an outsider leaks it. */
const SECRET_ACCOUNT = "Zebrafinch Matrix Logistics";
const SECRET_CONTACT = "Quentin Matrixcontact";
const SECRETS = [SECRET_ACCOUNT, SECRET_CONTACT, "Zebrafinch fleet renewal", "Zebrafinch promised a pilot"];

/** Every record a route parameter can name: one account owned by `owner`, and what hangs off it. */
async function world() {
  const db = getDb();
  const admin = await insertUser(db, { role: "admin" });
  const leader = await insertUser(db, { role: "leader" });
  const owner = await insertUser(db, { role: "manager" });
  const outsider = await insertUser(db, { role: "manager" });
  const account = await insertAccount(db, {
    ownerId: owner.id,
    name: SECRET_ACCOUNT,
    externalId: "crm-acc-1",
  });
  const othersAccount = await insertAccount(db, { ownerId: outsider.id, name: "Borealis Foods" });
  const contact = await insertContact(db, {
    accountId: account.id,
    name: SECRET_CONTACT,
    email: "quentin.matrix@example.test",
    externalId: "crm-con-1",
  });
  const othersContact = await insertContact(db, { accountId: othersAccount.id });
  const commitment = await insertInteraction(db, {
    accountId: account.id,
    kind: "commitment",
    contactIds: [contact.id],
    externalId: "crm-int-1",
    summary: "Zebrafinch promised a pilot",
  });
  const caseRow = await insertCase(db, { accountId: account.id });
  const invitation = await insertInvitation(db, {
    contactId: contact.id,
    status: "sent",
    sentAt: new Date(),
  });
  const othersInvitation = await insertInvitation(db, {
    contactId: othersContact.id,
    surveyVersionId: invitation.surveyVersionId,
    status: "sent",
    sentAt: new Date(),
  });
  const campaign = await insertCampaign(db, { surveyVersionId: invitation.surveyVersionId });
  const opportunity = await insertOpportunity(db, {
    accountId: account.id,
    name: "Zebrafinch fleet renewal",
    outcome: "lost",
    closedAt: new Date(),
    externalId: "crm-opp-1",
  });
  const prediction = await insertPrediction(db, { accountId: account.id, contactId: contact.id });
  const [task] = await db
    .insert(interviewTasks)
    .values({
      opportunityId: opportunity.id,
      contactId: contact.id,
      assigneeId: owner.id,
      dueOn: "2030-01-01",
    })
    .returning();
  const [csvImport] = await db
    .insert(csvImports)
    .values({ kind: "accounts", fileName: "accounts.csv", content: "name\nX\n", createdById: owner.id })
    .returning();
  const [endpoint] = await db
    .insert(webhookEndpoints)
    .values({ url: "https://hooks.example.test/rapport", events: ["case.opened"], secret: "whsec_matrix" })
    .returning();
  const [message] = await db
    .insert(outbox)
    .values({
      kind: "invitation",
      toAddress: contact.email!,
      fromAddress: "surveys@example.test",
      subject: "How are we doing?",
      html: "<p>Hi</p>",
      text: "Hi",
      idempotencyKey: "matrix:1",
    })
    .returning();
  const readKey = await createApiKey(db, { name: "matrix read", scope: "read" }, admin.id);
  const writeKey = await createApiKey(db, { name: "matrix write", scope: "write" }, admin.id);
  const revokedKey = await createApiKey(db, { name: "matrix revoked", scope: "write" }, admin.id);
  await revokeApiKey(db, revokedKey.apiKey.id, admin.id);

  const params: Record<string, string> = {
    accountId: account.id,
    contactId: contact.id,
    caseId: caseRow.id,
    campaignId: campaign.id,
    opportunityId: opportunity.id,
    predictionId: prediction.id,
    taskId: task!.id,
    interactionId: commitment.id,
    importId: csvImport!.id,
    endpointId: endpoint!.id,
    messageId: message!.id,
    versionId: invitation.surveyVersionId,
    kind: "accounts",
    token: invitation.token,
    score: "9",
    "*": "no-such-page",
  };
  /** `:table` names a different list on each export route: the one that lists accounts or deals. */
  const tableFor = (pattern: string) => (pattern.startsWith("/winloss") ? "deals" : "heatmap");
  const apiParams: Record<string, Record<string, string>> = {
    accounts: { id: account.id, external_id: "crm-acc-1" },
    contacts: { id: contact.id, external_id: "crm-con-1" },
    interactions: { id: commitment.id, external_id: "crm-int-1" },
    opportunities: { id: opportunity.id, external_id: "crm-opp-1" },
    cases: { id: caseRow.id },
    campaigns: { id: campaign.id },
    predictions: { id: prediction.id },
    surveys: { id: invitation.surveyVersionId },
  };
  return {
    users: { admin, leader, owner, outsider },
    invitation,
    othersInvitation,
    params,
    tableFor,
    apiParams,
    keys: { readKey: readKey.key, writeKey: writeKey.key, revokedKey: revokedKey.key },
  };
}
type World = Awaited<ReturnType<typeof world>>;

function fillPattern(w: World, pattern: string, token: string): string {
  return pattern.replace(/:(\w+)|\*/g, (whole, name: string | undefined) => {
    const key = name ?? "*";
    if (key === "table") return w.tableFor(pattern);
    if (key === "token") return token;
    const value = w.params[key];
    if (!value) throw new Error(`the matrix has no fixture for the route parameter ${whole} of ${pattern}`);
    return value;
  });
}

interface Answer {
  status: number;
  location: string | null;
  body: string;
}

async function send(url: string, init: RequestInit & { headers: Record<string, string> }): Promise<Answer> {
  const response = await fetch(origin + url, { redirect: "manual", ...init });
  return { status: response.status, location: response.headers.get("Location"), body: await response.text() };
}

/** The callers that may see the secret account's data: anyone else shown its names is a leak. */
const SEES_ACCOUNT: readonly RouteCaller[] = ["admin", "leader", "owner"];

describe("the access-control matrix", () => {
  it("answers every route as docs/security.md says, for each caller", async () => {
    const w = await world();
    const doc = readAccessTables(DOC);
    const cookies = Object.fromEntries(
      await Promise.all(
        (["admin", "leader", "owner", "outsider"] as const).map(async (c) => [
          c,
          await cookieFor(w.users[c]),
        ]),
      ),
    ) as Partial<Record<RouteCaller, string>>;
    const mismatches: string[] = [];
    const observedForMissing: string[] = [];
    const checkRow = async ({ route, method }: { route: ServedRoute; method: "GET" | "POST" }) => {
      const row = doc.routes.find((r) => r.pattern === route.pattern && r.method === method);
      const answers = await Promise.all(
        ROUTE_CALLERS.map(async (caller) => {
          // behind a token the token is the key: the holder of another one uses their own
          const token = caller === "otherToken" ? w.othersInvitation.token : w.invitation.token;
          const url =
            fillPattern(w, route.pattern, token) + (method === "POST" && route.index ? "?index" : "");
          if (method === "GET") {
            const cookie = cookies[caller];
            return send(url, { method, headers: cookie ? { Cookie: cookie } : {} });
          }
          // a session of its own: signing out must not sign the next row's request out
          const cookie = caller in cookies ? await cookieFor(w.users[caller as keyof World["users"]]) : null;
          return send(url, {
            method,
            headers: {
              ...(cookie ? { Cookie: cookie } : {}),
              Origin: origin,
              "Content-Type": "application/x-www-form-urlencoded",
            },
            body: "",
          });
        }),
      );
      ROUTE_CALLERS.forEach((caller, n) => {
        const answer = answers[n]!;
        const where = `${method} ${route.pattern} as ${caller}`;
        if (answer.status >= 500) mismatches.push(`${where}: ${answer.status} ${answer.body.slice(0, 200)}`);
        const opensTarget = route.pattern.includes(":token") && caller !== "otherToken";
        if (!SEES_ACCOUNT.includes(caller) && !opensTarget) {
          for (const secret of SECRETS) {
            if (answer.body.includes(secret)) mismatches.push(`${where}: the answer shows "${secret}"`);
          }
        }
        if (row && !answerFits(row.cells[caller], answer.status, answer.location)) {
          mismatches.push(
            `${where} (docs/security.md:${row.line}): the table says ${row.cells[caller]}, the app answered ` +
              `${answer.status}${answer.location ? ` → ${answer.location}` : ""}`,
          );
        }
      });
      if (!row) {
        const observed = answers.map((a) => describeAnswer(a.status, a.location));
        observedForMissing.push(`| \`${route.pattern}\` | ${method} | ${observed.join(" | ")} |`);
      }
    };
    // GETs change nothing, so a few rows at a time; then the POSTs one row at a time, since an
    // allowed caller may complete one (unsubscribing, signing out)
    const rows = webRows();
    const gets = rows.filter((r) => r.method === "GET");
    for (let i = 0; i < gets.length; i += 4) await Promise.all(gets.slice(i, i + 4).map(checkRow));
    for (const row of rows.filter((r) => r.method === "POST")) await checkRow(row);
    // A manager's downloads hold their own accounts' rows only, whichever list they ask for.
    const downloads = [
      ...CSV_KINDS.map((kind) => `/export/${kind}`),
      ...DASHBOARD_TABLES.map((table) => `/dashboard/export/${table}`),
      ...WINLOSS_TABLES.map((table) => `/winloss/export/${table}`),
    ];
    for (const url of downloads) {
      const answer = await send(url, { method: "GET", headers: { Cookie: cookies.outsider! } });
      if (answer.status !== 200)
        mismatches.push(`GET ${url} as outsider: ${answer.status}, not the download`);
      for (const secret of SECRETS) {
        if (answer.body.includes(secret))
          mismatches.push(`GET ${url} as outsider: the file shows "${secret}"`);
      }
    }
    mismatches.sort();
    observedForMissing.sort();
    expect(
      mismatches,
      `routes answer otherwise than docs/security.md says:\n${mismatches.join("\n")}` +
        (observedForMissing.length > 0
          ? `\nRows missing from the table, as the app answers now:\n${observedForMissing.join("\n")}`
          : ""),
    ).toEqual([]);
    expect(observedForMissing, "rows missing from docs/security.md, as the app answers now").toEqual([]);
  }, 180_000);

  it("answers every API operation as docs/security.md says, for each key", async () => {
    const w = await world();
    const doc = readAccessTables(DOC);
    const adminCookie = await cookieFor(w.users.admin);
    const authorization: Record<ApiCaller, Record<string, string>> = {
      noKey: {},
      cookieOnly: { Cookie: adminCookie },
      revokedKey: { Authorization: `Bearer ${w.keys.revokedKey}` },
      readKey: { Authorization: `Bearer ${w.keys.readKey}` },
      writeKey: { Authorization: `Bearer ${w.keys.writeKey}` },
    };
    // reads first and deletes last, so a write key's DELETE cannot take a record from a later row
    const rank = (method: string) => (method === "GET" ? 0 : method === "DELETE" ? 2 : 1);
    const operations = [...apiOperations].sort((a, b) => rank(a.method) - rank(b.method));
    const mismatches: string[] = [];
    for (const op of operations) {
      const row = doc.api.find((r) => r.method === op.method && r.path === op.path);
      if (!row) continue; // the completeness test names it
      const resource = op.path.split("/")[1]!;
      const url =
        API_PREFIX +
        op.path.replace(/\{(\w+)\}/g, (whole, name: string) => {
          const value = w.apiParams[resource]?.[name];
          if (!value) throw new Error(`the matrix has no fixture for ${whole} of ${op.path}`);
          return value;
        });
      for (const caller of API_CALLERS) {
        const headers: Record<string, string> = { ...authorization[caller] };
        const init: RequestInit & { headers: Record<string, string> } = { method: op.method, headers };
        if (op.method !== "GET") {
          Object.assign(headers, { Origin: origin, "Content-Type": "application/json" });
          init.body = "{}";
        }
        const answer = await send(url, init);
        const where = `${op.method} ${op.path} with ${caller}`;
        if (!apiAnswerFits(row.cells[caller], answer.status)) {
          mismatches.push(
            `${where} (docs/security.md:${row.line}): the table says ${row.cells[caller]}, the API answered ` +
              `${answer.status} ${answer.body.slice(0, 160)}`,
          );
        }
      }
    }
    expect(
      mismatches,
      `the API answers otherwise than docs/security.md says:\n${mismatches.join("\n")}`,
    ).toEqual([]);
  }, 180_000);
});
