import { describe, expect, it } from "vitest";
import { EnvError, mailViewerEnabled, parseEnv, publicUrl } from "~/lib/env.server";

describe("parseEnv", () => {
  it("applies defaults to an empty environment", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DATA_DIR).toBe(".data");
    expect(env.RUN_WORKER).toBe(true);
  });

  it("treats an empty variable as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", PORT: "" }).DATABASE_URL).toBeUndefined();
  });

  it("rejects a malformed DATABASE_URL, naming the variable and hiding the password", () => {
    let caught: unknown;
    try {
      parseEnv({ DATABASE_URL: "mysql://root:hunter2@db/app" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvError);
    const message = (caught as EnvError).message;
    expect(message).toContain("DATABASE_URL");
    expect(message).toContain("postgres://");
    expect(message).not.toContain("hunter2");
  });

  it("rejects a DATABASE_URL that is not a URL at all", () => {
    expect(() => parseEnv({ DATABASE_URL: "localhost:5432" })).toThrow(/DATABASE_URL/);
  });

  it.each([["abc"], ["70000"], ["-1"], ["3.5"]])("rejects PORT=%s", (port) => {
    expect(() => parseEnv({ PORT: port })).toThrow(/PORT/);
  });

  it("lists every bad variable at once", () => {
    try {
      parseEnv({ PORT: "x", SESSION_SECRET: "short", RUN_WORKER: "maybe" });
      expect.unreachable();
    } catch (error) {
      expect((error as EnvError).problems).toHaveLength(3);
    }
  });

  it("accepts a postgresql:// URL", () => {
    expect(parseEnv({ DATABASE_URL: "postgresql://u:p@db.internal:6543/rapport" }).DATABASE_URL).toBe(
      "postgresql://u:p@db.internal:6543/rapport",
    );
  });

  it("builds email links from PUBLIC_URL without its trailing slash, else from localhost and PORT", () => {
    expect(publicUrl(parseEnv({ PUBLIC_URL: "https://feedback.example.com/" }))).toBe(
      "https://feedback.example.com",
    );
    expect(publicUrl(parseEnv({ PORT: "4100" }))).toBe("http://localhost:4100");
    expect(() => parseEnv({ PUBLIC_URL: "feedback.example.com" })).toThrow(/PUBLIC_URL/);
  });

  it("turns the mail viewer on for the embedded database only, unless told", () => {
    expect(mailViewerEnabled(parseEnv({}))).toBe(true);
    expect(mailViewerEnabled(parseEnv({ DATABASE_URL: "postgres://u@db/rapport" }))).toBe(false);
    expect(
      mailViewerEnabled(parseEnv({ DATABASE_URL: "postgres://u@db/rapport", MAIL_VIEWER: "true" })),
    ).toBe(true);
    expect(mailViewerEnabled(parseEnv({ MAIL_VIEWER: "false" }))).toBe(false);
  });

  it("accepts only a whsec_ webhook secret and never echoes it", () => {
    expect(
      parseEnv({ RESEND_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }).RESEND_WEBHOOK_SECRET,
    ).toBe("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    expect(() => parseEnv({ RESEND_WEBHOOK_SECRET: "hunter2-secret" })).toThrow(/RESEND_WEBHOOK_SECRET/);
    expect(() => parseEnv({ RESEND_WEBHOOK_SECRET: "hunter2-secret" })).not.toThrow(/hunter2/);
  });
});
