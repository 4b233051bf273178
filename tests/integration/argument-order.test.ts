/**
 * GET /api/debates/:id/arguments/bridging (issue 11, point 3): the debate page's "convinced people
 * across groups" order. Invariants: every rated, visible argument is listed once, best first;
 * hidden arguments never; with few ratings the Wilson fallback is used and says why; a private
 * debate is not readable by a stranger; a malformed id is a 404, not a 500.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { api, facilitatorToken, publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";
import { useTestServer } from "../support/test-server";

const { server } = useTestServer({ rateLimits: "off" });

describe("the bridging order of a debate's arguments", () => {
  it("lists rated visible arguments best first, leaves hidden ones out, and says when it falls back", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Ada", "Ben", "Cy"]);
    const base = `/api/debates/${debate.id}`;
    const post = async (who: { token: string }, text: string) => {
      const res = await api(server.url, `${base}/arguments`, { token: who.token, body: { opId: randomUUID(), propositionId: debate.propositions[0]!.id, stance: "pro", body: plainTextToArgumentBody(text) } });
      expect(res.status).toBe(201);
      return res.json.id as string;
    };
    const liked = await post(participants[0]!, "Liked by everyone.");
    const mixed = await post(participants[1]!, "Liked by some.");
    const hidden = await post(participants[2]!, "Rated, then hidden.");
    const unrated = await post(participants[2]!, "Nobody rated this.");
    const rate = (who: { token: string }, id: string, value: "up" | "down") => api(server.url, `${base}/arguments/${id}/rating`, { method: "PUT", token: who.token, body: { value } });
    for (const p of participants) expect((await rate(p, liked, "up")).status).toBe(200);
    await rate(participants[0]!, mixed, "up");
    await rate(participants[2]!, mixed, "down");
    await rate(participants[0]!, hidden, "up");
    expect((await api(server.url, `${base}/arguments/${hidden}/hide`, { token: debate.hostToken, body: { opId: randomUUID(), reason: "Off topic" } })).status).toBe(200);

    const order = await api(server.url, `${base}/arguments/bridging`, { token: participants[1]!.token });
    expect(order.status).toBe(200);
    const ids = order.json.arguments.map((a: { argumentId: string }) => a.argumentId);
    expect(ids).toEqual([liked, mixed]);
    expect(ids).not.toContain(hidden);
    expect(ids).not.toContain(unrated);
    expect(order.json.method).toBe("wilson");
    expect(order.json.reason).toMatch(/rat/i);
    expect(order.json.arguments[0].score).toBeGreaterThan(order.json.arguments[1].score);
  });

  it("is not readable by a stranger on a private debate, and a malformed id is a 404", async () => {
    const token = await facilitatorToken(server.url);
    const created = await api(server.url, "/api/debates", { token, body: { sourceText: seedArticle, publish: true, visibility: "private" } });
    expect(created.status).toBe(201);
    const stranger = await api(server.url, `/api/debates/${created.json.id}/arguments/bridging`);
    expect([403, 404]).toContain(stranger.status);
    expect(stranger.json.error.message).toBeTruthy();
    const host = await api(server.url, `/api/debates/${created.json.id}/arguments/bridging`, { token });
    expect(host.status).toBe(200);
    expect(host.json.arguments).toEqual([]);
    expect((await api(server.url, "/api/debates/not-a-uuid/arguments/bridging")).status).toBe(404);
  });
});
