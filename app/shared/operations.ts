/**
 * The operations table: every client → server socket event of the live debate
 * page, defined once (docs/decisions/0020-one-operations-table.md).
 *
 * Per operation: its socket event, the zod schema of its input (the service
 * receives the parsed `z.output`), the kind of its acknowledgement, the
 * permission action it needs (app/shared/permissions.ts), the rate-limit
 * bucket a new (not replayed) one counts against, the name it is stored under
 * with its operation id, the ordering key (operations with the same key are
 * sent one after another), and how it reads in words in the "not yet
 * confirmed" list ("Vote “agree” on proposition 3").
 *
 * Everything else is derived from it:
 * - the event names (`ClientEvent`) and the socket.io event map (`ClientToServerEvents`);
 * - the server registers one handler per entry (server/realtime/socket.ts) and
 *   runs each operation once per opId under its `storedAs` name and `limit`
 *   (server/services/changes.ts runOnce);
 * - the browser's actions, outbox ordering and waiting list
 *   (app/realtime/live-client.ts).
 *
 * Adding an operation: one entry here, one service function (registered in
 * server/services/operations.ts, which the compiler keeps complete) and its tests.
 */
import type {
  ArgumentDTO,
  ArgumentHiddenPayload,
  ArgumentRevisionsDTO,
  ArgumentUnhiddenPayload,
  CatchUpPayload,
  DebateSettingsDTO,
  MotionVoteDTO,
  PhaseStateDTO,
  PropositionDTO,
  RatingTalliedPayload,
  ReportDTO,
  ReportsDismissedDTO,
  VoteTalliedPayload,
  Ack,
  AckFn,
} from "./contract";
import { validationError } from "./errors";
import {
  describeZodError,
  addSourceSchema,
  argumentRevisionsSchema,
  castVoteSchema,
  deleteArgumentSchema,
  dismissReportsSchema,
  editArgumentSchema,
  editPropositionSchema,
  hideArgumentSchema,
  motionVoteSchema,
  opIdSchema,
  postArgumentSchema,
  rateArgumentSchema,
  reportArgumentSchema,
  resyncSchema,
  unhideArgumentSchema,
} from "./contract";
import { lockPropositionSchema, opOnlySchema, type DebateRateLimited } from "./management";
import { Action } from "./permissions";
import { phaseChangeFields, secondsOnlyWithExtend, type PhaseAction } from "./phases";
import { z } from "./zod";

/** What each kind of acknowledgement carries (`{ ok: true, data }`). */
export interface AckData {
  argument: ArgumentDTO;
  argumentHidden: ArgumentHiddenPayload;
  argumentUnhidden: ArgumentUnhiddenPayload;
  proposition: PropositionDTO;
  voteTally: VoteTalliedPayload;
  ratingTally: RatingTalliedPayload;
  report: ReportDTO;
  reportsDismissed: ReportsDismissedDTO;
  debateSettings: DebateSettingsDTO;
  catchUp: CatchUpPayload;
  revisions: ArgumentRevisionsDTO;
  phase: PhaseStateDTO;
  motionVote: MotionVoteDTO;
}
export type AckKind = keyof AckData;

/** How a waiting operation names the proposition it is about ("proposition 3"). */
export interface DescribeContext {
  proposition(id: string): string;
}

/** One mutating operation: carries an `opId`, is kept in the outbox until acknowledged. */
export interface OperationSpec<S extends z.ZodType = z.ZodType, A extends AckKind = AckKind, E extends string = string> {
  event: E;
  /** The payload's schema; `opId` is part of it. Services receive `z.output<S>`. */
  input: S;
  ack: A;
  /** The permission the service checks (app/shared/permissions.ts). */
  action: Action;
  /** The participant's rate limit a new operation takes a point of, or null for none. */
  limit: DebateRateLimited | null;
  /** Stored in `Operation.kind` with the opId (a repeat under another name is refused). Never change it: stored rows use it. */
  storedAs: string;
  /** Operations with the same key are sent one after another, in order; null: no ordering. */
  orderingKey(input: z.input<S>): string | null;
  /** The operation in words, for the "not yet confirmed" list. */
  describe(input: z.input<S>, ctx: DescribeContext): string;
}

/** One read: no opId, no outbox, answered from the current state. */
export interface ReadSpec<S extends z.ZodType = z.ZodType, A extends AckKind = AckKind, E extends string = string> {
  event: E;
  input: S;
  ack: A;
  /** Whether an observer who has not joined may send it. */
  anonymous: boolean;
}

const operation = <S extends z.ZodType, A extends AckKind, E extends string>(spec: OperationSpec<S, A, E>) => spec;
const read = <S extends z.ZodType, A extends AckKind, E extends string>(spec: ReadSpec<S, A, E>) => spec;

/** An author removes one of the sources of their own argument (the next one of its list moves up). */
export const removeSourceSchema = z.object({ opId: opIdSchema, argumentId: z.uuid({ message: "argumentId must be a valid id." }), sourceId: z.uuid({ message: "sourceId must be a valid id." }) });

/** A facilitator's phase action with its operation id (app/shared/phases.ts phaseChangeSchema). */
export const changePhaseSchema = phaseChangeFields
  .extend({ opId: opIdSchema })
  .refine(secondsOnlyWithExtend, { message: "seconds goes only with the 'extend' action.", path: ["seconds"] });
const PHASE_WORDS: Record<PhaseAction, string> = { start: "Starting the", pause: "Pausing the", resume: "Resuming the", extend: "Extending the", next: "Moving to the next", previous: "Going back to the previous" };

const argumentKey = (p: { argumentId: string }) => `argument:${p.argumentId}`;
const propositionKey = (p: { propositionId: string }) => `proposition:${p.propositionId}`;

/** The mutating operations. Keys are the names of the client's actions and of the services. */
export const OPERATIONS = {
  postArgument: operation({
    event: "argument:post",
    input: postArgumentSchema,
    ack: "argument",
    action: Action.postArgument,
    limit: "argument",
    storedAs: "argument.post",
    orderingKey: () => null,
    describe: (p, { proposition }) => `${p.parentId ? "Reply" : "Argument"} on ${proposition(p.propositionId)}`,
  }),
  editArgument: operation({
    event: "argument:edit",
    input: editArgumentSchema,
    ack: "argument",
    action: Action.editOwnArgument,
    limit: "argument",
    storedAs: "argument.edit",
    orderingKey: argumentKey,
    describe: () => "Edit of your argument",
  }),
  addSource: operation({
    event: "source:add",
    input: addSourceSchema,
    ack: "argument",
    action: Action.addSource,
    limit: "argument",
    storedAs: "source.add",
    orderingKey: argumentKey,
    describe: () => "Source for your argument",
  }),
  removeSource: operation({
    event: "source:remove",
    input: removeSourceSchema,
    ack: "argument",
    action: Action.addSource,
    limit: "argument",
    storedAs: "source.remove",
    orderingKey: argumentKey,
    describe: () => "Removal of a source from your argument",
  }),
  castVote: operation({
    event: "vote:cast",
    input: castVoteSchema,
    ack: "voteTally",
    action: Action.castVote,
    limit: "vote",
    storedAs: "vote.cast",
    orderingKey: (p) => `vote:${p.propositionId}`,
    describe: (p, { proposition }) => (p.value ? `Vote “${p.value}” on ${proposition(p.propositionId)}` : `Vote cleared on ${proposition(p.propositionId)}`),
  }),
  rateArgument: operation({
    event: "rating:cast",
    input: rateArgumentSchema,
    ack: "ratingTally",
    action: Action.rateArgument,
    limit: "vote",
    storedAs: "rating.cast",
    orderingKey: (p) => `rating:${p.argumentId}`,
    describe: () => "Rating of an argument",
  }),
  editProposition: operation({
    event: "proposition:edit",
    input: editPropositionSchema,
    ack: "proposition",
    action: Action.editProposition,
    limit: null,
    storedAs: "proposition.edit",
    orderingKey: propositionKey,
    describe: (p, { proposition }) => `Rewording of ${proposition(p.propositionId)}`,
  }),
  lockProposition: operation({
    event: "proposition:lock",
    input: lockPropositionSchema,
    ack: "proposition",
    action: Action.lockProposition,
    limit: null,
    storedAs: "proposition.lock",
    orderingKey: propositionKey,
    describe: (p, { proposition }) => `${p.locked ? "Locking" : "Unlocking"} ${proposition(p.propositionId)}`,
  }),
  deleteArgument: operation({
    event: "argument:delete",
    input: deleteArgumentSchema,
    ack: "argument",
    action: Action.deleteOwnArgument,
    limit: "argument",
    storedAs: "argument.delete",
    orderingKey: argumentKey,
    describe: () => "Deletion of your argument",
  }),
  reportArgument: operation({
    event: "argument:report",
    input: reportArgumentSchema,
    ack: "report",
    action: Action.reportArgument,
    limit: "argument",
    storedAs: "report.file",
    orderingKey: () => null,
    describe: () => "Report of an argument",
  }),
  hideArgument: operation({
    event: "argument:hide",
    input: hideArgumentSchema,
    ack: "argumentHidden",
    action: Action.hideArgument,
    limit: null,
    storedAs: "argument.hide",
    orderingKey: argumentKey,
    describe: () => "Hiding an argument",
  }),
  unhideArgument: operation({
    event: "argument:unhide",
    input: unhideArgumentSchema,
    ack: "argumentUnhidden",
    action: Action.hideArgument,
    limit: null,
    storedAs: "argument.unhide",
    orderingKey: argumentKey,
    describe: () => "Unhiding an argument",
  }),
  dismissReports: operation({
    event: "reports:dismiss",
    input: dismissReportsSchema,
    ack: "reportsDismissed",
    action: Action.hideArgument,
    limit: null,
    storedAs: "reports.dismiss",
    orderingKey: () => null,
    describe: () => "Dismissing reports",
  }),
  closeDebate: operation({
    event: "debate:close",
    input: opOnlySchema,
    ack: "debateSettings",
    action: Action.closeDebate,
    limit: null,
    storedAs: "debate.close",
    orderingKey: () => "debate",
    describe: () => "Closing the debate",
  }),
  reopenDebate: operation({
    event: "debate:reopen",
    input: opOnlySchema,
    ack: "debateSettings",
    action: Action.reopenDebate,
    limit: null,
    storedAs: "debate.reopen",
    orderingKey: () => "debate",
    describe: () => "Reopening the debate",
  }),
  changePhase: operation({
    event: "phase:change",
    input: changePhaseSchema,
    ack: "phase",
    action: Action.runPhases,
    limit: null,
    storedAs: "phase.change",
    orderingKey: () => "phase",
    describe: (p) => `${PHASE_WORDS[p.action]} phase${p.action === "extend" ? ` by ${p.seconds ?? 60} s` : ""}`,
  }),
  castMotionVote: operation({
    event: "motion:vote",
    input: motionVoteSchema,
    ack: "motionVote",
    action: Action.castMotionVote,
    limit: "vote",
    storedAs: "motion.vote",
    orderingKey: (p) => `motion:${p.stage}`,
    describe: (p) => `Vote “${p.value}” on the motion (${p.stage})`,
  }),
} as const;

/** The reads: answered at once, never queued. */
export const READS = {
  /** Everything after `lastSeq` (gap repair): CatchUpPayload. */
  resync: read({ event: "debate:resync", input: resyncSchema, ack: "catchUp", anonymous: true }),
  /** An argument's earlier bodies (author and facilitators). */
  argumentRevisions: read({ event: "argument:revisions", input: argumentRevisionsSchema, ack: "revisions", anonymous: false }),
} as const;

export type Operations = typeof OPERATIONS;
export type OperationName = keyof Operations;
export type Reads = typeof READS;
export type ReadName = keyof Reads;

/** The parsed input a service receives for an operation or read. */
export type OperationInput<N extends OperationName | ReadName> = z.output<(Operations & Reads)[N]["input"]>;
/** What a client sends: the schema's input without the opId (the client adds it). */
export type OperationPayload<N extends OperationName> = Omit<z.input<Operations[N]["input"]>, "opId">;
/** The data of a successful acknowledgement. */
export type OperationResult<N extends OperationName | ReadName> = AckData[(Operations & Reads)[N]["ack"]];

/** Every client → server event name, by operation or read name (defined by the tables above). */
export type ClientEventMap = { readonly [N in OperationName | ReadName]: N extends OperationName ? Operations[N]["event"] : N extends ReadName ? Reads[N]["event"] : never };
export const ClientEvent: ClientEventMap = Object.freeze(
  Object.fromEntries([...Object.entries(OPERATIONS), ...Object.entries(READS)].map(([name, spec]) => [name, spec.event])) as ClientEventMap,
);

/** The operation or read with this event name. */
type ByEvent = { [N in OperationName]: { name: N; event: Operations[N]["event"]; ack: Operations[N]["ack"] } }[OperationName] | { [N in ReadName]: { name: N; event: Reads[N]["event"]; ack: Reads[N]["ack"] } }[ReadName];

/** The socket.io event map, client → server: every event takes its payload (validated by the server) and an acknowledgement. */
export type ClientToServerEvents = { [E in ByEvent as E["event"]]: (payload: unknown, ack: AckFn<AckData[E["ack"]]>) => void };

/** Names of the mutating operations, in table order. */
export const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationName[];
export const READ_NAMES = Object.keys(READS) as ReadName[];

const byEvent = new Map<string, OperationName>(OPERATION_NAMES.map((n) => [OPERATIONS[n].event, n]));
/** The mutating operation sent as `event`, or undefined (a read, or an unknown event). */
export const operationForEvent = (event: string): OperationName | undefined => byEvent.get(event);

/** The ordering key of a queued operation (see OperationSpec.orderingKey). */
export function orderingKeyOf(name: OperationName, payload: Record<string, unknown>): string | null {
  return (OPERATIONS[name].orderingKey as (p: unknown) => string | null)(payload);
}

/** A queued operation in words (see OperationSpec.describe). */
export function describeOperationInput(name: OperationName, payload: Record<string, unknown>, ctx: DescribeContext): string {
  return (OPERATIONS[name].describe as (p: unknown, c: DescribeContext) => string)(payload, ctx);
}

/**
 * Parses an operation's (or read's) input with its schema, for callers outside the socket server
 * (the JSON API, page actions); the socket server parses the same way.
 * @throws AppError validation_failed with the first problem as a sentence and its field path.
 */
export function parseOperationInput<N extends OperationName | ReadName>(name: N, input: unknown): OperationInput<N> {
  const schema = (name in OPERATIONS ? OPERATIONS[name as OperationName].input : READS[name as ReadName].input) as z.ZodType;
  const result = schema.safeParse(input);
  if (!result.success) {
    const { message, field } = describeZodError(result.error);
    throw validationError(message, field);
  }
  return result.data as OperationInput<N>;
}

export type { Ack };
