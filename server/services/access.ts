/**
 * Enforcement of the role × action table (app/shared/permissions.ts). Every
 * service that reads or writes a debate on behalf of a participant calls
 * `authorize` (or `decide` when it has already loaded the state), so the same
 * rules hold for web pages, the JSON API and socket events alike.
 */
import type { CurrentParticipant, DebateStatus, ParticipantRole } from "../../app/shared/contract";

/** What the rules read of the current participant. */
type Who = Pick<CurrentParticipant, "id" | "role" | "muted">;
import { forbidden, notFound, unauthenticated } from "../../app/shared/errors";
import {
  Action,
  ALLOWED_IN_DRAFT,
  ALLOWED_WHEN_CLOSED,
  PERMISSIONS,
  REFUSED_WHEN_LOCKED,
  REFUSED_WHEN_MUTED,
  roleMay,
} from "../../app/shared/permissions";
import type { ServiceContext } from "./context";

/** What the rules need to know about the debate and the item acted on. */
export interface DebateState {
  status: DebateStatus;
  /** True when the proposition acted on (or the one the argument belongs to) is locked. */
  propositionLocked?: boolean;
}

const ROLE_NAMES: Record<ParticipantRole, string> = { host: "the host", facilitator: "facilitators", debater: "debaters", observer: "observers" };

/**
 * The decision, without I/O: null when allowed, otherwise the reason a person can read.
 * Order: role table, then closed debate, then draft, then mute, then lock.
 */
export function decide(actor: Who | null, action: Action, state: DebateState): string | null {
  if (!actor) return "Join the debate with a display name first.";
  if (!roleMay(actor.role, action)) {
    const allowed = PERMISSIONS[action].roles.map((r) => ROLE_NAMES[r]).join(" and ");
    const you = actor.role === "observer" ? "Observers can read the debate but not take part in it." : `Only ${allowed} can do this.`;
    return `${you} (${PERMISSIONS[action].what}.)`;
  }
  if (state.status === "closed" && !ALLOWED_WHEN_CLOSED.has(action)) return "This debate is closed: it can be read but not changed. A facilitator can reopen it.";
  if (state.status === "draft" && !ALLOWED_IN_DRAFT.has(action)) return "This debate is not open yet: the facilitator has not published it.";
  if (actor.muted && REFUSED_WHEN_MUTED.has(action)) return "A facilitator has muted you in this debate: you can still read and vote, but not post or edit.";
  if (state.propositionLocked && REFUSED_WHEN_LOCKED.has(action)) return "A facilitator has locked this proposition: no more arguments or votes on it for now.";
  return null;
}

/**
 * Throws unless `actor` may take `action` in the given state.
 * @throws AppError unauthenticated (no actor) or forbidden (with the reason).
 */
export function authorize(actor: Who | null, action: Action, state: DebateState): asserts actor is Who {
  if (!actor) throw unauthenticated();
  const reason = decide(actor, action, state);
  if (reason) throw forbidden(reason);
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
      select: { debateId: true, propositionId: true, authorId: true, deletedAt: true, proposition: { select: { lockedAt: true } }, debate: { select: { status: true } } },
    });
    if (!arg || arg.debateId !== debateId) throw notFound("That argument");
    return {
      status: arg.debate.status,
      propositionLocked: arg.proposition.lockedAt !== null,
      propositionId: arg.propositionId,
      argument: { authorId: arg.authorId, deleted: arg.deletedAt !== null },
    };
  }
  if (item.propositionId) {
    const prop = await ctx.db.proposition.findUnique({
      where: { id: item.propositionId },
      select: { debateId: true, lockedAt: true, debate: { select: { status: true } } },
    });
    if (!prop || prop.debateId !== debateId) throw notFound("That proposition");
    return { status: prop.debate.status, propositionLocked: prop.lockedAt !== null, propositionId: item.propositionId };
  }
  const debate = await ctx.db.debate.findUnique({ where: { id: debateId }, select: { status: true } });
  if (!debate) throw notFound("This debate");
  return { status: debate.status };
}

/**
 * loadDebateState + authorize in one call.
 * @throws AppError unauthenticated, forbidden, not_found.
 */
export async function requireAllowed(
  ctx: ServiceContext,
  actor: (Who & { debateId: string }) | null,
  action: Action,
  item: { propositionId?: string; argumentId?: string } = {},
  debateId = actor?.debateId,
): Promise<LoadedState> {
  if (!actor) throw unauthenticated();
  const state = await loadDebateState(ctx, debateId!, item);
  authorize(actor, action, state);
  return state;
}

export { Action };
