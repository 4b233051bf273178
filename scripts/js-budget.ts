/**
 * The debate page's JavaScript budget, run by `npm run build` after `react-router build`:
 * prints the page's first-load scripts (raw, Brotli, gzip bytes; scripts/lib/first-load.ts) and
 * exits 1 when their compressed size passes the budget (issue 21: a student's phone on a slow link).
 * The budget applies to the gzip total, the larger of the two encodings the server sends (Brotli to
 * every current browser, gzip to older ones). `--list` prints every script.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { firstLoad, kb } from "./lib/first-load";

/** The debate page's first-load JavaScript may not pass this many compressed (gzip) bytes. */
export const DEBATE_PAGE_JS_BUDGET_BYTES = 170_000;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const load = firstLoad(path.join(root, "build", "client"), "routes/debate");
if (process.argv.includes("--list")) {
  for (const s of load.scripts) console.log(`  ${s.url.padEnd(60)} ${kb(s.raw).padStart(10)} raw ${kb(s.brotli).padStart(10)} br ${kb(s.gzip).padStart(10)} gzip`);
}
const within = load.gzip <= DEBATE_PAGE_JS_BUDGET_BYTES;
console.log(
  `Debate page first-load JavaScript: ${load.scripts.length} scripts, ${kb(load.raw)} raw, ${kb(load.brotli)} Brotli, ${kb(load.gzip)} gzip; budget ${kb(DEBATE_PAGE_JS_BUDGET_BYTES)} compressed: ${within ? "within" : "OVER"}`,
);
if (!within) {
  console.error(`The debate page's first-load JavaScript (${kb(load.gzip)} gzip) is over its budget of ${kb(DEBATE_PAGE_JS_BUDGET_BYTES)}. Run \`ANALYZE=1 npm run build\` and open build/stats.html to see what grew; \`npx tsx scripts/js-budget.ts --list\` lists the scripts.`);
  process.exit(1);
}
