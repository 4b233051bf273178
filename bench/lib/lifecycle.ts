/**
 * Cleanup and time limits for a benchmark run: everything a benchmark starts
 * (server processes, client workers, the scratch database) registers a cleanup
 * here; cleanups run in reverse order on normal end, on error, on Ctrl-C and
 * when the benchmark exceeds its time limit, so no run leaves processes or
 * databases behind.
 */
type Cleanup = () => Promise<void> | void;
const cleanups: Cleanup[] = [];
let running = false;

/** Registers a cleanup; returns a function that runs it early (and unregisters it). */
export function onCleanup(fn: Cleanup): () => Promise<void> {
  cleanups.push(fn);
  return async () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) {
      cleanups.splice(i, 1);
      await fn();
    }
  };
}

export async function runCleanups(): Promise<void> {
  if (running) return;
  running = true;
  while (cleanups.length) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (error) {
      console.error("cleanup failed:", error instanceof Error ? error.message : error);
    }
  }
  running = false;
}

/**
 * Runs a benchmark's main function with a hard time limit; cleans up and sets
 * the exit code (1 on error or timeout).
 */
export function runBenchmark(name: string, limitMs: number, main: () => Promise<void>): void {
  const watchdog = setTimeout(() => {
    console.error(`\n${name}: exceeded its time limit of ${Math.round(limitMs / 1000)} s; stopping.`);
    void runCleanups().finally(() => process.exit(1));
  }, limitMs);
  const stop = (signal: string) => {
    console.error(`\n${name}: ${signal}, cleaning up…`);
    void runCleanups().finally(() => process.exit(130));
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  main()
    .then(
      () => {
        process.exitCode = process.exitCode ?? 0;
      },
      (error) => {
        console.error(`\n${name} failed:`, error instanceof Error ? (error.stack ?? error.message) : error);
        process.exitCode = 1;
      },
    )
    .finally(async () => {
      await runCleanups();
      clearTimeout(watchdog);
      // Sockets or pools left open by a failure must not keep the process alive.
      setTimeout(() => process.exit(), 200).unref();
    });
}
