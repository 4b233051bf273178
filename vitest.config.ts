import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Unit and integration tests. Integration tests talk to a real PostgreSQL (TEST_DATABASE_URL, else
// the machine's server on 127.0.0.1:5432, else the embedded one) and, where they need Redis, start
// their own (tests/support/redis-server.ts); see tests/setup/.
export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    include: ["tests/unit/**/*.test.{ts,tsx}", "tests/integration/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/setup/global-setup.ts"],
    setupFiles: ["tests/setup/fail-on-console-error.ts"],
    // Hang guards, not speed goals (those live in bench/): generous enough for a loaded 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
