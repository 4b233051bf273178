/**
 * The whole opinion-group computation on small debates: groups found,
 * determinism, excluded propositions, too few votes, and the API shape per audience.
 */
import { describe, expect, it } from "vitest";
import { computeOpinionGroups, presentOpinionGroups, type OpinionInput, type OpinionVote, type OpinionVoteValue } from "../../server/domain/opinion-groups";

/**
 * A class of 12: 7 "pro" and 5 "con" participants on 8 propositions; q0–q3
 * split the camps, q4 and q5 everyone agrees with, q6 is meta ("I am a
 * teacher", everyone agrees), q7 hidden. A few missing and unsure votes.
 */
function classroom(): OpinionInput {
  const votes: OpinionVote[] = [];
  const vote = (p: number, q: number, value: OpinionVoteValue) => votes.push({ participantId: `p${p}`, propositionId: `q${q}`, value });
  for (let p = 0; p < 12; p++) {
    const pro = p < 7;
    for (let q = 0; q < 4; q++) {
      if ((p + q) % 5 === 4) continue; // some missing votes
      const sideAgrees = q % 2 === 0 ? pro : !pro;
      vote(p, q, p === 3 && q === 1 ? "unsure" : sideAgrees ? "agree" : "disagree");
    }
    vote(p, 4, "agree");
    vote(p, 5, p === 0 ? "unsure" : "agree");
    vote(p, 6, "agree");
    vote(p, 7, pro ? "agree" : "disagree");
  }
  return {
    participantIds: Array.from({ length: 13 }, (_, p) => `p${p}`), // p12 never votes
    propositions: Array.from({ length: 8 }, (_, q) => ({ id: `q${q}`, excluded: q >= 6 })),
    votes,
  };
}

describe("opinion groups of a small debate", () => {
  const result = computeOpinionGroups(classroom());

  it("finds the two camps", () => {
    expect(result.status).toBe("ready");
    expect(result.reason).toBeNull();
    expect(result.participantsClustered).toBe(12);
    expect(result.groups.map((g) => g.memberIds)).toEqual([
      ["p0", "p1", "p2", "p3", "p4", "p5", "p6"],
      ["p7", "p8", "p9", "p10", "p11"],
    ]);
    expect(result.groups.map((g) => g.size)).toEqual([7, 5]);
    expect(result.diagnostics.chosenK).toBe(2);
  });

  it("puts everyone with votes on the map, with their group; nobody without votes", () => {
    expect(result.map.map((p) => p.participantId)).toEqual(Array.from({ length: 12 }, (_, p) => `p${p}`));
    expect(result.map.filter((p) => p.groupId === 0).map((p) => p.participantId)).toEqual(result.groups[0].memberIds);
    // The camps sit on opposite sides of the first axis.
    const side = (id: string) => Math.sign(result.map.find((p) => p.participantId === id)!.x);
    expect(new Set(result.groups[0].memberIds.map(side)).size).toBe(1);
    expect(side("p0")).toBe(-side("p7"));
  });

  it("says what sets each group apart and what both share, never using hidden or meta propositions", () => {
    const excluded = new Set(["q6", "q7"]);
    for (const g of result.groups) {
      expect(g.representative.length).toBeGreaterThan(0);
      for (const r of g.representative) expect(excluded.has(r.propositionId)).toBe(false);
    }
    // The pro camp stands out agreeing with q0 or q2 (its side), the con camp with q1 or q3.
    expect(["q0", "q2"]).toContain(result.groups[0].representative.find((r) => r.direction === "agree" && !["q4", "q5"].includes(r.propositionId))?.propositionId);
    expect(["q1", "q3"]).toContain(result.groups[1].representative.find((r) => r.direction === "agree" && !["q4", "q5"].includes(r.propositionId))?.propositionId);
    expect(result.consensus.map((c) => c.propositionId).sort()).toEqual(["q4", "q5"]);
    expect(result.divisive.map((d) => d.propositionId).sort()).toEqual(["q0", "q1", "q2", "q3"]);
    expect(result.propositions.map((p) => p.propositionId)).toEqual(["q0", "q1", "q2", "q3", "q4", "q5"]);
  });

  it("gives the same groups for the same votes, whatever order the votes come in", () => {
    const input = classroom();
    const shuffled = { ...input, votes: [...input.votes].reverse() };
    expect(computeOpinionGroups(shuffled)).toEqual(result);
    expect(computeOpinionGroups(classroom())).toEqual(result);
  });

  it("recomputes when a proposition is marked meta", () => {
    const input = classroom();
    const withMeta = { ...input, propositions: input.propositions.map((p) => (p.id === "q0" ? { ...p, excluded: true } : p)) };
    const again = computeOpinionGroups(withMeta);
    expect(again.status).toBe("ready");
    expect(again.propositions.map((p) => p.propositionId)).not.toContain("q0");
    for (const g of again.groups) for (const r of g.representative) expect(r.propositionId).not.toBe("q0");
  });
});

describe("too few votes", () => {
  it("needs votes on two propositions that are neither hidden nor meta", () => {
    const input = classroom();
    const onlyOne = { ...input, propositions: input.propositions.map((p) => ({ ...p, excluded: p.id !== "q0" })) };
    const result = computeOpinionGroups(onlyOne);
    expect(result.status).toBe("too-few-votes");
    expect(result.reason).toMatch(/at least 2 propositions/);
    expect(result.groups).toEqual([]);
    expect(result.map).toEqual([]);
  });

  it("needs at least four participants", () => {
    const result = computeOpinionGroups({
      participantIds: ["a", "b", "c"],
      propositions: [
        { id: "x", excluded: false },
        { id: "y", excluded: false },
      ],
      votes: ["a", "b", "c"].flatMap((p, i) => [
        { participantId: p, propositionId: "x", value: i === 0 ? "agree" : "disagree" },
        { participantId: p, propositionId: "y", value: "agree" },
      ]) as OpinionInput["votes"],
    });
    expect(result.status).toBe("too-few-votes");
    expect(result.reason).toMatch(/at least 4 participants/);
  });

  it("has nothing to tell apart when everyone voted alike", () => {
    const votes = ["a", "b", "c", "d", "e"].flatMap((p) => [
      { participantId: p, propositionId: "x", value: "agree" as const },
      { participantId: p, propositionId: "y", value: "disagree" as const },
    ]);
    const result = computeOpinionGroups({ participantIds: ["a", "b", "c", "d", "e"], propositions: [{ id: "x", excluded: false }, { id: "y", excluded: false }], votes });
    expect(result.status).toBe("too-few-votes");
    expect(result.reason).toMatch(/same point/);
  });
});

describe("the API response per audience", () => {
  const result = computeOpinionGroups(classroom());
  const at = new Date("2026-12-06T10:00:00Z");

  it("gives facilitators members with external ids and the map with participant ids", () => {
    const response = presentOpinionGroups(result, at, { kind: "facilitator", externalIdOf: (id) => (id === "p0" ? "polis-17" : null) });
    expect(response.status).toBe("ready");
    expect(response.computedAt).toBe("2026-12-06T10:00:00.000Z");
    expect(response.groups[0].members?.[0]).toEqual({ participantId: "p0", externalId: "polis-17" });
    expect(response.groups[0].members?.[1]).toEqual({ participantId: "p1", externalId: null });
    expect(Object.keys(response.groups[0].representative[0]).sort()).toEqual(["agreeShare", "direction", "disagreeShare", "propositionId", "z"]);
    expect(response.map[0]).toEqual({ participantId: "p0", x: result.map[0].x, y: result.map[0].y, groupId: 0 });
  });

  it("gives a participant sizes, their own group and anonymous dots", () => {
    const response = presentOpinionGroups(result, at, { kind: "participant", participantId: "p8" });
    expect(response.groups.map((g) => g.size)).toEqual([7, 5]);
    expect(response.groups.every((g) => g.members === undefined)).toBe(true);
    expect(response.map.every((p) => !("participantId" in p))).toBe(true);
    expect(response.map).toHaveLength(12);
    expect(response.you).toEqual({ groupId: 1, x: result.map[8].x, y: result.map[8].y });
    expect(presentOpinionGroups(result, at, { kind: "participant", participantId: "p12" }).you).toBeNull();
    expect(presentOpinionGroups(result, at, { kind: "observer" }).you).toBeUndefined();
  });
});
