/**
 * Server responsiveness under load: requests GET /metrics every `everyMs`
 * while a load runs and records each response time. A Node server answers
 * this in well under a millisecond when idle, so the figure is mostly the
 * time the request waited for the server's event loop (busy with the load).
 */
import { nowMs, summarize, type Summary } from "./report";

/** @param headers sent with each request (the server's METRICS_TOKEN as `Authorization: Bearer …`). */
export function probeLatency(baseUrl: string, everyMs = 200, headers: Record<string, string> = {}): { stop(): Promise<Summary> } {
  const times: number[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const t = nowMs();
      try {
        await (await fetch(`${baseUrl}/metrics`, { headers })).arrayBuffer();
        times.push(nowMs() - t);
      } catch {
        // server busy or gone; skip
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return summarize(times);
    },
  };
}
