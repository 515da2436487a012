import os from "node:os";
import path from "node:path";
import fs from "node:fs/promises";
import postgres from "postgres";
import { startEmbeddedPostgres } from "../../app/lib/embedded-postgres.server";

export interface TestDatabase {
  url: string;
  description: string;
  dispose(): Promise<void>;
}

/**
 * A database for one test run, never the one `npm start` uses:
 * - TEST_DATABASE_URL / DATABASE_URL set → a fresh throwaway database created on that server
 *   (the URL names the server to use; its own database is left alone) and dropped afterwards;
 * - otherwise → an embedded Postgres in a temporary folder, removed afterwards.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  const name = `rapport_${label}_${process.pid}_${Date.now().toString(36)}`;
  if (serverUrl) {
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      description: `database ${name} on ${url.host}`,
      async dispose() {
        const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end();
      },
    };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `rapport-${label}-`));
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "postgres"), database: name });
  return {
    url: server.url,
    description: `embedded Postgres in ${dir}`,
    async dispose() {
      await server.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
