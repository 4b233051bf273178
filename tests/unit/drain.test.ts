/** Graceful shutdown's drain (server/drain.ts): calls in flight finish, new ones are refused as busy, the wait is bounded. */
import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../app/shared/errors";
import { createDrain } from "../../server/drain";

const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe("createDrain", () => {
  it("waits for calls in flight, then refuses new ones with busy", async () => {
    const drain = createDrain();
    const services = drain.track({ slow: (ms: number) => later(ms, "done"), fail: async () => Promise.reject(new Error("boom")) });
    const inFlight = services.slow(50);
    await expect(services.fail()).rejects.toThrow("boom");
    expect(drain.inFlight).toBe(1);
    const drained = drain.drain(5_000);
    expect(drain.draining).toBe(true);
    await expect(services.slow(1)).rejects.toMatchObject({ code: ErrorCode.busy });
    await expect(inFlight).resolves.toBe("done");
    await expect(drained).resolves.toEqual({ unfinished: 0 });
    expect(drain.inFlight).toBe(0);
  });

  it("gives up after its timeout and says how many calls were unfinished", async () => {
    const drain = createDrain();
    const services = drain.track({ hang: () => new Promise<never>(() => undefined) });
    void services.hang();
    void services.hang();
    await expect(drain.drain(30)).resolves.toEqual({ unfinished: 2 });
  });

  it("resolves at once with nothing in flight", async () => {
    await expect(createDrain().drain(10_000)).resolves.toEqual({ unfinished: 0 });
  });
});
