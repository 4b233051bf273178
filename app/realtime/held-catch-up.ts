/**
 * A big debate's catch-up with counts for the parts not loaded (CatchUpPayload `held`, `counts`;
 * app/shared/catch-up-holds.ts): what the page declares it holds, and how such a catch-up is applied.
 * The live client (./live-client.ts) loads it apart when the page holds part of a debate, so that it
 * stays out of the debate page's first load (scripts/js-budget.ts); it takes the reducer as a
 * parameter for the same reason (importing it would split the page's chunk).
 */
import { type CatchUpPayload, HOLDS_MAX_ARGUMENTS, HOLDS_MAX_PROPOSITIONS } from "~/shared/contract";
import { type CatchUpHolds, heldSets, isHeld } from "~/shared/catch-up-holds";
import type { FrameState, LiveAction, LiveState, liveReducer } from "./live-state";

type Reducer = typeof liveReducer;

/**
 * What a partial frame holds, declared when (re)connecting or resyncing: the propositions with a page
 * read, and the arguments read outside them (a deep link). Undefined (everything held, every change
 * sent) for a complete frame or past the limits.
 */
export function heldParts({ frame, arguments: args }: LiveState): CatchUpHolds | undefined {
  if (frame.complete) return;
  const propositions = Object.keys(frame.pages);
  const ids = Object.keys(frame.fetched).filter((id) => args[id] && !(args[id].propositionId in frame.pages));
  return propositions.length > HOLDS_MAX_PROPOSITIONS || ids.length > HOLDS_MAX_ARGUMENTS ? undefined : { propositions, arguments: ids };
}

/**
 * Applies a catch-up to `state` with `reduce` (liveReducer). One for what we declared we hold, to a partial
 * frame that has not gone past it: its changes applied, `toSeq` taken as applied (the changes of parts not
 * held are left out, so their numbers are no gap), pending changes it covers dropped, the counts as of
 * `toSeq` put in place, and what lies outside the held parts forgotten (also pages read since we declared):
 * read again when the part opens; then its tallies and choices, and pending changes after it, as any
 * catch-up. Otherwise (a complete frame, or one already past `toSeq`) as any catch-up: a complete frame
 * then sees the left-out numbers as a gap, repaired by a resync that declares nothing. Pure; applying the
 * same catch-up again changes nothing.
 */
export function applyCatchUp(state: LiveState, payload: CatchUpPayload, reduce: Reducer): LiveState {
  if (payload.mode !== "changes" || !payload.held || !payload.counts || state.frame.complete || payload.toSeq <= state.lastSeq) return reduce(state, { type: "catchUp", payload });
  const { held, counts, toSeq } = payload;
  const keep = heldSets(held);
  // Pending changes it covers are dropped; later ones wait aside until the counts are in place, then count on top.
  const later = Object.fromEntries(Object.entries(state.pending).filter(([k]) => +k > toSeq));
  let next: LiveState = { ...state, pending: {} };
  // Each change as the next in sequence: the numbers left out between them are no gap.
  for (const change of payload.changes) if (change.seq > next.lastSeq && change.seq <= toSeq) next = reduce({ ...next, lastSeq: change.seq - 1 }, { type: "change", change });
  const args = Object.fromEntries(Object.entries(next.arguments).filter(([, a]) => isHeld(keep, a)));
  const kept = <V,>(o: Record<string, V>) => Object.fromEntries(Object.entries(o).filter(([id]) => args[id]));
  const f = next.frame;
  const frame: FrameState = {
    ...f,
    counts: Object.fromEntries(next.propositions.map((p) => [p.id, counts[p.id] ?? { pro: 0, con: 0, all: 0 }])),
    pages: Object.fromEntries(Object.entries(f.pages).filter(([id]) => keep.propositions.has(id))),
    replyPages: kept(f.replyPages),
    replyCounts: kept(f.replyCounts),
    fetched: kept(f.fetched),
  };
  return reduce({ ...next, lastSeq: toSeq, pending: later, arguments: args, frame }, { type: "catchUp", payload: { ...payload, changes: [] } });
}

/** What the live client takes from here: what the state holds (heldParts), and `reduce` with catch-ups applied by applyCatchUp. */
export interface HeldCatchUp {
  holds: typeof heldParts;
  reduce: Reducer;
}

/** The live client's HeldCatchUp around `reduce` (liveReducer); the default export, which it loads. */
const heldCatchUp = (reduce: Reducer): HeldCatchUp => ({
  holds: heldParts,
  reduce: (state: LiveState, action: LiveAction) => (action.type === "catchUp" ? applyCatchUp(state, action.payload, reduce) : reduce(state, action)),
});
export default heldCatchUp;
