/**
 * Client worker processes. Socket clients never run in the server's process:
 * a benchmark forks a few workers (`node --import tsx bench/workers/<x>.ts`),
 * each holding a share of the clients, and drives them with request/reply
 * messages over the IPC channel. Two cores: four workers by default.
 *
 * Worker side: `serveRequests(handlers)`; each handler gets the message and
 * returns the reply (or throws, which rejects the caller's promise).
 */
import { fork, type ChildProcess } from "node:child_process";
import { onCleanup } from "./lifecycle";
import { projectRoot } from "./report";

interface Envelope {
  id: number;
  type: string;
  body?: unknown;
  error?: string;
}

export interface Worker {
  index: number;
  child: ChildProcess;
  request<T = unknown>(type: string, body?: unknown, timeoutMs?: number): Promise<T>;
}

export interface WorkerPool {
  workers: Worker[];
  /** The command line of one worker, for the report. */
  command: string;
  /** Sends the same request to every worker (with body(index)) and resolves with every reply. */
  all<T = unknown>(type: string, body?: (index: number) => unknown, timeoutMs?: number): Promise<T[]>;
  stop(): Promise<void>;
}

/** Forks `count` workers running `script` (relative to the project root). */
export function startWorkers(script: string, count: number): WorkerPool {
  const execArgv = ["--import", "tsx"];
  const workers: Worker[] = [];
  for (let index = 0; index < count; index++) {
    const child = fork(script, [String(index)], { cwd: projectRoot, execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
    let next = 1;
    child.on("message", (m: Envelope) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.error) p.reject(new Error(`worker ${index}: ${m.error}`));
      else p.resolve(m.body);
    });
    child.on("exit", (code, signal) => {
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`worker ${index} exited (${code ?? signal})`));
      }
      pending.clear();
    });
    workers.push({
      index,
      child,
      request<T>(type: string, body?: unknown, timeoutMs = 180_000) {
        return new Promise<T>((resolve, reject) => {
          const id = next++;
          const timer = setTimeout(() => {
            pending.delete(id);
            reject(new Error(`worker ${index}: no reply to ${type} within ${timeoutMs} ms`));
          }, timeoutMs);
          pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
          child.send({ id, type, body } satisfies Envelope);
        });
      },
    });
  }
  const stop = async () => {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.child.exitCode !== null || w.child.signalCode !== null) return resolve();
            w.child.once("exit", () => resolve());
            w.child.kill("SIGTERM");
            setTimeout(() => w.child.kill("SIGKILL"), 5_000).unref();
          }),
      ),
    );
  };
  onCleanup(stop);
  return {
    workers,
    command: `node ${execArgv.join(" ")} ${script} <index>   (×${count})`,
    all: <T>(type: string, body?: (index: number) => unknown, timeoutMs?: number) => Promise.all(workers.map((w) => w.request<T>(type, body?.(w.index), timeoutMs))),
    stop,
  };
}

/** Splits `items` into `parts` near-equal consecutive slices. */
export function split<T>(items: T[], parts: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < parts; i++) out.push(items.slice(Math.floor((i * items.length) / parts), Math.floor(((i + 1) * items.length) / parts)));
  return out;
}

/** Worker side: answers requests from the parent with `handlers[type](body)`; exits when the parent goes away. */
export function serveRequests(handlers: Record<string, (body: any) => unknown | Promise<unknown>>): void {
  if (!process.send) throw new Error("This script is a benchmark worker: start it through bench/lib/workers.ts.");
  process.on("disconnect", () => process.exit(0));
  process.on("SIGTERM", () => process.exit(0));
  // Never rejects: every failure is sent back to the parent as the request's error.
  const answer = async (m: Envelope) => {
    try {
      const handler = handlers[m.type];
      if (!handler) throw new Error(`unknown request ${m.type}`);
      const body = await handler(m.body);
      process.send!({ id: m.id, type: m.type, body });
    } catch (error) {
      process.send!({ id: m.id, type: m.type, error: error instanceof Error ? error.message : String(error) });
    }
  };
  process.on("message", (m: Envelope) => void answer(m));
}
