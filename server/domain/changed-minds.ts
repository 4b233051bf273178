/**
 * What changed minds (issue 13; docs/decisions/0072-what-changed-minds.md): pure ranking of
 * arguments by the number of participants who changed their vote after meeting them.
 *
 * A participant "met" an argument when it stayed in view at least 3 seconds, when they opened it,
 * or when they rated it (`Exposure`). A mind change (`MindChange`) is a motion vote whose after
 * poll differs from the before poll, or a proposition vote that differs from the participant's
 * first vote on it; `at` is when the changed vote was last written. An argument is associated with
 * a change when the participant met it strictly before `at` and, for a proposition vote, when the
 * argument is on that proposition (a motion change takes every argument). Each participant counts
 * at most once per argument, however many of their votes changed. This is association, not
 * causation: people read many arguments, and changed for reasons no log shows.
 */

export interface MindChange {
  participantId: string;
  /** When the changed vote was written (ms since epoch). */
  at: number;
  /** The proposition whose vote changed; null for the motion. */
  propositionId: string | null;
}

export interface Exposure {
  participantId: string;
  argumentId: string;
  /** The argument's proposition. */
  propositionId: string;
  kind: "viewed" | "opened" | "rated";
  /** When (ms since epoch). */
  at: number;
}

export interface MovingArgument {
  argumentId: string;
  /** Distinct participants who met it before changing their mind. */
  changedMinds: number;
}

/** One participant's path: the arguments they met before their changes, in the order they met them. */
export interface PathStep {
  argumentId: string;
  kind: Exposure["kind"];
  at: number;
}

/** Whether `e` happened before `c` and concerns what `c` changed. */
const precedes = (e: Exposure, c: MindChange) => e.participantId === c.participantId && e.at < c.at && (c.propositionId === null || c.propositionId === e.propositionId);

/**
 * Ranks arguments by the number of distinct changed minds associated with them, most first
 * (ties: argument id, for a stable order); arguments with none are left out.
 */
export function rankMovingArguments(changes: readonly MindChange[], exposures: readonly Exposure[]): MovingArgument[] {
  const byParticipant = new Map<string, MindChange[]>();
  for (const c of changes) byParticipant.set(c.participantId, [...(byParticipant.get(c.participantId) ?? []), c]);
  const people = new Map<string, Set<string>>();
  for (const e of exposures) {
    const mine = byParticipant.get(e.participantId);
    if (!mine || !mine.some((c) => precedes(e, c))) continue;
    const set = people.get(e.argumentId) ?? new Set<string>();
    set.add(e.participantId);
    people.set(e.argumentId, set);
  }
  return [...people.entries()]
    .map(([argumentId, set]) => ({ argumentId, changedMinds: set.size }))
    .sort((a, b) => b.changedMinds - a.changedMinds || (a.argumentId < b.argumentId ? -1 : a.argumentId > b.argumentId ? 1 : 0));
}

/**
 * One participant's path: each argument they met before one of their changes, at its first
 * meeting, in time order (empty when their mind did not change).
 */
export function pathOf(participantId: string, changes: readonly MindChange[], exposures: readonly Exposure[]): PathStep[] {
  const mine = changes.filter((c) => c.participantId === participantId);
  const first = new Map<string, PathStep>();
  for (const e of exposures) {
    if (e.participantId !== participantId || !mine.some((c) => precedes(e, c))) continue;
    const seen = first.get(e.argumentId);
    if (!seen || e.at < seen.at) first.set(e.argumentId, { argumentId: e.argumentId, kind: e.kind, at: e.at });
  }
  return [...first.values()].sort((a, b) => a.at - b.at);
}
