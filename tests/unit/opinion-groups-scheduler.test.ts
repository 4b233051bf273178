/**
 * OpinionGroupsScheduler (server/services/opinion-groups.ts): requests settle
 * before a run, a burst gives one run, a request during a run gives exactly
 * one more run after it, a debate another process is computing ("busy") is
 * tried again, and close() stops everything. Fake timers; no database.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { OpinionGroupsScheduler, type RecomputeOutcome } from "../../server/services/opinion-groups";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A run whose end the test decides. */
function controllableRun(outcomes: RecomputeOutcome[] = []) {
  const calls: string[] = [];
  const finishers: (() => void)[] = [];
  const run = (debateId: string) =>
    new Promise<RecomputeOutcome>((resolve) => {
      calls.push(debateId);
      finishers.push(() => resolve(outcomes.shift() ?? "computed"));
    });
  return { run, calls, finishAll: () => finishers.splice(0).forEach((f) => f()) };
}

describe("OpinionGroupsScheduler", () => {
  it("waits for votes to settle and folds a burst of requests into one run per debate", async () => {
    const { run, calls, finishAll } = controllableRun();
    const computed: string[] = [];
    const scheduler = new OpinionGroupsScheduler(run, (id) => computed.push(id), 2_000);
    for (let i = 0; i < 50; i++) scheduler.request("a");
    scheduler.request("b");
    await vi.advanceTimersByTimeAsync(1_999);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.sort()).toEqual(["a", "b"]);
    finishAll();
    await vi.runOnlyPendingTimersAsync();
    expect(computed.sort()).toEqual(["a", "b"]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(2);
  });

  it("a request during a run gives exactly one more run, after the settle time", async () => {
    const { run, calls, finishAll } = controllableRun();
    const scheduler = new OpinionGroupsScheduler(run, () => undefined, 1_000);
    scheduler.request("a");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toEqual(["a"]);
    scheduler.request("a");
    scheduler.request("a");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toEqual(["a"]); // never two runs of one debate at once
    finishAll();
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toEqual(["a"]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(["a", "a"]);
  });

  it("tries a debate again when another process holds its lease, and only tells pages about new results", async () => {
    const { run, calls, finishAll } = controllableRun(["busy", "current"]);
    const computed: string[] = [];
    const scheduler = new OpinionGroupsScheduler(run, (id) => computed.push(id), 1_000);
    scheduler.request("a");
    await vi.advanceTimersByTimeAsync(1_000);
    finishAll();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toEqual(["a", "a"]);
    finishAll();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toEqual(["a", "a"]);
    expect(computed).toEqual([]);
  });

  it("close() drops waiting requests and ignores new ones", async () => {
    const { run, calls } = controllableRun();
    const scheduler = new OpinionGroupsScheduler(run, () => undefined, 1_000);
    scheduler.request("a");
    await scheduler.close();
    scheduler.request("b");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toEqual([]);
  });
});
