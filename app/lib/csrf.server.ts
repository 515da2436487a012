import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { log } from "./log.server";

/** Methods that change nothing (a route that writes on GET is a bug of its own). */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Paths no session cookie authorises, so a cross-site request there can do nothing a
 * visitor could not do anyway: the API takes bearer keys, webhooks are signed, and survey
 * and unsubscribe links carry their token in the URL. Mail providers POST one-click
 * unsubscribes (RFC 8058) from their own servers, without an Origin.
 */
const EXEMPT_PREFIXES = ["/api/", "/webhooks/", "/s/", "/u/"];

export const CROSS_SITE_MESSAGE =
  "Rapport refused this request because it did not come from a Rapport page. Go back to Rapport, reload the page and try again.";

/**
 * This site's origin as the browser sees it: req.protocol (X-Forwarded-Proto from a trusted
 * proxy) and the Host — or, from a trusted proxy, X-Forwarded-Host — with its port. Express
 * has no trust-aware host-with-port, so the trust check is express's own ("trust proxy fn",
 * the one req.hostname and req.protocol use).
 */
function siteOrigin(req: ExpressRequest): string | null {
  const trusts = req.app.get("trust proxy fn") as (address: string, hop: number) => boolean;
  const forwarded = req.get("X-Forwarded-Host")?.split(",")[0]?.trim();
  const host = forwarded && trusts(req.socket.remoteAddress ?? "", 0) ? forwarded : req.get("host");
  if (!host) return null;
  try {
    return new URL(`${req.protocol}://${host}`).origin;
  } catch {
    return null;
  }
}

/** The path the router will match: dot segments resolved as `new URL` (and so Remix) resolves them. */
function routedPath(req: ExpressRequest): string {
  try {
    return new URL(req.originalUrl, "http://rapport.invalid").pathname;
  } catch {
    return req.path;
  }
}

function isCsrfExempt(pathname: string): boolean {
  return EXEMPT_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

/**
 * Whether a state-changing request came from one of our own pages. Browsers send Origin on
 * every cross-origin request and on same-origin POSTs; where one is missing, Sec-Fetch-Site
 * says the same. A request with neither (an old browser, a script) is refused: a real form
 * always has one, and SameSite=Lax alone still lets a sibling subdomain post.
 */
function isSameOriginRequest(req: ExpressRequest): boolean {
  const origin = req.get("Origin");
  if (origin !== undefined) {
    const site = siteOrigin(req);
    // "null" (a sandboxed frame, a redirect chain) is never us
    if (!site || origin === "null") return false;
    try {
      return new URL(origin).origin === site;
    } catch {
      return false;
    }
  }
  return req.get("Sec-Fetch-Site") === "same-origin";
}

/** Express middleware: 403 for a cross-site non-GET request to a cookie-authorised path. */
export function csrfProtection(req: ExpressRequest, res: ExpressResponse, next: NextFunction) {
  if (SAFE_METHODS.has(req.method) || isCsrfExempt(routedPath(req)) || isSameOriginRequest(req)) {
    return next();
  }
  log.warn("http.cross_site_refused", {
    method: req.method,
    path: req.path,
    origin: req.get("Origin") ?? null,
    fetchSite: req.get("Sec-Fetch-Site") ?? null,
  });
  res.status(403).type("text/plain; charset=utf-8").send(CROSS_SITE_MESSAGE);
}
