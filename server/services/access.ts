/**
 * Enforcement of the role × action table: `decide` (app/shared/permissions.ts,
 * the same function the pages use to choose their controls) with the state
 * loaded from the database. Every service that reads or writes a debate on
 * behalf of a participant calls `requireAllowed` or `authorize`, so the same
 * rules hold for web pages, the JSON API and socket events alike. Also who may
 * read a debate at all (visibility and drafts: `requireReadable`).
 */
import type { CurrentParticipant, DebateStatus, DebateVisibility } from "../../app/shared/contract";
import { isUuid } from "../../app/shared/contract";
import { AppError, ErrorCode, forbidden, notFound, unauthenticated } from "../../app/shared/errors";
import { Action, type DebateState, decide, decideRefusal, type Decider } from "../../app/shared/permissions";
import type { ServiceContext } from "./context";
import { phaseFactsOf } from "./phase-state";

/** The Debate columns the rules read: status and the phase facts. */
const ruleColumns = { status: true, format: true, phaseIndex: true, resultsShownAt: true } as const;

/**
 * Throws unless `actor` may take `action` in the given state.
 * @throws AppError unauthenticated (no actor) or forbidden (with the reason).
 */
export function authorize(actor: Decider, action: Action, state: DebateState): asserts actor is NonNullable<Decider> {
  if (!actor) throw unauthenticated();
  const refusal = decideRefusal(actor, action, state);
  if (refusal) throw forbidden(refusal.text).withMessageKey(refusal.key, refusal.values);
}

/** The state `decide` needs, plus what was read on the way about the item acted on. */
export interface LoadedState extends DebateState {
  propositionId?: string;
  /** With an argumentId: its author's participant id and whether its author deleted it. */
  argument?: { authorId: string; deleted: boolean };
}

/**
 * Loads the state `decide` needs: the debate's status and, when given, whether
 * the proposition (directly, or through an argument) is locked; for an argument
 * also its author and whether it was deleted (so callers need not read it again).
 * Ids of another debate count as not found.
 * @throws AppError not_found.
 */
export async function loadDebateState(
  ctx: ServiceContext,
  debateId: string,
  item: { propositionId?: string; argumentId?: string } = {},
): Promise<LoadedState> {
  if (item.argumentId) {
    const arg = await ctx.db.argument.findUnique({
      where: { id: item.argumentId },
      select: { debateId: true, propositionId: true, authorId: true, deletedAt: true, proposition: { select: { lockedAt: true } }, debate: { select: ruleColumns } },
    });
    if (!arg || arg.debateId !== debateId) throw notFound("That argument");
    return {
      status: arg.debate.status,
      phase: phaseFactsOf(arg.debate),
      propositionLocked: arg.proposition.lockedAt !== null,
      propositionId: arg.propositionId,
      argument: { authorId: arg.authorId, deleted: arg.deletedAt !== null },
    };
  }
  if (item.propositionId) {
    const prop = await ctx.db.proposition.findUnique({
      where: { id: item.propositionId },
      select: { debateId: true, lockedAt: true, debate: { select: ruleColumns } },
    });
    if (!prop || prop.debateId !== debateId) throw notFound("That proposition");
    return { status: prop.debate.status, phase: phaseFactsOf(prop.debate), propositionLocked: prop.lockedAt !== null, propositionId: item.propositionId };
  }
  const debate = await ctx.db.debate.findUnique({ where: { id: debateId }, select: ruleColumns });
  if (!debate) throw notFound("This debate");
  return { status: debate.status, phase: phaseFactsOf(debate) };
}

/**
 * loadDebateState + authorize in one call.
 * @param facts what the rules need to know about the attempt itself (`topLevel` for a new argument, `motionStage`).
 * @throws AppError unauthenticated, forbidden, not_found.
 */
export async function requireAllowed(
  ctx: ServiceContext,
  actor: (NonNullable<Decider> & { debateId: string }) | null,
  action: Action,
  item: { propositionId?: string; argumentId?: string } = {},
  debateId = actor?.debateId,
  facts: Pick<DebateState, "topLevel" | "motionStage"> = {},
): Promise<LoadedState> {
  if (!actor) throw unauthenticated();
  const state = { ...(await loadDebateState(ctx, debateId!, item)), ...facts };
  authorize(actor, action, state);
  return state;
}

// ---------------------------------------------------------------- reading a debate

/** What a non-participant is told about a private debate or a draft: the same as for a debate that does not exist. */
export const NOT_READABLE_MESSAGE = "This debate was not found, or you need to join it first: private debates ask for the join code your facilitator gave you.";

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
  if (!access) throw new AppError(ErrorCode.notFound, NOT_READABLE_MESSAGE).withMessageKey("errors.debateNotReadable");
  const me = actor && actor.debateId === debateId ? actor : null;
  if (access.status === "draft" || access.visibility === "private") {
    if (!me || decide(me, Action.readDebate, { status: access.status }) !== null) throw new AppError(ErrorCode.notFound, NOT_READABLE_MESSAGE).withMessageKey("errors.debateNotReadable");
  }
  return access;
}

/** Whether an anonymous reader may read the debate (and so open a live connection without joining). */
export const readableWithoutJoining = (access: DebateAccess): boolean => access.status !== "draft" && access.visibility !== "private";

/**
 * The participant, when they belong to `debateId`.
 * @throws AppError unauthenticated (nobody), not_found (a participant of another debate, or not a debate id).
 */
export function requireSameDebate(actor: CurrentParticipant | null, debateId: string): CurrentParticipant {
  if (!actor) throw unauthenticated();
  if (actor.debateId !== debateId || !isUuid(debateId)) throw notFound("This debate");
  return actor;
}

/**
 * Reading a facilitator-only page works in any state (also when closed); only the role counts,
 * as the table gives it for `action`.
 */
export function authorizeRole(actor: CurrentParticipant, action: Action) {
  authorize(actor, action, { status: "published" });
}

export { Action };
