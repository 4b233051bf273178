/**
 * Joining a debate and recognising a participant from their token.
 */
import type { ParticipantDTO, ParticipantRole } from "../../app/shared/contract";
import { isUuid, joinDebateSchema } from "../../app/shared/contract";
import { forbidden, notFound, unauthenticated } from "../../app/shared/errors";
import type { ServiceContext } from "./context";
import { hashToken, newParticipantToken } from "./tokens";
import { parseInput } from "./validate";

export interface AuthenticatedParticipant extends ParticipantDTO {
  debateId: string;
  /** True while a facilitator has muted them (see app/shared/permissions.ts). */
  muted: boolean;
}

const toDTO = (p: { id: string; displayName: string; role: ParticipantRole }): ParticipantDTO => ({
  id: p.id,
  displayName: p.displayName,
  role: p.role,
});

/**
 * Adds a debater to a published debate.
 * @param input `{ displayName }` (1–40 characters after whitespace is folded).
 * @returns the participant and their secret token (shown once; keep it in a cookie or script).
 * @param address the client's network address, for the per-address join limit.
 * @throws AppError validation_failed, not_found (no such debate), forbidden (debate still a draft), rate_limited.
 */
export async function joinDebate(ctx: ServiceContext, debateId: string, input: unknown, address = "unknown"): Promise<{ participant: ParticipantDTO; token: string }> {
  if (!isUuid(debateId)) throw notFound("This debate");
  const { displayName } = parseInput(joinDebateSchema, input);
  await ctx.limits.consume("join", address);
  const debate = await ctx.db.debate.findUnique({ where: { id: debateId }, select: { id: true, status: true } });
  if (!debate) throw notFound("This debate");
  if (debate.status !== "published") throw forbidden("This debate is not open yet: the facilitator has not published it.");
  const token = newParticipantToken();
  const participant = await ctx.db.participant.create({
    data: { debateId, displayName, role: "debater", tokenHash: hashToken(token) },
  });
  return { participant: toDTO(participant), token };
}

/**
 * Finds the participant a token belongs to, in the given debate.
 * @returns null when the token is missing, unknown, or belongs to another debate.
 */
export async function findParticipant(ctx: ServiceContext, debateId: string, token: string | null | undefined): Promise<AuthenticatedParticipant | null> {
  if (!token || token.length > 200 || !isUuid(debateId)) return null;
  const p = await ctx.db.participant.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!p || p.debateId !== debateId || p.removedAt) return null;
  return { ...toDTO(p), debateId: p.debateId, muted: p.mutedAt !== null };
}

/**
 * Like findParticipant, but a missing participant is an error.
 * @throws AppError unauthenticated.
 */
export async function requireParticipant(ctx: ServiceContext, debateId: string, token: string | null | undefined): Promise<AuthenticatedParticipant> {
  const p = await findParticipant(ctx, debateId, token);
  if (!p) throw unauthenticated();
  return p;
}
