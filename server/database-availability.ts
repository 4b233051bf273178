/**
 * When the database cannot serve a request right now, the caller gets a
 * retryable answer instead of a generic failure: `AppError` with code `busy`
 * (HTTP 503 + Retry-After, a socket acknowledgement `{ code: "busy",
 * retryAfterSeconds }`), which the client's outbox resends with the same
 * operation id, so a retried write is applied once (docs/decisions/0061-retryable-database-errors.md).
 *
 * "Cannot serve right now" means: no pooled connection or transaction slot
 * within the wait bound (Prisma P2024 / P2028), the server unreachable or
 * refusing (ECONNREFUSED, `DatabaseNotReachable`, SQLSTATE 57P03 "cannot
 * connect now", 53300 too many connections), a connection ended under the
 * query (57P01 administrator command, 57P02 crash, class 08 connection
 * exceptions, "Connection terminated"), and serialisation failures or
 * deadlocks (40001, 40P01). SQLSTATE codes: PostgreSQL manual, Appendix A.
 * Prisma codes: https://www.prisma.io/docs/orm/reference/error-reference.
 */
import { AppError, ErrorCode, isAppError } from "../app/shared/errors";
import { mapThrown, wrapFunctions } from "../app/shared/wrap-functions";

/** Prisma error codes that mean "not now" rather than "wrong". */
const RETRYABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028", "P2034"]);
/** Driver-adapter error kinds (@prisma/adapter-pg's convertDriverError) that mean "not now". */
const RETRYABLE_ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "TransactionWriteConflict"]);
/** PostgreSQL SQLSTATEs that mean "not now" (class 08 is matched by prefix). */
const RETRYABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300", "53400", "40001", "40P01"]);
/** Node socket error codes of a connection that failed or broke. */
const RETRYABLE_SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);
/** Messages of pg / pg-pool / Prisma errors that carry no code. */
const RETRYABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Can't reach database server|Unable to start a transaction in the given time|Timed out fetching a new connection|Client has encountered a connection error/i;

/** Seconds a client should wait before resending after a `busy` answer. */
export const BUSY_RETRY_AFTER_SECONDS = 2;

/**
 * Whether `error` (anything thrown by Prisma, the pg driver or pg-pool) means
 * the database could not serve the request now, so the same request may
 * succeed later. Looks through `cause`, Prisma's `meta.driverAdapterError`
 * and its `cause`, up to 6 levels deep. Never throws.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 6) {
    const current = queue.shift();
    if (typeof current !== "object" || current === null || seen.has(current)) continue;
    seen.add(current);
    const e = current as { code?: unknown; kind?: unknown; originalCode?: unknown; message?: unknown; meta?: { driverAdapterError?: unknown }; cause?: unknown };
    if (typeof e.code === "string" && (RETRYABLE_PRISMA_CODES.has(e.code) || RETRYABLE_SQLSTATES.has(e.code) || RETRYABLE_SOCKET_CODES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code))) return true;
    if (typeof e.originalCode === "string" && (RETRYABLE_SQLSTATES.has(e.originalCode) || /^08[0-9A-Z]{3}$/.test(e.originalCode))) return true;
    if (typeof e.kind === "string" && RETRYABLE_ADAPTER_KINDS.has(e.kind)) return true;
    if (typeof e.message === "string" && RETRYABLE_MESSAGES.test(e.message)) return true;
    queue.push(e.meta?.driverAdapterError, e.cause);
  }
  return false;
}

/** The retryable refusal given for a database that cannot serve now. */
export function busyError(): AppError {
  return new AppError(ErrorCode.busy, "The server is busy or reconnecting to its database, so your change has not been saved yet. It will be tried again in a moment.", undefined, BUSY_RETRY_AFTER_SECONDS);
}

/**
 * `error` itself when it is already an AppError or not a database
 * availability problem; else the `busy` AppError (see busyError).
 */
export function asRetryable(error: unknown): unknown {
  if (isAppError(error) || !isDatabaseUnavailable(error)) return error;
  return busyError();
}

/**
 * Wraps every function of `services` (the object from createServices) so that
 * a database availability error becomes the retryable `busy` AppError, in one
 * place for HTTP routes, page loaders/actions and socket handlers. Other
 * errors and results pass through unchanged; a synchronous function stays synchronous.
 */
export function withRetryableDatabaseErrors<T extends object>(services: T): T {
  return wrapFunctions(services, (call) => mapThrown(call, asRetryable));
}
