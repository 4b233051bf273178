/**
 * The states that refuse writes whatever the role (app/shared/permissions.ts):
 * closing and reopening a debate (Action.closeDebate, Action.reopenDebate) and
 * locking and unlocking a proposition (Action.lockProposition).
 *
 * Each change is authorised against the role × action table (./access.ts), runs
 * once per client `opId` (./changes.ts runOnce), writes its audit entry and its
 * numbered change (debate.updated, proposition.updated) in the same transaction,
 * and is published after commit (./publish.ts).
 */
import type { CurrentParticipant, DebateSettingsDTO, DebateStatus, PropositionDTO } from "../../app/shared/contract";
import { notFound, unauthenticated } from "../../app/shared/errors";
import { OPERATIONS, type OperationInput } from "../../app/shared/operations";
import { authorize, authorizeRole, requireAllowed, requireSameDebate } from "./access";
import { AuditAction, auditActor, recordAudit } from "./audit";
import { appendChange, runOperation } from "./changes";
import type { ServiceContext } from "./context";
import { toDebateSettingsDTO, toPropositionDTO } from "./debates";

/**
 * Closes the debate (Action.closeDebate): read-only for everyone until reopened. Broadcast as debate.updated.
 * @throws AppError unauthenticated, forbidden (not a facilitator; already closed; draft), not_found.
 */
export async function closeDebate(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string, input: OperationInput<"closeDebate"> = {}): Promise<DebateSettingsDTO> {
  return setClosed(ctx, actor, debateId, input, true);
}

/**
 * Reopens a closed debate (Action.reopenDebate): published again. Broadcast as debate.updated.
 * Reopening an open debate changes nothing.
 * @throws AppError unauthenticated, forbidden (not a facilitator), not_found.
 */
export async function reopenDebate(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string, input: OperationInput<"reopenDebate"> = {}): Promise<DebateSettingsDTO> {
  return setClosed(ctx, actor, debateId, input, false);
}

async function setClosed(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string, input: OperationInput<"closeDebate">, close: boolean): Promise<DebateSettingsDTO> {
  const me = requireSameDebate(actor, debateId);
  const { opId } = input;
  const action = close ? OPERATIONS.closeDebate.action : OPERATIONS.reopenDebate.action;
  authorizeRole(me, action);
  // The state is checked inside the operation, so that repeating an applied opId (a double click) is answered, not refused.
  const result = await runOperation(ctx, close ? "closeDebate" : "reopenDebate", me, opId, async (tx) => {
    // Locks the debate row: a close and a reopen at once apply one after the other.
    const [current] = await tx.$queryRaw<{ status: DebateStatus }[]>`SELECT status FROM "Debate" WHERE id = ${debateId}::uuid FOR UPDATE`;
    if (!current) throw notFound("This debate");
    if (!close && current.status === "published") {
      return { settings: toDebateSettingsDTO(await tx.debate.findUniqueOrThrow({ where: { id: debateId }, select: { status: true, visibility: true, title: true } })), change: null };
    }
    authorize(me, action, { status: current.status });
    const row = await tx.debate.update({
      where: { id: debateId },
      data: close ? { status: "closed", closedAt: new Date() } : { status: "published", closedAt: null },
      select: { status: true, visibility: true, title: true },
    });
    await recordAudit(tx, { debateId, actor: auditActor(me), action: close ? AuditAction.debateClosed : AuditAction.debateReopened, targetType: "debate", targetId: debateId });
    return { settings: toDebateSettingsDTO(row), change: await appendChange(tx, debateId, "debate.updated", toDebateSettingsDTO(row)) };
  });
  return result.settings;
}

/**
 * Locks (no new arguments, edits, sources, votes or ratings on it) or unlocks a
 * proposition (Action.lockProposition). Broadcast as proposition.updated; setting
 * the state it already has changes nothing.
 * @param input `{ opId?, propositionId, locked }`.
 * @throws AppError validation_failed, unauthenticated, forbidden, not_found.
 */
export async function lockProposition(ctx: ServiceContext, actor: CurrentParticipant | null, input: OperationInput<"lockProposition">): Promise<PropositionDTO> {
  const { opId, propositionId, locked } = input;
  if (!actor) throw unauthenticated();
  await requireAllowed(ctx, actor, OPERATIONS.lockProposition.action, { propositionId });
  const result = await runOperation(ctx, "lockProposition", actor, opId, async (tx) => {
    const done = await tx.proposition.updateMany({ where: { id: propositionId, lockedAt: locked ? null : { not: null } }, data: { lockedAt: locked ? new Date() : null } });
    const row = await tx.proposition.findUniqueOrThrow({ where: { id: propositionId } });
    if (done.count === 0) return { proposition: toPropositionDTO(row), change: null };
    await recordAudit(tx, {
      debateId: actor.debateId,
      actor: auditActor(actor),
      action: locked ? AuditAction.propositionLocked : AuditAction.propositionUnlocked,
      targetType: "proposition",
      targetId: propositionId,
      details: { position: row.position + 1 },
    });
    return { proposition: toPropositionDTO(row), change: await appendChange(tx, actor.debateId, "proposition.updated", toPropositionDTO(row)) };
  });
  return result.proposition;
}
