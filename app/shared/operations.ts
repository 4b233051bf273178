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
import type { MessageKey } from "../i18n/messages/en";
import { validationError, type ValidationIssue } from "./errors";
import { recordReadsSchema } from "./reads";
import { closeDecisionSchema, proposeDecisionSchema, respondToDecisionSchema, type DecisionDTO } from "./decisions";
import { draftTeamArgumentSchema, manageTeamsSchema, publishTeamDraftSchema, type TeamDraftDTO, type TeamsViewDTO } from "./teams";
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
import { secondsOnlyWithExtend } from "./phases";
import { phaseChangeFields } from "./phase-schemas";
import { OPERATION_WIRE, READ_WIRE } from "./operation-wire";
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
  decision: DecisionDTO;
  readsRecorded: { recorded: number };
  teams: TeamsViewDTO;
  teamDraft: TeamDraftDTO;
}
export type AckKind = keyof AckData;

/** How a waiting operation names the proposition it is about: its 1-based number on the page, 0 when unknown. */
export interface DescribeContext {
  proposition(id: string): number;
}

/**
 * A waiting operation in words, as a message of the `outbox.` area of the catalogues
 * (app/i18n/messages/en.ts) and its values; the page formats it in the reader's language.
 */
export interface OperationDescription {
  id: Extract<MessageKey, `outbox.${string}`>;
  values?: Record<string, string | number>;
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
  describe(input: z.input<S>, ctx: DescribeContext): OperationDescription;
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

/** A facilitator shows the results before the results phase: `{ opId?, version? }` (version: the phase version the page shows). */
export const showResultsSchema = z.object({ opId: opIdSchema, version: phaseChangeFields.shape.version });

/** The mutating operations: each entry's wire fields (app/shared/operation-wire.ts) and its input schema. Keys are the names of the client's actions and of the services. */
export const OPERATIONS = {
  postArgument: operation({ ...OPERATION_WIRE.postArgument, input: postArgumentSchema }),
  editArgument: operation({ ...OPERATION_WIRE.editArgument, input: editArgumentSchema }),
  addSource: operation({ ...OPERATION_WIRE.addSource, input: addSourceSchema }),
  removeSource: operation({ ...OPERATION_WIRE.removeSource, input: removeSourceSchema }),
  castVote: operation({ ...OPERATION_WIRE.castVote, input: castVoteSchema }),
  rateArgument: operation({ ...OPERATION_WIRE.rateArgument, input: rateArgumentSchema }),
  editProposition: operation({ ...OPERATION_WIRE.editProposition, input: editPropositionSchema }),
  lockProposition: operation({ ...OPERATION_WIRE.lockProposition, input: lockPropositionSchema }),
  deleteArgument: operation({ ...OPERATION_WIRE.deleteArgument, input: deleteArgumentSchema }),
  reportArgument: operation({ ...OPERATION_WIRE.reportArgument, input: reportArgumentSchema }),
  hideArgument: operation({ ...OPERATION_WIRE.hideArgument, input: hideArgumentSchema }),
  unhideArgument: operation({ ...OPERATION_WIRE.unhideArgument, input: unhideArgumentSchema }),
  dismissReports: operation({ ...OPERATION_WIRE.dismissReports, input: dismissReportsSchema }),
  closeDebate: operation({ ...OPERATION_WIRE.closeDebate, input: opOnlySchema }),
  reopenDebate: operation({ ...OPERATION_WIRE.reopenDebate, input: opOnlySchema }),
  changePhase: operation({ ...OPERATION_WIRE.changePhase, input: changePhaseSchema }),
  castMotionVote: operation({ ...OPERATION_WIRE.castMotionVote, input: motionVoteSchema }),
  showResults: operation({ ...OPERATION_WIRE.showResults, input: showResultsSchema }),
  recordReads: operation({ ...OPERATION_WIRE.recordReads, input: recordReadsSchema }),
  proposeDecision: operation({ ...OPERATION_WIRE.proposeDecision, input: proposeDecisionSchema }),
  respondToDecision: operation({ ...OPERATION_WIRE.respondToDecision, input: respondToDecisionSchema }),
  closeDecision: operation({ ...OPERATION_WIRE.closeDecision, input: closeDecisionSchema }),
  manageTeams: operation({ ...OPERATION_WIRE.manageTeams, input: manageTeamsSchema }),
  draftTeamArgument: operation({ ...OPERATION_WIRE.draftTeamArgument, input: draftTeamArgumentSchema }),
  publishTeamDraft: operation({ ...OPERATION_WIRE.publishTeamDraft, input: publishTeamDraftSchema }),
} as const;

/** The reads: answered at once, never queued. */
export const READS = {
  resync: read({ ...READ_WIRE.resync, input: resyncSchema }),
  argumentRevisions: read({ ...READ_WIRE.argumentRevisions, input: argumentRevisionsSchema }),
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

/** The operation or read with this event name. */
type ByEvent = { [N in OperationName]: { name: N; event: Operations[N]["event"]; ack: Operations[N]["ack"] } }[OperationName] | { [N in ReadName]: { name: N; event: Reads[N]["event"]; ack: Reads[N]["ack"] } }[ReadName];

/** The socket.io event map, client → server: every event takes its payload (validated by the server) and an acknowledgement. */
export type ClientToServerEvents = { [E in ByEvent as E["event"]]: (payload: unknown, ack: AckFn<AckData[E["ack"]]>) => void };

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
    throw validationError(message, field).withIssue(result.error.issues[0] as ValidationIssue | undefined);
  }
  return result.data as OperationInput<N>;
}

export type { Ack };
export { ClientEvent, describeOperationInput, OPERATION_NAMES, operationForEvent, orderingKeyOf, READ_NAMES, type ClientEventMap } from "./operation-wire";
