/**
 * Teams and small groups (issue 13, docs/decisions/0073-teams.md).
 *
 * A facilitator (Action.manageTeams, operation `manageTeams`) creates, renames and deletes teams,
 * gives a team a side (pro/con) or a subset of propositions, puts participants in teams by hand or
 * splits the debaters at random into balanced teams (server/domain/teams.ts). Debaters who join
 * once a debate has teams go to the smallest one. Membership is `Participant.teamId`.
 *
 * A team member (Action.draftInTeam; facilitators in any team) drafts arguments in the team's
 * space (`draftTeamArgument`): a draft is read by the team and the facilitators only. A member
 * publishes it (`publishTeamDraft`): it becomes a normal argument, under the rules of posting one
 * (Action.postArgument: phase, lock, mute), broadcast to everyone as `argument.created`.
 * A team with a side takes only arguments of that stance, one with propositions only on those —
 * in its space and when its members post directly.
 *
 * Every team write takes the debate's team lock (a transaction-scoped advisory lock), so writes to
 * one debate's teams run one after another: a stale request (a member moved meanwhile, a team
 * deleted, a participant removed) finds the state as it is and is refused with nothing changed.
 * Each appends one `teams.updated` change with every team (no draft texts), published after commit.
 */
import type { ArgumentDTO, CurrentParticipant, Stance } from "../../app/shared/contract";
import { conflict, forbidden, notFound, unauthenticated, validationError } from "../../app/shared/errors";
import { isFacilitatorRole } from "../../app/shared/permissions";
import { OPERATIONS, type OperationInput } from "../../app/shared/operations";
import { parseArgumentBody, plainTextToArgumentBody } from "../../app/shared/lexical";
import { TEAM_LIMITS, type TeamDraftDTO, type TeamDTO, type TeamsViewDTO } from "../../app/shared/teams";
import { balancedSplit, smallestTeam } from "../domain/teams";
import { emptyRatingTally } from "../domain/tally";
import type { Db, Tx } from "../db";
import { Action, authorize, loadDebateState, requireSameDebate } from "./access";
import { argumentInclude, toArgumentDTO } from "./arguments";
import { AuditAction, auditActor, recordAudit } from "./audit";
import { appendChange, runOperation } from "./changes";
import type { ServiceContext } from "./context";
import { inTransaction } from "./publish";
import { teamRefusal } from "./team-rules";
import { phaseFactsOf } from "./phase-state";

const memberSelect = { where: { removedAt: null }, select: { id: true, displayName: true }, orderBy: { displayName: "asc" as const } } as const;

/**
 * Every team of a debate, oldest first, with its active members by name and its draft counts.
 * @param db the database or a transaction.
 */
export async function listTeams(db: Db | Tx, debateId: string): Promise<TeamDTO[]> {
  const rows = await db.team.findMany({ where: { debateId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], include: { members: memberSelect, drafts: { select: { publishedAt: true } } } });
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    side: t.side,
    propositionIds: t.propositionIds,
    members: t.members,
    drafts: t.drafts.filter((d) => d.publishedAt === null).length,
    published: t.drafts.filter((d) => d.publishedAt !== null).length,
  }));
}

type DraftRow = { id: string; teamId: string; propositionId: string; stance: Stance; text: string; createdAt: Date; publishedAt: Date | null; argumentId: string | null; author: { id: string; displayName: string } };
const toDraftDTO = (d: DraftRow): TeamDraftDTO => ({
  id: d.id,
  teamId: d.teamId,
  propositionId: d.propositionId,
  stance: d.stance,
  text: d.text,
  author: d.author,
  createdAt: d.createdAt.toISOString(),
  publishedAt: d.publishedAt?.toISOString() ?? null,
  argumentId: d.argumentId,
});
const draftInclude = { author: { select: { id: true, displayName: true } } } as const;

/** The team a participant is in now (null: none), read in `db`. */
async function teamOf(db: Db | Tx, participantId: string): Promise<string | null> {
  const row = await db.participant.findUnique({ where: { id: participantId }, select: { teamId: true } });
  return row?.teamId ?? null;
}

/**
 * What GET /api/debates/:id/teams answers (call after requireReadable): the teams, the asker's
 * team, the drafts they may read (their team's; every team's for facilitators; none for anyone
 * else) and, for facilitators, the active debaters in no team.
 */
export async function teamsView(db: Db | Tx, actor: CurrentParticipant | null, debateId: string): Promise<TeamsViewDTO> {
  const teams = await listTeams(db, debateId);
  const facilitator = actor !== null && actor.debateId === debateId && isFacilitatorRole(actor.role);
  const myTeamId = actor && actor.debateId === debateId ? await teamOf(db, actor.id) : null;
  const readable = facilitator ? teams.map((t) => t.id) : myTeamId ? [myTeamId] : [];
  const drafts = readable.length ? await db.teamDraft.findMany({ where: { teamId: { in: readable } }, include: draftInclude, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }) : [];
  const unassigned = facilitator
    ? await db.participant.findMany({ where: { debateId, role: "debater", removedAt: null, teamId: null }, select: { id: true, displayName: true }, orderBy: { displayName: "asc" } })
    : [];
  return { teams, myTeamId, drafts: drafts.map(toDraftDTO), unassigned };
}

/** Serializes the writes to one debate's teams (released at commit or rollback). */
async function lockTeams(tx: Tx, debateId: string): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`teams:${debateId}`}))::text`;
}

/** Appends the teams as they are now (one `teams.updated` change). */
async function publishTeams(tx: Tx, debateId: string): Promise<void> {
  await appendChange(tx, debateId, "teams.updated", { teams: await listTeams(tx, debateId) });
}

/** The debate's status and phase facts, read in the transaction (the rules of `decide`). */
async function debateState(tx: Tx, debateId: string) {
  const row = await tx.debate.findUnique({ where: { id: debateId }, select: { status: true, format: true, phaseIndex: true, resultsShownAt: true } });
  if (!row) throw notFound("This debate");
  return { status: row.status, phase: phaseFactsOf(row) };
}

/** A team of this debate, or not_found ("That team": deleted meanwhile, or another debate's). */
async function requireTeam(tx: Tx, debateId: string, teamId: string) {
  const team = await tx.team.findUnique({ where: { id: teamId } });
  if (!team || team.debateId !== debateId) throw notFound("That team (it may have been deleted meanwhile)");
  return team;
}

/** Checks that every id is one of the debate's visible propositions. @throws validation_failed (field propositionIds). */
async function requireOwnPropositions(tx: Tx, debateId: string, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const found = await tx.proposition.count({ where: { debateId, id: { in: ids }, hiddenAt: null } });
  if (found !== ids.length) throw validationError("A team can only be given this debate's propositions: one of them is not.", "propositionIds");
}

/**
 * A facilitator's team action (operation `manageTeams`; the JSON API's /api/debates/:id/teams routes):
 * - `create` `{ name, side?, propositionIds? }`: a new, empty team (at most TEAM_LIMITS.teams);
 * - `random` `{ count? }`: every active debater into a team at random, sizes differing by at most one
 *   (into the existing teams; when there are none, into `count` new ones, default 2, "Team 1"…);
 * - `update` `{ teamId, name?, side?, propositionIds? }`: rename, set or clear its side (null) or propositions ([]: all);
 * - `delete` `{ teamId }`: its members are then in no team, its drafts (not the published arguments) go;
 * - `assign` `{ participantId, teamId | null, fromTeamId? }`: put a debater in a team, move them, or take them out.
 * @returns the teams view as the facilitator sees it (the change `teams.updated` goes to everyone).
 * @throws AppError unauthenticated; not_found (debate, team, participant); forbidden (not a facilitator, draft,
 *   closed); validation_failed (propositions, too many teams, count against existing teams);
 *   conflict (`fromTeamId` is not the participant's team any more; the participant was removed; a facilitator or observer).
 */
export async function manageTeams(ctx: ServiceContext, actor: CurrentParticipant | null, debateId: string, input: OperationInput<"manageTeams">): Promise<TeamsViewDTO> {
  const me = requireSameDebate(actor, debateId);
  await runOperation(ctx, "manageTeams", me, input.opId, async (tx) => {
    authorize(me, OPERATIONS.manageTeams.action, await debateState(tx, debateId));
    await lockTeams(tx, debateId);
    const details = await applyTeamAction(tx, debateId, input);
    await recordAudit(tx, { debateId, actor: auditActor(me), action: AuditAction.teamsChanged, targetType: "team", targetId: "teamId" in input ? input.teamId : null, details });
    await publishTeams(tx, debateId);
    return { done: true };
  });
  return teamsView(ctx.db, me, debateId);
}

/** The write of one team action, under the team lock. @returns what the audit entry records. */
async function applyTeamAction(tx: Tx, debateId: string, input: OperationInput<"manageTeams">): Promise<Record<string, unknown>> {
  switch (input.action) {
    case "create": {
      if ((await tx.team.count({ where: { debateId } })) >= TEAM_LIMITS.teams) throw validationError(`A debate can have at most ${TEAM_LIMITS.teams} teams.`);
      await requireOwnPropositions(tx, debateId, input.propositionIds);
      const team = await tx.team.create({ data: { debateId, name: input.name, side: input.side, propositionIds: input.propositionIds } });
      return { action: "create", teamId: team.id, name: input.name, side: input.side, propositionIds: input.propositionIds };
    }
    case "update": {
      const before = await requireTeam(tx, debateId, input.teamId);
      if (input.propositionIds) await requireOwnPropositions(tx, debateId, input.propositionIds);
      await tx.team.update({ where: { id: input.teamId }, data: { name: input.name, side: input.side, propositionIds: input.propositionIds } });
      return { action: "update", from: { name: before.name, side: before.side, propositionIds: before.propositionIds }, to: { name: input.name, side: input.side, propositionIds: input.propositionIds } };
    }
    case "delete": {
      const team = await requireTeam(tx, debateId, input.teamId);
      await tx.team.delete({ where: { id: input.teamId } });
      return { action: "delete", name: team.name };
    }
    case "assign":
      return assignMember(tx, debateId, input);
    case "random":
      return randomSplit(tx, debateId, input.count);
  }
}

async function assignMember(tx: Tx, debateId: string, input: Extract<OperationInput<"manageTeams">, { action: "assign" }>) {
  const who = await tx.participant.findUnique({ where: { id: input.participantId }, select: { debateId: true, displayName: true, role: true, removedAt: true, teamId: true } });
  if (!who || who.debateId !== debateId) throw notFound("That participant");
  if (who.removedAt) throw conflict(`${who.displayName} was removed from the debate: they cannot be put in a team. Nothing was changed.`);
  if (who.role !== "debater") throw conflict(`${who.displayName} is ${who.role === "observer" ? "an observer" : "a facilitator"}: only debaters work in teams. Nothing was changed.`);
  if (input.fromTeamId !== undefined && input.fromTeamId !== who.teamId) {
    const now = who.teamId ? (await tx.team.findUnique({ where: { id: who.teamId }, select: { name: true } }))?.name : null;
    throw conflict(`${who.displayName} has been moved meanwhile: they are now ${now ? `in “${now}”` : "in no team"}. Nothing was changed; look again and retry.`);
  }
  const to = input.teamId ? await requireTeam(tx, debateId, input.teamId) : null;
  await tx.participant.update({ where: { id: input.participantId }, data: { teamId: to?.id ?? null } });
  return { action: "assign", participantId: input.participantId, displayName: who.displayName, fromTeamId: who.teamId, toTeamId: to?.id ?? null };
}

async function randomSplit(tx: Tx, debateId: string, count: number | undefined) {
  const teams = await tx.team.findMany({ where: { debateId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true } });
  if (teams.length && count !== undefined && count !== teams.length) {
    throw validationError(`The debate already has ${teams.length} teams: split into them (leave out count), or delete teams first.`, "count");
  }
  if (!teams.length) {
    const n = count ?? TEAM_LIMITS.defaultRandomCount;
    // Teams are listed by creation time; in one transaction now() is one instant for all of them, so
    // each gets its own millisecond in numbering order (else Team 3 could be listed before Team 2).
    const start = Date.now();
    for (let i = 1; i <= n; i++) teams.push(await tx.team.create({ data: { debateId, name: `Team ${i}`, propositionIds: [], createdAt: new Date(start + i) }, select: { id: true } }));
  }
  const debaters = await tx.participant.findMany({ where: { debateId, role: "debater", removedAt: null }, select: { id: true }, orderBy: { createdAt: "asc" } });
  const split = balancedSplit(
    debaters.map((d) => d.id),
    teams.map((t) => t.id),
    Math.random,
  );
  for (const [teamId, ids] of split) if (ids.length) await tx.participant.updateMany({ where: { id: { in: ids } }, data: { teamId } });
  return { action: "random", teams: teams.length, participants: debaters.length };
}

/**
 * A debater who joins a debate that has teams goes to the smallest team (ties: the oldest), under
 * the team lock, so that joiners arriving together spread out. Does nothing without teams.
 * Called by server/services/participants.ts once the participant exists.
 */
export async function assignLateJoiner(ctx: ServiceContext, debateId: string, participantId: string): Promise<void> {
  if ((await ctx.db.team.count({ where: { debateId } })) === 0) return;
  await inTransaction(ctx, async (tx) => {
    await lockTeams(tx, debateId);
    const teams = await tx.team.findMany({ where: { debateId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true, _count: { select: { members: { where: { removedAt: null } } } } } });
    const target = smallestTeam(teams.map((t) => ({ id: t.id, size: t._count.members })));
    if (!target) return;
    await tx.participant.update({ where: { id: participantId }, data: { teamId: target } });
    await publishTeams(tx, debateId);
  });
}

/** The team rules for an actor acting in `teamId`'s space: debaters only in their own team. @throws forbidden. */
async function requireTeamSpace(tx: Tx, actor: CurrentParticipant, teamId: string): Promise<void> {
  if (isFacilitatorRole(actor.role)) return;
  if ((await teamOf(tx, actor.id)) !== teamId) throw forbidden("You can draft and publish only in your own team's space.");
}

/**
 * A team member (or a facilitator) drafts an argument in the team's space (POST /api/debates/:id/teams/:teamId/drafts,
 * operation `draftTeamArgument`). Only the team and the facilitators read it until it is published.
 * @param input `{ opId?, teamId, propositionId, stance, text }`.
 * @returns the draft; everyone gets `teams.updated` (counts only).
 * @throws AppError unauthenticated; not_found (team, proposition); forbidden (observer, not a member, the team's side
 *   or propositions, draft or closed debate).
 */
export async function draftTeamArgument(ctx: ServiceContext, actor: CurrentParticipant | null, input: OperationInput<"draftTeamArgument">): Promise<TeamDraftDTO> {
  if (!actor) throw unauthenticated();
  const debateId = actor.debateId;
  return runOperation(ctx, "draftTeamArgument", actor, input.opId, async (tx) => {
    authorize(actor, OPERATIONS.draftTeamArgument.action, await debateState(tx, debateId));
    await lockTeams(tx, debateId);
    const team = await requireTeam(tx, debateId, input.teamId);
    await requireTeamSpace(tx, actor, team.id);
    const proposition = await tx.proposition.findUnique({ where: { id: input.propositionId }, select: { debateId: true, hiddenAt: true } });
    if (!proposition || proposition.debateId !== debateId || proposition.hiddenAt) throw notFound("That proposition");
    const reason = teamRefusal(team, input.propositionId, input.stance);
    if (reason) throw forbidden(reason);
    const draft = await tx.teamDraft.create({ data: { debateId, teamId: team.id, propositionId: input.propositionId, stance: input.stance, text: input.text, authorId: actor.id }, include: draftInclude });
    await publishTeams(tx, debateId);
    return toDraftDTO(draft);
  });
}

/**
 * A team member (or a facilitator) publishes a team draft to the debate (POST /api/debates/:id/teams/:teamId/drafts/:draftId/publish,
 * operation `publishTeamDraft`): it becomes a top-level argument by the draft's author (the publisher when the
 * author was removed), live for everyone (`argument.created`), under the rules of posting (phase, lock, mute).
 * @returns the new argument.
 * @throws AppError unauthenticated; not_found (team, draft); forbidden (not a member, the team's side or propositions
 *   as they are now, posting refused by the phase, a lock or a mute); conflict (already published).
 */
export async function publishTeamDraft(ctx: ServiceContext, actor: CurrentParticipant | null, input: OperationInput<"publishTeamDraft">): Promise<ArgumentDTO> {
  if (!actor) throw unauthenticated();
  const debateId = actor.debateId;
  const draftRow = await ctx.db.teamDraft.findUnique({ where: { id: input.draftId }, select: { propositionId: true, debateId: true, teamId: true } });
  if (!draftRow || draftRow.debateId !== debateId || draftRow.teamId !== input.teamId) throw notFound("That draft");
  // The rules of posting a new argument on that proposition (phase, lock, mute), as for postArgument.
  authorize(actor, OPERATIONS.publishTeamDraft.action, await loadDebateState(ctx, debateId));
  authorize(actor, Action.postArgument, { ...(await loadDebateState(ctx, debateId, { propositionId: draftRow.propositionId })), topLevel: true });
  return runOperation(ctx, "publishTeamDraft", actor, input.opId, async (tx) => {
    authorize(actor, OPERATIONS.publishTeamDraft.action, await debateState(tx, debateId));
    await lockTeams(tx, debateId);
    const team = await requireTeam(tx, debateId, input.teamId);
    await requireTeamSpace(tx, actor, team.id);
    const draft = await tx.teamDraft.findUnique({ where: { id: input.draftId }, include: { author: { select: { removedAt: true } } } });
    if (!draft || draft.teamId !== team.id) throw notFound("That draft");
    if (draft.publishedAt) throw conflict("This draft was already published by your team: it is in the debate now.");
    const reason = teamRefusal(team, draft.propositionId, draft.stance);
    if (reason) throw forbidden(reason);
    const parsed = parseArgumentBody(plainTextToArgumentBody(draft.text));
    if (!parsed.ok) throw validationError(parsed.message, "text");
    const row = await tx.argument.create({
      data: { debateId, propositionId: draft.propositionId, parentId: null, authorId: draft.author.removedAt ? actor.id : draft.authorId, stance: draft.stance, body: parsed.body as object, bodyText: parsed.plainText },
      include: argumentInclude,
    });
    const change = await appendChange(tx, debateId, "argument.created", toArgumentDTO(row, emptyRatingTally()));
    await tx.teamDraft.update({ where: { id: draft.id }, data: { publishedAt: new Date(), publishedById: actor.id, argumentId: row.id } });
    await publishTeams(tx, debateId);
    return change.data as ArgumentDTO;
  });
}
