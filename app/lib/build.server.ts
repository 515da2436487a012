import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { log } from "./log.server";

export const serverBuildPath = path.resolve("build/index.js");

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Runs `remix build` when there is no build or the sources are newer than it. */
export function ensureBuild() {
  const sources = ["app", "db", "surveys", "emails"].filter((dir) => existsSync(dir));
  const configs = ["remix.config.js", "tailwind.config.ts", "postcss.config.js", "package-lock.json"].filter(
    (f) => existsSync(f),
  );
  const builtAt = existsSync(serverBuildPath) ? statSync(serverBuildPath).mtimeMs : 0;
  const changedAt = Math.max(...sources.map(newestSourceTime), ...configs.map((f) => statSync(f).mtimeMs));
  if (builtAt >= changedAt) return;
  log.info("build.start", {
    reason: builtAt === 0 ? "no build yet" : "sources changed since the last build",
  });
  // The local CLI only: `npx remix` could fetch the bare `remix` package, which only throws.
  const cli = path.resolve("node_modules/.bin/remix");
  if (!existsSync(cli))
    throw new Error("The Remix CLI is missing: run `npm install` (with dev dependencies) first.");
  // Always a production build: a development build's JSX runtime breaks under production React.
  const result = spawnSync(cli, ["build"], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) {
    throw new Error("`remix build` failed; see its output above.");
  }
}
