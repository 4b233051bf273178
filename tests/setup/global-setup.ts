/**
 * Vitest globalSetup: one fresh, migrated database per test run
 * (tests/support/fresh-database.ts; embedded fallback in .data/postgres-test),
 * given to tests as `inject("databaseUrl")` and process.env.DATABASE_URL.
 * Teardown drops it.
 */
import type { TestProject } from "vitest/node";
import { createFreshDatabase } from "../support/fresh-database.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of this run's fresh, migrated test database. */
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const { databaseUrl, drop } = await createFreshDatabase("steelman_test", { dataDir: ".data/postgres-test", port: 5435 });
  project.provide("databaseUrl", databaseUrl);
  process.env.DATABASE_URL = databaseUrl;
  return drop;
}
