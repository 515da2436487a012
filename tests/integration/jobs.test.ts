import { describe, expect, inject, it } from "vitest";
import { sessions, signInAttempts } from "../../db/schema";
import { insertUser } from "../../db/factories";
import { sweepExpiredSignInData } from "~/domain/maintenance.server";
import { getDb } from "~/lib/db.server";
import { jobDefinitions, startJobs } from "~/lib/jobs.server";

describe("the job worker", () => {
  it("creates the queues, schedules the maintenance sweep and runs a job it is sent", async () => {
    let received: ((data: object) => void) | undefined;
    const done = new Promise<object>((resolve) => (received = resolve));
    const jobs = await startJobs(inject("databaseUrl"), {
      work: true,
      definitions: [...jobDefinitions, { name: "test.echo", handle: async (data) => received!(data) }],
    });
    try {
      await jobs.boss.send("test.echo", { hello: "world" });
      expect(await done).toEqual({ hello: "world" });
      const schedules = await jobs.boss.getSchedules();
      expect(schedules.map((s) => s.name)).toContain("maintenance.sweep-sign-in-data");
    } finally {
      await jobs.stop();
    }
  });
});

describe("sweepExpiredSignInData", () => {
  it("removes expired sessions and stale sign-in attempts, keeps the rest, and is safe to repeat", async () => {
    const db = getDb();
    const user = await insertUser(db, { role: "manager" });
    const now = new Date("2026-06-01T12:00:00Z");
    await db.insert(sessions).values([
      { id: "expired", userId: user.id, expiresAt: new Date("2026-05-31T00:00:00Z") },
      { id: "current", userId: user.id, expiresAt: new Date("2026-06-10T00:00:00Z") },
    ]);
    await db.insert(signInAttempts).values([
      { email: "a@x.test", succeeded: false, createdAt: new Date("2026-06-01T09:00:00Z") },
      { email: "a@x.test", succeeded: false, createdAt: new Date("2026-06-01T11:55:00Z") },
    ]);
    expect(await sweepExpiredSignInData(db, now)).toEqual({
      sessions: 1,
      signInAttempts: 1,
      rateLimitHits: 0,
    });
    expect((await db.select().from(sessions)).map((s) => s.id)).toEqual(["current"]);
    expect(await db.select().from(signInAttempts)).toHaveLength(1);
    expect(await sweepExpiredSignInData(db, now)).toEqual({
      sessions: 0,
      signInAttempts: 0,
      rateLimitHits: 0,
    });
  });
});
