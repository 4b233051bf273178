/**
 * What the rules read about a proposition before a vote (its debate's status, format, phase,
 * whether results are shown; whether the proposition is locked), cached per debate in this
 * process so a vote does not read them again (docs/decisions/0023-one-statement-votes.md).
 *
 * Invalidation: every numbered change of a debate other than an argument's (./changes.ts
 * appendChange: phase, lock, settings, proposition edits, status) forgets its entry on the node
 * that made it; a change made on another node is caught by the vote's own statement, which
 * compares these facts with the rows and writes nothing when they differ (the caller then
 * forgets the entry and decides again on fresh facts).
 */
import { notFound } from "../../app/shared/errors";
import type { DebateStatus } from "../../app/shared/contract";
import type { DebateFormat } from "../../app/shared/phases";
import type { ServiceContext } from "./context";
import { phaseFactsOf } from "./phase-state";
import type { LoadedState } from "./access";

/** The facts of one proposition and its debate as cached; the vote statement checks each one. */
export interface PropositionFacts {
  debateId: string;
  propositionId: string;
  status: DebateStatus;
  format: DebateFormat;
  phaseIndex: number | null;
  resultsShown: boolean;
  locked: boolean;
  /** True when these facts came from the cache (a refusal decided on them is confirmed on fresh ones). */
  cached: boolean;
}

interface DebateEntry {
  status: DebateStatus;
  format: DebateFormat;
  phaseIndex: number | null;
  resultsShown: boolean;
  /** Proposition id → locked. */
  locked: Map<string, boolean>;
}

/** At most this many debates are cached (oldest inserted forgotten first); each holds at most MAX_PROPOSITIONS. */
export const MAX_DEBATES = 1_000;
export const MAX_PROPOSITIONS = 10_000;

const byDebate = new Map<string, DebateEntry>();

/** Forgets what is cached about a debate (its rules or a proposition changed). */
export function forgetPropositionFacts(debateId: string): void {
  byDebate.delete(debateId);
}

/**
 * The facts of `propositionId` in `debateId`, from the cache or one read (proposition joined with its debate).
 * @throws AppError not_found when the proposition does not exist or belongs to another debate.
 */
export async function propositionFacts(ctx: ServiceContext, debateId: string, propositionId: string): Promise<PropositionFacts> {
  const entry = byDebate.get(debateId);
  const locked = entry?.locked.get(propositionId);
  if (entry && locked !== undefined) return { debateId, propositionId, status: entry.status, format: entry.format, phaseIndex: entry.phaseIndex, resultsShown: entry.resultsShown, locked, cached: true };
  const prop = await ctx.db.proposition.findUnique({
    where: { id: propositionId },
    select: { debateId: true, lockedAt: true, debate: { select: { status: true, format: true, phaseIndex: true, resultsShownAt: true } } },
  });
  if (!prop || prop.debateId !== debateId) throw notFound("That proposition");
  const fresh = { status: prop.debate.status, format: prop.debate.format, phaseIndex: prop.debate.phaseIndex, resultsShown: prop.debate.resultsShownAt !== null };
  let target = byDebate.get(debateId);
  if (!target || target.status !== fresh.status || target.format !== fresh.format || target.phaseIndex !== fresh.phaseIndex || target.resultsShown !== fresh.resultsShown) {
    if (!target && byDebate.size >= MAX_DEBATES) byDebate.delete(byDebate.keys().next().value as string);
    target = { ...fresh, locked: new Map() };
    byDebate.set(debateId, target);
  }
  if (target.locked.size >= MAX_PROPOSITIONS) target.locked.clear();
  target.locked.set(propositionId, prop.lockedAt !== null);
  return { debateId, propositionId, ...fresh, locked: prop.lockedAt !== null, cached: false };
}

/** The state `decide` reads, from cached facts (as access.ts loadDebateState returns it for a proposition). */
export function stateOfFacts(facts: PropositionFacts): LoadedState {
  return {
    status: facts.status,
    phase: phaseFactsOf({ format: facts.format, phaseIndex: facts.phaseIndex, resultsShownAt: facts.resultsShown ? new Date(0) : null }),
    propositionLocked: facts.locked,
    propositionId: facts.propositionId,
  };
}
