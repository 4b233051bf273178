/**
 * Where the database time goes: samples pg_stat_activity for one database
 * every `everyMs` while a load runs, and tallies what the server's connections
 * were doing — running a statement (and on what it waited: Lock, WALWrite/
 * WALSync IO, …), "idle in transaction" (the transaction is open but the
 * database is waiting for the application's next statement: Node round trips),
 * or idle. The sampler's own connection is excluded.
 */
import pg from "pg";

export interface ActivitySampler {
  stop(): Promise<ActivityReport>;
}
export interface ActivityReport {
  samples: number;
  /** Average number of connections in each state per sample, e.g. "active: Lock/transactionid" → 2.3 */
  averages: [string, number][];
}

export async function sampleActivity(databaseUrl: string, databaseName: string, everyMs = 50): Promise<ActivitySampler> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => undefined);
  await client.connect();
  const counts = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await client.query<{ state: string | null; wt: string | null; we: string | null }>(
        `SELECT state, wait_event_type AS wt, wait_event AS we FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        [databaseName],
      );
      samples++;
      for (const r of rows) {
        const key = r.state === "active" ? `active${r.wt ? `, waiting on ${r.wt}/${r.we}` : " (on CPU)"}` : (r.state ?? "unknown");
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await client.end();
      return { samples, averages: [...counts].map(([k, v]) => [k, v / Math.max(1, samples)] as [string, number]).sort((a, b) => b[1] - a[1]) };
    },
  };
}

/** One line per state: "  2.31  idle in transaction". */
export function formatActivity(report: ActivityReport): string {
  return report.averages.map(([k, v]) => `    ${v.toFixed(2).padStart(6)}  ${k}`).join("\n");
}
