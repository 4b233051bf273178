/**
 * Admission of writes in one server process: at most `concurrency` writes run at once, at most
 * `queueLimit` more wait their turn, and none waits longer than `queueWaitMs`. A write that
 * finds the queue full, or waits too long, is refused with the retryable `busy` error
 * (HTTP 503 + Retry-After, socket acknowledgement `{ code: "busy", retryAfterSeconds }`), which
 * clients resend with the same operation id, so nothing acknowledged is lost and nothing is
 * applied twice. HTTP writes are refused before their body is read (`shedWhenFull`).
 * Why and how the bounds were chosen: docs/decisions/0064-bounded-write-queue.md.
 *
 * The queue itself is p-queue (sindresorhus/p-queue): FIFO, with removal of a waiting task
 * when its AbortSignal fires.
 */
import PQueue from "p-queue";
import type { NextFunction, Request, Response } from "express";
import { busyError } from "./database-availability";
import { ErrorCode, isAppError } from "../app/shared/errors";

export interface WriteAdmissionOptions {
  /** Writes running at once (default: twice the database pool, as writes also wait on locks and sockets). */
  concurrency: number;
  /** Writes waiting beyond those (default 500). */
  queueLimit: number;
  /** Longest wait in the queue before a `busy` refusal, in ms (default 10,000). */
  queueWaitMs: number;
}

/** Counters since start: admitted, refused because the queue was full, refused after waiting too long. */
export interface WriteAdmissionStats {
  running: number;
  waiting: number;
  admitted: number;
  refusedFull: number;
  refusedWaited: number;
}

export class WriteAdmission {
  private readonly queue: PQueue;
  private readonly stats = { admitted: 0, refusedFull: 0, refusedWaited: 0 };

  constructor(readonly options: WriteAdmissionOptions) {
    if (!(options.concurrency >= 1) || !(options.queueLimit >= 0) || !(options.queueWaitMs >= 1)) {
      throw new RangeError(`WriteAdmission needs concurrency ≥ 1, queueLimit ≥ 0 and queueWaitMs ≥ 1 (got ${JSON.stringify(options)}).`);
    }
    this.queue = new PQueue({ concurrency: options.concurrency });
  }

  /** Whether a new write would be refused at once (every slot busy and the queue full). */
  isFull(): boolean {
    return this.queue.pending >= this.options.concurrency && this.queue.size >= this.options.queueLimit;
  }

  /**
   * Runs `write` when a slot is free.
   * @returns what `write` returns.
   * @throws AppError `busy` when the queue is full or the wait passed `queueWaitMs` (`write` has
   *   then not run); otherwise whatever `write` throws.
   */
  async run<T>(write: () => Promise<T>): Promise<T> {
    if (this.isFull()) {
      this.stats.refusedFull++;
      throw busyError();
    }
    const waited = new AbortController();
    const timer = setTimeout(() => waited.abort(), this.options.queueWaitMs);
    timer.unref?.();
    let started = false;
    try {
      return await this.queue.add(
        () => {
          started = true;
          clearTimeout(timer);
          this.stats.admitted++;
          return write();
        },
        { signal: waited.signal },
      );
    } catch (error) {
      if (!started && waited.signal.aborted) {
        this.stats.refusedWaited++;
        throw busyError();
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Counters for /metrics and tests. */
  snapshot(): WriteAdmissionStats {
    return { running: this.queue.pending, waiting: this.queue.size, ...this.stats };
  }

  /**
   * Express middleware for writes (POST, PUT, PATCH, DELETE): refuses with 503 + Retry-After
   * before the body is read when the queue is full, otherwise holds a slot until the response
   * ends. Reads pass through untouched.
   */
  httpMiddleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
      this.run(
        () =>
          new Promise<void>((done) => {
            res.once("close", () => done());
            next();
          }),
      ).catch((error: unknown) => {
        if (res.headersSent) return;
        const busy = isAppError(error) && error.code === ErrorCode.busy ? error : busyError();
        res.setHeader("Retry-After", String(busy.retryAfterSeconds ?? 2));
        res.setHeader("Connection", "close"); // the unread body is not drained on a kept-alive connection
        const body = { error: busy.toBody() };
        if (req.path.startsWith("/api/") || !(req.headers.accept ?? "").includes("text/html")) res.status(503).json(body);
        else res.status(503).type("html").send(`<!doctype html><html lang="en"><meta charset="utf-8"><title>Busy: not saved yet</title><main><h1>The server is busy</h1><p>${busy.message.replace(/[<>&]/g, "")}</p><p>Go back and send it again in a few seconds; nothing was saved twice.</p></main></html>`);
      });
    };
  }
}
