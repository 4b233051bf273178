import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPrismaClient, Prisma, type Db } from "../../server/db.ts";
import { applyMigrations, migrationsDir } from "../../server/migrate.ts";

const migrationNames = readdirSync(migrationsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe("applyMigrations on a fresh database", () => {
  const serverUrl = new URL(inject("databaseUrl"));
  const name = `steelman_migrate_${randomBytes(6).toString("hex")}`;
  const freshUrl = new URL(serverUrl);
  freshUrl.pathname = `/${name}`;
  const url = freshUrl.href;

  beforeAll(async () => {
    await query(serverUrl.href, `CREATE DATABASE "${name}"`);
  });
  afterAll(async () => {
    await query(serverUrl.href, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it("applies every migration folder and creates the tables", async () => {
    expect(migrationNames.length).toBeGreaterThan(0);
    const { applied } = await applyMigrations(url);
    expect(applied).toEqual(migrationNames);

    const tables = await query<{ table_name: string }>(
      url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      ["ApiToken", "Argument", "ArgumentRead", "ArgumentRevision", "AuditEntry", "Debate", "DebateChange", "Decision", "DecisionResponse", "MotionVote", "Operation", "OpinionGroupsSnapshot", "Participant", "PasswordReset", "Proposition", "Rating", "Report", "Session", "Source", "Team", "TeamDraft", "TrustedDevice", "User", "Vote", "_prisma_migrations"].sort(),
    );
  });

  it("records them the way `prisma migrate deploy` does (name, sha256 checksum, finished)", async () => {
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      url,
      "SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name",
    );
    expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
    for (const row of rows) {
      const sql = readFileSync(path.join(migrationsDir, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).not.toBeNull();
    }
  });

  it("applies nothing the second time", async () => {
    expect(await applyMigrations(url)).toEqual({ applied: [] });
    const [{ count }] = await query<{ count: string }>(url, "SELECT count(*) FROM _prisma_migrations");
    expect(Number(count)).toBe(migrationNames.length);
  });
});

describe("Vote(participantId, propositionId) is unique", () => {
  let db: Db;
  let debateId: string;

  beforeAll(() => {
    db = createPrismaClient(inject("databaseUrl"));
  });
  afterAll(async () => {
    if (debateId) await db.debate.delete({ where: { id: debateId } });
    await db.$disconnect();
  });

  it("rejects a second vote by the same participant on the same proposition", async () => {
    const debate = await db.debate.create({
      data: {
        title: "Unique votes",
        joinCode: randomBytes(4).toString("hex").toUpperCase(),
        sourceText: "Thesis.",
        thesisStart: 0,
        thesisEnd: 7,
        propositions: { create: { position: 0, text: "A claim." } },
        participants: { create: { displayName: "Ada", tokenHash: randomBytes(32).toString("hex") } },
      },
      include: { propositions: true, participants: true },
    });
    debateId = debate.id;
    const vote = {
      participantId: debate.participants[0].id,
      propositionId: debate.propositions[0].id,
    };

    await db.vote.create({ data: { ...vote, value: "agree" } });
    const duplicate = db.vote.create({ data: { ...vote, value: "disagree" } });

    await expect(duplicate).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    await expect(duplicate).rejects.toMatchObject({ code: "P2002" });
    expect(await db.vote.count({ where: vote })).toBe(1);
  });
});
