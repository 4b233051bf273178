/**
 * Catch-up shared between clients and the change log's retention (docs/decisions/0025-shared-catch-up-and-change-retention.md):
 * [SC1] clients catching up from the same point at once get the same changes, each as they may see them
 *       (a hidden thread withheld from one, shown to its author and the host), and tallies counted after they asked;
 * [SC2] every CHANGE_PRUNE_EVERY changes, those older than the catch-up window are deleted, and a client
 *       that far behind gets a snapshot.
 * [SC3] the client's own choices are read after the tallies: a tally never counts a vote of theirs that their
 *       choices lack (the client takes the tallies' versions as how new the choices are).
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CATCH_UP_MAX_CHANGES, type CurrentParticipant } from "../../app/shared/contract";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { CHANGE_PRUNE_EVERY, catchUp } from "../../server/services/changes";
import { silentPublisher } from "../../server/services/context";
import { useTestServer } from "../support/test-server";
import { publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";

const { server } = useTestServer({ serveApp: false, rateLimits: "off" });

async function setUp() {
  const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Ada", "Ben"]);
  const host = (await server.services.findParticipant(debate.id, debate.hostToken)) as CurrentParticipant;
  const [ada, ben] = (await Promise.all(participants.map((p) => server.services.findParticipant(debate.id, p.token)))) as CurrentParticipant[];
  const post = (who: CurrentParticipant, text: string) =>
    server.services.postArgument(who, { opId: randomUUID(), propositionId: debate.propositions[0]!.id, stance: "pro", body: plainTextToArgumentBody(text), sources: [] });
  return { debate, host: host!, ada: ada!, ben: ben!, post };
}

describe("shared catch-up", () => {
  it("[SC1] clients catching up from one point share the range but each sees only what they may", async () => {
    const { debate, host, ada, ben, post } = await setUp();
    const from = (await server.db.debate.findUniqueOrThrow({ where: { id: debate.id }, select: { lastSeq: true } })).lastSeq;
    const open = await post(ada, "An open argument");
    const secret = await post(ada, "Hidden words zebracorn");
    await server.services.hideArgument(host, { opId: randomUUID(), argumentId: secret.id, reason: "Off topic" });
    const vote = server.services.castVote(ben, { opId: randomUUID(), propositionId: debate.propositions[0]!.id, value: "agree" });
    await vote;
    const [asBen, asAda, asHost, asNobody] = await Promise.all([ben, ada, host, null].map((v) => server.services.catchUp(debate.id, from, v)));
    for (const p of [asBen, asAda, asHost, asNobody]) {
      expect(p.mode).toBe("changes");
      if (p.mode !== "changes") return;
      expect(p.changes.map((c) => c.seq)).toEqual(asHost.mode === "changes" ? asHost.changes.map((c) => c.seq) : []);
      expect(p.changes.some((c) => c.kind === "argument.created" && c.data.id === open.id)).toBe(true);
      // The vote committed before they asked is in the tallies.
      expect(p.tallies.propositions.find((t) => t.propositionId === debate.propositions[0]!.id)?.tally.agree).toBe(1);
    }
    expect(JSON.stringify(asBen)).not.toContain("zebracorn");
    expect(JSON.stringify(asNobody)).not.toContain("zebracorn");
    expect(JSON.stringify(asAda)).toContain("zebracorn");
    expect(JSON.stringify(asHost)).toContain("zebracorn");
    // A vote after the first catch-ups: the next one counts it (the current state is not kept).
    await server.services.castVote(ada, { opId: randomUUID(), propositionId: debate.propositions[0]!.id, value: "agree" });
    const again = await server.services.catchUp(debate.id, from, ben);
    expect(again.mode === "changes" && again.tallies.propositions.find((t) => t.propositionId === debate.propositions[0]!.id)?.tally.agree).toBe(2);
  });

  it("[SC2] changes older than the catch-up window are pruned, and a client that far behind gets a snapshot", async () => {
    const { debate, ben, post } = await setUp();
    await post(ben, "Before the jump");
    // Jump the sequence just below a prune point, as if thousands of changes had happened.
    const jump = 2 * CATCH_UP_MAX_CHANGES + CHANGE_PRUNE_EVERY - 1;
    await server.db.debate.update({ where: { id: debate.id }, data: { lastSeq: jump } });
    await server.db.debateChange.create({ data: { debateId: debate.id, seq: jump - CATCH_UP_MAX_CHANGES + 2, kind: "debate.updated", payload: {} } });
    const before = await server.db.debateChange.count({ where: { debateId: debate.id } });
    expect(before).toBeGreaterThanOrEqual(2);
    await post(ben, "At the prune point");
    const left = await server.db.debateChange.findMany({ where: { debateId: debate.id }, select: { seq: true }, orderBy: { seq: "asc" } });
    expect(left.map((c) => c.seq)).toEqual([jump - CATCH_UP_MAX_CHANGES + 2, jump + 1]);
    // The oldest client still answered with changes is exactly CATCH_UP_MAX_CHANGES behind: it needs the oldest row kept.
    const edge = await server.services.catchUp(debate.id, jump + 1 - CATCH_UP_MAX_CHANGES, ben);
    expect(edge.mode === "changes" && edge.changes[0]?.seq).toBe(jump - CATCH_UP_MAX_CHANGES + 2);
    const behind = await server.services.catchUp(debate.id, 1, ben);
    expect(behind.mode).toBe("snapshot");
  });

  it("[SC3] a vote stored while the catch-up reads is either in both the tally and the choices or in neither", async () => {
    const { debate, ben } = await setUp();
    const propositionId = debate.propositions[0]!.id;
    const from = (await server.db.debate.findUniqueOrThrow({ where: { id: debate.id }, select: { lastSeq: true } })).lastSeq;
    const ctx = { db: server.db, publisher: silentPublisher, limits: {} as never };
    // Ben's own choices as read at the moment `mine` is asked for; his vote is stored right after that read,
    // while the catch-up is still under way (the offline outbox sends it as the socket connects).
    const mine = async () => {
      const choices = await server.services.myChoices(ben);
      await server.services.castVote(ben, { opId: randomUUID(), propositionId, value: "agree" });
      return choices;
    };
    const payload = await catchUp(ctx, debate.id, from, mine, () => Promise.reject(new Error("no snapshot expected")), ben);
    expect(payload.mode).toBe("changes");
    if (payload.mode !== "changes") return;
    const tally = payload.tallies.propositions.find((t) => t.propositionId === propositionId);
    // Read beside the choices, the tallies (read after a 20 ms batch window) counted the vote the choices lack.
    expect(tally?.tally.agree ?? 0).toBe(payload.mine.votes[propositionId] === "agree" ? 1 : 0);
    expect(payload.mine.votes[propositionId]).toBeUndefined();
  });
});
