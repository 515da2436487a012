import { describe, expect, inject, it } from "vitest";
import { apiIdempotency, apiRateBuckets, sessions, signInAttempts } from "../../db/schema";
import { insertUser } from "../../db/factories";
import { createApiKey } from "~/domain/api-keys.server";
import { sweepApiBookkeeping, sweepExpiredSignInData } from "~/domain/maintenance.server";
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

describe("sweepApiBookkeeping", () => {
  it("removes Idempotency-Key answers past 24 hours and rate buckets idle for a day, keeps the rest", async () => {
    const db = getDb();
    const now = new Date("2026-06-01T12:00:00Z");
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 60 * 60 * 1000);
    const { apiKey: idle } = await createApiKey(db, { name: "idle", scope: "write" }, null);
    const { apiKey: busy } = await createApiKey(db, { name: "busy", scope: "read" }, null);
    const answer = { requestHash: "h", status: 201, body: { id: "x" } };
    await db.insert(apiIdempotency).values([
      { ...answer, apiKeyId: idle.id, idempotencyKey: "old", createdAt: hoursAgo(25) },
      { ...answer, apiKeyId: idle.id, idempotencyKey: "in-window", createdAt: hoursAgo(23) },
      { ...answer, apiKeyId: busy.id, idempotencyKey: "fresh", createdAt: hoursAgo(0.1) },
      { ...answer, apiKeyId: busy.id, idempotencyKey: "stale-claim", status: 0, createdAt: hoursAgo(48) },
    ]);
    await db.insert(apiRateBuckets).values([
      { apiKeyId: idle.id, tokens: 3, refilledAt: hoursAgo(24.5) },
      { apiKeyId: busy.id, tokens: 3, refilledAt: hoursAgo(23.5) },
    ]);

    expect(await sweepApiBookkeeping(db, now)).toEqual({ apiIdempotency: 2, apiRateBuckets: 1 });
    const kept = await db.select().from(apiIdempotency);
    expect(kept.map((row) => row.idempotencyKey).sort()).toEqual(["fresh", "in-window"]);
    expect((await db.select().from(apiRateBuckets)).map((row) => row.apiKeyId)).toEqual([busy.id]);
    expect(await sweepApiBookkeeping(db, now)).toEqual({ apiIdempotency: 0, apiRateBuckets: 0 });
  });
});
