/**
 * The client's live state of one debate and the pure reducer that applies
 * server events to it (rules in docs/protocol.md):
 * - content changes are applied in sequence order: a change with the next
 *   number is applied, an older one is ignored (already applied), a later one
 *   waits in `pending` until the gap is filled (by a catch-up);
 * - tallies carry per-item versions: the highest version wins, in any order;
 * - arguments and propositions are upserted by id, so applying twice changes nothing.
 */
import type { CurrentParticipant, DebateSettingsDTO, MotionDTO, MotionVoteDTO, ParticipantStateDTO, PhaseStateDTO } from "~/shared/contract";
import type { MotionStage, MotionVoteValue } from "~/shared/phases";
import type { DecisionDTO } from "~/shared/decisions";
import type { TeamDTO } from "~/shared/teams";
import type { ArgumentDTO, ArgumentHiddenPayload, ArgumentUnhiddenPayload, CatchUpPayload, DebateChange, DebateDTO, MyChoicesDTO, ParticipantDTO, PropositionDTO, PropositionWithTallyDTO, RatingTalliedPayload, RatingTally, RatingValue, VoteTalliedPayload, VoteTally, VoteValue } from "~/shared/contract";
import { mayViewHidden, withhold } from "~/shared/moderation";

export type ConnectionStatus = "connecting" | "live" | "reconnecting" | "offline";

export interface LiveState {
  /** The last change number applied. */
  lastSeq: number;
  /** Changes received ahead of a gap, by seq. */
  pending: Record<number, DebateChange>;
  propositions: PropositionWithTallyDTO[];
  arguments: Record<string, ArgumentDTO>;
  myVotes: Record<string, VoteValue>;
  myRatings: Record<string, RatingValue>;
  /**
   * The tally version at which the server last told us our own choice on each item (ack, our
   * other tabs' broadcast, catch-up): an older word about our own choice, arriving late, is ignored.
   */
  myChoiceVersions: { votes: Record<string, number>; ratings: Record<string, number> };
  /**
   * Tallies that arrived before their item (a rating broadcast overtaking the change that
   * creates the argument, or waiting behind a gap): applied when the item arrives.
   */
  earlyTallies: { propositions: Record<string, { tally: VoteTally; version: number }>; arguments: Record<string, { tally: RatingTally; version: number }> };
  presence: ParticipantDTO[];
  /** The current participant, as facilitators changed them since (`participant.updated`); `removed` once a facilitator removed them. */
  me: (CurrentParticipant & { removed?: boolean }) | null;
  status: ConnectionStatus;
  /** The debate's status, visibility and title, as `debate.updated` changes them (closing, reopening). */
  settings: DebateSettingsDTO;
  /** Format and phase, as `debate.phase` changes (and phase acknowledgements) bring them: the highest phaseVersion wins. */
  phase: PhaseStateDTO;
  /** Oxford debates: the motion and its polls (`motion.tallied`). */
  motion: MotionDTO | null;
  /** Workshop decisions, oldest first (`decision.updated`; the highest version of each wins). */
  decisions: DecisionDTO[];
  /** Teams (`teams.updated`), and the change number that last changed them (the team space re-reads its drafts when it moves). */
  teams: TeamDTO[];
  teamsSeq: number;
  /** Our own motion votes by poll. */
  myMotion: Partial<Record<MotionStage, MotionVoteValue>>;
  /** Server clock minus local clock, in ms, measured at the last welcome (countdowns use it). */
  clockOffsetMs: number;
  /** Which arguments are here and how to read the rest (issue 14, docs/decisions/0026-debate-page-frame.md). */
  frame: FrameState;
}

/** The debate's frame as the page keeps it: counts kept current by live changes, and the pages read so far. */
export interface FrameState {
  /** True: every argument is in `arguments` (a small debate, or a snapshot); nothing is read in pages. */
  complete: boolean;
  /** Per proposition: top-level arguments counted by stance, and all not deleted (DebateFrameDTO.counts). */
  counts: Record<string, { pro: number; con: number; all: number }>;
  /** Top-level pages read per proposition: their order and the next cursor (null: all read). */
  pages: Record<string, { order: ArgumentPageOrder; nextCursor: string | null }>;
  /** Reply pages read per argument: the next cursor (null: all read). */
  replyPages: Record<string, { nextCursor: string | null }>;
  /** Direct replies per argument as the server counted them (kept current by new replies). */
  replyCounts: Record<string, number>;
  /** Arguments read from a page or a deep link: shown at once, never held behind the "new arguments" pill. */
  fetched: Record<string, true>;
}

/** Orders of the paging API (GET …/propositions/:pid/arguments). */
export type ArgumentPageOrder = "oldest" | "newest" | "top";

/** One page of the paging API, as the page merges it. */
export interface ArgumentPage {
  propositionId: string;
  parentId: string | null;
  order: ArgumentPageOrder;
  arguments: (ArgumentDTO & { replyCount: number })[];
  nextCursor: string | null;
}

export type LiveAction =
  | { type: "snapshot"; debate: DebateDTO; mine?: MyChoicesDTO }
  | { type: "catchUp"; payload: CatchUpPayload }
  | { type: "change"; change: DebateChange }
  | { type: "argumentSaved"; argument: ArgumentDTO }
  /** The acknowledgement of one's own hide / unhide (the numbered change follows). */
  | { type: "argumentHidden"; payload: ArgumentHiddenPayload }
  | { type: "argumentUnhidden"; payload: ArgumentUnhiddenPayload }
  | { type: "propositionSaved"; proposition: PropositionDTO }
  | { type: "vote"; payload: VoteTalliedPayload }
  | { type: "rating"; payload: RatingTalliedPayload }
  | { type: "myVote"; propositionId: string; value: VoteValue | null }
  | { type: "myRating"; argumentId: string; value: RatingValue | null }
  | { type: "presence"; participants: ParticipantDTO[] }
  | { type: "me"; me: CurrentParticipant | null; mine?: MyChoicesDTO }
  | { type: "status"; status: ConnectionStatus }
  /** The server's clock at a welcome: `offsetMs` = server time − local time. */
  | { type: "clock"; offsetMs: number }
  | { type: "phaseSaved"; phase: PhaseStateDTO }
  | { type: "motionVoted"; payload: MotionVoteDTO }
  /** The acknowledgement of one's own proposal, answer or close (the numbered change follows). */
  | { type: "decisionSaved"; decision: DecisionDTO }
  /** A page of arguments read from the paging API (issue 14). */
  | { type: "page"; page: ArgumentPage }
  /** Arguments read for a deep link (an argument and its ancestors), with their reply counts. */
  | { type: "fetched"; arguments: (ArgumentDTO & { replyCount: number })[] };

const emptyVoteTally = (): VoteTally => ({ agree: 0, disagree: 0, unsure: 0, total: 0 });

/** The frame of a debate snapshot: as sent, or complete when it carries every argument (no `frame`). */
function frameOf(debate: DebateDTO): FrameState {
  const f = debate.frame;
  if (!f) return { complete: true, counts: {}, pages: {}, replyPages: {}, replyCounts: {}, fetched: {} };
  return { complete: f.complete, counts: f.counts, pages: f.pages, replyPages: {}, replyCounts: f.replyCounts, fetched: Object.fromEntries(debate.arguments.map((a) => [a.id, true as const])) };
}

/** What one argument adds to its proposition's counts (top-level, not deleted nor hidden: its column; not deleted: `all`). */
function contribution(a: ArgumentDTO | undefined): { top: number; all: number } {
  if (!a) return { top: 0, all: 0 };
  return { top: !a.parentId && !a.deleted && !a.hidden && !a.withheld ? 1 : 0, all: a.deleted ? 0 : 1 };
}

/**
 * Keeps a partial frame's counts current as an argument changes from `before` (undefined: not
 * here) to `after`. An argument not here that changes is taken as counted before unless it was
 * just created (it was on a page not read yet); a complete frame counts from the arguments themselves.
 */
function recount(frame: FrameState, before: ArgumentDTO | undefined, after: ArgumentDTO, created: boolean): FrameState {
  if (frame.complete) return frame;
  const was = before ? contribution(before) : created ? { top: 0, all: 0 } : { top: after.parentId ? 0 : 1, all: 1 };
  const now = contribution(after);
  let next = frame;
  if (was.top !== now.top || was.all !== now.all) {
    const c = frame.counts[after.propositionId] ?? { pro: 0, con: 0, all: 0 };
    next = { ...next, counts: { ...next.counts, [after.propositionId]: { ...c, [after.stance]: Math.max(0, c[after.stance] + now.top - was.top), all: Math.max(0, c.all + now.all - was.all) } } };
  }
  if (created && !before && after.parentId && after.parentId in next.replyCounts) next = { ...next, replyCounts: { ...next.replyCounts, [after.parentId]: next.replyCounts[after.parentId]! + 1 } };
  return next;
}

/** Merges arguments read from the server (a page or a deep link): a newer copy we have stays. */
function mergeFetched(state: LiveState, list: (ArgumentDTO & { replyCount: number })[]): Pick<LiveState, "arguments" | "frame"> {
  let args = state.arguments;
  const replyCounts = { ...state.frame.replyCounts };
  const fetched = { ...state.frame.fetched };
  for (const { replyCount, ...a } of list) {
    args = upsertArgument(args, a);
    replyCounts[a.id] = Math.max(replyCount, state.frame.replyCounts[a.id] ?? 0);
    fetched[a.id] = true;
  }
  return { arguments: args, frame: { ...state.frame, replyCounts, fetched } };
}

/** The part of the state a full debate (loader data or a catch-up snapshot) replaces. */
function fromDebate(debate: DebateDTO): Pick<LiveState, "lastSeq" | "propositions" | "arguments" | "settings" | "phase" | "motion" | "decisions" | "teams" | "teamsSeq" | "frame"> {
  return {
    frame: frameOf(debate),
    decisions: debate.decisions ?? [],
    teams: debate.teams ?? [],
    teamsSeq: debate.seq,
    phase: { format: debate.format ?? "open", phase: debate.phase ?? null, phaseVersion: debate.phaseVersion ?? 0, phases: debate.phases ?? [], resultsShown: debate.resultsShown ?? false },
    motion: debate.motion ?? null,
    lastSeq: debate.seq,
    propositions: debate.propositions,
    arguments: Object.fromEntries(debate.arguments.map((a) => [a.id, a])),
    settings: { status: debate.status, visibility: debate.visibility, title: debate.title },
  };
}

/** Our choices in a snapshot are as new as its tallies. */
function choiceVersionsOf(debate: DebateDTO): LiveState["myChoiceVersions"] {
  return {
    votes: Object.fromEntries(debate.propositions.map((p) => [p.id, p.tallyVersion])),
    ratings: Object.fromEntries(debate.arguments.map((a) => [a.id, a.tallyVersion])),
  };
}

/** Builds the initial state from the loader's data. */
export function initialLiveState(debate: DebateDTO, me: CurrentParticipant | null, mine: MyChoicesDTO): LiveState {
  return { ...fromDebate(debate), pending: {}, myVotes: mine.votes, myRatings: mine.ratings, myChoiceVersions: choiceVersionsOf(debate), earlyTallies: { propositions: {}, arguments: {} }, presence: [], me, status: "connecting", myMotion: mine.motion ?? {}, clockOffsetMs: 0 };
}

/**
 * A facilitator renamed, muted, re-roled or removed someone: their name and
 * role (the host/facilitator badge) on their arguments and in presence follow,
 * and so does our own state when it is us.
 */
function applyParticipant(state: LiveState, p: ParticipantStateDTO): LiveState {
  let args = state.arguments;
  for (const a of Object.values(state.arguments)) {
    if (a.author.id === p.id && (a.author.displayName !== p.displayName || a.author.role !== p.role)) {
      if (args === state.arguments) args = { ...args };
      args[a.id] = { ...a, author: { ...a.author, displayName: p.displayName, role: p.role } };
    }
  }
  const presence = p.removed
    ? state.presence.filter((x) => x.id !== p.id)
    : state.presence.map((x) => (x.id === p.id ? { id: p.id, displayName: p.displayName, role: p.role } : x));
  const me = state.me && state.me.id === p.id ? { ...state.me, displayName: p.displayName, role: p.role, muted: p.muted, removed: p.removed } : state.me;
  return { ...state, arguments: args, presence, me };
}

/** `a`, keeping `existing`'s rating tally when it is newer: content changes and tallies travel separately. */
function withNewerTally(a: ArgumentDTO, existing: ArgumentDTO | undefined): ArgumentDTO {
  return existing && existing.tallyVersion > a.tallyVersion ? { ...a, tally: existing.tally, tallyVersion: existing.tallyVersion } : a;
}

/**
 * Puts `a` in place of the copy we have unless ours is newer. `fromAck`: an acknowledgement, which
 * travels outside the change sequence, replaces only a strictly older copy (a change with the same
 * `updatedAt`, such as a source added since, may already be newer than the acknowledged one).
 */
function upsertArgument(args: Record<string, ArgumentDTO>, a: ArgumentDTO, fromAck = false): Record<string, ArgumentDTO> {
  const existing = args[a.id];
  if (existing && (existing.updatedAt > a.updatedAt || (fromAck && existing.updatedAt === a.updatedAt && !existing.withheld))) return args;
  return { ...args, [a.id]: withNewerTally(a, existing) };
}

function upsertProposition(list: PropositionWithTallyDTO[], p: PropositionDTO): PropositionWithTallyDTO[] {
  if (list.some((x) => x.id === p.id)) return list.map((x) => (x.id === p.id ? { ...x, ...p } : x));
  return [...list, { ...p, tally: emptyVoteTally(), tallyVersion: 0 }].sort((a, b) => a.position - b.position);
}

/**
 * A facilitator hid an argument: mark it hidden, and blank every argument of
 * its thread that this client may not see (app/shared/moderation.ts).
 */
function applyHidden(state: LiveState, { argumentId, hidden, threadIds }: ArgumentHiddenPayload): LiveState {
  const args = { ...state.arguments };
  const root = args[argumentId];
  let frame = state.frame;
  if (root) {
    args[argumentId] = { ...root, hidden };
    if (!root.hidden) frame = recount(frame, root, args[argumentId]!, false);
  }
  for (const id of threadIds) {
    const a = args[id];
    if (a && !a.withheld && !mayViewHidden(state.me, a.author.id)) args[id] = withhold(a);
  }
  return { ...state, arguments: args, frame };
}

/** A facilitator unhid an argument: its thread's full arguments replace the blanked ones. */
function applyUnhidden(state: LiveState, { argumentId, arguments: restored }: ArgumentUnhiddenPayload): LiveState {
  const args = { ...state.arguments };
  for (const a of restored) {
    const existing = args[a.id];
    // A withheld copy's tally is zero for this viewer: never keep it.
    args[a.id] = existing?.withheld ? a : withNewerTally(a, existing);
  }
  const root = args[argumentId];
  if (root?.hidden && !restored.some((a) => a.id === argumentId)) args[argumentId] = { ...root, hidden: null };
  const before = state.arguments[argumentId];
  const after = args[argumentId];
  const frame = before?.hidden && after && !after.hidden ? recount(state.frame, before, after, false) : state.frame;
  return { ...state, arguments: args, frame };
}

/** A decision replaces our copy unless ours is newer (by version); a new one goes last (they come oldest first). */
function applyDecision(state: LiveState, decision: DecisionDTO): LiveState {
  const existing = state.decisions.find((d) => d.id === decision.id);
  if (!existing) return { ...state, decisions: [...state.decisions, decision] };
  if (existing.version > decision.version) return state;
  return { ...state, decisions: state.decisions.map((d) => (d.id === decision.id ? decision : d)) };
}

/** A newer phase state (by phaseVersion) replaces ours; an acknowledgement and its change may come in any order. */
function applyPhase(state: LiveState, phase: PhaseStateDTO): LiveState {
  return phase.phaseVersion >= state.phase.phaseVersion ? { ...state, phase } : state;
}

function applyChange(state: LiveState, change: DebateChange): LiveState {
  switch (change.kind) {
    case "argument.created":
    case "argument.updated": {
      const args = upsertArgument(state.arguments, change.data);
      if (args === state.arguments) return state;
      return { ...state, arguments: args, frame: recount(state.frame, state.arguments[change.data.id], change.data, change.kind === "argument.created") };
    }
    case "argument.hidden":
      return applyHidden(state, change.data);
    case "argument.unhidden":
      return applyUnhidden(state, change.data);
    case "proposition.updated":
      return { ...state, propositions: upsertProposition(state.propositions, change.data) };
    case "debate.updated":
      return { ...state, settings: change.data };
    case "participant.updated":
      return applyParticipant(state, change.data);
    case "debate.phase":
      return applyPhase(state, change.data);
    case "motion.tallied":
      return { ...state, motion: change.data };
    case "decision.updated":
      return applyDecision(state, change.data);
    case "teams.updated":
      return { ...state, teams: change.data.teams, teamsSeq: change.seq };
    default:
      return state;
  }
}

/** Applies `incoming` and then whatever pending changes became contiguous. */
function receiveChanges(state: LiveState, incoming: DebateChange[]): LiveState {
  let next = state;
  let pending = state.pending;
  for (const change of incoming) {
    if (change.seq <= next.lastSeq || pending[change.seq]) continue;
    pending = { ...pending, [change.seq]: change };
  }
  while (pending[next.lastSeq + 1]) {
    const change = pending[next.lastSeq + 1]!;
    const { [change.seq]: _applied, ...rest } = pending;
    pending = rest;
    next = { ...applyChange(next, change), lastSeq: change.seq };
  }
  // Drop anything at or below lastSeq (a snapshot may have jumped past it).
  if (Object.keys(pending).some((k) => Number(k) <= next.lastSeq)) pending = Object.fromEntries(Object.entries(pending).filter(([k]) => Number(k) > next.lastSeq));
  return next === state && pending === state.pending ? state : { ...next, pending };
}

function applyVoteTally(state: LiveState, propositionId: string, tally: VoteTally, version: number): LiveState {
  if (!state.propositions.some((p) => p.id === propositionId)) {
    const early = state.earlyTallies.propositions[propositionId];
    if (early && early.version >= version) return state;
    return { ...state, earlyTallies: { ...state.earlyTallies, propositions: { ...state.earlyTallies.propositions, [propositionId]: { tally, version } } } };
  }
  let changed = false;
  const propositions = state.propositions.map((p) => {
    if (p.id !== propositionId || version <= p.tallyVersion) return p;
    changed = true;
    return { ...p, tally, tallyVersion: version };
  });
  return changed ? { ...state, propositions } : state;
}

function applyRatingTally(state: LiveState, argumentId: string, tally: RatingTally, version: number): LiveState {
  const a = state.arguments[argumentId];
  if (!a) {
    const early = state.earlyTallies.arguments[argumentId];
    if (early && early.version >= version) return state;
    return { ...state, earlyTallies: { ...state.earlyTallies, arguments: { ...state.earlyTallies.arguments, [argumentId]: { tally, version } } } };
  }
  // A withheld argument is counted out: its tally stays zero for this viewer.
  if (a.withheld || version <= a.tallyVersion) return state;
  return { ...state, arguments: { ...state.arguments, [argumentId]: { ...a, tally, tallyVersion: version } } };
}

const setChoice = <V,>(map: Record<string, V>, key: string, value: V | null): Record<string, V> => {
  const next = { ...map };
  if (value === null) delete next[key];
  else next[key] = value;
  return next;
};

/**
 * Our choices after a catch-up: the server's (`theirs`, as new as `theirVersions`), except on
 * items where we already heard of a newer version of our own choice (an acknowledgement that
 * arrived before this catch-up's answer).
 */
function mergeChoices<V>(mine: Record<string, V>, myVersions: Record<string, number>, theirs: Record<string, V>, theirVersions: Record<string, number>): { values: Record<string, V>; versions: Record<string, number> } {
  const values: Record<string, V> = {};
  const versions: Record<string, number> = { ...myVersions };
  for (const key of new Set([...Object.keys(mine), ...Object.keys(theirs), ...Object.keys(theirVersions)])) {
    // An item left out of the tallies has version 0 there (nobody has voted on or rated it yet).
    const theirVersion = theirVersions[key] ?? 0;
    const keepMine = theirVersion < (myVersions[key] ?? -1);
    const value = keepMine ? mine[key] : theirs[key];
    if (value !== undefined) values[key] = value;
    if (!keepMine) versions[key] = Math.max(theirVersion, versions[key] ?? -1);
  }
  return { values, versions };
}

/** Applies early tallies whose item has arrived (and forgets them). */
function settleEarlyTallies(state: LiveState): LiveState {
  const { propositions, arguments: args } = state.earlyTallies;
  const readyP = Object.keys(propositions).filter((id) => state.propositions.some((p) => p.id === id));
  const readyA = Object.keys(args).filter((id) => state.arguments[id]);
  if (!readyP.length && !readyA.length) return state;
  let next: LiveState = {
    ...state,
    earlyTallies: {
      propositions: Object.fromEntries(Object.entries(propositions).filter(([id]) => !readyP.includes(id))),
      arguments: Object.fromEntries(Object.entries(args).filter(([id]) => !readyA.includes(id))),
    },
  };
  for (const id of readyP) next = applyVoteTally(next, id, propositions[id]!.tally, propositions[id]!.version);
  for (const id of readyA) next = applyRatingTally(next, id, args[id]!.tally, args[id]!.version);
  return next;
}

/** Pure reducer: every event is applied by id, sequence or version, so a repeated event changes nothing. */
export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  const next = reduce(state, action);
  return next !== state && (Object.keys(next.earlyTallies.propositions).length || Object.keys(next.earlyTallies.arguments).length) ? settleEarlyTallies(next) : next;
}

function reduce(state: LiveState, action: LiveAction): LiveState {
  switch (action.type) {
    case "snapshot": {
      const fresh = fromDebate(action.debate);
      // A snapshot read before a tally we already applied must not take it back ([P4]).
      for (const [id, a] of Object.entries(fresh.arguments)) {
        const existing = state.arguments[id];
        if (existing && !existing.withheld && !a.withheld) fresh.arguments[id] = withNewerTally(a, existing);
      }
      fresh.propositions = fresh.propositions.map((p) => {
        const existing = state.propositions.find((x) => x.id === p.id);
        return existing && existing.tallyVersion > p.tallyVersion ? { ...p, tally: existing.tally, tallyVersion: existing.tallyVersion } : p;
      });
      let base: LiveState = { ...state, ...fresh };
      if (action.mine) {
        const theirs = choiceVersionsOf(action.debate);
        const votes = mergeChoices(state.myVotes, state.myChoiceVersions.votes, action.mine.votes, theirs.votes);
        const ratings = mergeChoices(state.myRatings, state.myChoiceVersions.ratings, action.mine.ratings, theirs.ratings);
        base = { ...base, myVotes: votes.values, myRatings: ratings.values, myChoiceVersions: { votes: votes.versions, ratings: ratings.versions } };
      }
      return receiveChanges(base, Object.values(state.pending));
    }
    case "catchUp": {
      const p = action.payload;
      if (p.mode === "snapshot") return reduce(state, { type: "snapshot", debate: p.debate, mine: p.mine });
      let next = receiveChanges(state, p.changes);
      for (const t of p.tallies.propositions) next = applyVoteTally(next, t.propositionId, t.tally, t.version);
      for (const t of p.tallies.arguments) next = applyRatingTally(next, t.argumentId, t.tally, t.version);
      // The catch-up's choices are as new as its tallies: they replace ours, unless we already heard newer word about one.
      const votes = mergeChoices(next.myVotes, next.myChoiceVersions.votes, p.mine.votes, Object.fromEntries(p.tallies.propositions.map((t) => [t.propositionId, t.version])));
      const ratings = mergeChoices(next.myRatings, next.myChoiceVersions.ratings, p.mine.ratings, Object.fromEntries(p.tallies.arguments.map((t) => [t.argumentId, t.version])));
      return { ...next, myVotes: votes.values, myRatings: ratings.values, myChoiceVersions: { votes: votes.versions, ratings: ratings.versions } };
    }
    case "change":
      return receiveChanges(state, [action.change]);
    case "argumentSaved": {
      const args = upsertArgument(state.arguments, action.argument, true);
      if (args === state.arguments) return state;
      // An acknowledgement of a new post (not here before) counts like its change, which then finds it here.
      return { ...state, arguments: args, frame: recount(state.frame, state.arguments[action.argument.id], action.argument, !state.arguments[action.argument.id]) };
    }
    case "argumentHidden":
      return applyHidden(state, action.payload);
    case "argumentUnhidden":
      return applyUnhidden(state, action.payload);
    case "propositionSaved":
      return { ...state, propositions: upsertProposition(state.propositions, action.proposition) };
    case "vote": {
      const { propositionId, tally, version, participantId, value } = action.payload;
      const next = applyVoteTally(state, propositionId, tally, version);
      if (!participantId || participantId !== state.me?.id || version <= (state.myChoiceVersions.votes[propositionId] ?? -1)) return next;
      return { ...next, myVotes: setChoice(next.myVotes, propositionId, value), myChoiceVersions: { ...next.myChoiceVersions, votes: { ...next.myChoiceVersions.votes, [propositionId]: version } } };
    }
    case "rating": {
      const { argumentId, tally, version, participantId, value } = action.payload;
      const next = applyRatingTally(state, argumentId, tally, version);
      if (!participantId || participantId !== state.me?.id || version <= (state.myChoiceVersions.ratings[argumentId] ?? -1)) return next;
      return { ...next, myRatings: setChoice(next.myRatings, argumentId, value), myChoiceVersions: { ...next.myChoiceVersions, ratings: { ...next.myChoiceVersions.ratings, [argumentId]: version } } };
    }
    case "myVote":
      return { ...state, myVotes: setChoice(state.myVotes, action.propositionId, action.value) };
    case "myRating":
      return { ...state, myRatings: setChoice(state.myRatings, action.argumentId, action.value) };
    case "presence":
      return { ...state, presence: action.participants };
    case "me":
      return action.mine ? { ...state, me: action.me, myVotes: action.mine.votes, myRatings: action.mine.ratings, myChoiceVersions: { votes: {}, ratings: {} } } : { ...state, me: action.me };
    case "status":
      return state.status === action.status ? state : { ...state, status: action.status };
    case "clock":
      return { ...state, clockOffsetMs: action.offsetMs };
    case "phaseSaved":
      return applyPhase(state, action.phase);
    case "motionVoted":
      return { ...state, myMotion: { ...state.myMotion, [action.payload.stage]: action.payload.value }, motion: action.payload.motion };
    case "decisionSaved":
      return applyDecision(state, action.decision);
    case "page": {
      const { page } = action;
      const merged = mergeFetched(state, page.arguments);
      const frame = page.parentId
        ? { ...merged.frame, replyPages: { ...merged.frame.replyPages, [page.parentId]: { nextCursor: page.nextCursor } } }
        : { ...merged.frame, pages: { ...merged.frame.pages, [page.propositionId]: { order: page.order, nextCursor: page.nextCursor } } };
      return { ...state, ...merged, frame };
    }
    case "fetched":
      return { ...state, ...mergeFetched(state, action.arguments) };
  }
}
