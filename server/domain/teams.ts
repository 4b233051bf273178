/**
 * Splitting a class into small groups (docs/decisions/0073-teams.md), without I/O.
 *
 * - `balancedSplit`: a random, balanced split of participants into teams: the participants are
 *   shuffled (Fisher–Yates, Durstenfeld's in-place variant, with the given random source) and dealt
 *   round-robin, so team sizes differ by at most one, and the larger teams are the ones that
 *   were smallest before the split (ties: the team listed first).
 * - `smallestTeam`: where a late joiner goes: the team with the fewest members, ties broken by
 *   the order the teams are listed in (oldest first).
 */
import type { RandomSource } from "./seeded-random";

/**
 * Shuffles a copy of `items` (Fisher–Yates).
 * @param random a source of floats in [0, 1) (Math.random, or server/domain/seeded-random.ts for tests).
 */
export function shuffled<T>(items: readonly T[], random: RandomSource): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * A random balanced split: every participant in exactly one team, sizes differing by at most one.
 * @param participantIds who is split (each once).
 * @param teamIds the teams, oldest first (at least one).
 * @returns team id → the participant ids it gets, for every team (possibly empty when there are more teams than people).
 * @throws Error when `teamIds` is empty (a programming error: the service creates teams first).
 */
export function balancedSplit(participantIds: readonly string[], teamIds: readonly string[], random: RandomSource): Map<string, string[]> {
  if (teamIds.length === 0) throw new Error("balancedSplit needs at least one team.");
  const result = new Map<string, string[]>(teamIds.map((id) => [id, []]));
  shuffled(participantIds, random).forEach((participantId, i) => result.get(teamIds[i % teamIds.length]!)!.push(participantId));
  return result;
}

/**
 * The team a late joiner goes to: the one with the fewest members; among equals, the first listed.
 * @param teams the teams with their current member counts, oldest first.
 * @returns its id, or null when there are no teams.
 */
export function smallestTeam(teams: readonly { id: string; size: number }[]): string | null {
  let best: { id: string; size: number } | null = null;
  for (const team of teams) if (!best || team.size < best.size) best = team;
  return best?.id ?? null;
}
