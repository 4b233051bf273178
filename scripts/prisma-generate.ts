/**
 * Runs `prisma generate` offline (see docs/decisions/0002-offline-migrations.md).
 *
 * Every Prisma CLI command first tries to download the native schema engine from
 * Prisma's binary host, which this project's machines cannot reach. `generate` never
 * executes that engine, so pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing
 * executable (here: this Node binary) skips the download. No DATABASE_URL is needed.
 *
 * Usage: `npm run prisma:generate` (extra arguments are passed on to `prisma generate`).
 * Exits with the CLI's exit code; non-zero on failure.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cli = path.join(root, "node_modules", "prisma", "build", "index.js");

const env: NodeJS.ProcessEnv = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  PRISMA_SKIP_POSTINSTALL_GENERATE: "1",
  CHECKPOINT_DISABLE: "1",
  PRISMA_GENERATE_NO_HINTS: "1",
};

const result = spawnSync(
  process.execPath,
  [cli, "generate", "--schema", path.join(root, "prisma", "schema.prisma"), ...process.argv.slice(2)],
  { cwd: root, env, stdio: "inherit" },
);

if (result.error) {
  console.error(`prisma generate could not start: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
