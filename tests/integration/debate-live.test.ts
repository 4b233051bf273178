/**
 * The main path against a real PostgreSQL and a real server: create a debate
 * from the seed article through the JSON API, join two participants, post
 * arguments and nested rebuttals and votes over socket.io, read them back.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type ArgumentDTO, type DebateDTO, ServerEvent, type VoteTalliedPayload } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { useTestServer } from "../support/test-server";
import { api as callApi, facilitatorToken } from "../support/api-client";
import { seedArticle } from "../support/article";
import { connectParticipant, emitWithAck, nextEvent } from "../support/socket-client";

/** A facilitator's API token: creating a debate needs an account. */
let facilitator: string;

const { server, sockets } = useTestServer({ serveApp: false, rateLimits: "off" });
beforeAll(async () => {
  facilitator = await facilitatorToken(server.url);
});

/** The shared JSON client (tests/support/api-client.ts), bound to this test's server. */
const api = (path: string, init?: Parameters<typeof callApi>[2]) => callApi(server.url, path, init);

async function publishedDebate() {
  const created = await api("/api/debates", { body: { sourceText: seedArticle, publish: true }, token: facilitator });
  expect(created.status).toBe(201);
  const alice = await api(`/api/debates/${created.json.id}/participants`, { body: { displayName: "Alice" } });
  const bob = await api(`/api/debates/${created.json.id}/participants`, { body: { displayName: "Bob" } });
  return { debate: created.json, alice: alice.json, bob: bob.json };
}

describe("POST /api/debates", () => {
  it("creates a debate from the seed article with propositions anchored to the Hot Take section", async () => {
    const { status, json } = await api("/api/debates", { body: { title: "AI race", sourceText: seedArticle }, token: facilitator });
    expect(status).toBe(201);
    expect(json.url).toBe(`/debates/${json.id}`);
    expect(json.status).toBe("draft");
    expect(json.thesis.heading).toMatch(/Hot Take/);
    // The claim scorer's draft (ADR 0040): at least five, at most one per 120 words of the section, capped at 25.
    expect(json.propositions.length).toBeGreaterThanOrEqual(5);
    expect(json.propositions.length).toBeLessThanOrEqual(25);
    for (const p of json.propositions) {
      expect(seedArticle.slice(p.sourceSpan.start, p.sourceSpan.end)).toBe(p.text);
      expect(p.sourceSpan.start).toBeGreaterThanOrEqual(json.thesis.span.start);
    }
    // a draft is hidden from others but visible to its host
    expect((await api(`/api/debates/${json.id}`)).status).toBe(404);
    const asHost = await api(`/api/debates/${json.id}`, { token: json.hostToken });
    expect(asHost.status).toBe(200);
    expect(asHost.json.propositions.map((p: { text: string }) => p.text)).toEqual(json.propositions.map((p: { text: string }) => p.text));
  });

  it.each([
    [{}, "sourceText"],
    [{ sourceText: "   " }, "sourceText"],
    [{ sourceText: "x".repeat(5 * 1024 * 1024) }, "sourceText"],
    [{ sourceText: "abc\u0000\u0001\u0002def" }, "sourceText"],
    [{ sourceText: "2024\n\n— — —\n???\n12 34 56\n" }, "sourceText"],
    [{ sourceText: "A fine claim is made here. Another one follows it.", sourceUrl: "javascript:alert(1)" }, "sourceUrl"],
    [{ sourceText: "A fine claim is made here.", title: 42 }, "title"],
    [{ sourceText: "A fine claim is made here.", publish: "yes" }, "publish"],
  ])("answers 400 naming the field for bad input %#", async (body, field) => {
    const before = await server.db.debate.count();
    const { status, json } = await api("/api/debates", { body, token: facilitator });
    expect(status).toBe(400);
    expect(json.error.code).toBe("validation_failed");
    expect(json.error.field).toBe(field);
    expect(json.error.message.length).toBeGreaterThan(10);
    expect(await server.db.debate.count()).toBe(before);
  });

  it("answers malformed JSON and unknown ids with clear errors", async () => {
    const bad = await api("/api/debates", { rawBody: "{not json", token: facilitator });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/not valid JSON/);
    const unknown = await api("/api/debates/00000000-0000-4000-8000-000000000000");
    expect(unknown.status).toBe(404);
    const garbage = await api("/api/debates/not-a-uuid");
    expect(garbage.status).toBe(404);
  });
});

describe("live debate over socket.io", () => {
  it("two participants see each other's arguments, nested rebuttals, sources and votes; the API reads them back", async () => {
    const { debate, alice, bob } = await publishedDebate();
    const a = await connectParticipant(server.url, debate.id, alice.token);
    const b = await connectParticipant(server.url, debate.id, bob.token);
    sockets.push(a.socket, b.socket);
    expect(a.welcome.participant?.displayName).toBe("Alice");
    const proposition = debate.propositions[0];

    // Alice posts a pro argument with a source; Bob receives it.
    const seenByBob = nextEvent(b.socket, ServerEvent.change, (c) => c.kind === "argument.created");
    const posted = await emitWithAck<ArgumentDTO>(a.socket, ClientEvent.postArgument, {
      propositionId: proposition.id,
      stance: "pro",
      body: plainTextToArgumentBody("Benchmarks reward narrow skills."),
      sources: [{ url: "https://example.org/report", title: "USCC report", quote: "mass deployment and scaling" }],
    });
    expect(posted.ok).toBe(true);
    if (!posted.ok) return;
    expect(((await seenByBob).data as { id: string }).id).toBe(posted.data.id);
    expect(posted.data.sources[0]).toMatchObject({ url: "https://example.org/report", title: "USCC report" });

    // Bob rebuts it, Alice rebuts the rebuttal: depth 2.
    const rebuttal = await emitWithAck<ArgumentDTO>(b.socket, ClientEvent.postArgument, { propositionId: proposition.id, parentId: posted.data.id, stance: "con", body: plainTextToArgumentBody("Deployment data is not everything.") });
    expect(rebuttal.ok).toBe(true);
    if (!rebuttal.ok) return;
    const seenByBob2 = nextEvent(b.socket, ServerEvent.change, (c) => c.kind === "argument.created" && c.data.parentId === rebuttal.data.id);
    const counter = await emitWithAck<ArgumentDTO>(a.socket, ClientEvent.postArgument, { propositionId: proposition.id, parentId: rebuttal.data.id, stance: "con", body: plainTextToArgumentBody("But it compounds.") });
    expect(counter.ok).toBe(true);
    await seenByBob2;

    // Votes: both see exact tallies; a changed vote moves, not adds.
    const tallyAtAlice = nextEvent(a.socket, ServerEvent.voteTallied, (p) => p.tally.total === 2);
    expect((await emitWithAck<VoteTalliedPayload>(a.socket, ClientEvent.castVote, { propositionId: proposition.id, value: "agree" })).ok).toBe(true);
    const bobVote = await emitWithAck<VoteTalliedPayload>(b.socket, ClientEvent.castVote, { propositionId: proposition.id, value: "disagree" });
    expect(bobVote.ok && bobVote.data.tally).toEqual({ agree: 1, disagree: 1, unsure: 0, total: 2 });
    expect((await tallyAtAlice).tally).toEqual({ agree: 1, disagree: 1, unsure: 0, total: 2 });
    const changed = await emitWithAck<VoteTalliedPayload>(b.socket, ClientEvent.castVote, { propositionId: proposition.id, value: "agree" });
    expect(changed.ok && changed.data.tally).toEqual({ agree: 2, disagree: 0, unsure: 0, total: 2 });

    const read = await api(`/api/debates/${debate.id}`);
    const snapshot = read.json as DebateDTO;
    expect(snapshot.arguments).toHaveLength(3);
    const byId = new Map(snapshot.arguments.map((x) => [x.id, x]));
    expect(byId.get(counter.ok ? counter.data.id : "")?.parentId).toBe(rebuttal.data.id);
    expect(byId.get(rebuttal.data.id)?.parentId).toBe(posted.data.id);
    expect(snapshot.propositions[0].tally).toEqual({ agree: 2, disagree: 0, unsure: 0, total: 2 });
  });

  it("answers malformed payloads with an error acknowledgement and stays up", async () => {
    const { debate, alice } = await publishedDebate();
    const a = await connectParticipant(server.url, debate.id, alice.token);
    sockets.push(a.socket);
    const cases: unknown[] = [null, "text", 42, [], { propositionId: "nope" }, { propositionId: debate.propositions[0].id, stance: "maybe", body: {} }];
    for (const payload of cases) {
      const reply = await emitWithAck(a.socket, ClientEvent.postArgument, payload);
      expect(reply.ok).toBe(false);
      if (!reply.ok) expect(reply.error.code).toBe("validation_failed");
    }
    const unsafe = await emitWithAck(a.socket, ClientEvent.postArgument, {
      propositionId: debate.propositions[0].id,
      stance: "pro",
      body: { root: { type: "root", version: 1, direction: null, format: "", indent: 0, children: [{ type: "html", version: 1, html: "<script>alert(1)</script>" }] } },
    });
    expect(unsafe.ok).toBe(false);
    const tooLong = await emitWithAck(a.socket, ClientEvent.postArgument, { propositionId: debate.propositions[0].id, stance: "pro", body: plainTextToArgumentBody("x".repeat(6000)) });
    expect(tooLong.ok).toBe(false);
    if (!tooLong.ok) expect(tooLong.error.message).toMatch(/longer than/);
    const vote = await emitWithAck(a.socket, ClientEvent.castVote, { propositionId: debate.propositions[0].id, value: "strongly agree" });
    expect(vote.ok).toBe(false);
    expect(await server.db.argument.count({ where: { debateId: debate.id } })).toBe(0);
    // still serving
    expect((await api("/healthz")).status).toBe(200);
  });

  it("an observer (no token) receives events but cannot write", async () => {
    const { debate, alice } = await publishedDebate();
    const a = await connectParticipant(server.url, debate.id, alice.token);
    const observer = await connectParticipant(server.url, debate.id);
    sockets.push(a.socket, observer.socket);
    expect(observer.welcome.participant).toBeNull();
    const seen = nextEvent(observer.socket, ServerEvent.voteTallied);
    await emitWithAck(a.socket, ClientEvent.castVote, { propositionId: debate.propositions[1].id, value: "unsure" });
    expect((await seen).tally.unsure).toBe(1);
    const denied = await emitWithAck(observer.socket, ClientEvent.castVote, { propositionId: debate.propositions[1].id, value: "agree" });
    expect(denied.ok).toBe(false);
    if (!denied.ok) expect(denied.error.code).toBe("unauthenticated");
  });

  it("many clicks of one vote and concurrent voters leave an exact tally", async () => {
    const { debate } = await publishedDebate();
    const proposition = debate.propositions[2];
    const voters = await Promise.all(Array.from({ length: 8 }, (_, i) => api(`/api/debates/${debate.id}/participants`, { body: { displayName: `Voter ${i}` } })));
    const values = ["agree", "disagree", "unsure"] as const;
    await Promise.all(
      voters.flatMap((v, i) => Array.from({ length: 5 }, (_, k) => api(`/api/debates/${debate.id}/propositions/${proposition.id}/vote`, { method: "PUT", token: v.json.token, body: { value: values[(i + k) % 3] } }))),
    );
    const stored = await server.db.vote.findMany({ where: { propositionId: proposition.id } });
    expect(stored).toHaveLength(8);
    const snapshot = (await api(`/api/debates/${debate.id}`)).json as DebateDTO;
    const tally = snapshot.propositions.find((p) => p.id === proposition.id)!.tally;
    expect(tally.total).toBe(8);
    expect(tally.agree).toBe(stored.filter((s) => s.value === "agree").length);
    expect(tally.disagree).toBe(stored.filter((s) => s.value === "disagree").length);
  });
});
