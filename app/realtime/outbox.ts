/**
 * The client's queue of operations not yet acknowledged by the server, kept
 * in storage (localStorage in the browser) so that closing the tab or losing
 * the connection loses nothing. Each operation carries its client-generated
 * `opId`; resending it is safe because the server applies an opId at most once.
 */
import { v4 as uuidv4 } from "uuid";
import type { Operations, OperationName } from "~/shared/operations";
import { operationForEvent } from "~/shared/operation-wire";

/** Client events that change something: the operations table's events (reads are never queued). */
export type MutatingEvent = Operations[OperationName]["event"];

export interface QueuedOperation {
  opId: string;
  /** The operation's socket event (app/shared/operations.ts); stored as such so queues survive a new release. */
  event: MutatingEvent;
  /** The payload as sent, including opId. */
  payload: Record<string, unknown>;
  /** ms since epoch. */
  queuedAt: number;
}

/** A new operation id (UUID v4; works on plain-http classroom networks where crypto.randomUUID is missing). */
export const newOpId = (): string => uuidv4();

/** The part of the Web Storage API the outbox uses. */
export type OutboxStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

const browserStorage = (): OutboxStorage | null => (typeof localStorage === "undefined" ? null : localStorage);

export class Outbox {
  private ops: QueuedOperation[] = [];

  /**
   * @param storageKey storage key, one per debate and participant.
   * @param storage where the queue is kept (default: localStorage when there is one; null: memory only).
   */
  constructor(
    private readonly storageKey: string,
    private readonly storage: OutboxStorage | null = browserStorage(),
  ) {
    this.ops = this.read();
  }

  private read(): QueuedOperation[] {
    try {
      const raw = this.storage?.getItem(this.storageKey) ?? null;
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      // Operations this release no longer knows are dropped rather than sent.
      return Array.isArray(parsed)
        ? parsed.filter((o): o is QueuedOperation => typeof o?.opId === "string" && typeof o?.event === "string" && !!operationForEvent(o.event) && typeof o?.payload === "object" && o.payload !== null)
        : [];
    } catch {
      return [];
    }
  }

  private write() {
    try {
      if (this.ops.length) this.storage?.setItem(this.storageKey, JSON.stringify(this.ops));
      else this.storage?.removeItem(this.storageKey);
    } catch {
      /* storage full or unavailable: the queue still lives in memory */
    }
  }

  add(op: QueuedOperation): void {
    this.ops = [...this.ops, op];
    this.write();
  }

  remove(opId: string): void {
    this.ops = this.ops.filter((o) => o.opId !== opId);
    this.write();
  }

  /** The queue in the order operations were made (the same array until it changes). */
  list(): QueuedOperation[] {
    return this.ops;
  }
}
