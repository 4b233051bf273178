/**
 * Rate limits, per participant for writes in a debate and per network address
 * for joining and creating debates, using rate-limiter-flexible (in-process
 * token buckets; several server nodes each count their own share).
 *
 * Defaults follow the spirit of Discourse's site settings (rate_limit_create_post:
 * one post per 5 s; likes far more often): arguments, edits and sources 5 per
 * 30 s (about one every 6 s, with a burst of 5); votes and ratings 20 per 2 s
 * (10 a second: faster than anyone clicks, slower than a script); joins 60 per
 * minute from one address (a class of 30 behind one school NAT joins at once)
 * and 20 new debates per hour from one address. Account actions are slow on
 * purpose, as OWASP's Authentication Cheat Sheet advises against password
 * guessing: 10 sign-in attempts per 5 minutes per address and per email,
 * 5 sign-ups and 5 password-reset requests per hour per address.
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { z } from "zod";
import { AppError, ErrorCode } from "../../app/shared/errors";

export const rateLimitedActions = ["argument", "vote", "join", "createDebate", "login", "signup", "passwordReset"] as const;
export type RateLimitedAction = (typeof rateLimitedActions)[number];

export interface RateLimitRule {
  /** How many actions are allowed… */
  points: number;
  /** …within this many seconds. */
  durationSeconds: number;
}
export type RateLimitConfig = Record<RateLimitedAction, RateLimitRule>;

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  argument: { points: 5, durationSeconds: 30 },
  vote: { points: 20, durationSeconds: 2 },
  join: { points: 60, durationSeconds: 60 },
  createDebate: { points: 20, durationSeconds: 3_600 },
  login: { points: 10, durationSeconds: 300 },
  signup: { points: 5, durationSeconds: 3_600 },
  passwordReset: { points: 5, durationSeconds: 3_600 },
};

const ruleSchema = z.object({ points: z.number().int().min(1).max(1_000_000), durationSeconds: z.number().int().min(1).max(86_400) });
/** `RATE_LIMITS` environment value: "off", or JSON overriding some rules, e.g. `{"vote":{"points":5,"durationSeconds":1}}`. */
export const rateLimitsEnvSchema = z.union([
  z.literal("off"),
  z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: 'RATE_LIMITS must be "off" or JSON like {"vote":{"points":20,"durationSeconds":2}}' });
        return z.NEVER;
      }
    })
    .pipe(z.object({ argument: ruleSchema, vote: ruleSchema, join: ruleSchema, createDebate: ruleSchema, login: ruleSchema, signup: ruleSchema, passwordReset: ruleSchema }).partial().strict()),
]);

const WHAT: Record<RateLimitedAction, string> = {
  argument: "posting arguments",
  vote: "voting",
  join: "joining debates",
  createDebate: "creating debates",
  login: "trying to sign in",
  signup: "creating accounts",
  passwordReset: "asking for password resets",
};

export class RateLimits {
  private readonly limiters: Map<RateLimitedAction, RateLimiterMemory>;

  /** @param config rules per action, or "off" to allow everything (load tests, imports). */
  constructor(config: RateLimitConfig | "off" = DEFAULT_RATE_LIMITS) {
    this.limiters = new Map(
      config === "off" ? [] : rateLimitedActions.map((a) => [a, new RateLimiterMemory({ keyPrefix: a, points: config[a].points, duration: config[a].durationSeconds })] as const),
    );
  }

  /**
   * Takes one point for `key` (a participant id or an address).
   * @throws AppError rate_limited with `retryAfterSeconds` when the rule is exhausted.
   */
  async consume(action: RateLimitedAction, key: string): Promise<void> {
    const limiter = this.limiters.get(action);
    if (!limiter) return;
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new AppError(ErrorCode.rateLimited, `You are ${WHAT[action]} faster than this debate allows. Try again in ${retryAfterSeconds} s.`, undefined, retryAfterSeconds);
    }
  }
}

/** Builds the rules from defaults and a parsed `RATE_LIMITS` value. */
export function rateLimitConfig(env: z.output<typeof rateLimitsEnvSchema> | undefined): RateLimitConfig | "off" {
  if (env === "off") return "off";
  return { ...DEFAULT_RATE_LIMITS, ...(env ?? {}) };
}
