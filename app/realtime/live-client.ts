/**
 * The browser's live debate engine, without React (docs/decisions/0021-publisher-and-live-client.md):
 * socket lifecycle, the outbox of operations with ids, per-item ordering,
 * rate-limit backoff, acknowledgements, and repair of gaps in the change
 * sequence. The state itself is the pure reducer of ./live-state.ts; the React
 * hook (./useDebateLive.ts) only subscribes (`useSyncExternalStore`).
 *
 * It talks to the server through a small `LiveSocket` (socket.io in the browser,
 * an in-memory pair in tests/unit/live-client-fuzz.test.ts) and keeps time
 * through `LiveClock` (the real timers, or a virtual clock in tests).
 *
 * Rules (docs/protocol.md): every operation carries an opId and stays queued
 * until acknowledged; it is resent after ACK_TIMEOUT_MS without an answer, on
 * every reconnect and every RETRY_INTERVAL_MS; operations with the same
 * ordering key go one at a time, in the order they were made; a `rate_limited`
 * or `busy` answer keeps the operation and resends it after `retryAfterSeconds`
 * (plus up to 50 % jitter); any other answer is final. A gap in the change sequence lasting GAP_REPAIR_MS is
 * repaired with the resync read of the operations table.
 */
import type { Ack, CatchUpPayload, CurrentParticipant, DebateDTO, MyChoicesDTO, ServerToClientEvents } from "~/shared/contract";
import { ServerEvent } from "~/shared/constants";
import { ErrorCode, isRetryableCode } from "~/shared/errors";
import type {
  AckData,
  AckKind,
  DescribeContext,
  OperationDescription,
  OperationName,
  OperationPayload,
  OperationResult,
} from "~/shared/operations";
// The table's wire fields only: the schemas stay out of the browser's first load (issue 21).
import { ClientEvent, describeOperationInput, OPERATION_NAMES, OPERATION_WIRE as OPERATIONS, operationForEvent, orderingKeyOf } from "~/shared/operation-wire";
import { initialLiveState, liveReducer, type ConnectionStatus, type LiveAction, type LiveState } from "./live-state";
import type { CatchUpHolds } from "~/shared/catch-up-holds";
import type { HeldCatchUp } from "./held-catch-up";
import { newOpId, Outbox, type OutboxStorage, type QueuedOperation } from "./outbox";

/** How long to wait for an acknowledgement before resending (the server answers a repeat with the original result). */
export const ACK_TIMEOUT_MS = 8_000;
/** How often unacknowledged operations are retried while connected. */
export const RETRY_INTERVAL_MS = 4_000;
/** Seconds before connecting again after a refused handshake that gave no hint. */
export const HANDSHAKE_RETRY_SECONDS = 2;
/** A gap in the change sequence that lasts this long is repaired with a resync. */
export const GAP_REPAIR_MS = 1_500;

/** Events a LiveSocket delivers: the server's, plus the connection's own. */
export type LiveSocketEvents = ServerToClientEvents & {
  connect: () => void;
  /** `reason` as socket.io gives it; "io server disconnect" means the server ended it on purpose. */
  disconnect: (reason: string) => void;
  /** `data` is what the server's handshake middleware attached (`{ code, retryAfterSeconds? }`), if it refused. */
  connect_error: (error?: { message?: string; data?: { code?: string; retryAfterSeconds?: number } }) => void;
};

/** What the engine needs of a socket. */
export interface LiveSocket {
  readonly connected: boolean;
  /**
   * False when socket.io will not try again by itself: the server's handshake refused the connection
   * (socket.io-client's `socket.active`). Undefined is taken as true.
   */
  readonly active?: boolean;
  on<E extends keyof LiveSocketEvents>(event: E, handler: LiveSocketEvents[E]): void;
  /**
   * Sends `event` and calls `callback` once: with the reply, or with an error when none came within `timeoutMs`
   * (or the connection dropped first).
   */
  request(event: string, payload: unknown, timeoutMs: number, callback: (error: Error | null, reply?: Ack<unknown>) => void): void;
  /** Connects again after a disconnect (socket.io reconnects by itself otherwise). */
  connect(): void;
  disconnect(): void;
}

/** Opens a socket to the debate; `auth` is read at every (re)connection (handshake `lastSeq`, and `holds` in a big debate). */
export type LiveSocketFactory = (auth: () => { debateId: string; lastSeq: number; holds?: CatchUpHolds }) => LiveSocket;

/** Timers and time; the real ones by default. */
export interface LiveClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realClock: LiveClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

/** What the page shows; a new object whenever anything in it changes. */
export interface LiveSnapshot {
  state: LiveState;
  /** Operations made and not yet acknowledged, oldest first. */
  unconfirmed: QueuedOperation[];
  /** Open reports in the debate (facilitators only; kept current by `moderation:updated`). */
  openReports: number;
  /**
   * Why the server ended the live connection on purpose, or null while it has not: the server's own
   * sentence (in the reader's language when the server has it translated), else a catalogue message.
   */
  endedBy: { message: string } | { id: "connection.endedByServer" | "connection.refusedByServer" } | null;
}

/** The loader's data: the first snapshot is complete without the socket. */
export interface LiveInitial {
  debate: DebateDTO;
  me: CurrentParticipant | null;
  mine: MyChoicesDTO;
  openReports?: number;
}

export interface LiveClientOptions {
  socket: LiveSocketFactory;
  clock?: LiveClock;
  /** Where the outbox is kept (default localStorage; null: memory only). */
  storage?: OutboxStorage | null;
  /** New operation ids (default UUID v4). */
  newOpId?: () => string;
  /** Whether the device says it is offline (default: `navigator.onLine === false`). */
  isOffline?: () => boolean;
  /** A number in [0, 1) for the resend jitter (default Math.random). */
  random?: () => number;
}

/** One action per operation of the table, each resolving with the server's acknowledgement. */
export type LiveActions = { [N in OperationName]: (payload: OperationPayload<N>) => Promise<Ack<OperationResult<N>>> };

/** What an acknowledgement changes locally, by its kind (the broadcast may arrive before or after; both are idempotent). */
const ACK_EFFECTS: { [K in AckKind]?: (data: AckData[K]) => LiveAction } = {
  argument: (argument) => ({ type: "argumentSaved", argument }),
  argumentHidden: (payload) => ({ type: "argumentHidden", payload }),
  argumentUnhidden: (payload) => ({ type: "argumentUnhidden", payload }),
  proposition: (proposition) => ({ type: "propositionSaved", proposition }),
  voteTally: (payload) => ({ type: "vote", payload }),
  ratingTally: (payload) => ({ type: "rating", payload }),
  phase: (phase) => ({ type: "phaseSaved", phase }),
  motionVote: (payload) => ({ type: "motionVoted", payload }),
  decision: (decision) => ({ type: "decisionSaved", decision }),
  // report, reportsDismissed: nothing local; debateSettings: the debate.updated change follows.
};

/** What an operation shows at once, before the server answers, by the kind of its acknowledgement. */
const OPTIMISTIC: { [K in AckKind]?: (payload: Record<string, unknown>) => LiveAction } = {
  voteTally: (p) => ({ type: "myVote", propositionId: String(p.propositionId), value: (p.value ?? null) as never }),
  ratingTally: (p) => ({ type: "myRating", argumentId: String(p.argumentId), value: (p.value ?? null) as never }),
};

/**
 * One debate's live connection for one participant (or an observer).
 * Call `start()` to connect and `stop()` to leave; read with `getSnapshot()`, follow with `subscribe()`.
 */
export class DebateLiveClient {
  readonly debateId: string;
  /** The table's operations as methods: `actions.castVote({ propositionId, value })`. */
  readonly actions: LiveActions;
  private snapshot: LiveSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly outbox: Outbox;
  private readonly clock: LiveClock;
  private readonly makeOpId: () => string;
  private readonly isOffline: () => boolean;
  private readonly random: () => number;
  private socket: LiveSocket | null = null;
  /** Which send of each operation is in flight (a later answer to an earlier send is still accepted). */
  private readonly inflight = new Map<string, number>();
  private sends = 0;
  /** Operations refused as too fast, with when they may be sent again (clock ms). */
  private readonly notBefore = new Map<string, number>();
  private readonly waiters = new Map<string, (reply: Ack<unknown>) => void>();
  private retryTimer: unknown = null;
  private gapTimer: unknown = null;
  /** The lastSeq the gap timer was armed at (a change filling part of the gap re-arms it). */
  private gapArmedAt = -1;
  /** The resync in flight (its number), or 0. */
  private resyncInFlight = 0;
  private lastServerError: string | null = null;
  private stopped = true;
  /**
   * A debate read in parts, once ./held-catch-up.ts is loaded: what it holds (declared when catching up, the
   * rest then comes as counts) and the reducer that applies such catch-ups.
   */
  private held?: HeldCatchUp;

  constructor(
    initial: LiveInitial,
    private readonly options: LiveClientOptions,
  ) {
    this.debateId = initial.debate.id;
    this.clock = options.clock ?? realClock;
    this.makeOpId = options.newOpId ?? newOpId;
    this.isOffline = options.isOffline ?? (() => typeof navigator !== "undefined" && navigator.onLine === false);
    this.random = options.random ?? Math.random;
    this.outbox = new Outbox(`steelman:outbox:${this.debateId}:${initial.me?.id ?? "observer"}`, options.storage === undefined ? undefined : options.storage);
    this.snapshot = {
      state: initialLiveState(initial.debate, initial.me, initial.mine),
      unconfirmed: this.outbox.list(),
      openReports: initial.openReports ?? 0,
      endedBy: null,
    };
    // Loaded apart, after the page: out of its first load (scripts/js-budget.ts). Until it is here nothing is declared
    // (every change comes); a debate sent whole declares nothing anyway (heldParts).
    import("./held-catch-up").then((m) => (this.held = m.default(liveReducer)), () => {});
    this.actions = Object.fromEntries(OPERATION_NAMES.map((name) => [name, (payload: Record<string, unknown>) => this.send(name, payload as never)])) as unknown as LiveActions;
  }

  // ------------------------------------------------------------ store
  getSnapshot = (): LiveSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private update(next: Partial<LiveSnapshot>) {
    this.snapshot = { ...this.snapshot, ...next };
    for (const l of this.listeners) l();
  }

  /** Arguments read from the server in pages (./argument-reader.ts): merged into the live state. */
  receiveArguments = (action: Extract<LiveAction, { type: "page" | "fetched" }>): void => this.dispatch(action);

  private dispatch(action: LiveAction) {
    const state = this.keepPendingChoices((this.held?.reduce ?? liveReducer)(this.snapshot.state, action));
    if (state === this.snapshot.state) return;
    this.update({ state });
    this.watchGap();
  }

  /**
   * The participant's own choices (votes, ratings) still in the outbox stay shown over what the
   * server last said about them: an acknowledgement or broadcast of an earlier click, arriving while
   * later clicks on the same item wait, must not flip the pressed button back (a fast clicker would
   * then toggle from the wrong state and the tally would end where the clicks did not say).
   * Returns `state` itself when nothing differs.
   */
  private keepPendingChoices(state: LiveState): LiveState {
    let next = state;
    for (const op of this.outbox.list()) {
      const name = operationForEvent(op.event);
      const optimistic = name ? OPTIMISTIC[OPERATIONS[name].ack] : undefined;
      if (!optimistic) continue;
      const action = optimistic(op.payload);
      if (action.type === "myVote" && (next.myVotes[action.propositionId] ?? null) === action.value) continue;
      if (action.type === "myRating" && (next.myRatings[action.argumentId] ?? null) === action.value) continue;
      next = liveReducer(next, action);
    }
    return next;
  }

  // ------------------------------------------------------------ lifecycle
  /** Connects and starts retrying queued operations. Idempotent; a stopped client can start again. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    // A catch-up starts after our lastSeq; in a debate read in parts, what we hold is declared (the rest comes as counts).
    const socket = this.options.socket(() => ({ debateId: this.debateId, lastSeq: this.snapshot.state.lastSeq, holds: this.held?.holds(this.snapshot.state) }));
    this.socket = socket;
    socket.on("connect", () => {
      if (this.socket !== socket) return;
      this.dispatch({ type: "status", status: "live" });
      this.resendAll();
    });
    socket.on(ServerEvent.error, (error) => {
      this.lastServerError = error.message;
    });
    socket.on("disconnect", (reason) => {
      if (this.socket !== socket) return;
      this.inflight.clear();
      this.resyncInFlight = 0;
      this.dispatch({ type: "status", status: this.offlineOr("reconnecting") });
      // The server closed this connection on purpose (removed, signed out, debate made private):
      // socket.io will not reconnect by itself, so say why and offer a reload instead of "Reconnecting…" forever.
      if (reason === "io server disconnect") this.update({ endedBy: this.lastServerError ? { message: this.lastServerError } : { id: "connection.endedByServer" } });
    });
    socket.on("connect_error", (error) => {
      if (this.socket !== socket) return;
      this.dispatch({ type: "status", status: this.offlineOr("reconnecting") });
      if (socket.active !== false) return; // a transport failure: socket.io tries again by itself
      // The handshake was refused. For good (no such debate, not readable, bad request): say why.
      const code = error?.data?.code;
      if (code === ErrorCode.notFound || code === ErrorCode.validation || code === ErrorCode.forbidden) {
        this.update({ endedBy: error?.message ? { message: error.message } : { id: "connection.refusedByServer" } });
        return;
      }
      // For now (the server busy or reconnecting to its database): socket.io will not retry a refused
      // handshake, so connect again after the server's hint, with jitter so a room does not return at once.
      const delayMs = (error?.data?.retryAfterSeconds ?? HANDSHAKE_RETRY_SECONDS) * 1000 * (0.5 + this.random());
      this.clock.setTimeout(() => {
        if (!this.stopped && this.socket === socket && !socket.connected) socket.connect();
      }, delayMs);
    });
    socket.on(ServerEvent.welcome, (w) => {
      this.dispatch({ type: "presence", participants: w.presence });
      // Countdowns follow the server's clock (docs/decisions/0070-phases-server-clock.md).
      if (w.serverTime) this.dispatch({ type: "clock", offsetMs: Date.parse(w.serverTime) - this.clock.now() });
      // The welcome names only who the connection authenticated as; a mute reaches us as participant.updated.
      if (w.participant?.id !== this.snapshot.state.me?.id) this.dispatch({ type: "me", me: w.participant ? { ...w.participant, debateId: this.debateId, muted: false } : null });
    });
    socket.on(ServerEvent.catchUp, (payload) => this.dispatch({ type: "catchUp", payload }));
    socket.on(ServerEvent.change, (change) => {
      this.dispatch({ type: "change", change });
      // Tallies hidden by the phase come back with the results: read them (a catch-up carries the current tallies).
      if (change.kind === "debate.phase" && (change.data.resultsShown || change.data.phase?.name === "results")) this.resync();
    });
    socket.on(ServerEvent.voteTallied, (payload) => this.dispatch({ type: "vote", payload }));
    socket.on(ServerEvent.ratingTallied, (payload) => this.dispatch({ type: "rating", payload }));
    socket.on(ServerEvent.presence, ({ participants }) => this.dispatch({ type: "presence", participants }));
    socket.on(ServerEvent.moderation, (notice) => this.update({ openReports: notice.openReports }));
    this.retryTimer = this.clock.setInterval(() => this.resendAll(), RETRY_INTERVAL_MS);
  }

  /** Leaves: disconnects and stops every timer (queued operations stay in storage). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.clock.clearInterval(this.retryTimer);
    this.clearGapTimer();
    const socket = this.socket;
    this.socket = null;
    this.inflight.clear();
    socket?.disconnect();
  }

  /** The device went offline (the browser's `offline` event). */
  wentOffline(): void {
    this.dispatch({ type: "status", status: "offline" });
  }

  /** The device is back online (the browser's `online` event): reconnect or resend at once. */
  cameOnline(): void {
    const socket = this.socket;
    if (!socket) return;
    this.dispatch({ type: "status", status: socket.connected ? "live" : "reconnecting" });
    if (socket.connected) this.resendAll();
    else socket.connect();
  }

  private offlineOr(status: ConnectionStatus): ConnectionStatus {
    return this.isOffline() ? "offline" : status;
  }

  // ------------------------------------------------------------ operations
  /**
   * Queues an operation of the table, sends it when connected, and resolves with its acknowledgement
   * (an error answer is final; a lost connection only delays the promise).
   */
  send<N extends OperationName>(name: N, payload: OperationPayload<N>): Promise<Ack<OperationResult<N>>> {
    const spec = OPERATIONS[name];
    const opId = this.makeOpId();
    const op: QueuedOperation = { opId, event: spec.event, payload: { ...(payload as Record<string, unknown>), opId }, queuedAt: this.clock.now() };
    this.outbox.add(op);
    const optimistic = OPTIMISTIC[spec.ack];
    // One new snapshot: the choice shown at once and the operation among the unconfirmed.
    const state = optimistic ? this.keepPendingChoices(liveReducer(this.snapshot.state, optimistic(op.payload))) : this.snapshot.state;
    this.update({ state, unconfirmed: this.outbox.list() });
    return new Promise((resolve) => {
      this.waiters.set(opId, resolve as (reply: Ack<unknown>) => void);
      this.trySend(op);
    });
  }

  /** Each queued operation as a message to format, e.g. `outbox.castVote` ("Vote “agree” on proposition 3"). */
  describe(op: QueuedOperation): OperationDescription {
    return describeQueued(op, this.snapshot.state.propositions);
  }

  private keyOf(op: QueuedOperation): string | null {
    const name = operationForEvent(op.event);
    return name ? orderingKeyOf(name, op.payload) : null;
  }

  private resendAll() {
    for (const op of this.outbox.list()) this.trySend(op);
  }

  private trySend(op: QueuedOperation) {
    const socket = this.socket;
    if (!socket?.connected || this.inflight.has(op.opId)) return;
    if ((this.notBefore.get(op.opId) ?? 0) > this.clock.now()) return;
    // Operations on the same item go one at a time, in order: a vote changed twice quickly ends on the last choice.
    const key = this.keyOf(op);
    if (key !== null) {
      const first = this.outbox.list().find((o) => this.keyOf(o) === key);
      if (first && first.opId !== op.opId) return;
    }
    const send = ++this.sends;
    this.inflight.set(op.opId, send);
    socket.request(op.event, op.payload, ACK_TIMEOUT_MS, (error, reply) => {
      // Only this send's end frees the operation for another send (a late answer to an earlier one is still used).
      if (this.inflight.get(op.opId) === send) this.inflight.delete(op.opId);
      if (error || !reply) return; // no answer: stays in the outbox and is resent
      this.answered(op, reply);
    });
  }

  private answered(op: QueuedOperation, reply: Ack<unknown>) {
    // Answered already (a duplicate answer to a resend): nothing more to do.
    if (!this.outbox.list().some((o) => o.opId === op.opId)) return;
    if (!reply.ok && isRetryableCode(reply.error.code)) {
      // Too fast, or the server is busy: keep it and send it again (same opId) once the hint has passed,
      // with up to 50 % jitter so that a whole class does not resend in the same millisecond.
      const waitMs = (reply.error.retryAfterSeconds ?? 5) * 1000 * (1 + this.random() * 0.5);
      this.notBefore.set(op.opId, this.clock.now() + waitMs);
      return;
    }
    this.notBefore.delete(op.opId);
    this.outbox.remove(op.opId);
    const name = operationForEvent(op.event)!;
    const ack = OPERATIONS[name].ack;
    // One new snapshot: the operation leaves the unconfirmed as its result arrives (a pending post is
    // replaced by the saved argument in the same render, never a frame with neither or both).
    const effect = ACK_EFFECTS[ack] as ((data: unknown) => LiveAction) | undefined;
    const saved = reply.ok && effect ? liveReducer(this.snapshot.state, effect(reply.data)) : this.snapshot.state;
    this.update({ state: this.keepPendingChoices(saved), unconfirmed: this.outbox.list() });
    this.watchGap();
    if (!reply.ok && OPTIMISTIC[ack]) {
      // Refused after we showed it: ask the server for our choices as they are.
      this.resync();
    }
    this.waiters.get(op.opId)?.(reply);
    this.waiters.delete(op.opId);
    // The next operation on the same item may go now.
    const key = this.keyOf(op);
    const next = key === null ? undefined : this.outbox.list().find((o) => this.keyOf(o) === key);
    if (next) this.trySend(next);
  }

  // ------------------------------------------------------------ gap repair
  private clearGapTimer() {
    if (this.gapTimer !== null) this.clock.clearTimeout(this.gapTimer);
    this.gapTimer = null;
    this.gapArmedAt = -1;
  }

  /** Arms (or re-arms, when part of the gap filled) the repair of a gap in the change sequence. */
  private watchGap() {
    const { pending, lastSeq } = this.snapshot.state;
    const hasGap = Object.keys(pending).length > 0;
    if (!hasGap) return this.clearGapTimer();
    if (this.gapTimer !== null && this.gapArmedAt === lastSeq) return;
    this.clearGapTimer();
    this.gapArmedAt = lastSeq;
    this.gapTimer = this.clock.setTimeout(() => {
      this.gapTimer = null;
      this.gapArmedAt = -1;
      this.resync();
    }, GAP_REPAIR_MS);
  }

  /** Asks for everything after our lastSeq (and our choices); tries again later while a gap remains. */
  private resync() {
    const socket = this.socket;
    if (!socket?.connected || this.resyncInFlight) return;
    const send = ++this.sends;
    this.resyncInFlight = send;
    socket.request(ClientEvent.resync, { lastSeq: this.snapshot.state.lastSeq, holds: this.held?.holds(this.snapshot.state) }, ACK_TIMEOUT_MS, (error, reply) => {
      if (this.socket !== socket) return;
      if (this.resyncInFlight === send) this.resyncInFlight = 0;
      if (!error && reply?.ok) this.dispatch({ type: "catchUp", payload: reply.data as CatchUpPayload });
      this.watchGap();
    });
  }
}

/** A queued operation in words, from the operations table ("Vote “agree” on proposition 3"). */
export function describeQueued(op: QueuedOperation, propositions: readonly { id: string }[]): OperationDescription {
  const name = operationForEvent(op.event);
  if (!name) return { id: "outbox.unknown" };
  const ctx: DescribeContext = { proposition: (id) => propositions.findIndex((p) => p.id === id) + 1 };
  return describeOperationInput(name, op.payload, ctx);
}

/**
 * A person's description of the connection and of what is still waiting. A closed debate is
 * never called "Live" (nothing can be posted or voted there), whatever the socket's state.
 */
export function describeConnection(status: ConnectionStatus, waiting: number, debateClosed = false): string {
  const waitingText = waiting === 1 ? "1 change waiting" : `${waiting} changes waiting`;
  if (debateClosed && !waiting) return status === "offline" ? "Closed · offline" : "Closed";
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
