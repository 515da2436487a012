import { randomBytes } from "node:crypto";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { getSurveyEmbedding } from "../domain/workspace-settings.server";
import { getDb } from "./db.server";
import { log } from "./log.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** This response's CSP nonce: every inline script the page renders must carry it. */
    cspNonce?: string;
  }
}

/** A year; no includeSubDomains, as Rapport's host may share its domain with sites it knows nothing of. */
const HSTS = "max-age=31536000";

function createCspNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The Content-Security-Policy of every response. Scripts: our own files and the inline
 * scripts Remix renders with this response's nonce, nothing else — no 'unsafe-inline', no
 * eval (SurveyJS's expression engine parses its own grammar and needs none). Styles keep
 * 'unsafe-inline': React renders `style` attributes into the server HTML (Recharts' SVG,
 * SurveyJS's progress bar and theme variables), and e-mails shown in the dev outbox are
 * inline-styled by design; an injected style can restyle a page but not run code.
 * `frameAncestors` are the sites that may frame this page; none → 'none'.
 */
function contentSecurityPolicy(nonce: string, frameAncestors: readonly string[] = []): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors.length > 0 ? frameAncestors.join(" ") : "'none'"}`,
  ].join("; ");
}

/** Pages a customer opens from an e-mail, which the workspace may let its portal frame. */
function isSurveyPath(req: ExpressRequest): boolean {
  try {
    return new URL(req.originalUrl, "http://rapport.invalid").pathname.startsWith("/s/");
  } catch {
    return false;
  }
}

async function frameAncestorsFor(req: ExpressRequest): Promise<readonly string[]> {
  if (!isSurveyPath(req)) return [];
  try {
    return (await getSurveyEmbedding(getDb())).frameAncestors;
  } catch (error) {
    // the strictest answer: the page (which needs the database too) reports its own failure
    log.error("http.frame_ancestors_unreadable", { error });
    return [];
  }
}

/**
 * Express middleware: puts this response's nonce in res.locals.cspNonce and, as the headers
 * go out, sets each security header the response did not set itself. Filled in at writeHead
 * rather than now because @remix-run/express appends a route's headers to ours: a survey
 * page's own `Referrer-Policy: no-referrer` would otherwise become a list of two.
 */
export async function securityHeaders(req: ExpressRequest, res: ExpressResponse, next: NextFunction) {
  const nonce = createCspNonce();
  res.locals.cspNonce = nonce;
  const frameAncestors = await frameAncestorsFor(req);
  const defaults: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(nonce, frameAncestors),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
  };
  // Older browsers know only X-Frame-Options, which cannot name sites: sent only when no site may frame.
  if (frameAncestors.length === 0) defaults["X-Frame-Options"] = "DENY";
  // Over plain http the header is ignored, and it would pin a site that has no certificate yet.
  if (req.secure) defaults["Strict-Transport-Security"] = HSTS;

  const writeHead = res.writeHead;
  res.writeHead = function (this: ExpressResponse, ...args: Parameters<typeof writeHead>) {
    for (const [name, value] of Object.entries(defaults)) {
      if (!this.hasHeader(name)) this.setHeader(name, value);
    }
    return writeHead.apply(this, args);
  } as typeof writeHead;
  next();
}
