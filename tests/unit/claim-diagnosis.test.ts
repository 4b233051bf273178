/**
 * The oracle of `eval:propositions --diagnose` (scripts/lib/claim-diagnosis.ts, ADR 0057): its
 * maximum coverage is exact, on small made-up spans where the answer can be counted by hand.
 */
import { describe, expect, it } from "vitest";
import { maxCoverage } from "../../scripts/lib/claim-diagnosis";

const claims = [
  { start: 0, end: 10 },
  { start: 20, end: 30 },
  { start: 40, end: 50 },
  { start: 60, end: 70 },
];

describe("maxCoverage", () => {
  it("counts a claim covered when a unit overlaps at least half of it", () => {
    expect(maxCoverage(claims, [{ start: 5, end: 12 }], 1)).toEqual({ covered: 1, units: 1 });
    expect(maxCoverage(claims, [{ start: 6, end: 12 }], 1)).toEqual({ covered: 0, units: 0 });
  });

  it("is limited by the cap with one claim per unit, and reaches more with units holding two", () => {
    const singles = claims.map((c) => ({ ...c }));
    expect(maxCoverage(claims, singles, 3).covered).toBe(3);
    const pairs = [{ start: 0, end: 30 }, { start: 40, end: 70 }];
    expect(maxCoverage(claims, [...singles, ...pairs], 2)).toEqual({ covered: 4, units: 2 });
  });

  it("finds the optimum where picking the largest unit first would not", () => {
    // Greedy takes [20, 50] (claims 1, 2) and then one more: 3 claims; the optimum is [0, 30] + [40, 70]: 4.
    const units = [{ start: 20, end: 50 }, { start: 0, end: 30 }, { start: 40, end: 70 }];
    expect(maxCoverage(claims, units, 2).covered).toBe(4);
  });

  it("rejects a unit that covers claims with a gap (gold claims must not overlap)", () => {
    const nested = [{ start: 0, end: 20 }, { start: 1, end: 3 }, { start: 15, end: 16 }];
    expect(() => maxCoverage(nested, [{ start: 10, end: 20 }], 1)).toThrow(/non-contiguous/);
  });
});
