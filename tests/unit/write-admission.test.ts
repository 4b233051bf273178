/**
 * WriteAdmission (server/write-admission.ts): the bounded per-process write queue of issue 9
 * ("queue writes per process within a bound, and shed load early"). Invariants: at most
 * `concurrency` writes run at once; a write that finds the queue full, or waits past the bound,
 * is refused with the retryable `busy` and never runs; everything else runs once, in order.
 */
import { describe, expect, it } from "vitest";
import { ErrorCode, isAppError } from "../../app/shared/errors";
import { WriteAdmission } from "../../server/write-admission";

/** A write the test finishes by hand. */
function heldWrite() {
  let finish!: (value: string) => void;
  let ran = false;
  const promise = new Promise<string>((resolve) => (finish = resolve));
  return { write: () => ((ran = true), promise), finish: (v: string) => finish(v), ran: () => ran };
}
const isBusy = (error: unknown) => isAppError(error) && error.code === ErrorCode.busy && error.retryAfterSeconds! > 0;

describe("WriteAdmission", () => {
  it("runs at most `concurrency` writes, queues up to `queueLimit`, refuses the rest as busy without running them", async () => {
    const admission = new WriteAdmission({ concurrency: 2, queueLimit: 1, queueWaitMs: 60_000 });
    const held = [heldWrite(), heldWrite(), heldWrite()];
    const results = held.map((h) => admission.run(h.write));
    await Promise.resolve();
    expect(held.map((h) => h.ran())).toEqual([true, true, false]);
    expect(admission.isFull()).toBe(true);
    let refusedRan = false;
    await expect(admission.run(async () => ((refusedRan = true), "x"))).rejects.toSatisfy(isBusy);
    expect(refusedRan).toBe(false);
    held[0]!.finish("a");
    await expect(results[0]).resolves.toBe("a");
    await new Promise((r) => setTimeout(r, 0));
    expect(held[2]!.ran()).toBe(true);
    held[1]!.finish("b");
    held[2]!.finish("c");
    await expect(Promise.all(results)).resolves.toEqual(["a", "b", "c"]);
    expect(admission.snapshot()).toMatchObject({ running: 0, waiting: 0, admitted: 3, refusedFull: 1, refusedWaited: 0 });
  });

  it("refuses a write that waited past queueWaitMs, and it never runs later", async () => {
    const admission = new WriteAdmission({ concurrency: 1, queueLimit: 10, queueWaitMs: 30 });
    const first = heldWrite();
    const running = admission.run(first.write);
    let lateRan = false;
    await expect(admission.run(async () => ((lateRan = true), "late"))).rejects.toSatisfy(isBusy);
    first.finish("done");
    await running;
    await new Promise((r) => setTimeout(r, 20));
    expect(lateRan).toBe(false);
    expect(admission.snapshot().refusedWaited).toBe(1);
  });

  it("passes a write's own error through unchanged and frees its slot", async () => {
    const admission = new WriteAdmission({ concurrency: 1, queueLimit: 0, queueWaitMs: 1_000 });
    const failure = new Error("constraint");
    await expect(admission.run(async () => Promise.reject(failure))).rejects.toBe(failure);
    await expect(admission.run(async () => "next")).resolves.toBe("next");
  });

  it("rejects nonsensical bounds", () => {
    expect(() => new WriteAdmission({ concurrency: 0, queueLimit: 1, queueWaitMs: 1 })).toThrow(RangeError);
    expect(() => new WriteAdmission({ concurrency: 1, queueLimit: -1, queueWaitMs: 1 })).toThrow(RangeError);
  });
});
