/**
 * Publish after commit, in one place (docs/decisions/0021-publisher-and-live-client.md;
 * Outline's habit: commands write, then one processor turns what they did into broadcasts).
 *
 * Inside a transaction, services record what others should hear of it
 * (`publishAfterCommit`; `appendChange` records every numbered change by
 * itself). `inTransaction` runs the transaction and, once it has committed,
 * hands the records to `publish`, which alone decides who receives each one:
 * - a change to an argument inside a hidden thread goes in full to the
 *   facilitators and its author and withheld to everyone else ([P7]);
 * - a debate made private also ends its anonymous readers' connections;
 * - tallies go to the voter's own room at once and coalesced to the debate ([P5]);
 * - notices about reports go to the facilitators only, with the counts as they are after commit;
 * - a removed participant's connections are closed on every node.
 * A transaction that rolls back publishes nothing, and an operation answered from
 * its stored result (a repeated opId) runs no transaction, so it publishes nothing again.
 */
import type { DebateChange, ModerationNotice, RatingTalliedPayload, VoteTalliedPayload } from "../../app/shared/contract";
import { ErrorCode, isAppError, type ErrorBody } from "../../app/shared/errors";
import { isDatabaseUnavailable } from "../database-availability";
import { withhold } from "../../app/shared/moderation";
import { log } from "../log";
import type { Tx } from "../db";
import type { ServiceContext } from "./context";
import { argumentState } from "./threads";
import { mayReadResults, phaseSelect, withholdMotion } from "./phase-state";

/** Said to anonymous readers when the debate they watch becomes private (they are then disconnected). */
export const NOW_PRIVATE_MESSAGE = "This debate is now private: join it with the code your facilitator gives you to keep reading it.";

/** Something others should hear about once the transaction that did it has committed. */
export type Publication =
  | { kind: "change"; debateId: string; change: DebateChange }
  /** `hidden`: the phase hides results from participants (the tally goes to facilitators; the voter gets `ownCopy`). */
  | { kind: "voteTally"; debateId: string; payload: VoteTalliedPayload; hidden?: { ownCopy: VoteTalliedPayload } }
  | { kind: "ratingTally"; debateId: string; payload: RatingTalliedPayload }
  /** A report on `argumentId` was filed, dismissed or upheld: the facilitators get the counts as they are then. */
  | { kind: "moderation"; debateId: string; notice: ModerationNotice["kind"]; argumentId: string }
  /** A participant was removed: their connections get `error`, then close. */
  | { kind: "disconnect"; participantId: string; error: ErrorBody };

const pendingOf = new WeakMap<object, Publication[]>();

/**
 * Records `publication` in the transaction `tx` (one started by `inTransaction`); it is published once
 * the transaction commits, and never if it rolls back.
 * @throws Error when `tx` was not started by inTransaction (a programming error: it would never be published).
 */
export function publishAfterCommit(tx: Tx, publication: Publication): void {
  const pending = pendingOf.get(tx);
  if (!pending) throw new Error("publishAfterCommit needs a transaction started by inTransaction (server/services/publish.ts).");
  pending.push(publication);
}

/**
 * Runs `work` in one database transaction and, after it commits, publishes what it recorded.
 * @returns what `work` returned.
 * @throws whatever `work` or the transaction throws (then nothing is published).
 */
export async function inTransaction<R>(ctx: ServiceContext, work: (tx: Tx) => Promise<R>): Promise<R> {
  const pending: Publication[] = [];
  const result = await ctx.db.$transaction(async (tx) => {
    pendingOf.set(tx, pending);
    return work(tx);
  });
  await publish(ctx, pending);
  return result;
}

/**
 * Sends committed publications, in the order they were recorded. A failure is logged, not
 * thrown: the write has committed and clients find it on catching up ([P1]).
 */
export async function publish(ctx: ServiceContext, publications: readonly Publication[]): Promise<void> {
  for (const p of publications) {
    try {
      await publishOne(ctx, p);
    } catch (error) {
      if (isDatabaseUnavailable(error) || (isAppError(error) && error.code === ErrorCode.busy)) log.warn("publishing a committed change waits for the database (clients will find it on catching up)");
      else log.error("publishing a committed change failed (clients will find it on catching up)", error);
    }
  }
}

async function publishOne(ctx: ServiceContext, p: Publication): Promise<void> {
  const out = ctx.publisher;
  switch (p.kind) {
    case "change": {
      const { debateId, change } = p;
      if ((change.kind === "argument.created" || change.kind === "argument.updated") && (await argumentState(ctx.db, change.data.id)).inHiddenThread) {
        out.restrictedChange(debateId, change, { ...change, data: withhold(change.data) }, change.data.author.id);
        return;
      }
      // An Oxford motion's polls, while the phase hides results: facilitators only; the others get the motion without counts.
      if (change.kind === "motion.tallied") {
        const rules = await ctx.db.debate.findUnique({ where: { id: debateId }, select: phaseSelect });
        if (rules && !mayReadResults(null, rules)) {
          out.restrictedChange(debateId, change, { ...change, data: withholdMotion(change.data) }, null);
          return;
        }
      }
      out.change(debateId, change);
      // Private debates have no anonymous readers: those watching when it became private go (on every node).
      if (change.kind === "debate.updated" && change.data.visibility === "private") out.disconnectAnonymous(debateId, { code: ErrorCode.notFound, message: NOW_PRIVATE_MESSAGE });
      return;
    }
    case "voteTally":
      out.voteTally(p.debateId, p.payload, p.hidden);
      return;
    case "ratingTally":
      out.ratingTally(p.debateId, p.payload);
      return;
    case "moderation": {
      const [argumentOpenReports, openReports] = await Promise.all([
        ctx.db.report.count({ where: { argumentId: p.argumentId, status: "open" } }),
        ctx.db.report.count({ where: { debateId: p.debateId, status: "open" } }),
      ]);
      out.moderation(p.debateId, { kind: p.notice, argumentId: p.argumentId, argumentOpenReports, openReports });
      return;
    }
    case "disconnect":
      out.disconnectParticipant(p.participantId, p.error);
      return;
  }
}
