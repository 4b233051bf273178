/**
 * The teams' limits and words without zod (docs/decisions/0073-teams.md), so that the debate page's
 * first load carries no validation library (issue 21); app/shared/teams.ts re-exports them.
 */
import type { Stance } from "../generated/prisma/enums";

export const TEAM_LIMITS = {
  /** Most teams per debate. */
  teams: 30,
  nameMaxChars: 60,
  /** Most propositions a team may be given. */
  propositions: 50,
  /** Teams a random split makes when the debate has none yet. */
  defaultRandomCount: 2,
} as const;

/** Words for a side. */
export const SIDE_TEXT: Record<Stance, string> = { pro: "For", con: "Against" };
