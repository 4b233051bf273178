/** The client's reducer applies changes by sequence and tallies by version ([P3], [P4] in docs/protocol.md). */
import { describe, expect, it } from "vitest";
import { initialLiveState, liveReducer, type LiveState } from "../../app/realtime/live-state";
import type { ArgumentDTO, DebateChange } from "../../app/shared/contract";
import { argumentFixture, debateFixture } from "../support/dto-fixtures";

const debate = debateFixture();
const argument = (id: string, updatedAt = "2026-01-01T00:00:01.000Z"): ArgumentDTO => argumentFixture(id, { updatedAt });
const created = (seq: number, id: string): DebateChange => ({ seq, kind: "argument.created", data: argument(id) });
const start = (): LiveState => initialLiveState(debate, { id: "me", displayName: "Me", role: "debater", muted: false, debateId: debate.id }, { votes: {}, ratings: {} });
const apply = (state: LiveState, ...changes: DebateChange[]) => changes.reduce((s, change) => liveReducer(s, { type: "change", change }), state);

describe("live state", () => {
  it("[P3] applies the next change and ignores one already applied", () => {
    const s = apply(start(), created(11, "a"), created(11, "a"), created(9, "old"));
    expect(Object.keys(s.arguments)).toEqual(["a"]);
    expect(s.lastSeq).toBe(11);
  });

  it("[P3] holds a change that arrives ahead of a gap until the gap is filled, then applies both in order", () => {
    const ahead = apply(start(), created(13, "c"), created(12, "b"));
    expect(ahead.lastSeq).toBe(10);
    expect(Object.keys(ahead.arguments)).toEqual([]);
    const filled = apply(ahead, created(11, "a"));
    expect(filled.lastSeq).toBe(13);
    expect(Object.keys(filled.arguments).sort()).toEqual(["a", "b", "c"]);
    expect(filled.pending).toEqual({});
  });

  it("[P3] a catch-up fills the gap and replaces my choices", () => {
    const ahead = apply(start(), created(12, "b"));
    const s = liveReducer(ahead, {
      type: "catchUp",
      payload: { mode: "changes", fromSeq: 10, toSeq: 12, changes: [created(11, "a"), created(12, "b")], tallies: { propositions: [{ propositionId: "p1", tally: { agree: 2, disagree: 0, unsure: 0, total: 2 }, version: 5 }], arguments: [] }, mine: { votes: { p1: "agree" }, ratings: {} } },
    });
    expect(s.lastSeq).toBe(12);
    expect(Object.keys(s.arguments).sort()).toEqual(["a", "b"]);
    expect(s.propositions[0]!.tally.agree).toBe(2);
    expect(s.myVotes).toEqual({ p1: "agree" });
  });

  it("[P4] keeps the tally with the highest version, whatever the arrival order", () => {
    const newer = { propositionId: "p1", tally: { agree: 3, disagree: 1, unsure: 0, total: 4 }, version: 7, participantId: null, value: null };
    const older = { propositionId: "p1", tally: { agree: 1, disagree: 0, unsure: 0, total: 1 }, version: 2, participantId: null, value: null };
    const s = liveReducer(liveReducer(start(), { type: "vote", payload: newer }), { type: "vote", payload: older });
    expect(s.propositions[0]!.tally).toEqual(newer.tally);
  });

  it("follows my own vote from another tab, and not other people's", () => {
    const mine = { propositionId: "p1", tally: { agree: 1, disagree: 0, unsure: 0, total: 1 }, version: 1, participantId: "me", value: "agree" as const };
    const theirs = { propositionId: "p1", tally: { agree: 1, disagree: 1, unsure: 0, total: 2 }, version: 2, participantId: "them", value: "disagree" as const };
    const s = liveReducer(liveReducer(start(), { type: "vote", payload: mine }), { type: "vote", payload: theirs });
    expect(s.myVotes).toEqual({ p1: "agree" });
  });

  it("does not let an older copy of an argument overwrite a newer edit", () => {
    const edited: DebateChange = { seq: 12, kind: "argument.updated", data: { ...argument("a", "2026-01-01T00:00:05.000Z"), bodyText: "edited" } };
    const s = liveReducer(apply(start(), created(11, "a"), edited), { type: "argumentSaved", argument: argument("a") });
    expect(s.arguments.a!.bodyText).toBe("edited");
  });
});
