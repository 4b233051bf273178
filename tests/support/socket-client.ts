import { io, type Socket } from "socket.io-client";
import type { Ack, CatchUpPayload, ServerToClientEvents, WelcomePayload } from "../../app/shared/contract";
import type { ClientToServerEvents } from "../../app/shared/operations";
import { ServerEvent } from "../../app/shared/contract";

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Connects a socket.io client to a debate as the participant holding `token`
 * (an observer without one); resolves with the welcome. With `lastSeq`, the
 * server's catch-up is captured from the first moment, in `catchUp`.
 */
export async function connectParticipant(
  url: string,
  debateId: string,
  token?: string,
  lastSeq?: number,
): Promise<{ socket: TestSocket; welcome: WelcomePayload; catchUp: Promise<CatchUpPayload> }> {
  const socket: TestSocket = io(url, { auth: { debateId, token, lastSeq }, transports: ["websocket"], forceNew: true, reconnection: false });
  const catchUp = new Promise<CatchUpPayload>((resolve) => socket.once(ServerEvent.catchUp, resolve));
  const welcome = await new Promise<WelcomePayload>((resolve, reject) => {
    socket.once(ServerEvent.welcome, resolve);
    socket.once("connect_error", reject);
  });
  return { socket, welcome, catchUp };
}

/** Emits an event and resolves with its acknowledgement. */
export function emitWithAck<T>(socket: TestSocket, event: keyof ClientToServerEvents, payload: unknown): Promise<Ack<T>> {
  return (socket.timeout(10_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<T>> }).emitWithAck(event, payload);
}

/** Resolves with the next payload of `event` that satisfies `match`. */
export function nextEvent<E extends keyof ServerToClientEvents>(socket: TestSocket, event: E, match: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true, timeoutMs = 5_000): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`timed out waiting for ${String(event)}`));
    }, timeoutMs);
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(payload);
    };
    socket.on(event, listener as never);
  });
}
