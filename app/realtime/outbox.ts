/**
 * The client's queue of operations not yet acknowledged by the server, kept
 * in localStorage so that closing the tab or losing the connection loses
 * nothing. Each operation carries its client-generated `opId`; resending it is
 * safe because the server applies an opId at most once.
 */
import { v4 as uuidv4 } from "uuid";
import type { ClientEvent } from "~/shared/contract";

/** Client events that change something (reads such as resync and revisions are not queued). */
export type MutatingEvent = Exclude<(typeof ClientEvent)[keyof typeof ClientEvent], "debate:resync" | "argument:revisions">;

export interface QueuedOperation {
  opId: string;
  event: MutatingEvent;
  /** The payload as sent, including opId. */
  payload: Record<string, unknown>;
  /** ms since epoch. */
  queuedAt: number;
}

/** A new operation id (UUID v4; works on plain-http classroom networks where crypto.randomUUID is missing). */
export const newOpId = (): string => uuidv4();

export class Outbox {
  private ops: QueuedOperation[] = [];

  /** @param storageKey localStorage key, one per debate and participant. */
  constructor(private readonly storageKey: string) {
    this.ops = this.read();
  }

  private read(): QueuedOperation[] {
    try {
      const raw = typeof localStorage === "undefined" ? null : localStorage.getItem(this.storageKey);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? parsed.filter((o): o is QueuedOperation => typeof o?.opId === "string" && typeof o?.event === "string" && typeof o?.payload === "object") : [];
    } catch {
      return [];
    }
  }

  private write() {
    try {
      if (this.ops.length) localStorage.setItem(this.storageKey, JSON.stringify(this.ops));
      else localStorage.removeItem(this.storageKey);
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

  list(): QueuedOperation[] {
    return this.ops;
  }
}
