/**
 * Participants of a debate: joining (with a display name; a join code for
 * private debates, or the join code alone), recognising a participant from
 * their token, and their management by facilitators (list, rename, mute,
 * remove, debater ↔ observer, facilitators; Action.manageParticipants and
 * Action.appointFacilitator). Management changes run once per client `opId`,
 * are audited and broadcast as `participant.updated` after commit.
 * Rules and their reasons: docs/decisions/0011-visibility-and-join-codes.md.
 */
import type { CurrentParticipant, DebateStatus, ParticipantDTO, ParticipantRole, ParticipantStateDTO } from "../../app/shared/contract";
import { isUuid } from "../../app/shared/contract";
import { AppError, conflict, ErrorCode, forbidden, notFound, REMOVED_MESSAGE, validationError } from "../../app/shared/errors";
import { joinByCodeSchema, joinDebateInputSchema, opOnlySchema, type ParticipantAdminDTO, updateParticipantSchema } from "../../app/shared/management";
import { isUniqueViolation, Prisma, type Tx } from "../db";
import { type ParticipantChange, managementAction } from "../../app/shared/permissions";
import { Action, authorizeRole, requireAllowed, requireSameDebate } from "./access";
import { AuditAction, auditActor, recordAudit } from "./audit";
import { appendChange, runOnce } from "./changes";
import type { ServiceContext } from "./context";
import { debatePath } from "./debates";
import { formatJoinCode, normalizeJoinCode } from "./join-codes";
import { hashToken, newParticipantToken } from "./tokens";
import { parseInput } from "./validate";
import { publishAfterCommit } from "./publish";
import { assignLateJoiner } from "./teams";

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
    if (!data.joinCode) throw new AppError(ErrorCode.forbidden, "This debate is private: type the join code your facilitator gave you.", "joinCode").withMessageKey("errors.join.private");
    if (normalizeJoinCode(data.joinCode) !== debate.joinCode) throw new AppError(ErrorCode.forbidden, WRONG_JOIN_CODE, "joinCode").withMessageKey("errors.join.wrongCode");
  }
  return admitParticipant(ctx, debate, data, opts);
}

/**
 * Creates the participant once the debate and the right to enter it are settled
 * (by joinDebate, or by joinByCode below). Takes no rate-limit point.
 * @throws AppError forbidden, conflict (see joinDebate).
 */
export async function admitParticipant(
  ctx: ServiceContext,
  debate: { id: string; status: DebateStatus },
  data: { displayName: string; role?: Extract<ParticipantRole, "debater" | "observer"> },
  opts: JoinOptions = {},
): Promise<{ participant: ParticipantDTO; token: string }> {
  if (debate.status === "draft") throw forbidden("This debate is not open yet: the facilitator has not published it.").withMessageKey("errors.join.draft");
  if (debate.status === "closed" && data.role === "debater") throw forbidden("This debate is closed: you can join it as an observer to read it, but nobody can take part until a facilitator reopens it.").withMessageKey("errors.join.closed");
  const role = data.role ?? (debate.status === "closed" ? "observer" : "debater");
  if (opts.userId) {
    const existing = await ctx.db.participant.findUnique({ where: { debateId_userId: { debateId: debate.id, userId: opts.userId } }, select: { removedAt: true } });
    if (existing?.removedAt) throw forbidden("A facilitator removed you from this debate.").withMessageKey("errors.join.removed");
    if (existing) throw conflict("You are already in this debate.").withMessageKey("errors.join.already");
  }
  const token = newParticipantToken();
  try {
    const participant = await ctx.db.participant.create({
      data: { debateId: debate.id, displayName: data.displayName, role, tokenHash: hashToken(token), userId: opts.userId ?? null },
    });
    // A debater joining once there are teams goes to the smallest one (docs/decisions/0073-teams.md).
    if (role === "debater") await assignLateJoiner(ctx, debate.id, participant.id);
    return { participant: toDTO(participant), token };
  } catch (error) {
    if (opts.userId && isUniqueViolation(error)) throw conflict("You are already in this debate.").withMessageKey("errors.join.already");
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


/**
 * Whether `token` belonged to a participant of this debate whom a facilitator removed
 * (findParticipant answers null for them, as for a stranger: this tells the two apart).
 */
export async function isRemovedParticipantToken(ctx: ServiceContext, debateId: string, token: string | null | undefined): Promise<boolean> {
  if (!token || token.length > 200 || !isUuid(debateId)) return false;
  const p = await ctx.db.participant.findUnique({ where: { tokenHash: hashToken(token) }, select: { debateId: true, removedAt: true } });
  return !!p && p.debateId === debateId && p.removedAt !== null;
}

/** Whether the facilitator account `userId` had a participant in this debate whom a facilitator removed (see findParticipantOfUser). */
export async function isRemovedUser(ctx: ServiceContext, debateId: string, userId: string): Promise<boolean> {
  if (!isUuid(debateId) || !isUuid(userId)) return false;
  const p = await ctx.db.participant.findUnique({ where: { debateId_userId: { debateId, userId } }, select: { removedAt: true } });
  return !!p?.removedAt;
}

// ---------------------------------------------------------------- joining with a join code

/**
 * Joins whichever debate has this join code (works for every visibility), as
 * a debater or an observer; takes one point of the per-address "join" limit
 * whether or not the code is right, so codes cannot be guessed quickly.
 * @param input `{ code, displayName, role? }`; the code in any case, with or without the dash.
 * @param options.currentToken a token the caller already holds for that debate (the browser's cookie): when it is
 *   still valid, that participant is returned and nobody new is created (`token` is then null).
 * @returns the debate's id and path, the participant, and their new token (or null, see above).
 * @throws AppError validation_failed (not a code), not_found (no debate has it, e.g. it was rotated), forbidden, conflict, rate_limited.
 */
export async function joinByCode(
  ctx: ServiceContext,
  input: unknown,
  options: JoinOptions & { currentToken?: (debateId: string) => string | undefined } = {},
): Promise<{ debateId: string; url: string; participant: ParticipantDTO; token: string | null }> {
  const data = parseInput(joinByCodeSchema, input);
  await ctx.limits.consume("join", options.address ?? "unknown");
  const code = normalizeJoinCode(data.code);
  if (!code) throw validationError("That is not a join code: it has 8 letters and digits, like ABCD-EFGH.", "code").withMessageKey("errors.join.notACode");
  const debate = await ctx.db.debate.findUnique({ where: { joinCode: code }, select: { id: true, status: true } });
  if (!debate) {
    throw new AppError(ErrorCode.notFound, `No debate has the join code ${formatJoinCode(code)}. Check it with your facilitator: if they changed the code, ask for the new one.`, "code").withMessageKey("errors.join.noSuchCode", { code: formatJoinCode(code) });
  }
  const existing = options.currentToken ? await findParticipant(ctx, debate.id, options.currentToken(debate.id)) : null;
  if (existing) return { debateId: debate.id, url: debatePath(debate.id), participant: { id: existing.id, displayName: existing.displayName, role: existing.role }, token: null };
  const joined = await admitParticipant(ctx, debate, data, options);
  return { debateId: debate.id, url: debatePath(debate.id), ...joined };
}

/**
 * The participant as they are now (name, role, mute), for a live connection
 * that authenticated earlier: a facilitator may have changed them since, on any server node.
 * @returns null once they were removed.
 */
export async function refreshParticipant<T extends CurrentParticipant>(ctx: ServiceContext, participant: T): Promise<T | null> {
  const row = await ctx.db.participant.findUnique({ where: { id: participant.id }, select: { displayName: true, role: true, mutedAt: true, removedAt: true } });
  if (!row || row.removedAt) return null;
  return { ...participant, displayName: row.displayName, role: row.role, muted: row.mutedAt !== null };
}

// ---------------------------------------------------------------- management by facilitators

type ParticipantRow = { id: string; displayName: string; role: ParticipantRole; mutedAt: Date | null; removedAt: Date | null; createdAt: Date; lastSeenAt: Date; _count?: { arguments: number } };

const adminDTO = (p: ParticipantRow): ParticipantAdminDTO => ({
  id: p.id,
  displayName: p.displayName,
  role: p.role,
  muted: p.mutedAt !== null,
  removed: p.removedAt !== null,
  joinedAt: p.createdAt.toISOString(),
  lastSeenAt: p.lastSeenAt.toISOString(),
  argumentCount: p._count?.arguments ?? 0,
});

const stateDTO = (p: ParticipantRow): ParticipantStateDTO => ({ id: p.id, displayName: p.displayName, role: p.role, muted: p.mutedAt !== null, removed: p.removedAt !== null });

const ROLE_ORDER: Record<ParticipantRole, number> = { host: 0, facilitator: 1, debater: 2, observer: 3 };

/**
 * Everyone who joined the debate, removed ones included, for its facilitators:
 * host and facilitators first, then by name.
 * @throws AppError unauthenticated, forbidden (not a facilitator), not_found.
 */
export async function listParticipants(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string): Promise<ParticipantAdminDTO[]> {
  const me = requireSameDebate(actor, debateId);
  authorizeRole(me, Action.manageParticipants);
  const rows = await ctx.db.participant.findMany({ where: { debateId }, include: { _count: { select: { arguments: true } } }, orderBy: { createdAt: "asc" } });
  return rows
    .map(adminDTO)
    .sort((a, b) => Number(a.removed) - Number(b.removed) || ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.displayName.localeCompare(b.displayName));
}

/**
 * The action of the table a change to `target` needs (app/shared/permissions.ts managementAction).
 * @throws AppError forbidden when nobody may make that change (the host; oneself).
 */
function neededAction(me: CurrentParticipant, target: { id: string; role: ParticipantRole }, change: ParticipantChange): Action {
  const needed = managementAction(me, target, change);
  if (typeof needed !== "string") throw forbidden(needed.refused);
  return needed;
}

async function loadTarget(ctx: ServiceContext, debateId: string, participantId: string) {
  if (!isUuid(participantId)) throw notFound("That participant");
  const target = await ctx.db.participant.findUnique({ where: { id: participantId } });
  if (!target || target.debateId !== debateId) throw notFound("That participant");
  if (target.removedAt) throw conflict(`${target.displayName} was already removed from this debate.`);
  return target;
}

async function writeParticipant(tx: Tx, debateId: string, participantId: string, data: Prisma.ParticipantUpdateInput) {
  const row = await tx.participant.update({ where: { id: participantId }, data, include: { _count: { select: { arguments: true } } } });
  return { row: adminDTO(row), change: await appendChange(tx, debateId, "participant.updated", stateDTO(row)) };
}

/**
 * Renames, mutes/unmutes and/or changes the role of a participant
 * (Action.manageParticipants; Action.appointFacilitator when a facilitator is
 * concerned). Broadcast as participant.updated; each change is audited.
 * @param input `{ opId?, displayName?, muted?, role?: "facilitator" | "debater" | "observer" }`.
 * @returns the participant as facilitators see them.
 * @throws AppError validation_failed, unauthenticated, forbidden, not_found, conflict (already removed).
 */
export async function updateParticipant(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string, participantId: string, input: unknown): Promise<ParticipantAdminDTO> {
  const me = requireSameDebate(actor, debateId);
  const data = parseInput(updateParticipantSchema, input);
  const target = await loadTarget(ctx, debateId, participantId);
  await requireAllowed(ctx, me, neededAction(me, target, { rename: data.displayName !== undefined, muted: data.muted, role: data.role }));
  const result = await runOnce(ctx, { opId: data.opId, participantId: me.id, kind: "participant.update" }, async (tx) => {
    const current = await tx.participant.findUniqueOrThrow({ where: { id: participantId } });
    if (current.removedAt) throw conflict(`${current.displayName} was already removed from this debate.`);
    const update: Prisma.ParticipantUpdateInput = {};
    const audit = (action: AuditAction, details?: Record<string, unknown>) =>
      recordAudit(tx, { debateId, actor: auditActor(me), action, targetType: "participant", targetId: participantId, details: { name: current.displayName, ...details } });
    if (data.displayName !== undefined && data.displayName !== current.displayName) {
      update.displayName = data.displayName;
      await audit(AuditAction.participantRenamed, { from: current.displayName, to: data.displayName });
    }
    if (data.muted !== undefined && data.muted !== (current.mutedAt !== null)) {
      update.mutedAt = data.muted ? new Date() : null;
      await audit(data.muted ? AuditAction.participantMuted : AuditAction.participantUnmuted);
    }
    if (data.role !== undefined && data.role !== current.role) {
      update.role = data.role;
      await audit(AuditAction.participantRoleChanged, { from: current.role, to: data.role });
    }
    if (Object.keys(update).length === 0) {
      const row = await tx.participant.findUniqueOrThrow({ where: { id: participantId }, include: { _count: { select: { arguments: true } } } });
      return { row: adminDTO(row), change: null };
    }
    return writeParticipant(tx, debateId, participantId, update);
  });
  return result.row;
}

/**
 * Removes a participant (Action.manageParticipants; appointFacilitator for a
 * facilitator): their token stops working at once, their open connections get
 * a `debate:error` and are closed, their arguments and votes stay. Broadcast as participant.updated.
 * @throws AppError unauthenticated, forbidden, not_found, conflict (already removed).
 */
export async function removeParticipant(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string, participantId: string, input: unknown = {}): Promise<ParticipantAdminDTO> {
  const me = requireSameDebate(actor, debateId);
  const { opId } = parseInput(opOnlySchema, input ?? {});
  const target = await loadTarget(ctx, debateId, participantId).catch(async (error) => {
    // A repeated removal with the same opId answers like the first one.
    if (opId && (error as AppError)?.code === ErrorCode.conflict) return null;
    throw error;
  });
  if (target) await requireAllowed(ctx, me, neededAction(me, target, { remove: true }));
  const result = await runOnce(ctx, { opId, participantId: me.id, kind: "participant.remove" }, async (tx) => {
    const current = await tx.participant.findUniqueOrThrow({ where: { id: participantId } });
    if (current.removedAt) throw conflict(`${current.displayName} was already removed from this debate.`);
    await recordAudit(tx, { debateId, actor: auditActor(me), action: AuditAction.participantRemoved, targetType: "participant", targetId: participantId, details: { name: current.displayName, role: current.role } });
    const written = await writeParticipant(tx, debateId, participantId, { removedAt: new Date() });
    publishAfterCommit(tx, { kind: "disconnect", participantId, error: { code: ErrorCode.unauthenticated, message: REMOVED_MESSAGE } });
    return written;
  });
  return result.row;
}

/** Notes that a participant's live connection opened or closed (the "last seen" of the participants list). Never throws. */
export async function touchParticipant(ctx: ServiceContext, participantId: string): Promise<void> {
  await ctx.db.participant.update({ where: { id: participantId }, data: { lastSeenAt: new Date() } }).catch(() => undefined);
}
