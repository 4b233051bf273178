/**
 * The compute runner: the worker thread gives the same results as the
 * in-process computation, keeps errors' kinds and locations, stops runaway
 * jobs and recovers.
 */
import { afterAll, describe, expect, it } from "vitest";
import { ComputeRunner, ComputeUnavailableError } from "../../server/compute/runner";
import { scoreBridging } from "../../server/domain/bridging/bridging";
import { computeOpinionGroups, encodeOpinionInput, type OpinionInput, type OpinionVote } from "../../server/domain/opinion-groups";
import { PolisImportError } from "../../server/domain/polis-import/parse";

function debate(participants: number, propositions: number): OpinionInput {
  const votes: OpinionVote[] = [];
  for (let p = 0; p < participants; p++) {
    for (let q = 0; q < propositions; q++) {
      if ((p * 7 + q * 3) % 4 === 0) continue;
      const camp = p % 3;
      votes.push({ participantId: `p${p}`, propositionId: `q${q}`, value: (q + camp) % 3 === 0 ? "agree" : (q + camp) % 3 === 1 ? "disagree" : "unsure" });
    }
  }
  return { participantIds: Array.from({ length: participants }, (_, p) => `p${p}`), propositions: Array.from({ length: propositions }, (_, q) => ({ id: `q${q}`, excluded: q === 0 })), votes };
}

const runner = new ComputeRunner();
afterAll(() => runner.close());

describe("compute runner (worker thread)", () => {
  it("computes the same opinion groups as the in-process computation, from objects or encoded input", { timeout: 60_000 }, async () => {
    const input = debate(60, 20);
    const expected = computeOpinionGroups(input);
    expect(expected.status).toBe("ready");
    expect(await runner.opinionGroups(input)).toEqual(expected);
    expect(await runner.opinionGroups(encodeOpinionInput(input))).toEqual(expected);
  });

  it("computes bridging scores with the sides given as a map", { timeout: 60_000 }, async () => {
    const ratings = ["L1", "L2", "R1", "R2"].flatMap((raterId) => [{ raterId, argumentId: "x", value: "up" as const }]);
    const sides = new Map<string, -1 | 1>([["L1", -1], ["L2", -1], ["R1", 1], ["R2", 1]]);
    expect(await runner.bridging(ratings, [], sides)).toEqual(scoreBridging(ratings, [], (id) => sides.get(id) ?? null));
  });

  it("rejects with a PolisImportError that keeps its file, line and column", { timeout: 60_000 }, async () => {
    const error = await runner.parsePolisExport({ "comments.csv": "comment-id,comment-body,moderated\n1,Hello,2\n", "votes.csv": "comment-id,voter-id,vote\n" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolisImportError);
    expect(error).toMatchObject({ file: "comments.csv", line: 2, column: 3, columnName: "moderated" });
    expect((error as Error).message).toMatch(/^comments\.csv, line 2, column 3 \(moderated\): The moderation state/);
  });

  it("returns parsed votes as typed arrays", { timeout: 60_000 }, async () => {
    const parsed = await runner.parsePolisExport({ "comments.csv": "comment-id,comment-body,moderated\n1,Hello,1\n", "votes.csv": "timestamp,comment-id,voter-id,vote\n5,1,3,-1\n" });
    expect(parsed.votes.value).toBeInstanceOf(Int8Array);
    expect([parsed.votes.count, parsed.votes.participantId[0], parsed.votes.value[0], parsed.votes.at[0]]).toEqual([1, 3, -1, 5]);
  });

  it("keeps RangeError and TypeError kinds", { timeout: 60_000 }, async () => {
    const encoded = encodeOpinionInput(debate(5, 3));
    encoded.voteValue[0] = 7;
    await expect(runner.opinionGroups(encoded)).rejects.toThrow(RangeError);
  });

  it("stops a job past its time limit, then starts a fresh worker for the next", { timeout: 60_000 }, async () => {
    const error = await runner.opinionGroups(debate(400, 200), {}, { timeoutMs: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComputeUnavailableError);
    expect((error as Error).message).toMatch(/took longer than 0\.001 s and was stopped/);
    const input = debate(30, 10);
    expect(await runner.opinionGroups(input)).toEqual(computeOpinionGroups(input));
  });

  it("refuses work once closed", async () => {
    const closed = new ComputeRunner();
    await closed.close();
    await expect(closed.opinionGroups(debate(5, 3))).rejects.toThrow(ComputeUnavailableError);
  });
});

describe("warming up", () => {
  it("starts the worker ahead of the first job", { timeout: 60_000 }, async () => {
    const warm = new ComputeRunner();
    await warm.warmUp();
    const input = debate(20, 8);
    expect(await warm.opinionGroups(input)).toEqual(computeOpinionGroups(input));
    await warm.close();
  });
});
