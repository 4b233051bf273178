/**
 * Graceful shutdown: on SIGTERM a server process stops taking new work,
 * finishes the work it has, and only then closes its sockets (clients then
 * reconnect, through the load balancer, to another process) and its database
 * pool. Nothing acknowledged is lost: a write is acknowledged after its commit,
 * and a write that arrives while draining is refused with the retryable `busy`
 * (docs/decisions/0061-retryable-database-errors.md), which the client resends
 * with the same opId to the process it reconnects to.
 * See docs/decisions/0063-graceful-shutdown.md.
 */
import { wrapFunctions } from "../app/shared/wrap-functions";
import { busyError } from "./database-availability";

export interface Drain {
  /** True once drain() has been called: /healthz answers 503 so balancers stop sending work here. */
  readonly draining: boolean;
  /** Service calls started and not yet settled. */
  readonly inFlight: number;
  /**
   * Wraps every function of `services`: counts calls in flight, and once
   * draining refuses new calls with a promise rejected with the retryable
   * `busy` AppError (every service is async).
   */
  track<T extends object>(services: T): T;
  /**
   * Starts draining and resolves when no call is in flight, or after
   * `timeoutMs` (whichever comes first), with how many were still running.
   */
  drain(timeoutMs: number): Promise<{ unfinished: number }>;
}

/** A drain for one server process (server/app.ts). */
export function createDrain(): Drain {
  let draining = false;
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const settle = () => {
    inFlight -= 1;
    if (inFlight === 0) idle?.();
  };
  return {
    get draining() {
      return draining;
    },
    get inFlight() {
      return inFlight;
    },
    track<T extends object>(services: T): T {
      return wrapFunctions(services, (call) => {
        if (draining) return Promise.reject(busyError());
        inFlight += 1;
        let result: unknown;
        try {
          result = call();
        } catch (error) {
          settle();
          throw error;
        }
        if (result instanceof Promise) return result.finally(settle);
        settle();
        return result;
      });
    },
    drain(timeoutMs) {
      draining = true;
      if (inFlight === 0) return Promise.resolve({ unfinished: 0 });
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ unfinished: inFlight }), timeoutMs);
        idle = () => {
          clearTimeout(timer);
          resolve({ unfinished: 0 });
        };
      });
    },
  };
}
