/**
 * Facilitator accounts: sign-up, sign-in and sign-out with server-side
 * sessions, password reset by a one-time link, per-user API tokens for
 * scripts, and the resolution of a request's credentials to the participant
 * it acts as in a debate (docs/decisions/0010-facilitator-accounts.md).
 *
 * Passwords are hashed with argon2id through @node-rs/argon2 (Rust's
 * `argon2` crate) with the parameters OWASP's Password Storage Cheat Sheet
 * gives as its first choice — m = 19 MiB (19456 KiB), t = 2 iterations,
 * p = 1 — which are also that library's defaults; the PHC string stores
 * them, so raising them later keeps old hashes verifiable.
 *
 * Session tokens, API tokens, reset tokens and device tokens are 256 random
 * bits; only their SHA-256 is stored (like participant tokens,
 * server/services/tokens.ts), so a database dump cannot be replayed.
 *
 * Issue 20 (docs/decisions/0032-lockout-with-device-cookies.md,
 * 0034-passwords-and-credentials.md): sessions end after 14 idle days and at
 * the latest 30 days after sign-in; failed sign-ins are counted per browser
 * that signed in before (device cookie) apart from everyone else, so a
 * stranger cannot lock the owner out; new passwords are checked against
 * common and breached ones (./passwords.ts); a password reset or change ends
 * every session, API token, trusted browser and host link of the account, and
 * a mail says so.
 */
import { randomBytes } from "node:crypto";
import { type Algorithm, hash, verify } from "@node-rs/argon2";
import {
  ACCOUNT_TEXTS,
  API_TOKEN_PREFIX,
  API_TOKEN_NAME_MAX_CHARS,
  EMAIL_MAX_CHARS,
  PASSWORD_MAX_CHARS,
  PASSWORD_MIN_CHARS,
  type ApiTokenDTO,
  apiTokenNameSchema,
  isApiToken,
  type MyDebateDTO,
  passwordChangeSchema,
  passwordResetRequestSchema,
  passwordResetSchema,
  signInSchema,
  signUpSchema,
  updateAccountSchema,
  type UserDTO,
} from "../../app/shared/accounts";
import { isUuid, LIMITS } from "../../app/shared/contract";
import { AppError, conflict, ErrorCode, isAppError, notFound, removedFromDebate, unauthenticated, validationError } from "../../app/shared/errors";
import { translate } from "../../app/i18n/catalogues.server";
import type { Locale } from "../../app/i18n/locales";
import type { MessageKey } from "../../app/i18n/messages/en";
import { currentRequestLocale } from "../../app/i18n/request-locale.server";
import { log } from "../log";
import { isUniqueViolation } from "../db";
import type { ServiceContext } from "./context";
import { debateEditPath, debatePath } from "./debates";
import { LogMailer } from "./mailer";
import type { CurrentParticipant } from "../../app/shared/contract";
import { findParticipant, findParticipantOfUser, isRemovedParticipantToken, isRemovedUser } from "./participants";
import { describePasswordProblem } from "./passwords";
import type { RateLimitedAction } from "./rate-limits";
import { Site } from "../site";
import { hashToken } from "./tokens";
import { parseInput } from "./validate";

/** argon2id (the library's enum is a const enum, which isolated modules cannot read). */
const ARGON2ID = 2 as Algorithm;
/** OWASP Password Storage Cheat Sheet, argon2id first option: 19 MiB, 2 iterations, 1 lane. */
export const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const DAY_MS = 24 * 60 * 60 * 1000;
/** A session ends 14 days after its last use (inactivity timeout, ASVS 5 7.3.1)… */
export const SESSION_IDLE_TTL_MS = 14 * DAY_MS;
/** …and at the latest 30 days after sign-in, however much it is used (absolute lifetime, ASVS 5 7.3.2; NIST SP 800-63B AAL1). */
export const SESSION_ABSOLUTE_TTL_MS = 30 * DAY_MS;
/** A session's use is written down at most once an hour (not on every request). */
export const SESSION_TOUCH_INTERVAL_MS = 60 * 60 * 1000;
/** A browser stays trusted for an account (device cookie) for 180 days after it last signed in. */
export const TRUSTED_DEVICE_TTL_MS = 180 * DAY_MS;
/** Trusted browsers kept per account; the oldest go first. */
export const TRUSTED_DEVICES_MAX = 20;
/** A password-reset link works once, within an hour. */
export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;
/** An API token's "last used" is written at most once a minute. */
const API_TOKEN_TOUCH_INTERVAL_MS = 60 * 1000;
/** Live (unrevoked) API tokens one account may hold. */
export const API_TOKENS_MAX = 50;

const WRONG_CREDENTIALS = "The email or password is wrong.";
export const SIGN_IN_REQUIRED = "Sign in as a facilitator first: send your session cookie, or an API token as Authorization: Bearer smk_… (see docs/api.md).";
/** Said (401) to a request with no credentials for what only a debate's facilitators may do or read (its audit log, settings…). */
export const FACILITATOR_SIGN_IN_REQUIRED = "Only this debate's facilitators can do this: sign in with a facilitator account that runs it (send your session cookie, or an API token as Authorization: Bearer smk_…; see docs/api.md).";

/**
 * A hash of a random password nobody knows, checked when the email is unknown
 * so that a wrong email costs as long as a wrong password (no timing oracle
 * for which accounts exist). Started at import, awaited on first use.
 */
const dummyHash = hash(randomBytes(32).toString("base64url"), ARGON2_OPTIONS);
dummyHash.catch(() => {});

/**
 * The catalogue message (app/i18n/messages/en.ts `auth.*`, `account.*`) of each English sentence the
 * account schemas give (app/shared/accounts.ts ACCOUNT_TEXTS, and the display-name and token-name
 * lines of app/shared/contract.ts plainLine), so error replies come in the request's language.
 */
type NamedMessage = { key: MessageKey; values?: Record<string, number> };
export const ACCOUNT_MESSAGE_KEYS: ReadonlyMap<string, NamedMessage> = new Map<string, NamedMessage>([
  [ACCOUNT_TEXTS.emailRequired, { key: "auth.error.emailRequired" }],
  [ACCOUNT_TEXTS.emailTooLong, { key: "auth.error.emailTooLong", values: { max: EMAIL_MAX_CHARS } }],
  [ACCOUNT_TEXTS.emailInvalid, { key: "auth.error.emailInvalid" }],
  [ACCOUNT_TEXTS.passwordRequired, { key: "auth.error.passwordRequired" }],
  [ACCOUNT_TEXTS.passwordTooShort, { key: "auth.error.passwordTooShort", values: { min: PASSWORD_MIN_CHARS } }],
  [ACCOUNT_TEXTS.passwordTooLong, { key: "auth.error.passwordTooLong", values: { max: PASSWORD_MAX_CHARS } }],
  [ACCOUNT_TEXTS.passwordIsEmail, { key: "auth.error.passwordIsEmail" }],
  [ACCOUNT_TEXTS.currentPasswordRequired, { key: "auth.error.currentPasswordRequired" }],
  [ACCOUNT_TEXTS.currentPasswordWrong, { key: "auth.error.currentPasswordWrong" }],
  [ACCOUNT_TEXTS.tokenNameEmpty, { key: "account.error.tokenNameEmpty" }],
  [`The token name must be at most ${API_TOKEN_NAME_MAX_CHARS} characters.`, { key: "account.error.tokenNameTooLong", values: { max: API_TOKEN_NAME_MAX_CHARS } }],
  ["The display name cannot be empty.", { key: "auth.error.displayNameEmpty" }],
  [`The display name must be at most ${LIMITS.displayNameMaxChars.toLocaleString("en")} characters.`, { key: "auth.error.displayNameTooLong", values: { max: LIMITS.displayNameMaxChars } }],
  ["The display name contains control characters or line separators.", { key: "auth.error.displayNameControl" }],
  ["The display name must contain visible letters, digits or symbols.", { key: "auth.error.displayNameInvisible" }],
]);

/** `error` with its catalogue message named, when its sentence is one of ACCOUNT_MESSAGE_KEYS. */
function withAccountMessageKey(error: AppError): AppError {
  const named = ACCOUNT_MESSAGE_KEYS.get(error.message);
  return named && !error.messageKey ? error.withMessageKey(named.key, named.values) : error;
}

/** parseInput for the account schemas, its refusal named in the catalogues (withAccountMessageKey). */
function parseAccountInput<S extends Parameters<typeof parseInput>[0]>(schema: S, input: unknown): ReturnType<typeof parseInput<S>> {
  try {
    return parseInput(schema, input);
  } catch (error) {
    throw isAppError(error) ? withAccountMessageKey(error) : error;
  }
}

/** A validation error for a refused new password (describePasswordProblem), named in the catalogues, or null. */
function refusedPassword(password: string, owner: { email: string; displayName: string }, field: string): AppError | null {
  const problem = describePasswordProblem(password, owner);
  if (!problem) return null;
  const error = validationError(problem.message, field);
  return problem.tooEasy
    ? error.withMessageKey("auth.error.passwordTooEasy", { warning: problem.tooEasy.warning ?? "other", suggestion: problem.tooEasy.suggestion ?? "other" })
    : withAccountMessageKey(error);
}

const newSecret = () => randomBytes(32).toString("base64url");
const toUserDTO = (u: { id: string; email: string; displayName: string }): UserDTO => ({ id: u.id, email: u.email, displayName: u.displayName });

/** Client details stored with a session. */
export interface ClientInfo {
  /** Network address, for rate limits. */
  address?: string;
  /** User-Agent header, kept with the session (at most 300 characters). */
  userAgent?: string | null;
  /** The `sm_device` cookie: this browser signed in to an account before. */
  deviceToken?: string | null;
}

/** A device cookie to set: the browser is trusted for the account until `expiresAt`. */
export interface IssuedDevice {
  token: string;
  expiresAt: Date;
}

/** A new session: the token goes into the `sm_session` cookie, never anywhere else. */
export interface StartedSession {
  user: UserDTO;
  token: string;
  /** When it ends if unused (moves on with use, never past absoluteExpiresAt). */
  expiresAt: Date;
  /** When it ends whatever happens: the cookie's own end. */
  absoluteExpiresAt: Date;
  /** A new device cookie for this browser, when it proved the password. */
  device?: IssuedDevice | null;
}

const EMAIL_TAKEN = "An account with this email address already exists. Sign in, or reset your password if you forgot it.";

/**
 * Creates a facilitator account.
 * @param input `{ email, password, displayName }`: email trimmed and lower-cased; password 8–200
 *   characters, not the email, not common or predictable (./passwords.ts).
 * @param address client address, for the "signup" rate limit (5 an hour per address by default).
 * @throws AppError validation_failed (field named), conflict (email taken), rate_limited.
 */
export async function signUp(ctx: ServiceContext, input: unknown, address = "unknown"): Promise<UserDTO> {
  const data = parseAccountInput(signUpSchema, input);
  await ctx.limits.consume("signup", `ip:${address}`);
  // A taken email is said at once (sign-up tells it anyway, 0010), before the costly checks below.
  if (await ctx.db.user.findUnique({ where: { email: data.email }, select: { id: true } })) throw new AppError(ErrorCode.conflict, EMAIL_TAKEN, "email").withMessageKey("auth.error.emailTaken");
  // After the rate limit: the common-password check costs milliseconds of CPU (tens on a busy machine).
  const refused = refusedPassword(data.password, { email: data.email, displayName: data.displayName }, "password");
  if (refused) throw refused;
  const passwordHash = await hash(data.password, ARGON2_OPTIONS);
  try {
    const user = await ctx.db.user.create({ data: { email: data.email, displayName: data.displayName, passwordHash } });
    return toUserDTO(user);
  } catch (error) {
    // Taken between the check above and now.
    if (isUniqueViolation(error)) throw new AppError(ErrorCode.conflict, EMAIL_TAKEN, "email").withMessageKey("auth.error.emailTaken");
    throw error;
  }
}

/** Starts a session for a user who has just proven who they are (sign-up, sign-in, password change). */
export async function startSession(ctx: ServiceContext, user: UserDTO, userAgent?: string | null): Promise<StartedSession> {
  const token = newSecret();
  const now = Date.now();
  const expiresAt = new Date(now + SESSION_IDLE_TTL_MS);
  await ctx.db.session.create({ data: { userId: user.id, tokenHash: hashToken(token), userAgent: userAgent?.slice(0, 300) ?? null, createdAt: new Date(now), lastUsedAt: new Date(now), expiresAt } });
  return { user, token, expiresAt, absoluteExpiresAt: new Date(now + SESSION_ABSOLUTE_TTL_MS) };
}

/** The trusted-browser row a device token names for this user, or null (unknown, another account's, expired). */
async function findTrustedDevice(ctx: ServiceContext, userId: string, deviceToken: string | null | undefined) {
  if (!deviceToken || deviceToken.length > 200) return null;
  const row = await ctx.db.trustedDevice.findUnique({ where: { tokenHash: hashToken(deviceToken) } });
  return row && row.userId === userId && row.expiresAt.getTime() > Date.now() ? row : null;
}

/**
 * Marks this browser as trusted for the account (it has just proven the
 * password): a new device token, replacing the one it came with. Keeps at
 * most TRUSTED_DEVICES_MAX per account and drops expired ones.
 */
export async function trustDevice(ctx: ServiceContext, userId: string, previousToken?: string | null): Promise<IssuedDevice> {
  const token = newSecret();
  const now = Date.now();
  const expiresAt = new Date(now + TRUSTED_DEVICE_TTL_MS);
  if (previousToken && previousToken.length <= 200) await ctx.db.trustedDevice.deleteMany({ where: { tokenHash: hashToken(previousToken), userId } });
  await ctx.db.trustedDevice.create({ data: { userId, tokenHash: hashToken(token), createdAt: new Date(now), expiresAt } });
  const stale = await ctx.db.trustedDevice.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, skip: TRUSTED_DEVICES_MAX, select: { id: true } });
  await ctx.db.trustedDevice.deleteMany({ where: { OR: [{ userId, expiresAt: { lte: new Date(now) } }, { id: { in: stale.map((d) => d.id) } }] } });
  return { token, expiresAt };
}

/** A rate-limit rule and the key counted under it. */
type LimitKey = [RateLimitedAction, string];

/**
 * Takes one point of each rule, in order; when one refuses, gives back those
 * already taken (an attempt refused for going too fast was never checked).
 * @throws AppError rate_limited.
 */
async function consumeAll(ctx: ServiceContext, keys: LimitKey[]): Promise<void> {
  const taken: LimitKey[] = [];
  try {
    for (const [action, key] of keys) {
      await ctx.limits.consume(action, key);
      taken.push([action, key]);
    }
  } catch (error) {
    await Promise.all(taken.map(([action, key]) => ctx.limits.reward(action, key)));
    throw error;
  }
}

/**
 * Checks an email and password and starts a session. Every failure — unknown
 * email, wrong password, malformed input — gives the same message and takes
 * about as long (an unknown email is checked against a dummy hash).
 *
 * Failed attempts are counted so that guessing is slow, but a stranger cannot
 * lock the owner out (OWASP's "device cookie" approach,
 * docs/decisions/0032-lockout-with-device-cookies.md): from a browser holding
 * the account's device cookie, only that browser's failures count
 * ("loginDevice"); from any other browser, failures count per address
 * ("login") and per account ("loginAccount"), and when the account's run out
 * only its trusted browsers can still sign in. Each attempt takes its points
 * before the password is checked (so parallel guesses cannot outrun the
 * count) and gives them back when it succeeds: only failures count.
 * @returns the session, and a new device cookie for this browser.
 * @throws AppError unauthenticated ("The email or password is wrong."), rate_limited.
 */
export async function signIn(ctx: ServiceContext, input: unknown, client: ClientInfo = {}): Promise<StartedSession> {
  const parsed = signInSchema.safeParse(input);
  const email = parsed.success ? parsed.data.email : "";
  const password = parsed.success ? parsed.data.password : "";
  const user = email ? await ctx.db.user.findUnique({ where: { email } }) : null;
  const device = user ? await findTrustedDevice(ctx, user.id, client.deviceToken) : null;
  const keys: LimitKey[] = device ? [["loginDevice", `device:${device.id}`]] : [["login", `ip:${client.address ?? "unknown"}`]];
  if (!device && email) keys.push(["loginAccount", `email:${email}`]);
  await consumeAll(ctx, keys);
  let ok = false;
  try {
    ok = await verify(user?.passwordHash ?? (await dummyHash), password || " ");
  } catch (error) {
    log.error("password verification failed", error);
  }
  if (!user || !ok) throw unauthenticated(WRONG_CREDENTIALS).withMessageKey("auth.error.wrongCredentials");
  await Promise.all(keys.map(([action, key]) => ctx.limits.reward(action, key)));
  const session = await startSession(ctx, toUserDTO(user), client.userAgent);
  return { ...session, device: await trustDevice(ctx, user.id, device ? client.deviceToken : null) };
}

/**
 * The user a session token belongs to, or null (missing, unknown, idle for
 * 14 days, or signed in more than 30 days ago). Moves the idle end on
 * (never past the absolute one), writing at most once an hour.
 */
export async function userFromSession(ctx: ServiceContext, token: string | null | undefined): Promise<UserDTO | null> {
  if (!token || token.length > 200) return null;
  const session = await ctx.db.session.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!session) return null;
  const now = Date.now();
  const absoluteEnd = session.createdAt.getTime() + SESSION_ABSOLUTE_TTL_MS;
  if (session.expiresAt.getTime() <= now || absoluteEnd <= now) {
    await ctx.db.session.deleteMany({ where: { id: session.id } });
    return null;
  }
  if (now - session.lastUsedAt.getTime() >= SESSION_TOUCH_INTERVAL_MS) {
    const expiresAt = new Date(Math.min(now + SESSION_IDLE_TTL_MS, absoluteEnd));
    await ctx.db.session.updateMany({ where: { id: session.id }, data: { lastUsedAt: new Date(now), expiresAt } });
  }
  return toUserDTO(session.user);
}

/** Ends one session (sign out in this browser). Unknown tokens are ignored. */
export async function signOut(ctx: ServiceContext, token: string | null | undefined): Promise<void> {
  if (!token || token.length > 200) return;
  await ctx.db.session.deleteMany({ where: { tokenHash: hashToken(token) } });
}

/** Ends every session of the user (all browsers). API tokens are not affected. @returns how many ended. */
export async function signOutEverywhere(ctx: ServiceContext, userId: string): Promise<number> {
  return (await ctx.db.session.deleteMany({ where: { userId } })).count;
}

/** Where links in mail point: PUBLIC_URL, else the address the server listens on (server/site.ts), never the request. */
const linkOrigin = (ctx: ServiceContext) => (ctx.site ?? new Site()).linkOrigin;

/**
 * Sends a one-time reset link if an account has this email. The answer is the
 * same whether or not it exists: the lookup, the token and the mail happen
 * after the caller has been answered, so neither the reply nor its timing tells.
 * The link's origin is the site's (PUBLIC_URL, else the listening address):
 * nothing in the request (Host, Origin, X-Forwarded-Host) can point it elsewhere.
 * @param input `{ email }`.
 * @returns a promise of the background work (tests await it; callers need not).
 * @throws AppError validation_failed (not an email address), rate_limited ("passwordReset", per address).
 */
export async function requestPasswordReset(ctx: ServiceContext, input: unknown, client: ClientInfo = {}): Promise<{ sent: Promise<void> }> {
  const { email } = parseAccountInput(passwordResetRequestSchema, input);
  // The mail goes out in the language of the request that asked for it (read now: it is sent after the answer).
  const locale = currentRequestLocale();
  await ctx.limits.consume("passwordReset", `ip:${client.address ?? "unknown"}`);
  const base = linkOrigin(ctx);
  const mailer = ctx.mailer ?? new LogMailer();
  const sent = (async () => {
    const user = await ctx.db.user.findUnique({ where: { email } });
    if (!user) return;
    const token = newSecret();
    // Both times from one clock reading, so a link lives exactly PASSWORD_RESET_TTL_MS.
    const now = Date.now();
    await ctx.db.passwordReset.create({ data: { userId: user.id, tokenHash: hashToken(token), createdAt: new Date(now), expiresAt: new Date(now + PASSWORD_RESET_TTL_MS) } });
    await mailer.send({
      to: user.email,
      subject: translate(locale, "reset.mail.subject"),
      text: translate(locale, "reset.mail.body", { name: user.displayName, link: `${base}/reset-password/${token}` }),
    });
  })().catch((error) => log.error("password reset mail failed", error));
  return { sent };
}

const RESET_LINK_DEAD = "This reset link has expired or was already used. Ask for a new one on the “Forgot your password?” page.";
const linkDead = () => validationError(RESET_LINK_DEAD).withMessageKey("reset.error.linkDead");

/** Whether a reset token is still usable (for the page, before asking for a new password). */
export async function passwordResetIsValid(ctx: ServiceContext, token: string): Promise<boolean> {
  if (!token || token.length > 200) return false;
  const row = await ctx.db.passwordReset.findUnique({ where: { tokenHash: hashToken(token) } });
  return !!row && !row.usedAt && row.expiresAt.getTime() > Date.now();
}

/** What a password reset or change ended. */
export interface EndedCredentials {
  sessions: number;
  apiTokens: number;
  /** Participants of the account (host, co-host, debater) whose participant token — the host link — was replaced. */
  hostLinks: number;
  trustedBrowsers: number;
}

/** Told to a live connection whose participant token was replaced. */
export const CREDENTIALS_ENDED_MESSAGE = "The password of this facilitator account was changed, which ended this connection. Sign in again to take part.";

type Tx = Parameters<Parameters<ServiceContext["db"]["$transaction"]>[0]>[0];

/**
 * Sets a new password hash and ends every credential of the account, inside
 * the caller's transaction: all sessions, all API tokens (revoked), all
 * trusted browsers, all open reset links, and the participant token of every
 * participant linked to the account (Participant.userId: the host of each
 * debate it created, co-hosts, debaters it joined as) — the "host link" a
 * script got as `hostToken` or a browser keeps in its `sm_<debate>` cookie.
 * Those get a new token hash nobody holds (SHA-256 of a fresh random UUID, in
 * SQL); the account still reaches them by signing in again (findActor).
 * @returns what ended, and the participants whose live connections must be closed after commit.
 */
async function replacePasswordEndingCredentials(tx: Tx, userId: string, passwordHash: string, now: Date): Promise<{ ended: EndedCredentials; participantIds: string[] }> {
  await tx.user.update({ where: { id: userId }, data: { passwordHash } });
  await tx.passwordReset.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
  const sessions = (await tx.session.deleteMany({ where: { userId } })).count;
  const apiTokens = (await tx.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } })).count;
  const trustedBrowsers = (await tx.trustedDevice.deleteMany({ where: { userId } })).count;
  const replaced = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "Participant" SET "tokenHash" = encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex')
    WHERE "userId" = ${userId}::uuid RETURNING id`;
  return { ended: { sessions, apiTokens, hostLinks: replaced.length, trustedBrowsers }, participantIds: replaced.map((r) => r.id) };
}

/** After commit: closes the live connections of the account's participants, on every node. */
function disconnectReplacedParticipants(ctx: ServiceContext, participantIds: string[]): void {
  for (const id of participantIds) ctx.publisher.disconnectParticipant(id, { code: ErrorCode.unauthenticated, message: CREDENTIALS_ENDED_MESSAGE });
}

const tokenNotFound = () => notFound("That API token").withMessageKey("account.error.tokenNotFound");

/**
 * Tells the account by mail that its password changed and what that ended
 * (ASVS 5 6.3.7), with the way back if it was not them. Failures are logged, never thrown.
 */
async function mailPasswordChanged(ctx: ServiceContext, user: UserDTO, how: "reset" | "change", ended: EndedCredentials, locale: Locale): Promise<void> {
  const mailer = ctx.mailer ?? new LogMailer();
  const base = linkOrigin(ctx);
  const when = new Date().toISOString().replace("T", " ").slice(0, 16) + " UTC";
  const text = translate(locale, "reset.changedMail.body", {
    name: user.displayName,
    email: user.email,
    how,
    when,
    sessions: how === "reset" ? ended.sessions : Math.max(0, ended.sessions - 1),
    apiTokens: ended.apiTokens,
    hostLinks: ended.hostLinks,
    link: `${base}/forgot-password`,
  });
  await mailer.send({ to: user.email, subject: translate(locale, "reset.changedMail.subject"), text }).catch((error) => log.error("password-changed mail failed", error));
}

/**
 * Sets a new password with a reset token, uses the token up, and ends every
 * credential of the account (sessions, API tokens, trusted browsers, other
 * reset links, host links); lifts the account's sign-in lockout (its owner
 * just proved the mailbox) and mails a notice.
 * @param input `{ password }` (same rules as sign-up).
 * @throws AppError validation_failed (dead link, or the password is refused).
 */
export async function resetPassword(ctx: ServiceContext, token: string, input: unknown): Promise<UserDTO & { ended: EndedCredentials }> {
  const { password } = parseAccountInput(passwordResetSchema, input);
  const locale = currentRequestLocale();
  if (!token || token.length > 200) throw linkDead();
  const row = await ctx.db.passwordReset.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!row || row.usedAt || row.expiresAt.getTime() <= Date.now()) throw linkDead();
  const refused = refusedPassword(password, { email: row.user.email, displayName: row.user.displayName }, "password");
  if (refused) throw refused;
  const passwordHash = await hash(password, ARGON2_OPTIONS);
  const result = await ctx.db.$transaction(async (tx) => {
    const now = new Date();
    // Claimed with a condition, so two submissions of one link cannot both succeed.
    const claimed = await tx.passwordReset.updateMany({ where: { id: row.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (claimed.count !== 1) throw linkDead();
    return replacePasswordEndingCredentials(tx, row.userId, passwordHash, now);
  });
  disconnectReplacedParticipants(ctx, result.participantIds);
  await ctx.limits.forget("loginAccount", `email:${row.user.email}`);
  const user = toUserDTO(row.user);
  await mailPasswordChanged(ctx, user, "reset", result.ended, locale);
  return { ...user, ended: result.ended };
}

/**
 * Changes the password of a signed-in facilitator who knows the current one
 * (ASVS 5 6.2.2, 6.2.3), ends every credential of the account as a reset does,
 * mails a notice, and starts a fresh session (and device cookie) for this
 * browser so it stays signed in. Wrong current passwords count against
 * "loginAccount" under `user:<id>` (10 per 5 minutes).
 * @param input `{ currentPassword, newPassword }`.
 * @throws AppError validation_failed (field currentPassword or newPassword), rate_limited.
 */
export async function changePassword(ctx: ServiceContext, userId: string, input: unknown, client: ClientInfo = {}): Promise<StartedSession & { ended: EndedCredentials }> {
  const { currentPassword, newPassword } = parseAccountInput(passwordChangeSchema, input);
  const locale = currentRequestLocale();
  const user = await ctx.db.user.findUnique({ where: { id: userId } });
  if (!user) throw unauthenticated(SIGN_IN_REQUIRED);
  const key: LimitKey = ["loginAccount", `user:${userId}`];
  await consumeAll(ctx, [key]);
  let ok = false;
  try {
    ok = await verify(user.passwordHash, currentPassword);
  } catch (error) {
    log.error("password verification failed", error);
  }
  if (!ok) throw validationError(ACCOUNT_TEXTS.currentPasswordWrong, "currentPassword").withMessageKey("auth.error.currentPasswordWrong");
  await ctx.limits.reward(...key);
  if (newPassword === currentPassword) throw validationError("The new password is the same as the current one. Choose another.", "newPassword").withMessageKey("auth.error.samePassword");
  const refused = refusedPassword(newPassword, { email: user.email, displayName: user.displayName }, "newPassword");
  if (refused) throw refused;
  const passwordHash = await hash(newPassword, ARGON2_OPTIONS);
  const result = await ctx.db.$transaction((tx) => replacePasswordEndingCredentials(tx, userId, passwordHash, new Date()));
  disconnectReplacedParticipants(ctx, result.participantIds);
  const dto = toUserDTO(user);
  await mailPasswordChanged(ctx, dto, "change", result.ended, locale);
  const session = await startSession(ctx, dto, client.userAgent);
  return { ...session, device: await trustDevice(ctx, userId), ended: result.ended };
}

/**
 * Changes the account's display name (shown in the header; new debates use it for the host).
 * @throws AppError validation_failed.
 */
export async function updateAccount(ctx: ServiceContext, userId: string, input: unknown): Promise<UserDTO> {
  const { displayName } = parseAccountInput(updateAccountSchema, input);
  return toUserDTO(await ctx.db.user.update({ where: { id: userId }, data: { displayName } }));
}

const toApiTokenDTO = (t: { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null }): ApiTokenDTO => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
});

/**
 * Creates an API token for scripts: `smk_` + 43 base64url characters. The
 * token itself is returned only here; the list shows its first 12 characters.
 * @param input `{ name }` (1–60 characters).
 * @throws AppError validation_failed, conflict (already 50 live tokens).
 */
export async function createApiToken(ctx: ServiceContext, userId: string, input: unknown): Promise<{ token: string; apiToken: ApiTokenDTO }> {
  const { name } = parseAccountInput(apiTokenNameSchema, input);
  const live = await ctx.db.apiToken.count({ where: { userId, revokedAt: null } });
  if (live >= API_TOKENS_MAX) throw conflict(`An account can have at most ${API_TOKENS_MAX} API tokens. Revoke one you no longer use first.`).withMessageKey("account.error.tokenLimit", { max: API_TOKENS_MAX });
  const token = `${API_TOKEN_PREFIX}${newSecret()}`;
  const row = await ctx.db.apiToken.create({ data: { userId, name, tokenHash: hashToken(token), prefix: token.slice(0, 12) } });
  return { token, apiToken: toApiTokenDTO(row) };
}

/** The user's live API tokens, newest first. */
export async function listApiTokens(ctx: ServiceContext, userId: string): Promise<ApiTokenDTO[]> {
  const rows = await ctx.db.apiToken.findMany({ where: { userId, revokedAt: null }, orderBy: { createdAt: "desc" } });
  return rows.map(toApiTokenDTO);
}

/**
 * Revokes one of the user's own API tokens; it stops working at once.
 * @throws AppError not_found (no such live token of this user).
 */
export async function revokeApiToken(ctx: ServiceContext, userId: string, tokenId: string): Promise<void> {
  if (!isUuid(tokenId)) throw tokenNotFound();
  const { count } = await ctx.db.apiToken.updateMany({ where: { id: tokenId, userId, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count === 0) throw tokenNotFound();
}

/** The user an API token belongs to, or null (unknown, revoked, malformed). Records its use at most once a minute. */
export async function userFromApiToken(ctx: ServiceContext, token: string | null | undefined): Promise<UserDTO | null> {
  if (!token || token.length > 200 || !isApiToken(token)) return null;
  const row = await ctx.db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!row || row.revokedAt) return null;
  const now = Date.now();
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() >= API_TOKEN_TOUCH_INTERVAL_MS) {
    await ctx.db.apiToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } });
  }
  return toUserDTO(row.user);
}

/** What a request may carry to say who it is. */
export interface Credentials {
  /** A participant token (Bearer header, handshake auth, or the sm_<debateId> cookie). An `smk_` value here is read as an API token. */
  participantToken?: string | null;
  /** The `sm_session` cookie. */
  sessionToken?: string | null;
  /** An `smk_` API token (Bearer header). */
  apiToken?: string | null;
}

/**
 * The facilitator account behind an API token or a session, in that order.
 * @returns null when neither identifies a user.
 */
export async function findUser(ctx: ServiceContext, credentials: Pick<Credentials, "sessionToken" | "apiToken">): Promise<UserDTO | null> {
  if (credentials.apiToken) return userFromApiToken(ctx, credentials.apiToken);
  return userFromSession(ctx, credentials.sessionToken);
}

/**
 * Like findUser, but nobody signed in is an error.
 * @throws AppError unauthenticated (with how to sign in).
 */
export async function requireUser(ctx: ServiceContext, credentials: Pick<Credentials, "sessionToken" | "apiToken">): Promise<UserDTO> {
  const user = await findUser(ctx, credentials);
  if (!user) throw unauthenticated(SIGN_IN_REQUIRED);
  return user;
}

/**
 * Who a request acts as in a debate: the participant its participant token
 * belongs to; else the participant (not removed) linked to the facilitator
 * account behind its API token or session. Nothing the client merely claims
 * (a name, an id) is trusted.
 * @returns null when nothing identifies a participant of this debate.
 */
export async function findActor(ctx: ServiceContext, debateId: string, credentials: Credentials): Promise<CurrentParticipant | null> {
  let { participantToken, apiToken } = credentials;
  if (participantToken && isApiToken(participantToken)) [participantToken, apiToken] = [null, apiToken ?? participantToken];
  if (participantToken) {
    const participant = await findParticipant(ctx, debateId, participantToken);
    if (participant) return participant;
  }
  const user = await findUser(ctx, { apiToken, sessionToken: credentials.sessionToken });
  return user ? findParticipantOfUser(ctx, debateId, user.id) : null;
}

/**
 * Whether these credentials are those of someone a facilitator removed from this debate: their
 * participant token, or the account their participant there was linked to (findActor answers
 * null for them, as for a stranger).
 */
export async function wasRemoved(ctx: ServiceContext, debateId: string, credentials: Credentials): Promise<boolean> {
  let { participantToken, apiToken } = credentials;
  if (participantToken && isApiToken(participantToken)) [participantToken, apiToken] = [null, apiToken ?? participantToken];
  if (participantToken && (await isRemovedParticipantToken(ctx, debateId, participantToken))) return true;
  if (!apiToken && !credentials.sessionToken) return false;
  const user = await findUser(ctx, { apiToken, sessionToken: credentials.sessionToken });
  return !!user && (await isRemovedUser(ctx, debateId, user.id));
}

/**
 * Why `findActor` found nobody for these credentials, as the error to answer with:
 * someone a facilitator removed from this debate is told so (401, `errors.participant.removed`,
 * see wasRemoved); otherwise, where only the debate's facilitators may act (`facilitatorOnly`),
 * a request without an account is asked to sign in as one (401) and a signed-in account that
 * does not run the debate is refused (403); anywhere else, "join first" (401).
 * @param options.facilitatorOnly the request was for a facilitators' action or read (moderation, audit log, settings).
 */
export async function whyNoActor(ctx: ServiceContext, debateId: string, credentials: Credentials, options: { facilitatorOnly?: boolean } = {}): Promise<AppError> {
  if (await wasRemoved(ctx, debateId, credentials)) return removedFromDebate();
  if (!options.facilitatorOnly) return unauthenticated();
  const { participantToken } = credentials;
  // An `smk_` value sent as the participant token is an API token (as in findActor).
  const apiToken = credentials.apiToken ?? (participantToken && isApiToken(participantToken) ? participantToken : null);
  const user = await findUser(ctx, { apiToken, sessionToken: credentials.sessionToken });
  if (!user) return unauthenticated(FACILITATOR_SIGN_IN_REQUIRED).withMessageKey("errors.facilitatorSignIn");
  return new AppError(ErrorCode.forbidden, `You are signed in as ${user.displayName}, but that account does not run this debate: only its host and facilitators can do this.`).withMessageKey("errors.notThisDebatesFacilitator", { name: user.displayName });
}

/**
 * Debates the user created or co-hosts (not removed), newest first, at most 200.
 */
export async function listMyDebates(ctx: ServiceContext, userId: string): Promise<MyDebateDTO[]> {
  const rows = await ctx.db.debate.findMany({
    where: { OR: [{ createdById: userId }, { participants: { some: { userId, role: { in: ["host", "facilitator"] }, removedAt: null } } }] },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: { id: true, title: true, status: true, createdAt: true, createdById: true, participants: { where: { userId }, select: { role: true, removedAt: true } } },
  });
  return rows.map((d) => {
    const mine = d.participants.find((p) => !p.removedAt && (p.role === "host" || p.role === "facilitator"));
    return {
      id: d.id,
      title: d.title,
      status: d.status,
      role: mine?.role === "facilitator" && d.createdById !== userId ? "facilitator" : "host",
      createdAt: d.createdAt.toISOString(),
      url: debatePath(d.id),
      editUrl: debateEditPath(d.id),
    };
  });
}
