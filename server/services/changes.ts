/**
 * Delivery guarantees, server side (docs/decisions/0006-delivery-guarantees.md):
 *
 * - `appendChange`: every content change of a debate takes the next number of
 *   that debate's sequence (`Debate.lastSeq`, bumped under its row lock in the
 *   writing transaction, so numbers follow commit order), is stored in
 *   `DebateChange` for replay, and is published once the transaction commits
 *   (./publish.ts decides who receives it).
 * - `runOnce`: a client operation id is stored with the change in the same
 *   transaction under a unique key; a repeated id (sent twice, in parallel, or
 *   after a reconnect) is answered with the stored result, writes nothing and
 *   publishes nothing. `runOperation` does the same for an entry of the
 *   operations table (app/shared/operations.ts), with its stored name and rate limit.
 * - `catchUp`: what a client that has applied everything up to `lastSeq` missed.
 */
import type { CatchUpPayload, CurrentParticipant, DebateChange, DebateFrameDTO, MyChoicesDTO, TallySnapshot } from "../../app/shared/contract";
import { type CatchUpHolds, type HeldSets, heldSets, isHeld } from "../../app/shared/catch-up-holds";
import { type CountsAtSeq, frameCountsAt } from "./frame-counts";
import { CATCH_UP_MAX_CHANGES } from "../../app/shared/contract";
import { forbidden } from "../../app/shared/errors";
import { type Db, isUniqueViolation, type Tx } from "../db";
import { ratingTallyFromCounts, voteTallyFromCounts } from "../domain/tally";
import type { ServiceContext } from "./context";
import { debateRateRule } from "./debate-rate-limits";
import type { RateLimitedAction } from "./rate-limits";
import { changeForViewer, mayViewHidden } from "../../app/shared/moderation";
import { hiddenThreadMembers } from "./threads";
import { latestArgumentContent } from "./replay-content";
import { OPERATIONS, type OperationName } from "../../app/shared/operations";
import { inTransaction, publishAfterCommit } from "./publish";
import { forgetPropositionFacts } from "./proposition-facts";

/** Every this many changes of a debate, its changes older than the last CATCH_UP_MAX_CHANGES are deleted. */
export const CHANGE_PRUNE_EVERY = 500;

/**
 * Numbers and stores one change, and has it published after commit. Must run inside the
 * transaction that makes the change, started by runOnce or inTransaction (./publish.ts).
 * @returns the change as broadcast: `{ seq, kind, data }`.
 */
export async function appendChange<K extends DebateChange["kind"]>(tx: Tx, debateId: string, kind: K, data: Extract<DebateChange, { kind: K }>["data"]): Promise<DebateChange> {
  const rows = await tx.$queryRaw<{ lastSeq: number }[]>`UPDATE "Debate" SET "lastSeq" = "lastSeq" + 1 WHERE id = ${debateId}::uuid RETURNING "lastSeq"`;
  const seq = rows[0]!.lastSeq;
  await tx.debateChange.create({ data: { debateId, seq, kind, payload: data as object } });
  // Retention: a change more than CATCH_UP_MAX_CHANGES behind the latest is never replayed (such a client gets a
  // snapshot), so every CHANGE_PRUNE_EVERY changes the older ones go (docs/decisions/0025-shared-catch-up-and-change-retention.md).
  if (seq % CHANGE_PRUNE_EVERY === 0) await tx.debateChange.deleteMany({ where: { debateId, seq: { lte: seq - CATCH_UP_MAX_CHANGES } } });
  const change = { seq, kind, data } as DebateChange;
  // What votes check (status, phase, locks, propositions) may have changed: decide on fresh facts (./proposition-facts.ts).
  if (!kind.startsWith("argument.")) forgetPropositionFacts(debateId);
  publishAfterCommit(tx, { kind: "change", debateId, change });
  return change;
}


/**
 * The stored result of operation `opId`, when it was applied.
 * @returns `{ result }`, or null when no operation has that id.
 * @throws AppError forbidden when the id was used by another participant or for another kind of operation.
 */
export async function storedOperation<R>(ctx: ServiceContext, opId: string, participantId: string, kind: string): Promise<{ result: R } | null> {
  const row = await ctx.db.operation.findUnique({ where: { opId } });
  if (!row) return null;
  if (row.participantId !== participantId || row.kind !== kind) throw forbidden("This operation id was already used for something else.");
  return { result: row.result as R };
}

/**
 * Runs `work` in a transaction at most once per `opId`.
 * @param op `{ opId?, participantId, kind, limit?, debateId }`; without opId the work simply runs; `limit`
 *   names the participant's rate limit that a new (not replayed) operation counts against (the
 *   rule of debate `debateId` when its facilitators set one, else the server's).
 * @param work returns the result to store and acknowledge (JSON-serialisable); what it appends or
 *   records with publishAfterCommit is published after commit (./publish.ts).
 * @returns the result; for an opId already applied, the stored result (nothing is written or published again).
 * @throws AppError forbidden when the opId belongs to another participant; rate_limited; whatever `work` throws.
 */
export async function runOnce<R>(
  ctx: ServiceContext,
  op: { opId?: string; participantId: string; kind: string } & ({ limit?: undefined } | { limit: RateLimitedAction; debateId: string }),
  work: (tx: Tx) => Promise<R>,
): Promise<R> {
  const stored = () => storedOperation<R>(ctx, op.opId!, op.participantId, op.kind);
  if (op.opId) {
    const earlier = await stored();
    if (earlier) return earlier.result;
  }
  // A replayed operation was counted the first time; a new one takes a point of the participant's rate limit
  // (the debate's own rule when its facilitators set one).
  const rule = op.limit ? await debateRateRule(ctx, op.limit, op.debateId) : null;
  if (op.limit) {
    try {
      await ctx.limits.consume(op.limit, op.participantId, rule);
    } catch (refusal) {
      // A copy of this operation sent in parallel may have been stored meanwhile: a resent write is answered, not refused.
      if (op.opId) {
        const earlier = await stored();
        if (earlier) return earlier.result;
      }
      throw refusal;
    }
  }
  try {
    return await inTransaction(ctx, async (tx) => {
      const r = await work(tx);
      if (op.opId) await tx.operation.create({ data: { opId: op.opId, participantId: op.participantId, kind: op.kind, result: r as object } });
      return r;
    });
  } catch (error) {
    // A parallel duplicate committed first: our transaction rolled back whole; answer with its result, and give back the point.
    if (op.opId && isUniqueViolation(error)) {
      const earlier = await stored();
      if (earlier) {
        if (op.limit) await ctx.limits.reward(op.limit, op.participantId, rule);
        return earlier.result;
      }
    }
    throw error;
  }
}

/**
 * runOnce for an operation of the table: stored under its `storedAs` name, counted against its `limit`.
 * @throws as runOnce.
 */
export function runOperation<R>(ctx: ServiceContext, name: OperationName, actor: { id: string; debateId: string }, opId: string | undefined, work: (tx: Tx) => Promise<R>): Promise<R> {
  const { storedAs, limit } = OPERATIONS[name];
  return runOnce(ctx, limit ? { opId, participantId: actor.id, kind: storedAs, limit, debateId: actor.debateId } : { opId, participantId: actor.id, kind: storedAs }, work);
}

/**
 * Current vote tallies of every proposition and rating tallies of every rated argument, with versions,
 * from the counters the vote and rating triggers keep on each row (migration 20261206172000), so each
 * count is read with its version in one row (regrouping every vote and rating of the debate cost
 * 20–50 ms per catch-up on the large debate: docs/performance.md, section 11).
 */
export async function tallySnapshot(db: Db, debateId: string): Promise<TallySnapshot> {
  const [props, args] = await Promise.all([
    db.proposition.findMany({ where: { debateId }, select: { id: true, tallyVersion: true, agreeCount: true, disagreeCount: true, unsureCount: true } }),
    db.argument.findMany({ where: { debateId, tallyVersion: { gt: 0 } }, select: { id: true, tallyVersion: true, upCount: true, downCount: true } }),
  ]);
  return {
    propositions: props.map((p) => ({
      propositionId: p.id,
      tally: voteTallyFromCounts([{ value: "agree", count: p.agreeCount }, { value: "disagree", count: p.disagreeCount }, { value: "unsure", count: p.unsureCount }]),
      version: p.tallyVersion,
    })),
    arguments: args.map((a) => ({ argumentId: a.id, tally: ratingTallyFromCounts([{ value: "up", count: a.upCount }, { value: "down", count: a.downCount }]), version: a.tallyVersion })),
  };
}

/**
 * What a client that has applied every change up to `lastSeq` needs: the
 * missed changes in order plus current tallies, or a fresh snapshot when more
 * than CATCH_UP_MAX_CHANGES were missed (or lastSeq is ahead of the server, e.g.
 * after a database restore). Stored changes are replayed as `viewer` may see
 * them now: arguments in a thread that is hidden now are withheld (and their
 * rating tallies left out) unless the viewer is a facilitator or their author;
 * and each argument carries its latest content in the replay, so earlier
 * versions and deleted bodies are not replayed (./replay-content.ts).
 *
 * `holds` (a big debate's page, app/shared/catch-up-holds.ts): argument changes outside the held parts
 * are left out and every visible proposition's counts are sent instead, exactly as of the range's end
 * (`held` and `counts` in the payload; the range then ends at the change number read with the counts).
 * Without it, every change (a small debate's page holds every argument).
 */
export async function catchUp(
  ctx: ServiceContext,
  debateId: string,
  lastSeq: number,
  mine: () => Promise<MyChoicesDTO>,
  snapshot: () => Promise<CatchUpPayload & { mode: "snapshot" }>,
  viewer: CurrentParticipant | null,
  holds?: CatchUpHolds,
): Promise<CatchUpPayload> {
  const debate = await ctx.db.debate.findUnique({ where: { id: debateId }, select: { lastSeq: true } });
  if (!debate || lastSeq > debate.lastSeq || debate.lastSeq - lastSeq > CATCH_UP_MAX_CHANGES) return snapshot();
  // The range (lastSeq, to] is shared by every client catching up from the same point; the current
  // state (tallies, hidden threads, counts) by every client that asked within one short window (docs/decisions/0025-shared-catch-up-and-change-retention.md).
  // `mine` is read after the tallies, never beside them: the client takes the tallies' versions as how new these
  // choices are, so they must be at least that new. Read beside them, a vote stored between the two reads came back
  // as a tally that counts it and choices that lack it, and the client then ignored that vote's own acknowledgement
  // (same version) and showed its button unpressed (app/realtime/live-state.ts, mergeChoices).
  const state = Promise.all([currentState(ctx, debateId).then(async (s) => [s, await mine()] as const), holds ? currentCounts(ctx, debateId) : null]);
  // With holds, the range ends where the counts were read (changes after it reach the socket live and count on top);
  // else at the number read first, the range read beside the state.
  const range = holds ? state.then(([, counts]) => (counts ? changeRange(ctx, debateId, lastSeq, counts.seq) : [])) : changeRange(ctx, debateId, lastSeq, debate.lastSeq);
  const [stored, [[{ tallies, hidden }, myChoices], counts]] = await Promise.all([range, state]);
  if (holds && (!counts || counts.seq - lastSeq > CATCH_UP_MAX_CHANGES)) return snapshot();
  const held = holds ? heldSets(holds) : null;
  const kept = held ? heldChanges(stored, held) : stored;
  const changes = hidden.size ? kept.map((c) => changeForViewer(c, (id) => hidden.has(id), viewer)) : kept;
  const argumentTallies = hidden.size ? tallies.arguments.filter((t) => !hidden.has(t.argumentId) || mayViewHidden(viewer, hidden.get(t.argumentId)!)) : tallies.arguments;
  const toSeq = counts ? counts.seq : stored.length ? stored[stored.length - 1]!.seq : lastSeq;
  // A fresh tallies object: callers may change theirs (results hidden by the phase), the shared one stays whole.
  const payload: CatchUpPayload = { mode: "changes", fromSeq: lastSeq, toSeq, changes, tallies: { propositions: tallies.propositions, arguments: argumentTallies }, mine: myChoices };
  if (holds && counts) {
    payload.held = holds;
    payload.counts = countsFor(counts, viewer);
  }
  return payload;
}

/**
 * The changes of a range that a client holding `held` is sent in full: every change but the argument
 * changes outside the held parts (app/shared/catch-up-holds.ts `isHeld`); an unhide keeps only the
 * restored arguments that are held. The list and its changes are shared: new objects where they differ.
 */
export function heldChanges(changes: readonly DebateChange[], held: HeldSets): DebateChange[] {
  const out: DebateChange[] = [];
  for (const c of changes) {
    if (c.kind === "argument.created" || c.kind === "argument.updated") {
      if (isHeld(held, c.data)) out.push(c);
    } else if (c.kind === "argument.unhidden") {
      const restored = c.data.arguments.filter((a) => isHeld(held, a));
      out.push(restored.length === c.data.arguments.length ? c : { ...c, data: { ...c.data, arguments: restored } });
    } else out.push(c);
  }
  return out;
}

/** The counts `viewer` may see: hidden propositions' only for facilitators (as getDebate lists them). */
function countsFor(counts: CountsAtSeq, viewer: CurrentParticipant | null): DebateFrameDTO["counts"] {
  const seesHidden = viewer !== null && (viewer.role === "host" || viewer.role === "facilitator");
  const out: DebateFrameDTO["counts"] = {};
  for (const c of counts.counts) if (seesHidden || !c.hidden) out[c.propositionId] = { pro: c.pro, con: c.con, all: c.all };
  return out;
}

/** At most this many ranges, holding at most RANGE_CACHE_MAX_CHANGES changes in all, are kept (oldest used first out). */
export const RANGE_CACHE_MAX_ENTRIES = 16;
export const RANGE_CACHE_MAX_CHANGES = 20_000;
/** Clients asking for the current state within this many milliseconds share one read, started after the last of them asked. */
export const STATE_BATCH_MS = 20;

const ranges = new Map<string, { changes: Promise<DebateChange[]>; size: number }>();
let rangeChanges = 0;

/**
 * The stored changes (from, to] of a debate, each argument with its latest content in the range
 * (./replay-content.ts), read and prepared once for every client catching up from `from` while
 * the debate is at `to`. Stored changes never change, so a range is the same whenever it is read;
 * a failed read is not kept. The returned list is shared: callers must not modify it.
 */
function changeRange(ctx: ServiceContext, debateId: string, from: number, to: number): Promise<DebateChange[]> {
  const key = `${debateId}:${from}:${to}`;
  const hit = ranges.get(key);
  if (hit) {
    ranges.delete(key);
    ranges.set(key, hit); // most recently used last
    return hit.changes;
  }
  const entry = {
    size: to - from,
    changes: ctx.db.debateChange
      .findMany({ where: { debateId, seq: { gt: from, lte: to } }, orderBy: { seq: "asc" }, take: CATCH_UP_MAX_CHANGES })
      .then((rows) => latestArgumentContent(rows.map((r) => ({ seq: r.seq, kind: r.kind, data: r.payload }) as unknown as DebateChange))),
  };
  entry.changes.catch(() => {
    if (ranges.get(key) === entry) {
      ranges.delete(key);
      rangeChanges -= entry.size;
    }
  });
  ranges.set(key, entry);
  rangeChanges += entry.size;
  while (ranges.size > RANGE_CACHE_MAX_ENTRIES || (rangeChanges > RANGE_CACHE_MAX_CHANGES && ranges.size > 1)) {
    const [oldestKey, oldest] = ranges.entries().next().value as [string, { size: number }];
    ranges.delete(oldestKey);
    rangeChanges -= oldest.size;
  }
  return entry.changes;
}

type CurrentState = { tallies: TallySnapshot; hidden: Map<string, string> };
const stateBatches = new Map<string, Promise<CurrentState>>();

/**
 * The debate's current tallies and hidden threads, read once for all clients that ask within
 * STATE_BATCH_MS: the read starts after the last of them asked, so each sees every vote committed
 * before it asked (later ones reach it live, its socket being in the debate's room already).
 */
function currentState(ctx: ServiceContext, debateId: string): Promise<CurrentState> {
  const pending = stateBatches.get(debateId);
  if (pending) return pending;
  const batch = new Promise<void>((resolve) => setTimeout(resolve, STATE_BATCH_MS)).then(async () => {
    stateBatches.delete(debateId);
    const [tallies, hidden] = await Promise.all([tallySnapshot(ctx.db, debateId), hiddenThreadMembers(ctx.db, debateId)]);
    return { tallies, hidden };
  });
  stateBatches.set(debateId, batch);
  return batch;
}

const countBatches = new Map<string, Promise<CountsAtSeq | null>>();

/**
 * The debate's latest change number and its argument counts as of it (./debate-frame.ts frameCountsAt), read
 * once for all clients that ask within STATE_BATCH_MS, after the last of them asked (as currentState).
 */
function currentCounts(ctx: ServiceContext, debateId: string): Promise<CountsAtSeq | null> {
  const pending = countBatches.get(debateId);
  if (pending) return pending;
  const batch = new Promise<void>((resolve) => setTimeout(resolve, STATE_BATCH_MS)).then(() => {
    countBatches.delete(debateId);
    return frameCountsAt(ctx, debateId);
  });
  countBatches.set(debateId, batch);
  return batch;
}
