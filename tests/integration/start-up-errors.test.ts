/**
 * Start-up that cannot go on says why in sentences (issue 18): an unreachable REDIS_URL names
 * the variable instead of retrying forever; the embedded PostgreSQL explains what it needs and
 * how to use another server, never with a stack; and it starts from a folder only its owner can
 * enter (as root, PostgreSQL runs as `postgres`, which cannot: the cluster is placed elsewhere).
 */
import { mkdtemp, rm, chmod, mkdir, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { startServer } from "../../server/app";
import { EmbeddedPostgresError, startEmbeddedPostgres } from "../../server/embedded-postgres";
import { freePort } from "../support/free-port";

/** A fresh folder under the system temp folder (mode 700: only its owner can enter), removed after the test. */
async function tempFolder(mode = 0o700): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), "steelman-start-up-"));
  await chmod(folder, mode);
  onTestFinished(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

describe("an unreachable Redis stops start-up with a sentence naming REDIS_URL", () => {
  it("for the shared rate-limit counters", async () => {
    const redisUrl = `redis://127.0.0.1:${await freePort()}`;
    const started = startServer({ databaseUrl: inject("databaseUrl"), port: 0, serveApp: false, redisUrl });
    await expect(started).rejects.toThrow(/^Redis at redis:\/\/127\.0\.0\.1:\d+ cannot be reached \(.*ECONNREFUSED.*\); it is needed for the shared rate-limit counters\. Check REDIS_URL/);
  });

  it("for the Redis Streams socket adapter, hiding the password", async () => {
    const redisUrl = `redis://:s3cret@127.0.0.1:${await freePort()}`;
    const started = startServer({ databaseUrl: inject("databaseUrl"), port: 0, serveApp: false, rateLimits: "off", adapter: "redis", redisUrl });
    const error: Error = await started.then(
      () => new Error("started"),
      (reason: Error) => reason,
    );
    expect(error.message).toMatch(/needed for the Redis Streams socket\.io adapter\. Check REDIS_URL/);
    expect(error.message).toContain(":***@127.0.0.1");
    expect(error.message).not.toContain("s3cret");
  });
});

describe("the embedded PostgreSQL", () => {
  it("starts with its data inside a folder only its owner can enter, and keeps the data for the next start", async () => {
    const folder = await tempFolder();
    const dataDir = path.join(folder, "postgres");
    const first = await startEmbeddedPostgres({ dataDir, port: 5450, throwaway: true });
    // As root the cluster was placed in a folder of its own under /var/tmp: remove that too.
    const placed = first.dataDir.startsWith(folder) ? first.dataDir : path.dirname(first.dataDir);
    onTestFinished(() => rm(placed, { recursive: true, force: true }));
    const client = new pg.Client({ connectionString: first.databaseUrl });
    await client.connect();
    await client.query("CREATE TABLE kept (note text)");
    await client.query("INSERT INTO kept VALUES ('still here')");
    await client.end();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, port: 5450, throwaway: true });
    try {
      expect(second.dataDir).toBe(first.dataDir);
      const again = new pg.Client({ connectionString: second.databaseUrl });
      await again.connect();
      const { rows } = await again.query("SELECT note FROM kept");
      await again.end();
      expect(rows).toEqual([{ note: "still here" }]);
    } finally {
      await second.stop();
    }
  });

  it("refuses a folder that holds other files, saying what it needs and how to use another server", async () => {
    const dataDir = path.join(await tempFolder(), "not-a-cluster");
    await mkdir(dataDir);
    await writeFile(path.join(dataDir, "notes.txt"), "mine");
    const error = await startEmbeddedPostgres({ dataDir, port: 5450 }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(EmbeddedPostgresError);
    const { message, stack } = error as EmbeddedPostgresError;
    expect(message).toMatch(/^The embedded PostgreSQL could not start: /);
    expect(message).toMatch(/(not-a-cluster is not empty and holds no PostgreSQL cluster|already holds files)/);
    expect(message).toMatch(/Or use a PostgreSQL server of your own: set DATABASE_URL=postgresql:\/\//);
    expect(stack).not.toMatch(/\n\s+at /);
  });

  it("names the port and server variables when no port in its range is free", async () => {
    const holders: Server[] = [];
    onTestFinished(() => Promise.all(holders.map((holder) => new Promise((resolve) => holder.close(resolve)))).then(() => undefined));
    let start = 0;
    // Ten consecutive free ports, all held by this test.
    for (let base = 47_000; base < 48_000 && !start; base += 10) {
      const taken: Server[] = [];
      for (let port = base; port < base + 10; port++) {
        const holder = createServer();
        const ok = await new Promise<boolean>((resolve) => {
          holder.once("error", () => resolve(false));
          holder.listen(port, "127.0.0.1", () => resolve(true));
        });
        if (!ok) break;
        taken.push(holder);
      }
      holders.push(...taken);
      if (taken.length === 10) start = base;
    }
    expect(start).toBeGreaterThan(0);
    const dataDir = path.join(await tempFolder(0o755), "postgres");
    await expect(startEmbeddedPostgres({ dataDir, port: start })).rejects.toThrow(
      new RegExp(`no free port in ${start}-${start + 9}\\.\\nIt needs a free port \\(from ${start}, set by EMBEDDED_PG_PORT\\)[^\\n]*\\nOr use a PostgreSQL server of your own: set DATABASE_URL=`),
    );
    // The tests' own fallback names the variable that matters to them, and no port variable.
    await expect(startEmbeddedPostgres({ dataDir, port: start, variables: { databaseUrl: "TEST_DATABASE_URL" } })).rejects.toThrow(
      new RegExp(`\\nIt needs a free port \\(from ${start}\\), [^\\n]*\\nOr use a PostgreSQL server of your own: set TEST_DATABASE_URL=`),
    );
  });
});
