import { describe, expect, it } from "vitest";
import { ratingTallyFromCounts, voteTallyFromCounts } from "../../server/domain/tally";

describe("vote tallies are derived from current votes", () => {
  it("counts grouped rows, total included", () => {
    expect(voteTallyFromCounts([{ value: "agree", count: 3 }, { value: "unsure", count: 1 }])).toEqual({ agree: 3, disagree: 0, unsure: 1, total: 4 });
  });
  it("is empty with no votes", () => {
    expect(voteTallyFromCounts([])).toEqual({ agree: 0, disagree: 0, unsure: 0, total: 0 });
  });
  it("refuses negative or fractional counts instead of clamping them", () => {
    expect(() => voteTallyFromCounts([{ value: "agree", count: -1 }])).toThrow(RangeError);
    expect(() => voteTallyFromCounts([{ value: "agree", count: 1.5 }])).toThrow(RangeError);
    expect(() => ratingTallyFromCounts([{ value: "down", count: -2 }])).toThrow(RangeError);
  });
  it("scores ratings as up minus down", () => {
    expect(ratingTallyFromCounts([{ value: "up", count: 2 }, { value: "down", count: 5 }])).toEqual({ up: 2, down: 5, score: -3 });
  });
});
