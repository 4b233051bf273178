/**
 * Regressions for holes found by attacking the access control of issue 3
 * against the running app (needs `npm run build`: pages are served from build/):
 *
 * - [O1] `?next=` after signing in could leave the site through dot segments
 *   ("/.//evil.example" was resolved to the protocol-relative "//evil.example").
 * - [S1] Creating a debate in the browser set a 180-day host participant cookie
 *   besides the session: after signing out, that browser was still the host
 *   (settings, join code, moderation) — on a shared computer, for the next person.
 * - [S2] A live connection opened with a session or an API token kept acting as
 *   the host after the session was signed out or the token revoked (and one that
 *   only listened kept receiving facilitator-only events).
 * - [P1] Anonymous readers connected while a debate was public kept receiving
 *   its changes, and could ask for a full snapshot, after it was made private.
 * - [C1] A catch-up from an old change number replayed the body of an argument
 *   its author had since deleted (and earlier versions of edited ones) to anyone.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { io } from "socket.io-client";
import { type CatchUpPayload, ServerEvent, type WelcomePayload } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { startServer } from "../../server/app";
import { useTestServer } from "../support/test-server";
import { api, randomAccount } from "../support/api-client";
import { seedArticle } from "../support/article";
import { postForm } from "../support/page-client";
import { connectParticipant, emitWithAck, nextEvent, type TestSocket } from "../support/socket-client";

const { server, sockets, connect } = useTestServer({ serveApp: true, rateLimits: "off" });

/** The `name=value` pairs a reply sets (the cookies a browser would hold afterwards). */
const setCookiePairs = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]!);

/** Signs up through the page; returns the account and its `sm_session=…` pair. */
async function signUpByPage() {
  const account = randomAccount("Ms Rivera");
  const res = await postForm(server.url, "/signup", account);
  expect(res.status).toBe(302);
  const session = setCookiePairs(res).find((c) => c.startsWith("sm_session="));
  expect(session).toBeDefined();
  return { account, session: session! };
}

/** Signs up through the API; returns its first API token. */
async function apiAccount() {
  const res = await api(server.url, "/api/accounts", { body: randomAccount("Script Host") });
  expect(res.status).toBe(201);
  return res.json.apiToken as string;
}

async function newDebate(token: string, visibility: "public" | "unlinked" | "private" = "public") {
  const res = await api(server.url, "/api/debates", { token, body: { sourceText: seedArticle, publish: true, visibility } });
  expect(res.status).toBe(201);
  return res.json as { id: string; propositions: { id: string }[] };
}

async function join(debateId: string, displayName: string) {
  const res = await api(server.url, `/api/debates/${debateId}/participants`, { body: { displayName } });
  expect(res.status).toBe(201);
  return res.json as { participant: { id: string }; token: string };
}

/** A socket authenticated only by the Cookie header of its handshake (as a browser's). */
async function connectWithCookie(debateId: string, cookie: string) {
  const socket: TestSocket = io(server.url, { auth: { debateId }, transports: ["websocket"], forceNew: true, reconnection: false, extraHeaders: { cookie } });
  sockets.push(socket);
  const welcome = await new Promise<WelcomePayload>((resolve, reject) => {
    socket.once(ServerEvent.welcome, resolve);
    socket.once("connect_error", reject);
  });
  return { socket, welcome };
}

const disconnected = (socket: TestSocket) => new Promise<string>((resolve) => (socket.disconnected ? resolve("already") : socket.once("disconnect", resolve)));

describe("[O1] ?next= after signing in stays on this site", () => {
  it("refuses paths whose dot segments resolve to another host, on sign-in and when already signed in", async () => {
    const { account, session } = await signUpByPage();
    for (const next of ["/.//evil.example/x", "/..//evil.example", "/a/..//evil.example", "/%2e//evil.example", "/%2E%2e//evil.example"]) {
      const res = await postForm(server.url, "/login", { email: account.email, password: account.password, next });
      expect(res.status, next).toBe(302);
      expect(res.headers.get("location"), next).toBe("/");
      const signedIn = await fetch(`${server.url}/login?next=${encodeURIComponent(next)}`, { redirect: "manual", headers: { cookie: session } });
      expect(signedIn.status, next).toBe(302);
      expect(signedIn.headers.get("location"), next).toBe("/");
    }
    // Ordinary paths (with a harmless dot segment) still work.
    const ok = await postForm(server.url, "/login", { email: account.email, password: account.password, next: "/debates/./new" });
    expect(ok.headers.get("location")).toBe("/debates/new");
  });
});

describe("[S1] signing out ends the host's power in that browser", () => {
  it("creating a debate in the browser sets no participant cookie, so after signing out the browser is nobody", async () => {
    const { session } = await signUpByPage();
    const created = await postForm(server.url, "/debates/new", { sourceText: seedArticle }, session);
    expect(created.status).toBe(302);
    const debateId = /^\/debates\/([0-9a-f-]{36})\/edit$/.exec(created.headers.get("location") ?? "")![1]!;
    // Only the session identifies the host.
    expect(setCookiePairs(created).filter((c) => c.startsWith("sm_"))).toEqual([]);
    const cookies = [session, ...setCookiePairs(created)].join("; ");
    expect((await postForm(server.url, `/debates/${debateId}/edit`, { intent: "publish" }, cookies)).status).toBe(302);
    const settingsWhileIn = await fetch(`${server.url}/debates/${debateId}/settings`, { headers: { cookie: cookies } });
    expect(settingsWhileIn.status).toBe(200);
    const rendered = async (cookie: string) => (await (await fetch(`${server.url}/debates/${debateId}`, { headers: cookie ? { cookie } : {} })).text()).replace(/<script\b[\s\S]*?<\/script>/g, "");
    // Signed in, the page as rendered (its scripts left out: they carry the interface's messages, role names
    // among them) has the host's controls.
    expect(await rendered(cookies)).toContain("facilitator-bar");

    const out = await postForm(server.url, "/logout", {}, cookies);
    expect(out.status).toBe(302);
    // What the browser still holds after signing out: everything but the cleared session.
    const left = [...setCookiePairs(created), ...setCookiePairs(out)].filter((c) => !c.startsWith("sm_session=")).join("; ");
    const settingsAfter = await fetch(`${server.url}/debates/${debateId}/settings`, { headers: left ? { cookie: left } : {} });
    expect(settingsAfter.status).toBe(401);
    // The refusal page says what to do, in the reader's language.
    expect(await settingsAfter.text()).toContain("Sign in with the facilitator account that runs this debate to change its settings and manage its participants.");
    const inGerman = await fetch(`${server.url}/debates/${debateId}/moderation`, { headers: { ...(left ? { cookie: left } : {}), "Accept-Language": "de" } });
    expect(inGerman.status).toBe(401);
    expect(await inGerman.text()).toContain("Melden Sie sich mit dem Moderationskonto an, das diese Debatte leitet, um sie moderieren.");
    const page = await fetch(`${server.url}/debates/${debateId}.data`, { headers: left ? { cookie: left } : {} });
    expect(await page.text()).not.toMatch(/"joinCode"/);
    // Signed out, it offers the join form and none of the host's controls.
    const after = await rendered(left);
    expect(after).toContain("Pick a display name to take part");
    expect(after).not.toContain("facilitator-bar");
  });
});

describe("[S2] live connections stop acting when their sign-in ends", () => {
  it("a socket opened with a session that was signed out everywhere is refused and closed at its next write", async () => {
    const { session } = await signUpByPage();
    const created = await postForm(server.url, "/debates/new", { sourceText: seedArticle }, session);
    const debateId = /^\/debates\/([0-9a-f-]{36})\/edit$/.exec(created.headers.get("location") ?? "")![1]!;
    expect((await postForm(server.url, `/debates/${debateId}/edit`, { intent: "publish" }, session)).status).toBe(302);
    const propositionId = (await server.db.proposition.findFirstOrThrow({ where: { debateId }, orderBy: { position: "asc" } })).id;
    const { socket, welcome } = await connectWithCookie(debateId, session);
    expect(welcome.participant?.role).toBe("host");
    // While signed in, it acts.
    expect((await emitWithAck(socket, ClientEvent.lockProposition, { propositionId, locked: true })).ok).toBe(true);

    expect((await postForm(server.url, "/account", { intent: "signOutEverywhere" }, session)).status).toBe(302);
    await new Promise((r) => setTimeout(r, 1_100)); // past the per-socket re-check interval
    const gone = disconnected(socket);
    const refused = await emitWithAck(socket, ClientEvent.lockProposition, { propositionId, locked: false });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe("unauthenticated");
      expect(refused.error.message).toMatch(/sign-in has ended/);
    }
    expect(await gone).toBe("io server disconnect");
    expect((await server.db.proposition.findUniqueOrThrow({ where: { id: propositionId } })).lockedAt).not.toBeNull();
  });

  it("a socket opened with an API token that was revoked is refused at its next write", async () => {
    const token = await apiAccount();
    const debate = await newDebate(token);
    const { socket, welcome } = await connect(debate.id, token);
    expect(welcome.participant?.role).toBe("host");
    const user = await server.db.apiToken.findFirstOrThrow({ where: { prefix: token.slice(0, 12) } });
    await server.services.revokeApiToken(user.userId, user.id);
    await new Promise((r) => setTimeout(r, 1_100));
    const refused = await emitWithAck(socket, ClientEvent.closeDebate, {});
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe("unauthenticated");
    expect((await server.db.debate.findUniqueOrThrow({ where: { id: debate.id } })).status).toBe("published");
  });

  it("[V1] a revoked API token is refused at the very next write, in the same millisecond, with no re-check interval (issue 9)", async () => {
    const token = await apiAccount();
    const debate = await newDebate(token);
    const { socket } = await connect(debate.id, token);
    // A write right before, so that a re-check interval (if any) would have just been reset.
    expect((await emitWithAck(socket, ClientEvent.lockProposition, { propositionId: debate.propositions[0]!.id, locked: true })).ok).toBe(true);
    const stored = await server.db.apiToken.findFirstOrThrow({ where: { prefix: token.slice(0, 12) } });
    await server.services.revokeApiToken(stored.userId, stored.id);
    const refused = await emitWithAck(socket, ClientEvent.lockProposition, { propositionId: debate.propositions[0]!.id, locked: false });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe("unauthenticated");
    expect((await server.db.proposition.findUniqueOrThrow({ where: { id: debate.propositions[0]!.id } })).lockedAt).not.toBeNull();
  });

  it("[V2] muting or re-roling a participant on another server process takes effect on that socket's very next write (issue 9)", async () => {
    const other = await startServer({ databaseUrl: inject("databaseUrl"), port: 0, serveApp: false, rateLimits: "off" });
    try {
      const token = await apiAccount();
      const debate = await newDebate(token);
      const ann = await join(debate.id, "Ann");
      // Ann's socket is on the other process; the facilitator acts through this one.
      const annSocket = await connectParticipant(other.url, debate.id, ann.token);
      sockets.push(annSocket.socket);
      const propositionId = debate.propositions[0]!.id;
      const post = (text: string) => emitWithAck(annSocket.socket, ClientEvent.postArgument, { opId: randomUUID(), propositionId, stance: "pro", body: plainTextToArgumentBody(text) });
      expect((await post("Before the mute.")).ok).toBe(true);
      const host = await server.services.requireActor(debate.id, { apiToken: token });
      await server.services.updateParticipant(host, debate.id, ann.participant.id, { muted: true });
      const muted = await post("Right after the mute.");
      expect(muted.ok).toBe(false);
      if (!muted.ok) expect(muted.error.code).toBe("forbidden");
      await server.services.updateParticipant(host, debate.id, ann.participant.id, { muted: false, role: "observer" });
      const observer = await emitWithAck(annSocket.socket, ClientEvent.castVote, { opId: randomUUID(), propositionId, value: "agree" });
      expect(observer.ok).toBe(false);
      if (!observer.ok) expect(observer.error.code).toBe("forbidden");
      expect(await server.db.argument.count({ where: { propositionId, bodyText: "Right after the mute." } })).toBe(0);
    } finally {
      await other.close();
    }
  });

  it("a socket that only listens is told and disconnected by the sign-in sweep once its API token is revoked", async () => {
    const sweeping = await startServer({ databaseUrl: inject("databaseUrl"), port: 0, serveApp: false, rateLimits: "off", signInSweepMs: 200 });
    try {
      const account = await api(sweeping.url, "/api/accounts", { body: randomAccount("Listening Host") });
      const token = account.json.apiToken as string;
      const debate = (await api(sweeping.url, "/api/debates", { token, body: { sourceText: seedArticle, publish: true } })).json as { id: string; propositions: { id: string }[] };
      const listener = await connectParticipant(sweeping.url, debate.id, token);
      sockets.push(listener.socket);
      expect(listener.welcome.participant?.role).toBe("host");
      // Still signed in: the sweep leaves it alone for several rounds.
      await new Promise((r) => setTimeout(r, 700));
      expect(listener.socket.connected).toBe(true);

      const told = nextEvent(listener.socket, ServerEvent.error, (e) => e.code === "unauthenticated", 3_000);
      const closed = new Promise<string>((resolve) => listener.socket.once("disconnect", resolve));
      const stored = await sweeping.db.apiToken.findFirstOrThrow({ where: { prefix: token.slice(0, 12) } });
      await sweeping.services.revokeApiToken(stored.userId, stored.id);
      expect((await told).message).toMatch(/sign-in has ended/);
      expect(await closed).toBe("io server disconnect");
    } finally {
      await sweeping.close();
    }
  });

  it("a participant's socket keeps working across the re-check (same participant, still there)", async () => {
    const token = await apiAccount();
    const debate = await newDebate(token);
    const ann = await join(debate.id, "Ann");
    const { socket } = await connect(debate.id, ann.token);
    await new Promise((r) => setTimeout(r, 1_100));
    const vote = await emitWithAck(socket, ClientEvent.castVote, { propositionId: debate.propositions[0]!.id, value: "agree" });
    expect(vote.ok).toBe(true);
    expect(socket.connected).toBe(true);
  });
});

describe("[P1] making a debate private ends anonymous reading at once", () => {
  it("disconnects readers who had not joined, and sends them none of what is posted afterwards", async () => {
    const token = await apiAccount();
    const debate = await newDebate(token, "public");
    const ann = await join(debate.id, "Ann");
    const anon = await connect(debate.id);
    const member = await connect(debate.id, ann.token);
    const received: string[] = [];
    anon.socket.on(ServerEvent.change, (c) => received.push(JSON.stringify(c)));
    const error = nextEvent(anon.socket, ServerEvent.error);
    const gone = disconnected(anon.socket);

    const made = await api(server.url, `/api/debates/${debate.id}/settings`, { method: "PATCH", token, body: { visibility: "private" } });
    expect(made.status).toBe(200);
    expect((await error).message).toMatch(/now private/);
    expect(await gone).toBe("io server disconnect");

    const secret = `Posted after going private ${randomUUID()}`;
    const live = nextEvent(member.socket, ServerEvent.change, (c) => c.kind === "argument.created");
    const posted = await api(server.url, `/api/debates/${debate.id}/arguments`, { token: ann.token, body: { propositionId: debate.propositions[0]!.id, stance: "pro", body: plainTextToArgumentBody(secret) } });
    expect(posted.status).toBe(201);
    // The participant still gets it live; the former anonymous reader got nothing of it.
    await live;
    expect(received.join("\n")).not.toContain(secret);
    // And a fresh anonymous connection is refused.
    await expect(connect(debate.id)).rejects.toThrow(/join it first/);
  });
});

describe("[C1] catch-up replays each argument as it is now", () => {
  it("does not replay a body its author deleted, nor an earlier version of an edited one, to another reader", async () => {
    const token = await apiAccount();
    const debate = await newDebate(token, "public");
    const ann = await join(debate.id, "Ann");
    const ben = await join(debate.id, "Ben");
    const propositionId = debate.propositions[0]!.id;
    const say = (text: string) => ({ propositionId, stance: "pro", body: plainTextToArgumentBody(text) });
    const regretted = await api(server.url, `/api/debates/${debate.id}/arguments`, { token: ann.token, body: say("Regretted words that were deleted") });
    const edited = await api(server.url, `/api/debates/${debate.id}/arguments`, { token: ann.token, body: say("First draft with a typo") });
    await api(server.url, `/api/debates/${debate.id}/arguments/${edited.json.id}`, { method: "PATCH", token: ann.token, body: { body: plainTextToArgumentBody("Second draft, corrected") } });
    await api(server.url, `/api/debates/${debate.id}/arguments/${edited.json.id}/sources`, { token: ann.token, body: { url: "https://example.org/a", title: "A source" } });
    expect((await api(server.url, `/api/debates/${debate.id}/arguments/${regretted.json.id}`, { method: "DELETE", token: ann.token, body: {} })).status).toBe(200);

    for (const reader of [undefined, ben.token]) {
      const { socket, catchUp } = await connect(debate.id, reader, 0);
      const resync = await emitWithAck<CatchUpPayload>(socket, ClientEvent.resync, { lastSeq: 0 });
      if (!resync.ok) throw new Error(resync.error.message);
      for (const replay of [await catchUp, resync.data]) {
        expect(replay.mode).toBe("changes");
        const text = JSON.stringify(replay);
        expect(text).not.toContain("Regretted words");
        expect(text).not.toContain("First draft");
        if (replay.mode !== "changes") continue;
        // The replay still ends in the current state: every change is there, in order, with its content now.
        const kinds = replay.changes.map((c) => c.kind);
        expect(kinds).toEqual(["argument.created", "argument.created", "argument.updated", "argument.updated", "argument.updated"]);
        const last = new Map(replay.changes.map((c) => [(c.data as { id: string }).id, c.data as { bodyText: string; deleted: boolean; sources: unknown[]; editCount: number }]));
        expect(last.get(regretted.json.id)).toMatchObject({ bodyText: "", deleted: true, sources: [] });
        expect(last.get(edited.json.id)).toMatchObject({ bodyText: "Second draft, corrected", deleted: false, editCount: 1 });
        expect(last.get(edited.json.id)!.sources).toHaveLength(1);
      }
    }
    // The author and the facilitators still read the earlier versions as revisions.
    const revisions = await api(server.url, `/api/debates/${debate.id}/arguments/${edited.json.id}/revisions`, { token: ann.token });
    expect(revisions.status).toBe(200);
    expect(JSON.stringify(revisions.json)).toContain("First draft with a typo");
  });
});
