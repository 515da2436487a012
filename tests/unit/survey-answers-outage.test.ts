import { describe, expect, it } from "vitest";
import { answeringWhileDatabaseDown } from "~/lib/survey-answers.server";

describe("a save or submit while the database is unreachable", () => {
  it("answers 503 with Retry-After and a message that says the answers are kept", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const answer = await answeringWhileDatabaseDown(() => Promise.reject(refused));
    expect(answer.status).toBe(503);
    expect(answer.headers.get("Retry-After")).toBe("5");
    expect(((await answer.json()) as { error: string }).error).toMatch(
      /still on this page; please try again/,
    );
  });

  it("recognises the driver's error inside drizzle's wrapper", async () => {
    const wrapped = new Error("Failed query: insert into responses …", {
      cause: Object.assign(new Error("terminating connection due to administrator command"), {
        code: "57P01",
      }),
    });
    expect((await answeringWhileDatabaseDown(() => Promise.reject(wrapped))).status).toBe(503);
  });

  it("passes any other failure on, and a normal answer through", async () => {
    const bug = new TypeError("x is undefined");
    await expect(answeringWhileDatabaseDown(() => Promise.reject(bug))).rejects.toBe(bug);
    const ok = Response.json({ saved: true });
    expect(await answeringWhileDatabaseDown(() => Promise.resolve(ok))).toBe(ok);
  });
});
