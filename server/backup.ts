/**
 * Backups of Steelman's data, and restoring them (`npm run backup`, `npm run restore`;
 * docs/decisions/0060-backups-as-plain-sql-data-dumps.md).
 *
 * A backup is PostgreSQL's plain dump format, data only, gzip-compressed (`.sql.gz`): a header
 * comment carrying a JSON manifest (format, version, time, the migrations the data was written
 * under, rows per table), then per table `COPY public."T" (…) FROM stdin;`, its rows in COPY's
 * text format and a `\.` line, tables ordered so that every foreign key points at a table that
 * came before. It is read from one REPEATABLE READ snapshot, so it is consistent while the app
 * keeps writing. `gunzip -c file | psql` restores it too (after `npm run migrate` with the same
 * migrations); `restoreDatabase` does that itself.
 *
 * Why not pg_dump: the embedded PostgreSQL of `npm start` ships initdb, pg_ctl and postgres
 * only, and a machine with only Node has no pg_dump. COPY through the `pg` driver
 * (pg-copy-streams) works against any PostgreSQL the app can reach.
 *
 * Left out: `_prisma_migrations` (recreated by the migrations, listed in the manifest) and the
 * socket.io adapter's transient `socket_io_attachments`.
 */
import { createInterface } from "node:readline";
import { mkdtemp, cp, rm, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";
import { pipeline } from "node:stream/promises";
import type { Readable, Writable } from "node:stream";
import { createGunzip, createGzip } from "node:zlib";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { z } from "zod";
import { applyMigrations } from "./migrate";

/** Tables never written to a backup. */
const SKIPPED_TABLES = new Set(["_prisma_migrations", "socket_io_attachments"]);
const MANIFEST_PREFIX = "-- steelman-backup: ";

const manifestSchema = z.object({
  format: z.literal("steelman-backup"),
  version: z.literal(1),
  createdAt: z.string(),
  /** Migration folder names applied to the database the data came from, in order. */
  migrations: z.array(z.string().regex(/^[\w-]+$/)),
  /** Rows written per table. */
  tables: z.record(z.string(), z.number().int().min(0)),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Tables of schema `public` in an order where each table comes after every table its foreign
 * keys reference (self-references ignored: PostgreSQL checks them at the end of each COPY).
 */
async function tablesInDependencyOrder(client: pg.ClientBase): Promise<{ name: string; columns: string[] }[]> {
  const tables = await client.query<{ name: string; columns: string[] }>(
    `SELECT c.relname::text AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
      GROUP BY c.relname ORDER BY c.relname`,
  );
  const references = await client.query<{ child: string; parent: string }>(
    `SELECT DISTINCT ch.relname::text AS child, pa.relname::text AS parent
       FROM pg_constraint k JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_class pa ON pa.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = ch.relnamespace
      WHERE k.contype = 'f' AND n.nspname = 'public' AND ch.oid <> pa.oid`,
  );
  const wanted = tables.rows.filter((t) => !SKIPPED_TABLES.has(t.name));
  const parents = new Map(wanted.map((t) => [t.name, new Set<string>()]));
  for (const { child, parent } of references.rows) parents.get(child)?.add(parent);
  const ordered: { name: string; columns: string[] }[] = [];
  const placed = new Set<string>();
  while (ordered.length < wanted.length) {
    const ready = wanted.filter((t) => !placed.has(t.name) && [...parents.get(t.name)!].every((p) => placed.has(p) || !parents.has(p)));
    if (!ready.length) throw new Error(`The foreign keys between ${wanted.filter((t) => !placed.has(t.name)).map((t) => t.name).join(", ")} form a cycle; they cannot be ordered for a backup.`);
    for (const t of ready) {
      ordered.push(t);
      placed.add(t.name);
    }
  }
  return ordered;
}

/** Writes `text` to `out`, waiting when its buffer is full. */
async function write(out: Writable, text: string | Buffer): Promise<void> {
  if (!out.write(text)) await once(out, "drain");
}

/**
 * Writes a gzip-compressed backup of `databaseUrl` to `destination` (which is ended when done).
 * @returns the manifest written (rows per table).
 * @throws when the database cannot be reached or has no migrations applied (not a Steelman database).
 */
export async function backupDatabase(databaseUrl: string, destination: Writable): Promise<BackupManifest> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => undefined); // a dropped connection fails the query in flight, which is reported
  await client.connect();
  const gzip = createGzip();
  const written = pipeline(gzip, destination);
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const applied = await client
      .query<{ migration_name: string }>(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`)
      .catch(() => {
        throw new Error("This database has no Steelman migrations (_prisma_migrations is missing): nothing to back up.");
      });
    const tables = await tablesInDependencyOrder(client);
    const counts: Record<string, number> = {};
    for (const t of tables) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM public.${quoteIdent(t.name)}`);
      counts[t.name] = Number(rows[0]!.n);
    }
    const manifest: BackupManifest = { format: "steelman-backup", version: 1, createdAt: new Date().toISOString(), migrations: applied.rows.map((r) => r.migration_name), tables: counts };
    await write(gzip, `-- Steelman data backup (PostgreSQL plain dump format, data only). Restore: npm run restore -- <this file>\n${MANIFEST_PREFIX}${JSON.stringify(manifest)}\n`);
    await write(gzip, "SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\n");
    for (const t of tables) {
      const columnList = t.columns.map(quoteIdent).join(", ");
      await write(gzip, `COPY public.${quoteIdent(t.name)} (${columnList}) FROM stdin;\n`);
      const rows = client.query(copyTo(`COPY public.${quoteIdent(t.name)} (${columnList}) TO STDOUT`));
      for await (const chunk of rows as AsyncIterable<Buffer>) await write(gzip, chunk);
      await write(gzip, "\\.\n\n");
    }
    await client.query("COMMIT");
    gzip.end();
    await written;
    return manifest;
  } catch (error) {
    gzip.destroy(error as Error);
    await written.catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Reads the manifest of a backup without restoring it. @throws when `source` is not a Steelman backup. */
export async function readBackupManifest(source: Readable): Promise<BackupManifest> {
  const lines = createInterface({ input: source.pipe(createGunzip()), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line.startsWith(MANIFEST_PREFIX)) return parseManifest(line);
      if (!line.startsWith("--")) break;
    }
  } catch {
    // not gzip
  } finally {
    lines.close();
    source.destroy();
  }
  throw new Error("This file is not a Steelman backup (made by `npm run backup`).");
}

function parseManifest(line: string): BackupManifest {
  let json: unknown;
  try {
    json = JSON.parse(line.slice(MANIFEST_PREFIX.length));
  } catch {
    throw new Error("The backup's manifest line is damaged.");
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new Error(`The backup's manifest is not one this version reads: ${parsed.error.issues[0]?.message ?? "unknown shape"}.`);
  return parsed.data;
}

/**
 * Restores a backup into `databaseUrl`, which must be an existing database with no Steelman
 * data in it (a new, empty one; `npm run restore -- --replace` recreates the embedded one).
 * It applies the migrations the backup was written under, loads every table in one
 * transaction, then applies this version's later migrations, so an older backup comes back
 * upgraded.
 * @returns the backup's manifest and the rows loaded per table.
 * @throws when the file is not a backup, was written by a newer Steelman (a migration it names
 *   is missing here), the database already holds data, or a row does not load (nothing is kept:
 *   the data load is one transaction).
 */
export async function restoreDatabase(databaseUrl: string, source: Readable, options: { migrationsDir?: string } = {}): Promise<{ manifest: BackupManifest; loaded: Record<string, number> }> {
  const migrationsDir = options.migrationsDir ?? path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "prisma", "migrations");
  const lines = createInterface({ input: source.pipe(createGunzip()), crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async () => {
    const r = await iterator.next();
    return r.done ? undefined : r.value;
  };
  let manifest: BackupManifest | undefined;
  let line: string | undefined;
  try {
    while ((line = await next()) !== undefined && line.startsWith("--")) {
      if (line.startsWith(MANIFEST_PREFIX)) manifest = parseManifest(line);
    }
  } catch {
    throw new Error("This file is not a Steelman backup (it is not gzip-compressed).");
  }
  if (!manifest) throw new Error("This file is not a Steelman backup (made by `npm run backup`): it has no manifest line.");

  await assertEmpty(databaseUrl);
  await applyMigrationSubset(databaseUrl, migrationsDir, manifest.migrations);

  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => undefined);
  await client.connect();
  const loaded: Record<string, number> = {};
  /** The COPY in progress: on an error it is aborted (CopyFail) before the ROLLBACK can be sent. */
  let copying: { stream: Writable; done: Promise<void> } | undefined;
  try {
    await client.query("BEGIN");
    for (; line !== undefined; line = await next()) {
      if (line === "" || line.startsWith("--")) continue;
      if (/^SET [a-z_]+ = '?[\w-]+'?;$/.test(line)) continue; // session settings pg.Client already uses
      const copy = /^COPY public\.("(?:[^"]|"")+") \(((?:"(?:[^"]|"")+"(?:, )?)+)\) FROM stdin;$/.exec(line);
      if (!copy) throw new Error(`The backup is damaged: unexpected line "${line.slice(0, 80)}".`);
      const table = copy[1]!.slice(1, -1).replaceAll('""', '"');
      // Rows are restored as they were: triggers that derive columns from them (the tally counters and versions,
      // docs/decisions/0023-one-statement-votes.md) would count again what the backup already holds.
      await client.query(`ALTER TABLE public.${copy[1]} DISABLE TRIGGER USER`);
      const stream = client.query(copyFrom(`COPY public.${copy[1]} (${copy[2]}) FROM STDIN`));
      const done = new Promise<void>((resolve, reject) => {
        stream.once("finish", resolve);
        stream.once("error", reject);
      });
      copying = { stream, done };
      let rows = 0;
      for (line = await next(); line !== undefined && line !== "\\."; line = await next()) {
        rows++;
        if (!stream.write(`${line}\n`)) await once(stream, "drain");
      }
      if (line === undefined) throw new Error(`The backup ends in the middle of table ${table}: the file is cut short.`);
      stream.end();
      await done;
      copying = undefined;
      await client.query(`ALTER TABLE public.${copy[1]} ENABLE TRIGGER USER`);
      loaded[table] = rows;
    }
    for (const [table, expected] of Object.entries(manifest.tables)) {
      if ((loaded[table] ?? 0) !== expected) throw new Error(`The backup is incomplete: table ${table} has ${loaded[table] ?? 0} rows, its manifest says ${expected}.`);
    }
    await client.query("COMMIT");
  } catch (error) {
    if (copying) {
      copying.stream.destroy(error as Error);
      await copying.done.catch(() => undefined);
    }
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end().catch(() => undefined);
    lines.close();
    source.destroy();
  }
  await applyMigrations(databaseUrl, { migrationsDir });
  return { manifest, loaded };
}

/** @throws when any table of schema public other than `_prisma_migrations` holds a row. */
async function assertEmpty(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
    for (const { name } of tables.rows) {
      if (SKIPPED_TABLES.has(name)) continue;
      const { rowCount } = await client.query(`SELECT 1 FROM public.${quoteIdent(name)} LIMIT 1`);
      if (rowCount) throw new Error(`The target database already holds data (table ${name}); restore into a new, empty database, or use --replace.`);
    }
  } finally {
    await client.end();
  }
}

/** Applies exactly `names` (in order) from `migrationsDir`. @throws when one of them is not there. */
async function applyMigrationSubset(databaseUrl: string, migrationsDir: string, names: string[]): Promise<void> {
  const present = new Set((await readdir(migrationsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name));
  const missing = names.filter((n) => !present.has(n));
  if (missing.length) throw new Error(`This backup was made by a newer Steelman: its migration ${missing[0]} is not in ${migrationsDir}. Update Steelman, then restore.`);
  const subset = await mkdtemp(path.join(tmpdir(), "steelman-restore-"));
  try {
    await cp(path.join(migrationsDir, "migration_lock.toml"), path.join(subset, "migration_lock.toml")).catch(() => undefined);
    for (const name of names) await cp(path.join(migrationsDir, name), path.join(subset, name), { recursive: true });
    await applyMigrations(databaseUrl, { migrationsDir: subset });
  } finally {
    await rm(subset, { recursive: true, force: true });
  }
}
