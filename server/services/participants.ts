/**
 * Joining a debate (with a display name; a join code for private debates) and
 * recognising a participant from their token.
 */
import type { CurrentParticipant, DebateStatus, ParticipantDTO, ParticipantRole } from "../../app/shared/contract";
import { isUuid } from "../../app/shared/contract";
import { AppError, conflict, ErrorCode, forbidden, notFound } from "../../app/shared/errors";
import { joinDebateInputSchema } from "../../app/shared/management";
import { normalizeJoinCode } from "./join-codes";
import { isUniqueViolation } from "../db";
import type { ServiceContext } from "./context";
import { hashToken, newParticipantToken } from "./tokens";
import { parseInput } from "./validate";

const toDTO = (p: { id: string; displayName: string; role: ParticipantRole }): ParticipantDTO => ({
  id: p.id,
  displayName: p.displayName,
  role: p.role,
});

/** Who is joining, besides what they typed. */
export interface JoinOptions {
  /** The client's network address, for the per-address join limit. */
  address?: string;
  /** A signed-in facilitator account joining (sets Participant.userId; one participant per account per debate). */
  userId?: string | null;
}

export const WRONG_JOIN_CODE = "That join code is not right for this debate. Check it with your facilitator: if they changed the code, ask for the new one.";


/**
 * Adds a participant (debater, or observer to "just watch") to a debate.
 *
 * Rules (docs/decisions/0011-visibility-and-join-codes.md): drafts cannot be
 * joined; private debates need their current join code (any case, with or
 * without the dash); closed debates can be joined as observers only (the role
 * defaults to observer there, and asking to be a debater is refused).
 * @param input `{ displayName, joinCode?, role?: "debater" | "observer" }` (display name 1–40 characters after whitespace is folded).
 * @param opts `{ address, userId? }`.
 * @returns the participant and their secret token (shown once; keep it in a cookie or script).
 * @throws AppError validation_failed, not_found (no such debate), forbidden (draft, missing or wrong join code,
 *   debater in a closed debate, account removed from the debate), conflict (account already in the debate), rate_limited.
 */
export async function joinDebate(ctx: ServiceContext, debateId: string, input: unknown, opts: JoinOptions = {}): Promise<{ participant: ParticipantDTO; token: string }> {
  if (!isUuid(debateId)) throw notFound("This debate");
  const data = parseInput(joinDebateInputSchema, input);
  await ctx.limits.consume("join", opts.address ?? "unknown");
  const debate = await ctx.db.debate.findUnique({ where: { id: debateId }, select: { id: true, status: true, visibility: true, joinCode: true } });
  if (!debate) throw notFound("This debate");
  if (debate.visibility === "private") {
    if (!data.joinCode) throw new AppError(ErrorCode.forbidden, "This debate is private: type the join code your facilitator gave you.", "joinCode");
    if (normalizeJoinCode(data.joinCode) !== debate.joinCode) throw new AppError(ErrorCode.forbidden, WRONG_JOIN_CODE, "joinCode");
  }
  return admitParticipant(ctx, debate, data, opts);
}

/**
 * Creates the participant once the debate and the right to enter it are settled
 * (by joinDebate, or by a join code in ./management.ts). Takes no rate-limit point.
 * @throws AppError forbidden, conflict (see joinDebate).
 */
export async function admitParticipant(
  ctx: ServiceContext,
  debate: { id: string; status: DebateStatus },
  data: { displayName: string; role?: Extract<ParticipantRole, "debater" | "observer"> },
  opts: JoinOptions = {},
): Promise<{ participant: ParticipantDTO; token: string }> {
  if (debate.status === "draft") throw forbidden("This debate is not open yet: the facilitator has not published it.");
  if (debate.status === "closed" && data.role === "debater") throw forbidden("This debate is closed: you can join it as an observer to read it, but nobody can take part until a facilitator reopens it.");
  const role = data.role ?? (debate.status === "closed" ? "observer" : "debater");
  if (opts.userId) {
    const existing = await ctx.db.participant.findUnique({ where: { debateId_userId: { debateId: debate.id, userId: opts.userId } }, select: { removedAt: true } });
    if (existing?.removedAt) throw forbidden("A facilitator removed you from this debate.");
    if (existing) throw conflict("You are already in this debate.");
  }
  const token = newParticipantToken();
  try {
    const participant = await ctx.db.participant.create({
      data: { debateId: debate.id, displayName: data.displayName, role, tokenHash: hashToken(token), userId: opts.userId ?? null },
    });
    return { participant: toDTO(participant), token };
  } catch (error) {
    if (opts.userId && isUniqueViolation(error)) throw conflict("You are already in this debate.");
    throw error;
  }
}

/**
 * Finds the participant a token belongs to, in the given debate.
 * @returns null when the token is missing, unknown, or belongs to another debate.
 */
export async function findParticipant(ctx: ServiceContext, debateId: string, token: string | null | undefined): Promise<CurrentParticipant | null> {
  if (!token || token.length > 200 || !isUuid(debateId)) return null;
  const p = await ctx.db.participant.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!p || p.debateId !== debateId || p.removedAt) return null;
  return toAuthenticated(p);
}

const toAuthenticated = (p: { id: string; displayName: string; role: ParticipantRole; debateId: string; mutedAt: Date | null }): CurrentParticipant => ({
  ...toDTO(p),
  debateId: p.debateId,
  muted: p.mutedAt !== null,
});

/**
 * The participant a facilitator account is in this debate (host or co-host,
 * linked by Participant.userId), unless removed. Used when a facilitator is
 * recognised by their session or API token rather than a participant token.
 * @returns null when the account has no participant there.
 */
export async function findParticipantOfUser(ctx: ServiceContext, debateId: string, userId: string): Promise<CurrentParticipant | null> {
  if (!isUuid(debateId) || !isUuid(userId)) return null;
  const p = await ctx.db.participant.findUnique({ where: { debateId_userId: { debateId, userId } } });
  if (!p || p.removedAt) return null;
  return toAuthenticated(p);
}
