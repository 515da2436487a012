/**
 * The app as the e2e tests see it: the production build on a fresh embedded database
 * in a temporary folder (never the .data/ that `npm start` uses), with the demo workspace.
 */
import fs from "node:fs";
import { e2eDataDir } from "./e2e-database";

const dataDir = e2eDataDir;
fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(dataDir, { recursive: true });
process.env.DATA_DIR = dataDir;
process.env.DATABASE_URL = "";
process.env.LOG_LEVEL ??= "warn";

await import("../../app/start.server");
