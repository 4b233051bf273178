/**
 * Applies prisma/migrations to a PostgreSQL database without the native Prisma schema
 * engine (which this project's machines cannot download): the same engine compiled to
 * WebAssembly (`@prisma/schema-engine-wasm`) runs in-process and talks to the database
 * through `@prisma/adapter-pg`. It records into the standard `_prisma_migrations` table,
 * so `prisma migrate deploy`/`status` on a connected machine agree with it.
 * See docs/decisions/0002-offline-migrations.md.
 *
 * CLI: `tsx server/migrate.ts` applies to process.env.DATABASE_URL.
 */
import { readFile, readdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";

/** Absolute path of the project root (the folder holding package.json), independent of cwd. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const schemaPath = path.join(projectRoot, "prisma", "schema.prisma");
export const migrationsDir = path.join(projectRoot, "prisma", "migrations");

let wasmReady: Promise<typeof import("@prisma/schema-engine-wasm/schema_engine_bg")> | undefined;

/**
 * Instantiates the schema engine's WebAssembly module once per process. (The package's
 * own entry imports the .wasm file as an ES module, which Node 20 refuses.)
 */
function loadWasm() {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const glue: typeof import("@prisma/schema-engine-wasm/schema_engine_bg") = await import(
      pathToFileURL(gluePath).href
    );
    const bytes = await readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    // The engine arms 10 s timers it never clears; unref them so they do not keep the process alive.
    const imports: WebAssembly.ModuleImports = { ...(glue as unknown as WebAssembly.ModuleImports) };
    for (const name of Object.keys(imports).filter((n) => n.startsWith("__wbg_setTimeout_"))) {
      imports[name] = (fn: () => void, ms: number) => setTimeout(fn, ms >>> 0).unref();
    }
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": imports });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return wasmReady;
}

const PG_CHAR = 18; // the one-byte "char" type of pg_catalog columns such as pg_constraint.contype
const PG_TEXT = 25;

/**
 * When the engine describes a schema (diff, drift checks) it selects pg_catalog "char"
 * columns, which @prisma/adapter-pg 7.10 rejects ("Column type 'char' could not be
 * deserialized"). pg already returns their values as strings; relabel them as text.
 */
function readCharColumnsAsText(client: pg.PoolClient): void {
  const relabel = (result: unknown) => {
    for (const field of (result as Partial<pg.QueryResult> | undefined)?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR) field.dataTypeID = PG_TEXT;
    }
    return result;
  };
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((...args: unknown[]) => {
    const callback = args.at(-1);
    if (typeof callback === "function") {
      args[args.length - 1] = (error: unknown, result: unknown) => callback(error, relabel(result));
      return query(...args);
    }
    const returned = query(...args);
    return returned instanceof Promise ? returned.then(relabel) : returned;
  }) as typeof client.query;
}

/**
 * Opens a schema engine connected to `databaseUrl`, with prisma/schema.prisma loaded.
 * The caller must `await close()` when done: freeing the engine does not end the
 * connection pools, which would otherwise keep the process alive.
 *
 * `diff` from migrations replays them into `shadowDatabaseUrl`, an existing database the
 * caller creates and drops (the engine empties it first); without it, that diff throws.
 * (@prisma/adapter-pg's own `connectToShadowDb` is not used: with a connection string it
 * creates a shadow database but then connects to the main one.) `createMigration` does not
 * work in this WebAssembly build (it never asks for the shadow database); use `diff`.
 * Engine log lines go to stderr only when DEBUG mentions "prisma".
 */
export async function openSchemaEngine(
  databaseUrl: string,
  options: { shadowDatabaseUrl?: string } = {},
): Promise<{ engine: SchemaEngine; close(): Promise<void> }> {
  const { SchemaEngine } = await loadWasm();
  const schemaText = await readFile(schemaPath, "utf8");
  const pools: pg.Pool[] = [];
  const connectTo = async (connectionString: string) => {
    const pool = new pg.Pool({ connectionString, max: 2 });
    pool.on("connect", readCharColumnsAsText);
    pool.on("error", () => {}); // an idle connection dropped by the server; the pool replaces it
    pools.push(pool);
    const adapter = await new PrismaPg(pool).connect();
    // The adapter's executeScript splits scripts on every ";" (breaking string literals and
    // $$ bodies) and runs the pieces one by one on any pooled connection. Send the script as
    // one simple-protocol query instead, as the native engine does: one implicit transaction.
    adapter.executeScript = async (script) => {
      try {
        await pool.query(script);
      } catch (error) {
        (adapter as unknown as { onError(error: unknown): never }).onError(error);
      }
    };
    return adapter;
  };
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => connectTo(databaseUrl),
    connectToShadowDb: async () => {
      if (!options.shadowDatabaseUrl) throw new Error("This command needs a shadow database (shadowDatabaseUrl).");
      return connectTo(options.shadowDatabaseUrl);
    },
  };
  const log = (line: string) => {
    if (process.env.DEBUG?.includes("prisma")) console.error(`[schema-engine] ${line}`);
  };
  const engine = (await SchemaEngine.new(
    { datamodels: [[schemaPath, schemaText]] },
    log,
    bindMigrationAwareSqlAdapterFactory(factory),
  )) as SchemaEngine;
  return {
    engine,
    async close() {
      engine.free();
      await Promise.all(pools.map((pool) => pool.end()));
    },
  };
}

/**
 * Reads a migrations folder in Prisma's layout (`<timestamp>_<name>/migration.sql` folders,
 * sorted by name, plus `migration_lock.toml`) into the engine's input shape.
 * A missing folder yields an empty list; an unreadable migration.sql is passed on as an
 * error entry, which the engine reports.
 */
export async function readMigrations(dir: string = migrationsDir): Promise<MigrationList> {
  const lockPath = path.join(dir, "migration_lock.toml");
  const entries = existsSync(dir) ? await readdir(dir, { withFileTypes: true }) : [];
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return {
    baseDir: dir,
    lockfile: {
      path: "migration_lock.toml",
      content: existsSync(lockPath) ? await readFile(lockPath, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      folders.map(async (folder) => {
        const file = path.join(dir, folder, "migration.sql");
        const content = await readFile(file, "utf8").then(
          (value) => ({ tag: "ok" as const, value }),
          (error: Error) => ({ tag: "error" as const, value: error.message }),
        );
        return { path: folder, migrationFile: { path: "migration.sql", content } };
      }),
    ),
  };
}

/**
 * Applies every migration of prisma/migrations not yet recorded in `databaseUrl`'s
 * `_prisma_migrations` table (creating the table if needed), like `prisma migrate deploy`.
 * Idempotent: a second call returns `{ applied: [] }`.
 *
 * @param databaseUrl postgresql:// URL of an existing database.
 * @param options.migrationsDir another folder in the same layout (tests); default prisma/migrations.
 * @returns the folder names applied by this call, in order.
 * Each migration.sql runs as one script (one implicit transaction), in folder-name order.
 * Like `migrate deploy`, it does not complain about applied migrations edited or removed locally.
 *
 * @throws Error (the engine's message, multi-line) if the database is unreachable, the lockfile
 *   names another provider, or a migration's SQL fails. A failed migration is rolled back, but
 *   those before it stay applied, and it is recorded as failed: later calls then throw
 *   (error.code "P3009") until it is resolved (`prisma migrate resolve`, or delete its row
 *   from `_prisma_migrations` on a scratch database).
 */
export async function applyMigrations(
  databaseUrl: string,
  options: { migrationsDir?: string } = {},
): Promise<{ applied: string[] }> {
  const migrationsList = await readMigrations(options.migrationsDir);
  const { engine, close } = await openSchemaEngine(databaseUrl);
  try {
    const result = await engine.applyMigrations({
      migrationsList,
      filters: { externalTables: [], externalEnums: [] },
    });
    return { applied: result.appliedMigrationNames };
  } finally {
    await close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set.");
    process.exit(1);
  }
  applyMigrations(url).then(
    ({ applied }) => {
      console.log(applied.length ? `Applied: ${applied.join(", ")}` : "No pending migrations.");
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
