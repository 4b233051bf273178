/**
 * The compute worker thread: answers each request (one at a time, in order)
 * by running the named task from ./tasks.ts. Started by ./runner.ts through
 * ./worker-bootstrap.mjs. A task's exception is sent back as a serialized
 * error, never thrown out of the thread.
 */
import { parentPort } from "node:worker_threads";
import { PolisImportError } from "../domain/polis-import/csv";
import { computeTasks, transferablesOf, type ComputeTaskName, type SerializedError, type WorkerReply, type WorkerRequest } from "./tasks";

if (!parentPort) throw new Error("server/compute/worker.ts must run in a worker thread (see server/compute/runner.ts).");
const port = parentPort;

function serialize(error: unknown): SerializedError {
  if (error instanceof PolisImportError) {
    return { name: error.name, message: error.message, file: error.file, line: error.line, column: error.column, columnName: error.columnName, problem: error.problem };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "Error", message: String(error) };
}

port.on("message", (request: WorkerRequest) => {
  const started = performance.now();
  let reply: WorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const task = computeTasks[request.task as ComputeTaskName] as ((args: unknown) => unknown) | undefined;
    if (!task) throw new TypeError(`Unknown compute task "${request.task}".`);
    const result = task(request.args);
    transfer = transferablesOf(request.task, result);
    reply = { id: request.id, ok: true, result, ms: performance.now() - started };
  } catch (error) {
    reply = { id: request.id, ok: false, error: serialize(error), ms: performance.now() - started };
  }
  port.postMessage(reply, transfer);
});
