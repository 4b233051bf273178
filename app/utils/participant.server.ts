/**
 * The participant cookie: one httpOnly cookie per debate holding the
 * participant's secret token (SameSite=Lax; Secure in production), and who
 * a page request acts as in a debate (that cookie, or the facilitator's session).
 */
import { parse, serialize } from "cookie";
import type { AppLoadContext } from "react-router";
import { participantCookieName } from "~/shared/contract";
import { readSessionToken } from "./session.server";

/** Reads the participant token for a debate from the request's cookies. */
export function readParticipantToken(request: Request, debateId: string): string | undefined {
  return parse(request.headers.get("cookie") ?? "")[participantCookieName(debateId)];
}

/** A Set-Cookie header value storing `token` for the debate for 180 days. */
export function participantCookie(debateId: string, token: string): string {
  return serialize(participantCookieName(debateId), token, {
    httpOnly: true,
    sameSite: "lax",
    secure: process.env.NODE_ENV === "production" && process.env.INSECURE_COOKIES !== "1",
    path: "/",
    maxAge: 60 * 60 * 24 * 180,
  });
}

/**
 * Who the request acts as in this debate, or null: the participant its
 * participant cookie identifies or, failing that, the host or co-host
 * participant of the facilitator signed in with the session cookie.
 */
export function currentParticipant(context: AppLoadContext, request: Request, debateId: string) {
  return context.services.findActor(debateId, { participantToken: readParticipantToken(request, debateId), sessionToken: readSessionToken(request) });
}
