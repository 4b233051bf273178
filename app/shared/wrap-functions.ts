/**
 * A copy of an object of functions (the services, see server/services/index.ts)
 * whose every function runs through `around`, which receives a thunk calling
 * the original with its arguments and returns what the caller gets. Other
 * properties are copied as they are. Used for the cross-cutting wrappers of
 * the services: retryable database errors (server/database-availability.ts),
 * the shutdown drain (server/drain.ts) and 503 pages (app/utils/errors.server.ts).
 */
export function wrapFunctions<T extends object>(target: T, around: (call: () => unknown) => unknown): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(target)) {
    wrapped[name] = typeof value === "function" ? (...args: unknown[]) => around(() => (value as (...a: unknown[]) => unknown).apply(target, args)) : value;
  }
  return wrapped as T;
}

/**
 * Runs `call` and maps what it throws, synchronously or as a rejected promise,
 * through `mapError`; a synchronous result stays synchronous.
 */
export function mapThrown(call: () => unknown, mapError: (error: unknown) => unknown): unknown {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    throw mapError(error);
  }
  return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(mapError(error))) : result;
}
