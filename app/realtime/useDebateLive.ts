/**
 * Client side of the socket contract: joins one debate's room, keeps the
 * live state (see ./live-state.ts), and sends every change as an operation
 * with an id through a persistent outbox (./outbox.ts): unacknowledged
 * operations are retried after a timeout or a reconnect, and survive a reload.
 * After a reconnect the server replays what was missed (handshake `lastSeq`);
 * a gap in the sequence that persists triggers `debate:resync`.
 */
import { useCallback, useEffect, useEffectEvent, useReducer, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import {
  type Ack,
  type ArgumentDTO,
  type ArgumentHiddenPayload,
  type ArgumentUnhiddenPayload,
  type CatchUpPayload,
  type DebateSettingsDTO,
  ClientEvent,
  type ClientToServerEvents,
  type CurrentParticipant,
  type DebateDTO,
  type MyChoicesDTO,
  type PropositionDTO,
  type RatingTalliedPayload,
  type RatingValue,
  type ReportDTO,
  type ReportsDismissedDTO,
  ServerEvent,
  type ServerToClientEvents,
  type VoteTalliedPayload,
  type VoteValue,
} from "~/shared/contract";
import { isRetryableCode } from "~/shared/errors";
import { initialLiveState, liveReducer, type ConnectionStatus, type LiveAction } from "./live-state";
import { newOpId, Outbox, type MutatingEvent, type QueuedOperation } from "./outbox";

export type { ConnectionStatus } from "./live-state";

type DebateSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long to wait for an acknowledgement before resending (the server answers a repeat with the original result). */
const ACK_TIMEOUT_MS = 8_000;
/** How often unacknowledged operations are retried while connected. */
const RETRY_INTERVAL_MS = 4_000;
/** A gap in the change sequence that lasts this long is repaired with a resync. */
const GAP_REPAIR_MS = 1_500;

/** Emits with an acknowledgement timeout; `err` is set when no answer came in time. Typed loosely: the event is chosen at run time. */
function emitWithAck<R>(socket: DebateSocket, event: string, payload: unknown, cb: (err: Error | null, reply: Ack<R>) => void): void {
  (socket.timeout(ACK_TIMEOUT_MS) as unknown as { emit(e: string, p: unknown, cb: (err: Error | null, reply: Ack<R>) => void): void }).emit(event, payload, cb);
}

/** What an acknowledged operation changes locally (the broadcast may arrive before or after; both are idempotent). */
function actionForAck(event: MutatingEvent, data: unknown): LiveAction | null {
  switch (event) {
    case ClientEvent.postArgument:
    case ClientEvent.editArgument:
    case ClientEvent.addSource:
    case ClientEvent.deleteArgument:
      return { type: "argumentSaved", argument: data as ArgumentDTO };
    case ClientEvent.hideArgument:
      return { type: "argumentHidden", payload: data as ArgumentHiddenPayload };
    case ClientEvent.unhideArgument:
      return { type: "argumentUnhidden", payload: data as ArgumentUnhiddenPayload };
    case ClientEvent.editProposition:
    case ClientEvent.lockProposition:
      return { type: "propositionSaved", proposition: data as PropositionDTO };
    case ClientEvent.castVote:
      return { type: "vote", payload: data as VoteTalliedPayload };
    case ClientEvent.rateArgument:
      return { type: "rating", payload: data as RatingTalliedPayload };
    case ClientEvent.reportArgument:
    case ClientEvent.dismissReports:
    case ClientEvent.closeDebate:
    case ClientEvent.reopenDebate:
      return null; // nothing local to change (close/reopen: the debate.updated change follows)
  }
}

/** Operations with the same key are sent one after another, in the order they were made. */
function orderingKey(op: QueuedOperation): string | null {
  const p = op.payload;
  switch (op.event) {
    case ClientEvent.castVote:
      return `vote:${String(p.propositionId)}`;
    case ClientEvent.rateArgument:
      return `rating:${String(p.argumentId)}`;
    case ClientEvent.editArgument:
    case ClientEvent.addSource:
    case ClientEvent.deleteArgument:
    case ClientEvent.hideArgument:
    case ClientEvent.unhideArgument:
      return `argument:${String(p.argumentId)}`;
    case ClientEvent.editProposition:
    case ClientEvent.lockProposition:
      return `proposition:${String(p.propositionId)}`;
    case ClientEvent.closeDebate:
    case ClientEvent.reopenDebate:
      return "debate";
    default:
      return null;
  }
}

/**
 * Joins the debate's live room.
 * @param initial the loader's data (so the first render is complete without the socket).
 * @returns the live state, the operations not yet confirmed, and actions that
 *   resolve with the server's acknowledgement (an error ack is final; a lost
 *   connection only delays the promise).
 */
export function useDebateLive(initial: { debate: DebateDTO; me: CurrentParticipant | null; mine: MyChoicesDTO; openReports?: number }) {
  const [state, dispatch] = useReducer(liveReducer, undefined, () => initialLiveState(initial.debate, initial.me, initial.mine));
  const debateId = initial.debate.id;
  const meId = initial.me?.id ?? null;
  const socketRef = useRef<DebateSocket | null>(null);
  const lastSeqRef = useRef(state.lastSeq);
  lastSeqRef.current = state.lastSeq;
  const outboxRef = useRef<Outbox | null>(null);
  const waiters = useRef(new Map<string, (reply: Ack<unknown>) => void>());
  const inflight = useRef(new Set<string>());
  /** Operations refused as too fast, with when they may be sent again (ms since epoch). */
  const notBefore = useRef(new Map<string, number>());
  const [unconfirmed, setUnconfirmed] = useState<QueuedOperation[]>([]);
  /** Open reports in the debate (facilitators only; kept current by `moderation:updated`). */
  const [openReports, setOpenReports] = useState(initial.openReports ?? 0);
  /** Why the server ended the live connection on purpose, or null while it has not. */
  const [endedBy, setEndedBy] = useState<string | null>(null);
  const lastServerError = useRef<string | null>(null);

  // Joining (or leaving) changes who we are: take the loader's identity and choices,
  // and reconnect below so the socket authenticates with the new cookie.
  const firstRender = useRef(true);
  const takeLoaderIdentity = useEffectEvent(() => dispatch({ type: "me", me: initial.me, mine: initial.mine }));
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    takeLoaderIdentity();
  }, [meId]);

  const trySend = useCallback((op: QueuedOperation) => {
    const socket = socketRef.current;
    if (!socket?.connected || inflight.current.has(op.opId)) return;
    if ((notBefore.current.get(op.opId) ?? 0) > Date.now()) return;
    // Operations on the same item go one at a time, in order: a vote changed twice quickly ends on the last choice.
    const key = orderingKey(op);
    if (key) {
      const first = outboxRef.current?.list().find((o) => orderingKey(o) === key);
      if (first && first.opId !== op.opId) return;
    }
    inflight.current.add(op.opId);
    emitWithAck<unknown>(socket, op.event, op.payload, (err, reply) => {
      inflight.current.delete(op.opId);
      if (err) return; // no answer: stays in the outbox and is resent
      if (!reply.ok && isRetryableCode(reply.error.code)) {
        // Too fast, or the server is busy: keep it and send it again (same opId) once the hint has passed,
        // with up to 50 % jitter so that a whole class does not resend in the same millisecond.
        const waitMs = (reply.error.retryAfterSeconds ?? 5) * 1000 * (1 + Math.random() * 0.5);
        notBefore.current.set(op.opId, Date.now() + waitMs);
        return;
      }
      notBefore.current.delete(op.opId);
      outboxRef.current?.remove(op.opId);
      setUnconfirmed(outboxRef.current?.list() ?? []);
      if (reply.ok) {
        const action = actionForAck(op.event, reply.data);
        if (action) dispatch(action);
      }
      waiters.current.get(op.opId)?.(reply);
      waiters.current.delete(op.opId);
      // The next operation on the same item may go now.
      const key = orderingKey(op);
      const next = key ? outboxRef.current?.list().find((o) => orderingKey(o) === key) : undefined;
      if (next) trySendRef.current?.(next);
    });
  }, []);
  const trySendRef = useRef(trySend);
  trySendRef.current = trySend;

  useEffect(() => {
    const sent = inflight.current;
    const outbox = new Outbox(`steelman:outbox:${debateId}:${meId ?? "observer"}`);
    outboxRef.current = outbox;
    setUnconfirmed(outbox.list());
    const socket: DebateSocket = io({
      auth: (cb) => cb({ debateId, lastSeq: lastSeqRef.current }),
      withCredentials: true,
      transports: ["websocket", "polling"],
    });
    socketRef.current = socket;
    const resendAll = () => outbox.list().forEach(trySend);
    socket.on("connect", () => {
      dispatch({ type: "status", status: "live" });
      resendAll();
    });
    socket.on(ServerEvent.error, (error) => {
      lastServerError.current = error.message;
    });
    socket.on("disconnect", (reason) => {
      inflight.current.clear();
      dispatch({ type: "status", status: navigator.onLine === false ? "offline" : "reconnecting" });
      // The server closed this connection on purpose (removed, signed out, debate made private):
      // socket.io will not reconnect by itself, so say why and offer a reload instead of "Reconnecting…" forever.
      if (reason === "io server disconnect") setEndedBy(lastServerError.current ?? "The server ended this live connection.");
    });
    socket.on("connect_error", () => dispatch({ type: "status", status: navigator.onLine === false ? "offline" : "reconnecting" }));
    socket.on(ServerEvent.welcome, (w) => {
      dispatch({ type: "presence", participants: w.presence });
      // The welcome names only who the connection authenticated as; a mute reaches us as participant.updated.
      if (w.participant?.id !== meId) dispatch({ type: "me", me: w.participant ? { ...w.participant, debateId, muted: false } : null });
    });
    socket.on(ServerEvent.catchUp, (payload) => dispatch({ type: "catchUp", payload }));
    socket.on(ServerEvent.change, (change) => dispatch({ type: "change", change }));
    socket.on(ServerEvent.voteTallied, (payload) => dispatch({ type: "vote", payload }));
    socket.on(ServerEvent.ratingTallied, (payload) => dispatch({ type: "rating", payload }));
    socket.on(ServerEvent.presence, ({ participants }) => dispatch({ type: "presence", participants }));
    socket.on(ServerEvent.moderation, (notice) => setOpenReports(notice.openReports));
    const retry = setInterval(resendAll, RETRY_INTERVAL_MS);
    const offline = () => dispatch({ type: "status", status: "offline" });
    const online = () => {
      dispatch({ type: "status", status: socket.connected ? "live" : "reconnecting" });
      if (socket.connected) resendAll();
      else socket.connect();
    };
    window.addEventListener("offline", offline);
    window.addEventListener("online", online);
    return () => {
      clearInterval(retry);
      window.removeEventListener("offline", offline);
      window.removeEventListener("online", online);
      socket.disconnect();
      socketRef.current = null;
      sent.clear();
    };
  }, [debateId, meId, trySend]);

  // Repair a gap in the change sequence that does not fill by itself.
  const hasGap = Object.keys(state.pending).length > 0;
  useEffect(() => {
    if (!hasGap) return;
    const timer = setTimeout(() => {
      const socket = socketRef.current;
      if (!socket?.connected) return;
      emitWithAck<CatchUpPayload>(socket, ClientEvent.resync, { lastSeq: lastSeqRef.current }, (err, reply) => {
        if (!err && reply.ok) dispatch({ type: "catchUp", payload: reply.data });
      });
    }, GAP_REPAIR_MS);
    return () => clearTimeout(timer);
  }, [hasGap, state.lastSeq]);

  /** Queues an operation, sends it when connected, and resolves with its acknowledgement. */
  const submit = useCallback(
    <T,>(event: MutatingEvent, payload: Record<string, unknown>): Promise<Ack<T>> => {
      const opId = newOpId();
      const op: QueuedOperation = { opId, event, payload: { ...payload, opId }, queuedAt: Date.now() };
      outboxRef.current?.add(op);
      setUnconfirmed(outboxRef.current?.list() ?? []);
      return new Promise<Ack<T>>((resolve) => {
        waiters.current.set(opId, resolve as (reply: Ack<unknown>) => void);
        trySend(op);
      });
    },
    [trySend],
  );

  const actions = {
    postArgument: (payload: { propositionId: string; parentId?: string | null; stance: "pro" | "con"; body: unknown; sources: { url: string; title: string; quote?: string }[] }) =>
      submit<ArgumentDTO>(ClientEvent.postArgument, payload),
    editArgument: (argumentId: string, body: unknown) => submit<ArgumentDTO>(ClientEvent.editArgument, { argumentId, body }),
    castVote: (propositionId: string, value: VoteValue | null) => {
      dispatch({ type: "myVote", propositionId, value });
      return submit<VoteTalliedPayload>(ClientEvent.castVote, { propositionId, value });
    },
    rateArgument: (argumentId: string, value: RatingValue | null) => {
      dispatch({ type: "myRating", argumentId, value });
      return submit<RatingTalliedPayload>(ClientEvent.rateArgument, { argumentId, value });
    },
    deleteArgument: (argumentId: string) => submit<ArgumentDTO>(ClientEvent.deleteArgument, { argumentId }),
    reportArgument: (argumentId: string, reason: string) => submit<ReportDTO>(ClientEvent.reportArgument, { argumentId, reason }),
    hideArgument: (argumentId: string, reason: string) => submit<ArgumentHiddenPayload>(ClientEvent.hideArgument, { argumentId, reason }),
    unhideArgument: (argumentId: string) => submit<ArgumentUnhiddenPayload>(ClientEvent.unhideArgument, { argumentId }),
    dismissReports: (argumentId: string) => submit<ReportsDismissedDTO>(ClientEvent.dismissReports, { argumentId }),
    /** Facilitators: lock or unlock a proposition. */
    lockProposition: (propositionId: string, locked: boolean) => submit<PropositionDTO>(ClientEvent.lockProposition, { propositionId, locked }),
    /** Facilitators: close the debate (read-only for everyone) or reopen it. */
    closeDebate: () => submit<DebateSettingsDTO>(ClientEvent.closeDebate, {}),
    reopenDebate: () => submit<DebateSettingsDTO>(ClientEvent.reopenDebate, {}),
  };
  return { state, actions, unconfirmed, openReports, endedBy };
}

/** A person's description of the connection and of what is still waiting. */
export function describeConnection(status: ConnectionStatus, waiting: number): string {
  const waitingText = waiting === 1 ? "1 change waiting" : `${waiting} changes waiting`;
  switch (status) {
    case "live":
      return waiting ? `Live · ${waiting === 1 ? "1 change" : `${waiting} changes`} not yet confirmed` : "Live";
    case "connecting":
      return "Connecting…";
    case "reconnecting":
      return waiting ? `Reconnecting… · ${waitingText}` : "Reconnecting…";
    case "offline":
      return waiting ? `Offline · ${waitingText}` : "Offline";
  }
}
