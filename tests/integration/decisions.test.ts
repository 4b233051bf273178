/**
 * Workshop decisions against the running server (issue 13): POST /api/debates/:id/decisions,
 * PUT …/decisions/:decisionId/response, POST …/decisions/:decisionId/close and GET …/decisions,
 * their socket operations, the live `decision.updated` changes, the debate, the audit log, the
 * exports, and every refusal (nothing changed).
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ServerEvent } from "../../app/shared/contract";
import type { DecisionDTO } from "../../app/shared/decisions";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { ClientEvent } from "../../app/shared/operations";
import { api as callApi, facilitatorToken } from "../support/api-client";
import { seedArticle } from "../support/article";
import { emitWithAck, nextEvent } from "../support/socket-client";
import { useTestServer } from "../support/test-server";

let facilitator: string;
const { server, connect } = useTestServer({ serveApp: false, rateLimits: "off" });
beforeAll(async () => {
  facilitator = await facilitatorToken(server.url);
});
const api = (path: string, init?: Parameters<typeof callApi>[2]) => callApi(server.url, path, init);

/** A published workshop debate with two debaters, an observer and one argument by Ada. */
async function workshop() {
  const created = await api("/api/debates", { body: { sourceText: seedArticle, publish: true, format: "workshop" }, token: facilitator });
  expect(created.status).toBe(201);
  const debate = created.json;
  const join = async (displayName: string, role = "debater") => (await api(`/api/debates/${debate.id}/participants`, { body: { displayName, role } })).json;
  const ada = await join("Ada");
  const bo = await join("Bo");
  const olga = await join("Olga", "observer");
  const propositions = debate.propositions.map((p: { id: string }) => p.id) as string[];
  const argument = await api(`/api/debates/${debate.id}/arguments`, { body: { propositionId: propositions[0], stance: "pro", body: plainTextToArgumentBody("It saves time.") }, token: ada.token });
  expect(argument.status).toBe(201);
  return { id: debate.id as string, host: debate.hostToken as string, ada, bo, olga, propositions, argumentId: argument.json.id as string };
}
const propose = (id: string, token: string, body: unknown) => api(`/api/debates/${id}/decisions`, { body, token });
const respond = (id: string, decisionId: string, token: string, body: unknown) => api(`/api/debates/${id}/decisions/${decisionId}/response`, { method: "PUT", body, token });
const close = (id: string, decisionId: string, token: string, body: unknown) => api(`/api/debates/${id}/decisions/${decisionId}/close`, { body, token });
const decisionsOf = async (id: string, token?: string) => (await api(`/api/debates/${id}/decisions`, token ? { token } : {})).json.decisions as DecisionDTO[];

describe("workshop decisions over the JSON API", () => {
  it("a facilitator proposes, participants answer citing arguments, the facilitator closes: kept in the debate, audit and exports", async () => {
    const w = await workshop();
    const proposed = await propose(w.id, w.host, { propositionIds: [w.propositions[0], w.propositions[1]], text: "We adopt the four-day week for a trial term." });
    expect(proposed.status).toBe(201);
    const decision = proposed.json as DecisionDTO;
    expect(decision).toMatchObject({ text: "We adopt the four-day week for a trial term.", propositionIds: [w.propositions[0], w.propositions[1]], closedAt: null, outcome: null, counts: { agree: 0, abstain: 0, disagree: 0, block: 0 }, responses: [] });

    const agreed = await respond(w.id, decision.id, w.ada.token, { value: "agree", reason: "The pilot data convinced me.", citedArgumentIds: [w.argumentId] });
    expect(agreed.status).toBe(200);
    expect(agreed.json.responses).toEqual([expect.objectContaining({ participant: { id: w.ada.participant.id, displayName: "Ada" }, value: "agree", citedArgumentIds: [w.argumentId] })]);
    // A second answer replaces the first.
    await respond(w.id, decision.id, w.bo.token, { value: "disagree" });
    const blocked = await respond(w.id, decision.id, w.bo.token, { value: "block", reason: "Not without the union's consent." });
    expect(blocked.json.counts).toEqual({ agree: 1, abstain: 0, disagree: 0, block: 1 });
    expect(blocked.json.version).toBe(3);

    const closed = await close(w.id, decision.id, w.host, { outcome: "rejected", note: "Blocked: we ask the union first." });
    expect(closed.status).toBe(200);
    expect(closed.json).toMatchObject({ outcome: "rejected", outcomeNote: "Blocked: we ask the union first." });
    expect(closed.json.closedAt).not.toBeNull();

    // Everyone reads it, in the decisions list and in the debate.
    expect((await decisionsOf(w.id, w.olga.token))[0]).toEqual(closed.json);
    expect((await api(`/api/debates/${w.id}`, { token: w.ada.token })).json.decisions).toEqual([closed.json]);

    const audit = (await api(`/api/debates/${w.id}/audit`, { token: w.host })).json.entries.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(["decision.proposed", "decision.closed"]));

    const json = await api(`/api/debates/${w.id}/export?format=json`, { token: w.host });
    expect(json.status).toBe(200);
    expect(json.json.decisions[0]).toMatchObject({ text: decision.text, outcome: "rejected", responses: expect.arrayContaining([expect.objectContaining({ value: "agree", citedArgumentIds: [w.argumentId] })]) });
    const md = await fetch(`${server.url}/api/debates/${w.id}/export?format=markdown`, { headers: { Authorization: `Bearer ${w.host}` } });
    const text = await md.text();
    expect(text).toMatch(/## Decisions/);
    expect(text).toMatch(/We adopt the four-day week for a trial term\./);
    expect(text).toMatch(/Not adopted/);
    expect(text).toMatch(/Block.*Not without the union's consent\./);
    expect(text).toMatch(/It saves time\./);
  });

  it("refuses bad input, non-facilitators and answers after the close, changing nothing", async () => {
    const w = await workshop();
    // Non-facilitators cannot propose or close.
    const byDebater = await propose(w.id, w.ada.token, { propositionIds: [w.propositions[0]], text: "My decision." });
    expect(byDebater.status).toBe(403);
    expect(byDebater.json.error.message).toMatch(/Only the host and facilitators/);
    for (const [body, message] of [
      [{ propositionIds: [], text: "Empty." }, /at least 1/],
      [{ propositionIds: ["nope"], text: "Bad id." }, /valid id/],
      [{ propositionIds: [randomUUID()], text: "Someone else's proposition." }, /this debate's propositions/],
      [{ propositionIds: [w.propositions[0]], text: "   " }, /cannot be empty/],
      [{ propositionIds: [w.propositions[0]], text: "x".repeat(1_001) }, /at most 1,000/],
    ] as const) {
      const reply = await propose(w.id, w.host, body);
      expect({ body, status: reply.status }).toEqual({ body, status: 400 });
      expect(reply.json.error.message).toMatch(message);
    }
    expect(await decisionsOf(w.id, w.host)).toEqual([]);

    const decision = (await propose(w.id, w.host, { propositionIds: [w.propositions[0]], text: "We try it." })).json as DecisionDTO;
    const other = await workshop();
    for (const [token, body, status, message] of [
      [w.ada.token, { value: "maybe" }, 400, /'agree', 'abstain', 'disagree' or 'block'/],
      [w.ada.token, { value: "block" }, 400, /A block needs a reason/],
      [w.ada.token, { value: "agree", citedArgumentIds: [randomUUID()] }, 400, /this debate's arguments/],
      [w.ada.token, { value: "agree", citedArgumentIds: [other.argumentId] }, 400, /this debate's arguments/],
      [w.olga.token, { value: "agree" }, 403, /Observers/],
      [w.ada.token, { value: "agree", reason: "x".repeat(501) }, 400, /at most 500/],
    ] as const) {
      const reply = await respond(w.id, decision.id, token, body);
      expect({ body, status: reply.status }).toEqual({ body, status });
      expect(reply.json.error.message).toMatch(message);
    }
    // A decision of another debate is not found from this one.
    const foreign = (await propose(other.id, other.host, { propositionIds: [other.propositions[0]], text: "Theirs." })).json as DecisionDTO;
    expect((await respond(w.id, foreign.id, w.ada.token, { value: "agree" })).status).toBe(404);
    expect((await close(w.id, foreign.id, w.host, { outcome: "adopted" })).status).toBe(404);
    expect((await decisionsOf(w.id, w.host))[0]!.responses).toEqual([]);

    expect((await close(w.id, decision.id, w.ada.token, { outcome: "adopted" })).status).toBe(403);
    expect((await close(w.id, decision.id, w.host, { outcome: "done" })).json.error.message).toMatch(/'adopted', 'rejected' or 'withdrawn'/);
    expect((await close(w.id, decision.id, w.host, { outcome: "adopted" })).status).toBe(200);
    const late = await respond(w.id, decision.id, w.bo.token, { value: "agree" });
    expect(late.status).toBe(409);
    expect(late.json.error.message).toMatch(/closed/);
    const again = await close(w.id, decision.id, w.host, { outcome: "rejected" });
    expect(again.status).toBe(409);
    const now = (await decisionsOf(w.id, w.host))[0]!;
    expect({ outcome: now.outcome, responses: now.responses }).toEqual({ outcome: "adopted", responses: [] });
  });

  it("an answer and a close at once: the answer is stored before the close or refused, never after", async () => {
    const w = await workshop();
    for (let round = 0; round < 3; round++) {
      const decision = (await propose(w.id, w.host, { propositionIds: [w.propositions[0]], text: `Round ${round}.` })).json as DecisionDTO;
      const [answer, closing] = await Promise.all([respond(w.id, decision.id, w.ada.token, { value: "agree" }), close(w.id, decision.id, w.host, { outcome: "adopted" })]);
      expect(closing.status).toBe(200);
      expect([200, 409]).toContain(answer.status);
      const stored = (await decisionsOf(w.id, w.host)).find((d) => d.id === decision.id)!;
      expect(stored.responses.length).toBe(answer.status === 200 ? 1 : 0);
      expect(closing.json.responses.length).toBe(stored.responses.length);
    }
  });

  it("runs over the socket once per opId and reaches everyone live", async () => {
    const w = await workshop();
    const host = await connect(w.id, w.host);
    const watcher = await connect(w.id, w.olga.token);
    const ada = await connect(w.id, w.ada.token);
    const seen = nextEvent(watcher.socket, ServerEvent.change, (c) => c.kind === "decision.updated");
    const opId = randomUUID();
    const first = await emitWithAck<DecisionDTO>(host.socket, ClientEvent.proposeDecision, { opId, propositionIds: [w.propositions[2]], text: "We publish the minutes." });
    expect(first.ok).toBe(true);
    const repeat = await emitWithAck<DecisionDTO>(host.socket, ClientEvent.proposeDecision, { opId, propositionIds: [w.propositions[2]], text: "We publish the minutes." });
    expect(repeat).toEqual(first);
    expect(await decisionsOf(w.id, w.host)).toHaveLength(1);
    const change = await seen;
    expect(change.kind === "decision.updated" && change.data.text).toBe("We publish the minutes.");
    const decisionId = first.ok ? first.data.id : "";

    const answered = nextEvent(watcher.socket, ServerEvent.change, (c) => c.kind === "decision.updated" && c.data.counts.abstain === 1);
    const ack = await emitWithAck<DecisionDTO>(ada.socket, ClientEvent.respondToDecision, { decisionId, value: "abstain", reason: "Not my area." });
    expect(ack.ok).toBe(true);
    await answered;
    const closedAck = await emitWithAck<DecisionDTO>(host.socket, ClientEvent.closeDecision, { decisionId, outcome: "adopted" });
    expect(closedAck.ok && closedAck.data.outcome).toBe("adopted");
    const refused = await emitWithAck<DecisionDTO>(watcher.socket, ClientEvent.respondToDecision, { decisionId, value: "agree" });
    expect(refused.ok).toBe(false);
  });
});
