/**
 * The live state of a big debate read in parts (issue 14, docs/decisions/0026-debate-page-frame.md):
 * [F1] a debate sent whole (no frame) is complete, and pages change nothing about counts;
 * [F2] in a partial frame, a new argument on a proposition not read yet is kept and counted, a
 *      reply counts for its parent, a deletion and a hide count out, an unhide counts in again;
 * [F3] a page merges its arguments (a newer live copy stays), records its cursor and marks them read;
 *      a deep link's chain is merged and marked read.
 */
import { describe, expect, it } from "vitest";
import { initialLiveState, liveReducer, type LiveState } from "../../app/realtime/live-state";
import type { DebateChange, DebateDTO } from "../../app/shared/contract";
import { argumentFixture, debateFixture } from "../support/dto-fixtures";

const me = { id: "me", displayName: "Me", role: "debater" as const, muted: false, debateId: "d" };
const partial = (): DebateDTO => ({
  ...debateFixture(),
  arguments: [argumentFixture("a1")],
  frame: { complete: false, counts: { p1: { pro: 3, con: 1, all: 6 } }, pages: {}, replyCounts: { a1: 2 } },
});
const start = (debate: DebateDTO): LiveState => initialLiveState(debate, me, { votes: {}, ratings: {} });
const change = (seq: number, kind: "argument.created" | "argument.updated", id: string, extra: Parameters<typeof argumentFixture>[1] = {}): DebateChange => ({ seq, kind, data: argumentFixture(id, extra) });
const apply = (state: LiveState, ...changes: DebateChange[]) => changes.reduce((s, c) => liveReducer(s, { type: "change", change: c }), state);

describe("live state of a debate read in parts", () => {
  it("[F1] a debate without a frame is complete", () => {
    const s = start(debateFixture());
    expect(s.frame.complete).toBe(true);
    const after = apply(s, change(11, "argument.created", "x"));
    expect(after.frame.counts).toEqual({});
  });

  it("[F2] live changes keep the counts of propositions not read", () => {
    let s = apply(start(partial()), change(11, "argument.created", "new-top"));
    expect(s.arguments["new-top"]).toBeDefined();
    expect(s.frame.counts.p1).toEqual({ pro: 4, con: 1, all: 7 });
    s = apply(s, change(12, "argument.created", "reply", { parentId: "a1", stance: "con" }));
    expect(s.frame.counts.p1).toEqual({ pro: 4, con: 1, all: 8 });
    expect(s.frame.replyCounts.a1).toBe(3);
    // The same change again changes nothing.
    expect(apply(s, change(12, "argument.created", "reply", { parentId: "a1", stance: "con" }))).toBe(s);
    // A deletion of one never read (taken as counted before), then of one here.
    s = apply(s, change(13, "argument.updated", "unread", { deleted: true, updatedAt: "2026-01-01T00:00:05.000Z" }));
    expect(s.frame.counts.p1).toEqual({ pro: 3, con: 1, all: 7 });
    s = liveReducer(s, { type: "argumentHidden", payload: { argumentId: "new-top", hidden: { reason: "Off topic", at: "2026-01-01T00:00:06.000Z" }, threadIds: ["new-top"] } });
    expect(s.frame.counts.p1!.pro).toBe(2);
    s = liveReducer(s, { type: "argumentUnhidden", payload: { argumentId: "new-top", arguments: [argumentFixture("new-top", { updatedAt: "2026-01-01T00:00:07.000Z" })] } });
    expect(s.frame.counts.p1!.pro).toBe(3);
  });

  it("[F3] a page merges its arguments, keeps a newer copy, records its cursor and marks them read", () => {
    let s = apply(start(partial()), change(11, "argument.updated", "a2", { updatedAt: "2026-01-01T00:00:09.000Z", bodyText: "edited live" }));
    s = liveReducer(s, { type: "page", page: { propositionId: "p1", parentId: null, order: "oldest", nextCursor: "c1", arguments: [{ ...argumentFixture("a2", { bodyText: "old" }), replyCount: 0 }, { ...argumentFixture("a3"), replyCount: 4 }] } });
    expect(s.arguments.a2!.bodyText).toBe("edited live");
    expect(s.arguments.a3).toBeDefined();
    expect(s.frame.pages.p1).toEqual({ order: "oldest", nextCursor: "c1" });
    expect(s.frame.replyCounts.a3).toBe(4);
    expect(s.frame.fetched).toMatchObject({ a2: true, a3: true });
    s = liveReducer(s, { type: "page", page: { propositionId: "p1", parentId: "a3", order: "oldest", nextCursor: null, arguments: [{ ...argumentFixture("r1", { parentId: "a3" }), replyCount: 0 }] } });
    expect(s.frame.replyPages.a3).toEqual({ nextCursor: null });
    s = liveReducer(s, { type: "fetched", arguments: [{ ...argumentFixture("deep", { parentId: "r1" }), replyCount: 1 }] });
    expect(s.arguments.deep).toBeDefined();
    expect(s.frame.fetched.deep).toBe(true);
  });
});
