/**
 * The use cases, bound to one database and publisher. HTTP routes, React
 * Router loaders/actions (through the load context) and socket handlers all
 * call these; none of them touches Prisma directly.
 */
import type { CatchUpHolds } from "../../app/shared/catch-up-holds";
import type { CatchUpPayload, CurrentParticipant } from "../../app/shared/contract";
import type { OperationInput } from "../../app/shared/operations";
import { z } from "zod";
import * as accounts from "./accounts";
import * as argumentsService from "./arguments";
import * as changes from "./changes";
import type { ServiceContext } from "./context";
import * as debates from "./debates";
import * as moderation from "./moderation";
import * as participants from "./participants";
import * as access from "./access";
import * as locks from "./locks";
import * as settings from "./settings";
import * as votes from "./votes";
import * as opinion from "./opinion-groups";
import * as argumentOrder from "./argument-order";
import * as argumentPages from "./argument-pages";
import * as phases from "./phases";
import { withholdMotion } from "./phase-state";
import * as decisions from "./decisions";
import * as teams from "./teams";
import * as changedMinds from "./changed-minds";
import { ComputeRunner } from "../compute/runner";
import * as exportsService from "./exports";
import * as importsService from "./imports";

export function createServices(ctx: ServiceContext) {
  return {
    /** Creates a debate for a signed-in facilitator (see accounts.requireUser). */
    createDebate: (creator: debates.DebateCreator, input: unknown, address?: string) => debates.createDebate(ctx, creator, input, address),
    ...accountServices(ctx),
    ...managementServices(ctx),
    /** The debate as `viewer` may see it (hidden arguments withheld from non-facilitators but their authors). */
    getDebate: (debateId: string, viewer: CurrentParticipant | null, options?: { frame?: boolean }) => debates.getDebate(ctx, debateId, viewer, options),
    listPublishedDebates: (limit?: number) => debates.listPublishedDebates(ctx, limit),
    /** The language a debate's facilitator set for it ("en", "de", …), or null (not set, or no such debate). Public: it is on the debate page. */
    debateLanguage: async (debateId: string): Promise<string | null> => {
      if (!z.uuid().safeParse(debateId).success) return null;
      return (await ctx.db.debate.findUnique({ where: { id: debateId }, select: { language: true } }))?.language ?? null;
    },
    getSections: (debateId: string) => debates.getSections(ctx, debateId),
    getDraftReview: (debateId: string) => debates.getDraftReview(ctx, debateId),
    publishDebate: (debateId: string, actor: CurrentParticipant | null) => debates.publishDebate(ctx, debateId, actor),
    curatePropositions: (debateId: string, actor: CurrentParticipant | null, action: debates.CurationAction) =>
      debates.curatePropositions(ctx, debateId, actor, action),
    editProposition: (actor: CurrentParticipant | null, input: OperationInput<"editProposition">) => debates.editProposition(ctx, actor, input),
    /** `options`: `{ address, userId? }`; see participants.joinDebate. */
    joinDebate: (debateId: string, input: unknown, options?: participants.JoinOptions) => participants.joinDebate(ctx, debateId, input, options),
    findParticipant: (debateId: string, token: string | null | undefined) => participants.findParticipant(ctx, debateId, token),
    postArgument: (actor: CurrentParticipant, input: OperationInput<"postArgument">) => argumentsService.postArgument(ctx, actor, input),
    editArgument: (actor: CurrentParticipant, input: OperationInput<"editArgument">) => argumentsService.editArgument(ctx, actor, input),
    addSource: (actor: CurrentParticipant, input: OperationInput<"addSource">) => argumentsService.addSource(ctx, actor, input),
    removeSource: (actor: CurrentParticipant, input: OperationInput<"removeSource">) => argumentsService.removeSource(ctx, actor, input),
    rateArgument: (actor: CurrentParticipant, input: OperationInput<"rateArgument">) => argumentsService.rateArgument(ctx, actor, input),
    castVote: (actor: CurrentParticipant, input: OperationInput<"castVote">) => votes.castVote(ctx, actor, input),
    myChoices: (actor: CurrentParticipant | null) => votes.myChoices(ctx, actor),
    /**
     * Everything after `lastSeq` for this debate (changes + tallies), or a snapshot when the gap is too large;
     * with `holds` (a big debate's page), argument changes outside the held parts come as counts (changes.catchUp).
     */
    catchUp: async (debateId: string, lastSeq: number, actor: CurrentParticipant | null, holds?: CatchUpHolds): Promise<CatchUpPayload> => {
      const payload = await changes.catchUp(
        ctx,
        debateId,
        lastSeq,
        () => votes.myChoices(ctx, actor),
        async () => ({ mode: "snapshot" as const, debate: await debates.getDebate(ctx, debateId, actor), mine: await votes.myChoices(ctx, actor) }),
        actor,
        holds,
      );
      // While the phase hides results (app/shared/phases.ts), the vote tallies are left out for participants.
      if (payload.mode === "changes") {
        const rules = await ctx.db.debate.findUnique({ where: { id: debateId }, select: { status: true, format: true, phaseIndex: true, resultsShownAt: true } });
        if (rules && !debates.mayReadResults(actor, rules)) {
          payload.tallies.propositions = [];
          // The motion's polls too (a fresh list: the range is shared with other clients).
          if (payload.changes.some((c) => c.kind === "motion.tallied")) payload.changes = payload.changes.map((c) => (c.kind === "motion.tallied" ? { ...c, data: withholdMotion(c.data) } : c));
        }
      }
      return payload;
    },
    ...moderationServices(ctx),
    ...outcomeServices(ctx),
  };
}

/** Results, opinion groups, Polis import and meta propositions (./opinion-groups.ts, issue 11). */
function outcomeServices(ctx: ServiceContext) {
  type Actor = CurrentParticipant | null;
  const compute = () => (ctx.compute ??= new ComputeRunner());
  const request = (debateId: string) => ctx.opinionGroups?.request(debateId);
  return {
    /** POST /api/imports: a published debate from a Polis export (parsed in the compute worker). */
    importPolis: async (creator: debates.DebateCreator, input: unknown) => {
      const imported = await opinion.importPolis(ctx, compute(), creator, input);
      request(imported.id);
      return imported;
    },
    /** GET /api/debates/:id/export: the debate as `actor` may export it, read in pages (./exports.ts). */
    exportDebate: (debateId: string, actor: Actor, options: exportsService.ExportOptions) => exportsService.debateExportSource(ctx, debateId, actor, options),
    /** POST /api/imports for every format: polis as above, the others as a draft debate (./imports.ts). */
    importDebate: async (creator: debates.DebateCreator, input: unknown) => {
      const imported = await importsService.importDebate(ctx, compute, creator, input);
      if ((input as { format?: unknown } | null)?.format === "polis") request(imported.id);
      return imported;
    },
    /** POST /api/imports/preview: what an import of a text format would create, nothing written. */
    previewImport: (input: unknown) => {
      const { title, debate } = importsService.readImport(input);
      return { title: title ?? debate.title, imported: importsService.importCounts(debate), ...importsService.apiWarnings(debate.warnings) };
    },
    getOpinionGroups: (debateId: string, actor: Actor) => opinion.getOpinionGroups(ctx, request, debateId, actor),
    getResults: (debateId: string, actor: Actor) => opinion.getResults(ctx, compute(), debateId, actor),
    argumentPage: (debateId: string, propositionId: string, actor: Actor, query: unknown) => argumentPages.argumentPage(ctx, debateId, propositionId, actor, query),
    searchDebate: (debateId: string, actor: Actor, query: unknown) => argumentPages.searchDebate(ctx, debateId, actor, query),
    argumentChain: (debateId: string, argumentId: string, actor: Actor) => argumentPages.argumentChain(ctx, debateId, argumentId, actor),
    getArgumentBridgingOrder: (debateId: string, actor: Actor) => argumentOrder.getArgumentBridgingOrder(ctx, compute(), debateId, actor),
    setPropositionMeta: (actor: Actor, propositionId: string, input: unknown) => opinion.setPropositionMeta(ctx, request, actor, propositionId, input),
    /** Recomputes now unless the stored groups are current; the opinion-groups job calls this. */
    recomputeOpinionGroups: (debateId: string) => opinion.recomputeOpinionGroups(ctx, compute(), debateId),
    /** Stops the compute worker (server shutdown). */
    closeCompute: () => ctx.compute?.close(),
  };
}

/** Deleting and revising arguments, reports, hiding, the moderation queue and the audit log (./moderation.ts). */
function moderationServices(ctx: ServiceContext) {
  return {
    deleteArgument: (actor: CurrentParticipant, input: OperationInput<"deleteArgument">) => argumentsService.deleteArgument(ctx, actor, input),
    argumentRevisions: (actor: CurrentParticipant | null, input: OperationInput<"argumentRevisions">) => argumentsService.argumentRevisions(ctx, actor, input),
    reportArgument: (actor: CurrentParticipant, input: OperationInput<"reportArgument">) => moderation.reportArgument(ctx, actor, input),
    hideArgument: (actor: CurrentParticipant, input: OperationInput<"hideArgument">) => moderation.hideArgument(ctx, actor, input),
    unhideArgument: (actor: CurrentParticipant, input: OperationInput<"unhideArgument">) => moderation.unhideArgument(ctx, actor, input),
    dismissReports: (actor: CurrentParticipant, input: OperationInput<"dismissReports">) => moderation.dismissReports(ctx, actor, input),
    moderationQueue: (actor: CurrentParticipant | null) => moderation.moderationQueue(ctx, actor),
    openReportCount: (actor: CurrentParticipant | null) => moderation.openReportCount(ctx, actor),
    auditLog: (actor: CurrentParticipant | null, query: unknown) => moderation.auditLog(ctx, actor, query),
    auditLogExport: (actor: CurrentParticipant | null) => moderation.auditLogExport(ctx, actor),
  };
}

/** Facilitator accounts, sessions, password resets, API tokens and actor resolution (./accounts.ts). */
function accountServices(ctx: ServiceContext) {
  return {
    signUp: (input: unknown, address?: string) => accounts.signUp(ctx, input, address),
    /** Sign-up from a script (POST /api/accounts): the account and a first API token named "first token". */
    signUpWithApiToken: async (input: unknown, address?: string) => {
      const user = await accounts.signUp(ctx, input, address);
      const { token } = await accounts.createApiToken(ctx, user.id, { name: "first token" });
      return { user, apiToken: token };
    },
    startSession: (user: accounts.StartedSession["user"], userAgent?: string | null) => accounts.startSession(ctx, user, userAgent),
    /** Marks a browser that has just proven the password as trusted for the account (device cookie). */
    trustDevice: (userId: string, previousToken?: string | null) => accounts.trustDevice(ctx, userId, previousToken),
    signIn: (input: unknown, client?: accounts.ClientInfo) => accounts.signIn(ctx, input, client),
    signOut: (sessionToken: string | null | undefined) => accounts.signOut(ctx, sessionToken),
    signOutEverywhere: (userId: string) => accounts.signOutEverywhere(ctx, userId),
    userFromSession: (sessionToken: string | null | undefined) => accounts.userFromSession(ctx, sessionToken),
    findUser: (credentials: accounts.Credentials) => accounts.findUser(ctx, credentials),
    requireUser: (credentials: accounts.Credentials) => accounts.requireUser(ctx, credentials),
    findActor: (debateId: string, credentials: accounts.Credentials) => accounts.findActor(ctx, debateId, credentials),
    /**
     * Like findActor, but nobody recognised is an error (accounts.whyNoActor: removed from the debate,
     * sign in as a facilitator when `facilitatorOnly`, or join first).
     */
    requireActor: async (debateId: string, credentials: accounts.Credentials, options?: { facilitatorOnly?: boolean }) => {
      const actor = await accounts.findActor(ctx, debateId, credentials);
      if (!actor) throw await accounts.whyNoActor(ctx, debateId, credentials, options);
      return actor;
    },
    /** Whether the credentials are those of someone a facilitator removed from the debate (accounts.wasRemoved). */
    wasRemoved: (debateId: string, credentials: accounts.Credentials) => accounts.wasRemoved(ctx, debateId, credentials),
    /** The error for a request findActor found nobody for (accounts.whyNoActor). */
    whyNoActor: (debateId: string, credentials: accounts.Credentials, options?: { facilitatorOnly?: boolean }) => accounts.whyNoActor(ctx, debateId, credentials, options),
    requestPasswordReset: (input: unknown, client?: accounts.ClientInfo) => accounts.requestPasswordReset(ctx, input, client),
    passwordResetIsValid: (token: string) => accounts.passwordResetIsValid(ctx, token),
    resetPassword: (token: string, input: unknown) => accounts.resetPassword(ctx, token, input),
    /** `{ currentPassword, newPassword }`: ends every credential of the account and starts a new session for this browser. */
    changePassword: (userId: string, input: unknown, client?: accounts.ClientInfo) => accounts.changePassword(ctx, userId, input, client),
    updateAccount: (userId: string, input: unknown) => accounts.updateAccount(ctx, userId, input),
    createApiToken: (userId: string, input: unknown) => accounts.createApiToken(ctx, userId, input),
    listApiTokens: (userId: string) => accounts.listApiTokens(ctx, userId),
    revokeApiToken: (userId: string, tokenId: string) => accounts.revokeApiToken(ctx, userId, tokenId),
    listMyDebates: (userId: string) => accounts.listMyDebates(ctx, userId),
  };
}

/** Reading access (./access.ts), settings and join codes (./settings.ts), closing and locks (./locks.ts), participants (./participants.ts). */
function managementServices(ctx: ServiceContext) {
  return {
    debateAccess: (debateId: string) => access.debateAccess(ctx, debateId),
    requireReadable: (debateId: string, actor: CurrentParticipant | null) => access.requireReadable(ctx, debateId, actor),
    joinByCode: (input: unknown, options?: Parameters<typeof participants.joinByCode>[2]) => participants.joinByCode(ctx, input, options),
    getSettings: (actor: CurrentParticipant | null, debateId: string) => settings.getSettings(ctx, actor, debateId),
    updateSettings: (actor: CurrentParticipant | null, debateId: string, input: unknown) => settings.updateSettings(ctx, actor, debateId, input),
    rotateJoinCode: (actor: CurrentParticipant | null, debateId: string, input?: unknown) => settings.rotateJoinCode(ctx, actor, debateId, input),
    closeDebate: (actor: CurrentParticipant | null, debateId: string, input?: OperationInput<"closeDebate">) => locks.closeDebate(ctx, actor, debateId, input),
    reopenDebate: (actor: CurrentParticipant | null, debateId: string, input?: OperationInput<"reopenDebate">) => locks.reopenDebate(ctx, actor, debateId, input),
    lockProposition: (actor: CurrentParticipant | null, input: OperationInput<"lockProposition">) => locks.lockProposition(ctx, actor, input),
    /** A facilitator's phase action (./phases.ts): start, pause, resume, extend, next, previous. */
    changePhase: (actor: CurrentParticipant | null, debateId: string, input: OperationInput<"changePhase">) => phases.changePhase(ctx, actor, debateId, input),
    /** A participant's vote on the Oxford motion, before or after (./phases.ts). */
    castMotionVote: (actor: CurrentParticipant | null, input: OperationInput<"castMotionVote">) => phases.castMotionVote(ctx, actor, input),
    /** A facilitator shows the results before the results phase (./phases.ts). */
    showResults: (actor: CurrentParticipant | null, debateId: string, input: OperationInput<"showResults">) => phases.showResults(ctx, actor, debateId, input),
    /** A batch of reads of arguments (./changed-minds.ts): cheap, first read per argument and kind kept. */
    recordReads: (actor: CurrentParticipant | null, input: OperationInput<"recordReads">) => changedMinds.recordReads(ctx, actor, input),
    /** Workshop decisions (./decisions.ts): a facilitator proposes and closes, participants answer. */
    proposeDecision: (actor: CurrentParticipant | null, debateId: string, input: OperationInput<"proposeDecision">) => decisions.proposeDecision(ctx, actor, debateId, input),
    respondToDecision: (actor: CurrentParticipant | null, input: OperationInput<"respondToDecision">) => decisions.respondToDecision(ctx, actor, input),
    closeDecision: (actor: CurrentParticipant | null, debateId: string, input: OperationInput<"closeDecision">) => decisions.closeDecision(ctx, actor, debateId, input),
    /** Every decision of a debate with its answers (call after requireReadable). */
    listDecisions: (debateId: string) => decisions.listDecisions(ctx.db, debateId),
    /** Teams and small groups (./teams.ts): a facilitator's team actions, drafts in a team's space, publishing them. */
    manageTeams: (actor: CurrentParticipant | null, debateId: string, input: OperationInput<"manageTeams">) => teams.manageTeams(ctx, actor, debateId, input),
    draftTeamArgument: (actor: CurrentParticipant | null, input: OperationInput<"draftTeamArgument">) => teams.draftTeamArgument(ctx, actor, input),
    publishTeamDraft: (actor: CurrentParticipant | null, input: OperationInput<"publishTeamDraft">) => teams.publishTeamDraft(ctx, actor, input),
    /** The teams, the asker's team and the drafts they may read (call after requireReadable). */
    teamsView: (actor: CurrentParticipant | null, debateId: string) => teams.teamsView(ctx.db, actor, debateId),
    /** The format and phase alone (call after requireReadable). */
    getPhaseState: (debateId: string) => phases.getPhaseState(ctx, debateId),
    listParticipants: (actor: CurrentParticipant | null, debateId: string) => participants.listParticipants(ctx, actor, debateId),
    updateParticipant: (actor: CurrentParticipant | null, debateId: string, participantId: string, input: unknown) => participants.updateParticipant(ctx, actor, debateId, participantId, input),
    removeParticipant: (actor: CurrentParticipant | null, debateId: string, participantId: string, input?: unknown) => participants.removeParticipant(ctx, actor, debateId, participantId, input),
    touchParticipant: (participantId: string) => participants.touchParticipant(ctx, participantId),
    refreshParticipant: <T extends CurrentParticipant>(participant: T) => participants.refreshParticipant(ctx, participant),
  };
}

export type Services = ReturnType<typeof createServices>;
export type { Credentials } from "./accounts";
export type { CurationAction } from "./debates";
