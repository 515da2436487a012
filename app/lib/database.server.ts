import path from "node:path";
import type { Env } from "./env.server";
import { startEmbeddedPostgres } from "./embedded-postgres.server";

export interface OpenedDatabase {
  url: string;
  embedded: boolean;
  /** Says which database is in use, without the password. */
  description: string;
  stop(): Promise<void>;
}

/** DATABASE_URL when set; otherwise the embedded Postgres in DATA_DIR/postgres. */
export async function openDatabase(
  env: Pick<Env, "DATABASE_URL" | "DATA_DIR">,
  options: { reuseRunning?: boolean } = {},
): Promise<OpenedDatabase> {
  if (env.DATABASE_URL) {
    const url = new URL(env.DATABASE_URL);
    return {
      url: env.DATABASE_URL,
      embedded: false,
      description: `Postgres at ${url.hostname}:${url.port || 5432}${url.pathname} (DATABASE_URL)`,
      stop: async () => {},
    };
  }
  const dataDir = path.resolve(env.DATA_DIR, "postgres");
  const server = await startEmbeddedPostgres({
    dataDir,
    database: "rapport",
    reuseRunning: options.reuseRunning,
  });
  return {
    url: server.url,
    embedded: true,
    description: `embedded Postgres in ${displayPath(dataDir)} (127.0.0.1:${server.port})`,
    stop: () => server.stop(),
  };
}

/** A path relative to the working directory when it is inside it, absolute otherwise. */
function displayPath(dir: string) {
  const relative = path.relative(process.cwd(), dir);
  return relative && !relative.startsWith("..") ? relative : dir;
}
