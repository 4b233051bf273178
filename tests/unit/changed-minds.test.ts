/** The ranking of "arguments that moved people" (server/domain/changed-minds.ts, ADR 0072). */
import { describe, expect, it } from "vitest";
import { pathOf, rankMovingArguments, type Exposure, type MindChange } from "../../server/domain/changed-minds";

const seen = (participantId: string, argumentId: string, at: number, propositionId = "P1", kind: Exposure["kind"] = "viewed"): Exposure => ({ participantId, argumentId, propositionId, kind, at });

describe("rankMovingArguments", () => {
  it("counts distinct changed minds per argument met before the change, most first", () => {
    const changes: MindChange[] = [
      { participantId: "ada", at: 100, propositionId: null },
      { participantId: "bo", at: 100, propositionId: null },
    ];
    const exposures = [
      seen("ada", "A", 10),
      seen("ada", "A", 20, "P1", "opened"), // the same person twice counts once
      seen("ada", "B", 30),
      seen("bo", "A", 40, "P2", "rated"),
      seen("bo", "C", 150), // after the change: not associated
      seen("cy", "C", 10), // cy did not change their mind
    ];
    expect(rankMovingArguments(changes, exposures)).toEqual([
      { argumentId: "A", changedMinds: 2 },
      { argumentId: "B", changedMinds: 1 },
    ]);
  });

  it("ties a proposition vote change to arguments on that proposition only, and a motion change to all", () => {
    const changes: MindChange[] = [{ participantId: "ada", at: 100, propositionId: "P1" }];
    const exposures = [seen("ada", "A", 10, "P1"), seen("ada", "B", 10, "P2")];
    expect(rankMovingArguments(changes, exposures)).toEqual([{ argumentId: "A", changedMinds: 1 }]);
    expect(rankMovingArguments([{ participantId: "ada", at: 100, propositionId: null }], exposures).map((m) => m.argumentId)).toEqual(["A", "B"]);
  });

  it("is empty without changes, and a read at the very moment of the change does not count", () => {
    expect(rankMovingArguments([], [seen("ada", "A", 10)])).toEqual([]);
    expect(rankMovingArguments([{ participantId: "ada", at: 10, propositionId: null }], [seen("ada", "A", 10)])).toEqual([]);
  });

  it("breaks ties by argument id, whatever order the events come in", () => {
    const changes: MindChange[] = [{ participantId: "ada", at: 100, propositionId: null }];
    const a = rankMovingArguments(changes, [seen("ada", "Z", 1), seen("ada", "M", 2)]);
    const b = rankMovingArguments(changes, [seen("ada", "M", 2), seen("ada", "Z", 1)]);
    expect(a).toEqual(b);
    expect(a.map((m) => m.argumentId)).toEqual(["M", "Z"]);
  });
});

describe("pathOf", () => {
  it("lists the arguments met before the change at their first meeting, in time order", () => {
    const changes: MindChange[] = [{ participantId: "ada", at: 100, propositionId: null }];
    const exposures = [seen("ada", "B", 50, "P1", "rated"), seen("ada", "A", 30), seen("ada", "B", 20), seen("ada", "C", 120), seen("bo", "D", 5)];
    expect(pathOf("ada", changes, exposures)).toEqual([
      { argumentId: "B", kind: "viewed", at: 20 },
      { argumentId: "A", kind: "viewed", at: 30 },
    ]);
    expect(pathOf("bo", changes, exposures)).toEqual([]);
  });
});
