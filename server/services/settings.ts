/**
 * A debate's settings, for its facilitators (Action.changeSettings): visibility,
 * the join code (read and rotated here; typed by joiners in ./participants.ts
 * joinByCode; made and read by ./join-codes.ts) and the debate's own rate limits.
 *
 * Each change is authorised against the role × action table (./access.ts), runs
 * once per client `opId` (./changes.ts runOnce), writes its audit entry in the
 * same transaction and, for visibility, a numbered `debate.updated` change
 * broadcast after commit. The join code is never part of a change or of
 * DebateDTO: only facilitators read it, through getSettings.
 * Rules and their reasons: docs/decisions/0011-visibility-and-join-codes.md.
 */
import type { CurrentParticipant, DebateChange } from "../../app/shared/contract";
import { conflict, notFound, validationError } from "../../app/shared/errors";
import { checkDurations } from "../../app/shared/phases";
import { type DebateRateLimits, type DebateSettingsAdminDTO, opOnlySchema, updateSettingsSchema } from "../../app/shared/management";
import { isUniqueViolation, Prisma } from "../db";
import { Action, authorizeRole, requireAllowed, requireSameDebate } from "./access";
import { AuditAction, auditActor, recordAudit } from "./audit";
import { appendChange, runOnce } from "./changes";
import type { ServiceContext } from "./context";
import { forgetDebateRateLimits, parseStoredRateLimits } from "./debate-rate-limits";
import { debatePath, toDebateSettingsDTO } from "./debates";
import { formatJoinCode, newJoinCode } from "./join-codes";
import { DEFAULT_RATE_LIMITS } from "./rate-limits";
import { parseInput } from "./validate";

/**
 * The debate's settings for its facilitators: join code and links, visibility, status, rate limits.
 * @throws AppError unauthenticated, forbidden (not a facilitator), not_found.
 */
export async function getSettings(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string): Promise<DebateSettingsAdminDTO> {
  const me = requireSameDebate(actor, debateId);
  authorizeRole(me, Action.changeSettings);
  const d = await ctx.db.debate.findUnique({ where: { id: debateId }, select: { id: true, title: true, status: true, visibility: true, joinCode: true, closedAt: true, rateLimits: true, language: true } });
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
    language: d.language,
    rateLimits: { argument: rules.argument ?? null, vote: rules.vote ?? null },
    defaultRateLimits: { argument: DEFAULT_RATE_LIMITS.argument, vote: DEFAULT_RATE_LIMITS.vote },
  };
}

const sameRules = (a: DebateRateLimits, b: DebateRateLimits) => JSON.stringify([a.argument ?? null, a.vote ?? null]) === JSON.stringify([b.argument ?? null, b.vote ?? null]);

/**
 * Changes visibility and/or the debate's own rate limits (Action.changeSettings).
 * A visibility change is broadcast as debate.updated; rate limits apply to the next write.
 * @param input `{ opId?, visibility?, language?: "en" | "de" | "fr" | "es" | null, rateLimits?: { argument?: rule | null, vote?: rule | null } | null }` (null resets to the defaults).
 * @returns the settings as facilitators see them.
 * @throws AppError validation_failed, unauthenticated, forbidden (not a facilitator; debate closed), not_found.
 */
export async function updateSettings(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string, input: unknown): Promise<DebateSettingsAdminDTO> {
  const me = requireSameDebate(actor, debateId);
  const data = parseInput(updateSettingsSchema, input);
  await requireAllowed(ctx, me, Action.changeSettings);
  await runOnce(ctx, { opId: data.opId, participantId: me.id, kind: "debate.settings" }, async (tx) => {
    const current = await tx.debate.findUniqueOrThrow({ where: { id: debateId }, select: { status: true, visibility: true, title: true, rateLimits: true, format: true, motionText: true, phaseDurations: true, language: true } });
    const update: Prisma.DebateUpdateInput = {};
    if (data.format !== undefined || data.motion !== undefined || data.durations !== undefined) {
      // The format is chosen before publishing: a running debate's phases, polls and rules must not change under the room.
      if (current.status !== "draft") throw conflict("The format, motion and phase durations can only be changed before the debate is published.");
      const format = data.format ?? current.format;
      if (data.motion !== undefined && format !== "oxford") throw validationError("Only an Oxford-style debate has a motion.", "motion");
      const durations = data.durations === undefined ? (format === current.format ? (current.phaseDurations as Record<string, number> | null) : null) : checkDurations(format, data.durations);
      if (data.durations !== undefined) checkDurations(format, durations);
      update.format = format;
      update.motionText = format === "oxford" ? (data.motion ?? current.motionText ?? current.title) : null;
      update.phaseDurations = durations ?? Prisma.DbNull;
      await recordAudit(tx, { debateId, actor: auditActor(me), action: AuditAction.formatChanged, targetType: "debate", targetId: debateId, details: { from: current.format, to: format } });
    }
    if (data.visibility && data.visibility !== current.visibility) {
      update.visibility = data.visibility;
      await recordAudit(tx, { debateId, actor: auditActor(me), action: AuditAction.visibilityChanged, targetType: "debate", targetId: debateId, details: { from: current.visibility, to: data.visibility } });
    }
    // The debate's language: a page setting (the next page load uses it), not broadcast.
    if (data.language !== undefined && data.language !== current.language) update.language = data.language;
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
    return { changes: update.visibility ? [await appendChange(tx, debateId, "debate.updated", toDebateSettingsDTO(row))] : [] };
  });
  forgetDebateRateLimits(debateId);
  return getSettings(ctx, me, debateId);
}

/**
 * Gives the debate a new join code (Action.changeSettings): the old one stops
 * working at once; participants who joined with it keep their access.
 * @returns the settings with the new code.
 * @throws AppError unauthenticated, forbidden, not_found.
 */
export async function rotateJoinCode(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string, input: unknown = {}): Promise<DebateSettingsAdminDTO> {
  const me = requireSameDebate(actor, debateId);
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
