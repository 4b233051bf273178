/**
 * Two server processes starting at once both create the postgres adapter's attachments table.
 * Plain `CREATE TABLE IF NOT EXISTS` raced (a CI run failed on `pg_type_typname_nsp_index`);
 * the creation now takes an advisory lock.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createAttachmentsTable } from "../../server/realtime/adapter";

const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 12 });
const tables: string[] = [];
afterAll(async () => {
  for (const table of tables) await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await pool.end();
});

describe("the postgres adapter's attachments table", () => {
  it("is created once when many processes start at the same moment, and every start succeeds", async () => {
    for (let round = 0; round < 5; round++) {
      const table = `attachments_race_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
      tables.push(table);
      const starts = await Promise.allSettled(Array.from({ length: 10 }, () => createAttachmentsTable(pool, table)));
      expect(starts.filter((s) => s.status === "rejected")).toEqual([]);
      const found = await pool.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = $1", [table]);
      expect(found.rows[0].n).toBe(1);
    }
  });

  it("refuses a name that is not a plain SQL name", async () => {
    await expect(createAttachmentsTable(pool, "x; DROP TABLE users")).rejects.toThrow(/Not a plain table name/);
  });
});
