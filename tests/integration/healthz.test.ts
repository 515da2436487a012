import { describe, expect, it, inject } from "vitest";
import { closeDb, connectDb } from "~/lib/db.server";
import { findFreePort } from "~/lib/embedded-postgres.server";
import { loader } from "~/routes/healthz";

describe("/healthz", () => {
  it("answers 200 when the database is reachable", async () => {
    const response = await loader();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "reachable" });
  });

  it("answers 503 when the database is not", async () => {
    await closeDb();
    const port = await findFreePort();
    connectDb(`postgres://nobody@127.0.0.1:${port}/nothing`, { max: 1 });
    try {
      const response = await loader();
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: "unavailable", database: "unreachable" });
    } finally {
      await closeDb();
      connectDb(inject("databaseUrl"), { max: 4 });
    }
  });
});
