/** Timing plain HTTP reads for the benchmarks (bench/large.ts, bench/polis-scale.ts). */
import { ms, nowMs } from "./report";

/** What `timeGet` measured: the durations (ms) of the 200 answers, the body size (bytes) of the first, and each other answer as "status after ms". */
export interface TimedGets {
  times: number[];
  bytes: number;
  failed: string[];
}

/**
 * Times `runs` sequential GETs of `url` after one warm-up GET (not counted), each until its whole
 * body has arrived. Network errors reject.
 */
export async function timeGet(url: string, runs: number, headers: Record<string, string> = {}): Promise<TimedGets> {
  const once = async () => {
    const t = nowMs();
    const res = await fetch(url, { headers });
    const body = await res.arrayBuffer();
    return { ms: nowMs() - t, bytes: body.byteLength, status: res.status };
  };
  await once();
  const answers = [];
  for (let i = 0; i < runs; i++) answers.push(await once());
  const ok = answers.filter((r) => r.status === 200);
  return { times: ok.map((r) => r.ms), bytes: ok[0]?.bytes ?? 0, failed: answers.filter((r) => r.status !== 200).map((r) => `${r.status} after ${ms(r.ms)}`) };
}
