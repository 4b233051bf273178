/**
 * Running a debate (server/services/settings.ts, locks.ts, participants.ts, access.ts) through the JSON API and
 * sockets: visibility and listing, private debates and join codes, rotation,
 * observers, closing and reopening, locks, renaming, muting, removing,
 * facilitators, the debate's own rate limits, and rate-limit counters shared
 * through Redis by several server nodes.
 */
import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from "vitest";
import { type ArgumentDTO, type DebateChange, type DebateSettingsDTO, type PropositionDTO, ServerEvent } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { startServer, type RunningServer } from "../../server/app";
import { useTestServer } from "../support/test-server";
import { RateLimits } from "../../server/services/rate-limits";
import { api, facilitatorToken, randomAccount } from "../support/api-client";
import { seedArticle } from "../support/article";
import { redisForThisTest } from "../support/redis-server";
import { connectParticipant, emitWithAck, nextEvent } from "../support/socket-client";

const { server, sockets } = useTestServer({ serveApp: false, rateLimits: "off" });

type Created = { id: string; hostToken: string; host: { id: string }; propositions: { id: string }[] };

async function newDebate(url: string, body: { visibility?: "public" | "unlinked" | "private"; publish?: boolean; title?: string } = {}): Promise<Created> {
  const created = await api(url, "/api/debates", { body: { sourceText: seedArticle, publish: true, ...body }, token: await facilitatorToken(url) });
  expect(created.status).toBe(201);
  return created.json;
}

async function join(url: string, debateId: string, displayName: string, extra: Record<string, unknown> = {}) {
  const res = await api(url, `/api/debates/${debateId}/participants`, { body: { displayName, ...extra } });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return { id: res.json.participant.id as string, token: res.json.token as string, role: res.json.participant.role as string };
}

const argumentBody = (text: string) => ({ stance: "pro", body: plainTextToArgumentBody(text) });
const post = (url: string, debate: Created, token: string, propositionIndex = 0, text = "An argument.") =>
  api(url, `/api/debates/${debate.id}/arguments`, { token, body: { propositionId: debate.propositions[propositionIndex]!.id, ...argumentBody(text) } });
const vote = (url: string, debate: Created, token: string, propositionIndex = 0, value: string | null = "agree") =>
  api(url, `/api/debates/${debate.id}/propositions/${debate.propositions[propositionIndex]!.id}/vote`, { method: "PUT", token, body: { value } });
const settings = (url: string, debate: Created, token: string) => api(url, `/api/debates/${debate.id}/settings`, { token });

async function connect(debateId: string, token?: string) {
  const c = await connectParticipant(server.url, debateId, token);
  sockets.push(c.socket);
  return c.socket;
}

describe("visibility and listing", () => {
  it("lists public debates that are published or closed, never unlinked, private or draft ones", async () => {
    const open = await newDebate(server.url, { visibility: "public", title: `Public open ${randomUUID()}` });
    const closed = await newDebate(server.url, { visibility: "public", title: `Public closed ${randomUUID()}` });
    expect((await api(server.url, `/api/debates/${closed.id}/close`, { token: closed.hostToken, body: {} })).status).toBe(200);
    const unlinked = await newDebate(server.url, { visibility: "unlinked" });
    const secret = await newDebate(server.url, { visibility: "private" });
    const draft = await newDebate(server.url, { visibility: "public", publish: false });
    const defaulted = await newDebate(server.url);

    const ids = (await api(server.url, "/api/debates")).json.debates.map((d: { id: string }) => d.id);
    expect(ids).toContain(open.id);
    expect(ids).toContain(closed.id);
    for (const hidden of [unlinked, secret, draft, defaulted]) expect(ids).not.toContain(hidden.id);

    // Making an unlinked debate public lists it; making it private again unlists it.
    const made = await api(server.url, `/api/debates/${unlinked.id}/settings`, { method: "PATCH", token: unlinked.hostToken, body: { visibility: "public" } });
    expect(made.status).toBe(200);
    expect(made.json.visibility).toBe("public");
    expect((await api(server.url, "/api/debates")).json.debates.map((d: { id: string }) => d.id)).toContain(unlinked.id);
    await api(server.url, `/api/debates/${unlinked.id}/settings`, { method: "PATCH", token: unlinked.hostToken, body: { visibility: "private" } });
    expect((await api(server.url, "/api/debates")).json.debates.map((d: { id: string }) => d.id)).not.toContain(unlinked.id);
  });

  it("lets anyone with the link read and join public and unlinked debates, and closed ones too", async () => {
    for (const visibility of ["public", "unlinked"] as const) {
      const d = await newDebate(server.url, { visibility });
      expect((await api(server.url, `/api/debates/${d.id}`)).status).toBe(200);
      await join(server.url, d.id, "Reader");
    }
  });
});

describe("private debates and join codes", () => {
  let debate: Created;
  let code: string;
  beforeAll(async () => {
    debate = await newDebate(server.url, { visibility: "private" });
    code = (await settings(server.url, debate, debate.hostToken)).json.joinCode;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  });

  it("hides a private debate from anyone who has not joined: API 404 and no anonymous live room", async () => {
    const anonymous = await api(server.url, `/api/debates/${debate.id}`);
    expect(anonymous.status).toBe(404);
    expect(JSON.stringify(anonymous.json)).not.toContain("Hot Take");
    await expect(connectParticipant(server.url, debate.id)).rejects.toThrow(/join/i);
  });

  it("refuses joining without the code or with a wrong one, and accepts it in any case, with or without the dash", async () => {
    const without = await api(server.url, `/api/debates/${debate.id}/participants`, { body: { displayName: "Nocode" } });
    expect(without.status).toBe(403);
    expect(without.json.error.field).toBe("joinCode");
    const wrong = await api(server.url, `/api/debates/${debate.id}/participants`, { body: { displayName: "Wrong", joinCode: "ABCD-EFGH" } });
    expect(wrong.status).toBe(403);
    expect(wrong.json.error.message).toMatch(/join code is not right/);

    const lower = await join(server.url, debate.id, "Lower", { joinCode: code.toLowerCase() });
    expect((await api(server.url, `/api/debates/${debate.id}`, { token: lower.token })).status).toBe(200);

    const byCode = await api(server.url, "/api/join", { body: { code: ` ${code.replace("-", "").toLowerCase()} `, displayName: "Typed it" } });
    expect(byCode.status).toBe(201);
    expect(byCode.json.debateId).toBe(debate.id);
    expect(byCode.json.url).toBe(`/debates/${debate.id}`);
    expect(byCode.json.participant.role).toBe("debater");
    expect((await post(server.url, debate, byCode.json.token)).status).toBe(201);

    const dashed = await api(server.url, "/api/join", { body: { code: code.toLowerCase(), displayName: "Dashed" } });
    expect(dashed.status).toBe(201);
    const malformed = await api(server.url, "/api/join", { body: { code: "hello", displayName: "Typo" } });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.message).toMatch(/8 letters and digits/);
  });

  it("never sends the join code to anyone but facilitators", async () => {
    const student = await join(server.url, debate.id, "Student", { joinCode: code });
    const read = await api(server.url, `/api/debates/${debate.id}`, { token: student.token });
    const raw = code.replace("-", "");
    expect(JSON.stringify(read.json)).not.toContain(raw);
    expect(JSON.stringify(read.json)).not.toContain(code);
    const refused = await settings(server.url, debate, student.token);
    expect(refused.status).toBe(403);
    const changes = await server.db.debateChange.findMany({ where: { debateId: debate.id } });
    expect(JSON.stringify(changes)).not.toContain(raw);
  });

  it("rotating the code makes the old one fail with a clear message; those who joined keep their access", async () => {
    const before = await join(server.url, debate.id, "Early bird", { joinCode: code });
    const rotated = await api(server.url, `/api/debates/${debate.id}/join-code`, { token: debate.hostToken, body: {} });
    expect(rotated.status).toBe(200);
    expect(rotated.json.joinCode).not.toBe(code);

    const old = await api(server.url, "/api/join", { body: { code, displayName: "Latecomer" } });
    expect(old.status).toBe(404);
    expect(old.json.error.message).toMatch(/if they changed the code, ask for the new one/);
    const oldDirect = await api(server.url, `/api/debates/${debate.id}/participants`, { body: { displayName: "Latecomer", joinCode: code } });
    expect(oldDirect.status).toBe(403);

    expect((await api(server.url, `/api/debates/${debate.id}`, { token: before.token })).status).toBe(200);
    expect((await post(server.url, debate, before.token, 1, "Still here.")).status).toBe(201);
    expect((await api(server.url, "/api/join", { body: { code: rotated.json.joinCode, displayName: "On time" } })).status).toBe(201);

    const audit = await server.db.auditEntry.findMany({ where: { debateId: debate.id, action: "debate.join_code_rotated" } });
    expect(audit).toHaveLength(1);
  });

  it("lets people join as observers, who read but cannot write", async () => {
    const current = (await settings(server.url, debate, debate.hostToken)).json.joinCode;
    const watcher = await api(server.url, "/api/join", { body: { code: current, displayName: "Watcher", role: "observer" } });
    expect(watcher.status).toBe(201);
    expect(watcher.json.participant.role).toBe("observer");
    expect((await api(server.url, `/api/debates/${debate.id}`, { token: watcher.json.token })).status).toBe(200);
    const posted = await post(server.url, debate, watcher.json.token);
    expect(posted.status).toBe(403);
    expect(posted.json.error.message).toMatch(/Observers can read/);
    expect((await vote(server.url, debate, watcher.json.token)).status).toBe(403);
  });

  it("binds a signed-in facilitator's account to their participant, once per debate", async () => {
    const account = await api(server.url, "/api/accounts", { body: randomAccount("Co Host") });
    expect(account.status).toBe(201);
    const userId = account.json.user.id as string;
    const current = (await settings(server.url, debate, debate.hostToken)).json.joinCode as string;
    const joined = await server.services.joinDebate(debate.id, { displayName: "Co Host", joinCode: current.toLowerCase() }, { address: "test", userId });
    expect((await server.db.participant.findUniqueOrThrow({ where: { id: joined.participant.id } })).userId).toBe(userId);
    await expect(server.services.joinDebate(debate.id, { displayName: "Co Host again", joinCode: current }, { address: "test", userId })).rejects.toMatchObject({ code: "conflict", message: "You are already in this debate." });
  });

  it("refuses joining a draft", async () => {
    const draft = await newDebate(server.url, { publish: false });
    const res = await api(server.url, `/api/debates/${draft.id}/participants`, { body: { displayName: "Too early" } });
    expect(res.status).toBe(403);
    expect(res.json.error.message).toMatch(/not open yet/);
  });
});

describe("closing and reopening", () => {
  it("makes every write fail with the closed message until a facilitator reopens it", async () => {
    const debate = await newDebate(server.url);
    const ada = await join(server.url, debate.id, "Ada");
    const posted = await post(server.url, debate, ada.token, 0, "Before closing.");
    expect(posted.status).toBe(201);
    const argumentId = posted.json.id as string;
    const adaSocket = await connect(debate.id, ada.token);
    const hostSocket = await connect(debate.id, debate.hostToken);

    const opId = randomUUID();
    const updated = nextEvent(adaSocket, ServerEvent.change, (c) => c.kind === "debate.updated");
    const closed = await emitWithAck<DebateSettingsDTO>(hostSocket, ClientEvent.closeDebate, { opId });
    expect(closed).toMatchObject({ ok: true, data: { status: "closed" } });
    expect(((await updated) as Extract<DebateChange, { kind: "debate.updated" }>).data.status).toBe("closed");
    // The same operation again (a double click) is answered, not refused.
    expect(await emitWithAck(hostSocket, ClientEvent.closeDebate, { opId })).toMatchObject({ ok: true });

    const closedMessage = /This debate is closed/;
    const attempts = [
      await post(server.url, debate, ada.token, 0, "After closing."),
      await vote(server.url, debate, ada.token),
      await api(server.url, `/api/debates/${debate.id}/arguments/${argumentId}/rating`, { method: "PUT", token: debate.hostToken, body: { value: "up" } }),
      await api(server.url, `/api/debates/${debate.id}/arguments/${argumentId}`, { method: "PATCH", token: ada.token, body: { body: plainTextToArgumentBody("Edited.") } }),
      await api(server.url, `/api/debates/${debate.id}/arguments/${argumentId}/sources`, { token: ada.token, body: { url: "https://example.org/", title: "Example" } }),
      await api(server.url, `/api/debates/${debate.id}/propositions/${debate.propositions[0]!.id}`, { method: "PATCH", token: debate.hostToken, body: { text: "Reworded." } }),
    ];
    for (const a of attempts) {
      expect(a.status, JSON.stringify(a.json)).toBe(403);
      expect(a.json.error.message).toMatch(closedMessage);
    }
    const onSocket = await emitWithAck<ArgumentDTO>(adaSocket, ClientEvent.postArgument, { opId: randomUUID(), propositionId: debate.propositions[0]!.id, ...argumentBody("Socket after closing.") });
    expect(onSocket.ok).toBe(false);
    if (!onSocket.ok) expect(onSocket.error.message).toMatch(closedMessage);
    const lock = await emitWithAck(hostSocket, ClientEvent.lockProposition, { propositionId: debate.propositions[0]!.id, locked: true });
    expect(lock.ok).toBe(false);

    // Still readable; latecomers may join to read, as observers only.
    const read = await api(server.url, `/api/debates/${debate.id}`);
    expect(read.json.status).toBe("closed");
    const late = await join(server.url, debate.id, "Late reader");
    expect(late.role).toBe("observer");
    const asDebater = await api(server.url, `/api/debates/${debate.id}/participants`, { body: { displayName: "Late debater", role: "debater" } });
    expect(asDebater.status).toBe(403);

    const reopened = await api(server.url, `/api/debates/${debate.id}/reopen`, { token: debate.hostToken, body: {} });
    expect(reopened.status).toBe(200);
    expect(reopened.json.status).toBe("published");
    expect((await post(server.url, debate, ada.token, 0, "After reopening.")).status).toBe(201);
    expect((await vote(server.url, debate, ada.token)).status).toBe(200);

    const actions = (await server.db.auditEntry.findMany({ where: { debateId: debate.id }, orderBy: { createdAt: "asc" } })).map((e) => e.action);
    // The debate was created published: its publication comes first (docs/decisions/0021).
    expect(actions).toEqual(["debate.published", "debate.closed", "debate.reopened"]);
    const row = await server.db.debate.findUniqueOrThrow({ where: { id: debate.id } });
    expect(row.closedAt).toBeNull();
  });

  it("refuses closing to debaters", async () => {
    const debate = await newDebate(server.url);
    const ben = await join(server.url, debate.id, "Ben");
    const res = await api(server.url, `/api/debates/${debate.id}/close`, { token: ben.token, body: {} });
    expect(res.status).toBe(403);
  });
});

describe("locking a proposition", () => {
  it("refuses arguments, ratings and votes on that proposition only, and tells everyone", async () => {
    const debate = await newDebate(server.url);
    const ada = await join(server.url, debate.id, "Ada");
    const earlier = await post(server.url, debate, ada.token, 0, "Before the lock.");
    const adaSocket = await connect(debate.id, ada.token);
    const hostSocket = await connect(debate.id, debate.hostToken);

    const seen = nextEvent(adaSocket, ServerEvent.change, (c) => c.kind === "proposition.updated");
    const locked = await emitWithAck<PropositionDTO>(hostSocket, ClientEvent.lockProposition, { opId: randomUUID(), propositionId: debate.propositions[0]!.id, locked: true });
    expect(locked).toMatchObject({ ok: true, data: { id: debate.propositions[0]!.id, locked: true } });
    expect(((await seen) as Extract<DebateChange, { kind: "proposition.updated" }>).data.locked).toBe(true);

    const refusedPost = await post(server.url, debate, ada.token, 0, "On a locked one.");
    expect(refusedPost.status).toBe(403);
    expect(refusedPost.json.error.message).toMatch(/locked this proposition/);
    expect((await vote(server.url, debate, ada.token, 0)).status).toBe(403);
    expect((await api(server.url, `/api/debates/${debate.id}/arguments/${earlier.json.id}/rating`, { method: "PUT", token: debate.hostToken, body: { value: "up" } })).status).toBe(403);
    const onSocket = await emitWithAck(adaSocket, ClientEvent.castVote, { opId: randomUUID(), propositionId: debate.propositions[0]!.id, value: "agree" });
    expect(onSocket.ok).toBe(false);

    expect((await post(server.url, debate, ada.token, 1, "On another one.")).status).toBe(201);
    expect((await vote(server.url, debate, ada.token, 1)).status).toBe(200);
    expect((await api(server.url, `/api/debates/${debate.id}`)).json.propositions[0].locked).toBe(true);

    // Debaters cannot unlock; the facilitator can, through the API too.
    const byDebater = await api(server.url, `/api/debates/${debate.id}/propositions/${debate.propositions[0]!.id}/lock`, { method: "PUT", token: ada.token, body: { locked: false } });
    expect(byDebater.status).toBe(403);
    const unlocked = await api(server.url, `/api/debates/${debate.id}/propositions/${debate.propositions[0]!.id}/lock`, { method: "PUT", token: debate.hostToken, body: { locked: false } });
    expect(unlocked.json.locked).toBe(false);
    expect((await post(server.url, debate, ada.token, 0, "Unlocked again.")).status).toBe(201);
    const actions = (await server.db.auditEntry.findMany({ where: { debateId: debate.id }, orderBy: { createdAt: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["debate.published", "proposition.locked", "proposition.unlocked"]);
  });
});

describe("managing participants", () => {
  let debate: Created;
  beforeAll(async () => {
    debate = await newDebate(server.url);
  });
  const patch = (token: string, participantId: string, body: unknown) => api(server.url, `/api/debates/${debate.id}/participants/${participantId}`, { method: "PATCH", token, body });

  it("lists participants for facilitators only", async () => {
    const ada = await join(server.url, debate.id, "Listed Ada");
    const list = await api(server.url, `/api/debates/${debate.id}/participants`, { token: debate.hostToken });
    expect(list.status).toBe(200);
    const row = list.json.participants.find((p: { id: string }) => p.id === ada.id);
    expect(row).toMatchObject({ displayName: "Listed Ada", role: "debater", muted: false, removed: false, argumentCount: 0 });
    expect(list.json.participants[0].role).toBe("host");
    expect((await api(server.url, `/api/debates/${debate.id}/participants`, { token: ada.token })).status).toBe(403);
  });

  it("renames: everyone is told, and their arguments show the new name", async () => {
    const ada = await join(server.url, debate.id, "Ada");
    const argument = await post(server.url, debate, ada.token, 0, "Named argument.");
    const watcher = await connect(debate.id);
    const seen = nextEvent(watcher, ServerEvent.change, (c) => c.kind === "participant.updated");
    const renamed = await patch(debate.hostToken, ada.id, { displayName: "  Ada   Lovelace " });
    expect(renamed.status).toBe(200);
    expect(renamed.json.displayName).toBe("Ada Lovelace");
    expect(((await seen) as Extract<DebateChange, { kind: "participant.updated" }>).data).toMatchObject({ id: ada.id, displayName: "Ada Lovelace", muted: false, removed: false });
    const read = await api(server.url, `/api/debates/${debate.id}`);
    expect(read.json.arguments.find((a: ArgumentDTO) => a.id === argument.json.id).author.displayName).toBe("Ada Lovelace");
    const bad = await patch(debate.hostToken, ada.id, { displayName: "Bad\u202Ename" });
    expect(bad.status).toBe(400);
  });

  it("mutes: no posting (also on a socket opened before), voting still allowed; unmute restores", async () => {
    const ben = await join(server.url, debate.id, "Ben");
    const benSocket = await connect(debate.id, ben.token);
    const muted = await patch(debate.hostToken, ben.id, { muted: true });
    expect(muted.json.muted).toBe(true);
    const refused = await post(server.url, debate, ben.token);
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toMatch(/muted you/);
    const onSocket = await emitWithAck(benSocket, ClientEvent.postArgument, { opId: randomUUID(), propositionId: debate.propositions[0]!.id, ...argumentBody("Muted on a socket.") });
    expect(onSocket.ok).toBe(false);
    if (!onSocket.ok) expect(onSocket.error.message).toMatch(/muted you/);
    expect((await vote(server.url, debate, ben.token)).status).toBe(200);
    expect((await emitWithAck(benSocket, ClientEvent.castVote, { opId: randomUUID(), propositionId: debate.propositions[1]!.id, value: "unsure" })).ok).toBe(true);
    await patch(debate.hostToken, ben.id, { muted: false });
    expect((await emitWithAck(benSocket, ClientEvent.postArgument, { opId: randomUUID(), propositionId: debate.propositions[0]!.id, ...argumentBody("Unmuted.") })).ok).toBe(true);
    const actions = (await server.db.auditEntry.findMany({ where: { debateId: debate.id, targetId: ben.id }, orderBy: { createdAt: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["participant.muted", "participant.unmuted"]);
  });

  it("removes: their live socket is told and disconnected at once, their token gets 401, their arguments stay", async () => {
    const cas = await join(server.url, debate.id, "Cas");
    const argument = await post(server.url, debate, cas.token, 1, "Stays after removal.");
    const casSocket = await connect(debate.id, cas.token);
    const told = nextEvent(casSocket, ServerEvent.error);
    const gone = new Promise<string>((resolve) => casSocket.once("disconnect", resolve));
    const removed = await api(server.url, `/api/debates/${debate.id}/participants/${cas.id}`, { method: "DELETE", token: debate.hostToken });
    expect(removed.status).toBe(200);
    expect(removed.json.removed).toBe(true);
    expect((await told).message).toMatch(/removed you/);
    expect(await gone).toBe("io server disconnect");
    const after = await post(server.url, debate, cas.token);
    expect(after.status).toBe(401);
    expect((await api(server.url, `/api/debates/${debate.id}`)).json.arguments.some((a: ArgumentDTO) => a.id === argument.json.id)).toBe(true);
    const again = await api(server.url, `/api/debates/${debate.id}/participants/${cas.id}`, { method: "DELETE", token: debate.hostToken });
    expect(again.status).toBe(409);
  });

  it("enforces a mute made on another server node within a second, on a socket opened before", async () => {
    const other = await startServer({ databaseUrl: inject("databaseUrl"), port: 0, serveApp: false, rateLimits: "off" });
    try {
      const eve = await join(server.url, debate.id, "Eve");
      const c = await connectParticipant(other.url, debate.id, eve.token);
      sockets.push(c.socket);
      const postOnOther = () => emitWithAck(c.socket, ClientEvent.postArgument, { opId: randomUUID(), propositionId: debate.propositions[0]!.id, ...argumentBody("From the other node.") });
      expect((await postOnOther()).ok).toBe(true);
      await patch(debate.hostToken, eve.id, { muted: true });
      await new Promise((r) => setTimeout(r, 1_100));
      const refused = await postOnOther();
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error.message).toMatch(/muted you/);
    } finally {
      await other.close();
    }
  });

  it("switches debaters and observers", async () => {
    const dee = await join(server.url, debate.id, "Dee");
    expect((await patch(debate.hostToken, dee.id, { role: "observer" })).json.role).toBe("observer");
    expect((await post(server.url, debate, dee.token)).status).toBe(403);
    expect((await patch(debate.hostToken, dee.id, { role: "debater" })).json.role).toBe("debater");
    expect((await post(server.url, debate, dee.token)).status).toBe(201);
  });

  it("keeps the host and facilitators out of facilitators' reach; only the host appoints; nobody mutes themselves", async () => {
    const fay = await join(server.url, debate.id, "Fay");
    const gus = await join(server.url, debate.id, "Gus");
    const hal = await join(server.url, debate.id, "Hal");
    const host = debate.host.id;

    // A debater can neither lock nor appoint.
    expect((await api(server.url, `/api/debates/${debate.id}/propositions/${debate.propositions[2]!.id}/lock`, { method: "PUT", token: fay.token, body: { locked: true } })).status).toBe(403);
    expect((await patch(fay.token, gus.id, { muted: true })).status).toBe(403);

    // The host appoints Fay, who can then lock and manage debaters…
    expect((await patch(debate.hostToken, fay.id, { role: "facilitator" })).json.role).toBe("facilitator");
    const lock = await api(server.url, `/api/debates/${debate.id}/propositions/${debate.propositions[2]!.id}/lock`, { method: "PUT", token: fay.token, body: { locked: true } });
    expect(lock.status).toBe(200);
    expect(lock.json.locked).toBe(true);
    expect((await patch(fay.token, gus.id, { muted: true })).status).toBe(200);

    // …but not mute or remove the host, touch another facilitator, appoint, or mute herself.
    const muteHost = await patch(fay.token, host, { muted: true });
    expect(muteHost.status).toBe(403);
    expect(muteHost.json.error.message).toMatch(/host/);
    expect((await api(server.url, `/api/debates/${debate.id}/participants/${host}`, { method: "DELETE", token: fay.token })).status).toBe(403);
    expect((await patch(debate.hostToken, hal.id, { role: "facilitator" })).status).toBe(200);
    expect((await patch(fay.token, hal.id, { muted: true })).status).toBe(403);
    expect((await patch(fay.token, gus.id, { role: "facilitator" })).status).toBe(403);
    const self = await patch(fay.token, fay.id, { muted: true });
    expect(self.status).toBe(403);
    expect(self.json.error.message).toMatch(/yourself/);
    expect((await patch(debate.hostToken, host, { muted: true })).status).toBe(403);
    // Renaming oneself is fine.
    expect((await patch(fay.token, fay.id, { displayName: "Ms Fay" })).json.displayName).toBe("Ms Fay");

    // The host revokes Hal, who can no longer lock.
    expect((await patch(debate.hostToken, hal.id, { role: "debater" })).json.role).toBe("debater");
    expect((await api(server.url, `/api/debates/${debate.id}/propositions/${debate.propositions[2]!.id}/lock`, { method: "PUT", token: hal.token, body: { locked: false } })).status).toBe(403);
  });

  it("refuses participants of another debate", async () => {
    const other = await newDebate(server.url);
    const stranger = await join(server.url, other.id, "Stranger");
    expect((await patch(debate.hostToken, stranger.id, { muted: true })).status).toBe(404);
  });
});

describe("the debate's own rate limits", () => {
  let limited: RunningServer;
  beforeAll(async () => {
    limited = await startServer({ databaseUrl: inject("databaseUrl"), port: 0, serveApp: false });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it("applies a facilitator's argument rule to that debate only, within safe bounds, and resets to the defaults", async () => {
    const strict = await newDebate(limited.url);
    const relaxed = await newDebate(limited.url);
    const setRules = (body: unknown) => api(limited.url, `/api/debates/${strict.id}/settings`, { method: "PATCH", token: strict.hostToken, body });

    expect((await setRules({ rateLimits: { argument: { points: 0, durationSeconds: 60 } } })).status).toBe(400);
    expect((await setRules({ rateLimits: { argument: { points: 5, durationSeconds: 7200 } } })).status).toBe(400);
    const set = await setRules({ rateLimits: { argument: { points: 1, durationSeconds: 60 } } });
    expect(set.status).toBe(200);
    expect(set.json.rateLimits).toEqual({ argument: { points: 1, durationSeconds: 60 }, vote: null });

    const ada = await join(limited.url, strict.id, "Ada");
    expect((await post(limited.url, strict, ada.token, 0, "First.")).status).toBe(201);
    const second = await post(limited.url, strict, ada.token, 0, "Second.");
    expect(second.status).toBe(429);
    expect(second.json.error.retryAfterSeconds).toBeGreaterThan(30);

    const ben = await join(limited.url, relaxed.id, "Ben");
    expect((await post(limited.url, relaxed, ben.token, 0, "First.")).status).toBe(201);
    expect((await post(limited.url, relaxed, ben.token, 0, "Second.")).status).toBe(201);

    const reset = await setRules({ rateLimits: null });
    expect(reset.json.rateLimits).toEqual({ argument: null, vote: null });
    const cas = await join(limited.url, strict.id, "Cas");
    expect((await post(limited.url, strict, cas.token, 0, "One.")).status).toBe(201);
    expect((await post(limited.url, strict, cas.token, 0, "Two.")).status).toBe(201);
    expect(await limited.db.auditEntry.count({ where: { debateId: strict.id, action: "debate.rate_limits_changed" } })).toBe(2);
  });
});

describe("rate-limit counters shared through Redis", () => {
  it("counts one participant's actions once across two server nodes", async () => {
    const url = await redisForThisTest();
    const clients: ReturnType<typeof createClient>[] = [];
    // onTestFinished hooks run last-registered first: the clients quit before this test's Redis stops.
    onTestFinished(() => Promise.all(clients.map((c) => c.quit().catch(() => undefined))).then(() => undefined));
    const connected = async () => {
      const c = createClient({ url });
      clients.push(c);
      await c.connect();
      return c;
    };
    const nodeA = new RateLimits(undefined, { redis: await connected() });
    const nodeB = new RateLimits(undefined, { redis: await connected() });
    expect(nodeA.store).toBe("redis");
    const key = randomUUID();
    const rule = { points: 2, durationSeconds: 60 };
    await nodeA.consume("argument", key, rule);
    await nodeB.consume("argument", key, rule);
    await expect(nodeA.consume("argument", key, rule)).rejects.toMatchObject({ code: "rate_limited" });
    await expect(nodeB.consume("argument", key, rule)).rejects.toMatchObject({ code: "rate_limited" });

    // Without Redis, each node counts only its own share.
    const alone = [new RateLimits(), new RateLimits()];
    const other = randomUUID();
    await alone[0]!.consume("argument", other, rule);
    await alone[0]!.consume("argument", other, rule);
    await expect(alone[1]!.consume("argument", other, rule)).resolves.toBeUndefined();
  });
});
