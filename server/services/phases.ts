/**
 * Running a debate in phases (issue 13; the rules are app/shared/phases.ts):
 * the facilitators' phase actions (Action.runPhases) and the Oxford motion
 * votes (Action.castMotionVote), stored on the Debate row and in MotionVote.
 *
 * - A phase change is one conditional update on `Debate.phaseVersion`: two
 *   facilitators pressing "next" at once move one phase; the other is answered
 *   409 `conflict` and nothing else changes. A caller may also send the version
 *   it saw (`version`), so a stale page cannot move a phase it has not seen.
 * - Each change is audited (`phase.changed`) and is a numbered change
 *   (`debate.phase`) published to everyone after commit; each motion vote is
 *   one `motion.tallied` change with the polls' counts.
 * - A motion vote reads the debate row FOR SHARE in its transaction, so it and
 *   a phase change apply one after the other: a vote is never counted in a
 *   poll that closed before it committed.
 * Times come from this server's clock; clients measure their offset from it at connect.
 */
import type { CurrentParticipant, MotionDTO, MotionVoteDTO, PhaseStateDTO } from "../../app/shared/contract";
import { conflict, notFound, unauthenticated } from "../../app/shared/errors";
import { OPERATIONS, type OperationInput } from "../../app/shared/operations";
import { Action } from "../../app/shared/permissions";
import { applyPhaseAction, motionResult, PHASE_TEXT, phaseName, phaseRules, phasesOf, type DebateFormat, type MotionCounts, type PhaseName } from "../../app/shared/phases";
import type { Db, Tx } from "../db";
import { columnsOf, phaseFactsOf, phaseSelect, phaseStateOf, resultsVisibleTo, toPhaseStateDTO, withholdMotion, type PhaseRow } from "./phase-state";
import { authorize, requireSameDebate } from "./access";
import { AuditAction, auditActor, recordAudit } from "./audit";
import { appendChange, runOperation } from "./changes";
import type { ServiceContext } from "./context";

/**
 * Applies one phase action for a facilitator (POST /api/debates/:id/phase, operation `changePhase`).
 * @param input `{ opId?, action, seconds?, version? }` (app/shared/phase-schemas.ts phaseChangeSchema).
 * @returns the new phase state (also broadcast as `debate.phase`).
 * @throws AppError unauthenticated; not_found; forbidden (not a facilitator, closed, draft, open board);
 *   validation_failed (seconds); conflict (the action does not apply now, or the phase moved since `version` / meanwhile).
 */
export async function changePhase(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string, input: OperationInput<"changePhase">): Promise<PhaseStateDTO> {
  const me = requireSameDebate(actor, debateId);
  const { opId, action, seconds, version } = input;
  return runOperation(ctx, "changePhase", me, opId, async (tx) => {
    const row = await tx.debate.findUnique({ where: { id: debateId }, select: phaseSelect });
    if (!row) throw notFound("This debate");
    authorize(me, OPERATIONS.changePhase.action, { status: row.status, phase: phaseFactsOf(row) });
    const state = phaseStateOf(row);
    if (!state) throw conflict("This debate has no phase to change.");
    const label = PHASE_TEXT[phaseName(row.format, state)].label;
    if (version !== undefined && version !== row.phaseVersion) throw conflict(`The phase changed meanwhile (it is now “${label}”): nothing was changed. Look at it again before acting.`);
    const next = applyPhaseAction(row.format, state, { action, seconds }, Date.now());
    // Conditional on the version read: of two changes at once, the second finds it moved and changes nothing.
    const done = await tx.debate.updateMany({ where: { id: debateId, phaseVersion: row.phaseVersion }, data: columnsOf(next) });
    if (done.count === 0) throw conflict("The phase changed meanwhile (another facilitator acted at the same moment): nothing was changed. Look at it again before acting.");
    const updated = { ...row, ...columnsOf(next), phaseDurations: next.durations };
    const to = phaseName(row.format, next);
    await recordAudit(tx, {
      debateId,
      actor: auditActor(me),
      action: AuditAction.phaseChanged,
      targetType: "debate",
      targetId: debateId,
      details: { action, from: phaseName(row.format, state), to, ...(action === "extend" ? { seconds: seconds ?? 60 } : {}) },
    });
    const dto = toPhaseStateDTO(updated);
    await appendChange(tx, debateId, "debate.phase", dto);
    // The winner of an Oxford motion is known once results begin (and unknown again on going back).
    if (row.format === "oxford" && (to === "results") !== (phaseName(row.format, state) === "results")) {
      const motion = await readMotion(tx, debateId);
      if (motion) await appendChange(tx, debateId, "motion.tallied", motion);
    }
    return dto;
  });
}

/**
 * Shows the results to everyone before the results phase (POST /api/debates/:id/show-results, operation `showResults`):
 * sets `resultsShownAt`, bumps the phase version and publishes the new phase state (`debate.phase`, `resultsShown: true`),
 * on which participants' pages read the tallies again. Showing cannot be undone (tallies already seen cannot be unseen);
 * showing what is already shown answers the state as it is and changes nothing.
 * @param input `{ opId?, version? }`: `version`, the phase version the page shows (a stale page is refused).
 * @returns the new phase state.
 * @throws AppError unauthenticated; not_found; forbidden (not a facilitator, no phases, draft, closed);
 *   conflict (the results phase shows them anyway, or the phase moved since `version` / meanwhile).
 */
export async function showResults(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string, input: OperationInput<"showResults">): Promise<PhaseStateDTO> {
  const me = requireSameDebate(actor, debateId);
  return runOperation(ctx, "showResults", me, input.opId, async (tx) => {
    const row = await tx.debate.findUnique({ where: { id: debateId }, select: phaseSelect });
    if (!row) throw notFound("This debate");
    const facts = phaseFactsOf(row);
    authorize(me, OPERATIONS.showResults.action, { status: row.status, phase: facts });
    const state = phaseStateOf(row);
    if (!state) throw conflict("This debate has no phase: its results are always shown.");
    // Already shown (another facilitator, another tab): nothing to do, the state as it is.
    if (row.resultsShownAt) return toPhaseStateDTO(row);
    if (phaseRules(row.format, facts.name).results) throw conflict("The results phase shows the results to everyone already.");
    if (input.version !== undefined && input.version !== row.phaseVersion) throw conflict("The phase changed meanwhile: nothing was changed. Look at it again before acting.");
    const shownAt = new Date();
    const done = await tx.debate.updateMany({ where: { id: debateId, phaseVersion: row.phaseVersion }, data: { resultsShownAt: shownAt, phaseVersion: row.phaseVersion + 1 } });
    if (done.count === 0) throw conflict("The phase changed meanwhile (another facilitator acted at the same moment): nothing was changed. Look at it again before acting.");
    await recordAudit(tx, { debateId, actor: auditActor(me), action: AuditAction.resultsShown, targetType: "debate", targetId: debateId, details: { phase: facts.name } });
    const dto = toPhaseStateDTO({ ...row, resultsShownAt: shownAt, phaseVersion: row.phaseVersion + 1 });
    await appendChange(tx, debateId, "debate.phase", dto);
    return dto;
  });
}

const emptyCounts = (): MotionCounts => ({ for: 0, against: 0, undecided: 0 });


/**
 * An Oxford debate's motion with its polls now; null for other formats.
 * @param db the database or the transaction in which to read.
 */
export async function readMotion(db: Db | Tx, debateId: string): Promise<MotionDTO | null> {
  const debate = await db.debate.findUnique({ where: { id: debateId }, select: { format: true, motionText: true, phaseIndex: true, title: true } });
  if (!debate || debate.format !== "oxford") return null;
  const groups = await db.motionVote.groupBy({ by: ["stage", "value"], where: { debateId, participant: { removedAt: null } }, _count: { _all: true } });
  const before = emptyCounts();
  const after = emptyCounts();
  for (const g of groups) (g.stage === "before" ? before : after)[g.value] = g._count._all;
  const name: PhaseName | null = debate.phaseIndex === null ? null : (phasesOf("oxford")[debate.phaseIndex] ?? null);
  return { text: debate.motionText ?? debate.title, ...motionResult(before, after, name === "results") };
}

/**
 * A debate's format and phase (the projector and results page read it without the whole debate).
 * @throws AppError not_found.
 */
export async function getPhaseState(ctx: ServiceContext, debateId: string): Promise<PhaseStateDTO> {
  const row = await ctx.db.debate.findUnique({ where: { id: debateId }, select: phaseSelect });
  if (!row) throw notFound("This debate");
  return toPhaseStateDTO(row);
}

/**
 * Records the participant's vote on the Oxford motion in one poll (PUT /api/debates/:id/motion-vote, operation `castMotionVote`):
 * the before poll is open in `before-vote` and `arguments`, the after poll in `after-vote`; a second vote in the same poll replaces the first.
 * @param input `{ opId?, stage: "before" | "after", value: "for" | "against" | "undecided" }`.
 * @returns the vote and the motion's polls (also broadcast as `motion.tallied`).
 * @throws AppError unauthenticated, not_found, forbidden (observer; not Oxford; that poll is not open now; closed), validation_failed.
 */
export async function castMotionVote(ctx: ServiceContext, actor: CurrentParticipant | null, input: OperationInput<"castMotionVote">): Promise<MotionVoteDTO> {
  if (!actor) throw unauthenticated();
  const { opId, stage, value } = input;
  const debateId = actor.debateId;
  return runOperation(ctx, "castMotionVote", actor, opId, async (tx) => {
    // FOR SHARE: a phase change waits for this vote, and this vote for a phase change under way.
    const [row] = await tx.$queryRaw<{ status: PhaseRow["status"]; format: DebateFormat; phaseIndex: number | null; resultsShownAt: Date | null }[]>`SELECT status, format, "phaseIndex", "resultsShownAt" FROM "Debate" WHERE id = ${debateId}::uuid FOR SHARE`;
    if (!row) throw notFound("This debate");
    authorize(actor, Action.castMotionVote, { status: row.status, phase: phaseFactsOf(row), motionStage: stage });
    await tx.motionVote.upsert({
      where: { participantId_stage: { participantId: actor.id, stage } },
      create: { debateId, participantId: actor.id, stage, value },
      update: { value },
    });
    const motion = (await readMotion(tx, debateId))!;
    await appendChange(tx, debateId, "motion.tallied", motion);
    const seesResults = resultsVisibleTo(actor, { status: row.status, phase: phaseFactsOf(row) });
    return { stage, value, motion: seesResults ? motion : withholdMotion(motion) };
  });
}
