/**
 * The balanced random split and the late joiner's team (server/domain/teams.ts,
 * docs/decisions/0073-teams.md): properties over many seeds and sizes, no fixed outcomes.
 */
import { describe, expect, it } from "vitest";
import { balancedSplit, shuffled, smallestTeam } from "../../server/domain/teams";
import { seededRandom } from "../../server/domain/seeded-random";

const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe("balancedSplit", () => {
  it("puts every participant in exactly one team, sizes differing by at most one, the first teams taking the extra ones", () => {
    for (let people = 0; people <= 31; people++) {
      for (let teams = 1; teams <= 7; teams++) {
        const participants = ids(people, "p");
        const teamIds = ids(teams, "t");
        const split = balancedSplit(participants, teamIds, seededRandom(people * 31 + teams));
        expect([...split.keys()]).toEqual(teamIds);
        const sizes = teamIds.map((t) => split.get(t)!.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
        expect([...split.values()].flat().sort()).toEqual([...participants].sort());
      }
    }
  });

  it("is random: different seeds give different splits of a class of 30, and each student lands in each team about equally often", () => {
    const participants = ids(30, "s");
    const teamIds = ids(3, "t");
    const timesInFirst = new Map(participants.map((p) => [p, 0]));
    const distinct = new Set<string>();
    const runs = 600;
    for (let seed = 0; seed < runs; seed++) {
      const split = balancedSplit(participants, teamIds, seededRandom(seed));
      distinct.add(JSON.stringify(split.get("t0")!.slice().sort()));
      for (const p of split.get("t0")!) timesInFirst.set(p, timesInFirst.get(p)! + 1);
    }
    expect(distinct.size).toBeGreaterThan(runs * 0.99);
    // Expected 200 each (600 × 1/3); a fair shuffle stays well within ±30 % here.
    for (const count of timesInFirst.values()) expect(Math.abs(count - runs / 3)).toBeLessThan((runs / 3) * 0.3);
  });

  it("refuses to split into no team", () => {
    expect(() => balancedSplit(["a"], [], Math.random)).toThrow(/at least one team/);
  });
});

describe("shuffled", () => {
  it("returns a permutation and leaves its input alone", () => {
    const input = ids(10, "x");
    const copy = [...input];
    const out = shuffled(input, seededRandom(7));
    expect(input).toEqual(copy);
    expect([...out].sort()).toEqual([...input].sort());
  });
});

describe("smallestTeam", () => {
  it("picks the team with the fewest members, the first listed among equals, and null without teams", () => {
    expect(smallestTeam([])).toBeNull();
    expect(smallestTeam([{ id: "a", size: 3 }, { id: "b", size: 1 }, { id: "c", size: 2 }])).toBe("b");
    expect(smallestTeam([{ id: "a", size: 2 }, { id: "b", size: 2 }])).toBe("a");
    expect(smallestTeam([{ id: "a", size: 2 }, { id: "b", size: 1 }, { id: "c", size: 1 }])).toBe("b");
  });

  it("late joiners added one at a time to the smallest team keep the teams balanced", () => {
    const sizes = new Map([["a", 4], ["b", 2], ["c", 3]]);
    for (let joiner = 0; joiner < 20; joiner++) {
      const id = smallestTeam([...sizes].map(([id, size]) => ({ id, size })))!;
      sizes.set(id, sizes.get(id)! + 1);
      if (joiner >= 3) expect(Math.max(...sizes.values()) - Math.min(...sizes.values())).toBeLessThanOrEqual(1);
    }
  });
});
