/**
 * OpinionGroupsQueue (server/jobs/opinion-groups-queue.ts), this process's side of the pg-boss
 * queue that recomputes opinion groups, against a fake pg-boss (no database): the queue is
 * `stately` and every job is keyed by its debate, settles (startAfter) and is debounced
 * (singletonSeconds + next slot); a burst of requests gives at most one send in flight per debate
 * and one after it; requests made before pg-boss could start are sent once it has, and a start
 * that failed because the database is away is tried again; the handler stores through `run`,
 * tells pages only about new results and rethrows failures (so pg-boss retries); stop() is
 * graceful and final. What pg-boss itself guarantees across processes is exercised on a real
 * database in tests/integration/opinion-groups-jobs.test.ts.
 */
import type PgBoss from "pg-boss";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { OPINION_GROUPS_QUEUE, OpinionGroupsQueue, type JobBoss, type OpinionGroupsRun } from "../../server/jobs/opinion-groups-queue";
import type { RecomputeOutcome } from "../../server/services/opinion-groups";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

type Handler = (jobs: PgBoss.Job<{ debateId: string }>[]) => Promise<unknown>;

/** A pg-boss stand-in: records calls; sends resolve when the test says; start may fail. */
function fakeBoss(options: { failStart?: Error } = {}) {
  const sends: { name: string; data: { debateId: string }; options: PgBoss.SendOptions; resolve: (id: string | null) => void }[] = [];
  const state = { handler: null as Handler | null, queue: null as PgBoss.Queue | null, stopped: null as PgBoss.StopOptions | null, abandoned: false, errorListeners: 0 };
  const boss: JobBoss = {
    on: () => {
      state.errorListeners += 1;
      return boss;
    },
    start: async () => {
      if (options.failStart) throw options.failStart;
    },
    createQueue: async (_name, queue) => {
      state.queue = queue;
    },
    send: (name, data, sendOptions) => new Promise((resolve) => sends.push({ name, data: data as { debateId: string }, options: sendOptions, resolve })),
    work: async (_name, _options, handler) => {
      state.handler = handler;
      return "worker";
    },
    stop: async (stopOptions) => {
      state.stopped = stopOptions;
    },
    abandon: async () => {
      state.abandoned = true;
    },
  };
  return { boss, sends, state };
}

const job = (debateId: string) => ({ id: `job-${debateId}`, name: OPINION_GROUPS_QUEUE, data: { debateId }, expireInSeconds: 120 });

function queueWith(boss: JobBoss | (() => JobBoss), run: (id: string) => Promise<RecomputeOutcome> = async () => "computed") {
  const computed: string[] = [];
  const runs: OpinionGroupsRun[] = [];
  const queue = new OpinionGroupsQueue({
    databaseUrl: "postgres://unused",
    run,
    onComputed: (id) => computed.push(id),
    settleMs: 2_000,
    restartMs: 5_000,
    observer: (r) => runs.push(r),
    createBoss: typeof boss === "function" ? boss : () => boss,
  });
  return { queue, computed, runs };
}

describe("OpinionGroupsQueue", () => {
  it("creates a stately queue and sends one job per debate keyed by it, settled and debounced", async () => {
    const fake = fakeBoss();
    const { queue } = queueWith(fake.boss);
    await queue.start();
    expect(fake.state.queue).toMatchObject({ name: OPINION_GROUPS_QUEUE, policy: "stately", expireInSeconds: 120 });
    expect(fake.state.errorListeners).toBe(1);
    queue.request("a");
    expect(fake.sends).toHaveLength(1);
    expect(fake.sends[0]).toMatchObject({ name: OPINION_GROUPS_QUEUE, data: { debateId: "a" }, options: { singletonKey: "a", singletonSeconds: 2, singletonNextSlot: true, startAfter: 2 } });
    fake.sends[0]!.resolve("id");
    await queue.stop();
  });

  it("a burst of requests gives at most one send in flight per debate and exactly one after it", async () => {
    const fake = fakeBoss();
    const { queue } = queueWith(fake.boss);
    await queue.start();
    for (let i = 0; i < 50; i++) queue.request("a");
    queue.request("b");
    expect(fake.sends.map((s) => s.data.debateId)).toEqual(["a", "b"]);
    fake.sends[0]!.resolve(null); // a job for "a" was already waiting: pg-boss folded it
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.sends.map((s) => s.data.debateId)).toEqual(["a", "b", "a"]);
    fake.sends[2]!.resolve("id");
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.sends).toHaveLength(3);
    fake.sends[1]!.resolve("id");
    await queue.stop();
  });

  it("holds requests while pg-boss cannot start (database away), tries again, and sends them once it has started", async () => {
    const away = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const failing = fakeBoss({ failStart: away });
    const working = fakeBoss();
    const made: JobBoss[] = [];
    const { queue } = queueWith(() => {
      const next = made.length === 0 ? failing.boss : working.boss;
      made.push(next);
      return next;
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    await queue.start(); // resolves although pg-boss did not start
    expect(queue.ready).toBe(false);
    expect(failing.state.abandoned).toBe(true);
    queue.request("a");
    queue.request("a");
    expect(failing.sends).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(made).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(made).toHaveLength(2);
    expect(queue.ready).toBe(true);
    expect(working.sends.map((s) => s.data.debateId)).toEqual(["a"]);
    working.sends[0]!.resolve("id");
    await queue.stop();
    warn.mockRestore();
  });

  it("the handler computes, tells pages only about new results, reports every run and rethrows failures", async () => {
    const fake = fakeBoss();
    const outcomes: (RecomputeOutcome | Error)[] = ["computed", "current", new Error("worker crashed")];
    const { queue, computed, runs } = queueWith(fake.boss, async () => {
      const next = outcomes.shift()!;
      if (next instanceof Error) throw next;
      return next;
    });
    await queue.start();
    const handler = fake.state.handler!;
    await handler([job("a")]);
    await handler([job("b")]);
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    await expect(handler([job("c")])).rejects.toThrow("worker crashed");
    error.mockRestore();
    expect(computed).toEqual(["a"]);
    expect(runs.map((r) => [r.debateId, r.outcome])).toEqual([
      ["a", "computed"],
      ["b", "current"],
      ["c", "failed"],
    ]);
    expect(runs.every((r) => r.endedAt >= r.startedAt)).toBe(true);
    await queue.stop();
  });

  it("stop() stops pg-boss gracefully within the timeout, and ignores later requests and pending restarts", async () => {
    const fake = fakeBoss();
    const { queue } = queueWith(fake.boss);
    await queue.start();
    await queue.stop(3_000);
    expect(fake.state.stopped).toEqual({ graceful: true, wait: true, timeout: 3_000 });
    queue.request("a");
    expect(fake.sends).toHaveLength(0);

    const away = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    let made = 0;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { queue: retrying } = queueWith(() => {
      made += 1;
      return fakeBoss({ failStart: away }).boss;
    });
    await retrying.start();
    await retrying.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(made).toBe(1);
    warn.mockRestore();
  });
});
