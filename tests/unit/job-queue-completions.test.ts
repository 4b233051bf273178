/**
 * pg-boss 10 records a job's end with complete()/fail() without awaiting them (ADR 0055): with the database
 * gone, the rejection must not be left unhandled (it failed a CI run in database-unavailable.test.ts), while
 * a caller that awaits still receives it.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { createPgBoss } from "../../server/jobs/opinion-groups-queue";

const Manager = createRequire(import.meta.url)("pg-boss/src/manager.js") as { prototype: Record<"complete" | "fail", (this: unknown, ...args: unknown[]) => Promise<unknown>> };
/** A manager whose database has just gone away. */
const cutOff = {
  db: { executeSql: () => Promise.reject(new Error("Connection terminated unexpectedly")) },
  mapCompletionIdArg: (id: unknown) => [id],
  mapCompletionDataArg: (data: unknown) => data,
  mapCommandResponse: (ids: unknown) => ids,
};

describe("the job queue's unawaited completions", () => {
  it("leaves no unhandled rejection when complete() or fail() cannot reach the database, and still rejects for a caller that awaits", async () => {
    createPgBoss("postgres://nobody@127.0.0.1:1/none");
    const unhandled: unknown[] = [];
    const count = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", count);
    try {
      void Manager.prototype.complete.call(cutOff, "opinion-groups", "job-1", null);
      void Manager.prototype.fail.call(cutOff, "opinion-groups", "job-2", "failed");
      await expect(Manager.prototype.fail.call(cutOff, "opinion-groups", "job-3", "failed")).rejects.toThrow("Connection terminated unexpectedly");
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", count);
    }
  });
});
