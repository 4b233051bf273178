/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. a bench server
 * started with BENCH_SERVER_NODE_FLAGS="--cpu-prof --cpu-prof-dir=DIR"):
 * share of samples by package/file (self time) and the top functions.
 * Usage: tsx bench/tools/profile-summary.ts <file.cpuprofile> [top=25] [function whose callers to show, e.g. writev]
 * PROFILE_LAST_SECONDS=15 keeps only the samples of the profile's last 15 s (e.g. the reconnect at the end of bench:catchup).
 */
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
const [file, topArg, callersOf] = process.argv.slice(2);
if (!file) {
  console.error("usage: tsx bench/tools/profile-summary.ts <file.cpuprofile> [top]");
  process.exit(1);
}
const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
const last = Number(process.env.PROFILE_LAST_SECONDS ?? 0);
if (last > 0) {
  let t = profile.startTime;
  const times = profile.timeDeltas.map((d) => (t += d));
  const from = profile.endTime - last * 1e6;
  profile.samples = profile.samples.filter((_, i) => times[i] >= from);
  profile.startTime = from;
}
const top = Number(topArg ?? 25);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const counts = new Map<number, number>();
for (const s of profile.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
const total = profile.samples.length;

/** Groups a script URL into a package or project folder. */
function area(url: string): string {
  if (!url) return "(native/idle/gc)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith("node:")) return "node:internal";
  const m = /\/work\/main\/(.+)$/.exec(url) ?? /file:\/\/\/work\/main\/(.+)$/.exec(url);
  return m ? m[1] : url;
}

const byArea = new Map<string, number>();
const byFn = new Map<string, number>();
for (const [id, n] of counts) {
  const node = byId.get(id)!;
  const { functionName, url, lineNumber } = node.callFrame;
  const a = functionName === "(idle)" ? "(idle)" : functionName === "(garbage collector)" ? "(gc)" : functionName === "(program)" ? "(program)" : area(url);
  byArea.set(a, (byArea.get(a) ?? 0) + n);
  const key = `${functionName || "(anonymous)"}  ${area(url)}:${lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + n);
}
const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)} %`;
console.log(`${file}: ${total} samples over ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s`);
console.log("\nself time by area:");
for (const [k, v] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(v)}  ${k}`);
console.log("\ntop functions (self):");
for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(v)}  ${k}`);

if (callersOf) {
  // Attribute the samples of `callersOf` to the nearest caller frame outside node internals/native.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byCaller = new Map<string, number>();
  let all = 0;
  for (const [id, n] of counts) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName !== callersOf) continue;
    all += n;
    const chain: string[] = [];
    for (let p = parent.get(id); p !== undefined && chain.length < 3; p = parent.get(p)) {
      const f = byId.get(p)!.callFrame;
      const a = area(f.url);
      if (a === "node:internal" || a === "(native/idle/gc)") continue;
      chain.push(`${f.functionName || "(anonymous)"} ${a}`);
    }
    const key = chain.join(" < ") || "(unknown)";
    byCaller.set(key, (byCaller.get(key) ?? 0) + n);
  }
  console.log(`\ncallers of ${callersOf} (${pct(all)} of samples):`);
  for (const [k, v] of [...byCaller].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(v)}  ${k}`);
}
