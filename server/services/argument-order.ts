/**
 * The "convinced people across groups" order of a debate's arguments (issue 11, point 3), for the
 * debate page's argument order: every rated, visible argument with its bridging score, computed
 * as on the results page (`bridgingOrder`: Community Notes' matrix factorisation in the compute
 * worker, or the Wilson lower bound with too few ratings; docs/decisions/0051-bridging-community-notes.md).
 */
import type { CurrentParticipant } from "../../app/shared/contract";
import { isUuid } from "../../app/shared/contract";
import { notFound } from "../../app/shared/errors";
import type { ComputeRunner } from "../compute/runner";
import { requireReadable } from "./access";
import type { ServiceContext } from "./context";
import { bridgingOrder } from "./opinion-groups";

/** `GET /api/debates/:id/arguments/bridging`. */
export interface ArgumentBridgingOrder {
  method: "matrix-factorisation" | "wilson";
  /** Why the Wilson fallback was used (too few ratings), in a sentence; null when the model was fitted. */
  reason: string | null;
  activeRaters: number;
  /** Best first; arguments without ratings are not listed (the page puts them after, oldest first). */
  arguments: { argumentId: string; score: number; helpfulAcrossDivide: boolean }[];
  generatedAt: string;
}

/**
 * Bridging scores of every rated argument that the caller may read (hidden and deleted ones never).
 * @throws AppError not_found (no such debate, or not readable by `actor`).
 */
export async function getArgumentBridgingOrder(ctx: ServiceContext, runner: ComputeRunner, debateId: string, actor: CurrentParticipant | null): Promise<ArgumentBridgingOrder> {
  if (!isUuid(debateId)) throw notFound("This debate");
  await requireReadable(ctx, debateId, actor);
  const visible = await ctx.db.argument.findMany({
    where: { debateId, deletedAt: null, hiddenAt: null },
    select: { id: true, propositionId: true, stance: true, bodyText: true, author: { select: { displayName: true } } },
  });
  const order = await bridgingOrder(ctx, runner, debateId, visible, Number.MAX_SAFE_INTEGER);
  return {
    method: order.method,
    reason: order.reason,
    activeRaters: order.activeRaters,
    arguments: order.arguments.map((a) => ({ argumentId: a.id, score: a.score, helpfulAcrossDivide: a.helpfulAcrossDivide })),
    generatedAt: new Date().toISOString(),
  };
}
