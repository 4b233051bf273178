/**
 * The team rules that posting reads (docs/decisions/0073-teams.md): a team with a side takes only
 * arguments of that stance, one with propositions only arguments on those. Apart from
 * ./teams.ts so that ./arguments.ts can use them without an import cycle.
 */
import type { CurrentParticipant, Stance } from "../../app/shared/contract";
import { forbidden } from "../../app/shared/errors";
import { isFacilitatorRole } from "../../app/shared/permissions";
import { SIDE_TEXT } from "../../app/shared/teams";
import type { Db, Tx } from "../db";

/**
 * Why a team refuses an argument of `stance` on `propositionId`, or null when it takes it.
 * @param team the team's side and propositions (empty: all).
 */
export function teamRefusal(team: { name: string; side: Stance | null; propositionIds: string[] }, propositionId: string, stance: Stance): string | null {
  if (team.side && team.side !== stance) return `Your team “${team.name}” argues ${SIDE_TEXT[team.side].toLowerCase()}: its arguments must be “${SIDE_TEXT[team.side]}”.`;
  if (team.propositionIds.length && !team.propositionIds.includes(propositionId)) return `Your team “${team.name}” works on other propositions: choose one of your team's.`;
  return null;
}

/**
 * The team rule for a participant posting a top-level argument directly (server/services/arguments.ts
 * postArgument): a debater in a team with a side or propositions may post only within them.
 * Facilitators are not held to a team. @throws forbidden with the reason.
 */
export async function requireTeamAllowsPost(db: Db | Tx, actor: CurrentParticipant, propositionId: string, stance: Stance): Promise<void> {
  if (isFacilitatorRole(actor.role)) return;
  const row = await db.participant.findUnique({ where: { id: actor.id }, select: { team: { select: { name: true, side: true, propositionIds: true } } } });
  const reason = row?.team ? teamRefusal(row.team, propositionId, stance) : null;
  if (reason) throw forbidden(reason);
}
