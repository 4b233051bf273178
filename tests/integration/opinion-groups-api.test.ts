/**
 * Issue 11 through the JSON API: importing real Polis conversations
 * (POST /api/imports), their opinion groups (GET /api/debates/:id/opinion-groups)
 * compared with Polis's own `group-id` by the adjusted Rand index (the bar, 0.95,
 * is justified in docs/decisions/0050-opinion-groups-polis-method.md), who sees
 * what, the results (GET /api/debates/:id/results), meta propositions, live
 * recomputation after votes (results:updated), malformed files (400 with file,
 * line and column, nothing created) and the import's own body limit.
 *
 * Data in ../shared/fixtures/polis/ was gathered using the Polis software
 * (compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 with
 * Attribution to The Computational Democracy Project.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ServerEvent } from "../../app/shared/contract";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { adjustedRandIndex } from "../../server/domain/opinion-groups";
import { parsePolisExport } from "../../server/domain/polis-import/parse";
import { api, facilitatorToken, publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";
import { nextEvent } from "../support/socket-client";
import { useTestServer } from "../support/test-server";

const { server, connect } = useTestServer({ serveApp: false, rateLimits: "off", opinionGroupsSettleMs: 200 });

const FIXTURES = path.resolve(import.meta.dirname, "../../../shared/fixtures/polis");
const ARI_BAR = 0.95;
const read = (folder: string, file: string) => readFileSync(path.join(FIXTURES, folder, file), "utf8");

/** GET …/opinion-groups until it is no longer pending (the first read asks for the computation). */
async function readyGroups(debateId: string, token?: string, computedAfter = 0, timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await api(server.url, `/api/debates/${debateId}/opinion-groups`, { token });
    expect(res.status).toBe(200);
    if (res.json.status !== "pending" && Date.parse(res.json.computedAt) > computedAfter) return res.json;
    if (Date.now() > until) throw new Error(`opinion groups still pending after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function importFixture(folder: string, title: string) {
  const token = await facilitatorToken(server.url);
  const body = {
    format: "polis",
    title,
    files: { "comments.csv": read(folder, "comments.csv"), "votes.csv": read(folder, "votes.csv"), "participants-votes.csv": read(folder, "participants-votes.csv") },
  };
  const res = await api(server.url, "/api/imports", { body, token });
  expect(res.status, JSON.stringify(res.json).slice(0, 500)).toBe(201);
  return { token, created: res.json, body };
}

describe("POST /api/imports and GET /api/debates/:id/opinion-groups on real Polis conversations", () => {
  for (const fixture of [
    { folder: "austria-climate.5twd2jsnkf.2022-08-08", name: "austria-climate" },
    { folder: "bg2050-volunteers", name: "bg2050-volunteers" },
  ]) {
    // Importing 4 MB of CSV and computing groups for 1,116 × 522 took 139 s at a load average of about 10 on the shared 2-core machine.
    it(`${fixture.name}: imported through the API, groups through the API, ARI ≥ ${ARI_BAR} against Polis's group-id`, { timeout: 300_000 }, async () => {
      const { token, created, body } = await importFixture(fixture.folder, `Polis ${fixture.name}`);
      const polis = parsePolisExport(body.files);
      expect(created.url).toBe(`/debates/${created.id}`);
      expect(created.imported).toEqual({ propositions: polis.comments.length, participants: polis.participants.length, votes: polis.votes.count });
      expect(Array.isArray(created.warnings)).toBe(true);

      const groups = await readyGroups(created.id, token);
      expect(groups.status).toBe("ready");
      expect(typeof groups.computedAt).toBe("string");
      const polisGroup = new Map(polis.participants.map((p) => [String(p.participantId), p.groupId]));
      const theirs: number[] = [];
      const ours: number[] = [];
      for (const g of groups.groups) {
        expect(g.members).toHaveLength(g.size);
        for (const m of g.members as { participantId: string; externalId: string | null }[]) {
          expect(m.externalId).not.toBeNull();
          const p = polisGroup.get(m.externalId!);
          if (p !== null && p !== undefined) {
            theirs.push(p);
            ours.push(g.id);
          }
        }
      }
      const ari = adjustedRandIndex(theirs, ours);
      console.log(
        `${fixture.name} through the API: ARI ${ari.toFixed(4)} over ${theirs.length} participants clustered by both; ` +
          `groups ${groups.groups.map((g: { size: number }) => g.size).join(" / ")}; ${groups.participantsClustered} clustered; ` +
          `import ${created.imported.propositions} propositions, ${created.imported.participants} participants, ${created.imported.votes} votes`,
      );
      expect(groups.groups).toHaveLength(new Set(polis.participants.map((p) => p.groupId).filter((g) => g !== null)).size);
      expect(ari).toBeGreaterThanOrEqual(ARI_BAR);
      expect(groups.map.length).toBeGreaterThan(0);
      expect(groups.map[0]).toHaveProperty("participantId");

      // Anyone with the link: sizes and propositions, anonymous dots, no members.
      const anonymous = await api(server.url, `/api/debates/${created.id}/opinion-groups`);
      expect(anonymous.status).toBe(200);
      expect(anonymous.json.groups.map((g: { size: number }) => g.size)).toEqual(groups.groups.map((g: { size: number }) => g.size));
      expect(anonymous.json.groups.every((g: object) => !("members" in g))).toBe(true);
      expect(anonymous.json.map.every((p: object) => !("participantId" in p))).toBe(true);

      // Hidden comments are left out of the results for non-facilitators.
      const results = await api(server.url, `/api/debates/${created.id}/results`);
      expect(results.status).toBe(200);
      expect(results.json.propositions).toHaveLength(polis.comments.filter((c) => !c.hidden).length);
      expect(results.json.voters).toBeGreaterThan(0);
    });
  }

  it("a malformed file answers 400 naming file, line and column, and creates nothing", async () => {
    const token = await facilitatorToken(server.url);
    const before = await server.db.debate.count();
    const votes = "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1,1\n2,x,0,2,yes\n";
    const comments = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,0,1,0,0,1,Hello\n";
    const res = await api(server.url, "/api/imports", { token, body: { format: "polis", files: { "comments.csv": comments, "votes.csv": votes } } });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/votes\.csv, line 3, column 5 \(vote\)/);
    expect(res.json.error.field).toBe("files.votes.csv");
    expect(await server.db.debate.count()).toBe(before);
  });

  it("needs a facilitator; refuses other formats; has its own body limit, answered 413 before reading", async () => {
    const comments = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n";
    expect((await api(server.url, "/api/imports", { body: { format: "polis", files: { "comments.csv": comments, "votes.csv": "" } } })).status).toBe(401);
    const token = await facilitatorToken(server.url);
    const other = await api(server.url, "/api/imports", { token, body: { format: "csv", files: { "comments.csv": comments, "votes.csv": "" } } });
    expect(other.status).toBe(400);
    const huge = await fetch(`${server.url}/api/imports`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "content-length": String(40 * 1024 * 1024) },
      body: "{}",
      duplex: "half",
    } as RequestInit).catch((e: Error) => e);
    if (huge instanceof Response) {
      expect(huge.status).toBe(413);
      expect((await huge.json()).error.message).toMatch(/32 MB/);
    }
    // Elsewhere the API keeps its 8 MB.
    const elsewhere = await api(server.url, "/api/debates", { token, rawBody: JSON.stringify({ sourceText: "x".repeat(9 * 1024 * 1024) }) });
    expect(elsewhere.status).toBe(413);
  });
});

describe("a live class: votes, results, recomputation, meta", () => {
  it("six participants vote; the groups are computed, pushed as results:updated, and recomputed when a proposition is marked meta", { timeout: 120_000 }, async () => {
    const names = ["Ada", "Ben", "Cy", "Dee", "Eve", "Fay"];
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, names);
    const props = debate.propositions as { id: string }[];
    expect(props.length).toBeGreaterThanOrEqual(3);
    const watcher = await connect(debate.id);
    // Two camps: the first three agree with everything, the others disagree; one proposition splits them differently.
    let updated = nextEvent(watcher.socket, ServerEvent.resultsUpdated, () => true, 60_000);
    for (const [i, p] of participants.entries()) {
      for (const [j, prop] of props.slice(0, 4).entries()) {
        const value = j === 3 ? (i % 2 === 0 ? "agree" : "disagree") : i < 3 ? "agree" : "disagree";
        const res = await api(server.url, `/api/debates/${debate.id}/propositions/${prop.id}/vote`, { method: "PUT", token: p.token, body: { value } });
        expect(res.status).toBe(200);
      }
    }
    const lastVote = Date.now();
    const pushed = (await updated) as { debateId: string; computedAt: string };
    expect(pushed.debateId).toBe(debate.id);
    const groups = await readyGroups(debate.id, participants[0]!.token, lastVote);
    expect(groups.status).toBe("ready");
    expect(groups.groups.map((g: { size: number }) => g.size).sort()).toEqual([3, 3]);
    expect(groups.you).not.toBeNull();
    expect(groups.groups.every((g: object) => !("members" in g))).toBe(true);

    const results = await api(server.url, `/api/debates/${debate.id}/results`, { token: participants[0]!.token });
    expect(results.status).toBe(200);
    expect(results.json.tookPart).toBe(6);
    expect(results.json.propositions[0].tally).toEqual({ agree: 3, disagree: 3, unsure: 0, total: 6 });
    expect(results.json.propositions[0].division).toBe(1);
    // One rater: the bridging order falls back to the Wilson bound and says why.
    const argument = await api(server.url, `/api/debates/${debate.id}/arguments`, { token: participants[1]!.token, body: { propositionId: props[0]!.id, stance: "pro", body: plainTextToArgumentBody("Phones distract.") } });
    expect(argument.status).toBe(201);
    expect((await api(server.url, `/api/debates/${debate.id}/arguments/${argument.json.id}/rating`, { method: "PUT", token: participants[4]!.token, body: { value: "up" } })).status).toBe(200);
    const ranked = (await api(server.url, `/api/debates/${debate.id}/results`)).json.bridging;
    expect(ranked.method).toBe("wilson");
    expect(ranked.reason).toMatch(/^Too few ratings to tell who convinces across the divide/);
    expect(ranked.arguments.map((a: { id: string }) => a.id)).toEqual([argument.json.id]);
    expect(results.json.propositions[0].strongest.pro).toBeNull();
    expect((await api(server.url, `/api/debates/${debate.id}/results`)).json.propositions[0].strongest.pro).toMatchObject({ id: argument.json.id, up: 1, down: 0, author: "Ben" });

    // Marking a proposition meta: participants may not; the host may, and the groups are recomputed without it.
    const refused = await api(server.url, `/api/debates/${debate.id}/propositions/${props[0]!.id}/meta`, { method: "PUT", token: participants[0]!.token, body: { meta: true } });
    expect(refused.status).toBe(403);
    updated = nextEvent(watcher.socket, ServerEvent.resultsUpdated, () => true, 60_000);
    const marked = await api(server.url, `/api/debates/${debate.id}/propositions/${props[0]!.id}/meta`, { method: "PUT", token: debate.hostToken, body: { meta: true } });
    expect(marked.status, JSON.stringify(marked.json)).toBe(200);
    const markedAt = Date.now();
    await updated;
    const after = await readyGroups(debate.id, debate.hostToken, markedAt);
    const representativeIds = after.groups.flatMap((g: { representative: { propositionId: string }[] }) => g.representative.map((r) => r.propositionId));
    expect(representativeIds).not.toContain(props[0]!.id);
  });
});
