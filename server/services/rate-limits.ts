/**
 * Rate limits, per participant for writes in a debate and per network address
 * for joining and creating debates, using rate-limiter-flexible: in-process
 * counters by default, or counters in Redis shared by every server node when
 * a Redis client is given (REDIS_URL; RateLimiterRedis with an in-memory
 * insurance limiter while Redis is unreachable). A debate may set its own
 * argument and vote rules (Debate.rateLimits, see ./debate-rate-limits.ts):
 * `consume(action, key, rule)` then uses a limiter for that rule.
 *
 * Defaults follow the spirit of Discourse's site settings (rate_limit_create_post:
 * one post per 5 s; likes far more often): arguments, edits and sources 5 per
 * 30 s (about one every 6 s, with a burst of 5); votes and ratings 20 per 2 s
 * (10 a second: faster than anyone clicks, slower than a script); joins 60 per
 * minute from one address (a class of 30 behind one school NAT joins at once)
 * and 20 new debates per hour from one address. Account actions are slow on
 * purpose, as OWASP's Authentication Cheat Sheet advises against password
 * guessing: 10 failed sign-ins per 5 minutes per address and per account from
 * browsers that never signed in to it, and separately 10 per 5 minutes per
 * browser that did (its device cookie: strangers cannot lock it out,
 * docs/decisions/0032-lockout-with-device-cookies.md); 5 sign-ups and 5
 * password-reset requests per hour per address.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { createClient } from "redis";
import { z } from "zod";
import { AppError, ErrorCode } from "../../app/shared/errors";

export const rateLimitedActions = ["argument", "vote", "join", "createDebate", "login", "loginAccount", "loginDevice", "signup", "passwordReset"] as const;
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
  /** Failed sign-ins per address, from browsers without a device cookie of the account. */
  login: { points: 10, durationSeconds: 300 },
  /** Failed sign-ins per account (`email:<address>`) from browsers without its device cookie; also wrong current passwords on the change-password page (`user:<id>`). */
  loginAccount: { points: 10, durationSeconds: 300 },
  /** Failed sign-ins per trusted browser (`device:<id>`): only its own failures count. */
  loginDevice: { points: 10, durationSeconds: 300 },
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
    .pipe(z.object({ argument: ruleSchema, vote: ruleSchema, join: ruleSchema, createDebate: ruleSchema, login: ruleSchema, loginAccount: ruleSchema, loginDevice: ruleSchema, signup: ruleSchema, passwordReset: ruleSchema }).partial().strict()),
]);

const WHAT: Record<RateLimitedAction, string> = {
  argument: "posting arguments",
  vote: "voting",
  join: "joining debates",
  createDebate: "creating debates",
  login: "trying to sign in",
  loginAccount: "trying to sign in",
  loginDevice: "trying to sign in",
  signup: "creating accounts",
  passwordReset: "asking for password resets",
};

/** Actions counted per network address (the key is an address; for sign-in also `email:<address>`), each with its sentence. */
const PER_ADDRESS: Partial<Record<RateLimitedAction, string>> = {
  join: "Too many people joined debates from your network address just now (everyone on it counts, e.g. a whole school).",
  createDebate: "Too many debates were started from your network address.",
  login: "Too many sign-in attempts came from your network address.",
  signup: "Too many accounts were created from your network address.",
  passwordReset: "Too many password resets were asked for from your network address.",
};

/** The catalogue id of rateLimitMessage's sentence (app/i18n/messages/en.ts `errors.rate.*`, with `{seconds}`). */
export function rateLimitMessageKey(action: RateLimitedAction, key: string): string {
  if (action === "loginAccount" && key.startsWith("user:")) return "errors.rate.wrongPasswords";
  if (action === "loginAccount" || action === "loginDevice") return `errors.rate.${action}`;
  if (PER_ADDRESS[action]) return `errors.rate.address.${action}`;
  return `errors.rate.${action}`;
}

/**
 * The sentence of a rate_limited error: per participant (arguments, votes), "faster than this
 * debate allows"; per network address, "from your network address"; failed sign-ins counted
 * per account (`email:…`), per trusted browser (`device:…`) or wrong current passwords (`user:…`) say so.
 * @param key what was counted: a participant id, an address, `email:<address>`, `device:<id>` or `user:<id>`.
 */
export function rateLimitMessage(action: RateLimitedAction, key: string, retryAfterSeconds: number): string {
  const retry = `Try again in ${retryAfterSeconds} s.`;
  if (action === "loginAccount" && key.startsWith("user:")) return `Too many wrong current passwords. ${retry}`;
  if (action === "loginAccount") return `Too many failed sign-ins to this account came from browsers it was never used in; a browser you have signed in with before still can. ${retry}`;
  if (action === "loginDevice") return `Too many failed sign-ins from this browser. ${retry}`;
  const perAddress = PER_ADDRESS[action];
  if (perAddress) return `${perAddress} ${retry}`;
  return `You are ${WHAT[action]} faster than this debate allows. ${retry}`;
}

/** A connected node-redis (v4+) client, e.g. `createClient({ url })` after `connect()`. */
export type RateLimitRedisClient = ReturnType<typeof createClient>;

export class RateLimits {
  private readonly config: RateLimitConfig | "off";
  private readonly redis: RateLimitRedisClient | undefined;
  /** One limiter per action and distinct rule (the server's, or a debate's own). */
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  /**
   * @param config rules per action, or "off" to allow everything (load tests, imports; debates' own rules too).
   * @param options.redis a connected node-redis client: counters then live in Redis, shared by every node.
   */
  constructor(config: RateLimitConfig | "off" = DEFAULT_RATE_LIMITS, options: { redis?: RateLimitRedisClient } = {}) {
    this.config = config;
    this.redis = options.redis;
  }

  /** Where the counters live: "redis" (shared by every server node) or "memory" (this process). */
  get store(): "redis" | "memory" {
    return this.redis ? "redis" : "memory";
  }

  private limiterFor(action: RateLimitedAction, rule: RateLimitRule): RateLimiterAbstract {
    const id = `${action}:${rule.points}/${rule.durationSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const keyPrefix = `steelman:rl:${id}`;
      const memory = new RateLimiterMemory({ keyPrefix, points: rule.points, duration: rule.durationSeconds });
      // useRedisPackage: node-redis v4+ calling conventions (rate-limiter-flexible's docs, "Redis");
      // while Redis is unreachable, this node counts in memory instead of waiting (rejectIfRedisNotReady + insuranceLimiter).
      limiter = this.redis
        ? new RateLimiterRedis({ storeClient: this.redis, useRedisPackage: true, rejectIfRedisNotReady: true, keyPrefix, points: rule.points, duration: rule.durationSeconds, insuranceLimiter: memory })
        : memory;
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  /**
   * Takes one point for `key` (a participant id or an address).
   * @param rule the debate's own rule for this action, overriding the server's (ignored when limits are "off").
   * @throws AppError rate_limited with `retryAfterSeconds` when the rule is exhausted.
   */
  async consume(action: RateLimitedAction, key: string, rule?: RateLimitRule | null): Promise<void> {
    if (this.config === "off") return;
    const limiter = this.limiterFor(action, rule ?? this.config[action]);
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new AppError(ErrorCode.rateLimited, rateLimitMessage(action, key, retryAfterSeconds), undefined, retryAfterSeconds).withMessageKey(rateLimitMessageKey(action, key), { seconds: retryAfterSeconds });
    }
  }

  /**
   * Gives back one point taken by `consume` (a sign-in attempt that succeeded: only failures count;
   * a vote whose operation id turned out to be applied already). `rule` as given to `consume`.
   * Never throws: a store that cannot be reached just keeps the point.
   */
  async reward(action: RateLimitedAction, key: string, rule?: RateLimitRule | null): Promise<void> {
    if (this.config === "off") return;
    await this.limiterFor(action, rule ?? this.config[action])
      .reward(key, 1)
      .catch(() => undefined);
  }

  /** Forgets every point of `key` (an account's lockout after its owner reset the password). Never throws. */
  async forget(action: RateLimitedAction, key: string): Promise<void> {
    if (this.config === "off") return;
    await this.limiterFor(action, this.config[action])
      .delete(key)
      .catch(() => undefined);
  }
}

/** Builds the rules from defaults and a parsed `RATE_LIMITS` value. */
export function rateLimitConfig(env: z.output<typeof rateLimitsEnvSchema> | undefined): RateLimitConfig | "off" {
  if (env === "off") return "off";
  return { ...DEFAULT_RATE_LIMITS, ...(env ?? {}) };
}
