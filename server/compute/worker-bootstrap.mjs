// Entry of the compute worker thread: lets the thread load TypeScript (tsx's
// loader, a runtime dependency already used by `npm start`), then runs the
// TypeScript worker module named in workerData.entry. Plain JavaScript so
// that Node can start it whatever the parent thread was started with
// (tsx, vitest, plain node).
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
