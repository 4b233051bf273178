/**
 * The socket.io side of the contract in app/shared/contract.ts: handshake
 * authentication (handshake token — a participant token or an `smk_` API
 * token — else the participant cookie, else the facilitator session cookie,
 * all through services.findActor), one room per
 * debate and one per participant, per-event validation through the services,
 * acknowledgements with stable error codes, catch-up after reconnecting,
 * presence across server nodes, and the Publisher the services call after commit.
 */
import { localizedErrorBody, localizedSentence } from "../../app/i18n/errors.server";
import { translate } from "../../app/i18n/catalogues.server";
import { DEFAULT_LANGUAGE, LANGUAGES, PSEUDO_LOCALE, type Locale } from "../../app/i18n/locales";
import { localeOfRequest } from "../../app/i18n/request-locale.server";
import type { WriteAdmission } from "../write-admission";
import type { Server as HttpServer } from "node:http";
import { parse as parseCookie } from "cookie";
import { Server, type Socket } from "socket.io";
import {
  type Ack,
  handshakeAuthSchema,
  participantCookieName,
  type ParticipantDTO,
  type ParticipantStateDTO,
  PROTOCOL_VERSION,
  type RatingTalliedPayload,
  ServerEvent,
  type ServerToClientEvents,
  type VoteTalliedPayload,
} from "../../app/shared/contract";
import { type ClientToServerEvents, OPERATION_NAMES, OPERATIONS, READ_NAMES, READS } from "../../app/shared/operations";
import { isApiToken, SESSION_COOKIE } from "../../app/shared/accounts";
import { ErrorCode, isAppError, REMOVED_MESSAGE, unauthenticated, type ErrorBody } from "../../app/shared/errors";
import { isFacilitatorRole } from "../../app/shared/permissions";
import { log } from "../log";
import { Site, type TrustProxyFn } from "../site";
import type { Publisher } from "../services/context";
import { NOT_READABLE_MESSAGE, readableWithoutJoining } from "../services/access";
import type { CurrentParticipant } from "../../app/shared/contract";
import type { CatchUpHolds } from "../../app/shared/catch-up-holds";
import type { Credentials, Services } from "../services";
import { asRetryable, BUSY_RETRY_AFTER_SECONDS } from "../database-availability";
import { createSocketEventLimiter, guardSocket, SOCKET_EVENTS_PER_SECOND, SOCKET_TRANSPORT_MAX_BYTES } from "./socket-guards";
import { parseInput } from "../services/validate";
import { VersionedCoalescer } from "./coalescer";
import { operationHandlers, readHandlers } from "./operation-handlers";

interface SocketData {
  debateId: string;
  participant: CurrentParticipant | null;
  /** The client's last applied change number, from the handshake. */
  lastSeq: number | undefined;
  /** The debate's latest change number when the handshake was checked. */
  seq: number;
  /** The language the handshake asked for (set when the connection opens). */
  locale?: Locale;
}
export type DebateServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type DebateSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const debateRoom = (debateId: string) => `debate:${debateId}`;
export const participantRoom = (participantId: string) => `participant:${participantId}`;
/** The debate's host and co-hosts: moderation notices and the full form of hidden arguments. */
export const facilitatorsRoom = (debateId: string) => `facilitators:${debateId}`;
/** Sockets reading a debate without having joined it (public and unlinked debates only). */
export const anonymousRoom = (debateId: string) => `anonymous:${debateId}`;
/** Every socket whose handshake asked for `locale` (cookie, Accept-Language): messages sent to many sockets go out in each one's language. */
export const localeRoom = (locale: Locale) => `locale:${locale}`;
const ALL_LOCALES: readonly Locale[] = [...LANGUAGES, PSEUDO_LOCALE];

/**
 * Sends `error` to the sockets of `room`, each in its own language (its sentence looked up in the catalogues by
 * localizedSentence), then disconnects them; through the adapter, so sockets on other nodes go too. One emit
 * per locale: the room's sockets in that locale's room and in no other locale's.
 */
function disconnectInTheirLanguages(server: DebateServer, room: string, error: ErrorBody): void {
  for (const locale of ALL_LOCALES) {
    const others = ALL_LOCALES.filter((other) => other !== locale).map(localeRoom);
    server.in(room).except(others).emit(ServerEvent.error, { ...error, message: localizedSentence(error.message, locale) });
  }
  server.in(room).disconnectSockets(true);
}


/** Tally broadcasts to a debate are sent at most this often per item (the voter's own ack is immediate). */
export const TALLY_BROADCAST_INTERVAL_MS = 250;
const PRESENCE_BROADCAST_DELAY_MS = 300;

/**
 * The transport the publisher (server/services/publish.ts, which decides who
 * receives what) sends through: socket.io rooms, once attached (the services
 * are built before the socket server). Tallies go at once to the voter's own
 * room (their other tabs) and, coalesced, to the whole debate.
 */
export function createSocketPublisher(): Publisher & { attach(io: DebateServer): void; flush(): void } {
  let server: DebateServer | null = null;
  const votes = new VersionedCoalescer<VoteTalliedPayload & { debateId: string; facilitatorsOnly: boolean }>(TALLY_BROADCAST_INTERVAL_MS, (_key, { debateId, facilitatorsOnly, ...payload }) => {
    server?.to(facilitatorsOnly ? facilitatorsRoom(debateId) : debateRoom(debateId)).emit(ServerEvent.voteTallied, { ...payload, participantId: null, value: null });
  });
  const ratings = new VersionedCoalescer<RatingTalliedPayload & { debateId: string }>(TALLY_BROADCAST_INTERVAL_MS, (_key, { debateId, ...payload }) => {
    server?.to(debateRoom(debateId)).emit(ServerEvent.ratingTallied, { ...payload, participantId: null, value: null });
  });
  return {
    attach(io) {
      server = io;
    },
    change(debateId, change) {
      server?.to(debateRoom(debateId)).emit(ServerEvent.change, change);
      if (change.kind === "participant.updated" && server) followParticipant(server, debateId, change.data);
    },
    voteTally(debateId, payload, hidden) {
      if (payload.participantId) server?.to(participantRoom(payload.participantId)).emit(ServerEvent.voteTallied, hidden?.ownCopy ?? payload);
      votes.push(payload.propositionId, { ...payload, debateId, facilitatorsOnly: hidden !== undefined });
    },
    ratingTally(debateId, payload) {
      if (payload.participantId) server?.to(participantRoom(payload.participantId)).emit(ServerEvent.ratingTallied, payload);
      ratings.push(payload.argumentId, { ...payload, debateId });
    },
    restrictedChange(debateId, full, withheld, authorId) {
      if (!server) return;
      const privileged = authorId ? [facilitatorsRoom(debateId), participantRoom(authorId)] : [facilitatorsRoom(debateId)];
      server.to(privileged).emit(ServerEvent.change, full);
      server.to(debateRoom(debateId)).except(privileged).emit(ServerEvent.change, withheld);
    },
    moderation(debateId, notice) {
      server?.to(facilitatorsRoom(debateId)).emit(ServerEvent.moderation, notice);
    },
    disconnectAnonymous(debateId, error) {
      if (server) disconnectInTheirLanguages(server, anonymousRoom(debateId), error);
    },
    disconnectParticipant(participantId, error) {
      if (server) disconnectInTheirLanguages(server, participantRoom(participantId), error);
    },
    flush() {
      votes.flushAll();
      ratings.flushAll();
    },
  };
}

/**
 * When a socket's participant (role, mute) and credentials were last read from the database. Every
 * write reads them again first (issue 9: a revocation, removal, mute or role change made on any node
 * applies to the very next write), so this only records when, for diagnostics.
 */
const participantCheckedAt = new WeakMap<object, number>();
/**
 * The credentials each socket authenticated with (kept on this node only, never in `socket.data`, which
 * the adapter shares with other nodes): a write re-checks them, so a session that was signed out (or
 * ended by a password reset) or an API token that was revoked stops acting at once.
 */
const handshakeCredentials = new WeakMap<object, Credentials>();
/**
 * The parts of a big debate each socket's page holds, from its handshake (its catch-up sends counts for the
 * rest: app/shared/catch-up-holds.ts). On this node only, never in `socket.data`: the adapter would carry up
 * to 1,000 ids per socket to every node at each presence read (fetchSockets).
 */
const handshakeHolds = new WeakMap<object, CatchUpHolds>();

/**
 * How often each node re-checks the sign-in of sockets that connected as a facilitator account
 * (session cookie or API token), so that one that only listens — and so never hits the per-write
 * check — stops receiving facilitator-only events (reports, hidden bodies) soon after a sign-out,
 * a password reset or a token revocation.
 */
export const SIGN_IN_SWEEP_MS = 10_000;

/** Said to a socket whose session or API token ended after it connected. */
export const SIGNED_OUT_MESSAGE = "Your sign-in has ended (signed out, password changed, or API token revoked). Sign in again to take part.";

/**
 * After a participant was renamed, muted, re-roled or removed: their sockets on
 * this node act with the new state at once (every node also re-reads it on each
 * write, see `handle`), and they join or leave the facilitators' room on every node.
 */
function followParticipant(server: DebateServer, debateId: string, state: ParticipantStateDTO) {
  for (const id of server.of("/").adapter.rooms.get(participantRoom(state.id)) ?? []) {
    const socket = server.of("/").sockets.get(id);
    if (socket?.data.participant) socket.data.participant = { ...socket.data.participant, displayName: state.displayName, role: state.role, muted: state.muted };
  }
  if (state.removed) return;
  if (isFacilitatorRole(state.role)) server.in(participantRoom(state.id)).socketsJoin(facilitatorsRoom(debateId));
  else server.in(participantRoom(state.id)).socketsLeave(facilitatorsRoom(debateId));
}

/** The reply to a failed event, its message in the socket's language (`locale`, from the handshake's cookie and Accept-Language). */
function errorReply(thrown: unknown, locale: Locale): Ack<never> {
  const error = asRetryable(thrown);
  if (isAppError(error)) return { ok: false, error: localizedErrorBody(error, locale) };
  log.error("socket handler failed", error);
  return { ok: false, error: { code: ErrorCode.internal, message: translate(locale, "errors.internalSocket") } };
}

const publicParticipant = (p: CurrentParticipant): ParticipantDTO => ({ id: p.id, displayName: p.displayName, role: p.role });

/**
 * Attaches socket.io to `httpServer` (same port as HTTP).
 * @param allowedOrigins origins allowed to open a socket besides the page's own (Origin host equals Host).
 */
export function createSocketServer(
  httpServer: HttpServer,
  services: Services,
  publisher: { attach(io: DebateServer): void },
  allowedOrigins: string[] = [],
  {
    signInSweepMs = SIGN_IN_SWEEP_MS,
    eventsPerSecond = SOCKET_EVENTS_PER_SECOND,
    site = new Site(),
    trustProxy = () => () => false,
    admission,
  }: {
    signInSweepMs?: number;
    /** Events one connection may send per second (server/realtime/socket-guards.ts); null: no limit (load tests). */
    eventsPerSecond?: number | null;
    /** Where the site is reached: allowed hosts and cookie names (server/site.ts). */
    site?: Site;
    /** Express's compiled `trust proxy`, read when a handshake arrives (for X-Forwarded-Host). */
    trustProxy?: () => TrustProxyFn;
    /** Bounds on writes in this process: each operation waits its turn here, or is answered `busy`. */
    admission?: WriteAdmission;
  } = {},
): DebateServer {
  const io: DebateServer = new Server(httpServer, {
    // Over this the transport closes the connection; up to it, socket-guards answers a readable payload_too_large.
    maxHttpBufferSize: SOCKET_TRANSPORT_MAX_BYTES,
    serveClient: false,
    allowRequest: (req, callback) => {
      // A host this server does not answer for (PUBLIC_URL, ALLOWED_HOSTS) is refused like any HTTP request.
      if (!site.allowsRequest(req, trustProxy())) return callback("This server does not answer for that host name.", false);
      const origin = req.headers.origin;
      if (!origin) return callback(null, true); // not a browser (scripts, tests)
      try {
        callback(null, new URL(origin).host === req.headers.host || allowedOrigins.includes(origin));
      } catch {
        callback(null, false);
      }
    },
  });
  publisher.attach(io);
  const operations = operationHandlers(services);
  const reads = readHandlers(services);

  /** Everyone connected to the debate on any node, once per participant. */
  const presenceOf = async (debateId: string): Promise<ParticipantDTO[]> => {
    let sockets: { data: SocketData }[];
    try {
      sockets = await io.in(debateRoom(debateId)).fetchSockets();
    } catch {
      sockets = [...(io.of("/").adapter.rooms.get(debateRoom(debateId)) ?? [])].map((id) => io.of("/").sockets.get(id)).filter((s): s is DebateSocket => !!s);
    }
    const byId = new Map<string, ParticipantDTO>();
    for (const s of sockets) if (s.data?.participant) byId.set(s.data.participant.id, publicParticipant(s.data.participant));
    return [...byId.values()];
  };

  const presenceTimers = new Map<string, NodeJS.Timeout>();
  const schedulePresence = (debateId: string) => {
    if (presenceTimers.has(debateId)) return;
    // The async bodies below catch every error themselves; `void` marks that nobody awaits them.
    const timer = setTimeout(() => void (async () => {
      presenceTimers.delete(debateId);
      try {
        io.to(debateRoom(debateId)).emit(ServerEvent.presence, { debateId, participants: await presenceOf(debateId) });
      } catch (error) {
        log.error("presence broadcast failed", error);
      }
    })(), PRESENCE_BROADCAST_DELAY_MS);
    timer.unref?.();
    presenceTimers.set(debateId, timer);
  };

  io.use((socket, next) => void (async () => {
    try {
      const auth = handshakeAuthSchema.safeParse(socket.handshake.auth ?? {});
      if (!auth.success) return next(Object.assign(new Error("A debate id is required to connect."), { data: { code: ErrorCode.validation } }));
      const { debateId, lastSeq, holds } = auth.data;
      const cookies = parseCookie(socket.handshake.headers.cookie ?? "");
      const token = auth.data.token ?? cookies[site.cookieName(participantCookieName(debateId))];
      // One read answers whether the debate exists, where its sequence is, and whether anyone may watch it.
      const access = await services.debateAccess(debateId);
      if (!access) return next(Object.assign(new Error("This debate was not found."), { data: { code: ErrorCode.notFound } }));
      // The session comes from the handshake's own cookie header, never from anything in `auth`.
      const credentials: Credentials = { participantToken: token, sessionToken: auth.data.token ? undefined : cookies[site.cookieName(SESSION_COOKIE)] };
      const participant = await services.findActor(debateId, credentials);
      // Kept also when they name nobody: a write is then refused with why (removed from the debate, or join first).
      handshakeCredentials.set(socket, credentials);
      // Private debates (and drafts) are read by their participants only: no anonymous live room either.
      if (!participant && !readableWithoutJoining(access)) return next(Object.assign(new Error(NOT_READABLE_MESSAGE), { data: { code: ErrorCode.notFound } }));
      socket.data = { debateId, participant, lastSeq, seq: access.lastSeq };
      if (holds) handshakeHolds.set(socket, holds);
      next();
    } catch (error) {
      // The database away for a moment (or this process draining): a retryable refusal. socket.io-client
      // does not retry a refused handshake by itself; the live client connects again after the hint.
      if (isAppError(error) && error.code === ErrorCode.busy) {
        return next(Object.assign(new Error(error.message), { data: { code: ErrorCode.busy, retryAfterSeconds: error.retryAfterSeconds ?? BUSY_RETRY_AFTER_SECONDS } }));
      }
      log.error("socket handshake failed", error);
      next(Object.assign(new Error("The server could not check your connection."), { data: { code: ErrorCode.internal, retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS } }));
    }
  })());

  /** Sockets of this node that acted through an account (session or API token), for the sign-in sweep. */
  const accountSockets = new Set<DebateSocket>();
  const sweep = setInterval(() => void (async () => {
    for (const socket of accountSockets) {
      try {
        const before = socket.data.participant;
        const now = before ? await services.findActor(socket.data.debateId, handshakeCredentials.get(socket) ?? {}) : null;
        if (now && now.id === before?.id) continue;
        socket.emit(ServerEvent.error, { code: ErrorCode.unauthenticated, message: localizedSentence(SIGNED_OUT_MESSAGE, socket.data.locale ?? DEFAULT_LANGUAGE) });
        socket.data.participant = null;
        accountSockets.delete(socket);
        socket.disconnect(true);
      } catch (error) {
        // The database away or the process draining: this socket is checked again at the next sweep
        // (and every write it sends is checked on its own).
        if (isAppError(error) && error.code === ErrorCode.busy) continue;
        log.error("sign-in sweep failed", error);
      }
    }
  })(), signInSweepMs);
  sweep.unref?.();
  const stopSweep = () => clearInterval(sweep);
  const eventLimiter = eventsPerSecond === null ? null : createSocketEventLimiter(eventsPerSecond);
  const knownEvents: ReadonlySet<string> = new Set([...OPERATION_NAMES.map((n) => OPERATIONS[n].event), ...READ_NAMES.map((n) => READS[n].event)]);
  io.on("connection", (socket: DebateSocket) => {
    const locale = localeOfRequest({ cookie: socket.handshake.headers.cookie, acceptLanguage: socket.handshake.headers["accept-language"] }, (name) => site.cookieName(name));
    guardSocket(socket, knownEvents, eventLimiter, locale);
    socket.data.locale = locale;
    void socket.join(localeRoom(locale));
    const { debateId, participant, lastSeq, seq } = socket.data;
    const holds = handshakeHolds.get(socket);
    const credentials = handshakeCredentials.get(socket);
    if (participant && credentials && (credentials.sessionToken || (credentials.participantToken && isApiToken(credentials.participantToken)))) {
      accountSockets.add(socket);
      socket.on("disconnect", () => accountSockets.delete(socket));
    }
    void socket.join(participant ? [debateRoom(debateId), participantRoom(participant.id)] : [debateRoom(debateId), anonymousRoom(debateId)]);
    if (participant && isFacilitatorRole(participant.role)) void socket.join(facilitatorsRoom(debateId));
    if (participant) participantCheckedAt.set(socket, Date.now());

    /** Registers a handler that validates, runs the service as the socket's participant and acknowledges. */
    const handle = <T>(event: keyof ClientToServerEvents, run: (actor: CurrentParticipant | null, payload: unknown) => Promise<T>, needsParticipant = true, write = false) => {
      socket.on(event, async (payload: unknown, ack: unknown) => {
        const reply = typeof ack === "function" ? (ack as (r: Ack<T>) => void) : (r: Ack<T>) => (r.ok ? undefined : socket.emit(ServerEvent.error, r.error));
        if (write && admission) {
          try {
            await admission.run(() => answer(payload, reply));
          } catch (error) {
            reply(errorReply(error, locale)); // refused before it ran: `busy`, resent by the client with the same opId
          }
        } else await answer(payload, reply);
      });
      const answer = async (payload: unknown, reply: (r: Ack<T>) => void): Promise<void> => {
        try {
          if (needsParticipant && !socket.data.participant) throw await services.whyNoActor(debateId, handshakeCredentials.get(socket) ?? {});
          if (needsParticipant) {
            // A facilitator may have muted or re-roled them, or their token or session may have ended,
            // on any node a moment ago: read who they are now before every write.
            const before = socket.data.participant!;
            const now = await services.findActor(debateId, handshakeCredentials.get(socket) ?? {});
            if (!now || now.id !== before.id) {
              // Removed, or the session / API token it connected with has ended: nothing more from this connection.
              const removed = (await services.refreshParticipant(before)) === null;
              socket.data.participant = null;
              setTimeout(() => socket.disconnect(true), 0);
              throw unauthenticated(removed ? REMOVED_MESSAGE : SIGNED_OUT_MESSAGE);
            }
            socket.data.participant = now;
            participantCheckedAt.set(socket, Date.now());
          }
          reply({ ok: true, data: await run(socket.data.participant, payload) });
        } catch (error) {
          reply(errorReply(error, locale));
        }
      };
    };
    // One handler per entry of the operations table (app/shared/operations.ts), with the input parsed by the entry's schema.
    for (const name of OPERATION_NAMES) {
      const { event, input } = OPERATIONS[name];
      const run = operations[name] as (actor: CurrentParticipant, input: unknown, debateId: string) => Promise<unknown>;
      handle(event, (actor, payload) => run(actor!, parseInput(input, payload ?? {}), debateId), true, true);
    }
    for (const name of READ_NAMES) {
      const { event, input, anonymous } = READS[name];
      const run = reads[name] as (actor: CurrentParticipant | null, input: unknown, debateId: string) => Promise<unknown>;
      handle(event, (actor, payload) => run(actor, parseInput(input, payload ?? {}), debateId), !anonymous);
    }

    // "Last seen" is best effort: while the database is away or the process drains it is skipped.
    const touch = (id: string) => services.touchParticipant(id).catch((error: unknown) => {
      if (!(isAppError(error) && error.code === ErrorCode.busy)) log.error("could not record when a participant was last seen", error);
    });
    socket.on("disconnect", () => {
      if (participant) schedulePresence(debateId);
      if (participant) void touch(participant.id);
    });
    if (participant) void touch(participant.id);

    void (async () => {
      try {
        const presence = await presenceOf(debateId);
        socket.emit(ServerEvent.welcome, { protocolVersion: PROTOCOL_VERSION, debateId, participant: participant ? publicParticipant(participant) : null, presence, seq, serverTime: new Date().toISOString() });
        if (lastSeq !== undefined) socket.emit(ServerEvent.catchUp, await services.catchUp(debateId, lastSeq, participant, holds));
        if (participant) schedulePresence(debateId);
      } catch (error) {
        log.error("welcome failed", error);
        socket.emit(ServerEvent.error, { code: ErrorCode.internal, message: localizedSentence("The server could not load this debate for you; reconnecting may help.", locale) });
      }
    })();
  });
  const close = io.close.bind(io);
  io.close = (fn) => {
    stopSweep();
    return close(fn);
  };
  return io;
}
