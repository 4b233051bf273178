/**
 * Moderation: participants report arguments, facilitators see the open
 * reports grouped by argument, hide an argument with a reason (its replies go
 * with it), unhide it, or dismiss the reports; every one of these actions is
 * written to the audit log in its own transaction, which facilitators read
 * page by page or export as CSV.
 *
 * Who may do what comes from app/shared/permissions.ts through ./access.ts:
 * reportArgument (debaters and facilitators), hideArgument (facilitators:
 * hide, unhide, dismiss), readModeration (facilitators: queue and log).
 * What a hidden argument looks like to whom: app/shared/moderation.ts.
 */
import type {
  ArgumentHiddenPayload,
  ArgumentUnhiddenPayload,
  AuditEntryDTO,
  AuditPageDTO,
  ModerationQueueDTO,
  ModerationQueueItemDTO,
  ReportDTO,
  ReportsDismissedDTO,
  ReportStatus,
} from "../../app/shared/contract";
import { auditPageSchema } from "../../app/shared/contract";
import { conflict, forbidden } from "../../app/shared/errors";
import { auditLogCsv } from "../domain/audit-csv";
import { Action, requireAllowed } from "./access";
import { loadArgumentDTO } from "./arguments";
import { AuditAction, recordAudit } from "./audit";
import { appendChange, runOperation } from "./changes";
import type { ServiceContext } from "./context";
import type { CurrentParticipant } from "../../app/shared/contract";
import { argumentState, hiddenThreadMembers, lockArgument, threadIds } from "./threads";
import { parseInput } from "./validate";
import { publishAfterCommit } from "./publish";
import { OPERATIONS, type OperationInput } from "../../app/shared/operations";

/** Longest excerpt of an argument shown in the queue, in characters. */
export const QUEUE_EXCERPT_CHARS = 280;

type ReportRow = { id: string; argumentId: string; reason: string; status: ReportStatus; createdAt: Date };
const toReportDTO = (r: ReportRow): ReportDTO => ({ id: r.id, argumentId: r.argumentId, reason: r.reason, status: r.status, createdAt: r.createdAt.toISOString() });

/**
 * Reports someone else's argument to the facilitators. One report per
 * reporter per argument: a repeat answers with the existing report (whatever
 * its status) and writes nothing. Reports are private: not a numbered change;
 * the facilitators are notified live (`moderation:updated`). Audited as "report.filed".
 * @param input `{ opId?, argumentId, reason }` (reason: 1–500 characters of plain text).
 * @returns the report, and whether this call created it.
 * @throws AppError validation_failed, not_found, forbidden (own argument, deleted, already hidden, observers), rate_limited.
 */
export async function reportArgument(ctx: ServiceContext, actor: CurrentParticipant, input: OperationInput<"reportArgument">): Promise<{ report: ReportDTO; created: boolean }> {
  const { opId, argumentId, reason } = input;
  const { argument } = await requireAllowed(ctx, actor, OPERATIONS.reportArgument.action, { argumentId });
  if (argument!.authorId === actor.id) throw forbidden("You cannot report your own argument. You can edit or delete it instead.");
  const existing = await ctx.db.report.findUnique({ where: { argumentId_reporterId: { argumentId, reporterId: actor.id } } });
  if (existing) return { report: toReportDTO(existing), created: false };
  if (argument!.deleted) throw forbidden("This argument was deleted by its author: there is nothing left to report.");
  if ((await argumentState(ctx.db, argumentId)).inHiddenThread) throw forbidden("A facilitator has already hidden this argument.");

  const result = await runOperation(ctx, "reportArgument", actor, opId, async (tx) => {
    // A parallel duplicate must not abort the transaction: insert-or-nothing, then read.
    const inserted = await tx.report.createMany({ data: [{ debateId: actor.debateId, argumentId, reporterId: actor.id, reason }], skipDuplicates: true });
    const row = await tx.report.findUniqueOrThrow({ where: { argumentId_reporterId: { argumentId, reporterId: actor.id } } });
    if (inserted.count === 1) {
      await recordAudit(tx, { debateId: actor.debateId, actor, action: AuditAction.reportFiled, targetType: "argument", targetId: argumentId, reason, details: { reportId: row.id } });
    }
    if (inserted.count === 1) publishAfterCommit(tx, { kind: "moderation", debateId: actor.debateId, notice: "report.filed", argumentId });
    return { report: toReportDTO(row), created: inserted.count === 1 };
  });
  return result;
}

/**
 * Hides an argument with a reason: it and every reply under it (at any depth)
 * are withheld from everyone but the facilitators and each argument's author,
 * and counted out of tallies. Open reports on it become "upheld". Numbered as
 * `argument.hidden` (ArgumentHiddenPayload, no content) and audited as "argument.hidden".
 * @param input `{ opId?, argumentId, reason }` (reason: 1–500 characters of plain text).
 * @throws AppError validation_failed, not_found, forbidden (not a facilitator, closed debate), conflict (already hidden).
 */
export async function hideArgument(ctx: ServiceContext, actor: CurrentParticipant, input: OperationInput<"hideArgument">): Promise<ArgumentHiddenPayload> {
  const { opId, argumentId, reason } = input;
  await requireAllowed(ctx, actor, OPERATIONS.hideArgument.action, { argumentId });
  const result = await runOperation(ctx, "hideArgument", actor, opId, async (tx) => {
    await lockArgument(tx, argumentId);
    const current = await tx.argument.findUniqueOrThrow({ where: { id: argumentId }, select: { hiddenAt: true } });
    if (current.hiddenAt) throw conflict("This argument is already hidden. Unhide it first to hide it with another reason.");
    const at = new Date();
    await tx.argument.update({ where: { id: argumentId }, data: { hiddenAt: at, hiddenReason: reason, hiddenById: actor.id } });
    const upheld = await tx.report.updateMany({ where: { argumentId, status: "open" }, data: { status: "upheld", resolvedAt: at, resolvedById: actor.id } });
    const thread = await threadIds(tx, argumentId);
    await recordAudit(tx, {
      debateId: actor.debateId,
      actor,
      action: AuditAction.argumentHidden,
      targetType: "argument",
      targetId: argumentId,
      reason,
      details: { threadSize: thread.length, reportsUpheld: upheld.count },
    });
    const data: ArgumentHiddenPayload = { argumentId, hidden: { reason, at: at.toISOString() }, threadIds: thread };
    const change = await appendChange(tx, actor.debateId, "argument.hidden", data);
    if (upheld.count > 0) publishAfterCommit(tx, { kind: "moderation", debateId: actor.debateId, notice: "report.upheld", argumentId });
    // Stored as it always was ({ change, upheld }), so that an opId applied before this version is answered the same.
    return { change, upheld: upheld.count };
  });
  return result.change.data as ArgumentHiddenPayload;
}

/**
 * Unhides an argument. Numbered as `argument.unhidden` with the full DTOs of
 * its thread that nobody is kept from any more (replies under another hidden
 * argument stay withheld). Audited as "argument.unhidden".
 * @param input `{ opId?, argumentId, reason? }`.
 * @throws AppError validation_failed, not_found, forbidden, conflict (not hidden).
 */
export async function unhideArgument(ctx: ServiceContext, actor: CurrentParticipant, input: OperationInput<"unhideArgument">): Promise<ArgumentUnhiddenPayload> {
  const { opId, argumentId, reason } = input;
  await requireAllowed(ctx, actor, OPERATIONS.unhideArgument.action, { argumentId });
  const result = await runOperation(ctx, "unhideArgument", actor, opId, async (tx) => {
    await lockArgument(tx, argumentId);
    const current = await tx.argument.findUniqueOrThrow({ where: { id: argumentId }, select: { hiddenAt: true, hiddenReason: true } });
    if (!current.hiddenAt) throw conflict("This argument is not hidden.");
    await tx.argument.update({ where: { id: argumentId }, data: { hiddenAt: null, hiddenReason: null, hiddenById: null } });
    const stillHidden = await hiddenThreadMembers(tx, actor.debateId);
    const visible = (await threadIds(tx, argumentId)).filter((id) => !stillHidden.has(id));
    const args = [];
    for (const id of visible) args.push(await loadArgumentDTO(tx, id));
    await recordAudit(tx, {
      debateId: actor.debateId,
      actor,
      action: AuditAction.argumentUnhidden,
      targetType: "argument",
      targetId: argumentId,
      reason: reason ?? null,
      details: { hiddenReason: current.hiddenReason, restored: args.length },
    });
    return appendChange(tx, actor.debateId, "argument.unhidden", { argumentId, arguments: args });
  });
  return result.data as ArgumentUnhiddenPayload;
}

/**
 * Dismisses every open report on an argument (it stays visible). Reports are
 * private, so nothing is numbered; each dismissed report is audited as "report.dismissed".
 * @param input `{ opId?, argumentId, reason? }`.
 * @returns how many reports were dismissed (0 when none was open).
 * @throws AppError validation_failed, not_found, forbidden.
 */
export async function dismissReports(ctx: ServiceContext, actor: CurrentParticipant, input: OperationInput<"dismissReports">): Promise<ReportsDismissedDTO> {
  const { opId, argumentId, reason } = input;
  await requireAllowed(ctx, actor, OPERATIONS.dismissReports.action, { argumentId });
  const result = await runOperation(ctx, "dismissReports", actor, opId, async (tx) => {
    await lockArgument(tx, argumentId);
    const open = await tx.report.findMany({ where: { argumentId, status: "open" }, orderBy: { createdAt: "asc" }, select: { id: true, reason: true } });
    if (open.length === 0) return { argumentId, dismissed: 0 };
    const at = new Date();
    await tx.report.updateMany({ where: { id: { in: open.map((r) => r.id) } }, data: { status: "dismissed", resolvedAt: at, resolvedById: actor.id } });
    for (const r of open) {
      await recordAudit(tx, {
        debateId: actor.debateId,
        actor,
        action: AuditAction.reportDismissed,
        targetType: "report",
        targetId: r.id,
        reason: reason ?? null,
        details: { argumentId, reportReason: r.reason },
      });
    }
    publishAfterCommit(tx, { kind: "moderation", debateId: actor.debateId, notice: "report.dismissed", argumentId });
    return { argumentId, dismissed: open.length };
  });
  return result;
}


/**
 * The facilitators' queue: open reports grouped by argument, the argument
 * reported longest ago first, each with an excerpt, the reasons and reporters.
 * @throws AppError unauthenticated, forbidden (not a facilitator), not_found.
 */
export async function moderationQueue(ctx: ServiceContext, actor: CurrentParticipant | null): Promise<ModerationQueueDTO> {
  await requireAllowed(ctx, actor, Action.readModeration);
  const debateId = actor!.debateId;
  const reports = await ctx.db.report.findMany({
    where: { debateId, status: "open" },
    orderBy: { createdAt: "asc" },
    include: {
      reporter: { select: { id: true, displayName: true } },
      argument: {
        select: {
          id: true,
          propositionId: true,
          parentId: true,
          stance: true,
          bodyText: true,
          deletedAt: true,
          hiddenAt: true,
          hiddenReason: true,
          author: { select: { id: true, displayName: true } },
        },
      },
    },
  });
  const byArgument = new Map<string, ModerationQueueItemDTO>();
  for (const r of reports) {
    let item = byArgument.get(r.argumentId);
    if (!item) {
      const a = r.argument;
      const excerpt = a.bodyText.length > QUEUE_EXCERPT_CHARS ? `${a.bodyText.slice(0, QUEUE_EXCERPT_CHARS - 1).trimEnd()}…` : a.bodyText;
      item = {
        argument: {
          id: a.id,
          propositionId: a.propositionId,
          parentId: a.parentId,
          stance: a.stance,
          author: a.author,
          excerpt,
          deleted: a.deletedAt !== null,
          hidden: a.hiddenAt ? { reason: a.hiddenReason ?? "", at: a.hiddenAt.toISOString() } : null,
        },
        reports: [],
        count: 0,
      };
      byArgument.set(r.argumentId, item);
    }
    item.reports.push({ id: r.id, reason: r.reason, reporter: r.reporter, createdAt: r.createdAt.toISOString() });
    item.count += 1;
  }
  return { items: [...byArgument.values()], openReports: reports.length };
}

/** How many reports are open in the actor's debate (0 for anyone who may not read the queue). */
export async function openReportCount(ctx: ServiceContext, actor: CurrentParticipant | null): Promise<number> {
  if (!actor) return 0;
  try {
    await requireAllowed(ctx, actor, Action.readModeration);
  } catch {
    return 0;
  }
  return ctx.db.report.count({ where: { debateId: actor.debateId, status: "open" } });
}

type AuditRow = { id: string; createdAt: Date; actorId: string | null; actorName: string; action: string; targetType: string; targetId: string | null; reason: string | null; details: unknown };
const toAuditDTO = (e: AuditRow): AuditEntryDTO => ({
  id: e.id,
  at: e.createdAt.toISOString(),
  actor: { id: e.actorId, displayName: e.actorName },
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  reason: e.reason,
  details: (e.details as Record<string, unknown> | null) ?? null,
});

/**
 * One page of the audit log, newest first.
 * @param query `{ page?: 1…, pageSize?: 1–200 (default 50) }` (strings from a query string are accepted).
 * @throws AppError unauthenticated, forbidden, validation_failed.
 */
export async function auditLog(ctx: ServiceContext, actor: CurrentParticipant | null, query: unknown): Promise<AuditPageDTO> {
  await requireAllowed(ctx, actor, Action.readModeration);
  const { page, pageSize } = parseInput(auditPageSchema, query ?? {});
  const where = { debateId: actor!.debateId };
  const [rows, total] = await Promise.all([
    ctx.db.auditEntry.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (page - 1) * pageSize, take: pageSize }),
    ctx.db.auditEntry.count({ where }),
  ]);
  return { entries: rows.map(toAuditDTO), page, pageSize, total };
}

/**
 * The whole audit log as CSV, oldest first (server/domain/audit-csv.ts).
 * @returns `{ filename: "steelman-audit-<debateId>.csv", csv }`.
 * @throws AppError unauthenticated, forbidden.
 */
export async function auditLogExport(ctx: ServiceContext, actor: CurrentParticipant | null): Promise<{ filename: string; csv: string }> {
  await requireAllowed(ctx, actor, Action.readModeration);
  const debateId = actor!.debateId;
  const rows = await ctx.db.auditEntry.findMany({ where: { debateId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return { filename: `steelman-audit-${debateId}.csv`, csv: auditLogCsv(rows.map(toAuditDTO)) };
}
