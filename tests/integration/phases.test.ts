/**
 * Formats, phases and the Oxford motion vote against the running server (issue 13):
 * POST /api/debates with format and motion, GET /api/debates/:id's format, phase and
 * motion, POST /api/debates/:id/phase and PUT /api/debates/:id/motion-vote, their socket
 * operations, the audit log, the live changes, the races and every refusal (nothing changed).
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { type MotionVoteDTO, type PhaseStateDTO, ServerEvent } from "../../app/shared/contract";
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

/** A published debate of `format` with two debaters and an observer. */
async function debateOf(format: string, extra: Record<string, unknown> = {}) {
  const created = await api("/api/debates", { body: { sourceText: seedArticle, publish: true, format, ...extra }, token: facilitator });
  expect(created.status).toBe(201);
  const debate = created.json;
  const join = async (displayName: string, role = "debater") => (await api(`/api/debates/${debate.id}/participants`, { body: { displayName, role } })).json;
  return { debate, host: debate.hostToken as string, ada: await join("Ada"), bo: await join("Bo"), olga: await join("Olga", "observer") };
}
const phase = (id: string, token: string, body: unknown) => api(`/api/debates/${id}/phase`, { method: "POST", body, token });
const motionVote = (id: string, token: string, body: unknown) => api(`/api/debates/${id}/motion-vote`, { method: "PUT", body, token });
const read = async (id: string, token?: string) => (await api(`/api/debates/${id}`, token ? { token } : {})).json;
const post = (id: string, token: string, propositionId: string, parentId?: string) =>
  api(`/api/debates/${id}/arguments`, { body: { propositionId, parentId, stance: "pro", body: plainTextToArgumentBody("Because.") }, token });

describe("formats and phases over the JSON API", () => {
  it("an open board has no phase and no motion; a classroom debate starts in read, waiting for start", async () => {
    const open = await debateOf("open");
    expect(await read(open.debate.id)).toMatchObject({ format: "open", phase: null, motion: null, phases: [] });
    expect((await phase(open.debate.id, open.host, { action: "start" })).json.error.message).toMatch(/open board/);

    const { debate } = await debateOf("classroom", { durations: { argue: 90 } });
    const got = await read(debate.id);
    expect(got.format).toBe("classroom");
    expect(got.phase).toEqual({ name: "read", startedAt: null, endsAt: null, pausedAt: null });
    expect(got.phases.map((p: { name: string }) => p.name)).toEqual(["read", "argue", "rebut", "vote", "results"]);
    expect(got.phases[1]).toEqual({ name: "argue", durationSeconds: 90 });
  });

  it("runs start, pause, resume, extend, next and previous; each is audited and pushed live", async () => {
    const { debate, host, ada } = await debateOf("classroom");
    const live = await connectParticipant(server.url, debate.id, ada.token);
    sockets.push(live.socket);
    const pushed = nextEvent(live.socket, ServerEvent.change, (c) => c.kind === "debate.phase" && c.data.phase?.startedAt !== null);
    const started = await phase(debate.id, host, { action: "start" });
    expect(started.status).toBe(200);
    const s = started.json as PhaseStateDTO;
    expect(s.phase!.name).toBe("read");
    expect(Date.parse(s.phase!.endsAt!) - Date.parse(s.phase!.startedAt!)).toBe(300_000);
    expect((await pushed).data).toEqual(s);

    const paused = (await phase(debate.id, host, { action: "pause" })).json as PhaseStateDTO;
    expect(paused.phase!.pausedAt).not.toBeNull();
    const resumed = (await phase(debate.id, host, { action: "resume" })).json as PhaseStateDTO;
    expect(resumed.phase!.pausedAt).toBeNull();
    const extended = (await phase(debate.id, host, { action: "extend", seconds: 120 })).json as PhaseStateDTO;
    expect(Date.parse(extended.phase!.endsAt!) - Date.parse(resumed.phase!.endsAt!)).toBe(120_000);
    expect(((await phase(debate.id, host, { action: "next" })).json as PhaseStateDTO).phase!.name).toBe("argue");
    expect(((await phase(debate.id, host, { action: "previous" })).json as PhaseStateDTO).phase!.name).toBe("read");

    const audit = (await api(`/api/debates/${debate.id}/audit`, { token: host })).json.entries.filter((e: { action: string }) => e.action === "phase.changed");
    expect(audit.map((e: { details: { action: string } }) => e.details.action).reverse()).toEqual(["start", "pause", "resume", "extend", "next", "previous"]);
    expect(audit[0].details).toMatchObject({ from: "argue", to: "read" });
  });

  it("refuses absurd seconds, wrong actions and non-facilitators with clear errors, changing nothing", async () => {
    const { debate, host, ada } = await debateOf("classroom");
    const before = await read(debate.id, host);
    for (const [body, status, message] of [
      [{ action: "extend", seconds: -30 }, 400, /at least 1/],
      [{ action: "extend", seconds: 0 }, 400, /at least 1/],
      [{ action: "extend", seconds: 1.5 }, 400, /whole number/],
      [{ action: "extend", seconds: 10_000_000 }, 400, /at most 7200/],
      [{ action: "extend", seconds: "60" }, 400, /number of seconds/],
      [{ action: "next", seconds: 60 }, 400, /only with the 'extend'/],
      [{ action: "jump" }, 400, /action is 'start'/],
      [{ action: "resume" }, 409, /not paused/],
      [{ action: "previous" }, 409, /first phase/],
    ] as const) {
      const reply = await phase(debate.id, host, body);
      expect({ body, status: reply.status }).toEqual({ body, status });
      expect(reply.json.error.message).toMatch(message);
    }
    const refused = await phase(debate.id, ada.token, { action: "next" });
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toMatch(/Only the host and facilitators/);
    const after = await read(debate.id, host);
    expect({ phase: after.phase, phaseVersion: after.phaseVersion, seq: after.seq }).toEqual({ phase: before.phase, phaseVersion: before.phaseVersion, seq: before.seq });
  });

  it("two facilitators pressing next at once move one phase, never two", async () => {
    const { debate, host, bo } = await debateOf("classroom");
    await api(`/api/debates/${debate.id}/participants/${bo.participant.id}`, { method: "PATCH", body: { role: "facilitator" }, token: host });
    const { phaseVersion } = await read(debate.id, host);
    for (let round = 0; round < 3; round++) {
      const version = (await read(debate.id, host)).phaseVersion;
      const replies = await Promise.all([phase(debate.id, host, { action: "next", version }), phase(debate.id, bo.token, { action: "next", version })]);
      expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(replies.find((r) => r.status === 409)!.json.error.message).toMatch(/changed meanwhile/);
    }
    const now = await read(debate.id, host);
    expect(now.phase.name).toBe("vote");
    expect(now.phaseVersion).toBe(phaseVersion + 3);
    const stale = await phase(debate.id, host, { action: "next", version: phaseVersion });
    expect(stale.status).toBe(409);
    expect((await read(debate.id, host)).phase.name).toBe("vote");
  });

  it("the same opId moves the phase once (a double click)", async () => {
    const { debate, host } = await debateOf("oxford");
    const opId = randomUUID();
    const [a, b] = [await phase(debate.id, host, { action: "next", opId }), await phase(debate.id, host, { action: "next", opId })];
    expect(a.json).toEqual(b.json);
    expect((await read(debate.id)).phase.name).toBe("arguments");
  });

  it("the phase refuses arguments it does not allow, and hides tallies and results until results", async () => {
    const { debate, host, ada } = await debateOf("classroom");
    const p = debate.propositions[0].id;
    const first = await post(debate.id, ada.token, p);
    expect(first.status).toBe(201);
    await api(`/api/debates/${debate.id}/propositions/${p}/vote`, { method: "PUT", body: { value: "agree" }, token: ada.token });
    expect((await read(debate.id, ada.token)).propositions[0].tally.agree).toBe(0);
    expect((await read(debate.id, host)).propositions[0].tally.agree).toBe(1);
    const results = await api(`/api/debates/${debate.id}/results`, { token: ada.token });
    expect(results.status).toBe(403);
    expect(results.json.error.message).toMatch(/Results phase/);

    await phase(debate.id, host, { action: "next" });
    await phase(debate.id, host, { action: "next" }); // rebut
    const topLevel = await post(debate.id, ada.token, p);
    expect(topLevel.status).toBe(403);
    expect(topLevel.json.error.message).toMatch(/only answer arguments already made/);
    expect((await post(debate.id, ada.token, p, first.json.id)).status).toBe(201);
    await phase(debate.id, host, { action: "next" }); // vote
    const inVote = await post(debate.id, ada.token, p, first.json.id);
    expect(inVote.status).toBe(403);
    expect(inVote.json.error.message).toMatch(/No arguments during “Vote”/);
    expect((await read(debate.id)).arguments).toHaveLength(2);
    await phase(debate.id, host, { action: "next" }); // results
    expect((await read(debate.id, ada.token)).propositions[0].tally.agree).toBe(1);
    expect((await api(`/api/debates/${debate.id}/results`, { token: ada.token })).status).toBe(200);
  });
});

describe("the Oxford motion vote", () => {
  it("takes the motion from the request, counts before and after votes, and shows the swing and the winner from results on", async () => {
    const { debate, host, ada, bo, olga } = await debateOf("oxford", { motion: "This house would ban homework." });
    const vote = (token: string, stage: string, value: string) => motionVote(debate.id, token, { stage, value });
    expect((await vote(ada.token, "before", "against")).status).toBe(200);
    expect((await vote(bo.token, "before", "undecided")).status).toBe(200);
    const observer = await vote(olga.token, "before", "for");
    expect(observer.status).toBe(403);
    const early = await vote(ada.token, "after", "for");
    expect(early.status).toBe(403);
    expect(early.json.error.message).toMatch(/after vote opens/);

    await phase(debate.id, host, { action: "next" }); // arguments: the before vote is still open
    const changed = (await vote(bo.token, "before", "against")).json as MotionVoteDTO;
    // Until the results phase only facilitators see how the room voted: the voter's answer and everyone else's read have no counts.
    expect(changed).toEqual({ stage: "before", value: "against", motion: { text: "This house would ban homework.", before: { for: 0, against: 0, undecided: 0 }, after: { for: 0, against: 0, undecided: 0 }, swing: null, winner: null, countsHidden: true } });
    expect((await read(debate.id)).motion).toMatchObject({ before: { for: 0, against: 0, undecided: 0 }, countsHidden: true });
    expect((await read(debate.id, ada.token)).motion).toMatchObject({ before: { for: 0, against: 0, undecided: 0 }, countsHidden: true });
    expect((await read(debate.id, host)).motion.before).toEqual({ for: 0, against: 2, undecided: 0 });
    await phase(debate.id, host, { action: "next" }); // rebuttals
    const late = await vote(bo.token, "before", "for");
    expect(late.status).toBe(403);
    expect(late.json.error.message).toMatch(/before vote is closed/);
    await phase(debate.id, host, { action: "next" }); // after-vote
    await vote(ada.token, "after", "for");
    await vote(bo.token, "after", "against");
    const motion = (await read(debate.id, host)).motion;
    expect(motion).toEqual({ text: "This house would ban homework.", before: { for: 0, against: 2, undecided: 0 }, after: { for: 1, against: 1, undecided: 0 }, swing: { for: 50, against: -50 }, winner: null });
    expect((await read(debate.id)).motion).toEqual({ text: "This house would ban homework.", before: { for: 0, against: 0, undecided: 0 }, after: { for: 0, against: 0, undecided: 0 }, swing: null, winner: null, countsHidden: true });

    // Live: a participant's socket gets the motion without counts, the facilitators' the polls; so does a participant catching up.
    const live = await connectParticipant(server.url, debate.id, ada.token);
    const hostLive = await connectParticipant(server.url, debate.id, host);
    sockets.push(live.socket, hostLive.socket);
    const withheld = nextEvent(live.socket, ServerEvent.change, (c) => c.kind === "motion.tallied");
    const full = nextEvent(hostLive.socket, ServerEvent.change, (c) => c.kind === "motion.tallied");
    await vote(bo.token, "after", "undecided");
    expect((await withheld).data).toMatchObject({ after: { for: 0, against: 0, undecided: 0 }, swing: null, countsHidden: true });
    expect((await full).data).toMatchObject({ after: { for: 1, against: 0, undecided: 1 } });
    expect((await full).data).not.toHaveProperty("countsHidden");
    const behind = await connectParticipant(server.url, debate.id, ada.token, 0);
    sockets.push(behind.socket);
    const caughtUp = await behind.catchUp;
    const motionChanges = caughtUp.mode === "changes" ? caughtUp.changes.filter((c) => c.kind === "motion.tallied") : [];
    expect(motionChanges.length).toBeGreaterThan(0);
    for (const c of motionChanges) expect(c.data).toMatchObject({ before: { for: 0, against: 0, undecided: 0 }, after: { for: 0, against: 0, undecided: 0 }, countsHidden: true });
    await vote(bo.token, "after", "against");

    const decided = nextEvent(live.socket, ServerEvent.change, (c) => c.kind === "motion.tallied" && c.data.winner !== null);
    await phase(debate.id, host, { action: "next" }); // results
    const decidedChange = await decided;
    expect(decidedChange.kind === "motion.tallied" && decidedChange.data.winner).toBe("for");
    expect(decidedChange.kind === "motion.tallied" && decidedChange.data.after).toEqual({ for: 1, against: 1, undecided: 0 });
    expect((await read(debate.id)).motion.winner).toBe("for");
    expect((await api(`/api/debates/${debate.id}/results`, { token: ada.token })).json.motion.winner).toBe("for");
    const closed = await vote(ada.token, "after", "against");
    expect(closed.status).toBe(403);
    expect((await read(debate.id)).motion.after).toEqual({ for: 1, against: 1, undecided: 0 });
  });

  it("the motion defaults to the thesis; bad votes are refused with a sentence; a classroom debate has no motion", async () => {
    const { debate, ada } = await debateOf("oxford");
    expect((await read(debate.id)).motion.text.length).toBeGreaterThan(5);
    for (const body of [{ stage: "during", value: "for" }, { stage: "before", value: "yes" }, {}]) {
      const reply = await motionVote(debate.id, ada.token, body);
      expect(reply.status).toBe(400);
      expect(reply.json.error.message.length).toBeGreaterThan(10);
    }
    const classroom = await debateOf("classroom");
    const none = await motionVote(classroom.debate.id, classroom.ada.token, { stage: "before", value: "for" });
    expect(none.status).toBe(403);
    expect(none.json.error.message).toMatch(/no motion vote/);
    const motionWithoutOxford = await api("/api/debates", { body: { sourceText: seedArticle, format: "classroom", motion: "x y z" }, token: facilitator });
    expect(motionWithoutOxford.status).toBe(400);
    expect(motionWithoutOxford.json.error.field).toBe("motion");
    const badDuration = await api("/api/debates", { body: { sourceText: seedArticle, format: "oxford", durations: { argue: 60 } }, token: facilitator });
    expect(badDuration.status).toBe(400);
    expect(badDuration.json.error.message).toMatch(/not a phase of a oxford debate/);
  });

  it("works as socket operations, with the phase for facilitators and the vote for participants", async () => {
    const { debate, host, ada } = await debateOf("oxford");
    const h = await connectParticipant(server.url, debate.id, host);
    const a = await connectParticipant(server.url, debate.id, ada.token);
    sockets.push(h.socket, a.socket);
    const seen = nextEvent(h.socket, ServerEvent.change, (c) => c.kind === "motion.tallied");
    const voted = await emitWithAck<MotionVoteDTO>(a.socket, ClientEvent.castMotionVote, { opId: randomUUID(), stage: "before", value: "for" });
    expect(voted.ok && voted.data).toMatchObject({ stage: "before", value: "for", motion: { before: { for: 0 }, countsHidden: true } });
    expect((await seen).data).toMatchObject({ before: { for: 1, against: 0, undecided: 0 } });
    const moved = await emitWithAck<PhaseStateDTO>(h.socket, ClientEvent.changePhase, { opId: randomUUID(), action: "start" });
    expect(moved.ok && moved.data.phase!.startedAt).not.toBeNull();
    const refused = await emitWithAck<PhaseStateDTO>(a.socket, ClientEvent.changePhase, { opId: randomUUID(), action: "next" });
    expect(!refused.ok && refused.error.code).toBe("forbidden");
    const bad = await emitWithAck<PhaseStateDTO>(h.socket, ClientEvent.changePhase, { opId: randomUUID(), action: "extend", seconds: -1 });
    expect(!bad.ok && bad.error.code).toBe("validation_failed");
  });

  it("a draft starts no phase until it is published", async () => {
    const created = (await api("/api/debates", { body: { sourceText: seedArticle, format: "classroom" }, token: facilitator })).json;
    expect((await read(created.id, created.hostToken)).phase).toBeNull();
    expect((await phase(created.id, created.hostToken, { action: "start" })).status).toBe(403);
    expect((await api(`/api/debates/${created.id}/publish`, { method: "POST", token: created.hostToken })).json.phase).toEqual({ name: "read", startedAt: null, endsAt: null, pausedAt: null });
  });
});

describe("results hidden until the results phase", () => {
  it("a participant's vote acknowledgement, live tallies and catch-up withhold the tally; facilitators get it", async () => {
    const { debate, host, ada } = await debateOf("classroom");
    const p = debate.propositions[0].id;
    const h = await connectParticipant(server.url, debate.id, host);
    const a = await connectParticipant(server.url, debate.id, ada.token);
    sockets.push(h.socket, a.socket);
    const bo = await connectParticipant(server.url, debate.id, (await api(`/api/debates/${debate.id}/participants`, { body: { displayName: "Bea" } })).json.token);
    sockets.push(bo.socket);
    const seenByBo: { tally: { agree: number } }[] = [];
    bo.socket.on(ServerEvent.voteTallied, (t) => seenByBo.push(t));
    const toHost = nextEvent(h.socket, ServerEvent.voteTallied, (t) => t.propositionId === p);
    const ack = await emitWithAck<{ tally: { agree: number }; version: number }>(a.socket, ClientEvent.castVote, { opId: randomUUID(), propositionId: p, value: "agree" });
    expect(ack.ok && ack.data).toMatchObject({ tally: { agree: 0 }, version: 0 });
    expect((await toHost).tally.agree).toBe(1);
    // The room's copy would have been sent in the same flush as the facilitators': one round trip on Bea's socket later, she has none.
    await emitWithAck(bo.socket, ClientEvent.resync, { lastSeq: 0 });
    expect(seenByBo).toEqual([]);
    const caughtUp = await emitWithAck<{ mode: string; tallies: { propositions: unknown[] } }>(a.socket, ClientEvent.resync, { lastSeq: 0 });
    expect(caughtUp.ok && caughtUp.data.mode === "changes" && caughtUp.data.tallies.propositions).toEqual([]);
    for (let i = 0; i < 4; i++) await phase(debate.id, host, { action: "next" });
    const after = await emitWithAck<{ mode: string; tallies: { propositions: { propositionId: string; tally: { agree: number } }[] } }>(a.socket, ClientEvent.resync, { lastSeq: 0 });
    expect(after.ok && after.data.tallies.propositions.find((t) => t.propositionId === p)!.tally.agree).toBe(1);
  });
});

describe("choosing the format before publishing", () => {
  it("PATCH settings changes format and motion of a draft, audited; refused once published", async () => {
    const created = (await api("/api/debates", { body: { sourceText: seedArticle }, token: facilitator })).json;
    const patch = (body: unknown) => api(`/api/debates/${created.id}/settings`, { method: "PATCH", body, token: created.hostToken });
    expect((await patch({ format: "oxford", motion: "This house would vote." })).status).toBe(200);
    const draft = await read(created.id, created.hostToken);
    expect(draft).toMatchObject({ format: "oxford", phase: null, motion: { text: "This house would vote." } });
    expect((await patch({ format: "classroom", durations: { arguments: 60 } })).json.error.message).toMatch(/not a phase of a classroom debate/);
    await api(`/api/debates/${created.id}/publish`, { method: "POST", token: created.hostToken });
    const late = await patch({ format: "classroom" });
    expect(late.status).toBe(409);
    expect(late.json.error.message).toMatch(/before the debate is published/);
    expect((await read(created.id)).format).toBe("oxford");
    const audit = (await api(`/api/debates/${created.id}/audit`, { token: created.hostToken })).json.entries.map((e: { action: string }) => e.action);
    expect(audit).toContain("debate.format_changed");
  });
});
