/** The debate page's argument orders (app/components/debate/ArgumentOrder.tsx). */
import { describe, expect, it } from "vitest";
import { orderByRanking, rankByRatings } from "../../app/components/debate/ArgumentOrder";
import { argumentFixture } from "../support/dto-fixtures";

const at = (minute: number) => `2026-12-06T10:${String(minute).padStart(2, "0")}:00.000Z`;

describe("argument orders", () => {
  const a = argumentFixture("a", { createdAt: at(1), tally: { up: 1, down: 0, score: 1 } });
  const b = argumentFixture("b", { createdAt: at(2), tally: { up: 5, down: 1, score: 4 } });
  const c = argumentFixture("c", { createdAt: at(3), tally: { up: 0, down: 0, score: 0 } });
  const d = argumentFixture("d", { createdAt: at(4), tally: { up: 6, down: 2, score: 4 } });

  it("oldest first without a ranking, whatever order they arrive in", () => {
    expect(orderByRanking([d, b, c, a], null).map((x) => x.id)).toEqual(["a", "b", "c", "d"]);
  });

  it("most up-voted: up minus down, then more up-votes, then oldest", () => {
    const ranking = rankByRatings([a, b, c, d]);
    expect(orderByRanking([a, b, c, d], ranking).map((x) => x.id)).toEqual(["d", "b", "a", "c"]);
  });

  it("keeps a taken ranking while ratings change, and puts new arguments after the ranked ones, oldest first", () => {
    const ranking = rankByRatings([a, b]);
    const bLater = { ...b, tally: { up: 0, down: 9, score: -9 } };
    const e = argumentFixture("e", { createdAt: at(5) });
    expect(orderByRanking([e, a, bLater, c], ranking).map((x) => x.id)).toEqual(["b", "a", "c", "e"]);
  });
});
