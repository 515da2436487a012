import { defineConfig, devices } from "@playwright/test";
import { chromiumArgs, chromiumExecutable } from "./tests/support/chromium";
import { e2ePort } from "./tests/support/e2e-database";

const port = e2ePort;

export default defineConfig({
  testDir: "tests/e2e",
  // one folder per port, so two runs on one machine never trample each other's traces
  outputDir: `test-results/e2e-${port}`,
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? "list" : [["list"], ["html", { open: "never" }]],
  timeout: 60_000,
  // a 2-core machine building and testing at once can take seconds to hydrate a page
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    launchOptions: { executablePath: chromiumExecutable(), args: chromiumArgs },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 } } },
    { name: "phone", use: { ...devices["Pixel 7"], viewport: { width: 390, height: 844 } } },
  ],
  webServer: {
    command: "node --import tsx tests/support/e2e-server.ts",
    url: `http://localhost:${port}/healthz`,
    env: { PORT: String(port), NODE_ENV: "production" },
    timeout: 180_000,
    reuseExistingServer: false,
    // SIGTERM lets the app stop its embedded Postgres instead of being killed with it running
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    stdout: "pipe",
    stderr: "pipe",
  },
});
