/**
 * Guards in front of every socket event (issue 9, "Hostile traffic"):
 * - an event this server does not know is acknowledged `unknown_event` instead
 *   of leaving the client to wait for its own timeout;
 * - a message over the application limit (LIMITS.socketMessageMaxBytes,
 *   256 KiB of JSON) is acknowledged `payload_too_large` with a sentence; only
 *   a message over the transport limit (SOCKET_TRANSPORT_MAX_BYTES, four times
 *   that) still closes the connection, as socket.io must;
 * - more than SOCKET_EVENTS_PER_SECOND events a second on one connection are
 *   acknowledged `rate_limited` (retry after 1 s); a connection that keeps
 *   flooding (SOCKET_FLOOD_REFUSALS refusals in a row) is told why and closed.
 * An event sent without an acknowledgement callback gets the refusal as a
 * `debate:error` event. The per-connection rate uses rate-limiter-flexible's
 * in-memory limiter (docs/decisions/0009-rate-limits.md).
 */
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { Socket } from "socket.io";
import { LIMITS, ServerEvent } from "../../app/shared/contract";
import { type ErrorBody, ErrorCode } from "../../app/shared/errors";
import { localizedSentence } from "../../app/i18n/errors.server";
import { DEFAULT_LANGUAGE, type Locale } from "../../app/i18n/locales";

/** The socket.io transport's own limit (maxHttpBufferSize): over it the connection is closed unread. */
export const SOCKET_TRANSPORT_MAX_BYTES = 4 * LIMITS.socketMessageMaxBytes;
/** Events one connection may send per second (a person clicks far slower; a script is slowed down). */
export const SOCKET_EVENTS_PER_SECOND = 40;
/** Refusals in a row after which a flooding connection is closed. */
export const SOCKET_FLOOD_REFUSALS = 200;

/** Bytes of the JSON of an event's arguments (callbacks left out). */
function payloadBytes(args: unknown[]): number {
  try {
    return Buffer.byteLength(JSON.stringify(args.filter((a) => typeof a !== "function")) ?? "");
  } catch {
    return Number.POSITIVE_INFINITY; // not serialisable (cannot come off the wire, but never crash on it)
  }
}

/**
 * Installs the guards on one connection. `knownEvents`: every client→server
 * event name the server handles; `limiter`: null for no rate limit (load
 * tests, RATE_LIMITS=off); `locale`: the language of the refusals' messages. Never throws; refusals are acknowledged.
 */
export function guardSocket(socket: Socket, knownEvents: ReadonlySet<string>, limiter: RateLimiterMemory | null, locale: Locale = DEFAULT_LANGUAGE): void {
  let refusalsInARow = 0;
  const refuse = (args: unknown[], english: ErrorBody) => {
    const error = { ...english, message: localizedSentence(english.message, locale) };
    const ack = args.at(-1);
    if (typeof ack === "function") (ack as (reply: unknown) => void)({ ok: false, error });
    else socket.emit(ServerEvent.error, error);
  };
  socket.use((packet, next) => {
    const [event, ...args] = packet as [unknown, ...unknown[]];
    const allowed = limiter ? limiter.consume(socket.id) : Promise.resolve();
    void allowed.then(
      () => {
        refusalsInARow = 0;
        if (typeof event !== "string" || !knownEvents.has(event)) {
          refuse(args, { code: ErrorCode.unknownEvent, message: `This server does not know the event ${JSON.stringify(String(event)).slice(0, 80)}. Reload the page to get the current version.` });
          return;
        }
        if (payloadBytes(args) > LIMITS.socketMessageMaxBytes) {
          refuse(args, { code: ErrorCode.payloadTooLarge, message: `This message is too large: at most ${LIMITS.socketMessageMaxBytes / 1024} KiB. Shorten it and send it again.` });
          return;
        }
        next();
      },
      () => {
        refusalsInARow += 1;
        refuse(args, { code: ErrorCode.rateLimited, message: "Too many messages at once; slow down and send it again in a moment.", retryAfterSeconds: 1 });
        if (refusalsInARow >= SOCKET_FLOOD_REFUSALS) {
          socket.emit(ServerEvent.error, { code: ErrorCode.rateLimited, message: localizedSentence("This connection sent far too many messages and was closed. Reload the page to continue.", locale) });
          socket.disconnect(true);
        }
      },
    );
  });
}

/** The per-connection event limiter shared by one server's connections (keyed by socket id): `perSecond` events a second. */
export function createSocketEventLimiter(perSecond: number = SOCKET_EVENTS_PER_SECOND): RateLimiterMemory {
  return new RateLimiterMemory({ points: perSecond, duration: 1 });
}
