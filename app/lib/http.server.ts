import net from "node:net";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { csrfProtection } from "./csrf.server";
import { log } from "./log.server";
import { securityHeaders } from "./security-headers.server";

export class PortInUseError extends Error {
  constructor(public readonly port: number) {
    super(
      `Port ${port} is already in use. Stop the program using it, or start Rapport on another port: PORT=${port + 1} npm start`,
    );
    this.name = "PortInUseError";
  }
}

/** Fails fast, before the database starts, when the port is taken. */
export function assertPortFree(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new PortInUseError(port) : error),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

export function createHttpApp(build: ServerBuild, options: { mode: string; trustProxy: number }) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", options.trustProxy);
  app.use(compression());
  app.use((req, res, next) => {
    // The only client address the app trusts; an incoming header of the same name is overwritten.
    req.headers["x-rapport-client-ip"] = req.ip ?? req.socket.remoteAddress ?? "";
    next();
  });
  // Every response, static files and refusals included (docs/security.md, "Web protections").
  app.use(securityHeaders);
  // Fingerprinted assets can be cached forever; everything else in public/ briefly.
  app.use("/build", express.static(path.resolve("public/build"), { immutable: true, maxAge: "1y" }));
  // Only a path naming a file (favicon.svg, robots.txt) can be in public/: asking the disk for
  // every page (/s/<token>…) cost a stat and an ENOENT error per request (docs/performance.md).
  const publicFiles = express.static(path.resolve("public"), { maxAge: "1h" });
  app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      log.debug("http.request", {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      });
    });
    next();
  });
  // After the static files (GET only) and before any route can act on a session cookie.
  app.use(csrfProtection);
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: options.mode,
      getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce as string }),
    }),
  );
  return app;
}
