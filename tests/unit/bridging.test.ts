/**
 * Bridging: Community Notes' matrix factorisation on a synthetic two-camp
 * rating set whose bridging argument is known, the Wilson fallback and its
 * three triggers, and the helpful-on-both-sides flag.
 */
import { describe, expect, it } from "vitest";
import { scoreBridging, wilsonLowerBound, type ArgumentRating } from "../../server/domain/bridging/bridging";
import { fitMatrixFactorisation } from "../../server/domain/bridging/matrix-factorisation";

/**
 * Camp A: 30 raters, camp B: 10. For each argument, how many of each camp
 * up-vote it (the others down-vote). Five partisan arguments per camp; one
 * "popular partisan" argument (all of A, a few of B) with the most up-votes;
 * the bridge, liked by 80 % of both camps; a weak one liked by 20 % of both.
 */
const DESIGN: Record<string, [number, number]> = {
  "a-1": [29, 1],
  "a-2": [28, 1],
  "a-3": [29, 0],
  "a-4": [27, 1],
  "a-5": [28, 2],
  "b-1": [1, 9],
  "b-2": [2, 10],
  "b-3": [1, 9],
  "b-4": [0, 9],
  "b-5": [2, 8],
  "a-popular": [30, 4],
  bridge: [25, 8],
  weak: [6, 2],
};

function twoCamps(): ArgumentRating[] {
  const ratings: ArgumentRating[] = [];
  for (const [argumentId, [upA, upB]] of Object.entries(DESIGN)) {
    const shift = argumentId.length * 7; // vary which raters up-vote
    for (let i = 0; i < 30; i++) ratings.push({ raterId: `A${i}`, argumentId, value: (i + shift) % 30 < upA ? "up" : "down" });
    for (let i = 0; i < 10; i++) ratings.push({ raterId: `B${i}`, argumentId, value: (i + shift) % 10 < upB ? "up" : "down" });
  }
  return ratings;
}

describe("Wilson lower bound", () => {
  it("matches the formula worked by hand", () => {
    // 10 of 10: p = 1, so the bound is 1 / (1 + z²/n) = 1 / (1 + 1.959964²/10).
    expect(wilsonLowerBound(10, 10)).toBeCloseTo(1 / (1 + 1.959964 ** 2 / 10), 12);
    // 0 of 0: nothing known, 0.
    expect(wilsonLowerBound(0, 0)).toBe(0);
    // 5 of 10 with z = 1: (0.5 + 1/20 − √(0.025 + 1/400)) / 1.1.
    expect(wilsonLowerBound(5, 10, 1)).toBeCloseTo((0.55 - Math.sqrt(0.0275)) / 1.1, 12);
  });
});

describe("matrix factorisation on two camps", () => {
  const result = scoreBridging(twoCamps());
  const byId = new Map(result.arguments.map((a) => [a.argumentId, a]));

  it("fits the model (40 raters with 13 ratings each)", () => {
    expect(result.method).toBe("matrix-factorisation");
    expect(result.reason).toBeNull();
    expect(result.activeRaters).toBe(40);
    expect(result.arguments.every((a) => a.method === "matrix-factorisation")).toBe(true);
  });

  it("ranks the bridge first although another argument has more up-votes", () => {
    expect(byId.get("a-popular")!.up).toBeGreaterThan(byId.get("bridge")!.up);
    expect(byId.get("a-popular")!.wilsonLowerBound).toBeGreaterThan(byId.get("bridge")!.wilsonLowerBound);
    expect(result.arguments[0].argumentId).toBe("bridge");
    expect(result.arguments[0].score).toBe(byId.get("bridge")!.intercept);
  });

  it("puts the partisan arguments on opposite ends of the factor and the bridge near its middle", () => {
    const factor = (id: string) => byId.get(id)!.factor!;
    for (const a of ["a-1", "a-2", "a-3", "a-4", "a-5"]) for (const b of ["b-1", "b-2", "b-3", "b-4", "b-5"]) expect(Math.sign(factor(a))).toBe(-Math.sign(factor(b)));
    const partisan = ["a-1", "a-2", "a-3", "a-4", "a-5", "b-1", "b-2", "b-3", "b-4", "b-5", "a-popular"].map((id) => Math.abs(factor(id)));
    expect(Math.abs(factor("bridge"))).toBeLessThan(Math.min(...partisan) / 2);
    // Raters: the larger camp gets the negative factor (identification rule).
    const camp = (prefix: string) => [...result.raterFactors].filter(([id]) => id.startsWith(prefix)).map(([, f]) => f);
    expect(camp("A").filter((f) => f < 0).length).toBeGreaterThan(20);
    expect(camp("B").every((f) => f > 0)).toBe(true);
  });

  it("flags only the bridge as helpful on both sides of the divide", () => {
    expect(result.arguments.filter((a) => a.helpfulAcrossDivide).map((a) => a.argumentId)).toEqual(["bridge"]);
    expect(byId.get("bridge")!.intercept).toBeGreaterThanOrEqual(0.4);
  });

  it("is deterministic and ignores the order of ratings", () => {
    expect(scoreBridging([...twoCamps()].reverse())).toEqual(result);
  });
});

describe("the fallback to the Wilson bound", () => {
  it("covers the whole debate when fewer than 20 raters have 10 ratings", () => {
    // Only 15 raters of camp A and 4 of camp B: 19 active raters.
    const ratings = twoCamps().filter((r) => (r.raterId.startsWith("A") && Number(r.raterId.slice(1)) < 15) || (r.raterId.startsWith("B") && Number(r.raterId.slice(1)) < 4));
    const result = scoreBridging(ratings);
    expect(result.method).toBe("wilson");
    expect(result.activeRaters).toBe(19);
    expect(result.reason).toMatch(/19 people have rated at least 10 arguments .* 20 are needed/);
    expect(result.arguments.every((a) => a.method === "wilson" && a.intercept === null && a.score === a.wilsonLowerBound)).toBe(true);
    // Ordered by the Wilson bound.
    const scores = result.arguments.map((a) => a.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
  });

  it("covers an argument with fewer than 5 raters, ranked after the modelled ones", () => {
    const ratings = [...twoCamps(), ...["A0", "A1", "B0", "B1"].map((raterId) => ({ raterId, argumentId: "new", value: "up" as const }))];
    const result = scoreBridging(ratings, ["unrated"]);
    const fresh = result.arguments.find((a) => a.argumentId === "new")!;
    expect(fresh.method).toBe("wilson");
    expect(fresh.fallbackReason).toMatch(/Fewer than 5 people/);
    expect(fresh.score).toBeCloseTo(wilsonLowerBound(4, 4), 12);
    const unrated = result.arguments.find((a) => a.argumentId === "unrated")!;
    expect([unrated.method, unrated.up, unrated.down, unrated.score]).toEqual(["wilson", 0, 0, 0]);
    expect(result.arguments.slice(-2).map((a) => a.argumentId)).toEqual(["new", "unrated"]);
  });

  it("leaves out raters with fewer than 10 ratings, which can drop an argument below 5 raters", () => {
    // "late" is rated by 6 people who rated nothing else: none of them counts, so it falls back.
    const late = ["x1", "x2", "x3", "x4", "x5", "x6"].map((raterId) => ({ raterId, argumentId: "late", value: "up" as const }));
    const result = scoreBridging([...twoCamps(), ...late]);
    expect(result.activeRaters).toBe(40);
    expect(result.arguments.find((a) => a.argumentId === "late")!.method).toBe("wilson");
    expect(result.raterFactors.has("x1")).toBe(false);
  });

  it("flags an argument helpful on both sides in the fallback when the caller gives the sides", () => {
    const ratings: ArgumentRating[] = [];
    for (let i = 0; i < 8; i++) {
      ratings.push({ raterId: `L${i}`, argumentId: "shared", value: "up" });
      ratings.push({ raterId: `R${i}`, argumentId: "shared", value: "up" });
      ratings.push({ raterId: `L${i}`, argumentId: "left-only", value: "up" });
      ratings.push({ raterId: `R${i}`, argumentId: "left-only", value: "down" });
    }
    const side = (id: string) => (id.startsWith("L") ? -1 : 1) as -1 | 1;
    const result = scoreBridging(ratings, [], side);
    expect(result.method).toBe("wilson");
    // 8 of 8 on each side: bound 1/(1 + z²/8) ≈ 0.68 ≥ ½.
    expect(result.arguments.filter((a) => a.helpfulAcrossDivide).map((a) => a.argumentId)).toEqual(["shared"]);
    expect(scoreBridging(ratings).arguments.some((a) => a.helpfulAcrossDivide)).toBe(false);
  });

  it("refuses a rating value other than up or down", () => {
    expect(() => scoreBridging([{ raterId: "a", argumentId: "x", value: "sideways" as "up" }])).toThrow(/expected up or down/);
  });
});

describe("the factorisation itself", () => {
  it("fits data it can explain: predictions close to the ratings", () => {
    // Two camps of 10 raters; items 0 and 1 liked by everyone, item 2 by camp 0 only, item 3 by nobody.
    const rater: number[] = [];
    const item: number[] = [];
    const label: number[] = [];
    for (let u = 0; u < 20; u++) {
      for (let i = 0; i < 4; i++) {
        rater.push(u);
        item.push(i);
        label.push(i < 2 || (i === 2 && u < 10) ? 1 : 0);
      }
    }
    const fit = fitMatrixFactorisation({ nRaters: 20, nItems: 4, rater: Int32Array.from(rater), item: Int32Array.from(item), label: Float64Array.from(label) });
    const predict = (u: number, i: number) => fit.globalIntercept + fit.raterIntercept[u] + fit.itemIntercept[i] + fit.raterFactor[u] * fit.itemFactor[i];
    expect(fit.converged).toBe(true);
    expect(fit.trainError).toBeLessThan(0.02);
    expect(predict(0, 0)).toBeGreaterThan(0.8);
    expect(predict(15, 0)).toBeGreaterThan(0.8);
    expect(predict(0, 2)).toBeGreaterThan(0.7);
    expect(predict(15, 2)).toBeLessThan(0.3);
    expect(predict(0, 3)).toBeLessThan(0.2);
    // Item 2 divides the camps: the camps' rater factors have opposite signs and item 2's factor is the largest.
    expect(Math.sign(fit.raterFactor[0])).toBe(-Math.sign(fit.raterFactor[15]));
    expect(Math.abs(fit.itemFactor[2])).toBeGreaterThan(Math.max(Math.abs(fit.itemFactor[0]), Math.abs(fit.itemFactor[3])));
  });

  it("refuses inconsistent input", () => {
    expect(() => fitMatrixFactorisation({ nRaters: 1, nItems: 1, rater: new Int32Array([0]), item: new Int32Array([3]), label: new Float64Array([1]) })).toThrow(/item index 3/);
  });
});
