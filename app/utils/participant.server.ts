/**
 * The participant cookie: one httpOnly cookie per debate holding the
 * participant's secret token (SameSite=Lax; Secure and `__Host-` when
 * PUBLIC_URL is https, see server/site.ts), and who a page request acts as in
 * a debate (that cookie, or the facilitator's session).
 */
import { parse, serialize } from "cookie";
import type { AppLoadContext } from "react-router";
import { participantCookieName } from "~/shared/contract";
import { readSessionToken } from "./session.server";

/** How long a browser keeps a participant's cookie: 180 days. */
const PARTICIPANT_COOKIE_MAX_AGE_SECONDS = 60 * 60 * 24 * 180;

/** Reads the participant token for a debate from the request's cookies. */
export function readParticipantToken(context: Pick<AppLoadContext, "site">, request: Request, debateId: string): string | undefined {
  return parse(request.headers.get("cookie") ?? "")[context.site.cookieName(participantCookieName(debateId))];
}

/** A Set-Cookie header value storing `token` for the debate for 180 days. */
export function participantCookie(context: Pick<AppLoadContext, "site">, debateId: string, token: string): string {
  return serialize(context.site.cookieName(participantCookieName(debateId)), token, context.site.cookieOptions(PARTICIPANT_COOKIE_MAX_AGE_SECONDS));
}

/**
 * Who the request acts as in this debate, or null: the participant its
 * participant cookie identifies or, failing that, the host or co-host
 * participant of the facilitator signed in with the session cookie.
 */
export function currentParticipant(context: AppLoadContext, request: Request, debateId: string) {
  return context.services.findActor(debateId, credentialsOf(context, request, debateId));
}

/**
 * Whether the request's participant cookie (or the facilitator's session) is that of someone a
 * facilitator removed from this debate: currentParticipant answers null for them, as for a visitor,
 * but they are told they were removed rather than invited to join.
 */
export function removedFromDebate(context: AppLoadContext, request: Request, debateId: string): Promise<boolean> {
  return context.services.wasRemoved(debateId, credentialsOf(context, request, debateId));
}

/**
 * The refusal for a request currentParticipant found nobody for (services.whyNoActor): removed from the
 * debate; on a facilitators' page (`facilitatorOnly`) sign in as one, or not this account; otherwise join first.
 */
export function whyNoParticipant(context: AppLoadContext, request: Request, debateId: string, options?: { facilitatorOnly?: boolean }) {
  return context.services.whyNoActor(debateId, credentialsOf(context, request, debateId), options);
}

const credentialsOf = (context: AppLoadContext, request: Request, debateId: string) => ({ participantToken: readParticipantToken(context, request, debateId), sessionToken: readSessionToken(context, request) });
