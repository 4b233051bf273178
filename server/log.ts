/**
 * Minimal leveled logger (LOG_LEVEL: silent | error | warn | info; default info, error under tests).
 * Errors go to stderr with their stack; warnings are one line on stderr, for conditions the server
 * recovers from by itself (the database away for a moment: docs/decisions/0061-retryable-database-errors.md).
 */
const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "error" : "info");
export const log = {
  info(...args: unknown[]) {
    if (level === "info") console.log(...args);
  },
  warn(message: string) {
    if (level === "info" || level === "warn") console.warn(message);
  },
  error(message: string, error?: unknown) {
    if (level !== "silent") console.error(message, error instanceof Error ? error.stack : (error ?? ""));
  },
};
