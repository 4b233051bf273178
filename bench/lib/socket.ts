/**
 * socket.io client helpers for benchmark clients, in the shape the contract
 * (app/shared/contract.ts) describes: handshake `auth: { debateId, token, lastSeq? }`,
 * websocket transport only, every client→server event acknowledged.
 */
import { io, type Socket } from "socket.io-client";
import type { Ack, WelcomePayload } from "../../app/shared/contract";
import { ServerEvent } from "../../app/shared/contract";

export type BenchSocket = Socket;

export interface ConnectOptions {
  debateId: string;
  token?: string;
  lastSeq?: number;
  /** The parts of a big debate held (catch-up: counts for the rest; app/shared/catch-up-holds.ts). */
  holds?: { propositions: string[]; arguments: string[] };
  timeoutMs?: number;
  /** Called with the socket before it connects, so listeners see the first events (welcome, catch-up). */
  beforeConnect?(socket: BenchSocket): void;
}

/** Opens one socket and resolves when `debate:welcome` arrives (rejects on connect_error or timeout). */
export function connectClient(url: string, options: ConnectOptions): Promise<{ socket: BenchSocket; welcome: WelcomePayload }> {
  const auth: Record<string, unknown> = { debateId: options.debateId };
  if (options.token) auth.token = options.token;
  if (options.lastSeq !== undefined) auth.lastSeq = options.lastSeq;
  if (options.holds) auth.holds = options.holds;
  const socket = io(url, { auth, transports: ["websocket"], forceNew: true, reconnection: false, autoConnect: false, timeout: options.timeoutMs ?? 60_000 });
  options.beforeConnect?.(socket);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error("no debate:welcome within the time limit"));
    }, options.timeoutMs ?? 60_000);
    socket.once(ServerEvent.welcome, (welcome: WelcomePayload) => {
      clearTimeout(timer);
      resolve({ socket, welcome });
    });
    socket.once("connect_error", (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
    socket.connect();
  });
}

/** Emits `event` and resolves with its acknowledgement (rejects after timeoutMs). */
export function emitAck<T>(socket: BenchSocket, event: string, payload: unknown, timeoutMs = 15_000): Promise<Ack<T>> {
  return socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<Ack<T>>;
}

/**
 * Runs `task` for each item with at most `concurrency` in flight; collects errors
 * instead of stopping. Returns the error messages (empty when all succeeded).
 */
export async function eachLimited<T>(items: T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<string[]> {
  const errors: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        try {
          await task(items[i], i);
        } catch (error) {
          errors.push(error instanceof Error ? error.message : String(error));
        }
      }
    }),
  );
  return errors;
}
