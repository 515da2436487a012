/**
 * The access-control matrix of docs/security.md, read back for tests/integration/access-matrix.test.ts:
 * the routes Remix serves (from the production build's route manifest, the list Remix itself
 * matches requests against), the API's operations, the tables the doc keeps for both, and what
 * an answer means in the tables' vocabulary.
 */
import { readFileSync } from "node:fs";
import type { ServerBuild } from "@remix-run/node";

export const ROUTE_CALLERS = ["admin", "leader", "owner", "outsider", "signedOut", "otherToken"] as const;
export type RouteCaller = (typeof ROUTE_CALLERS)[number];

export const API_CALLERS = ["noKey", "cookieOnly", "revokedKey", "readKey", "writeKey"] as const;
export type ApiCaller = (typeof API_CALLERS)[number];

/** The header each table must have, word for word: the test reads the columns by position. */
export const ROUTE_TABLE_HEADER = [
  "Route",
  "Method",
  "Admin",
  "Leader",
  "Owner manager",
  "Other manager",
  "Signed out",
  "Other invitation's token",
];
export const API_TABLE_HEADER = [
  "Operation",
  "Scope",
  "No key",
  "Session cookie, no key",
  "Revoked key",
  "Read key",
  "Write key",
];

export interface RouteRow {
  pattern: string;
  method: "GET" | "POST";
  cells: Record<RouteCaller, string>;
  line: number;
}

export interface ApiRow {
  method: string;
  path: string;
  scope: string;
  cells: Record<ApiCaller, string>;
  line: number;
}

/** One URL the app answers: its pattern as the doc writes it and whether it takes a POST. */
export interface ServedRoute {
  id: string;
  pattern: string;
  /** Index routes get their POST with `?index`, as Remix's own forms send it. */
  index: boolean;
  hasAction: boolean;
}

const cellText = (cell: string) => cell.trim().replace(/^`(.*)`$/, "$1");

function splitRow(line: string): string[] {
  return line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map(cellText);
}

/**
 * The two tables under the doc's "Access control" heading. A row whose shape is wrong (a
 * missing cell, an unknown method) is an error naming its line, not a silently skipped row.
 */
export function readAccessTables(file: string): { routes: RouteRow[]; api: ApiRow[] } {
  const lines = readFileSync(file, "utf8").split("\n");
  const start = lines.findIndex((l) => /^## Access control\s*$/.test(l));
  if (start < 0) throw new Error(`${file} has no "## Access control" section`);
  const routes: RouteRow[] = [];
  const api: ApiRow[] = [];
  let kind: "routes" | "api" | null = null;
  for (let i = start + 1; i < lines.length && !/^## /.test(lines[i]!); i++) {
    const line = lines[i]!;
    if (!line.trim().startsWith("|")) {
      kind = null;
      continue;
    }
    const cells = splitRow(line);
    if (cells.every((c) => /^:?-+:?$/.test(c))) continue;
    const where = `${file}:${i + 1}`;
    if (kind === null) {
      if (cells.join("|") === ROUTE_TABLE_HEADER.join("|")) kind = "routes";
      else if (cells.join("|") === API_TABLE_HEADER.join("|")) kind = "api";
      else throw new Error(`${where}: a table whose header is neither the route nor the API table's`);
      continue;
    }
    const header = kind === "routes" ? ROUTE_TABLE_HEADER : API_TABLE_HEADER;
    if (cells.length !== header.length) {
      throw new Error(`${where}: ${cells.length} cells where the table has ${header.length}`);
    }
    if (kind === "routes") {
      const [pattern, method, ...rest] = cells as [string, string, ...string[]];
      if (method !== "GET" && method !== "POST")
        throw new Error(`${where}: method "${method}" is not GET or POST`);
      routes.push({
        pattern,
        method,
        cells: Object.fromEntries(ROUTE_CALLERS.map((c, n) => [c, rest[n]!])) as Record<RouteCaller, string>,
        line: i + 1,
      });
    } else {
      const [operation, scope, ...rest] = cells as [string, string, ...string[]];
      const match = /^(GET|POST|PUT|PATCH|DELETE) (\/\S*)$/.exec(operation);
      if (!match) throw new Error(`${where}: operation "${operation}" is not "METHOD /path"`);
      api.push({
        method: match[1]!,
        path: match[2]!,
        scope,
        cells: Object.fromEntries(API_CALLERS.map((c, n) => [c, rest[n]!])) as Record<ApiCaller, string>,
        line: i + 1,
      });
    }
  }
  return { routes, api };
}

type ManifestRoute = ServerBuild["routes"][string];

function fullPath(routes: ServerBuild["routes"], route: ManifestRoute): string {
  const parts: string[] = [];
  for (let r: ManifestRoute | undefined = route; r; r = r.parentId ? routes[r.parentId] : undefined) {
    if (r.path) parts.unshift(r.path);
  }
  return "/" + parts.join("/");
}

/** `/accounts/:id` and `/accounts/{id}` alike, for matching a route file to an API operation. */
export const pathShape = (p: string) => p.replace(/:[^/]+|\{[^}]+\}/g, ":").replace(/\*$/, ":*");

/**
 * Every URL the build answers: each route that renders or answers by itself. Left out are the
 * root, layouts without a path of their own (`_app`) and layouts whose URL their index route
 * answers (`_app.surveys`, whose `/surveys` is `_app.surveys._index`).
 */
export function servedRoutes(build: ServerBuild): ServedRoute[] {
  const all = Object.values(build.routes);
  const hasIndexChild = new Set(all.filter((r) => r.index).map((r) => r.parentId));
  return all
    .filter((r) => r.id !== "root" && (r.index || r.path !== undefined) && !hasIndexChild.has(r.id))
    .map((r) => ({
      id: r.id,
      pattern: fullPath(build.routes, r),
      index: Boolean(r.index),
      hasAction: typeof r.module.action === "function",
    }));
}

/** Statuses that refuse the input rather than the caller: an allowed caller's empty form gets one. */
const INPUT_REFUSALS = new Set([400, 405, 409, 413, 415, 422]);

/** What an answer is, in the tables' words: `ok`, `→ /login`, or its status (`403`, `404`, `401`). */
export function describeAnswer(status: number, location: string | null): string {
  if (status >= 300 && status < 400) {
    const path = location ? new URL(location, "http://app.invalid").pathname : "";
    return path === "/login" ? "→ /login" : "ok";
  }
  if ((status >= 200 && status < 300) || INPUT_REFUSALS.has(status)) return "ok";
  return String(status);
}

/**
 * Whether an answer fits a cell. `ok` and `own` are any answer that lets the caller through
 * (a 2xx, a redirect other than to sign-in, or a refusal of the empty input); a status
 * (`403`, `404`, `400`) is exactly that status; `→ /login` a redirect to sign-in.
 */
export function answerFits(cell: string, status: number, location: string | null): boolean {
  if (/^\d{3}$/.test(cell)) return status === Number(cell);
  const answer = describeAnswer(status, location);
  return cell === "ok" || cell === "own" ? answer === "ok" : answer === cell;
}

/**
 * For the API, `ok` is any answer past the key and its scope (a 2xx, or the operation's own
 * 400/404/409/422 for the placeholder ids and empty bodies the matrix sends); never a 5xx.
 */
export function apiAnswerFits(cell: string, status: number): boolean {
  if (cell === "ok") return status < 500 && status !== 401 && status !== 403;
  return String(status) === cell;
}
