/**
 * Runs the heavy pure computations (opinion groups, bridging, Polis import
 * parsing) in one worker thread (node:worker_threads), so the server's event
 * loop keeps answering while they run.
 *
 * The main thread only encodes the votes into typed arrays (transferred, not
 * copied) and receives the result; what that costs in event-loop blocking is
 * measured by `npm run bench:groups` (docs/performance.md).
 *
 * One worker, started on first use, jobs answered in order. A job that throws
 * rejects with the same kind of error (PolisImportError keeps its file, line
 * and column); a job that runs past its time limit, or a worker that dies,
 * rejects its jobs with ComputeUnavailableError and the next job starts a
 * fresh worker. `close()` ends the worker; an idle worker does not keep the
 * process alive.
 */
import { Worker } from "node:worker_threads";
import type { ArgumentRating, BridgingOptions, BridgingResult } from "../domain/bridging/bridging";
import { opinionInputEncoder } from "../domain/opinion-groups/vote-matrix";
import type { EncodedOpinionInput, OpinionGroupsOptions, OpinionGroupsResult, OpinionInput } from "../domain/opinion-groups/types";
import { PolisImportError } from "../domain/polis-import/csv";
import type { PolisConversation, PolisExportFiles } from "../domain/polis-import/parse";
import type { ComputeTaskName, ComputeTasks, SerializedError, WorkerReply } from "./tasks";

/** The computation could not run to the end (time limit, worker crash, runner closed). */
export class ComputeUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ComputeUnavailableError";
  }
}

export interface ComputeRunnerOptions {
  /** Longest a job may run before the worker is ended and the job rejected (default 60 s). */
  timeoutMs?: number;
}

/** Per-job limits. */
export interface JobLimits {
  /** Overrides the runner's time limit for this job (ms, counted from the call, queueing included). */
  timeoutMs?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  task: ComputeTaskName;
}

/** Votes encoded per slice of main-thread work (about 5 ms on this project's 2-core machine). */
export const ENCODE_CHUNK = 10_000;

/** Encodes object input on the main thread in slices, yielding to the event loop between them. */
async function encodeYielding(input: OpinionInput): Promise<EncodedOpinionInput> {
  const encoder = opinionInputEncoder(input);
  for (let from = 0; from < input.votes.length; from += ENCODE_CHUNK) {
    if (from > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    encoder.encode(from, Math.min(input.votes.length, from + ENCODE_CHUNK));
  }
  return encoder.result;
}

const BOOTSTRAP = new URL("./worker-bootstrap.mjs", import.meta.url);
const ENTRY = new URL("./worker.ts", import.meta.url).href;

function revive(e: SerializedError): Error {
  if (e.name === "PolisImportError" && e.file !== undefined && e.problem !== undefined) {
    return new PolisImportError(e.file, e.line ?? null, e.column ?? null, e.columnName ?? null, e.problem);
  }
  const Kind = e.name === "RangeError" ? RangeError : e.name === "TypeError" ? TypeError : Error;
  const error = new Kind(e.message);
  if (Kind === Error && e.name !== "Error") error.name = e.name;
  return error;
}

export class ComputeRunner {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private readonly timeoutMs: number;

  constructor(options: ComputeRunnerOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /**
   * Opinion groups of a debate, computed in the worker.
   * @param input object input (encoded here, {@link ENCODE_CHUNK} votes at a time, yielding to the
   *   event loop in between) or already encoded input (its buffers are transferred and become unusable here)
   * @throws TypeError for inconsistent input (from encoding), ComputeUnavailableError (time limit, crash, closed)
   */
  async opinionGroups(input: OpinionInput | EncodedOpinionInput, options?: Partial<OpinionGroupsOptions>, limits?: JobLimits): Promise<OpinionGroupsResult> {
    const encoded = "voteValue" in input ? input : await encodeYielding(input);
    const transfer = [encoded.voteParticipant.buffer, encoded.voteProposition.buffer, encoded.voteValue.buffer, encoded.excluded.buffer] as ArrayBuffer[];
    return this.run("opinionGroups", { input: encoded, options }, transfer, limits);
  }

  /** Bridging scores ({@link scoreBridging}); `sides` maps rater id → side of the main divide for the fallback's flag. */
  bridging(ratings: ArgumentRating[], argumentIds?: string[], sides?: Map<string, -1 | 1>, options?: Partial<BridgingOptions>, limits?: JobLimits): Promise<BridgingResult> {
    return this.run("bridging", { ratings, argumentIds, sides, options }, [], limits);
  }

  /** Parses a Polis export ({@link parsePolisExport}); rejects with PolisImportError naming file, line and column. */
  parsePolisExport(files: PolisExportFiles, limits?: JobLimits): Promise<PolisConversation> {
    return this.run("parsePolisExport", { files }, [], limits);
  }

  /**
   * Starts the worker and loads its code (1–3 s on this project's 2-core machine, most of it
   * compiling TypeScript), so that the first real job does not pay for it. Call at server start.
   */
  async warmUp(): Promise<void> {
    await this.run("bridging", { ratings: [] }, []);
  }

  /** Ends the worker; pending jobs reject with ComputeUnavailableError. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.failAll(new ComputeUnavailableError("The computation was stopped because the server is shutting down."));
    if (worker) await worker.terminate();
  }

  private run<K extends ComputeTaskName>(task: K, args: ComputeTasks[K]["args"], transfer: ArrayBuffer[], limits?: JobLimits): Promise<ComputeTasks[K]["result"]> {
    if (this.closed) return Promise.reject(new ComputeUnavailableError("The compute runner is closed."));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const timeoutMs = limits?.timeoutMs ?? this.timeoutMs;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // A runaway job: end the worker (and with it this job and any queued behind it); later jobs get a fresh one.
        this.restart(new ComputeUnavailableError(`The ${task} computation took longer than ${timeoutMs / 1000} s and was stopped.`));
      }, timeoutMs);
      timer.unref();
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer, task });
      worker.ref();
      worker.postMessage({ id, task, args }, transfer);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY }, name: "steelman-compute" });
    worker.unref();
    worker.on("message", (reply: WorkerReply) => {
      const job = this.pending.get(reply.id);
      if (!job) return;
      this.pending.delete(reply.id);
      clearTimeout(job.timer);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) job.resolve(reply.result);
      else job.reject(revive(reply.error));
    });
    worker.on("error", (error) => {
      if (this.worker === worker) this.restart(new ComputeUnavailableError(`The compute worker failed: ${error.message}`));
    });
    worker.on("exit", (code) => {
      if (this.worker === worker) this.restart(new ComputeUnavailableError(`The compute worker stopped unexpectedly (exit code ${code}).`));
    });
    this.worker = worker;
    return worker;
  }

  private restart(reason: ComputeUnavailableError): void {
    const worker = this.worker;
    this.worker = null;
    this.failAll(reason);
    if (worker) void worker.terminate();
  }

  private failAll(reason: Error): void {
    for (const [id, job] of this.pending) {
      clearTimeout(job.timer);
      job.reject(reason);
      this.pending.delete(id);
    }
  }
}
