/**
 * What of a big debate a client holds, for a catch-up that sends in full only the changes of those
 * parts and counts for the rest (issue 14, docs/decisions/0025-shared-catch-up-and-change-retention.md,
 * "Counts for parts not loaded"). Shared by the server (which filters the changes) and the browser
 * (which forgets what the catch-up no longer keeps current), so both apply the same rule. No zod here:
 * this module is in the debate page's first load (the schema is in ./contract.ts).
 */

/**
 * The parts a client declares it holds: propositions whose arguments it has read (a page of them),
 * and arguments read outside those propositions (a deep link and its ancestors). A reconnecting
 * client that declares nothing (a small debate sent whole, or more than the limits below) holds
 * everything and is sent every change, as before. Limits: HOLDS_MAX_PROPOSITIONS and HOLDS_MAX_ARGUMENTS
 * in ./contract.ts (kept there so that this module stays out of the page's first-load chunks).
 */
export interface CatchUpHolds {
  propositions: string[];
  arguments: string[];
}

/** The declared parts as sets, for `isHeld`. */
export interface HeldSets {
  propositions: ReadonlySet<string>;
  arguments: ReadonlySet<string>;
}

export const heldSets = (holds: CatchUpHolds): HeldSets => ({ propositions: new Set(holds.propositions), arguments: new Set(holds.arguments) });

/**
 * Whether an argument is in the parts `held`: its proposition is held, or it is a held argument,
 * or a direct reply to one (its parent's reply count and reply list are kept current).
 */
export function isHeld(held: HeldSets, a: { id: string; propositionId: string; parentId: string | null }): boolean {
  return held.propositions.has(a.propositionId) || held.arguments.has(a.id) || (a.parentId !== null && held.arguments.has(a.parentId));
}
