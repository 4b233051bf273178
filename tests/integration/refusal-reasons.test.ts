/**
 * Refusals that say why (server/services/accounts.ts whyNoActor), in the request's language:
 * [R1] a participant a facilitator removed who comes back with their old token is told they were
 *      removed (401, `errors.participant.removed`) by the JSON API and over the socket, not asked to
 *      "join the debate"; a stranger still is;
 * [R2] a request with no credentials for a debate's audit log (or another facilitators' route) is asked
 *      to sign in as the debate's facilitator (401); a signed-in account that does not run the debate
 *      is refused (403); a debater gets the role refusal (403).
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { translate } from "../../app/i18n/catalogues.server";
import { ErrorCode } from "../../app/shared/errors";
import { ClientEvent } from "../../app/shared/operations";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { api, publishedDebateWith, randomAccount } from "../support/api-client";
import { seedArticle } from "../support/article";
import { connectParticipant, emitWithAck } from "../support/socket-client";
import { useTestServer } from "../support/test-server";

const { server, sockets } = useTestServer({ serveApp: false, rateLimits: "off" });

/** A JSON request with an Accept-Language header. */
async function request(path: string, language: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { "Content-Type": "application/json", "Accept-Language": language, ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, error: ((await res.json()) as { error: { code: string; message: string } }).error };
}

describe("refusals that say why", () => {
  it("[R1] tells a removed participant they were removed, over HTTP and the socket, in their language", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Removed Rae", "Staying Sam"]);
    const [rae] = participants;
    const removed = await api(server.url, `/api/debates/${debate.id}/participants/${rae!.id}`, { method: "DELETE", token: debate.hostToken });
    expect(removed.status).toBe(200);

    const argument = { propositionId: debate.propositions[0]!.id, stance: "pro", body: plainTextToArgumentBody("Back again.") };
    for (const language of ["en", "de", "fr", "es"] as const) {
      const answer = await request(`/api/debates/${debate.id}/arguments`, language, { body: argument, token: rae!.token });
      expect(answer).toEqual({ status: 401, error: { code: ErrorCode.unauthenticated, message: translate(language, "errors.participant.removed") } });
    }
    expect((await request(`/api/debates/${debate.id}/arguments`, "en", { body: argument, token: rae!.token })).error.message).toBe("A facilitator removed you from this debate. You can no longer take part in it.");
    // A stranger (no token, or one of another debate) is still asked to join.
    expect((await request(`/api/debates/${debate.id}/arguments`, "en", { body: argument })).error).toEqual({ code: ErrorCode.unauthenticated, message: "Join the debate with a display name first." });

    // The socket: the old token still opens the public debate (to read), and a write says why it is refused.
    const { socket } = await connectParticipant(server.url, debate.id, rae!.token);
    sockets.push(socket);
    const vote = await emitWithAck(socket, ClientEvent.castVote, { opId: randomUUID(), propositionId: debate.propositions[0]!.id, value: "agree" });
    expect(vote).toEqual({ ok: false, error: { code: ErrorCode.unauthenticated, message: "A facilitator removed you from this debate. You can no longer take part in it." } });
    const { socket: stranger } = await connectParticipant(server.url, debate.id);
    sockets.push(stranger);
    const strangerVote = await emitWithAck(stranger, ClientEvent.castVote, { opId: randomUUID(), propositionId: debate.propositions[0]!.id, value: "agree" });
    expect(strangerVote).toEqual({ ok: false, error: { code: ErrorCode.unauthenticated, message: "Join the debate with a display name first." } });
  });

  it("[R2] asks an anonymous request for the audit log to sign in as the debate's facilitator (401)", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Debater Dee"]);
    for (const path of [`/api/debates/${debate.id}/audit`, `/api/debates/${debate.id}/audit.csv`, `/api/debates/${debate.id}/reports`, `/api/debates/${debate.id}/settings`, `/api/debates/${debate.id}/participants`]) {
      for (const language of ["en", "de", "fr", "es"] as const) {
        expect(await request(path, language), `${path} ${language}`).toEqual({ status: 401, error: { code: ErrorCode.unauthenticated, message: translate(language, "errors.facilitatorSignIn") } });
      }
    }
    expect((await request(`/api/debates/${debate.id}/audit`, "en")).error.message).toBe(
      "Only this debate's facilitators can do this: sign in with a facilitator account that runs it (send your session cookie, or an API token as Authorization: Bearer smk_…; see docs/api.md).",
    );
    expect((await request(`/api/debates/${debate.id}/audit`, "de")).error.message).toMatch(/^Nur die Moderation dieser Debatte kann das tun: Melden Sie sich/);

    // Signed in, but with an account that does not run this debate: 403, naming the account.
    const other = await api(server.url, "/api/accounts", { body: randomAccount("Other Olga") });
    expect(other.status).toBe(201);
    expect(await request(`/api/debates/${debate.id}/audit`, "en", { token: other.json.apiToken })).toEqual({
      status: 403,
      error: { code: ErrorCode.forbidden, message: "You are signed in as Other Olga, but that account does not run this debate: only its host and facilitators can do this." },
    });
    expect((await request(`/api/debates/${debate.id}/audit`, "fr", { token: other.json.apiToken })).error.message).toBe(translate("fr", "errors.notThisDebatesFacilitator", { name: "Other Olga" }));
    // A debater: the role refusal, as before; the host reads it.
    expect((await request(`/api/debates/${debate.id}/audit`, "en", { token: participants[0]!.token })).status).toBe(403);
    expect((await api(server.url, `/api/debates/${debate.id}/audit`, { token: debate.hostToken })).status).toBe(200);
  });
});
