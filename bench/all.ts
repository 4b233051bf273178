/**
 * `npm run bench`: runs the five benchmarks one after another (each as its own
 * `npm run bench:<name>`, so each starts and stops its own server and
 * database), shows their output as it comes, carries on past a failure, and
 * ends with every verdict line (targets met / MISSED) and each exit status.
 * Takes about 8 minutes on a 2-core machine (bench:large includes `npm run build`).
 */
import { spawn } from "node:child_process";
import { header, projectRoot } from "./lib/report";

const NAMES = ["fanout", "votes", "large", "memory", "catchup", "groups"];

function run(name: string): Promise<{ code: number | null; verdicts: string[]; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", `bench:${name}`], { cwd: projectRoot, stdio: ["ignore", "pipe", "inherit"] });
    const verdicts: string[] = [];
    let buffer = "";
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) if (/target .*: (met|MISSED)|: (met|MISSED)$/.test(line)) verdicts.push(line.trim());
    });
    child.on("exit", (code) => resolve({ code, verdicts, seconds: (Date.now() - started) / 1000 }));
  });
}

header("bench (all)", `Runs ${NAMES.map((n) => `bench:${n}`).join(", ")} in sequence.`);
const results: [string, Awaited<ReturnType<typeof run>>][] = [];
for (const name of NAMES) results.push([name, await run(name)]);
console.log("\n=== summary ===");
for (const [name, r] of results) {
  console.log(`bench:${name}: exit ${r.code} after ${r.seconds.toFixed(0)} s`);
  for (const v of r.verdicts) console.log(`  ${v}`);
}
process.exitCode = results.some(([, r]) => r.code !== 0) ? 1 : 0;
