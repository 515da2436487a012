import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getEnv } from "./env.server";
import { log } from "./log.server";

let secret: string | undefined;

/**
 * SESSION_SECRET when set. Otherwise one random secret is made on first start and kept
 * in DATA_DIR, so a local `npm start` needs no configuration and sessions survive restarts.
 */
export function getSessionSecret(): string {
  if (secret) return secret;
  const env = getEnv();
  if (env.SESSION_SECRET) {
    secret = env.SESSION_SECRET;
    return secret;
  }
  const file = path.resolve(env.DATA_DIR, "session-secret");
  if (existsSync(file)) {
    secret = readFileSync(file, "utf8").trim();
  } else {
    mkdirSync(path.dirname(file), { recursive: true });
    secret = randomBytes(32).toString("base64url");
    writeFileSync(file, secret + "\n", { mode: 0o600 });
    if (env.DATABASE_URL) {
      log.warn("session_secret.generated", {
        file,
        hint: "set SESSION_SECRET so every web process signs cookies with the same secret",
      });
    }
  }
  return secret;
}
