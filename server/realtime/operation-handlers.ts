/**
 * Which service answers each entry of the operations table
 * (app/shared/operations.ts). The socket server registers one handler per
 * entry by looping over the table (./socket.ts) and calls these with the
 * input already parsed by the entry's schema. The types make this map
 * complete: an operation added to the table without its service here does not compile.
 */
import { AppError, ErrorCode } from "../../app/shared/errors";
import type { OperationInput, OperationName, OperationResult, ReadName } from "../../app/shared/operations";
import type { CurrentParticipant } from "../../app/shared/contract";
import type { Services } from "../services";
import { NOT_READABLE_MESSAGE, readableWithoutJoining } from "../services/access";

/** Runs one operation as `actor` in `debateId` (the socket's debate), with its parsed input. */
export type OperationHandlers = {
  [N in OperationName]: (actor: CurrentParticipant, input: OperationInput<N>, debateId: string) => Promise<OperationResult<N>>;
};
/** Answers one read; `actor` is null for an observer who has not joined (only reads marked `anonymous`). */
export type ReadHandlers = {
  [N in ReadName]: (actor: CurrentParticipant | null, input: OperationInput<N>, debateId: string) => Promise<OperationResult<N>>;
};

/** The service of each operation of the table. */
export function operationHandlers(services: Services): OperationHandlers {
  return {
    postArgument: (actor, input) => services.postArgument(actor, input),
    editArgument: (actor, input) => services.editArgument(actor, input),
    addSource: (actor, input) => services.addSource(actor, input),
    removeSource: (actor, input) => services.removeSource(actor, input),
    castVote: (actor, input) => services.castVote(actor, input),
    rateArgument: (actor, input) => services.rateArgument(actor, input),
    editProposition: (actor, input) => services.editProposition(actor, input),
    lockProposition: (actor, input) => services.lockProposition(actor, input),
    deleteArgument: (actor, input) => services.deleteArgument(actor, input),
    reportArgument: async (actor, input) => (await services.reportArgument(actor, input)).report,
    hideArgument: (actor, input) => services.hideArgument(actor, input),
    unhideArgument: (actor, input) => services.unhideArgument(actor, input),
    dismissReports: (actor, input) => services.dismissReports(actor, input),
    closeDebate: (actor, input, debateId) => services.closeDebate(actor, debateId, input),
    reopenDebate: (actor, input, debateId) => services.reopenDebate(actor, debateId, input),
    changePhase: (actor, input, debateId) => services.changePhase(actor, debateId, input),
    castMotionVote: (actor, input) => services.castMotionVote(actor, input),
    showResults: (actor, input, debateId) => services.showResults(actor, debateId, input),
    recordReads: (actor, input) => services.recordReads(actor, input),
    proposeDecision: (actor, input, debateId) => services.proposeDecision(actor, debateId, input),
    respondToDecision: (actor, input) => services.respondToDecision(actor, input),
    closeDecision: (actor, input, debateId) => services.closeDecision(actor, debateId, input),
    manageTeams: (actor, input, debateId) => services.manageTeams(actor, debateId, input),
    draftTeamArgument: (actor, input) => services.draftTeamArgument(actor, input),
    publishTeamDraft: (actor, input) => services.publishTeamDraft(actor, input),
  };
}

/** The service of each read of the table. */
export function readHandlers(services: Services): ReadHandlers {
  return {
    resync: async (actor, { lastSeq, holds }, debateId) => {
      if (!actor) {
        // An anonymous reader may read only while the debate is still public or unlinked.
        const access = await services.debateAccess(debateId);
        if (!access || !readableWithoutJoining(access)) throw new AppError(ErrorCode.notFound, NOT_READABLE_MESSAGE);
      }
      return services.catchUp(debateId, lastSeq, actor, holds);
    },
    argumentRevisions: (actor, input) => services.argumentRevisions(actor, input),
  };
}
