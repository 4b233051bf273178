/**
 * [B1] A backup restored into a fresh database holds the same debates: same rows in every
 * table, and the API answers the same debate (propositions, arguments, tallies) from it.
 * [B2] A restore never half-loads: a file cut short, a file that is not a backup, or a target
 * that already holds data is refused, and the target keeps nothing of it.
 */
import { createReadStream } from "node:fs";
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { promisify } from "node:util";
import { gunzipSync, gzipSync } from "node:zlib";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { ClientEvent } from "../../app/shared/operations";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { startServer } from "../../server/app";
import { backupDatabase, readBackupManifest, restoreDatabase } from "../../server/backup";
import { api, publishedDebateWith } from "../support/api-client";
import { projectRoot, seedArticle } from "../support/article";
import { emitWithAck } from "../support/socket-client";
import { useTestServer } from "../support/test-server";

const { server, connect } = useTestServer({ serveApp: false, rateLimits: "off" });

const created: string[] = [];
/** A new database on the test server, empty (no migrations) unless told otherwise. */
async function emptyDatabase(): Promise<string> {
  const url = new URL(inject("databaseUrl"));
  const name = `steelman_restore_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url.href });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  created.push(name);
  url.pathname = `/${name}`;
  return url.href;
}
afterAll(async () => {
  const admin = new pg.Client({ connectionString: inject("databaseUrl") });
  await admin.connect();
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
});

async function backupToBuffer(databaseUrl: string): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on("data", (c: Buffer) => chunks.push(c));
  await backupDatabase(databaseUrl, sink);
  return Buffer.concat(chunks);
}

async function rowCounts(databaseUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('_prisma_migrations', 'socket_io_attachments') ORDER BY 1`);
    const counts: Record<string, number> = {};
    for (const { name } of tables.rows) counts[name] = Number((await client.query(`SELECT count(*) AS n FROM public."${name}"`)).rows[0].n);
    return counts;
  } finally {
    await client.end();
  }
}

/** A debate with arguments, a rebuttal, sources, votes and ratings. */
async function busyDebate() {
  const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Ada", "Ben"]);
  const [ada, ben] = await Promise.all(participants.map((p) => connect(debate.id, p.token)));
  const propositionId = debate.propositions[0]!.id;
  const posted = await emitWithAck<{ id: string }>(ada!.socket, ClientEvent.postArgument, { opId: randomUUID(), propositionId, stance: "pro", body: plainTextToArgumentBody("Backups keep \"quotes\", tabs\tand\nnew lines, and ünïcode ✓."), sources: [{ url: "https://example.org/a", title: "A source" }] });
  if (!posted.ok) throw new Error(JSON.stringify(posted.error));
  await emitWithAck(ben!.socket, ClientEvent.postArgument, { opId: randomUUID(), propositionId, parentId: posted.data.id, stance: "con", body: plainTextToArgumentBody("A rebuttal.") });
  await emitWithAck(ada!.socket, ClientEvent.castVote, { opId: randomUUID(), propositionId, value: "agree" });
  await emitWithAck(ben!.socket, ClientEvent.castVote, { opId: randomUUID(), propositionId, value: "disagree" });
  await emitWithAck(ben!.socket, ClientEvent.rateArgument, { opId: randomUUID(), argumentId: posted.data.id, value: "up" });
  return debate;
}

describe("[B1] backup and restore", () => {
  it("a backup restored into an empty database holds every row, and the API serves the same debate from it", async () => {
    const debate = await busyDebate();
    const source = inject("databaseUrl");
    const backup = await backupToBuffer(source);
    const text = gunzipSync(backup).toString("utf8");
    expect(text).toMatch(/^COPY public\."Argument" \(/m);
    expect(text.indexOf('COPY public."Debate"')).toBeLessThan(text.indexOf('COPY public."Argument"')); // parents first
    const manifest = await readBackupManifest(Readable.from(backup));
    expect(manifest.tables.Debate).toBeGreaterThan(0);

    const target = await emptyDatabase();
    const { loaded } = await restoreDatabase(target, Readable.from(backup));
    // The manifest holds the counts of the snapshot the backup was taken in; the source itself keeps
    // changing meanwhile (other test files write to the same database).
    const counts = manifest.tables;
    expect(Object.keys(counts).sort()).toEqual(Object.keys(await rowCounts(source)).sort());
    expect(await rowCounts(target)).toEqual(Object.fromEntries(Object.entries(counts).sort()));
    expect(loaded).toEqual(counts);

    const restored = await startServer({ databaseUrl: target, port: 0, serveApp: false, rateLimits: "off" });
    try {
      const [before, after] = await Promise.all([api(server.url, `/api/debates/${debate.id}`), api(restored.url, `/api/debates/${debate.id}`)]);
      expect(after.status).toBe(200);
      expect(after.json).toEqual({ ...before.json, url: after.json.url });
      expect(after.json.propositions[0].tally).toMatchObject({ agree: 1, disagree: 1 });
      expect(after.json.arguments.map((a: { bodyText: string }) => a.bodyText)).toContain("Backups keep \"quotes\", tabs\tand\nnew lines, and ünïcode ✓.");
    } finally {
      await restored.close();
    }
  });

  it("npm run backup and npm run restore do the same from the command line", async () => {
    await busyDebate();
    const dir = await mkdtemp(path.join(tmpdir(), "steelman-backup-"));
    try {
      const file = path.join(dir, "b.sql.gz");
      const run = (args: string[], databaseUrl: string) => promisify(execFile)(process.execPath, ["--import", "tsx", path.join(projectRoot, "scripts", "backup.ts"), ...args], { cwd: projectRoot, env: { ...process.env, DATABASE_URL: databaseUrl } });
      const made = await run(["backup", "--out", file], inject("databaseUrl"));
      expect(made.stdout).toMatch(/^Backup written to .*b\.sql\.gz: \d+ debates/);
      const target = await emptyDatabase();
      const restoredOut = await run(["restore", file], target);
      expect(restoredOut.stdout).toMatch(/^Restored .*: \d+ debates/);
      const manifest = await readBackupManifest(createReadStream(file));
      expect(await rowCounts(target)).toEqual(Object.fromEntries(Object.entries(manifest.tables).sort()));
      // A second restore into the same database is refused: it holds data now.
      await expect(run(["restore", file], target)).rejects.toMatchObject({ stderr: expect.stringMatching(/already holds data/) });
      // --replace recreates it first.
      expect((await run(["restore", file, "--replace"], target)).stdout).toMatch(/^Restored/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("[B2] a restore loads all or nothing", () => {
  it("refuses a file cut short, and the target keeps nothing of it", async () => {
    await busyDebate();
    const whole = gunzipSync(await backupToBuffer(inject("databaseUrl"))).toString("utf8");
    const argumentRows = whole.indexOf("\n", whole.indexOf('COPY public."Argument"')) + 1;
    const cut = gzipSync(Buffer.from(whole.slice(0, whole.indexOf("\n", argumentRows) + 1))); // one row of Argument, then nothing
    const target = await emptyDatabase();
    await expect(restoreDatabase(target, Readable.from(cut))).rejects.toThrow(/cut short/);
    const counts = await rowCounts(target);
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  });

  it("refuses a file that is not a backup", async () => {
    const target = await emptyDatabase();
    await expect(restoreDatabase(target, Readable.from(Buffer.from("SELECT 1;")))).rejects.toThrow(/not a Steelman backup/);
    await expect(restoreDatabase(target, Readable.from(gzipSync("COPY x FROM stdin;\n")))).rejects.toThrow(/not a Steelman backup/);
    const dir = await mkdtemp(path.join(tmpdir(), "steelman-backup-"));
    try {
      await writeFile(path.join(dir, "x"), "hello");
      await expect(readBackupManifest(Readable.from(await readFile(path.join(dir, "x"))))).rejects.toThrow(/not a Steelman backup/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses a target that already holds data", async () => {
    await expect(restoreDatabase(inject("databaseUrl"), Readable.from(await backupToBuffer(inject("databaseUrl"))))).rejects.toThrow(/already holds data/);
  });
});
