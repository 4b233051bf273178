/**
 * The use cases, bound to one database and publisher. HTTP routes, React
 * Router loaders/actions (through the load context) and socket handlers all
 * call these; none of them touches Prisma directly.
 */
import { type CatchUpPayload, isUuid } from "../../app/shared/contract";
import * as argumentsService from "./arguments";
import * as changes from "./changes";
import type { ServiceContext } from "./context";
import * as debates from "./debates";
import * as participants from "./participants";
import * as votes from "./votes";

export function createServices(ctx: ServiceContext) {
  return {
    createDebate: (input: unknown, address?: string) => debates.createDebate(ctx, input, address),
    getDebate: (debateId: string) => debates.getDebate(ctx, debateId),
    /** The debate's latest change number, or null when there is no such debate (any status). */
    debateSeq: async (debateId: string): Promise<number | null> =>
      isUuid(debateId) ? ((await ctx.db.debate.findUnique({ where: { id: debateId }, select: { lastSeq: true } }))?.lastSeq ?? null) : null,
    listPublishedDebates: (limit?: number) => debates.listPublishedDebates(ctx, limit),
    getSections: (debateId: string) => debates.getSections(ctx, debateId),
    publishDebate: (debateId: string, actor: participants.AuthenticatedParticipant | null) => debates.publishDebate(ctx, debateId, actor),
    curatePropositions: (debateId: string, actor: participants.AuthenticatedParticipant | null, action: debates.CurationAction) =>
      debates.curatePropositions(ctx, debateId, actor, action),
    editProposition: (actor: participants.AuthenticatedParticipant | null, input: unknown) => debates.editProposition(ctx, actor, input),
    joinDebate: (debateId: string, input: unknown, address?: string) => participants.joinDebate(ctx, debateId, input, address),
    findParticipant: (debateId: string, token: string | null | undefined) => participants.findParticipant(ctx, debateId, token),
    requireParticipant: (debateId: string, token: string | null | undefined) => participants.requireParticipant(ctx, debateId, token),
    postArgument: (actor: participants.AuthenticatedParticipant, input: unknown) => argumentsService.postArgument(ctx, actor, input),
    editArgument: (actor: participants.AuthenticatedParticipant, input: unknown) => argumentsService.editArgument(ctx, actor, input),
    addSource: (actor: participants.AuthenticatedParticipant, input: unknown) => argumentsService.addSource(ctx, actor, input),
    rateArgument: (actor: participants.AuthenticatedParticipant, input: unknown) => argumentsService.rateArgument(ctx, actor, input),
    castVote: (actor: participants.AuthenticatedParticipant, input: unknown) => votes.castVote(ctx, actor, input),
    myChoices: (actor: participants.AuthenticatedParticipant | null) => votes.myChoices(ctx, actor),
    /** Everything after `lastSeq` for this debate (changes + tallies), or a snapshot when the gap is too large. */
    catchUp: (debateId: string, lastSeq: number, actor: participants.AuthenticatedParticipant | null): Promise<CatchUpPayload> =>
      changes.catchUp(
        ctx,
        debateId,
        lastSeq,
        () => votes.myChoices(ctx, actor),
        async () => ({ mode: "snapshot" as const, debate: await debates.getDebate(ctx, debateId), mine: await votes.myChoices(ctx, actor) }),
      ),
  };
}

export type Services = ReturnType<typeof createServices>;
export type { AuthenticatedParticipant } from "./participants";
export type { CurationAction } from "./debates";
