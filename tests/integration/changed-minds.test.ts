/**
 * What changed minds against the running server (issue 13, ADR 0072): reads recorded through
 * POST /api/debates/:id/reads and the `reads:record` operation (first read kept, bad input refused,
 * nothing recorded), and the results' `changedMinds`: arguments ranked by the participants who met
 * them before changing their motion vote or a proposition vote, and each participant's own path.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { ClientEvent } from "../../app/shared/operations";
import { api as callApi, facilitatorToken } from "../support/api-client";
import { seedArticle } from "../support/article";
import { emitWithAck } from "../support/socket-client";
import { useTestServer } from "../support/test-server";

let facilitator: string;
const { server, connect } = useTestServer({ serveApp: false, rateLimits: "off" });
beforeAll(async () => {
  facilitator = await facilitatorToken(server.url);
});
const api = (path: string, init?: Parameters<typeof callApi>[2]) => callApi(server.url, path, init);

async function debateOf(format: string) {
  const created = await api("/api/debates", { body: { sourceText: seedArticle, publish: true, format }, token: facilitator });
  expect(created.status).toBe(201);
  const d = created.json;
  const join = async (displayName: string) => (await api(`/api/debates/${d.id}/participants`, { body: { displayName } })).json;
  const [ada, bo, cy] = [await join("Ada"), await join("Bo"), await join("Cy")];
  const propositions = d.propositions.map((p: { id: string }) => p.id) as string[];
  const argue = async (token: string, propositionId: string, text: string) => (await api(`/api/debates/${d.id}/arguments`, { body: { propositionId, stance: "pro", body: plainTextToArgumentBody(text) }, token })).json.id as string;
  return { id: d.id as string, host: d.hostToken as string, ada, bo, cy, propositions, argue };
}
const reads = (id: string, token: string, body: unknown) => api(`/api/debates/${id}/reads`, { body, token });
const phase = (id: string, token: string, action: string) => api(`/api/debates/${id}/phase`, { body: { action }, token });
const motion = (id: string, token: string, stage: string, value: string) => api(`/api/debates/${id}/motion-vote`, { method: "PUT", body: { stage, value }, token });
const pause = () => new Promise((r) => setTimeout(r, 20));

describe("what changed minds", () => {
  it("ranks the arguments read or rated before an Oxford vote changed; each participant sees their own path", async () => {
    const d = await debateOf("oxford");
    await phase(d.id, d.host, "next"); // arguments
    for (const t of [d.ada.token, d.bo.token, d.cy.token]) expect((await motion(d.id, t, "before", "against")).status).toBe(200);
    const strong = await d.argue(d.host, d.propositions[0]!, "Output held steady in every pilot.");
    const weak = await d.argue(d.host, d.propositions[1]!, "People like long weekends.");
    const late = await d.argue(d.host, d.propositions[0]!, "A late argument.");
    // Ada reads the strong and the weak argument; Bo opens the strong one and rates it; Cy reads the weak one and does not change.
    expect((await reads(d.id, d.ada.token, { reads: [{ argumentId: strong, kind: "viewed", msAgo: 1000 }, { argumentId: weak, kind: "viewed", msAgo: 500 }] })).json).toEqual({ recorded: 2 });
    expect((await reads(d.id, d.bo.token, { reads: [{ argumentId: strong, kind: "opened", msAgo: 0 }] })).json).toEqual({ recorded: 1 });
    await api(`/api/debates/${d.id}/arguments/${strong}/rating`, { method: "PUT", body: { value: "up" }, token: d.bo.token });
    expect((await reads(d.id, d.cy.token, { reads: [{ argumentId: weak, kind: "viewed", msAgo: 0 }] })).status).toBe(200);
    // A repeated read keeps the first.
    expect((await reads(d.id, d.ada.token, { reads: [{ argumentId: strong, kind: "viewed", msAgo: 0 }] })).json).toEqual({ recorded: 0 });
    await pause();
    await phase(d.id, d.host, "next"); // rebuttals
    await phase(d.id, d.host, "next"); // after-vote
    expect((await motion(d.id, d.ada.token, "after", "for")).status).toBe(200);
    expect((await motion(d.id, d.bo.token, "after", "undecided")).status).toBe(200);
    expect((await motion(d.id, d.cy.token, "after", "against")).status).toBe(200);
    await pause();
    // Read after changing: not associated.
    await reads(d.id, d.ada.token, { reads: [{ argumentId: late, kind: "viewed", msAgo: 0 }] });
    await phase(d.id, d.host, "next"); // results

    const asAda = (await api(`/api/debates/${d.id}/results`, { token: d.ada.token })).json.changedMinds;
    expect(asAda.changedParticipants).toBe(2);
    expect(asAda.arguments.map((a: { argumentId: string; changedMinds: number }) => [a.argumentId, a.changedMinds])).toEqual([
      [strong, 2],
      [weak, 1],
    ]);
    expect(asAda.arguments[0]).toMatchObject({ excerpt: "Output held steady in every pilot.", author: expect.any(String) });
    expect(asAda.myPath.map((s: { argumentId: string }) => s.argumentId)).toEqual([strong, weak]);
    const asBo = (await api(`/api/debates/${d.id}/results`, { token: d.bo.token })).json.changedMinds;
    expect(asBo.myPath.map((s: { argumentId: string; kind: string }) => [s.argumentId, s.kind])).toEqual([[strong, "opened"]]);
    // Cy's mind did not change; a visitor gets the aggregate only.
    expect((await api(`/api/debates/${d.id}/results`, { token: d.cy.token })).json.changedMinds.myPath).toBeNull();
    const visitor = (await api(`/api/debates/${d.id}/results`)).json.changedMinds;
    expect(visitor).toEqual({ ...asAda, myPath: null });
  });

  it("counts a changed proposition vote with the arguments on that proposition read before it", async () => {
    const d = await debateOf("open");
    const [p1, p2] = d.propositions as [string, string];
    const onP1 = await d.argue(d.host, p1, "On the first.");
    const onP2 = await d.argue(d.host, p2, "On the second.");
    const vote = (value: string) => api(`/api/debates/${d.id}/propositions/${p1}/vote`, { method: "PUT", body: { value }, token: d.ada.token });
    await vote("disagree");
    await reads(d.id, d.ada.token, { reads: [{ argumentId: onP1, kind: "viewed", msAgo: 0 }, { argumentId: onP2, kind: "viewed", msAgo: 0 }] });
    await pause();
    await vote("agree");
    const results = (await api(`/api/debates/${d.id}/results`, { token: d.ada.token })).json.changedMinds;
    expect(results.arguments.map((a: { argumentId: string }) => a.argumentId)).toEqual([onP1]);
    // Back to the first position: no longer a changed mind.
    await vote("disagree");
    expect((await api(`/api/debates/${d.id}/results`, { token: d.ada.token })).json.changedMinds).toMatchObject({ changedParticipants: 0, arguments: [], myPath: null });
  });

  it("refuses bad reads with clear errors and records nothing; the socket operation works once per opId", async () => {
    const d = await debateOf("open");
    const other = await debateOf("open");
    const mine = await d.argue(d.host, d.propositions[0]!, "Mine.");
    const theirs = await other.argue(other.host, other.propositions[0]!, "Theirs.");
    for (const [body, message] of [
      [{ reads: [] }, /at least one read/],
      [{ reads: [{ argumentId: mine, kind: "skimmed", msAgo: 0 }] }, /'viewed' or 'opened'/],
      [{ reads: [{ argumentId: mine, kind: "viewed", msAgo: -5 }] }, /cannot be negative/],
      [{ reads: [{ argumentId: mine, kind: "viewed", msAgo: 10_000_000 }] }, /at most 120000/],
      [{ reads: Array.from({ length: 51 }, () => ({ argumentId: mine, kind: "viewed", msAgo: 0 })) }, /At most 50/],
      [{ reads: [{ argumentId: mine, kind: "viewed", msAgo: 0 }, { argumentId: theirs, kind: "viewed", msAgo: 0 }] }, /this debate's arguments/],
    ] as const) {
      const reply = await reads(d.id, d.ada.token, body);
      expect({ status: reply.status, message: reply.json.error?.message }).toEqual({ status: 400, message: expect.stringMatching(message) });
    }
    expect((await api(`/api/debates/${d.id}/reads`, { body: { reads: [{ argumentId: mine, kind: "viewed", msAgo: 0 }] } })).status).toBe(401);
    expect(await server.db.argumentRead.count({ where: { debateId: d.id } })).toBe(0);

    const live = await connect(d.id, d.ada.token);
    const opId = randomUUID();
    const first = await emitWithAck<{ recorded: number }>(live.socket, ClientEvent.recordReads, { opId, reads: [{ argumentId: mine, kind: "opened", msAgo: 0 }] });
    expect(first).toEqual({ ok: true, data: { recorded: 1 } });
    expect(await emitWithAck(live.socket, ClientEvent.recordReads, { opId, reads: [{ argumentId: mine, kind: "opened", msAgo: 0 }] })).toEqual(first);
    expect(await server.db.argumentRead.count({ where: { debateId: d.id } })).toBe(1);
  });
});
