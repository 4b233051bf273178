/**
 * The React side of the live debate: a `useSyncExternalStore` adapter over
 * `DebateLiveClient` (./live-client.ts), which does the work (socket,
 * outbox, ordering, acknowledgements, gap repair). This file only opens the
 * socket.io connection, follows the browser's online/offline events, and
 * makes a new client when the participant changes (joining reconnects with the new cookie).
 */
import { useEffect, useMemo, useSyncExternalStore } from "react";
import { io, type Socket } from "socket.io-client";
import type { Ack, ServerToClientEvents } from "~/shared/contract";
import type { ClientToServerEvents } from "~/shared/operations";
import { ArgumentReader } from "./argument-reader";
import { DebateLiveClient, type LiveInitial, type LiveSocket, type LiveSocketFactory } from "./live-client";

export type { ConnectionStatus } from "./live-state";
export { describeConnection } from "./live-client";

type DebateSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** socket.io in the browser as a LiveSocket: same origin, the participant's cookie, WebSocket first. */
export const browserSocket: LiveSocketFactory = (auth) => {
  const socket: DebateSocket = io({ auth: (cb) => cb(auth()), withCredentials: true, transports: ["websocket", "polling"] });
  // The event is chosen at run time from the operations table, so the typed emitter is used loosely here.
  const loose = socket as unknown as {
    on(event: string, handler: (...args: unknown[]) => void): void;
    timeout(ms: number): { emit(event: string, payload: unknown, cb: (err: Error | null, reply: Ack<unknown>) => void): void };
  };
  const live: LiveSocket = {
    get connected() {
      return socket.connected;
    },
    get active() {
      return socket.active;
    },
    on: (event, handler) => loose.on(event, handler as (...args: unknown[]) => void),
    request: (event, payload, timeoutMs, callback) => loose.timeout(timeoutMs).emit(event, payload, (err, reply) => callback(err, reply)),
    connect: () => void socket.connect(),
    disconnect: () => void socket.disconnect(),
  };
  return live;
};

/** Options of {@link useDebateLive}. */
export interface DebateLiveOptions {
  /**
   * Resolves when the page may start changing: the live connection opens only then. The debate page
   * waits here for the code of its lazy panels, so that no live update reaches a panel still showing the
   * server's HTML (React would drop that HTML and the panel would blink). Capped at
   * {@link START_WAIT_CAP_MS}; a rejection starts the connection as well.
   */
  startAfter?: () => Promise<unknown>;
}

/** The longest the live connection waits for `startAfter`, in milliseconds. */
export const START_WAIT_CAP_MS = 5_000;

/**
 * Joins the debate's live room.
 * @param initial the loader's data (so the first render is complete without the socket).
 * @param options `startAfter`: what the connection waits for (see {@link DebateLiveOptions}).
 * @returns the live state, the operations not yet confirmed, open reports, why the server ended the
 *   connection (or null), the table's actions (each resolves with the server's acknowledgement),
 *   `latest()` (the live state at this moment) and `describe` for a queued operation.
 */
export function useDebateLive(initial: LiveInitial, options: DebateLiveOptions = {}) {
  const debateId = initial.debate.id;
  const meId = initial.me?.id ?? null;
  // A new participant (after joining) is a new client: the loader's fresh data, a new outbox, a new connection.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const client = useMemo(() => new DebateLiveClient(initial, { socket: browserSocket }), [debateId, meId]);
  const { startAfter } = options;
  useEffect(() => {
    let left = false;
    let capTimer: ReturnType<typeof setTimeout> | undefined;
    const begin = () => {
      clearTimeout(capTimer);
      if (!left) client.start();
    };
    if (startAfter) {
      capTimer = setTimeout(begin, START_WAIT_CAP_MS);
      startAfter().then(begin, begin);
    } else begin();
    const offline = () => client.wentOffline();
    const online = () => client.cameOnline();
    window.addEventListener("offline", offline);
    window.addEventListener("online", online);
    return () => {
      window.removeEventListener("offline", offline);
      window.removeEventListener("online", online);
      left = true;
      clearTimeout(capTimer);
      client.stop();
    };
    // startAfter is read once, when the client starts.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client]);
  const snapshot = useSyncExternalStore(client.subscribe, client.getSnapshot, client.getSnapshot);
  // latest(): the live state now, for decisions made at the moment of a click (a toggle), which may
  // come before React has rendered the previous click.
  // Pages of a big debate's arguments (issue 14), merged into the same live state.
  const reader = useMemo(() => new ArgumentReader(client.debateId, client.receiveArguments, () => client.getSnapshot().state), [client]);
  return { ...snapshot, reader, actions: client.actions, latest: () => client.getSnapshot().state, describe: (op: Parameters<DebateLiveClient["describe"]>[0]) => client.describe(op) };
}
