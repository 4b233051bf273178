/**
 * The debate page's frame and deep links (issue 14; server/services/debate-frame.ts,
 * server/services/argument-pages.ts argumentChain, docs/decisions/0026-debate-page-frame.md):
 * [DF1] a small debate is sent whole, with its counts (`frame.complete`);
 * [DF2] a big one carries counts per proposition and only the first page of the first propositions,
 *       whose cursor continues with the paging API in order;
 * [DF3] an argument's ancestor chain comes root first, with reply counts;
 * [DF4] in the chain, a hidden thread is withheld from others and shown to its author and
 *       facilitators; other debates' arguments, bad ids, private debates and hidden propositions 404.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { CurrentParticipant, DebateDTO } from "../../app/shared/contract";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { useTestServer } from "../support/test-server";
import { api, publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";
import { FRAME_INLINE_ALL, FRAME_INLINE_PAGE, FRAME_INLINE_PROPOSITIONS } from "../../server/services/debate-frame";

const { server } = useTestServer({ serveApp: false, rateLimits: "off" });

async function setUp(names = ["Ada", "Ben"]) {
  const { debate, participants } = await publishedDebateWith(server.url, seedArticle, names);
  const host = (await server.services.findParticipant(debate.id, debate.hostToken)) as CurrentParticipant;
  const people = (await Promise.all(participants.map((p) => server.services.findParticipant(debate.id, p.token)))) as CurrentParticipant[];
  const post = (who: CurrentParticipant, propositionId: string, text: string, parentId?: string, stance: "pro" | "con" = "pro") =>
    server.services.postArgument(who, { opId: randomUUID(), propositionId, stance, body: plainTextToArgumentBody(text), sources: [], ...(parentId ? { parentId } : {}) });
  return { debate, host, people, participants, post };
}

describe("debate frame and deep links", () => {
  it("[DF1] a small debate is sent whole, with counts per proposition", async () => {
    const { debate, people, participants, post } = await setUp();
    const [p0, p1] = debate.propositions;
    const a = await post(people[0]!, p0!.id, "For one");
    await post(people[1]!, p0!.id, "Against one", undefined, "con");
    await post(people[1]!, p0!.id, "A reply", a.id, "con");
    const { status, json } = await api(server.url, `/api/debates/${debate.id}`, { token: participants[0]!.token });
    expect(status).toBe(200);
    const got = json as DebateDTO;
    expect(got.arguments).toHaveLength(3);
    expect(got.frame).toMatchObject({ complete: true });
    expect(got.frame!.counts[p0!.id]).toEqual({ pro: 1, con: 1, all: 3 });
    expect(got.frame!.counts[p1!.id]).toEqual({ pro: 0, con: 0, all: 0 });
  });

  it("[DF2] a big debate carries counts and the first page of its first propositions only", async () => {
    const { debate, people, participants } = await setUp();
    const author = people[0]!;
    const props = debate.propositions.map((p) => p.id);
    expect(props.length).toBeGreaterThan(FRAME_INLINE_PROPOSITIONS);
    // More than FRAME_INLINE_ALL arguments, written straight into the table (posting each would take minutes).
    const total = FRAME_INLINE_ALL + 30;
    const start = Date.parse("2026-01-01T00:00:00Z");
    const rows = Array.from({ length: total }, (_, i) => ({
      id: randomUUID(),
      debateId: debate.id,
      propositionId: props[i % props.length]!,
      authorId: author.id,
      stance: i % 3 === 0 ? ("con" as const) : ("pro" as const),
      body: plainTextToArgumentBody(`Bulk argument ${i}`) as object,
      bodyText: `Bulk argument ${i}`,
      createdAt: new Date(start + i * 1000),
    }));
    await server.db.argument.createMany({ data: rows });
    const { json } = await api(server.url, `/api/debates/${debate.id}`, { token: participants[1]!.token });
    const got = json as DebateDTO;
    expect(got.frame!.complete).toBe(false);
    for (const pid of props) {
      const mine = rows.filter((r) => r.propositionId === pid);
      expect(got.frame!.counts[pid]).toEqual({ pro: mine.filter((r) => r.stance === "pro").length, con: mine.filter((r) => r.stance === "con").length, all: mine.length });
    }
    const inlined = props.slice(0, FRAME_INLINE_PROPOSITIONS);
    expect(Object.keys(got.frame!.pages).sort()).toEqual([...inlined].sort());
    for (const pid of inlined) {
      const expected = rows.filter((r) => r.propositionId === pid).map((r) => r.id);
      expect(got.arguments.filter((a) => a.propositionId === pid).map((a) => a.id)).toEqual(expected.slice(0, FRAME_INLINE_PAGE));
      // The inlined page's cursor continues where it ends.
      const cursor = got.frame!.pages[pid]!.nextCursor!;
      const next = await api(server.url, `/api/debates/${debate.id}/propositions/${pid}/arguments?order=oldest&limit=${FRAME_INLINE_PAGE}&cursor=${encodeURIComponent(cursor)}`, { token: participants[1]!.token });
      expect(next.json.arguments.map((a: { id: string }) => a.id)).toEqual(expected.slice(FRAME_INLINE_PAGE, FRAME_INLINE_PAGE * 2));
    }
    expect(got.arguments.every((a) => inlined.includes(a.propositionId))).toBe(true);
    expect(Object.keys(got.frame!.replyCounts)).toHaveLength(got.arguments.length);
  });

  it("[DF3] an argument's chain comes root first, with reply counts", async () => {
    const { debate, people, participants, post } = await setUp();
    const pid = debate.propositions[1]!.id;
    const root = await post(people[0]!, pid, "Root");
    const middle = await post(people[1]!, pid, "Middle", root.id, "con");
    const leaf = await post(people[0]!, pid, "Leaf", middle.id);
    await post(people[1]!, pid, "Sibling", middle.id);
    const { status, json } = await api(server.url, `/api/debates/${debate.id}/arguments/${leaf.id}/ancestors`, { token: participants[1]!.token });
    expect(status).toBe(200);
    expect(json.propositionId).toBe(pid);
    expect(json.argument).toMatchObject({ id: leaf.id, bodyText: "Leaf", replyCount: 0 });
    expect(json.ancestors.map((a: { id: string; replyCount: number }) => [a.id, a.replyCount])).toEqual([
      [root.id, 1],
      [middle.id, 2],
    ]);
    const top = await api(server.url, `/api/debates/${debate.id}/arguments/${root.id}/ancestors`);
    expect(top.json.ancestors).toEqual([]);
  });

  it("[DF4] the chain withholds a hidden thread as the pages do, and answers 404 where the reader may not look", async () => {
    const { debate, host, people, participants, post } = await setUp(["Ada", "Ben", "Cy"]);
    const pid = debate.propositions[0]!.id;
    const secret = await post(people[0]!, pid, "Hidden words zebracorn");
    const reply = await post(people[1]!, pid, "Reply under it quokkaword", secret.id, "con");
    await server.services.hideArgument(host, { opId: randomUUID(), argumentId: secret.id, reason: "Off topic" });
    const path = `/api/debates/${debate.id}/arguments/${reply.id}/ancestors`;
    // Cy: neither author nor facilitator: both withheld, no words.
    const other = await api(server.url, path, { token: participants[2]!.token });
    expect(other.status).toBe(200);
    expect(other.json.argument).toMatchObject({ id: reply.id, withheld: true });
    expect(other.json.ancestors[0]).toMatchObject({ id: secret.id, withheld: true });
    expect(JSON.stringify(other.json)).not.toMatch(/zebracorn|quokkaword/);
    expect(JSON.stringify((await api(server.url, path)).json)).not.toMatch(/zebracorn|quokkaword/);
    // Ben wrote the reply: his own is shown, Ada's hidden argument is not.
    const ben = await api(server.url, path, { token: participants[1]!.token });
    expect(ben.json.argument).toMatchObject({ withheld: false, bodyText: "Reply under it quokkaword" });
    expect(ben.json.ancestors[0]).toMatchObject({ withheld: true });
    const asHost = await api(server.url, path, { token: debate.hostToken });
    expect(asHost.json.ancestors[0]).toMatchObject({ withheld: false, bodyText: "Hidden words zebracorn" });

    // Another debate's argument, a bad id, an unknown id: 404.
    const elsewhere = await setUp(["Dee"]);
    const foreign = await elsewhere.post(elsewhere.people[0]!, elsewhere.debate.propositions[0]!.id, "Elsewhere");
    expect((await api(server.url, `/api/debates/${debate.id}/arguments/${foreign.id}/ancestors`)).status).toBe(404);
    expect((await api(server.url, `/api/debates/${debate.id}/arguments/not-an-id/ancestors`)).status).toBe(404);
    expect((await api(server.url, `/api/debates/${debate.id}/arguments/${randomUUID()}/ancestors`)).status).toBe(404);
    // A hidden proposition: only facilitators.
    await server.db.proposition.update({ where: { id: pid }, data: { hiddenAt: new Date() } });
    expect((await api(server.url, path, { token: participants[1]!.token })).status).toBe(404);
    expect((await api(server.url, path, { token: debate.hostToken })).status).toBe(200);
    // A private debate: 404 for outsiders.
    await api(server.url, `/api/debates/${debate.id}/settings`, { method: "PATCH", token: debate.hostToken, body: { visibility: "private" } });
    expect((await api(server.url, path)).status).toBe(404);
  });
});
