import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "~/lib/embedded-postgres.server";
import { startApp } from "../support/app-process";

let dataDir: string;
beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "rapport-start-"));
});
afterAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

function postgresProcessesFor(dir: string): string[] {
  const out = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return out
    .split("\n")
    .filter((line) => line.includes(dir) && line.includes("postgres") && !line.includes("ps -eo"));
}

describe("npm start", () => {
  it("stops with a message naming DATABASE_URL when it is malformed", async () => {
    const app = startApp({ DATABASE_URL: "mysql://root:secret@localhost/app", DATA_DIR: dataDir });
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain("DATABASE_URL: must be a postgres:// or postgresql:// URL");
    expect(app.output()).not.toContain("secret");
  });

  it("stops with a clear message when the port is already in use", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "0.0.0.0", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const app = startApp({ PORT: String(port), DATA_DIR: dataDir });
      expect(await app.exited).toBe(1);
      expect(app.output()).toContain(`Port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it("says which database it could not reach", async () => {
    const port = await findFreePort();
    const app = startApp({
      DATABASE_URL: `postgres://rapport@127.0.0.1:${port}/rapport`,
      DATA_DIR: dataDir,
      PORT: String(await findFreePort()),
    });
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain(`could not use Postgres at 127.0.0.1:${port}/rapport (DATABASE_URL)`);
  });

  it("starts on the embedded database with the demo workspace, stops cleanly on Ctrl-C, and keeps the data", async () => {
    const port = await findFreePort();
    const first = startApp({ PORT: String(port), DATA_DIR: dataDir });
    await first.waitFor(/Press Ctrl-C to stop/);
    expect(first.output()).toContain(`Rapport is running at http://localhost:${port}`);
    expect(first.output()).toContain("First run: creating the demo workspace");
    expect(first.output()).toContain("Database: embedded Postgres");
    expect(first.output()).toContain("admin@demo.test");
    expect(first.output()).toContain("password: rapport-demo");
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const login = await fetch(`http://127.0.0.1:${port}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain("Sign in to your workspace");
    expect(postgresProcessesFor(dataDir).length).toBeGreaterThan(0);

    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);
    expect(postgresProcessesFor(dataDir)).toEqual([]);

    const second = startApp({ PORT: String(port), DATA_DIR: dataDir });
    await second.waitFor(/Press Ctrl-C to stop/);
    expect(second.output()).not.toContain("First run");
    expect(second.output()).toContain("admin@demo.test");
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(postgresProcessesFor(dataDir)).toEqual([]);
  }, 180_000);
});
