/**
 * Workspace-wide settings (the single `workspace_settings` row). For now: which other sites
 * may show the survey page in a frame (docs/security.md, "Web protections").
 */
import { eq } from "drizzle-orm";
import { workspaceSettings } from "../../db/schema";
import type { Database } from "../lib/db.server";

/** More than a handful of portals is a sign the list is being used for something else. */
const MAX_FRAME_ANCESTORS = 20;
const MAX_ORIGIN_LENGTH = 200;

/** How long a web process trusts its copy; another process's save shows within this. */
const CACHE_MS = 10_000;

export interface SurveyEmbedding {
  frameAncestors: string[];
  updatedAt: Date | null;
}

/*
 * The copy lives on globalThis: the HTTP layer (run by tsx) and the Remix build (bundled by
 * esbuild) each load their own copy of this module, and a save in the build's copy must be
 * seen at once by the HTTP layer's, which sets the survey page's frame-ancestors.
 */
const KEY = Symbol.for("rapport.workspace-settings.survey-embedding");
type Holder = { [KEY]?: { value: Promise<SurveyEmbedding>; readAt: number } };
const holder = globalThis as Holder;

/** The sites that may frame the survey page, newest save first read from a short cache. */
export function getSurveyEmbedding(db: Database): Promise<SurveyEmbedding> {
  const cached = holder[KEY];
  if (cached && Date.now() - cached.readAt < CACHE_MS) return cached.value;
  const value = readSurveyEmbedding(db);
  holder[KEY] = { value, readAt: Date.now() };
  // a failed read is not remembered: the next request asks again
  value.catch(() => {
    if (holder[KEY]?.value === value) delete holder[KEY];
  });
  return value;
}

async function readSurveyEmbedding(db: Database): Promise<SurveyEmbedding> {
  const [row] = await db
    .select({
      frameAncestors: workspaceSettings.surveyFrameAncestors,
      updatedAt: workspaceSettings.updatedAt,
    })
    .from(workspaceSettings)
    .where(eq(workspaceSettings.id, true))
    .limit(1);
  return row ?? { frameAncestors: [], updatedAt: null };
}

export type ParsedOrigins = { ok: true; origins: string[] } | { ok: false; error: string };

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * One origin a line (blank lines ignored, duplicates kept once): https://host[:port], or
 * http://localhost:PORT for trying an embed locally. Anything else — a path, a wildcard, a
 * scheme other than https — is refused with a message naming the value, because the list
 * goes verbatim into the Content-Security-Policy header.
 */
function parseFrameAncestors(text: string): ParsedOrigins {
  const origins: string[] = [];
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  for (const line of lines) {
    const shown = line.length > 80 ? `${line.slice(0, 80)}…` : line;
    if (line.length > MAX_ORIGIN_LENGTH)
      return {
        ok: false,
        error: `“${shown}” is too long for a web address (${MAX_ORIGIN_LENGTH} characters at most).`,
      };
    let url: URL;
    try {
      url = new URL(line);
    } catch {
      return {
        ok: false,
        error: `“${shown}” is not a web address: write it like https://portal.example.com.`,
      };
    }
    const local = url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname);
    if (url.protocol !== "https:" && !local)
      return {
        ok: false,
        error: `“${shown}” is not an https address: only https sites (or http://localhost:PORT) may show the survey.`,
      };
    // a trailing slash is forgiven; anything else after the host is a page, not a site
    if (url.username || url.password || url.pathname !== "/" || /[?#]/.test(line))
      return {
        ok: false,
        error: `“${shown}” names a page, not a site: write only the scheme and host, like ${url.origin}.`,
      };
    if (url.hostname.includes("*"))
      return { ok: false, error: `“${shown}” has a wildcard: list each site on its own line.` };
    if (!origins.includes(url.origin)) origins.push(url.origin);
  }
  if (origins.length > MAX_FRAME_ANCESTORS)
    return { ok: false, error: `List at most ${MAX_FRAME_ANCESTORS} sites (you listed ${origins.length}).` };
  return { ok: true, origins };
}

/** Validates and saves the list; the saving process uses it from its next request. */
export async function saveSurveyFrameAncestors(
  db: Database,
  text: string,
  updatedById: string,
): Promise<ParsedOrigins> {
  const parsed = parseFrameAncestors(text);
  if (!parsed.ok) return parsed;
  const values = { surveyFrameAncestors: parsed.origins, updatedById, updatedAt: new Date() };
  await db
    .insert(workspaceSettings)
    .values({ id: true, ...values })
    .onConflictDoUpdate({ target: workspaceSettings.id, set: values });
  delete holder[KEY];
  return parsed;
}
