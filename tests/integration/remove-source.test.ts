/**
 * The removeSource operation, added as one entry of the operations table
 * (app/shared/operations.ts), one service function (server/services/arguments.ts)
 * and these tests: an author removes a source from their own argument over
 * socket.io or the JSON API; everyone sees the change; it runs once per opId.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { type ArgumentDTO, ServerEvent } from "../../app/shared/contract";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { ClientEvent } from "../../app/shared/operations";
import { api as callApi, facilitatorToken } from "../support/api-client";
import { seedArticle } from "../support/article";
import { connectParticipant, emitWithAck, nextEvent } from "../support/socket-client";
import { useTestServer } from "../support/test-server";

let facilitator: string;
const { server, sockets } = useTestServer({ serveApp: false, rateLimits: "off" });
beforeAll(async () => {
  facilitator = await facilitatorToken(server.url);
});
const api = (path: string, init?: Parameters<typeof callApi>[2]) => callApi(server.url, path, init);

/** A published debate, Alice and Bob joined, and Alice's argument with two sources. */
async function argumentWithSources() {
  const debate = (await api("/api/debates", { body: { sourceText: seedArticle, publish: true }, token: facilitator })).json;
  const alice = (await api(`/api/debates/${debate.id}/participants`, { body: { displayName: "Alice" } })).json;
  const bob = (await api(`/api/debates/${debate.id}/participants`, { body: { displayName: "Bob" } })).json;
  const sources = [
    { url: "https://example.org/one", title: "One" },
    { url: "https://example.org/two", title: "Two" },
  ];
  const posted = await api(`/api/debates/${debate.id}/arguments`, { body: { propositionId: debate.propositions[0].id, stance: "pro", body: plainTextToArgumentBody("Sourced."), sources }, token: alice.token });
  expect(posted.status).toBe(201);
  return { debate, alice, bob, argument: posted.json as ArgumentDTO };
}

describe("removeSource", () => {
  it("removes one source of the author's argument, broadcasts argument.updated, and answers a repeated opId without removing again", async () => {
    const { debate, alice, bob, argument } = await argumentWithSources();
    const a = await connectParticipant(server.url, debate.id, alice.token);
    const b = await connectParticipant(server.url, debate.id, bob.token);
    sockets.push(a.socket, b.socket);
    const seen = nextEvent(b.socket, ServerEvent.change, (c) => c.kind === "argument.updated" && c.data.id === argument.id);
    // By title: the two sources are created in one statement, so their creation times can be equal.
    const one = argument.sources.find((s) => s.title === "One")!;
    const payload = { opId: randomUUID(), argumentId: argument.id, sourceId: one.id };
    const reply = await emitWithAck<ArgumentDTO>(a.socket, ClientEvent.removeSource, payload);
    expect(reply.ok && reply.data.sources.map((s) => s.title)).toEqual(["Two"]);
    expect(reply.ok && reply.data.updatedAt > argument.updatedAt).toBe(true);
    const change = await seen;
    expect(change.kind === "argument.updated" && change.data.sources.map((s) => s.title)).toEqual(["Two"]);
    const again = await emitWithAck<ArgumentDTO>(a.socket, ClientEvent.removeSource, payload);
    expect(again).toEqual(reply);
    const stored = (await api(`/api/debates/${debate.id}`)).json.arguments.find((x: ArgumentDTO) => x.id === argument.id) as ArgumentDTO;
    expect(stored.sources.map((s) => s.title)).toEqual(["Two"]);
  });

  it("refuses someone else's argument, a source of another argument and a malformed id, with a sentence", async () => {
    const { debate, alice, bob, argument } = await argumentWithSources();
    const b = await connectParticipant(server.url, debate.id, bob.token);
    sockets.push(b.socket);
    const notMine = await emitWithAck(b.socket, ClientEvent.removeSource, { argumentId: argument.id, sourceId: argument.sources[0]!.id });
    expect(notMine).toMatchObject({ ok: false, error: { code: "forbidden", message: "You can only change your own arguments." } });
    const other = await api(`/api/debates/${debate.id}/arguments`, { body: { propositionId: debate.propositions[0].id, stance: "con", body: plainTextToArgumentBody("Unsourced.") }, token: alice.token });
    const wrong = await api(`/api/debates/${debate.id}/arguments/${other.json.id}/sources/${argument.sources[0]!.id}`, { method: "DELETE", body: {}, token: alice.token });
    expect(wrong.status).toBe(404);
    expect(wrong.json.error.message).toMatch(/That source was not found/);
    const malformed = await api(`/api/debates/${debate.id}/arguments/${argument.id}/sources/nope`, { method: "DELETE", body: {}, token: alice.token });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toMatchObject({ code: "validation_failed", field: "sourceId" });
  });

  it("works through the JSON API for the author", async () => {
    const { debate, alice, argument } = await argumentWithSources();
    const removed = await api(`/api/debates/${debate.id}/arguments/${argument.id}/sources/${argument.sources[1]!.id}`, { method: "DELETE", body: {}, token: alice.token });
    expect(removed.status).toBe(200);
    expect((removed.json as ArgumentDTO).sources.map((s) => s.title)).toEqual(["One"]);
  });
});
