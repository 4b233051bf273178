/**
 * The facilitator session cookie (`sm_session`): httpOnly, SameSite=Lax,
 * Secure in production (unless INSECURE_COOKIES=1, for plain-HTTP test
 * servers), path "/". It holds the random session token; the session itself
 * (and its 30-day sliding expiry) lives in PostgreSQL (server/services/accounts.ts).
 */
import { parse, serialize } from "cookie";
import { type AppLoadContext, redirect } from "react-router";
import { SESSION_COOKIE, type UserDTO } from "~/shared/accounts";

/**
 * The browser keeps the cookie for a year; the server ends the session after
 * 30 days without use (or at sign-out), so the cookie outlives it harmlessly.
 */
const COOKIE_MAX_AGE_SECONDS = 60 * 60 * 24 * 365;

const secure = () => process.env.NODE_ENV === "production" && process.env.INSECURE_COOKIES !== "1";

/** The session token from the request's cookies, if any. */
export function readSessionToken(request: Request): string | undefined {
  return parse(request.headers.get("cookie") ?? "")[SESSION_COOKIE];
}

/** A Set-Cookie header value storing the session token. */
export function sessionCookie(token: string): string {
  return serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: "lax", secure: secure(), path: "/", maxAge: COOKIE_MAX_AGE_SECONDS });
}

/** A Set-Cookie header value deleting the session cookie. */
export function clearedSessionCookie(): string {
  return serialize(SESSION_COOKIE, "", { httpOnly: true, sameSite: "lax", secure: secure(), path: "/", maxAge: 0, expires: new Date(0) });
}

/** The signed-in facilitator, or null. */
export function currentUser(context: AppLoadContext, request: Request): Promise<UserDTO | null> {
  return context.services.userFromSession(readSessionToken(request));
}

/** The path and query of the request, for `?next=` after signing in. */
export function pathOf(request: Request): string {
  const url = new URL(request.url);
  return `${url.pathname}${url.search}`;
}

/** The sign-in page, coming back to `next` (a path on this site) afterwards. */
export function signInPath(next: string): string {
  return `/login?next=${encodeURIComponent(next)}`;
}

/**
 * The signed-in facilitator; anyone else is redirected to /login?next=<this page>.
 * @throws a redirect Response.
 */
export async function requireUser(context: AppLoadContext, request: Request, next = pathOf(request)): Promise<UserDTO> {
  const user = await currentUser(context, request);
  if (!user) throw redirect(signInPath(next));
  return user;
}

/** This request's origin, e.g. "https://steelman.example", for absolute links: join links on the page, and links sent by mail (the service uses PUBLIC_URL instead when it is set). */
export function requestOrigin(request: Request): string {
  return new URL(request.url).origin;
}
