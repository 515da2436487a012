import type { ApiKeyScope } from "../../db/schema";
import {
  insertCampaign,
  insertCase,
  insertContact,
  insertInteraction,
  insertOpportunity,
  insertPrediction,
} from "../../db/factories";
import { createApiKey } from "~/domain/api-keys.server";
import { getDb } from "~/lib/db.server";
import * as accountsRoute from "~/routes/api.v1.accounts";
import * as accountRoute from "~/routes/api.v1.accounts.$id";
import * as accountExternalRoute from "~/routes/api.v1.accounts.external.$externalId";
import * as contactsRoute from "~/routes/api.v1.contacts";
import * as contactRoute from "~/routes/api.v1.contacts.$id";
import * as contactExternalRoute from "~/routes/api.v1.contacts.external.$externalId";
import * as interactionsRoute from "~/routes/api.v1.interactions";
import * as interactionRoute from "~/routes/api.v1.interactions.$id";
import * as interactionExternalRoute from "~/routes/api.v1.interactions.external.$externalId";
import * as opportunitiesRoute from "~/routes/api.v1.opportunities";
import * as opportunityRoute from "~/routes/api.v1.opportunities.$id";
import * as opportunityExternalRoute from "~/routes/api.v1.opportunities.external.$externalId";
import * as accountHealthRoute from "~/routes/api.v1.accounts.$id.health";
import * as casesRoute from "~/routes/api.v1.cases";
import * as caseRoute from "~/routes/api.v1.cases.$id";
import * as caseAcknowledgeRoute from "~/routes/api.v1.cases.$id.acknowledge";
import * as caseResolveRoute from "~/routes/api.v1.cases.$id.resolve";
import * as responsesRoute from "~/routes/api.v1.responses";
import * as surveysRoute from "~/routes/api.v1.surveys";
import * as surveyRoute from "~/routes/api.v1.surveys.$id";
import * as campaignsRoute from "~/routes/api.v1.campaigns";
import * as campaignRoute from "~/routes/api.v1.campaigns.$id";
import * as campaignLaunchRoute from "~/routes/api.v1.campaigns.$id.launch";
import * as campaignPauseRoute from "~/routes/api.v1.campaigns.$id.pause";
import * as campaignResumeRoute from "~/routes/api.v1.campaigns.$id.resume";
import * as campaignInvitationsRoute from "~/routes/api.v1.campaigns.$id.invitations";
import * as accountPredictionsRoute from "~/routes/api.v1.accounts.$id.predictions";
import * as predictionsRoute from "~/routes/api.v1.predictions";
import * as predictionRoute from "~/routes/api.v1.predictions.$id";
import * as responsesCsvRoute from "~/routes/api.v1.responses[.]csv";

interface RouteModule {
  loader: unknown;
  action: unknown;
}

/** Each API resource's three route modules: the collection, one by id, one by external id. */
const resources: Record<string, [collection: RouteModule, byId: RouteModule, byExternalId: RouteModule]> = {
  accounts: [accountsRoute, accountRoute, accountExternalRoute],
  contacts: [contactsRoute, contactRoute, contactExternalRoute],
  interactions: [interactionsRoute, interactionRoute, interactionExternalRoute],
  opportunities: [opportunitiesRoute, opportunityRoute, opportunityExternalRoute],
};

/** Every other route module by its OpenAPI path; a `{name}` stands for one path segment. */
const routesByPath: Record<string, RouteModule> = {
  "/accounts/{id}/health": accountHealthRoute,
  "/cases": casesRoute,
  "/cases/{id}": caseRoute,
  "/cases/{id}/acknowledge": caseAcknowledgeRoute,
  "/cases/{id}/resolve": caseResolveRoute,
  "/responses": responsesRoute,
  "/surveys": surveysRoute,
  "/surveys/{id}": surveyRoute,
  "/campaigns": campaignsRoute,
  "/campaigns/{id}": campaignRoute,
  "/campaigns/{id}/launch": campaignLaunchRoute,
  "/campaigns/{id}/pause": campaignPauseRoute,
  "/campaigns/{id}/resume": campaignResumeRoute,
  "/campaigns/{id}/invitations": campaignInvitationsRoute,
  "/accounts/{id}/predictions": accountPredictionsRoute,
  "/predictions": predictionsRoute,
  "/predictions/{id}": predictionRoute,
  "/responses.csv": responsesCsvRoute,
};

/** The route module and Remix params for a path in routesByPath, or null when none matches. */
function matchRouteByPath(pathname: string): { route: RouteModule; params: Record<string, string> } | null {
  for (const [pattern, route] of Object.entries(routesByPath)) {
    const names = [...pattern.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const regex = new RegExp(`^${pattern.replace(/\{\w+\}/g, "([^/]+)")}$`);
    const match = regex.exec(pathname);
    if (!match) continue;
    const params = Object.fromEntries(
      names.map((name, i) => [
        name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
        decodeURIComponent(match[i + 1]!),
      ]),
    );
    return { route, params };
  }
  return null;
}

export async function makeApiKey(scope: ApiKeyScope = "write", createdById: string | null = null) {
  return createApiKey(getDb(), { name: `test ${scope} key`, scope }, createdById);
}

export interface ApiCall {
  method?: string;
  key?: string;
  body?: unknown;
  rawBody?: BodyInit;
  headers?: Record<string, string>;
}

export function apiRequest(path: string, call: ApiCall = {}): Request {
  const headers = new Headers(call.headers);
  if (call.key) headers.set("Authorization", `Bearer ${call.key}`);
  let body: BodyInit | undefined = call.rawBody;
  if (call.body !== undefined) body = JSON.stringify(call.body);
  if (body !== undefined && !headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  return new Request(`http://localhost/api/v1${path}`, {
    method: call.method ?? (body !== undefined ? "POST" : "GET"),
    headers,
    body,
    // a streamed body needs this in Node's fetch
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
}

type Handler = (args: {
  request: Request;
  params: Record<string, string>;
  context: object;
}) => Promise<Response>;

/** Routes a request to the Remix route module that serves it, as the app's router would. */
export async function callApi(path: string, call: ApiCall = {}): Promise<Response> {
  const request = apiRequest(path, call);
  const method = request.method;
  const pick = (loader: unknown, action: unknown) => (method === "GET" ? loader : action) as Handler;
  const [pathname] = path.split("?");
  const byPath = matchRouteByPath(pathname!);
  if (byPath)
    return pick(byPath.route.loader, byPath.route.action)({ request, params: byPath.params, context: {} });
  const match = /^\/([a-z]+)(?:\/(external)\/([^/]+)|\/([^/]+))?$/.exec(pathname!);
  const modules = match ? resources[match[1]!] : undefined;
  if (!match || !modules) throw new Error(`no API route for ${path} in tests/support/api.ts`);
  const [collection, byId, byExternalId] = modules;
  const [, , external, externalId, id] = match;
  const route = external ? byExternalId : id !== undefined ? byId : collection;
  const params: Record<string, string> = external
    ? { externalId: decodeURIComponent(externalId!) }
    : id !== undefined
      ? { id: decodeURIComponent(id) }
      : {};
  return pick(route.loader, route.action)({ request, params, context: {} });
}

/**
 * One row of each resource an API path can name, on `accountId`, with these external ids:
 * the ids by resource (the path's `{id}`) and the external ids (its `{external_id}`).
 */
export async function insertOneOfEachResource(
  db: ReturnType<typeof getDb>,
  {
    accountId,
    authorId,
    externalIds,
    contactEmail,
  }: {
    accountId: string;
    authorId: string;
    externalIds: { accounts: string; contacts: string; interactions: string; opportunities: string };
    contactEmail?: string;
  },
) {
  const contact = await insertContact(db, {
    accountId,
    externalId: externalIds.contacts,
    ...(contactEmail ? { email: contactEmail } : {}),
  });
  const interaction = await insertInteraction(db, {
    accountId,
    authorId,
    externalId: externalIds.interactions,
  });
  const opportunity = await insertOpportunity(db, { accountId, externalId: externalIds.opportunities });
  const kase = await insertCase(db, { accountId });
  const campaign = await insertCampaign(db, { createdById: authorId });
  const prediction = await insertPrediction(db, { accountId, authorId, values: { trust: 80 } });
  const ids: Record<string, string> = {
    accounts: accountId,
    contacts: contact.id,
    interactions: interaction.id,
    opportunities: opportunity.id,
    cases: kase.id,
    campaigns: campaign.id,
    surveys: campaign.surveyVersionId,
    predictions: prediction.id,
  };
  return { ids, externalIds: externalIds as Record<string, string> };
}
