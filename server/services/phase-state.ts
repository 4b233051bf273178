/**
 * How a debate's phase is stored on its row (Debate.format, phaseIndex, phaseStartedAt,
 * phaseEndsAt, phasePausedAt, phaseVersion, phaseDurations, resultsShownAt) and read
 * back: the pure state of app/shared/phases.ts, the facts `decide` reads, and the wire
 * shape. No I/O and no service imports, so that access.ts and phases.ts can both use it.
 */
import type { CurrentParticipant, MotionDTO, PhaseDTO, PhaseStateDTO } from "../../app/shared/contract";
import { Action, decide, type DebateState } from "../../app/shared/permissions";
import { durationOf, hasPhases, initialPhaseState, phaseName, phasesOf, type DebateFormat, type PhaseDurations, type PhaseFacts, type PhaseState } from "../../app/shared/phases";

/** The Debate columns the phase lives in. */
export interface PhaseRow {
  format: DebateFormat;
  status: "draft" | "published" | "closed";
  phaseIndex: number | null;
  phaseStartedAt: Date | null;
  phaseEndsAt: Date | null;
  phasePausedAt: Date | null;
  phaseVersion: number;
  phaseDurations: unknown;
  resultsShownAt: Date | null;
}
/** Prisma `select` of PhaseRow. */
export const phaseSelect = {
  format: true,
  status: true,
  phaseIndex: true,
  phaseStartedAt: true,
  phaseEndsAt: true,
  phasePausedAt: true,
  phaseVersion: true,
  phaseDurations: true,
  resultsShownAt: true,
} as const;

const durationsOf = (row: Pick<PhaseRow, "phaseDurations">): PhaseDurations | null =>
  row.phaseDurations && typeof row.phaseDurations === "object" ? (row.phaseDurations as PhaseDurations) : null;

/** The pure state of a row (null: no phase, i.e. open board, workshop or draft). */
export function phaseStateOf(row: PhaseRow): PhaseState | null {
  if (row.phaseIndex === null || !hasPhases(row.format)) return null;
  return {
    index: row.phaseIndex,
    startedAt: row.phaseStartedAt?.getTime() ?? null,
    endsAt: row.phaseEndsAt?.getTime() ?? null,
    pausedAt: row.phasePausedAt?.getTime() ?? null,
    version: row.phaseVersion,
    durations: durationsOf(row),
  };
}

/** What `decide` reads of the phase (app/shared/permissions.ts DebateState.phase). */
export function phaseFactsOf(row: Pick<PhaseRow, "format" | "phaseIndex" | "resultsShownAt">): PhaseFacts {
  const name = row.phaseIndex === null ? null : (phasesOf(row.format)[row.phaseIndex] ?? null);
  return { format: row.format, name, resultsShown: row.resultsShownAt !== null };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The wire shape of a row's phase (GET /api/debates/:id, `debate.phase` changes). */
export function toPhaseStateDTO(row: PhaseRow): PhaseStateDTO {
  const state = phaseStateOf(row);
  const durations = durationsOf(row);
  const phase: PhaseDTO | null = state
    ? { name: phaseName(row.format, state), startedAt: iso(state.startedAt), endsAt: iso(state.endsAt), pausedAt: iso(state.pausedAt) }
    : null;
  return {
    format: row.format,
    phase,
    phaseVersion: row.phaseVersion,
    phases: phasesOf(row.format).map((name) => ({ name, durationSeconds: durationOf(name, durations) })),
    resultsShown: row.resultsShownAt !== null,
  };
}

/** The columns a state is stored in. */
export const columnsOf = (state: PhaseState) => ({
  phaseIndex: state.index,
  phaseStartedAt: state.startedAt === null ? null : new Date(state.startedAt),
  phaseEndsAt: state.endsAt === null ? null : new Date(state.endsAt),
  phasePausedAt: state.pausedAt === null ? null : new Date(state.pausedAt),
  phaseVersion: state.version,
  phaseDurations: state.durations ?? undefined,
});

/** The columns a debate of `format` is published with: its first phase, waiting for "start" (nothing for a format without phases). */
export function publishedPhaseColumns(format: DebateFormat, durations: PhaseDurations | null, version: number) {
  if (!hasPhases(format)) return {};
  const { phaseDurations: _d, ...columns } = columnsOf(initialPhaseState(durations, version + 1));
  return columns;
}

/**
 * The motion as someone who may not see results yet receives it: its text, polls of zero, no swing nor
 * winner, and `countsHidden: true`. Until the results phase (or until a facilitator shows the results)
 * only facilitators see how the room voted, on the motion as on the propositions.
 */
export function withholdMotion(motion: MotionDTO): MotionDTO {
  return { text: motion.text, before: { for: 0, against: 0, undecided: 0 }, after: { for: 0, against: 0, undecided: 0 }, swing: null, winner: null, countsHidden: true };
}

/** Whether `viewer` may see vote tallies and results now (Action.readResults with the debate's phase). */
export function mayReadResults(viewer: CurrentParticipant | null, debate: Parameters<typeof phaseFactsOf>[0] & { status: PhaseRow["status"] }): boolean {
  return resultsVisibleTo(viewer, { status: debate.status, phase: phaseFactsOf(debate) });
}

/** Whether `viewer` (null: someone who has not joined) may see vote tallies and results in `state` (Action.readResults). */
export function resultsVisibleTo(viewer: CurrentParticipant | null, state: Pick<DebateState, "status" | "phase">): boolean {
  return decide(viewer ?? { id: "", role: "observer", muted: false }, Action.readResults, state) === null;
}
