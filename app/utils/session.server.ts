/**
 * The facilitator's cookies (docs/decisions/0030-public-url-hosts-and-cookies.md):
 * - the session cookie (`sm_session`, `__Host-sm_session` over https) holds
 *   the random session token; the session itself, with its idle and absolute
 *   limits, lives in PostgreSQL (server/services/accounts.ts);
 * - the device cookie (`sm_device`, `__Host-sm_device` over https) marks a
 *   browser that has signed in to an account before, so failed sign-ins by
 *   strangers do not lock it out (docs/decisions/0032-lockout-with-device-cookies.md).
 * Both httpOnly, SameSite=Lax, Path=/, and Secure whenever PUBLIC_URL is https
 * (context.site, server/site.ts), whatever NODE_ENV says.
 */
import { parse, serialize } from "cookie";
import { type AppLoadContext, redirect } from "react-router";
import { DEVICE_COOKIE, SESSION_COOKIE, type UserDTO } from "~/shared/accounts";

/** What the cookie helpers need from the load context. */
type CookieContext = Pick<AppLoadContext, "site">;

/** The session token from the request's cookies, if any (under this site's cookie name only). */
export function readSessionToken(context: CookieContext, request: Request): string | undefined {
  return parse(request.headers.get("cookie") ?? "")[context.site.cookieName(SESSION_COOKIE)];
}

/**
 * A Set-Cookie header value storing the session token until the session's
 * absolute end (`expiresAt`: the browser drops it when the server would refuse it).
 */
export function sessionCookie(context: CookieContext, token: string, absoluteExpiresAt: Date): string {
  const maxAge = Math.max(1, Math.floor((absoluteExpiresAt.getTime() - Date.now()) / 1000));
  return serialize(context.site.cookieName(SESSION_COOKIE), token, context.site.cookieOptions(maxAge));
}

/** A Set-Cookie header value deleting the session cookie. */
export function clearedSessionCookie(context: CookieContext): string {
  return serialize(context.site.cookieName(SESSION_COOKIE), "", context.site.cookieOptions(0));
}

/** The device token from the request's cookies, if any. */
export function readDeviceToken(context: CookieContext, request: Request): string | undefined {
  return parse(request.headers.get("cookie") ?? "")[context.site.cookieName(DEVICE_COOKIE)];
}

/** A Set-Cookie header value storing a device token until `expiresAt`. */
export function deviceCookie(context: CookieContext, token: string, expiresAt: Date): string {
  const maxAge = Math.max(1, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  return serialize(context.site.cookieName(DEVICE_COOKIE), token, context.site.cookieOptions(maxAge));
}

/** The Set-Cookie headers after a successful sign-in: the new session, and the device cookie when one was issued. */
export function signedInHeaders(context: CookieContext, started: { token: string; absoluteExpiresAt: Date; device?: { token: string; expiresAt: Date } | null }): Headers {
  const headers = new Headers();
  headers.append("Set-Cookie", sessionCookie(context, started.token, started.absoluteExpiresAt));
  if (started.device) headers.append("Set-Cookie", deviceCookie(context, started.device.token, started.device.expiresAt));
  return headers;
}

/** The signed-in facilitator, or null. */
export function currentUser(context: AppLoadContext, request: Request): Promise<UserDTO | null> {
  return context.services.userFromSession(readSessionToken(context, request));
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

/**
 * The origin for absolute links shown on a page (join links): PUBLIC_URL when
 * set, else the request's own origin (shown only to whoever asked; links that
 * leave the request, such as mail, use context.site.linkOrigin instead).
 */
export function pageOrigin(context: CookieContext, request: Request): string {
  return context.site.publicUrl?.origin ?? new URL(request.url).origin;
}
