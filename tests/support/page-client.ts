/**
 * Web page form actions and loaders, called over HTTP as the browser does
 * (needs the built app: `npm run build`, and a server started with serveApp).
 *
 * A form action is posted to the route's single-fetch endpoint (`<path>.data`),
 * the request React Router's own <Form> sends, with the same-origin `Origin`
 * header the app's CSRF guard wants; its answer (turbo-stream encoded) is
 * decoded with React Router's own decoder, so a test reads exactly what the
 * action returned: `{ data: { ok: true, … } }`, `{ data: { error: { code, message } } }`
 * or a redirect `{ redirect, status }`.
 */
import { UNSAFE_decodeViaTurboStream as decodeViaTurboStream } from "react-router";
import { participantCookieName } from "../../app/shared/contract";

/** `Cookie` header value carrying a participant's token for one debate. */
export const participantCookie = (debateId: string, token: string) => `${participantCookieName(debateId)}=${token}`;

/** What a page form action answered. */
export interface PageActionReply {
  /** HTTP status of the single-fetch reply (200 for an action that returned data, even an error). */
  status: number;
  /** The action's returned data, when it returned data. */
  data?: Record<string, unknown>;
  /** Where it redirected, when it redirected. */
  redirect?: string;
  /** The raw body, when it was not a single-fetch reply (e.g. the CSRF guard's 403 text). */
  text?: string;
}

/**
 * Posts a form (application/x-www-form-urlencoded) to the page at `path`
 * (e.g. `/debates/<id>/settings`), as its own origin would.
 * @param cookie a Cookie header value (participant or session cookie), or none.
 */
export async function postPageAction(baseUrl: string, path: string, fields: Record<string, string>, cookie?: string): Promise<PageActionReply> {
  const res = await fetch(`${baseUrl}${path}.data`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
  if (!(res.headers.get("content-type") ?? "").startsWith("text/x-script") || !res.body) return { status: res.status, text: await res.text() };
  const decoded = await decodeViaTurboStream(res.body, globalThis as unknown as Window);
  await decoded.done;
  const value = decoded.value as { data?: Record<string, unknown>; redirect?: string };
  return { status: res.status, data: value.data, redirect: value.redirect };
}

/**
 * Posts a form to the page at `path` itself (not `.data`), as a browser
 * without JavaScript sends it: same origin, urlencoded; redirects are not
 * followed, so a test reads the 302 and its Set-Cookie.
 * @param cookie a Cookie header value, or none.
 */
export function postForm(baseUrl: string, path: string, fields: Record<string, string>, cookie?: string): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
}

/** GETs a page (the HTML document), redirects not followed. */
export function getPage(baseUrl: string, path: string, cookie?: string): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { redirect: "manual", headers: cookie ? { cookie } : {} });
}
