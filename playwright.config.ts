import { defineConfig } from "@playwright/test";
import { requireChromium } from "./tests/support/chromium";

const port = Number(process.env.E2E_PORT ?? 3100);

/**
 * End-to-end tests in real Chromium: CHROMIUM_PATH, else Playwright's own browser, else a
 * system Chromium or Chrome (tests/support/chromium.ts; `npm test` installs Playwright's when
 * there is none, scripts/ensure-chromium.ts). tests/e2e/serve.ts starts the built app on a
 * fresh database.
 */
export default defineConfig({
  testDir: "tests/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: requireChromium().executablePath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  webServer: {
    command: "tsx tests/e2e/serve.ts",
    url: `http://localhost:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    env: { PORT: String(port), NODE_ENV: "production", LOG_LEVEL: "error" },
    stdout: "pipe",
    stderr: "pipe",
  },
});
