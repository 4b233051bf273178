/**
 * Teams and small groups (issue 13; docs/decisions/0073-teams.md): a facilitator splits the
 * debaters into teams (by hand, or at random and balanced), gives a team a side (pro or con) or a
 * subset of propositions, and each team drafts arguments in its own space before a member
 * publishes them to the whole debate. Shapes and zod schemas shared by the server, the operations
 * table (app/shared/operations.ts: manageTeams, draftTeamArgument, publishTeamDraft) and the pages.
 */
import { ARGUMENT_MAX_CHARS } from "./argument-body";
import { opIdSchema, plainLine, stanceSchema, type Stance } from "./contract";
import { z } from "./zod";
import { TEAM_LIMITS } from "./team-text";

export { SIDE_TEXT, TEAM_LIMITS } from "./team-text";


const id = (what: string) => z.uuid({ message: `${what} must be a valid id.` });
const propositionIds = z
  .array(id("Proposition"), { message: "propositionIds must be a list of ids." })
  .max(TEAM_LIMITS.propositions, { message: `At most ${TEAM_LIMITS.propositions} propositions per team.` })
  .transform((ids) => [...new Set(ids)]);
const side = stanceSchema.nullable();
const teamName = plainLine("The team's name", TEAM_LIMITS.nameMaxChars);

/** Creating a team (POST /api/debates/:id/teams): `{ name, side?, propositionIds? }`. */
export const createTeamFields = z.object({ opId: opIdSchema, action: z.literal("create"), name: teamName, side: side.optional().default(null), propositionIds: propositionIds.optional().default([]) });
/** A random balanced split (POST /api/debates/:id/teams `{"action":"random"}`): into the existing teams, or into `count` new ones when there are none. */
export const randomSplitFields = z.object({
  opId: opIdSchema,
  action: z.literal("random"),
  count: z.number({ message: "count must be a number of teams." }).int({ message: "count must be a whole number." }).min(2, { message: "A split needs at least 2 teams." }).max(TEAM_LIMITS.teams, { message: `At most ${TEAM_LIMITS.teams} teams.` }).optional(),
});
/** Renaming a team, or changing its side or propositions (PATCH /api/debates/:id/teams/:teamId). */
export const updateTeamFields = z.object({ opId: opIdSchema, action: z.literal("update"), teamId: id("teamId"), name: teamName.optional(), side: side.optional(), propositionIds: propositionIds.optional() });
/** Deleting a team (DELETE /api/debates/:id/teams/:teamId): its members are then in no team; its drafts go. */
export const deleteTeamFields = z.object({ opId: opIdSchema, action: z.literal("delete"), teamId: id("teamId") });
/**
 * Putting a participant in a team, moving them, or taking them out (teamId null)
 * (PUT /api/debates/:id/teams/members/:participantId). `fromTeamId`, when given, is the team the
 * facilitator's page showed them in: if they are in another one by now, nothing changes (409).
 */
export const assignMemberFields = z.object({ opId: opIdSchema, action: z.literal("assign"), participantId: id("participantId"), teamId: id("teamId").nullable(), fromTeamId: id("fromTeamId").nullable().optional() });

/** The `manageTeams` operation: one of the facilitator's team actions. */
export const manageTeamsSchema = z.object({ opId: opIdSchema }).and(
  z.discriminatedUnion("action", [createTeamFields, randomSplitFields, updateTeamFields, deleteTeamFields, assignMemberFields], {
    error: () => "action is 'create', 'random', 'update', 'delete' or 'assign'.",
  }),
);
export type ManageTeamsInput = z.output<typeof manageTeamsSchema>;

/** Drafting an argument in a team's space (POST /api/debates/:id/teams/:teamId/drafts): `{ propositionId, stance, text }`. */
export const draftTeamArgumentSchema = z.object({
  opId: opIdSchema,
  teamId: id("teamId"),
  propositionId: id("propositionId"),
  stance: stanceSchema,
  text: z
    .string({ message: "The draft must be text." })
    .transform((s) => s.trim())
    .pipe(z.string().min(1, { message: "The draft cannot be empty." }).max(ARGUMENT_MAX_CHARS, { message: `A draft must be at most ${ARGUMENT_MAX_CHARS.toLocaleString("en")} characters.` })),
});

/** Publishing a team's draft to the debate (POST /api/debates/:id/teams/:teamId/drafts/:draftId/publish). */
export const publishTeamDraftSchema = z.object({ opId: opIdSchema, teamId: id("teamId"), draftId: id("draftId") });

/** A team as everyone sees it (members by name; drafts only counted). */
export interface TeamDTO {
  id: string;
  name: string;
  /** Null: either stance. */
  side: Stance | null;
  /** Empty: every proposition. */
  propositionIds: string[];
  /** Active members (removed participants are left out), by name. */
  members: { id: string; displayName: string }[];
  /** Drafts not yet published, and drafts published. */
  drafts: number;
  published: number;
}

/** An argument drafted in a team's space (seen by the team and the facilitators). */
export interface TeamDraftDTO {
  id: string;
  teamId: string;
  propositionId: string;
  stance: Stance;
  text: string;
  author: { id: string; displayName: string };
  createdAt: string;
  /** Null until a member publishes it; then the argument it became. */
  publishedAt: string | null;
  argumentId: string | null;
}

/** GET /api/debates/:id/teams: the teams, the asker's team, the drafts the asker may read, and (facilitators) the debaters in no team. */
export interface TeamsViewDTO {
  teams: TeamDTO[];
  myTeamId: string | null;
  drafts: TeamDraftDTO[];
  /** Facilitators only (empty for others): active debaters in no team. */
  unassigned: { id: string; displayName: string }[];
}
