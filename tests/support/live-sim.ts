/**
 * A deterministic, in-memory world for testing the browser's live engine
 * (app/realtime/live-client.ts) without a browser, a database or real time:
 *
 * - `VirtualClock`: timers that fire only when the test advances time;
 * - `SimServer`: a model of the server's delivery rules (docs/protocol.md
 *   [P1]–[P6], docs/decisions/0006): operations applied once per opId and
 *   answered from the stored result when repeated, one change sequence per
 *   debate, versioned tallies, catch-up (changes, or a snapshot past
 *   `catchUpMax`), `rate_limited` answers; inputs are parsed with the
 *   operations table's own schemas (app/shared/operations.ts);
 * - `SimNetwork` + `SimSocket`: an in-memory socket pair whose faults the test
 *   chooses: requests handled in any order, broadcasts delivered in any order
 *   and duplicated, messages dropped (the connection then breaks, as a lost
 *   message only happens with a broken connection), disconnects and reconnects.
 *
 * Used by tests/unit/live-client-fuzz.test.ts and tests/unit/live-client.test.ts.
 */
import type { Ack, ArgumentDTO, CatchUpPayload, DebateChange, DebateDTO, MyChoicesDTO, PropositionWithTallyDTO, RatingValue, ServerToClientEvents, SourceDTO, VoteValue } from "../../app/shared/contract";
import { ServerEvent, sourceTitleOrHost } from "../../app/shared/contract";
import type { ErrorBody } from "../../app/shared/errors";
import { parseArgumentBody, plainTextToArgumentBody } from "../../app/shared/lexical";
import { ClientEvent, OPERATIONS, operationForEvent, type OperationInput, type OperationName } from "../../app/shared/operations";
import type { LiveClock, LiveSocket, LiveSocketEvents } from "../../app/realtime/live-client";
import { emptyRatingTally, ratingTallyFromCounts, voteTallyFromCounts } from "../../server/domain/tally";
import { latestArgumentContent } from "../../server/services/replay-content";

/** mulberry32: a small seeded PRNG, good enough for choosing test steps. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** An integer in [0, n). */
    int: (n: number) => Math.floor(next() * n),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T | undefined => (items.length ? items[Math.floor(next() * items.length)] : undefined),
    /** A UUID made of the generator's bits (deterministic per seed). */
    uuid: () => {
      const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join("");
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },
  };
}
export type Rng = ReturnType<typeof rng>;

/** Timers that fire only in `advance` (and at `runDue`), in time order. */
export class VirtualClock implements LiveClock {
  private t = 1_000_000;
  private seqNo = 0;
  private timers = new Map<number, { at: number; fn: () => void; every?: number }>();
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => this.add(fn, ms);
  setInterval = (fn: () => void, ms: number) => this.add(fn, ms, ms);
  clearTimeout = (h: unknown) => void this.timers.delete(h as number);
  clearInterval = (h: unknown) => void this.timers.delete(h as number);
  private add(fn: () => void, ms: number, every?: number) {
    const id = ++this.seqNo;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn, every });
    return id;
  }
  /** Moves time forward by `ms`, firing every timer due on the way. */
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      let nextId = -1;
      let nextAt = Infinity;
      for (const [id, timer] of this.timers) if (timer.at <= end && (timer.at < nextAt || (timer.at === nextAt && id < nextId))) [nextId, nextAt] = [id, timer.at];
      if (nextId < 0) break;
      const timer = this.timers.get(nextId)!;
      this.t = Math.max(this.t, timer.at);
      if (timer.every) timer.at += timer.every;
      else this.timers.delete(nextId);
      timer.fn();
    }
    this.t = end;
  }
}

/** Thrown inside SimServer operations; answered as `{ ok: false, error }`. */
class SimError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message);
  }
}
const refuse = (code: ErrorBody["code"], message: string) => new SimError({ code, message });

/** The plain text of an argument body, checked as the server checks it. */
function textOf(body: unknown): string {
  const parsed = parseArgumentBody(body);
  if (!parsed.ok) throw refuse("validation_failed", parsed.message);
  return parsed.plainText;
}

interface SimArgument {
  id: string;
  propositionId: string;
  parentId: string | null;
  stance: "pro" | "con";
  text: string;
  authorId: string;
  sources: SourceDTO[];
  createdAt: string;
  updatedAt: string;
  editCount: number;
  deleted: boolean;
  tallyVersion: number;
}
interface SimProposition {
  id: string;
  position: number;
  text: string;
  locked: boolean;
  tallyVersion: number;
}
export interface SimParticipant {
  id: string;
  displayName: string;
  role: "host" | "facilitator" | "debater" | "observer";
}

/** One live connection of a participant. */
export interface SimConnection {
  id: number;
  participant: SimParticipant;
  alive: boolean;
  /** Set when a message of this connection was dropped: it breaks soon (a lost message means a broken connection). */
  doomed: boolean;
}

/** What a server-side step sends out: to everyone in the debate, or to one participant's connections. */
type Outgoing = { to: "debate" | { participant: string }; event: keyof ServerToClientEvents; payload: unknown };

/** The model of the server, for one debate. */
export class SimServer {
  readonly debateId = "00000000-0000-4000-8000-00000000d0d0";
  seq = 0;
  readonly changes: DebateChange[] = [];
  readonly propositions: SimProposition[] = [];
  readonly arguments = new Map<string, SimArgument>();
  readonly votes = new Map<string, Map<string, VoteValue>>();
  readonly ratings = new Map<string, Map<string, RatingValue>>();
  /** opId → who sent it, under which name, and the stored answer. */
  readonly operations = new Map<string, { participantId: string; storedAs: string; reply: Ack<unknown> }>();
  /** How many times each opId was applied (must never exceed 1). */
  readonly applied = new Map<string, number>();
  /** opId → the participant whose operation it was. */
  readonly appliedBy = new Map<string, string>();
  readonly participants = new Map<string, SimParticipant>();
  /** Called with everything a committed write publishes. */
  onPublish: (out: Outgoing[]) => void = () => {};
  private ms = Date.UTC(2026, 0, 1);

  constructor(
    private readonly r: Rng,
    private readonly options: { catchUpMax: number; rateLimitedChance: number },
    propositionCount = 3,
  ) {
    for (let i = 0; i < propositionCount; i++) this.propositions.push({ id: r.uuid(), position: i, text: `Proposition ${i + 1}.`, locked: false, tallyVersion: 0 });
  }

  join(p: SimParticipant) {
    this.participants.set(p.id, p);
  }

  private stamp() {
    this.ms += 1 + this.r.int(3);
    return new Date(this.ms).toISOString();
  }

  private voteTally(propositionId: string) {
    const values = [...(this.votes.get(propositionId) ?? new Map<string, VoteValue>()).values()];
    return voteTallyFromCounts((["agree", "disagree", "unsure"] as const).map((value) => ({ value, count: values.filter((v) => v === value).length })));
  }
  private ratingTally(argumentId: string) {
    const values = [...(this.ratings.get(argumentId) ?? new Map<string, RatingValue>()).values()];
    return values.length ? ratingTallyFromCounts((["up", "down"] as const).map((value) => ({ value, count: values.filter((v) => v === value).length }))) : emptyRatingTally();
  }
  propositionDTO(p: SimProposition): PropositionWithTallyDTO {
    return { id: p.id, position: p.position, text: p.text, sourceSpan: null, locked: p.locked, tally: this.voteTally(p.id), tallyVersion: p.tallyVersion };
  }
  argumentDTO(a: SimArgument): ArgumentDTO {
    const author = this.participants.get(a.authorId)!;
    return {
      id: a.id,
      propositionId: a.propositionId,
      parentId: a.parentId,
      stance: a.stance,
      body: plainTextToArgumentBody(a.text),
      bodyText: a.text,
      author: { id: author.id, displayName: author.displayName, role: author.role },
      sources: a.deleted ? [] : a.sources.map((s) => ({ ...s })),
      tally: this.ratingTally(a.id),
      tallyVersion: a.tallyVersion,
      createdAt: a.createdAt,
      updatedAt: a.updatedAt,
      editCount: a.editCount,
      deleted: a.deleted,
      hidden: null,
      withheld: false,
    };
  }

  /** The debate as a participant reads it now (what a fresh page load shows). */
  snapshot(): DebateDTO {
    return {
      id: this.debateId,
      title: "Simulated debate",
      status: "published",
      visibility: "unlinked",
      sourceUrl: null,
      url: `/debates/${this.debateId}`,
      createdAt: "2026-01-01T00:00:00.000Z",
      format: "open",
      phase: null,
      phaseVersion: 0,
      phases: [],
      resultsShown: false,
      motion: null,
      decisions: [],
      teams: [],
      seq: this.seq,
      sourceText: "Proposition 1. Proposition 2. Proposition 3.",
      thesis: { heading: null, span: { start: 0, end: 10 } },
      propositions: this.propositions.map((p) => this.propositionDTO(p)),
      arguments: [...this.arguments.values()].map((a) => this.argumentDTO(a)),
    };
  }

  mine(participantId: string): MyChoicesDTO {
    const votes: Record<string, VoteValue> = {};
    const ratings: Record<string, RatingValue> = {};
    for (const [id, byWho] of this.votes) if (byWho.has(participantId)) votes[id] = byWho.get(participantId)!;
    for (const [id, byWho] of this.ratings) if (byWho.has(participantId)) ratings[id] = byWho.get(participantId)!;
    return { votes, ratings };
  }

  /** [P2]–[P6]: the changes after `lastSeq` with current tallies, or a snapshot when too far behind. */
  catchUp(lastSeq: number, participantId: string): CatchUpPayload {
    if (lastSeq > this.seq || this.seq - lastSeq > this.options.catchUpMax) return { mode: "snapshot", debate: this.snapshot(), mine: this.mine(participantId) };
    const changes = latestArgumentContent(this.changes.filter((c) => c.seq > lastSeq));
    return {
      mode: "changes",
      fromSeq: lastSeq,
      toSeq: changes.length ? changes[changes.length - 1]!.seq : lastSeq,
      changes,
      tallies: {
        propositions: this.propositions.map((p) => ({ propositionId: p.id, tally: this.voteTally(p.id), version: p.tallyVersion })),
        arguments: [...this.arguments.values()].filter((a) => a.tallyVersion > 0).map((a) => ({ argumentId: a.id, tally: this.ratingTally(a.id), version: a.tallyVersion })),
      },
      mine: this.mine(participantId),
    };
  }

  private append(kind: "argument.created" | "argument.updated", a: SimArgument): Outgoing {
    const change = { seq: ++this.seq, kind, data: this.argumentDTO(a) } as DebateChange;
    this.changes.push(change);
    return { to: "debate", event: ServerEvent.change, payload: change };
  }
  private appendProposition(p: SimProposition): Outgoing {
    const change: DebateChange = { seq: ++this.seq, kind: "proposition.updated", data: { id: p.id, position: p.position, text: p.text, sourceSpan: null, locked: p.locked } };
    this.changes.push(change);
    return { to: "debate", event: ServerEvent.change, payload: change };
  }

  private proposition(id: string) {
    const p = this.propositions.find((x) => x.id === id);
    if (!p) throw refuse("not_found", "That proposition was not found.");
    return p;
  }
  private argument(id: string) {
    const a = this.arguments.get(id);
    if (!a) throw refuse("not_found", "That argument was not found.");
    return a;
  }
  private ownOpenArgument(actor: SimParticipant, id: string) {
    const a = this.argument(id);
    if (a.authorId !== actor.id) throw refuse("forbidden", "You can only change your own arguments.");
    if (a.deleted) throw refuse("forbidden", "This argument was deleted by its author.");
    if (this.proposition(a.propositionId).locked) throw refuse("forbidden", "Locked.");
    return a;
  }

  /** Applies one operation of the table (those the simulation knows); returns the ack data and what to publish. */
  private apply(actor: SimParticipant, name: OperationName, input: Record<string, unknown>): { data: unknown; out: Outgoing[] } {
    switch (name) {
      case "postArgument": {
        const i = input as OperationInput<"postArgument">;
        if (this.proposition(i.propositionId).locked) throw refuse("forbidden", "Locked.");
        if (i.parentId) {
          const parent = this.argument(i.parentId);
          if (parent.propositionId !== i.propositionId) throw refuse("not_found", "The argument you are answering was not found.");
          if (parent.deleted) throw refuse("forbidden", "Deleted arguments take no replies.");
        }
        const at = this.stamp();
        const a: SimArgument = {
          id: this.r.uuid(),
          propositionId: i.propositionId,
          parentId: i.parentId ?? null,
          stance: i.stance,
          text: textOf(i.body),
          authorId: actor.id,
          sources: i.sources.map((s) => ({ id: this.r.uuid(), url: s.url, title: sourceTitleOrHost(s), quote: s.quote ?? null })),
          createdAt: at,
          updatedAt: at,
          editCount: 0,
          deleted: false,
          tallyVersion: 0,
        };
        this.arguments.set(a.id, a);
        const out = this.append("argument.created", a);
        return { data: (out.payload as DebateChange).data, out: [out] };
      }
      case "editArgument": {
        const i = input as OperationInput<"editArgument">;
        const a = this.ownOpenArgument(actor, i.argumentId);
        a.text = textOf(i.body);
        a.editCount += 1;
        a.updatedAt = this.stamp();
        const out = this.append("argument.updated", a);
        return { data: (out.payload as DebateChange).data, out: [out] };
      }
      case "deleteArgument": {
        const i = input as OperationInput<"deleteArgument">;
        const a = this.ownOpenArgument(actor, i.argumentId);
        a.deleted = true;
        a.text = "";
        a.sources = [];
        a.updatedAt = this.stamp();
        const out = this.append("argument.updated", a);
        return { data: (out.payload as DebateChange).data, out: [out] };
      }
      case "addSource": {
        const i = input as OperationInput<"addSource">;
        const a = this.ownOpenArgument(actor, i.argumentId);
        if (a.sources.length >= 5) throw refuse("validation_failed", "An argument can have at most 5 sources.");
        // Like the database: adding a source row does not touch the argument's updatedAt.
        a.sources.push({ id: this.r.uuid(), url: i.url, title: sourceTitleOrHost(i), quote: i.quote ?? null });
        const out = this.append("argument.updated", a);
        return { data: (out.payload as DebateChange).data, out: [out] };
      }
      case "removeSource": {
        const i = input as OperationInput<"removeSource">;
        const a = this.ownOpenArgument(actor, i.argumentId);
        if (!a.sources.some((s) => s.id === i.sourceId)) throw refuse("not_found", "That source was not found on this argument.");
        a.sources = a.sources.filter((s) => s.id !== i.sourceId);
        const out = this.append("argument.updated", a);
        return { data: (out.payload as DebateChange).data, out: [out] };
      }
      case "castVote": {
        const i = input as OperationInput<"castVote">;
        const p = this.proposition(i.propositionId);
        if (p.locked) throw refuse("forbidden", "Locked.");
        p.tallyVersion += 1;
        const byWho = this.votes.get(p.id) ?? new Map<string, VoteValue>();
        this.votes.set(p.id, byWho);
        if (i.value === null) byWho.delete(actor.id);
        else byWho.set(actor.id, i.value);
        const payload = { propositionId: p.id, tally: this.voteTally(p.id), version: p.tallyVersion, participantId: actor.id, value: i.value };
        return {
          data: payload,
          out: [
            { to: { participant: actor.id }, event: ServerEvent.voteTallied, payload },
            { to: "debate", event: ServerEvent.voteTallied, payload: { ...payload, participantId: null, value: null } },
          ],
        };
      }
      case "rateArgument": {
        const i = input as OperationInput<"rateArgument">;
        const a = this.argument(i.argumentId);
        if (a.deleted) throw refuse("forbidden", "Deleted arguments cannot be rated.");
        if (this.proposition(a.propositionId).locked) throw refuse("forbidden", "Locked.");
        a.tallyVersion += 1;
        const byWho = this.ratings.get(a.id) ?? new Map<string, RatingValue>();
        this.ratings.set(a.id, byWho);
        if (i.value === null) byWho.delete(actor.id);
        else byWho.set(actor.id, i.value);
        const payload = { argumentId: a.id, tally: this.ratingTally(a.id), version: a.tallyVersion, participantId: actor.id, value: i.value };
        return {
          data: payload,
          out: [
            { to: { participant: actor.id }, event: ServerEvent.ratingTallied, payload },
            { to: "debate", event: ServerEvent.ratingTallied, payload: { ...payload, participantId: null, value: null } },
          ],
        };
      }
      case "lockProposition": {
        const i = input as OperationInput<"lockProposition">;
        const p = this.proposition(i.propositionId);
        if (p.locked === i.locked) return { data: this.propositionDTO(p), out: [] };
        p.locked = i.locked;
        const out = this.appendProposition(p);
        return { data: (out.payload as DebateChange).data, out: [out] };
      }
      case "editProposition": {
        const i = input as OperationInput<"editProposition">;
        const p = this.proposition(i.propositionId);
        p.text = i.text;
        const out = this.appendProposition(p);
        return { data: (out.payload as DebateChange).data, out: [out] };
      }
      default:
        throw refuse("forbidden", `The simulation does not run ${name}.`);
    }
  }

  /**
   * Answers one socket request of `actor`, as server/realtime/socket.ts and runOnce do:
   * parse with the table's schema, answer a known opId from the store, else maybe refuse as
   * too fast, else apply and store the answer, then publish.
   */
  handle(actor: SimParticipant, event: string, payload: unknown): Ack<unknown> {
    if (event === ClientEvent.resync) {
      const lastSeq = (payload as { lastSeq?: unknown })?.lastSeq;
      if (typeof lastSeq !== "number") return { ok: false, error: { code: "validation_failed", message: "lastSeq is required." } };
      return { ok: true, data: this.catchUp(lastSeq, actor.id) };
    }
    const name = operationForEvent(event);
    if (!name) return { ok: false, error: { code: "validation_failed", message: `Unknown event ${event}.` } };
    const spec = OPERATIONS[name];
    const parsed = spec.input.safeParse(payload);
    if (!parsed.success) return { ok: false, error: { code: "validation_failed", message: parsed.error.issues[0]?.message ?? "Invalid." } };
    const input = parsed.data as Record<string, unknown> & { opId?: string };
    if (input.opId) {
      const stored = this.operations.get(input.opId);
      if (stored) return stored.participantId === actor.id && stored.storedAs === spec.storedAs ? stored.reply : { ok: false, error: { code: "forbidden", message: "This operation id was already used for something else." } };
      if (spec.limit && this.r.chance(this.options.rateLimitedChance)) return { ok: false, error: { code: "rate_limited", message: "Too fast.", retryAfterSeconds: 1 + this.r.int(3) } };
      // The database is busy (docs/decisions/0063): retry later with the same opId.
      if (this.r.chance(this.options.rateLimitedChance / 2)) return { ok: false, error: { code: "busy", message: "The server is busy.", retryAfterSeconds: 1 } };
    }
    try {
      const { data, out } = this.apply(actor, name, input);
      const reply: Ack<unknown> = { ok: true, data };
      if (input.opId) {
        this.operations.set(input.opId, { participantId: actor.id, storedAs: spec.storedAs, reply });
        this.applied.set(input.opId, (this.applied.get(input.opId) ?? 0) + 1);
        this.appliedBy.set(input.opId, actor.id);
      }
      this.onPublish(out);
      return reply;
    } catch (error) {
      if (error instanceof SimError) return { ok: false, error: error.body };
      throw error;
    }
  }

  /** Another participant acts directly on the server (their own client is not under test). */
  act(actor: SimParticipant, name: OperationName, input: Record<string, unknown>): Ack<unknown> {
    const payload = { ...input, opId: this.r.uuid() };
    for (;;) {
      const reply = this.handle(actor, OPERATIONS[name].event, payload);
      // Their own client resends until the server takes it.
      if (reply.ok || (reply.error.code !== "rate_limited" && reply.error.code !== "busy")) return reply;
    }
  }
}

type Message =
  | { kind: "request"; conn: SimConnection; socket: SimSocket; requestId: number; event: string; payload: unknown }
  | { kind: "reply"; conn: SimConnection; socket: SimSocket; requestId: number; reply: Ack<unknown> }
  | { kind: "event"; conn: SimConnection; socket: SimSocket; event: string; payload: unknown };

/** The wire between the sockets and the server, with the faults the test asks for. */
export class SimNetwork {
  /** Requests on their way to the server (handled in any order: handlers are asynchronous). */
  readonly up: Message[] = [];
  /** Replies and direct events, per connection in order (one TCP stream). */
  readonly down: Message[] = [];
  /** Broadcasts through the adapter: delivered in any order, sometimes twice. */
  readonly pool: Message[] = [];
  private readonly sockets = new Set<SimSocket>();
  private connectionIds = 0;

  constructor(
    readonly server: SimServer,
    private readonly r: Rng,
  ) {
    server.onPublish = (out) => {
      for (const o of out) {
        for (const socket of this.sockets) {
          const conn = socket.conn;
          if (!conn?.alive) continue;
          if (o.to !== "debate" && o.to.participant !== conn.participant.id) continue;
          this.pool.push({ kind: "event", conn, socket, event: o.event, payload: o.payload });
        }
      }
    };
  }

  /** A socket for `participant`, connecting at once (like socket.io's `io()`). */
  socketFor(participant: SimParticipant, clock: VirtualClock) {
    return (auth: () => { debateId: string; lastSeq: number }) => {
      const socket = new SimSocket(this, participant, clock, auth);
      this.sockets.add(socket);
      socket.connect();
      return socket;
    };
  }

  /** Handshake: welcome, then catch-up from the client's lastSeq, queued in order. */
  open(socket: SimSocket, participant: SimParticipant, lastSeq: number): SimConnection {
    const conn: SimConnection = { id: ++this.connectionIds, participant, alive: true, doomed: false };
    this.down.push({ kind: "event", conn, socket, event: ServerEvent.welcome, payload: { protocolVersion: 1, debateId: this.server.debateId, participant, presence: [participant], seq: this.server.seq } });
    this.down.push({ kind: "event", conn, socket, event: ServerEvent.catchUp, payload: this.server.catchUp(lastSeq, participant.id) });
    return conn;
  }

  /** Forgets everything in flight on a connection (it broke). */
  close(conn: SimConnection) {
    conn.alive = false;
    for (const queue of [this.up, this.down, this.pool]) {
      for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.conn === conn) queue.splice(i, 1);
    }
  }

  get idle() {
    return this.up.length === 0 && this.down.length === 0 && this.pool.length === 0;
  }

  /** The server handles one request (any of those waiting); its reply joins its connection's stream. */
  handleOne(): boolean {
    if (!this.up.length) return false;
    const [m] = this.up.splice(this.r.int(this.up.length), 1) as [Extract<Message, { kind: "request" }>];
    if (!m.conn.alive) return true;
    const reply = this.server.handle(m.conn.participant, m.event, m.payload);
    if (m.conn.alive) this.down.push({ kind: "reply", conn: m.conn, socket: m.socket, requestId: m.requestId, reply });
    return true;
  }

  /** Delivers the oldest direct message of one connection (streams stay in order). */
  deliverDirect(): boolean {
    if (!this.down.length) return false;
    const conn = this.r.pick(this.down)!.conn;
    const i = this.down.findIndex((m) => m.conn === conn);
    const [m] = this.down.splice(i, 1);
    m!.socket.receive(m!);
    return true;
  }

  /** Delivers any one broadcast; with `duplicate`, it stays queued to arrive again. */
  deliverBroadcast(duplicate = false): boolean {
    if (!this.pool.length) return false;
    const i = this.r.int(this.pool.length);
    const m = this.pool[i]!;
    if (!duplicate) this.pool.splice(i, 1);
    m.socket.receive(m);
    return true;
  }

  /** Sends a random waiting request twice (a retransmission). */
  duplicateRequest(): boolean {
    const m = this.r.pick(this.up);
    if (!m) return false;
    this.up.push({ ...m });
    return true;
  }

  /**
   * Loses one message anywhere; its connection is doomed to break. A lost broadcast of a change
   * may instead be lost silently, the connection staying up (a message lost between server nodes):
   * only the client's gap repair finds it then.
   */
  dropOne(): boolean {
    const queues = [this.up, this.down, this.pool].filter((q) => q.length);
    const queue = this.r.pick(queues);
    if (!queue) return false;
    const [m] = queue.splice(this.r.int(queue.length), 1);
    const silent = queue === this.pool && m!.kind === "event" && m!.event === ServerEvent.change && this.r.chance(0.5);
    if (!silent) m!.conn.doomed = true;
    return true;
  }

  /** Every socket whose connection is doomed breaks now. */
  breakDoomed() {
    for (const s of this.sockets) if (s.conn?.doomed) s.drop("transport close");
  }

  get allSockets() {
    return [...this.sockets];
  }
}

/** A LiveSocket over SimNetwork. */
export class SimSocket implements LiveSocket {
  conn: SimConnection | null = null;
  private handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  private pending = new Map<number, { callback: (error: Error | null, reply?: Ack<unknown>) => void; timer: unknown }>();
  private requestIds = 0;
  /** False after `disconnect()` (socket.io does not reconnect by itself then). */
  wantsConnection = true;

  constructor(
    private readonly net: SimNetwork,
    readonly participant: SimParticipant,
    private readonly clock: VirtualClock,
    private readonly auth: () => { debateId: string; lastSeq: number },
  ) {}

  get connected() {
    return !!this.conn?.alive;
  }

  on<E extends keyof LiveSocketEvents>(event: E, handler: LiveSocketEvents[E]): void {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler as (...args: unknown[]) => void]);
  }

  private fire(event: string, ...args: unknown[]) {
    for (const h of this.handlers.get(event) ?? []) h(...args);
  }

  request(event: string, payload: unknown, timeoutMs: number, callback: (error: Error | null, reply?: Ack<unknown>) => void): void {
    const requestId = ++this.requestIds;
    const timer = this.clock.setTimeout(() => {
      this.pending.delete(requestId);
      callback(new Error("operation has timed out"));
    }, timeoutMs);
    this.pending.set(requestId, { callback, timer });
    if (this.conn?.alive) this.net.up.push({ kind: "request", conn: this.conn, socket: this, requestId, event, payload });
  }

  /** Delivers a message (payloads are shared, not copied: the client treats what it receives as immutable). */
  receive(m: Message) {
    if (m.conn !== this.conn || !m.conn.alive) return;
    if (m.kind === "reply") {
      const waiting = this.pending.get(m.requestId);
      if (!waiting) return; // timed out already: socket.io drops a late acknowledgement
      this.pending.delete(m.requestId);
      this.clock.clearTimeout(waiting.timer);
      waiting.callback(null, m.reply);
    } else if (m.kind === "event") {
      this.fire(m.event, m.payload);
    }
  }

  /** (Re)connects: a new connection, handshake with the client's lastSeq, then "connect". */
  connect(): void {
    this.wantsConnection = true;
    if (this.conn?.alive) return;
    const { lastSeq } = this.auth();
    this.conn = this.net.open(this, this.participant, lastSeq);
    this.fire("connect");
  }

  /** The client leaves. */
  disconnect(): void {
    this.wantsConnection = false;
    this.drop("io client disconnect");
  }

  /** The connection breaks (or is closed); waiting requests time out as with socket.io. */
  drop(reason: string) {
    if (!this.conn?.alive) return;
    this.net.close(this.conn);
    this.fire("disconnect", reason);
  }
}
