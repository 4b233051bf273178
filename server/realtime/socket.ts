/**
 * The socket.io side of the contract in app/shared/contract.ts: handshake
 * authentication (participant cookie or handshake token), one room per
 * debate, per-event validation through the services, acknowledgements with
 * stable error codes, presence, and the Publisher the services use after commit.
 */
import type { Server as HttpServer } from "node:http";
import { parse as parseCookie } from "cookie";
import { Server, type Socket } from "socket.io";
import {
  ClientEvent,
  type ClientToServerEvents,
  handshakeAuthSchema,
  LIMITS,
  participantCookieName,
  type ParticipantDTO,
  PROTOCOL_VERSION,
  ServerEvent,
  type ServerToClientEvents,
  type Ack,
} from "../../app/shared/contract";
import { AppError, ErrorCode, isAppError, unauthenticated } from "../../app/shared/errors";
import type { Publisher } from "../services/context";
import type { AuthenticatedParticipant, Services } from "../services";
import { log } from "../log";

interface SocketData {
  debateId: string;
  participant: AuthenticatedParticipant | null;
}
export type DebateServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type DebateSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const room = (debateId: string) => `debate:${debateId}`;

/** A publisher that will emit through `io` once it is attached (services are built before the socket server). */
export function createSocketPublisher(): Publisher & { attach(io: DebateServer): void } {
  let server: DebateServer | null = null;
  return {
    attach(io) {
      server = io;
    },
    publish(debateId, event, ...payload) {
      server?.to(room(debateId)).emit(event, ...payload);
    },
  };
}

/** Counts open sockets per participant per debate, for the presence list. */
class Presence {
  private readonly byDebate = new Map<string, Map<string, number>>();
  add(debateId: string, participantId: string) {
    const m = this.byDebate.get(debateId) ?? new Map<string, number>();
    m.set(participantId, (m.get(participantId) ?? 0) + 1);
    this.byDebate.set(debateId, m);
  }
  remove(debateId: string, participantId: string) {
    const m = this.byDebate.get(debateId);
    if (!m) return;
    const n = (m.get(participantId) ?? 1) - 1;
    if (n <= 0) m.delete(participantId);
    else m.set(participantId, n);
    if (m.size === 0) this.byDebate.delete(debateId);
  }
  ids(debateId: string): string[] {
    return [...(this.byDebate.get(debateId)?.keys() ?? [])];
  }
}

function errorReply(error: unknown): Ack<never> {
  if (isAppError(error)) return { ok: false, error: error.toBody() };
  log.error("socket handler failed", error);
  return { ok: false, error: { code: ErrorCode.internal, message: "Something went wrong on the server; your change was not saved. Please try again." } };
}

/**
 * Attaches socket.io to `httpServer` (same port as HTTP).
 * @param allowedOrigins origins allowed to open a socket; empty = same-origin only (Origin host equals Host).
 */
export function createSocketServer(httpServer: HttpServer, services: Services, publisher: { attach(io: DebateServer): void }, allowedOrigins: string[] = []): DebateServer {
  const io: DebateServer = new Server(httpServer, {
    maxHttpBufferSize: LIMITS.socketMessageMaxBytes,
    serveClient: false,
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      if (!origin) return callback(null, true); // not a browser (scripts, tests)
      try {
        const host = new URL(origin).host;
        callback(null, host === req.headers.host || allowedOrigins.includes(origin));
      } catch {
        callback(null, false);
      }
    },
  });
  publisher.attach(io);
  const presence = new Presence();

  const broadcastPresence = async (debateId: string) => {
    try {
      const participants: ParticipantDTO[] = await services.participantsById(presence.ids(debateId));
      io.to(room(debateId)).emit(ServerEvent.presence, { debateId, participants });
    } catch (error) {
      log.error("presence broadcast failed", error);
    }
  };

  io.use(async (socket, next) => {
    try {
      const auth = handshakeAuthSchema.safeParse(socket.handshake.auth ?? {});
      if (!auth.success) return next(Object.assign(new Error("A debate id is required to connect."), { data: { code: ErrorCode.validation } }));
      const { debateId } = auth.data;
      const cookies = parseCookie(socket.handshake.headers.cookie ?? "");
      const token = auth.data.token ?? cookies[participantCookieName(debateId)];
      const debate = await services.getDebate(debateId).catch(() => null);
      if (!debate) return next(Object.assign(new Error("This debate was not found."), { data: { code: ErrorCode.notFound } }));
      const participant = await services.findParticipant(debateId, token);
      socket.data = { debateId, participant };
      next();
    } catch (error) {
      log.error("socket handshake failed", error);
      next(new Error("The server could not check your connection."));
    }
  });

  io.on("connection", (socket: DebateSocket) => {
    const { debateId, participant } = socket.data;
    void socket.join(room(debateId));
    if (participant) presence.add(debateId, participant.id);
    void services.participantsById(presence.ids(debateId)).then(
      (list) => socket.emit(ServerEvent.welcome, { protocolVersion: PROTOCOL_VERSION, debateId, participant, presence: list }),
      (error) => log.error("welcome failed", error),
    );
    if (participant) void broadcastPresence(debateId);

    /** Registers a handler that validates, runs the service as the socket's participant and acknowledges. */
    const handle = <T>(event: keyof ClientToServerEvents, run: (actor: AuthenticatedParticipant, payload: unknown) => Promise<T>) => {
      socket.on(event, async (payload: unknown, ack: unknown) => {
        const reply = typeof ack === "function" ? (ack as (r: Ack<T>) => void) : (r: Ack<T>) => { if (!r.ok) socket.emit(ServerEvent.error, r.error); };
        try {
          if (!socket.data.participant) throw unauthenticated();
          reply({ ok: true, data: await run(socket.data.participant, payload) });
        } catch (error) {
          reply(errorReply(error));
        }
      });
    };
    handle(ClientEvent.postArgument, (actor, p) => services.postArgument(actor, p));
    handle(ClientEvent.editArgument, (actor, p) => services.editArgument(actor, p));
    handle(ClientEvent.addSource, (actor, p) => services.addSource(actor, p));
    handle(ClientEvent.castVote, (actor, p) => services.castVote(actor, p));
    handle(ClientEvent.rateArgument, (actor, p) => services.rateArgument(actor, p));
    handle(ClientEvent.editProposition, (actor, p) => services.editProposition(actor, p));

    socket.on("disconnect", () => {
      if (participant) {
        presence.remove(debateId, participant.id);
        void broadcastPresence(debateId);
      }
    });
  });
  return io;
}
