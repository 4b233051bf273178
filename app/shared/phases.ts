/**
 * Formats and phases of a debate (issue 13), without I/O: shared by the server
 * (server/services/phases.ts stores the state and runs the transitions below) and
 * the browser (the phase banner, the facilitator's controls, the motion panel).
 *
 * - A **format** says how a debate is run: `open` (the open board, no phases),
 *   `classroom` (read → argue → rebut → vote → results), `oxford` (an Oxford-style
 *   motion: before-vote → arguments → rebuttals → after-vote → results) or
 *   `workshop` (an open board for now; its closing vote and decision step are not built yet).
 * - A **phase** has a default duration in seconds (null: no timer, e.g. results). The server stores
 *   the current phase as an index with `startedAt`, `endsAt` and `pausedAt` (epoch milliseconds here,
 *   ISO 8601 on the wire) and a `version` bumped by every change. A published debate starts in its first
 *   phase, *waiting* (startedAt null) until a facilitator presses "start" (docs/decisions/0070-phases-server-clock.md).
 *   While paused `endsAt` is kept, so the time left is `endsAt − pausedAt`. The server never moves on by
 *   itself: when the timer reaches zero the room is told that time is up and a facilitator moves on.
 * - What each phase allows (`phaseRules`) is applied by `decide` (app/shared/permissions.ts).
 * - The Oxford result (`motionResult`): swing and winner as Intelligence Squared scores its debates.
 */
import { DebateFormat, MotionStage, MotionVoteValue } from "../generated/prisma/enums";
import { conflict, validationError } from "./errors";
import type { MessageKey } from "../i18n/messages/en";

export { DebateFormat, MotionStage, MotionVoteValue };

/** The phases of each format, in order, exactly as issue 13 names them (the open board and the workshop have none yet). */
export const PHASES = {
  open: [],
  classroom: ["read", "argue", "rebut", "vote", "results"],
  oxford: ["before-vote", "arguments", "rebuttals", "after-vote", "results"],
  workshop: [],
} as const satisfies Record<DebateFormat, readonly string[]>;

export type ClassroomPhase = (typeof PHASES.classroom)[number];
export type OxfordPhase = (typeof PHASES.oxford)[number];
export type PhaseName = ClassroomPhase | OxfordPhase;

/** Default duration of each phase in seconds (null: no timer). A facilitator changes them when creating the debate, or extends a running phase. */
export const DEFAULT_DURATIONS: Record<PhaseName, number | null> = {
  read: 5 * 60,
  argue: 15 * 60,
  rebut: 10 * 60,
  vote: 3 * 60,
  results: null,
  "before-vote": 2 * 60,
  arguments: 15 * 60,
  rebuttals: 10 * 60,
  "after-vote": 2 * 60,
};

/** The catalogue ids (app/i18n/messages) of each phase's name and of what it asks: PHASE_TEXT below is their English. */
export const PHASE_KEYS: Record<PhaseName, { label: MessageKey; ask: MessageKey }> = {
  read: { label: "phase.read", ask: "phase.read.ask" },
  argue: { label: "phase.argue", ask: "phase.argue.ask" },
  rebut: { label: "phase.rebut", ask: "phase.rebut.ask" },
  vote: { label: "phase.vote", ask: "phase.vote.ask" },
  results: { label: "phase.results", ask: "phase.results.ask" },
  "before-vote": { label: "phase.beforeVote", ask: "phase.beforeVote.ask" },
  arguments: { label: "phase.arguments", ask: "phase.arguments.ask" },
  rebuttals: { label: "phase.rebuttals", ask: "phase.rebuttals.ask" },
  "after-vote": { label: "phase.afterVote", ask: "phase.afterVote.ask" },
};

/**
 * A refusal a person reads: its English `text` (what the server's errors say) and the catalogue
 * message `key` with its `values` (what the pages show, in the page's language). `phase` names a phase
 * (the page puts its translated name, and `ask` its translated request); `action` an Action of
 * app/shared/permissions.ts (the page puts its translated description `what`); `who` which roles may.
 */
export interface Refusal {
  key: MessageKey;
  values?: { phase?: PhaseName; action?: string; who?: "host" | "facilitators" | "writers" };
  text: string;
}

/** How each phase is named to people, and what it asks of the room. */
export const PHASE_TEXT: Record<PhaseName, { label: string; ask: string }> = {
  read: { label: "Read", ask: "Read the article and its propositions. Arguments come next." },
  argue: { label: "Argue", ask: "Post your arguments for or against the propositions." },
  rebut: { label: "Rebut", ask: "Answer the arguments already made: rebuttals only, no new top-level arguments." },
  vote: { label: "Vote", ask: "Vote on each proposition: agree, disagree or unsure. No more arguments." },
  results: { label: "Results", ask: "Look at the results together." },
  "before-vote": { label: "Before vote", ask: "Vote on the motion before the debate: for, against or undecided." },
  arguments: { label: "Arguments", ask: "Make the case for or against the motion. You can still change your before vote." },
  rebuttals: { label: "Rebuttals", ask: "Answer the other side's arguments: rebuttals only, no new top-level arguments." },
  "after-vote": { label: "After vote", ask: "Vote on the motion again, now that you have heard both sides." },
};

/** The longest single extension, and the longest phase, in seconds (anything longer is a typo, not a lesson). */
export const MAX_EXTEND_SECONDS = 2 * 60 * 60;
export const MAX_PHASE_SECONDS = 8 * 60 * 60;
/** What "+1 min" adds when `seconds` is not given. */
export const DEFAULT_EXTEND_SECONDS = 60;


/** The facilitator's phase actions (POST /api/debates/:id/phase, operation `changePhase`). */
export const PHASE_ACTIONS = ["start", "pause", "resume", "extend", "next", "previous"] as const;
export type PhaseAction = (typeof PHASE_ACTIONS)[number];

export type PhaseDurations = Record<string, number>;

/** Whether `format` runs in phases. */
export const hasPhases = (format: DebateFormat): boolean => PHASES[format].length > 0;

/** The phase list of a format. */
export const phasesOf = (format: DebateFormat): readonly PhaseName[] => PHASES[format];

/**
 * Checks that every key of `durations` is a phase of `format` with a timer.
 * @throws AppError validation_failed naming the phase.
 */
export function checkDurations(format: DebateFormat, durations: PhaseDurations | null | undefined): PhaseDurations | null {
  if (!durations || Object.keys(durations).length === 0) return null;
  const names: readonly string[] = PHASES[format];
  for (const [name, seconds] of Object.entries(durations)) {
    if (!names.includes(name)) throw validationError(names.length ? `“${name}” is not a phase of a ${format} debate (its phases: ${names.join(", ")}).` : `A ${format} debate has no phases.`, `durations.${name}`);
    if (DEFAULT_DURATIONS[name as PhaseName] === null) throw validationError(`“${name}” has no timer.`, `durations.${name}`);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_PHASE_SECONDS) throw validationError(`A phase's duration must be a whole number of seconds from 1 to ${MAX_PHASE_SECONDS}.`, `durations.${name}`);
  }
  return durations;
}

/** The duration of `name` in seconds: the facilitator's choice, else the default (null: no timer). */
export function durationOf(name: PhaseName, durations: PhaseDurations | null | undefined): number | null {
  const def = DEFAULT_DURATIONS[name];
  if (def === null) return null;
  return durations?.[name] ?? def;
}

/** The stored phase state, times in epoch milliseconds. */
export interface PhaseState {
  /** Index into the format's phase list. */
  index: number;
  /** When the timer started (null: waiting for "start"). */
  startedAt: number | null;
  /** When the timer ends; kept while paused. Null: waiting, or a phase without timer. */
  endsAt: number | null;
  /** Set while paused. */
  pausedAt: number | null;
  /** Bumped by every change. */
  version: number;
  /** The facilitator's durations (null: defaults). */
  durations: PhaseDurations | null;
}

/** The state a published debate starts in: its first phase, waiting for "start". */
export const initialPhaseState = (durations: PhaseDurations | null = null, version = 0): PhaseState => ({ index: 0, startedAt: null, endsAt: null, pausedAt: null, version, durations });

/** The name of the current phase. @throws Error when the index is outside the format's list (a corrupt row). */
export function phaseName(format: DebateFormat, state: Pick<PhaseState, "index">): PhaseName {
  const name = PHASES[format][state.index];
  if (!name) throw new Error(`Phase ${state.index} does not exist in a ${format} debate.`);
  return name;
}

/** Whether the timer is waiting for "start", running, paused, or the phase has no timer. */
export function timerStatus(state: PhaseState): "waiting" | "running" | "paused" | "untimed" {
  if (state.startedAt === null) return "waiting";
  if (state.endsAt === null) return "untimed";
  return state.pausedAt !== null ? "paused" : "running";
}

/**
 * Milliseconds left on the timer at `now` (never negative); null when the phase has no timer.
 * Waiting: the whole duration; paused: `endsAt − pausedAt`; running: `endsAt − now`.
 */
export function remainingMs(format: DebateFormat, state: PhaseState, now: number): number | null {
  const status = timerStatus(state);
  if (status === "untimed") return null;
  if (status === "waiting") {
    const d = durationOf(phaseName(format, state), state.durations);
    return d === null ? null : d * 1000;
  }
  const until = status === "paused" ? state.pausedAt! : now;
  return Math.max(0, state.endsAt! - until);
}

/** Only `extend` takes seconds. */
export const secondsOnlyWithExtend = (v: { action: PhaseAction; seconds?: number }) => v.seconds === undefined || v.action === "extend";

const label = (name: PhaseName) => PHASE_TEXT[name].label;

/**
 * Applies one facilitator action to the phase state at time `now` (epoch ms):
 * - `start`: starts the waiting timer (a phase without timer just begins);
 * - `pause` / `resume`: stops and restarts a running timer, keeping the time left;
 * - `extend`: adds `seconds` (default 60) to the timer; waiting, to the phase's duration; when time is up, from now;
 * - `next` / `previous`: moves one phase and starts its timer at once.
 * Every change bumps `version`.
 * @returns the new state (the input is not modified).
 * @throws AppError validation_failed (seconds not a whole number from 1 to MAX_EXTEND_SECONDS), conflict
 *   (the action does not apply now: already running, not paused, no next phase, a phase without timer…).
 */
export function applyPhaseAction(format: DebateFormat, state: PhaseState, change: { action: PhaseAction; seconds?: number }, now: number): PhaseState {
  const list = PHASES[format];
  if (list.length === 0) throw conflict(`A ${format === "open" ? "open-board" : format} debate has no phases.`);
  const name = phaseName(format, state);
  const status = timerStatus(state);
  const next: PhaseState = { ...state, version: state.version + 1 };
  const begin = (index: number): PhaseState => {
    const d = durationOf(list[index]!, state.durations);
    return { ...next, index, startedAt: now, endsAt: d === null ? null : now + d * 1000, pausedAt: null };
  };
  switch (change.action) {
    case "start":
      if (status !== "waiting") throw conflict(`“${label(name)}” has already started${status === "paused" ? ": it is paused, press resume" : ""}.`);
      return begin(state.index);
    case "pause":
      if (status === "waiting") throw conflict(`“${label(name)}” has not started yet: press start.`);
      if (status === "untimed") throw conflict(`“${label(name)}” has no timer to pause.`);
      if (status === "paused") throw conflict(`“${label(name)}” is already paused.`);
      return { ...next, pausedAt: now };
    case "resume":
      if (status !== "paused") throw conflict(`“${label(name)}” is not paused.`);
      return { ...next, endsAt: now + Math.max(0, state.endsAt! - state.pausedAt!), pausedAt: null };
    case "extend": {
      const seconds = change.seconds ?? DEFAULT_EXTEND_SECONDS;
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_EXTEND_SECONDS) {
        throw validationError(`seconds must be a whole number of seconds from 1 to ${MAX_EXTEND_SECONDS}.`, "seconds");
      }
      if (status === "untimed" || durationOf(name, state.durations) === null) throw conflict(`“${label(name)}” has no timer to extend.`);
      if (status === "waiting") {
        const total = durationOf(name, state.durations)! + seconds;
        if (total > MAX_PHASE_SECONDS) throw validationError(`A phase lasts at most ${MAX_PHASE_SECONDS / 3600} hours.`, "seconds");
        return { ...next, durations: { ...state.durations, [name]: total } };
      }
      const from = status === "running" ? Math.max(state.endsAt!, now) : state.endsAt!;
      const endsAt = from + seconds * 1000;
      const left = endsAt - (status === "paused" ? state.pausedAt! : now);
      if (left > MAX_PHASE_SECONDS * 1000) throw validationError(`A phase lasts at most ${MAX_PHASE_SECONDS / 3600} hours.`, "seconds");
      return { ...next, endsAt };
    }
    case "next":
      if (state.index >= list.length - 1) throw conflict(`“${label(name)}” is the last phase.`);
      return begin(state.index + 1);
    case "previous":
      if (state.index <= 0) throw conflict(`“${label(name)}” is the first phase.`);
      return begin(state.index - 1);
  }
}

// ---------------------------------------------------------------- what each phase allows

/** What a phase lets participants do. Facilitators follow the same rules, except that they always see the results. */
export interface PhaseRules {
  /** "all": arguments and rebuttals; "replies": rebuttals only (no new top-level arguments); "none": no arguments, edits or sources. */
  arguments: "all" | "replies" | "none";
  /** Whether proposition votes and argument ratings are taken. */
  votes: boolean;
  /** Whether the results (vote tallies, results page, motion winner) are shown to everyone. */
  results: boolean;
  /** Which motion polls are open (Oxford). */
  motionStages: readonly MotionStage[];
}

const RULES: Record<PhaseName, PhaseRules> = {
  read: { arguments: "all", votes: true, results: false, motionStages: [] },
  argue: { arguments: "all", votes: true, results: false, motionStages: [] },
  rebut: { arguments: "replies", votes: true, results: false, motionStages: [] },
  vote: { arguments: "none", votes: true, results: false, motionStages: [] },
  results: { arguments: "none", votes: false, results: true, motionStages: [] },
  "before-vote": { arguments: "none", votes: true, results: false, motionStages: ["before"] },
  arguments: { arguments: "all", votes: true, results: false, motionStages: ["before"] },
  rebuttals: { arguments: "replies", votes: true, results: false, motionStages: [] },
  "after-vote": { arguments: "none", votes: true, results: false, motionStages: ["after"] },
};

/** The open board's rules: everything, results shown, no motion. */
const OPEN_RULES: PhaseRules = { arguments: "all", votes: true, results: true, motionStages: [] };

/** What the current phase allows (the open board and drafts: everything). */
export function phaseRules(format: DebateFormat, name: string | null | undefined): PhaseRules {
  if (!hasPhases(format) || !name) return OPEN_RULES;
  return RULES[name as PhaseName] ?? OPEN_RULES;
}

/** The phase facts `decide` reads (app/shared/permissions.ts DebateState.phase). */
export interface PhaseFacts {
  format: DebateFormat;
  /** The current phase's name; null for the open board or a draft. */
  name: string | null;
  /** True when a facilitator showed the results before the results phase. */
  resultsShown: boolean;
}

/** The reason a phase refuses an argument (null: allowed). `topLevel`: a new argument on a proposition, not a rebuttal. As a Refusal: its catalogue message and its English `text`. */
export function argumentRefusal(phase: PhaseFacts, topLevel: boolean | undefined): Refusal | null {
  const rules = phaseRules(phase.format, phase.name);
  const name = phase.name as PhaseName;
  if (rules.arguments === "none") return { key: "refusal.noArguments", values: { phase: name }, text: `No arguments during “${label(name)}”: ${PHASE_TEXT[name].ask}` };
  if (rules.arguments === "replies" && topLevel) return { key: "refusal.repliesOnly", values: { phase: name }, text: `During “${label(name)}” you can only answer arguments already made (a rebuttal), not start a new one.` };
  return null;
}

/** The reason the phase refuses votes and ratings (null: allowed). As a Refusal: its catalogue message and its English `text`. */
export function voteRefusal(phase: PhaseFacts): Refusal | null {
  const name = phase.name as PhaseName;
  return phaseRules(phase.format, phase.name).votes ? null : { key: "refusal.votesCounted", values: { phase: name }, text: `The votes are counted: no more votes during “${label(name)}”.` };
}

/** The reason the results are hidden now from a non-facilitator (null: shown). As a Refusal: its catalogue message and its English `text`. */
export function resultsRefusal(phase: PhaseFacts): Refusal | null {
  if (phaseRules(phase.format, phase.name).results || phase.resultsShown) return null;
  return { key: "refusal.resultsHidden", text: "The results are shown in the Results phase, or when a facilitator shows them." };
}

/** The reason a motion vote in `stage` is refused now (null: accepted; no stage: whether any poll is open). As a Refusal: its catalogue message and its English `text`. */
export function motionVoteRefusal(phase: PhaseFacts, stage?: MotionStage): Refusal | null {
  if (phase.format !== "oxford") return { key: "refusal.noMotion", text: "This debate has no motion vote: only Oxford-style debates have one." };
  const open = phaseRules(phase.format, phase.name).motionStages;
  if (stage === undefined) return open.length ? null : { key: "refusal.noPollOpen", text: "No motion poll is open now: the before vote runs until the arguments phase ends, the after vote in the “After vote” phase." };
  if (open.includes(stage)) return null;
  return stage === "before"
    ? { key: "refusal.beforeClosed", text: "The before vote is closed: it was open until the arguments phase ended." }
    : { key: "refusal.afterNotYet", text: "The after vote opens in the “After vote” phase." };
}

// ---------------------------------------------------------------- the Oxford result

/** Votes of one poll. */
export interface MotionCounts {
  for: number;
  against: number;
  undecided: number;
}

/** The motion's result as GET /api/debates/:id shows it. */
export interface MotionResult {
  before: MotionCounts;
  after: MotionCounts;
  /** After share minus before share, in percentage points (one decimal); null while either poll has no votes. */
  swing: { for: number; against: number } | null;
  /**
   * The side with the larger swing; null until the results phase begins; "none" when it has begun and
   * either poll had no votes (a swing from or to an empty poll means nothing).
   */
  winner: "for" | "against" | "tie" | "none" | null;
}

const totalOf = (c: MotionCounts) => c.for + c.against + c.undecided;
const share = (c: MotionCounts, side: "for" | "against") => (100 * c[side]) / totalOf(c);
const oneDecimal = (x: number) => Math.round(x * 10) / 10 + 0;

/**
 * The swing and the winner of an Oxford-style motion, as Intelligence Squared scores its debates
 * ("the side that has changed the most minds wins": each side's share of the after vote minus its
 * share of the before vote, in percentage points, undecided voters counting in the total; the side
 * with the larger gain wins — https://www.intelligencesquaredus.org, "How our debates work").
 * While either poll has no votes there is no swing (null), and once decided no winner ("none"): a side
 * cannot gain from or to a poll nobody answered. Swings are rounded to one decimal and the winner is read
 * from the rounded figures, so what is shown and who wins agree; equal swings are a tie.
 * @param decided whether the results phase has begun (the winner is null before).
 */
export function motionResult(before: MotionCounts, after: MotionCounts, decided: boolean): MotionResult {
  if (totalOf(before) === 0 || totalOf(after) === 0) return { before, after, swing: null, winner: decided ? "none" : null };
  const swing = { for: oneDecimal(share(after, "for") - share(before, "for")), against: oneDecimal(share(after, "against") - share(before, "against")) };
  const winner = !decided ? null : swing.for > swing.against ? "for" : swing.against > swing.for ? "against" : "tie";
  return { before, after, swing, winner };
}
