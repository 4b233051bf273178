/**
 * Facilitator accounts on the wire: zod schemas for sign-up, sign-in, password
 * reset and API tokens (used by the JSON API, the account pages and
 * server/services/accounts.ts alike), the shapes sent back, and the names of
 * the session cookie and the API-token prefix.
 */
import { z } from "./zod";
import { type DebateStatus, displayNameSchema, type ParticipantRole, plainLine } from "./contract";

/** NIST SP 800-63B and ASVS 5 6.2.1: at least 8 characters… */
export const PASSWORD_MIN_CHARS = 8;
/** …and at least 64 allowed (ASVS 5 6.2.9); 200 keeps hashing cheap. */
export const PASSWORD_MAX_CHARS = 200;
export const EMAIL_MAX_CHARS = 254;
export const API_TOKEN_NAME_MAX_CHARS = 60;

/** The httpOnly cookie holding a signed-in browser's session token (`__Host-sm_session` over https, server/site.ts). */
export const SESSION_COOKIE = "sm_session";
/**
 * The httpOnly cookie marking a browser that has signed in to an account
 * before: its failed sign-ins are counted on their own, so strangers cannot
 * lock it out (docs/decisions/0032-lockout-with-device-cookies.md).
 */
export const DEVICE_COOKIE = "sm_device";
/**
 * Every API token starts with this, so a token is recognisable in logs and
 * secret scanners and is never mistaken for a participant token (those are
 * 43 bare base64url characters).
 */
export const API_TOKEN_PREFIX = "smk_";
/** Whether a Bearer token is a facilitator API token (rather than a participant token). */
export const isApiToken = (token: string): boolean => token.startsWith(API_TOKEN_PREFIX);

/**
 * The English sentences of the account schemas and checks below; the server names each with its
 * catalogue message (server/services/accounts.ts ACCOUNT_MESSAGE_KEYS) so replies come in the
 * request's language.
 */
export const ACCOUNT_TEXTS = {
  emailRequired: "The email address is required.",
  emailTooLong: `The email address must be at most ${EMAIL_MAX_CHARS} characters.`,
  emailInvalid: "That does not look like an email address (name@example.org).",
  passwordRequired: "The password is required.",
  passwordTooShort: `The password must be at least ${PASSWORD_MIN_CHARS} characters long.`,
  passwordTooLong: `The password must be at most ${PASSWORD_MAX_CHARS} characters long.`,
  passwordIsEmail: "The password cannot be your email address.",
  currentPasswordRequired: "Enter your current password.",
  currentPasswordWrong: "The current password is wrong.",
  tokenNameEmpty: "Give the token a name, such as “grading script”.",
} as const;

/** An email address: trimmed, lower-cased, at most 254 characters (RFC 5321). */
export const emailSchema = z
  .string({ message: ACCOUNT_TEXTS.emailRequired })
  .trim()
  .toLowerCase()
  .pipe(
    z
      .string()
      .min(1, { message: ACCOUNT_TEXTS.emailRequired })
      .max(EMAIL_MAX_CHARS, { message: ACCOUNT_TEXTS.emailTooLong })
      .pipe(z.email({ message: ACCOUNT_TEXTS.emailInvalid })),
  );

/**
 * What the browser and every door can check of a new password without the
 * common-password list (which stays on the server, server/services/passwords.ts):
 * its length (NIST SP 800-63B: at least 8, at least 64 allowed; here up to 200)
 * and that it is not the email address. No composition rules.
 * @returns why it is refused, or null.
 */
export function passwordShapeProblem(password: string, email?: string): string | null {
  if (password.length < PASSWORD_MIN_CHARS) return ACCOUNT_TEXTS.passwordTooShort;
  if (password.length > PASSWORD_MAX_CHARS) return ACCOUNT_TEXTS.passwordTooLong;
  if (email) {
    const folded = password.trim().toLowerCase();
    const address = email.trim().toLowerCase();
    if (folded === address || folded === address.split("@")[0]) return ACCOUNT_TEXTS.passwordIsEmail;
  }
  return null;
}

const newPasswordSchema = z.string({ message: ACCOUNT_TEXTS.passwordRequired });

/** `POST /api/accounts` body and the sign-up form. */
export const signUpSchema = z
  .object({ email: emailSchema, password: newPasswordSchema, displayName: displayNameSchema })
  .superRefine((v, ctx) => {
    const problem = passwordShapeProblem(v.password, v.email);
    if (problem) ctx.addIssue({ code: "custom", message: problem, path: ["password"] });
  });

/** The sign-in form. Anything wrong with it is answered like a wrong password. */
export const signInSchema = z.object({
  // No control characters: no address has them, and PostgreSQL refuses U+0000 in a lookup.
  email: z.string().trim().toLowerCase().max(EMAIL_MAX_CHARS).regex(/^[^\u0000-\u001f\u007f-\u009f]*$/),
  password: z.string().max(PASSWORD_MAX_CHARS),
});

/** The "forgot password" form. */
export const passwordResetRequestSchema = z.object({ email: emailSchema });

/** The "choose a new password" form (the token comes from the link). */
export const passwordResetSchema = z.object({ password: newPasswordSchema });

/** The change-password form: the current password proves it is the owner (ASVS 5 6.2.3). */
export const passwordChangeSchema = z.object({
  currentPassword: z
    .string({ message: ACCOUNT_TEXTS.currentPasswordRequired })
    .min(1, { message: ACCOUNT_TEXTS.currentPasswordRequired })
    .max(PASSWORD_MAX_CHARS, { message: ACCOUNT_TEXTS.currentPasswordWrong }),
  newPassword: newPasswordSchema,
});

/** A name for an API token, e.g. "grading script". */
export const apiTokenNameSchema = z.object({
  name: plainLine("The token name", API_TOKEN_NAME_MAX_CHARS, ACCOUNT_TEXTS.tokenNameEmpty),
});

/** Changing one's display name on the account page. */
export const updateAccountSchema = z.object({ displayName: displayNameSchema });

// ---------------------------------------------------------------- outputs
export interface UserDTO {
  id: string;
  email: string;
  displayName: string;
}
export interface ApiTokenDTO {
  id: string;
  name: string;
  /** The first characters of the token, to recognise it (e.g. "smk_Ab3dE6gH"). */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}
/** A debate on the account page: one the user created or co-hosts. */
export interface MyDebateDTO {
  id: string;
  title: string;
  status: DebateStatus;
  role: Extract<ParticipantRole, "host" | "facilitator">;
  createdAt: string;
  url: string;
  editUrl: string;
}

/**
 * Where to go after signing in: `next` when it is a path on this site
 * ("/…", not "//…" or "/\…", which browsers read as another host), else `fallback`.
 * The path comes back percent-encoded (printable ASCII), fit for a Location header.
 */
export function safeNextPath(next: unknown, fallback = "/"): string {
  if (typeof next !== "string" || next.length > 2_000) return fallback;
  if (!next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return fallback;
  if (/[\u0000-\u001f\u007f]/.test(next)) return fallback;
  // Re-read as a URL on a placeholder origin: the path, query and fragment come back percent-encoded
  // (a Location header carries only ASCII; "/🔥" would fail the response) and still on this site.
  const base = "http://steelman.invalid";
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  // Dot segments are resolved by the re-reading: "/.//evil.example" or "/%2e%2e//evil.example" come back as
  // "//evil.example", which a browser reads as another host. Checked again on the result.
  if (url.pathname.startsWith("//")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
