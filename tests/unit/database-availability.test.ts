/**
 * Which database errors are answered as the retryable `busy` (server/database-availability.ts).
 * The shapes are those Prisma 7 with @prisma/adapter-pg threw on this machine for a
 * transaction that waited too long, a connection ended by pg_terminate_backend, and a
 * server that refused connections.
 */
import { describe, expect, it } from "vitest";
import { AppError, ErrorCode, validationError } from "../../app/shared/errors";
import { asRetryable, isDatabaseUnavailable, withRetryableDatabaseErrors } from "../../server/database-availability";

const prismaError = (code: string, message: string, cause?: object) => Object.assign(new Error(message), { name: "PrismaClientKnownRequestError", code, meta: cause ? { driverAdapterError: Object.assign(new Error("DriverAdapterError"), { cause }) } : {} });

describe("isDatabaseUnavailable", () => {
  it.each([
    ["a transaction that could not start in time (P2028)", prismaError("P2028", "Transaction API error: Unable to start a transaction in the given time.")],
    ["a connection ended by the administrator (57P01 inside the adapter error)", prismaError("P2010", "Raw query failed. Code: `57P01`.", { kind: "postgres", code: "57P01", originalCode: "57P01" })],
    ["an unreachable server (DatabaseNotReachable)", prismaError("P2010", "Raw query failed.", { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5999 })],
    ["an unreachable server on a transaction (P1001)", prismaError("P1001", "Can't reach database server at 127.0.0.1:5999")],
    ["pg's connection terminated without a code", new Error("Connection terminated unexpectedly")],
    ["a connection exception (class 08)", Object.assign(new Error("x"), { code: "08006" })],
    ["a refused TCP connection", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })],
    ["a deadlock (40P01) in a cause chain", new Error("outer", { cause: Object.assign(new Error("deadlock detected"), { code: "40P01" }) })],
  ])("is true for %s", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ["a unique violation (P2002)", prismaError("P2002", "Unique constraint failed")],
    ["a record that was not found (P2025)", prismaError("P2025", "No record was found")],
    ["a syntax error (42601)", prismaError("P2010", "Raw query failed.", { kind: "postgres", code: "42601", originalCode: "42601" })],
    ["a programming error", new TypeError("Cannot read properties of undefined")],
    ["a value that is not an error", "busy"],
    ["null", null],
  ])("is false for %s", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it("stops on a cause cycle", () => {
    const a: { code?: string; cause?: unknown } = { code: "XX000" };
    a.cause = { cause: a };
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});

describe("asRetryable and withRetryableDatabaseErrors", () => {
  it("turns an availability error into busy with a retry hint and leaves the rest alone", () => {
    const busy = asRetryable(prismaError("P2028", "Unable to start a transaction in the given time"));
    expect(busy).toBeInstanceOf(AppError);
    expect((busy as AppError).code).toBe(ErrorCode.busy);
    expect((busy as AppError).retryAfterSeconds).toBeGreaterThan(0);
    const refusal = validationError("Write something first.");
    expect(asRetryable(refusal)).toBe(refusal);
    const bug = new TypeError("bug");
    expect(asRetryable(bug)).toBe(bug);
  });

  it("wraps async service functions, keeps synchronous ones synchronous", async () => {
    const services = withRetryableDatabaseErrors({
      failing: async () => {
        throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
      },
      fine: async (x: number) => x * 2,
      sync: (x: number) => x + 1,
    });
    await expect(services.failing()).rejects.toMatchObject({ code: ErrorCode.busy });
    await expect(services.fine(21)).resolves.toBe(42);
    expect(services.sync(1)).toBe(2);
  });
});
