import { existsSync } from "node:fs";

/**
 * The e2e browser: CHROMIUM_PATH, else Debian's /usr/bin/chromium. Playwright's own
 * browser download cannot work on these machines, so we never rely on it.
 */
export function chromiumExecutable(): string {
  const candidate = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (!existsSync(candidate)) {
    throw new Error(
      `No Chromium found at ${candidate}. Install one with \`sudo apt-get install -y chromium\` ` +
        "(Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome executable.",
    );
  }
  return candidate;
}

export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
