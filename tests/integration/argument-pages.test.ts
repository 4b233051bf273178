/**
 * Reading a big debate in parts (issue 14; server/services/argument-pages.ts, docs/api.md):
 * [AP1] pages of a proposition's arguments in each order, following cursors, list each argument once
 *       in order, and a cursor stays valid while new arguments are posted;
 * [AP2] replies page under their parent, with reply counts;
 * [AP3] a hidden thread is withheld on pages for others, shown to facilitators and its author;
 * [AP4] bad queries answer 400 naming the parameter; other debates' propositions 404; private debates 404 to outsiders;
 * [AP5] search finds propositions and arguments by words, never deleted ones, and hidden ones only for those who may read them.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { CurrentParticipant } from "../../app/shared/contract";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { useTestServer } from "../support/test-server";
import { api, publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";

const { server } = useTestServer({ serveApp: false, rateLimits: "off" });

interface PageItem {
  id: string;
  bodyText: string;
  withheld: boolean;
  replyCount: number;
  tally: { score: number };
}

async function setUp(names = ["Ada", "Ben"]) {
  const { debate, participants } = await publishedDebateWith(server.url, seedArticle, names);
  const host = (await server.services.findParticipant(debate.id, debate.hostToken)) as CurrentParticipant;
  const people = (await Promise.all(participants.map((p) => server.services.findParticipant(debate.id, p.token)))) as CurrentParticipant[];
  const post = (who: CurrentParticipant, propositionId: string, text: string, parentId?: string) =>
    server.services.postArgument(who, { opId: randomUUID(), propositionId, stance: "pro", body: plainTextToArgumentBody(text), sources: [], ...(parentId ? { parentId } : {}) });
  return { debate, host, people, participants, post };
}

/** Every page of `path` in turn (limit `limit`), following nextCursor. */
async function allPages(path: string, token: string, limit: number, order: string) {
  const seen: PageItem[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const query = new URLSearchParams({ order, limit: String(limit), ...(cursor ? { cursor } : {}) });
    const { status, json } = await api(server.url, `${path}?${query}`, { token });
    expect(status).toBe(200);
    expect(json.arguments.length).toBeLessThanOrEqual(limit);
    seen.push(...json.arguments);
    cursor = json.nextCursor;
    if (!cursor) break;
  }
  return seen;
}

describe("argument pages and search", () => {
  it("[AP1] pages in each order list every argument once, in order, and cursors survive new posts", async () => {
    const { debate, people, participants, post } = await setUp();
    const propositionId = debate.propositions[0]!.id;
    const posted: string[] = [];
    for (let i = 0; i < 23; i++) posted.push((await post(people[i % 2]!, propositionId, `Argument number ${i}`)).id);
    // Another proposition's arguments never appear.
    await post(people[0]!, debate.propositions[1]!.id, "Elsewhere");
    // Ratings for "top": argument 5 best, argument 7 worst.
    await server.services.rateArgument(people[0]!, { opId: randomUUID(), argumentId: posted[5]!, value: "up" });
    await server.services.rateArgument(people[1]!, { opId: randomUUID(), argumentId: posted[5]!, value: "up" });
    await server.services.rateArgument(people[0]!, { opId: randomUUID(), argumentId: posted[7]!, value: "down" });
    const path = `/api/debates/${debate.id}/propositions/${propositionId}/arguments`;
    const token = participants[0]!.token;

    expect((await allPages(path, token, 5, "oldest")).map((a) => a.id)).toEqual(posted);
    expect((await allPages(path, token, 4, "newest")).map((a) => a.id)).toEqual([...posted].reverse());
    const top = await allPages(path, token, 6, "top");
    expect(top.map((a) => a.id)).toEqual([posted[5], ...posted.filter((_, i) => i !== 5 && i !== 7), posted[7]]);
    expect(top[0]!.tally.score).toBe(2);

    // A cursor taken before new posts: the rest of the oldest-first list continues exactly, then the new ones.
    const first = await api(server.url, `${path}?order=oldest&limit=10`, { token });
    const later = [(await post(people[0]!, propositionId, "Posted meanwhile")).id];
    const rest: string[] = [];
    let cursor: string | null = first.json.nextCursor;
    while (cursor) {
      const page = await api(server.url, `${path}?order=oldest&limit=10&cursor=${encodeURIComponent(cursor)}`, { token });
      rest.push(...page.json.arguments.map((a: PageItem) => a.id));
      cursor = page.json.nextCursor;
    }
    expect([...first.json.arguments.map((a: PageItem) => a.id), ...rest]).toEqual([...posted, ...later]);
  });

  it("[AP2] replies page under their parent, with reply counts", async () => {
    const { debate, people, participants, post } = await setUp();
    const propositionId = debate.propositions[0]!.id;
    const root = await post(people[0]!, propositionId, "Root");
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push((await post(people[1]!, propositionId, `Reply ${i}`, root.id)).id);
    await post(people[0]!, propositionId, "Reply to a reply", replies[0]);
    const path = `/api/debates/${debate.id}/propositions/${propositionId}/arguments`;
    const top = await api(server.url, path, { token: participants[0]!.token });
    expect(top.json.arguments.map((a: PageItem) => [a.id, a.replyCount])).toEqual([[root.id, 3]]);
    const under = await api(server.url, `${path}?parent=${root.id}`, { token: participants[0]!.token });
    expect(under.json.parentId).toBe(root.id);
    expect(under.json.arguments.map((a: PageItem) => [a.id, a.replyCount])).toEqual([[replies[0], 1], [replies[1], 0], [replies[2], 0]]);
  });

  it("[AP3] a hidden thread is withheld on pages for others, shown to facilitators and its author", async () => {
    const { debate, host, people, participants, post } = await setUp();
    const propositionId = debate.propositions[0]!.id;
    const secret = await post(people[0]!, propositionId, "Hidden words zebracorn");
    const reply = await post(people[1]!, propositionId, "Reply inside the hidden thread", secret.id);
    await server.services.hideArgument(host, { opId: randomUUID(), argumentId: secret.id, reason: "Off topic" });
    const path = `/api/debates/${debate.id}/propositions/${propositionId}/arguments`;
    const asOther = await api(server.url, path, { token: participants[1]!.token });
    expect(asOther.json.arguments).toHaveLength(1);
    expect(asOther.json.arguments[0]).toMatchObject({ id: secret.id, withheld: true });
    expect(JSON.stringify(asOther.json)).not.toContain("zebracorn");
    const anonymous = await api(server.url, path);
    expect(JSON.stringify(anonymous.json)).not.toContain("zebracorn");
    const replyPage = await api(server.url, `${path}?parent=${secret.id}`, { token: participants[0]!.token });
    // Ada wrote the hidden argument, not the reply inside its thread: the reply is withheld from her.
    expect(replyPage.json.arguments[0]).toMatchObject({ id: reply.id, withheld: true });
    const asAuthor = await api(server.url, path, { token: participants[0]!.token });
    expect(asAuthor.json.arguments[0]).toMatchObject({ id: secret.id, withheld: false, bodyText: "Hidden words zebracorn" });
    const asHost = await api(server.url, path, { token: debate.hostToken });
    expect(asHost.json.arguments[0]).toMatchObject({ withheld: false, bodyText: "Hidden words zebracorn" });
  });

  it("[AP4] bad queries answer 400 naming the parameter; other debates' propositions and private debates 404", async () => {
    const { debate, participants } = await setUp(["Cy"]);
    const other = await setUp(["Di"]);
    const path = `/api/debates/${debate.id}/propositions/${debate.propositions[0]!.id}/arguments`;
    const token = participants[0]!.token;
    for (const [query, field] of [
      ["order=best", "order"],
      ["limit=0", "limit"],
      ["limit=201", "limit"],
      ["limit=ten", "limit"],
      ["cursor=not-a-cursor", "cursor"],
      ["parent=42", "parent"],
    ] as const) {
      const reply = await api(server.url, `${path}?${query}`, { token });
      expect(reply.status, query).toBe(400);
      expect(reply.json.error).toMatchObject({ code: "validation_failed", field });
    }
    expect((await api(server.url, `${path}?colour=red`, { token })).json.error.message).toMatch(/colour/);
    expect((await api(server.url, `/api/debates/${debate.id}/propositions/${other.debate.propositions[0]!.id}/arguments`, { token })).status).toBe(404);
    expect((await api(server.url, `/api/debates/${debate.id}/search`, { token })).status).toBe(400);
    await api(server.url, `/api/debates/${debate.id}/settings`, { method: "PATCH", token: debate.hostToken, body: { visibility: "private" } });
    expect((await api(server.url, path)).status).toBe(404);
    expect((await api(server.url, `/api/debates/${debate.id}/search?q=anything`)).status).toBe(404);
    expect((await api(server.url, path, { token })).status).toBe(200);
  });

  it("[AP5] search finds propositions and arguments by words, never deleted ones, and hidden ones only for those who may read them", async () => {
    const { debate, host, people, participants, post } = await setUp();
    const propositionId = debate.propositions[0]!.id;
    const word = debate.propositions[0]!.text.split(/\W+/).find((w) => w.length > 5)!;
    const found = await post(people[0]!, propositionId, "Photosynthesis feeds the argument");
    const deleted = await post(people[0]!, propositionId, "Photosynthesis deleted later");
    await server.services.deleteArgument(people[0]!, { opId: randomUUID(), argumentId: deleted.id });
    const hidden = await post(people[1]!, propositionId, "Photosynthesis hidden by the host");
    await server.services.hideArgument(host, { opId: randomUUID(), argumentId: hidden.id, reason: "Off topic" });
    const search = (q: string, token?: string) => api(server.url, `/api/debates/${debate.id}/search?q=${encodeURIComponent(q)}`, { token });

    const byAda = await search("photosynthesis", participants[0]!.token);
    expect(byAda.status).toBe(200);
    expect(byAda.json.arguments.map((a: { id: string }) => a.id)).toEqual([found.id]);
    expect(byAda.json.arguments[0].snippet).toContain("«Photosynthesis»");
    const byAuthor = await search("photosynthesis", participants[1]!.token);
    expect(byAuthor.json.arguments.map((a: { id: string }) => a.id).sort()).toEqual([found.id, hidden.id].sort());
    const byHost = await search("photosynthesis", debate.hostToken);
    expect(byHost.json.arguments).toHaveLength(2);
    const anonymous = await search("photosynthesis hidden");
    expect(anonymous.json.arguments).toEqual([]);
    const propositions = await search(word);
    expect(propositions.json.propositions.map((p: { id: string }) => p.id)).toContain(propositionId);
  });
});
