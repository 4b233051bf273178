/**
 * `npm run bench:smoke` (part of `npm test`): every benchmark once at a tiny size, so none can
 * rot unnoticed. Each runs as its own process exactly as `npm run bench:<name>` would, with the
 * size variables below; the run fails when a benchmark exits non-zero or any correctness
 * verdict (delivery complete, drift, convergence, catch-up exact) says MISSED. Speed verdicts
 * are printed but not judged here: at these sizes they mean nothing.
 *
 * Needs what the benchmarks need (PostgreSQL, see bench/lib/db.ts; Chromium and a built app for
 * bench:large, which `npm test` builds first). About a minute on a 2-core machine.
 */
import { spawn } from "node:child_process";
import { header, projectRoot } from "./lib/report";
import { haproxyChecks } from "../scripts/lib/haproxy";

interface SmokeRun {
  name: string;
  script: string;
  env: Record<string, string>;
}

/** Sizes picked to take seconds each while still going through every phase of the benchmark. */
export const SMOKE_RUNS: SmokeRun[] = [
  { name: "fanout", script: "bench/fanout.ts", env: { FANOUT_CLIENTS: "20", FANOUT_RATE: "5", FANOUT_SECONDS: "2", FANOUT_ROUNDS: "1", FANOUT_WORKERS: "2" } },
  { name: "votes", script: "bench/votes.ts", env: { VOTES_CLIENTS: "8", VOTES_SECONDS: "2", VOTES_SINGLE_SECONDS: "1", VOTES_PROPOSITIONS: "3", VOTES_BREAKDOWN: "200" } },
  { name: "large", script: "bench/large.ts", env: { LARGE_PROPOSITIONS: "40", LARGE_ARGUMENTS: "120", LARGE_RUNS: "1", LARGE_BROWSER_RUNS: "1" } },
  { name: "memory", script: "bench/memory.ts", env: { MEMORY_CLIENTS: "20" } },
  { name: "catchup", script: "bench/catchup.ts", env: { CATCHUP_CLIENTS: "8", CATCHUP_CHANGES: "80", CATCHUP_PROPOSITIONS: "8", CATCHUP_HELD: "2" } },
  { name: "groups", script: "bench/groups.ts", env: {} },
  { name: "strain", script: "bench/strain.ts", env: {} },
  { name: "exports", script: "bench/exports.ts", env: { EXPORTS_PROPOSITIONS: "40", EXPORTS_ARGUMENTS: "200", EXPORTS_RUNS: "1" } },
  { name: "phone", script: "bench/phone.ts", env: { PHONE_RUNS: "1" } },
  { name: "layout", script: "bench/layout.ts", env: {} },
  { name: "scroll", script: "bench/scroll.ts", env: { SCROLL_PROPOSITIONS: "60", SCROLL_ARGUMENTS: "60", SCROLL_MAX_STEPS: "40" } },
  { name: "polis", script: "bench/polis-scale.ts", env: { POLIS_PARTICIPANTS: "300", POLIS_PROPOSITIONS: "100", POLIS_VOTES: "5000", POLIS_ARGUMENTS: "200" } },
  // Not a benchmark but the same kind of script: EXPLAIN ANALYZE of the hot paths (docs/performance.md, section 11).
  { name: "explain", script: "scripts/explain-large.ts", env: { EXPLAIN_PROPOSITIONS: "40", EXPLAIN_ARGUMENTS: "200", EXPLAIN_OTHER_DEBATES: "1", EXPLAIN_CATCHUP: "20" } },
  // Needs haproxy (apt-get install haproxy; .ci/run installs it and requires it): without it, not run here, saying why (haproxyChecks).
  { name: "proxy", script: "bench/proxy.ts", env: { PROXY_CLIENTS: "20", PROXY_RATE: "5", PROXY_SECONDS: "2", PROXY_ROUNDS: "1", PROXY_VOTERS: "8", PROXY_VOTE_SECONDS: "2", PROXY_WORKERS: "2" } },
];

/** Verdict lines about correctness (as opposed to speed), which must say "met" even in a smoke run. */
const CORRECTNESS = /(complete|drift|converged|exact)[^\n]*: (met|MISSED)/;

function run(smoke: SmokeRun): Promise<{ code: number | null; failures: string[]; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", smoke.script], { cwd: projectRoot, env: { ...process.env, ...smoke.env, BENCH_SMOKE: "1" }, stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += chunk.toString();
    });
    child.on("exit", (code) => {
      const failures = output.split("\n").filter((line) => CORRECTNESS.test(line) && line.includes("MISSED"));
      resolve({ code, failures, seconds: (Date.now() - started) / 1000 });
    });
  });
}

header("bench:smoke", `Every benchmark once at a tiny size: ${SMOKE_RUNS.map((r) => r.name).join(", ")}.`);
let failed = false;
const lines: string[] = [];
for (const smoke of SMOKE_RUNS) {
  if (smoke.name === "proxy") {
    const checks = haproxyChecks();
    if (!checks.run) {
      console.warn(`bench:proxy (smoke): ${checks.reason}`);
      lines.push(`bench:proxy (smoke): ${checks.reason}`);
      continue;
    }
  }
  const result = await run(smoke);
  const ok = result.code === 0 && result.failures.length === 0;
  failed ||= !ok;
  lines.push(`bench:${smoke.name} (smoke): ${ok ? "ran" : "FAILED"} in ${result.seconds.toFixed(0)} s${result.code !== 0 ? `, exit ${result.code}` : ""}${result.failures.map((f) => `\n    ${f.trim()}`).join("")}`);
}
console.log("\n=== bench:smoke summary ===");
for (const line of lines) console.log(line);
process.exitCode = failed ? 1 : 0;
