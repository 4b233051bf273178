/**
 * Publish after commit, in one place (docs/decisions/0021-publisher-and-live-client.md):
 * every state change others should see is a numbered change, and every
 * facilitator action lands in the audit log. Regression tests for actions the
 * hand wiring had missed: publishing wrote no change and no audit entry
 * (`debate.published` was never recorded), and rewording a proposition was never
 * audited (`proposition.edited`).
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { type AuditEntryDTO, type CatchUpPayload, ServerEvent } from "../../app/shared/contract";
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

async function auditActions(debateId: string, hostToken: string): Promise<AuditEntryDTO[]> {
  const log = await api(`/api/debates/${debateId}/audit?pageSize=200`, { token: hostToken });
  expect(log.status).toBe(200);
  return log.json.entries;
}

describe("publishing a draft", () => {
  it("is a numbered debate.updated change and an audit entry debate.published", async () => {
    const draft = (await api("/api/debates", { body: { sourceText: seedArticle }, token: facilitator })).json;
    const host = await connectParticipant(server.url, draft.id, draft.hostToken);
    sockets.push(host.socket);
    const seen = nextEvent(host.socket, ServerEvent.change, (c) => c.kind === "debate.updated");
    expect((await api(`/api/debates/${draft.id}/publish`, { method: "POST", body: {}, token: draft.hostToken })).status).toBe(200);
    const change = await seen;
    expect(change).toMatchObject({ kind: "debate.updated", data: { status: "published", visibility: draft.visibility ?? "unlinked" } });
    // A client that missed it finds it on catching up.
    const caught = await emitWithAck<CatchUpPayload>(host.socket, ClientEvent.resync, { lastSeq: 0 });
    expect(caught.ok && caught.data.mode === "changes" && caught.data.changes.map((c) => c.kind)).toContain("debate.updated");
    const entries = await auditActions(draft.id, draft.hostToken);
    expect(entries.filter((e) => e.action === "debate.published")).toHaveLength(1);
    // Publishing again changes nothing and records nothing.
    expect((await api(`/api/debates/${draft.id}/publish`, { method: "POST", body: {}, token: draft.hostToken })).status).toBe(200);
    expect((await auditActions(draft.id, draft.hostToken)).filter((e) => e.action === "debate.published")).toHaveLength(1);
  });
});

describe("rewording a proposition", () => {
  it("is audited as proposition.edited, over socket.io and the JSON API, once per opId", async () => {
    const debate = (await api("/api/debates", { body: { sourceText: seedArticle, publish: true }, token: facilitator })).json;
    const [first, second] = debate.propositions as { id: string; text: string }[];
    const host = await connectParticipant(server.url, debate.id, debate.hostToken);
    sockets.push(host.socket);
    const payload = { opId: randomUUID(), propositionId: first!.id, text: "Reworded live." };
    expect((await emitWithAck(host.socket, ClientEvent.editProposition, payload)).ok).toBe(true);
    expect((await emitWithAck(host.socket, ClientEvent.editProposition, payload)).ok).toBe(true);
    expect((await api(`/api/debates/${debate.id}/propositions/${second!.id}`, { method: "PATCH", body: { text: "Reworded by script." }, token: debate.hostToken })).status).toBe(200);
    const edits = (await auditActions(debate.id, debate.hostToken)).filter((e) => e.action === "proposition.edited");
    expect(edits.map((e) => [e.targetId, e.details?.from, e.details?.to])).toEqual([
      [second!.id, second!.text, "Reworded by script."],
      [first!.id, first!.text, "Reworded live."],
    ]);
  });

  it("is audited when a facilitator rewords one on the review page (curation)", async () => {
    const debate = (await api("/api/debates", { body: { sourceText: seedArticle, publish: true }, token: facilitator })).json;
    const p = debate.propositions[0] as { id: string; text: string };
    const host = await server.services.requireActor(debate.id, { participantToken: debate.hostToken });
    await server.services.curatePropositions(debate.id, host, { intent: "edit", propositionId: p.id, text: "Reworded on the page." });
    const edits = (await auditActions(debate.id, debate.hostToken)).filter((e) => e.action === "proposition.edited");
    expect(edits.map((e) => [e.targetId, e.details?.to])).toEqual([[p.id, "Reworded on the page."]]);
  });
});
