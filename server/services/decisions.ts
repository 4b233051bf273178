/**
 * Workshop decisions (issue 13, docs/decisions/0071-workshop-decisions.md): a facilitator proposes
 * a decision on propositions (Action.runDecisions), participants answer it (Action.respondToDecision:
 * agree, abstain, disagree, block, with a reason that may cite arguments of the debate), and a
 * facilitator closes it with an outcome. Each is an operation of the table
 * (app/shared/operations.ts: proposeDecision, respondToDecision, closeDecision) run once per opId,
 * and each appends one `decision.updated` change with the whole decision, published after commit.
 *
 * An answer and a close lock the decision's row (FOR UPDATE) in their transaction, so an answer is
 * never stored after the close that committed before it; an answer after the close is refused.
 * Proposing and closing are audited (`decision.proposed`, `decision.closed`); answers are not
 * (they are kept with the decision and shown to everyone, as Loomio shows them).
 */
import type { CurrentParticipant } from "../../app/shared/contract";
import { conflict, notFound, unauthenticated, validationError } from "../../app/shared/errors";
import { DECISION_RESPONSES, type DecisionDTO, type DecisionResponseValue } from "../../app/shared/decisions";
import { OPERATIONS, type OperationInput } from "../../app/shared/operations";
import type { Db, Tx } from "../db";
import { authorize, requireSameDebate } from "./access";
import { AuditAction, auditActor, recordAudit } from "./audit";
import { appendChange, runOperation } from "./changes";
import type { ServiceContext } from "./context";
import { phaseFactsOf } from "./phase-state";

const decisionInclude = {
  proposedBy: { select: { id: true, displayName: true } },
  responses: { include: { participant: { select: { id: true, displayName: true, removedAt: true } } }, orderBy: { createdAt: "asc" as const } },
} as const;

type DecisionRow = NonNullable<Awaited<ReturnType<typeof loadRow>>>;
const loadRow = (db: Db | Tx, id: string) => db.decision.findUnique({ where: { id }, include: decisionInclude });

/** The DTO of a stored decision: answers of removed participants are left out, as in the motion polls. */
function toDecisionDTO(row: DecisionRow): DecisionDTO {
  const responses = row.responses.filter((r) => r.participant.removedAt === null);
  const counts = Object.fromEntries(DECISION_RESPONSES.map((v) => [v, 0])) as Record<DecisionResponseValue, number>;
  for (const r of responses) counts[r.value]++;
  return {
    id: row.id,
    text: row.text,
    propositionIds: row.propositionIds,
    proposedBy: row.proposedBy,
    createdAt: row.createdAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    outcome: row.outcome,
    outcomeNote: row.outcomeNote,
    version: row.version,
    counts,
    responses: responses.map((r) => ({
      participant: { id: r.participant.id, displayName: r.participant.displayName },
      value: r.value,
      reason: r.reason,
      citedArgumentIds: r.citedArgumentIds,
      updatedAt: r.updatedAt.toISOString(),
    })),
  };
}

/**
 * Every decision of a debate, oldest first (part of GET /api/debates/:id, the results and the exports).
 * @param db the database or a transaction.
 */
export async function listDecisions(db: Db | Tx, debateId: string): Promise<DecisionDTO[]> {
  const rows = await db.decision.findMany({ where: { debateId }, include: decisionInclude, orderBy: { createdAt: "asc" } });
  return rows.map(toDecisionDTO);
}

/** The debate's status and phase facts, read in the transaction (the rules of `decide`). */
async function debateState(tx: Tx, debateId: string) {
  const row = await tx.debate.findUnique({ where: { id: debateId }, select: { status: true, format: true, phaseIndex: true, resultsShownAt: true } });
  if (!row) throw notFound("This debate");
  return { status: row.status, phase: phaseFactsOf(row) };
}

/** Reads and appends the decision as it is now (one `decision.updated` change). */
async function publishDecision(tx: Tx, debateId: string, decisionId: string): Promise<DecisionDTO> {
  const dto = toDecisionDTO((await loadRow(tx, decisionId))!);
  await appendChange(tx, debateId, "decision.updated", dto);
  return dto;
}

/** Locks an open decision of `debateId` for the rest of the transaction. @throws not_found; conflict when closed. */
async function lockOpenDecision(tx: Tx, debateId: string, decisionId: string): Promise<{ version: number }> {
  const [row] = await tx.$queryRaw<{ debateId: string; closedAt: Date | null; version: number }[]>`SELECT "debateId", "closedAt", version FROM "Decision" WHERE id = ${decisionId}::uuid FOR UPDATE`;
  if (!row || row.debateId !== debateId) throw notFound("This decision");
  if (row.closedAt) throw conflict("This decision is closed: its outcome is recorded and it takes no more answers.");
  return row;
}

/**
 * A facilitator proposes a decision (POST /api/debates/:id/decisions, operation `proposeDecision`).
 * @param input `{ opId?, propositionIds: uuid[1..20], text }` (app/shared/decisions.ts).
 * @returns the new decision (also broadcast as `decision.updated`).
 * @throws AppError unauthenticated; not_found; forbidden (not a facilitator, draft, closed);
 *   validation_failed (a proposition that is not one of this debate's, field `propositionIds`).
 */
export async function proposeDecision(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string, input: OperationInput<"proposeDecision">): Promise<DecisionDTO> {
  const me = requireSameDebate(actor, debateId);
  return runOperation(ctx, "proposeDecision", me, input.opId, async (tx) => {
    authorize(me, OPERATIONS.proposeDecision.action, await debateState(tx, debateId));
    const found = await tx.proposition.count({ where: { debateId, id: { in: input.propositionIds }, hiddenAt: null } });
    if (found !== input.propositionIds.length) throw validationError("A decision can only be about this debate's propositions: one of them is not.", "propositionIds");
    const created = await tx.decision.create({ data: { debateId, propositionIds: input.propositionIds, text: input.text, proposedById: me.id } });
    await recordAudit(tx, { debateId, actor: auditActor(me), action: AuditAction.decisionProposed, targetType: "decision", targetId: created.id, details: { text: input.text, propositionIds: input.propositionIds } });
    return publishDecision(tx, debateId, created.id);
  });
}

/**
 * A participant answers an open decision (PUT /api/debates/:id/decisions/:decisionId/response,
 * operation `respondToDecision`); a second answer replaces the first.
 * @param input `{ opId?, decisionId, value, reason?, citedArgumentIds? }`; a block needs a reason.
 * @returns the decision with its answers now (also broadcast as `decision.updated`).
 * @throws AppError unauthenticated; not_found (no such decision in this debate); forbidden (observer, draft, closed debate);
 *   conflict (the decision is closed); validation_failed (a cited argument that is not one of this debate's visible arguments).
 */
export async function respondToDecision(ctx: ServiceContext, actor: CurrentParticipant | null, input: OperationInput<"respondToDecision">): Promise<DecisionDTO> {
  if (!actor) throw unauthenticated();
  const debateId = actor.debateId;
  return runOperation(ctx, "respondToDecision", actor, input.opId, async (tx) => {
    authorize(actor, OPERATIONS.respondToDecision.action, await debateState(tx, debateId));
    await lockOpenDecision(tx, debateId, input.decisionId);
    const cited = input.citedArgumentIds;
    if (cited.length) {
      const found = await tx.argument.count({ where: { debateId, id: { in: cited }, deletedAt: null, hiddenAt: null } });
      if (found !== cited.length) throw validationError("A reason can only cite this debate's arguments (not deleted or hidden ones): one of the cited arguments is not.", "citedArgumentIds");
    }
    const data = { value: input.value, reason: input.reason ?? null, citedArgumentIds: cited };
    await tx.decisionResponse.upsert({ where: { decisionId_participantId: { decisionId: input.decisionId, participantId: actor.id } }, create: { decisionId: input.decisionId, participantId: actor.id, ...data }, update: data });
    await tx.decision.update({ where: { id: input.decisionId }, data: { version: { increment: 1 } } });
    return publishDecision(tx, debateId, input.decisionId);
  });
}

/**
 * A facilitator closes a decision with its outcome (POST /api/debates/:id/decisions/:decisionId/close, operation `closeDecision`).
 * @param input `{ opId?, decisionId, outcome: "adopted" | "rejected" | "withdrawn", note? }`.
 * @returns the closed decision (also broadcast as `decision.updated`).
 * @throws AppError unauthenticated; not_found; forbidden (not a facilitator, draft, closed debate); conflict (already closed).
 */
export async function closeDecision(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string, input: OperationInput<"closeDecision">): Promise<DecisionDTO> {
  const me = requireSameDebate(actor, debateId);
  return runOperation(ctx, "closeDecision", me, input.opId, async (tx) => {
    authorize(me, OPERATIONS.closeDecision.action, await debateState(tx, debateId));
    await lockOpenDecision(tx, debateId, input.decisionId);
    await tx.decision.update({ where: { id: input.decisionId }, data: { closedAt: new Date(), outcome: input.outcome, outcomeNote: input.note ?? null, version: { increment: 1 } } });
    await recordAudit(tx, { debateId, actor: auditActor(me), action: AuditAction.decisionClosed, targetType: "decision", targetId: input.decisionId, reason: input.note ?? null, details: { outcome: input.outcome } });
    return publishDecision(tx, debateId, input.decisionId);
  });
}
