import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { users } from "../../db/schema";
import { authenticate } from "~/lib/auth.server";
import { getDb } from "~/lib/db.server";
import { makeRequest } from "../support/requests";

const run = promisify(execFile);

/** Runs an npm-script entry the way `npm run user:create -- …` does, against the test database. */
async function cli(script: string, args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", script, ...args], {
      env: { ...process.env, DATABASE_URL: inject("databaseUrl"), LOG_LEVEL: "warn" },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe("npm run user:create", () => {
  it("creates a user who can sign in with the generated password", async () => {
    const result = await cli("app/cli/user-create.ts", [
      "--email",
      "Nia@Example.test",
      "--name",
      "Nia Okoro",
      "--role",
      "leader",
    ]);
    expect(result.code).toBe(0);
    expect(result.output).toContain("Created leader nia@example.test");
    const password = result.output.match(/Password \(shown once\): (\S+)/)?.[1];
    expect(password).toBeDefined();
    const [row] = await getDb().select().from(users).where(eq(users.email, "nia@example.test"));
    expect(row).toMatchObject({ name: "Nia Okoro", role: "leader" });
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect((await authenticate(makeRequest("/login"), "nia@example.test", password!)).ok).toBe(true);
  });

  it("names the bad flag and creates nothing", async () => {
    const badRole = await cli("app/cli/user-create.ts", ["--email", "x@example.test", "--role", "owner"]);
    expect(badRole.code).toBe(1);
    expect(badRole.output).toMatch(/--role: must be one of admin, leader, manager/);
    const badEmail = await cli("app/cli/user-create.ts", ["--email", "not-an-email", "--role", "manager"]);
    expect(badEmail.code).toBe(1);
    expect(badEmail.output).toMatch(/--email: must be an email address/);
    const missing = await cli("app/cli/user-create.ts", ["--role", "manager"]);
    expect(missing.code).toBe(2);
    expect(missing.output).toMatch(/Usage: npm run user:create/);
    expect(await getDb().select().from(users)).toHaveLength(0);
  });

  it("refuses a second user with the same email", async () => {
    expect(
      (await cli("app/cli/user-create.ts", ["--email", "dup@example.test", "--role", "manager"])).code,
    ).toBe(0);
    const again = await cli("app/cli/user-create.ts", ["--email", "DUP@example.test", "--role", "admin"]);
    expect(again.code).toBe(1);
    expect(again.output).toContain("A user with the email dup@example.test already exists.");
  });
});
