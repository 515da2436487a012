import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { startEmbeddedPostgres } from "../../app/lib/embedded-postgres.server";

/** The port of the app under test (playwright.config.ts). */
export const e2ePort = Number(process.env.E2E_PORT ?? 3311);

/** The folder tests/support/e2e-server.ts gives the app under test, one per port so parallel runs never share. */
export const e2eDataDir = path.join(os.tmpdir(), `rapport-e2e-${e2ePort}`);

/**
 * A connection to the e2e app's own database (its embedded Postgres is already running),
 * so a browser test can check what was stored, not only what was shown.
 */
export async function connectToE2eDatabase() {
  const server = await startEmbeddedPostgres({
    dataDir: path.join(e2eDataDir, "postgres"),
    database: "rapport",
    reuseRunning: true,
  });
  return postgres(server.url, { max: 1, onnotice: () => {} });
}
