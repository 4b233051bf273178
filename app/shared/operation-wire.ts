/**
 * The operations table's wire fields (docs/decisions/0020-one-operations-table.md): per operation its
 * socket event, acknowledgement kind, permission action, rate-limit bucket, stored name, ordering key
 * and words; per read its event, acknowledgement kind and whether observers may send it. The input
 * schemas are added in app/shared/operations.ts, which is the table the server and the tests use.
 *
 * Split out so that the browser's live client (app/realtime/) can send operations without loading
 * zod and every schema: the debate page's first load (issue 21). Types only are imported from the
 * schema modules, so nothing of them reaches the browser from here.
 */
import type { castVoteSchema, editPropositionSchema, motionVoteSchema, postArgumentSchema, rateArgumentSchema } from "./contract";
import type { changePhaseSchema } from "./operations";
import type { lockPropositionSchema } from "./management";
import type { closeDecisionSchema, respondToDecisionSchema } from "./decisions";
import type { manageTeamsSchema } from "./teams";
import type { DescribeContext, OperationDescription } from "./operations";
import { Action } from "./permissions";
import type { z } from "./zod";

/** What the client sends for a schema (before parsing). */
type In<S extends z.ZodType> = z.input<S>;

const argumentKey = (p: { argumentId: string }) => `argument:${p.argumentId}`;
const propositionKey = (p: { propositionId: string }) => `proposition:${p.propositionId}`;
/** A description without values: the message `outbox.<name>`. */
const plain = (id: OperationDescription["id"]) => (): OperationDescription => ({ id });

/** The mutating operations' wire fields, in table order. */
export const OPERATION_WIRE = {
  postArgument: {
    event: "argument:post",
    ack: "argument",
    action: Action.postArgument,
    limit: "argument",
    storedAs: "argument.post",
    orderingKey: () => null,
    describe: (p: In<typeof postArgumentSchema>, { proposition }: DescribeContext): OperationDescription => ({ id: "outbox.postArgument", values: { reply: p.parentId ? "yes" : "no", proposition: proposition(p.propositionId) } }),
  },
  editArgument: {
    event: "argument:edit",
    ack: "argument",
    action: Action.editOwnArgument,
    limit: "argument",
    storedAs: "argument.edit",
    orderingKey: argumentKey,
    describe: plain("outbox.editArgument"),
  },
  addSource: {
    event: "source:add",
    ack: "argument",
    action: Action.addSource,
    limit: "argument",
    storedAs: "source.add",
    orderingKey: argumentKey,
    describe: plain("outbox.addSource"),
  },
  removeSource: {
    event: "source:remove",
    ack: "argument",
    action: Action.addSource,
    limit: "argument",
    storedAs: "source.remove",
    orderingKey: argumentKey,
    describe: plain("outbox.removeSource"),
  },
  castVote: {
    event: "vote:cast",
    ack: "voteTally",
    action: Action.castVote,
    limit: "vote",
    storedAs: "vote.cast",
    orderingKey: (p: In<typeof castVoteSchema>) => `vote:${p.propositionId}`,
    describe: (p: In<typeof castVoteSchema>, { proposition }: DescribeContext): OperationDescription => ({ id: "outbox.castVote", values: { value: p.value ?? "cleared", proposition: proposition(p.propositionId) } }),
  },
  rateArgument: {
    event: "rating:cast",
    ack: "ratingTally",
    action: Action.rateArgument,
    limit: "vote",
    storedAs: "rating.cast",
    orderingKey: (p: In<typeof rateArgumentSchema>) => `rating:${p.argumentId}`,
    describe: plain("outbox.rateArgument"),
  },
  editProposition: {
    event: "proposition:edit",
    ack: "proposition",
    action: Action.editProposition,
    limit: null,
    storedAs: "proposition.edit",
    orderingKey: propositionKey,
    describe: (p: In<typeof editPropositionSchema>, { proposition }: DescribeContext): OperationDescription => ({ id: "outbox.editProposition", values: { proposition: proposition(p.propositionId) } }),
  },
  lockProposition: {
    event: "proposition:lock",
    ack: "proposition",
    action: Action.lockProposition,
    limit: null,
    storedAs: "proposition.lock",
    orderingKey: propositionKey,
    describe: (p: In<typeof lockPropositionSchema>, { proposition }: DescribeContext): OperationDescription => ({ id: p.locked ? "outbox.lockProposition" : "outbox.unlockProposition", values: { proposition: proposition(p.propositionId) } }),
  },
  deleteArgument: {
    event: "argument:delete",
    ack: "argument",
    action: Action.deleteOwnArgument,
    limit: "argument",
    storedAs: "argument.delete",
    orderingKey: argumentKey,
    describe: plain("outbox.deleteArgument"),
  },
  reportArgument: {
    event: "argument:report",
    ack: "report",
    action: Action.reportArgument,
    limit: "argument",
    storedAs: "report.file",
    orderingKey: () => null,
    describe: plain("outbox.reportArgument"),
  },
  hideArgument: {
    event: "argument:hide",
    ack: "argumentHidden",
    action: Action.hideArgument,
    limit: null,
    storedAs: "argument.hide",
    orderingKey: argumentKey,
    describe: plain("outbox.hideArgument"),
  },
  unhideArgument: {
    event: "argument:unhide",
    ack: "argumentUnhidden",
    action: Action.hideArgument,
    limit: null,
    storedAs: "argument.unhide",
    orderingKey: argumentKey,
    describe: plain("outbox.unhideArgument"),
  },
  dismissReports: {
    event: "reports:dismiss",
    ack: "reportsDismissed",
    action: Action.hideArgument,
    limit: null,
    storedAs: "reports.dismiss",
    orderingKey: () => null,
    describe: plain("outbox.dismissReports"),
  },
  closeDebate: {
    event: "debate:close",
    ack: "debateSettings",
    action: Action.closeDebate,
    limit: null,
    storedAs: "debate.close",
    orderingKey: () => "debate",
    describe: plain("outbox.closeDebate"),
  },
  reopenDebate: {
    event: "debate:reopen",
    ack: "debateSettings",
    action: Action.reopenDebate,
    limit: null,
    storedAs: "debate.reopen",
    orderingKey: () => "debate",
    describe: plain("outbox.reopenDebate"),
  },
  changePhase: {
    event: "phase:change",
    ack: "phase",
    action: Action.runPhases,
    limit: null,
    storedAs: "phase.change",
    orderingKey: () => "phase",
    describe: (p: In<typeof changePhaseSchema>): OperationDescription => ({ id: "outbox.changePhase", values: { action: p.action, seconds: p.seconds ?? 60 } }),
  },
  castMotionVote: {
    event: "motion:vote",
    ack: "motionVote",
    action: Action.castMotionVote,
    limit: "vote",
    storedAs: "motion.vote",
    orderingKey: (p: In<typeof motionVoteSchema>) => `motion:${p.stage}`,
    describe: (p: In<typeof motionVoteSchema>): OperationDescription => ({ id: "outbox.castMotionVote", values: { value: p.value, stage: p.stage } }),
  },
  showResults: {
    event: "results:show",
    ack: "phase",
    action: Action.runPhases,
    limit: null,
    storedAs: "results.show",
    orderingKey: () => "phase",
    describe: plain("outbox.showResults"),
  },
  recordReads: {
    event: "reads:record",
    ack: "readsRecorded",
    action: Action.readDebate,
    limit: null,
    storedAs: "reads.record",
    orderingKey: () => null,
    describe: plain("outbox.recordReads"),
  },
  proposeDecision: {
    event: "decision:propose",
    ack: "decision",
    action: Action.runDecisions,
    limit: null,
    storedAs: "decision.propose",
    orderingKey: () => "decisions",
    describe: plain("outbox.proposeDecision"),
  },
  respondToDecision: {
    event: "decision:respond",
    ack: "decision",
    action: Action.respondToDecision,
    limit: "vote",
    storedAs: "decision.respond",
    orderingKey: (p: In<typeof respondToDecisionSchema>) => `decision:${p.decisionId}`,
    describe: (p: In<typeof respondToDecisionSchema>): OperationDescription => ({ id: "outbox.respondToDecision", values: { value: p.value } }),
  },
  closeDecision: {
    event: "decision:close",
    ack: "decision",
    action: Action.runDecisions,
    limit: null,
    storedAs: "decision.close",
    orderingKey: (p: In<typeof closeDecisionSchema>) => `decision:${p.decisionId}`,
    describe: plain("outbox.closeDecision"),
  },
  manageTeams: {
    event: "teams:manage",
    ack: "teams",
    action: Action.manageTeams,
    limit: null,
    storedAs: "teams.manage",
    orderingKey: () => "teams",
    describe: (p: In<typeof manageTeamsSchema>): OperationDescription => ({ id: "outbox.manageTeams", values: { action: p.action } }),
  },
  draftTeamArgument: {
    event: "team:draft",
    ack: "teamDraft",
    action: Action.draftInTeam,
    limit: "argument",
    storedAs: "team.draft",
    orderingKey: () => null,
    describe: plain("outbox.draftTeamArgument"),
  },
  publishTeamDraft: {
    event: "team:publish",
    ack: "argument",
    action: Action.draftInTeam,
    limit: "argument",
    storedAs: "team.publish",
    orderingKey: () => null,
    describe: plain("outbox.publishTeamDraft"),
  },
} as const;

/** The reads' wire fields. */
export const READ_WIRE = {
  /** Everything after `lastSeq` (gap repair): CatchUpPayload. */
  resync: { event: "debate:resync", ack: "catchUp", anonymous: true },
  /** An argument's earlier bodies (author and facilitators). */
  argumentRevisions: { event: "argument:revisions", ack: "revisions", anonymous: false },
} as const;

export type WireOperationName = keyof typeof OPERATION_WIRE;
export type WireReadName = keyof typeof READ_WIRE;

/** Every client → server event name, by operation or read name (defined by the tables above). */
export type ClientEventMap = { readonly [N in WireOperationName | WireReadName]: N extends WireOperationName ? (typeof OPERATION_WIRE)[N]["event"] : N extends WireReadName ? (typeof READ_WIRE)[N]["event"] : never };
export const ClientEvent: ClientEventMap = Object.freeze(
  Object.fromEntries([...Object.entries(OPERATION_WIRE), ...Object.entries(READ_WIRE)].map(([name, spec]) => [name, spec.event])) as ClientEventMap,
);

/** Names of the mutating operations, in table order. */
export const OPERATION_NAMES = Object.keys(OPERATION_WIRE) as WireOperationName[];
export const READ_NAMES = Object.keys(READ_WIRE) as WireReadName[];

const byEvent = new Map<string, WireOperationName>(OPERATION_NAMES.map((n) => [OPERATION_WIRE[n].event, n]));
/** The mutating operation sent as `event`, or undefined (a read, or an unknown event). */
export const operationForEvent = (event: string): WireOperationName | undefined => byEvent.get(event);

/** The ordering key of a queued operation (see OperationSpec.orderingKey). */
export function orderingKeyOf(name: WireOperationName, payload: Record<string, unknown>): string | null {
  return (OPERATION_WIRE[name].orderingKey as (p: unknown) => string | null)(payload);
}

/** A queued operation in words (see OperationSpec.describe). */
export function describeOperationInput(name: WireOperationName, payload: Record<string, unknown>, ctx: DescribeContext): OperationDescription {
  return (OPERATION_WIRE[name].describe as (p: unknown, c: DescribeContext) => OperationDescription)(payload, ctx);
}
