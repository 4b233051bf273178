/**
 * Recomputing opinion groups as jobs on pg-boss (issue 11; docs/decisions/0055-opinion-groups-on-pg-boss.md).
 *
 * Every vote change, meta change or import calls {@link OpinionGroupsQueue.request} for its debate;
 * that sends one job to the `opinion-groups` queue with
 *  - `singletonKey` = the debate id, on a queue whose policy is `stately`: pg-boss keeps at most one
 *    job per key *waiting* (state created/retry) and one *active* (unique partial index `job_i3` on
 *    (name, state, singleton_key) WHERE state <= 'active'; pg-boss 10.4.2 src/plans.js). A request
 *    while one waits is folded into it (the insert conflicts: `send` answers null); a request while
 *    one runs gives exactly one more job, which cannot become active before the running one ends
 *    (fetching it would violate the same index, so the fetch is refused): never two computations
 *    of one debate at once, in one process or many;
 *  - `startAfter` = the settle time (2 s): the job waits for the votes to settle;
 *  - `singletonSeconds` = the settle time rounded up to whole seconds, `singletonNextSlot`
 *    (pg-boss's debounce: `job_i4` allows one job per key and time slot; a request in a slot that
 *    already has one goes to the next slot): at most one computation per debate per slot.
 * So a class voting for a minute gives one computation every 2 s plus its run time, not one per vote.
 *
 * Jobs live in PostgreSQL (schema `pgboss`), so a job sent just before a process stops is run by
 * another process, or by this one after its restart; a process that dies while computing leaves
 * its job active until it expires (`expireInSeconds`, 120 s, more than the compute worker's 60 s
 * limit), then pg-boss retries it elsewhere. A database that is away at start does not stop the
 * server: pg-boss is started again every `restartMs` until it answers, and the requests made
 * meanwhile are held in memory and sent then (a read of stale groups asks again anyway).
 */
import { createRequire } from "node:module";
import PgBoss from "pg-boss";
import { ErrorCode, isAppError } from "../../app/shared/errors";
import { isDatabaseUnavailable } from "../database-availability";
import { log } from "../log";
import type { RecomputeOutcome } from "../services/opinion-groups";

/** The queue's name in pgboss.queue. */
export const OPINION_GROUPS_QUEUE = "opinion-groups";
/** pg-boss's own PostgreSQL schema (created and migrated by pg-boss on start). */
export const JOB_SCHEMA = "pgboss";
/** Connections in pg-boss's own pool (next to Prisma's): one polling worker, sends, maintenance. */
export const JOB_POOL_MAX = 3;
/** A job running longer than this (s) is failed and retried: more than the compute worker's 60 s limit. */
export const JOB_EXPIRE_SECONDS = 120;

/** The part of PgBoss this module uses (a fake in unit tests). */
export interface JobBoss {
  on(event: "error", handler: (error: Error) => void): unknown;
  start(): Promise<unknown>;
  createQueue(name: string, options: PgBoss.Queue): Promise<void>;
  send(name: string, data: object, options: PgBoss.SendOptions): Promise<string | null>;
  work(name: string, options: PgBoss.WorkOptions, handler: (jobs: PgBoss.Job<{ debateId: string }>[]) => Promise<unknown>): Promise<string>;
  stop(options: PgBoss.StopOptions): Promise<void>;
  /** Closes the pool of an instance whose start() failed (stop() does nothing before a successful start). */
  abandon(): Promise<void>;
}

/** A computation as the job worker ran it (for tests and operators). */
export interface OpinionGroupsRun {
  debateId: string;
  /** Date.now() at the start and end of the handler (ms). */
  startedAt: number;
  endedAt: number;
  outcome: RecomputeOutcome | "failed";
}

export interface OpinionGroupsQueueOptions {
  /** The same DATABASE_URL as Prisma's. */
  databaseUrl: string;
  /** Recomputes one debate (recomputeOpinionGroups bound to the services). */
  run: (debateId: string) => Promise<RecomputeOutcome>;
  /** Called after a new result is stored (push results:updated to open pages). */
  onComputed: (debateId: string) => void;
  /** How long a job waits for votes to settle (ms; default 2,000). */
  settleMs?: number;
  /** Wait between attempts to start pg-boss while the database is away (ms; default 5,000). */
  restartMs?: number;
  /** How often the worker looks for jobs (s; pg-boss's minimum is 0.5; default 1). */
  pollingIntervalSeconds?: number;
  /** Told about every run of the handler (tests record start and end times). */
  observer?: (run: OpinionGroupsRun) => void;
  /** Makes the pg-boss instance (default: PgBoss on `databaseUrl`, schema pgboss, pool of JOB_POOL_MAX). */
  createBoss?: () => JobBoss;
}

/** PgBoss on the application's database with its own schema and a small pool of its own. */
export function createPgBoss(databaseUrl: string): JobBoss {
  const config = {
    connectionString: databaseUrl,
    schema: JOB_SCHEMA,
    max: JOB_POOL_MAX,
    application_name: "steelman-jobs",
    // Passed on to pg.Pool: a database that is away fails fast instead of hanging start().
    connectionTimeoutMillis: 5_000,
    // No cron schedules; maintenance (expiring, archiving) runs, at most one process at a time (pg-boss locks it).
    schedule: false,
    supervise: true,
    migrate: true,
    // Completed jobs are archived after an hour and deleted after a day: one per debate per few seconds of voting adds up.
    archiveCompletedAfterSeconds: 3_600,
    deleteAfterDays: 1,
  } as PgBoss.ConstructorOptions;
  handleUnawaitedCompletions();
  const boss = new PgBoss(config);
  return Object.assign(boss as unknown as Omit<JobBoss, "abandon">, {
    async abandon() {
      await (boss.getDb() as unknown as { close(): Promise<void> }).close().catch(() => undefined);
    },
  });
}

/**
 * This process's side of the opinion-groups queue: sends jobs (folding a burst of requests for
 * one debate into at most one send in flight and one after it) and runs the jobs it fetches.
 */
export class OpinionGroupsQueue {
  private boss: JobBoss | null = null;
  private started = false;
  private stopped = false;
  private startTimer: NodeJS.Timeout | null = null;
  private starting: Promise<void> | null = null;
  /** The attempt to start in progress, if any (stop() waits for it). */
  private attempting: Promise<void> | null = null;
  /** Requests made before pg-boss started (sent once it has). */
  private readonly held = new Set<string>();
  /** Debates with a send in flight, and those asked for again meanwhile. */
  private readonly sending = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly settleMs: number;
  private readonly restartMs: number;
  private lastStartError = "";

  constructor(private readonly options: OpinionGroupsQueueOptions) {
    this.settleMs = options.settleMs ?? 2_000;
    this.restartMs = options.restartMs ?? 5_000;
  }

  /** Whether pg-boss has started (jobs are being sent and worked). */
  get ready(): boolean {
    return this.started;
  }

  /**
   * Starts pg-boss (creating or migrating its schema and the queue) and this process's worker.
   * Never rejects: when the database is away it logs one line and tries again every `restartMs`.
   * @returns when the first attempt has ended (started or not).
   */
  start(): Promise<void> {
    this.starting ??= this.attempting = this.attempt();
    return this.starting;
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    const boss = (this.options.createBoss ?? (() => createPgBoss(this.options.databaseUrl)))();
    // pg-boss reports pool, maintenance and worker errors as events; unheard, an "error" event would end the process.
    boss.on("error", (error) => this.onBossError(error));
    try {
      await boss.start();
      await boss.createQueue(OPINION_GROUPS_QUEUE, {
        name: OPINION_GROUPS_QUEUE,
        policy: "stately",
        expireInSeconds: JOB_EXPIRE_SECONDS,
        retryLimit: 5,
        retryDelay: 5,
        retryBackoff: true,
      });
      if (this.stopped) {
        await boss.stop({ graceful: false, wait: true });
        return;
      }
      this.boss = boss;
      await boss.work(OPINION_GROUPS_QUEUE, { batchSize: 1, pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 1 }, (jobs) => this.handle(jobs));
      this.started = true;
      if (this.lastStartError) log.warn("The job queue (pg-boss) has started: opinion groups are recomputed again.");
      const held = [...this.held];
      this.held.clear();
      for (const debateId of held) this.request(debateId);
    } catch (error) {
      this.boss = null;
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
      await boss.abandon();
      if (this.stopped) return;
      const message = (error instanceof Error ? error.message : String(error)) || "failed";
      // One line per new reason, not one per attempt.
      if (message !== this.lastStartError) {
        if (isDatabaseUnavailable(error)) log.warn(`The job queue (pg-boss) cannot start: the database is unavailable (${message}); trying again every ${this.restartMs / 1000} s.`);
        else log.error(`Starting the job queue (pg-boss) failed; trying again every ${this.restartMs / 1000} s`, error);
      }
      this.lastStartError = message;
      this.startTimer = setTimeout(() => {
        this.startTimer = null;
        this.attempting = this.attempt();
      }, this.restartMs);
      this.startTimer.unref();
    }
  }

  private onBossError(error: Error): void {
    if (this.stopped) return;
    if (isDatabaseUnavailable(error)) log.warn(`Job queue (pg-boss): the database is unavailable (${error.message}); it keeps trying.`);
    else log.error("Job queue (pg-boss) error", error);
  }

  /**
   * Asks for a recomputation of `debateId` (cheap; call on every vote change). At most one send per
   * debate is in flight in this process; requests meanwhile give one more send after it.
   */
  request(debateId: string): void {
    if (this.stopped) return;
    if (!this.started) {
      this.held.add(debateId);
      return;
    }
    if (this.sending.has(debateId)) {
      this.again.add(debateId);
      return;
    }
    const sent = this.send(debateId).finally(() => {
      this.sending.delete(debateId);
      if (this.again.delete(debateId)) this.request(debateId);
    });
    this.sending.set(debateId, sent);
  }

  private async send(debateId: string): Promise<void> {
    const boss = this.boss;
    if (!boss) return;
    const singletonSeconds = Math.max(1, Math.ceil(this.settleMs / 1000));
    try {
      // null: a job for this debate is already waiting (it will read the votes later), nothing to add.
      await boss.send(OPINION_GROUPS_QUEUE, { debateId }, { singletonKey: debateId, singletonSeconds, singletonNextSlot: true, startAfter: this.settleMs / 1000 });
    } catch (error) {
      if (this.stopped) return;
      if (isDatabaseUnavailable(error)) log.warn(`Opinion groups of debate ${debateId} not queued: the database is unavailable; the next vote or read asks again.`);
      else log.error(`Queueing the opinion groups of debate ${debateId} failed`, error);
    }
  }

  /** The job handler: one debate per job. Throws (so pg-boss retries the job later) when the computation fails. */
  private async handle(jobs: PgBoss.Job<{ debateId: string }>[]): Promise<void> {
    for (const job of jobs) {
      const { debateId } = job.data;
      const startedAt = Date.now();
      let outcome: OpinionGroupsRun["outcome"] = "failed";
      try {
        outcome = await this.options.run(debateId);
        if (outcome === "computed") this.options.onComputed(debateId);
      } catch (error) {
        if (isAppError(error) && error.code === ErrorCode.busy) {
          log.warn(`Opinion groups of debate ${debateId} not recomputed: the database is unavailable; the job is retried.`);
        } else if (!this.stopped) log.error(`Computing the opinion groups of debate ${debateId} failed; the job is retried`, error);
        throw error;
      } finally {
        this.options.observer?.({ debateId, startedAt, endedAt: Date.now(), outcome });
      }
    }
  }

  /**
   * Stops sending and fetching; waits (at most `timeoutMs`) for a running computation to end, then
   * closes pg-boss's pool. A computation still running then is failed, and retried by another process.
   * Jobs still waiting stay in the database for the other processes, or for this one after a restart.
   */
  async stop(timeoutMs = 8_000): Promise<void> {
    this.stopped = true;
    if (this.startTimer) clearTimeout(this.startTimer);
    this.held.clear();
    await this.attempting;
    // Sends in flight are short inserts; a database that stopped answering does not hold the shutdown.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.sending.values()]), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    const boss = this.boss;
    this.boss = null;
    this.started = false;
    await boss?.stop({ graceful: true, wait: true, timeout: Math.max(1_000, timeoutMs) }).catch((error: unknown) => log.warn(`Stopping the job queue: ${error instanceof Error ? error.message : String(error)}`));
  }
}

/**
 * pg-boss 10.4.2 records a job's end with `this.complete(…)` / `this.fail(…)` without awaiting either
 * (node_modules/pg-boss/src/manager.js, `onFetch`). When the database has just gone away, that promise
 * rejects with nobody holding it: an unhandled rejection, which server/index.ts only logs but which fails
 * a test run (seen in tests/integration/database-unavailable.test.ts). Each call's promise gets a handler
 * that says what happened (the job expires and is retried: ADR 0055); callers that await it, ours and
 * pg-boss's own shutdown, still receive the rejection. Idempotent.
 */
function handleUnawaitedCompletions(): void {
  type Completion = ((this: unknown, ...args: unknown[]) => Promise<unknown>) & { handled?: true };
  const manager = (createRequire(import.meta.url)("pg-boss/src/manager.js") as { prototype: Record<"complete" | "fail", Completion> }).prototype;
  for (const name of ["complete", "fail"] as const) {
    const original = manager[name];
    if (original.handled) continue;
    const handled: Completion = function (this: unknown, ...args: unknown[]) {
      const result = original.apply(this, args);
      result.catch((error: unknown) => log.warn(`The job queue could not record a job as ${name === "complete" ? "completed" : "failed"} (${error instanceof Error ? error.message : String(error)}); it expires and is retried.`));
      return result;
    };
    handled.handled = true;
    manager[name] = handled;
  }
}
