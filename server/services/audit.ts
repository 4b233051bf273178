/**
 * The audit log: every moderation and management action of a debate
 * (hiding, reports dismissed, participants renamed/muted/removed, roles,
 * locks, closing, settings, join-code rotation), written in the same
 * transaction as the action so the log never misses or invents one.
 * Facilitators read it on the moderation page and export it as CSV.
 */
import type { CurrentParticipant } from "../../app/shared/contract";
import type { Tx } from "../db";

/** Stable action names, as stored in AuditEntry.action and shown in the CSV. */
export const AuditAction = {
  argumentHidden: "argument.hidden",
  argumentUnhidden: "argument.unhidden",
  argumentDeleted: "argument.deleted",
  reportFiled: "report.filed",
  reportDismissed: "report.dismissed",
  propositionLocked: "proposition.locked",
  propositionUnlocked: "proposition.unlocked",
  propositionEdited: "proposition.edited",
  propositionAdded: "proposition.added",
  /** A draft's propositions split, merged, moved, deleted or drafted again from a section (`details.intent`). */
  propositionsCurated: "propositions.curated",
  participantRenamed: "participant.renamed",
  participantMuted: "participant.muted",
  participantUnmuted: "participant.unmuted",
  participantRemoved: "participant.removed",
  participantRoleChanged: "participant.role_changed",
  debatePublished: "debate.published",
  debateClosed: "debate.closed",
  debateReopened: "debate.reopened",
  visibilityChanged: "debate.visibility_changed",
  joinCodeRotated: "debate.join_code_rotated",
  rateLimitsChanged: "debate.rate_limits_changed",
  /** A facilitator started, paused, resumed, extended or moved the phase (`details`: action, from, to, seconds). */
  phaseChanged: "phase.changed",
  /** A facilitator showed the results before the results phase (`details.phase`: the phase then). */
  resultsShown: "results.shown",
  /** The format, motion or durations of a draft were changed. */
  formatChanged: "debate.format_changed",
  /** A facilitator proposed a decision (`details`: text, propositionIds; target: the decision). */
  decisionProposed: "decision.proposed",
  /** A facilitator closed a decision (`details.outcome`; `reason`: the note). */
  decisionClosed: "decision.closed",
  /** A facilitator changed the teams (`details.action`: create, update, delete, assign, random, with what changed). */
  teamsChanged: "teams.changed",
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

export interface AuditInput {
  debateId: string;
  /** The acting participant (null for the system). */
  actor: { id: string; displayName: string } | null;
  action: AuditAction;
  targetType: "argument" | "proposition" | "participant" | "debate" | "report" | "decision" | "team";
  targetId?: string | null;
  reason?: string | null;
  /** Small JSON with before/after values, e.g. `{ from: "Ada", to: "Ada L." }`. */
  details?: Record<string, unknown> | null;
}

/** Appends one entry. Must run inside the transaction that performs the action. */
export async function recordAudit(tx: Tx, entry: AuditInput): Promise<void> {
  await tx.auditEntry.create({
    data: {
      debateId: entry.debateId,
      actorId: entry.actor?.id ?? null,
      actorName: entry.actor?.displayName ?? "Steelman",
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      reason: entry.reason ?? null,
      details: (entry.details ?? undefined) as object | undefined,
    },
  });
}

/** How an audit entry names the participant who acted. */
export const auditActor = (a: Pick<CurrentParticipant, "id" | "displayName">) => ({ id: a.id, displayName: a.displayName });
