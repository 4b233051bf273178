/**
 * A debate's own argument and vote rules (Debate.rateLimits, set by its
 * facilitators on the settings page), looked up for every write that takes a
 * point (server/services/changes.ts runOnce). Reads are cached in this process
 * for a few seconds, so a vote storm does not add a query per vote; a change
 * made on this node is seen at once, one made on another node within
 * RULE_CACHE_MS.
 */
import { type DebateRateLimits, type DebateRateRule, debateRateLimitsSchema, DEBATE_RATE_LIMITED } from "../../app/shared/management";
import type { ServiceContext } from "./context";
import type { RateLimitedAction } from "./rate-limits";

/** How long a debate's rules are cached, in milliseconds. */
export const RULE_CACHE_MS = 5_000;
const MAX_CACHED = 10_000;

const rulesByDebate = new Map<string, { rules: DebateRateLimits; until: number }>();

/** Reads a stored Debate.rateLimits value; anything malformed counts as "no override". */
export function parseStoredRateLimits(value: unknown): DebateRateLimits {
  const parsed = debateRateLimitsSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : {};
}

/** Forgets the cached rules of a debate (after its facilitators changed them on this node). */
export function forgetDebateRateLimits(debateId: string): void {
  rulesByDebate.delete(debateId);
}

function remember<K, V>(map: Map<K, V>, key: K, value: V) {
  if (map.size >= MAX_CACHED) map.delete(map.keys().next().value as K);
  map.set(key, value);
}

/**
 * The debate's own rule for `action`, or null for the server's default (also for
 * actions a debate cannot override, e.g. "join").
 */
export async function debateRateRule(ctx: ServiceContext, action: RateLimitedAction, debateId: string): Promise<DebateRateRule | null> {
  if (!(DEBATE_RATE_LIMITED as readonly string[]).includes(action)) return null;
  const cached = rulesByDebate.get(debateId);
  let rules = cached && cached.until > Date.now() ? cached.rules : null;
  if (!rules) {
    const row = await ctx.db.debate.findUnique({ where: { id: debateId }, select: { rateLimits: true } });
    rules = parseStoredRateLimits(row?.rateLimits);
    remember(rulesByDebate, debateId, { rules, until: Date.now() + RULE_CACHE_MS });
  }
  return rules[action as keyof DebateRateLimits] ?? null;
}
