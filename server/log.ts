/** Minimal leveled logger (LOG_LEVEL: silent | error | info). Errors go to stderr with their stack. */
const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "error" : "info");
export const log = {
  info(...args: unknown[]) {
    if (level === "info") console.log(...args);
  },
  error(message: string, error?: unknown) {
    if (level !== "silent") console.error(message, error instanceof Error ? error.stack : (error ?? ""));
  },
};
