/**
 * Running a debate: who can read and join it (visibility, join codes), closing
 * and reopening, locking propositions, managing participants (rename, mute,
 * remove, debater ↔ observer, facilitators), and the debate's own rate limits.
 *
 * Every action is authorised against the role × action table
 * (app/shared/permissions.ts via ./access.ts), runs once per client `opId`
 * (./changes.ts runOnce), writes its audit entry (./audit.ts) and its numbered
 * change (debate.updated, participant.updated, proposition.updated) in the same
 * transaction, and is broadcast after commit. The join code is never part of a
 * change or of DebateDTO: only facilitators read it, through getSettings.
 * Rules and their reasons: docs/decisions/0011-visibility-and-join-codes.md.
 */
import type { DebateChange, DebateSettingsDTO, DebateStatus, DebateVisibility, ParticipantDTO, ParticipantRole, ParticipantStateDTO, PropositionDTO } from "../../app/shared/contract";
import { isUuid } from "../../app/shared/contract";
import { AppError, conflict, ErrorCode, forbidden, notFound, unauthenticated, validationError } from "../../app/shared/errors";
import {
  type DebateRateLimits,
  type DebateSettingsAdminDTO,
  joinByCodeSchema,
  lockPropositionSchema,
  opOnlySchema,
  type ParticipantAdminDTO,
  updateParticipantSchema,
  updateSettingsSchema,
} from "../../app/shared/management";
import { isUniqueViolation, Prisma, type Tx } from "../db";
import { Action, authorize, decide, requireAllowed } from "./access";
import { AuditAction, recordAudit } from "./audit";
import { appendChange, runOnce } from "./changes";
import type { ServiceContext } from "./context";
import { forgetDebateRateLimits, parseStoredRateLimits } from "./debate-rate-limits";
import { debatePath, toPropositionDTO } from "./debates";
import { formatJoinCode, newJoinCode, normalizeJoinCode } from "./join-codes";
import type { CurrentParticipant } from "../../app/shared/contract";
import { admitParticipant, findParticipant, type JoinOptions } from "./participants";
import { DEFAULT_RATE_LIMITS } from "./rate-limits";
import { parseInput } from "./validate";

/** What a non-participant is told about a private debate or a draft: the same as for a debate that does not exist. */
export const NOT_READABLE_MESSAGE = "This debate was not found, or you need to join it first: private debates ask for the join code your facilitator gave you.";

/** Said to a removed participant's open connections before they are closed. */
export const REMOVED_MESSAGE = "A facilitator removed you from this debate. You can no longer take part in it.";

/** What everyone may know about a debate before reading it. */
export interface DebateAccess {
  id: string;
  title: string;
  status: DebateStatus;
  visibility: DebateVisibility;
  /** The debate's latest change number (see ./changes.ts). */
  lastSeq: number;
}

/**
 * The debate's status, visibility, title and latest change number, in one read.
 * @returns null when there is no such debate (or the id is not a UUID).
 */
export async function debateAccess(ctx: ServiceContext, debateId: string): Promise<DebateAccess | null> {
  if (!isUuid(debateId)) return null;
  return ctx.db.debate.findUnique({ where: { id: debateId }, select: { id: true, title: true, status: true, visibility: true, lastSeq: true } });
}

/**
 * Whether `actor` (or an anonymous reader when null) may read the debate:
 * public and unlinked debates are readable by anyone with the link once
 * published (also when closed); private debates only by their participants;
 * drafts only by their facilitators (the only participants a draft can have).
 * @returns the debate's access facts.
 * @throws AppError not_found (worded so as not to tell a private debate from a missing one).
 */
export async function requireReadable(ctx: ServiceContext, debateId: string, actor: CurrentParticipant | null): Promise<DebateAccess> {
  const access = await debateAccess(ctx, debateId);
  if (!access) throw new AppError(ErrorCode.notFound, NOT_READABLE_MESSAGE);
  const me = actor && actor.debateId === debateId ? actor : null;
  if (access.status === "draft" || access.visibility === "private") {
    if (!me || decide(me, Action.readDebate, { status: access.status }) !== null) throw new AppError(ErrorCode.notFound, NOT_READABLE_MESSAGE);
  }
  return access;
}

/** Whether an anonymous reader may read the debate (and so open a live connection without joining). */
export const readableWithoutJoining = (access: DebateAccess): boolean => access.status !== "draft" && access.visibility !== "private";

function sameDebate(actor: CurrentParticipant | null, debateId: string): CurrentParticipant {
  if (!actor) throw unauthenticated();
  if (actor.debateId !== debateId || !isUuid(debateId)) throw notFound("This debate");
  return actor;
}

/**
 * Reading a facilitator-only page works in any state (also when closed); only the role counts,
 * as the table gives it for `action`.
 */
function authorizeRole(actor: CurrentParticipant, action: Action) {
  authorize(actor, action, { status: "published" });
}

const settingsDTO = (d: { status: DebateStatus; visibility: DebateVisibility; title: string }): DebateSettingsDTO => ({ status: d.status, visibility: d.visibility, title: d.title });

const auditActor = (a: CurrentParticipant) => ({ id: a.id, displayName: a.displayName });

// ---------------------------------------------------------------- settings

/**
 * The debate's settings for its facilitators: join code and links, visibility, status, rate limits.
 * @throws AppError unauthenticated, forbidden (not a facilitator), not_found.
 */
export async function getSettings(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string): Promise<DebateSettingsAdminDTO> {
  const me = sameDebate(actor, debateId);
  authorizeRole(me, Action.changeSettings);
  const d = await ctx.db.debate.findUnique({ where: { id: debateId }, select: { id: true, title: true, status: true, visibility: true, joinCode: true, closedAt: true, rateLimits: true } });
  if (!d) throw notFound("This debate");
  const rules = parseStoredRateLimits(d.rateLimits);
  const code = formatJoinCode(d.joinCode);
  return {
    id: d.id,
    title: d.title,
    status: d.status,
    visibility: d.visibility,
    joinCode: code,
    joinPath: `/join?code=${code}`,
    debatePath: debatePath(d.id),
    closedAt: d.closedAt?.toISOString() ?? null,
    rateLimits: { argument: rules.argument ?? null, vote: rules.vote ?? null },
    defaultRateLimits: { argument: DEFAULT_RATE_LIMITS.argument, vote: DEFAULT_RATE_LIMITS.vote },
  };
}

const sameRules = (a: DebateRateLimits, b: DebateRateLimits) => JSON.stringify([a.argument ?? null, a.vote ?? null]) === JSON.stringify([b.argument ?? null, b.vote ?? null]);

/**
 * Changes visibility and/or the debate's own rate limits (Action.changeSettings).
 * A visibility change is broadcast as debate.updated; rate limits apply to the next write.
 * @param input `{ opId?, visibility?, rateLimits?: { argument?: rule | null, vote?: rule | null } | null }` (null resets to the defaults).
 * @returns the settings as facilitators see them.
 * @throws AppError validation_failed, unauthenticated, forbidden (not a facilitator; debate closed), not_found.
 */
export async function updateSettings(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string, input: unknown): Promise<DebateSettingsAdminDTO> {
  const me = sameDebate(actor, debateId);
  const data = parseInput(updateSettingsSchema, input);
  await requireAllowed(ctx, me, Action.changeSettings);
  const { result, replayed } = await runOnce(ctx, { opId: data.opId, participantId: me.id, kind: "debate.settings" }, async (tx) => {
    const current = await tx.debate.findUniqueOrThrow({ where: { id: debateId }, select: { status: true, visibility: true, title: true, rateLimits: true } });
    const update: Prisma.DebateUpdateInput = {};
    if (data.visibility && data.visibility !== current.visibility) {
      update.visibility = data.visibility;
      await recordAudit(tx, { debateId, actor: auditActor(me), action: AuditAction.visibilityChanged, targetType: "debate", targetId: debateId, details: { from: current.visibility, to: data.visibility } });
    }
    if (data.rateLimits !== undefined) {
      const before = parseStoredRateLimits(current.rateLimits);
      const after: DebateRateLimits = { ...before };
      for (const key of ["argument", "vote"] as const) {
        if (data.rateLimits === null || data.rateLimits[key] === null) delete after[key];
        else if (data.rateLimits[key]) after[key] = data.rateLimits[key];
      }
      if (!sameRules(before, after)) {
        update.rateLimits = after.argument || after.vote ? after : Prisma.DbNull;
        await recordAudit(tx, { debateId, actor: auditActor(me), action: AuditAction.rateLimitsChanged, targetType: "debate", targetId: debateId, details: { from: before, to: after } });
      }
    }
    if (Object.keys(update).length === 0) return { changes: [] as DebateChange[] };
    const row = await tx.debate.update({ where: { id: debateId }, data: update, select: { status: true, visibility: true, title: true } });
    return { changes: update.visibility ? [await appendChange(tx, debateId, "debate.updated", settingsDTO(row))] : [] };
  });
  forgetDebateRateLimits(debateId);
  if (!replayed) for (const c of result.changes) ctx.publisher.change(debateId, c);
  return getSettings(ctx, me, debateId);
}

/**
 * Gives the debate a new join code (Action.changeSettings): the old one stops
 * working at once; participants who joined with it keep their access.
 * @returns the settings with the new code.
 * @throws AppError unauthenticated, forbidden, not_found.
 */
export async function rotateJoinCode(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string, input: unknown = {}): Promise<DebateSettingsAdminDTO> {
  const me = sameDebate(actor, debateId);
  const { opId } = parseInput(opOnlySchema, input ?? {});
  await requireAllowed(ctx, me, Action.changeSettings);
  for (let attempt = 0; ; attempt++) {
    try {
      await runOnce(ctx, { opId, participantId: me.id, kind: "debate.rotate-code" }, async (tx) => {
        await tx.debate.update({ where: { id: debateId }, data: { joinCode: newJoinCode() } });
        await recordAudit(tx, { debateId, actor: auditActor(me), action: AuditAction.joinCodeRotated, targetType: "debate", targetId: debateId });
        return { rotated: true };
      });
      break;
    } catch (error) {
      // 32^8 codes: a collision is very unlikely; try another code.
      if (!isUniqueViolation(error) || attempt >= 3) throw error;
    }
  }
  return getSettings(ctx, me, debateId);
}

/**
 * Closes the debate (Action.closeDebate): read-only for everyone until reopened. Broadcast as debate.updated.
 * @throws AppError unauthenticated, forbidden (not a facilitator; already closed; draft), not_found.
 */
export async function closeDebate(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string, input: unknown = {}): Promise<DebateSettingsDTO> {
  return setClosed(ctx, actor, debateId, input, true);
}

/**
 * Reopens a closed debate (Action.reopenDebate): published again. Broadcast as debate.updated.
 * Reopening an open debate changes nothing.
 * @throws AppError unauthenticated, forbidden (not a facilitator), not_found.
 */
export async function reopenDebate(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string, input: unknown = {}): Promise<DebateSettingsDTO> {
  return setClosed(ctx, actor, debateId, input, false);
}

async function setClosed(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string, input: unknown, close: boolean): Promise<DebateSettingsDTO> {
  const me = sameDebate(actor, debateId);
  const { opId } = parseInput(opOnlySchema, input ?? {});
  const action = close ? Action.closeDebate : Action.reopenDebate;
  authorizeRole(me, action);
  // The state is checked inside the operation, so that repeating an applied opId (a double click) is answered, not refused.
  const { result, replayed } = await runOnce(ctx, { opId, participantId: me.id, kind: close ? "debate.close" : "debate.reopen" }, async (tx) => {
    // Locks the debate row: a close and a reopen at once apply one after the other.
    const [current] = await tx.$queryRaw<{ status: DebateStatus }[]>`SELECT status FROM "Debate" WHERE id = ${debateId}::uuid FOR UPDATE`;
    if (!current) throw notFound("This debate");
    if (!close && current.status === "published") {
      return { settings: settingsDTO(await tx.debate.findUniqueOrThrow({ where: { id: debateId }, select: { status: true, visibility: true, title: true } })), change: null };
    }
    authorize(me, action, { status: current.status });
    const row = await tx.debate.update({
      where: { id: debateId },
      data: close ? { status: "closed", closedAt: new Date() } : { status: "published", closedAt: null },
      select: { status: true, visibility: true, title: true },
    });
    await recordAudit(tx, { debateId, actor: auditActor(me), action: close ? AuditAction.debateClosed : AuditAction.debateReopened, targetType: "debate", targetId: debateId });
    return { settings: settingsDTO(row), change: await appendChange(tx, debateId, "debate.updated", settingsDTO(row)) };
  });
  if (!replayed && result.change) ctx.publisher.change(debateId, result.change);
  return result.settings;
}

// ---------------------------------------------------------------- propositions

/**
 * Locks (no new arguments, edits, sources, votes or ratings on it) or unlocks a
 * proposition (Action.lockProposition). Broadcast as proposition.updated; setting
 * the state it already has changes nothing.
 * @param input `{ opId?, propositionId, locked }`.
 * @throws AppError validation_failed, unauthenticated, forbidden, not_found.
 */
export async function lockProposition(ctx: ServiceContext, actor: CurrentParticipant | null, input: unknown): Promise<PropositionDTO> {
  const { opId, propositionId, locked } = parseInput(lockPropositionSchema, input);
  if (!actor) throw unauthenticated();
  await requireAllowed(ctx, actor, Action.lockProposition, { propositionId });
  const { result, replayed } = await runOnce(ctx, { opId, participantId: actor.id, kind: "proposition.lock" }, async (tx) => {
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
  if (!replayed && result.change) ctx.publisher.change(actor.debateId, result.change);
  return result.proposition;
}

// ---------------------------------------------------------------- participants

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
  const me = sameDebate(actor, debateId);
  authorizeRole(me, Action.manageParticipants);
  const rows = await ctx.db.participant.findMany({ where: { debateId }, include: { _count: { select: { arguments: true } } }, orderBy: { createdAt: "asc" } });
  return rows
    .map(adminDTO)
    .sort((a, b) => Number(a.removed) - Number(b.removed) || ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.displayName.localeCompare(b.displayName));
}

/**
 * Which action of the table a change to `target` needs, or why nobody may make it.
 * The host is managed by nobody (they may rename themselves); facilitators only by the host;
 * nobody mutes, removes or re-roles themselves here.
 */
function managementAction(actor: CurrentParticipant, target: { id: string; role: ParticipantRole }, change: { rename?: boolean; muted?: boolean; role?: ParticipantRole; remove?: boolean }): Action {
  const self = actor.id === target.id;
  if (self && (change.muted !== undefined || change.role !== undefined || change.remove)) throw forbidden("You cannot mute, remove or change the role of yourself.");
  if (self) return Action.manageParticipants;
  if (target.role === "host") throw forbidden("Nobody can rename, mute, remove or change the role of the debate's host.");
  if (target.role === "facilitator" || change.role === "facilitator") return Action.appointFacilitator;
  return Action.manageParticipants;
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
  const me = sameDebate(actor, debateId);
  const data = parseInput(updateParticipantSchema, input);
  const target = await loadTarget(ctx, debateId, participantId);
  await requireAllowed(ctx, me, managementAction(me, target, { rename: data.displayName !== undefined, muted: data.muted, role: data.role }));
  const { result, replayed } = await runOnce(ctx, { opId: data.opId, participantId: me.id, kind: "participant.update" }, async (tx) => {
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
  if (!replayed && result.change) ctx.publisher.change(debateId, result.change);
  return result.row;
}

/**
 * Removes a participant (Action.manageParticipants; appointFacilitator for a
 * facilitator): their token stops working at once, their open connections get
 * a `debate:error` and are closed, their arguments and votes stay. Broadcast as participant.updated.
 * @throws AppError unauthenticated, forbidden, not_found, conflict (already removed).
 */
export async function removeParticipant(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string, participantId: string, input: unknown = {}): Promise<ParticipantAdminDTO> {
  const me = sameDebate(actor, debateId);
  const { opId } = parseInput(opOnlySchema, input ?? {});
  const target = await loadTarget(ctx, debateId, participantId).catch(async (error) => {
    // A repeated removal with the same opId answers like the first one.
    if (opId && (error as AppError)?.code === ErrorCode.conflict) return null;
    throw error;
  });
  if (target) await requireAllowed(ctx, me, managementAction(me, target, { remove: true }));
  const { result, replayed } = await runOnce(ctx, { opId, participantId: me.id, kind: "participant.remove" }, async (tx) => {
    const current = await tx.participant.findUniqueOrThrow({ where: { id: participantId } });
    if (current.removedAt) throw conflict(`${current.displayName} was already removed from this debate.`);
    await recordAudit(tx, { debateId, actor: auditActor(me), action: AuditAction.participantRemoved, targetType: "participant", targetId: participantId, details: { name: current.displayName, role: current.role } });
    return writeParticipant(tx, debateId, participantId, { removedAt: new Date() });
  });
  if (!replayed) {
    ctx.publisher.change(debateId, result.change);
    ctx.publisher.disconnectParticipant(participantId, { code: ErrorCode.unauthenticated, message: REMOVED_MESSAGE });
  }
  return result.row;
}

/** Notes that a participant's live connection opened or closed (the "last seen" of the participants list). Never throws. */
export async function touchParticipant(ctx: ServiceContext, participantId: string): Promise<void> {
  await ctx.db.participant.update({ where: { id: participantId }, data: { lastSeenAt: new Date() } }).catch(() => undefined);
}

// ---------------------------------------------------------------- join codes

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
  if (!code) throw validationError("That is not a join code: it has 8 letters and digits, like ABCD-EFGH.", "code");
  const debate = await ctx.db.debate.findUnique({ where: { joinCode: code }, select: { id: true, status: true } });
  if (!debate) {
    throw new AppError(ErrorCode.notFound, `No debate has the join code ${formatJoinCode(code)}. Check it with your facilitator: if they changed the code, ask for the new one.`, "code");
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
