/**
 * `npm run audit`: the production dependencies' known advisories, from the
 * registry's audit endpoint (`npm audit --omit=dev --json`).
 * Exit 0: no high or critical advisory, or the endpoint could not be reached
 * (said in one line: this project's own machine answers 405, see
 * docs/decisions/0062-dependency-audit.md). Exit 1: a high or critical
 * advisory, each printed with its package and title.
 */
import { spawnSync } from "node:child_process";

interface AuditReport {
  metadata?: { vulnerabilities?: Record<string, number> };
  vulnerabilities?: Record<string, { severity: string; via: Array<string | { title?: string; url?: string }> }>;
  error?: { summary?: string };
  /** Present when the endpoint itself refused (npm prints the HTTP failure as the report). */
  message?: string;
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const run = spawnSync(npm, ["audit", "--omit=dev", "--json"], { encoding: "utf8", timeout: 120_000 });
let report: AuditReport | undefined;
try {
  report = JSON.parse(run.stdout) as AuditReport;
} catch {
  report = undefined;
}
if (!report || report.error || !report.metadata?.vulnerabilities) {
  const why = report?.error?.summary || report?.message || (run.stderr.split("\n").find((l) => /error|405|ENOTFOUND|ETIMEDOUT/i.test(l)) || "no answer");
  console.log(`npm audit: the advisory endpoint could not be reached (${why.trim()}); dependencies were not checked. See docs/decisions/0062-dependency-audit.md.`);
  process.exit(0);
}
const counts = report.metadata.vulnerabilities;
const serious = Object.entries(report.vulnerabilities ?? {}).filter(([, v]) => v.severity === "high" || v.severity === "critical");
console.log(`npm audit (production dependencies): ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(", ")}`);
for (const [name, v] of serious) {
  const titles = v.via.map((via) => (typeof via === "string" ? `through ${via}` : `${via.title ?? ""} ${via.url ?? ""}`.trim()));
  console.log(`  ${v.severity}: ${name}: ${titles.join("; ")}`);
}
process.exit(serious.length > 0 ? 1 : 0);
