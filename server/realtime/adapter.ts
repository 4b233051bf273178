/**
 * Sharing socket.io rooms between several server processes
 * (docs/decisions/0007-several-server-nodes.md):
 * - "postgres" (default): @socket.io/postgres-adapter over LISTEN/NOTIFY on the
 *   database we already need; payloads over 8 kB go through a small table.
 * - "redis": @socket.io/redis-streams-adapter, when REDIS_URL is set.
 * - "memory": a single process, no adapter.
 */
import { createAdapter as createPostgresAdapter } from "@socket.io/postgres-adapter";
import { createAdapter as createRedisStreamsAdapter } from "@socket.io/redis-streams-adapter";
import pg from "pg";
import type { Server } from "socket.io";
import { log } from "../log";
import { connectRedis } from "../redis";

export type AdapterKind = "memory" | "postgres" | "redis";

const ATTACHMENTS_TABLE = "socket_io_attachments";

/**
 * Installs the adapter on `io`.
 * @returns a function that closes the adapter's connections.
 * @throws when the database or Redis cannot be reached (the Redis error names REDIS_URL).
 */
export async function attachAdapter(io: Server, kind: AdapterKind, options: { databaseUrl: string; redisUrl?: string }): Promise<() => Promise<void>> {
  if (kind === "memory") return async () => {};
  if (kind === "redis") {
    if (!options.redisUrl) throw new Error("SOCKET_ADAPTER=redis needs REDIS_URL.");
    const client = await connectRedis(options.redisUrl, "the Redis Streams socket.io adapter");
    io.adapter(createRedisStreamsAdapter(client, { streamName: "steelman:socket.io" }));
    return async () => {
      await client.quit().catch(() => undefined);
    };
  }
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
  // An idle client's error reaches the pool; a checked-out one (the adapter holds one for LISTEN)
  // emits on itself, and an 'error' event nobody listens to ends the process. The adapter sees the
  // client's 'end' that follows and reconnects on its own (it retries every ~2 s).
  pool.on("error", (error) => log.error("postgres adapter pool error (the pool replaces the connection)", error));
  pool.on("connect", (client) => client.on("error", (error) => log.error("postgres adapter connection lost (it reconnects)", error)));
  await createAttachmentsTable(pool, ATTACHMENTS_TABLE);
  io.adapter(createPostgresAdapter(pool, { tableName: ATTACHMENTS_TABLE, heartbeatInterval: 2_000, heartbeatTimeout: 6_000 }));
  return async () => {
    await pool.end().catch(() => undefined);
  };
}

/**
 * Creates the adapter's attachments table `tableName` (a plain lower-case SQL name) if it is missing. Not a Prisma model: the adapter owns it.
 * `CREATE TABLE IF NOT EXISTS` is not safe against itself: two processes starting at once can both
 * find the table missing, and the second fails on `pg_type_typname_nsp_index` (the row type's name).
 * A transaction-scoped advisory lock lets one process create it while the other waits, then finds it.
 * @throws when the name is not a plain SQL name, or the database cannot be reached.
 */
export async function createAttachmentsTable(pool: pg.Pool, tableName: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(tableName)) throw new Error(`Not a plain table name: ${tableName}`);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`create:${tableName}`]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${tableName} (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
