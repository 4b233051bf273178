/**
 * Showing the results before the results phase (issue 13): POST /api/debates/:id/show-results
 * and the `results:show` socket operation. Before, participants get zero tallies and a 403 on the
 * results; after, the real tallies and the results page, pushed live as a `debate.phase` change
 * with `resultsShown: true`. Refusals (participants, open boards, the results phase, stale
 * or simultaneous) change nothing; showing twice changes nothing either.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { type PhaseStateDTO, ServerEvent } from "../../app/shared/contract";
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

async function debateOf(format: string) {
  const created = await api("/api/debates", { body: { sourceText: seedArticle, publish: true, format }, token: facilitator });
  expect(created.status).toBe(201);
  const debate = created.json;
  const ada = (await api(`/api/debates/${debate.id}/participants`, { body: { displayName: "Ada" } })).json;
  return { id: debate.id as string, host: debate.hostToken as string, ada, propositionId: debate.propositions[0].id as string };
}
const show = (id: string, token: string, body: unknown = {}) => api(`/api/debates/${id}/show-results`, { body, token });
const read = async (id: string, token: string) => (await api(`/api/debates/${id}`, { token })).json;

describe("showing the results early", () => {
  it("shows the tallies and the results page to participants, live, and audits it", async () => {
    const d = await debateOf("classroom");
    await api(`/api/debates/${d.id}/propositions/${d.propositionId}/vote`, { method: "PUT", body: { value: "agree" }, token: d.ada.token });
    expect((await read(d.id, d.ada.token)).propositions[0].tally.agree).toBe(0);
    expect((await api(`/api/debates/${d.id}/results`, { token: d.ada.token })).status).toBe(403);

    const refused = await show(d.id, d.ada.token);
    expect(refused.status).toBe(403);
    const { phaseVersion } = await read(d.id, d.host);
    const stale = await show(d.id, d.host, { version: phaseVersion - 1 });
    expect(stale.status).toBe(409);
    expect(stale.json.error.message).toMatch(/changed meanwhile/);
    expect((await read(d.id, d.ada.token)).resultsShown).toBe(false);

    const live = await connect(d.id, d.ada.token);
    const pushed = nextEvent(live.socket, ServerEvent.change, (c) => c.kind === "debate.phase" && c.data.resultsShown);
    const shown = await show(d.id, d.host, { version: phaseVersion });
    expect(shown.status).toBe(200);
    expect(shown.json as PhaseStateDTO).toMatchObject({ resultsShown: true, phaseVersion: phaseVersion + 1, phase: { name: "read" } });
    expect((await pushed).data).toEqual(shown.json);

    const now = await read(d.id, d.ada.token);
    expect(now.resultsShown).toBe(true);
    expect(now.propositions[0].tally.agree).toBe(1);
    expect((await api(`/api/debates/${d.id}/results`, { token: d.ada.token })).status).toBe(200);
    const audit = (await api(`/api/debates/${d.id}/audit`, { token: d.host })).json.entries;
    expect(audit[0]).toMatchObject({ action: "results.shown", details: { phase: "read" } });

    // Moving on keeps them shown; showing again changes nothing (no change, no audit entry).
    await api(`/api/debates/${d.id}/phase`, { body: { action: "next" }, token: d.host });
    expect((await read(d.id, d.ada.token)).propositions[0].tally.agree).toBe(1);
    const { seq } = await read(d.id, d.host);
    const again = await show(d.id, d.host);
    expect(again.status).toBe(200);
    expect(again.json.resultsShown).toBe(true);
    expect((await read(d.id, d.host)).seq).toBe(seq);
    expect((await api(`/api/debates/${d.id}/audit`, { token: d.host })).json.entries.filter((e: { action: string }) => e.action === "results.shown")).toHaveLength(1);
  });

  it("refuses open boards and the results phase; two facilitators at once show once", async () => {
    const open = await debateOf("open");
    const onOpen = await show(open.id, open.host);
    expect(onOpen.status).toBe(403);
    expect(onOpen.json.error.message).toMatch(/open board/);

    const oxford = await debateOf("oxford");
    for (let i = 0; i < 4; i++) await api(`/api/debates/${oxford.id}/phase`, { body: { action: "next" }, token: oxford.host });
    expect((await read(oxford.id, oxford.host)).phase.name).toBe("results");
    const inResults = await show(oxford.id, oxford.host);
    expect(inResults.status).toBe(409);
    expect(inResults.json.error.message).toMatch(/results phase/);

    const d = await debateOf("classroom");
    await api(`/api/debates/${d.id}/participants/${d.ada.participant.id}`, { method: "PATCH", body: { role: "facilitator" }, token: d.host });
    const before = await read(d.id, d.host);
    const replies = await Promise.all([show(d.id, d.host), show(d.id, d.ada.token)]);
    // One shows them; the other either finds them shown (200, nothing changed) or the phase moved under it (409).
    expect(replies.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    for (const r of replies) expect([200, 409]).toContain(r.status);
    const after = await read(d.id, d.host);
    expect(after.phaseVersion).toBe(before.phaseVersion + 1);
    expect(after.seq).toBe(before.seq + 1);
  });

  it("runs over the socket once per opId", async () => {
    const d = await debateOf("classroom");
    const host = await connect(d.id, d.host);
    const opId = randomUUID();
    const first = await emitWithAck<PhaseStateDTO>(host.socket, ClientEvent.showResults, { opId });
    expect(first.ok && first.data.resultsShown).toBe(true);
    expect(await emitWithAck<PhaseStateDTO>(host.socket, ClientEvent.showResults, { opId })).toEqual(first);
    const bad = await emitWithAck<PhaseStateDTO>(host.socket, ClientEvent.showResults, { version: -1 });
    expect(bad.ok).toBe(false);
  });
});
