/**
 * A big debate's catch-up with counts for the parts not loaded (issue 14, app/shared/catch-up-holds.ts,
 * docs/decisions/0025-shared-catch-up-and-change-retention.md):
 * [H1] what a page declares it holds: the propositions with a page read and the arguments read outside
 *      them; nothing for a complete frame or past the limits;
 * [H2] a catch-up for what was declared applies its changes, takes toSeq as applied (the left-out
 *      numbers are no gap), puts the counts in place, forgets arguments outside the held parts (and a
 *      page read since the declaration), drops pending changes it covers and applies the later ones;
 * [H3] applied twice, or after the client has gone past it, it changes nothing;
 * [H4] a complete frame never takes counts in place of changes: the left-out numbers stay a gap (repaired by a resync).
 */
import { describe, expect, it } from "vitest";
import { applyCatchUp, heldParts } from "../../app/realtime/held-catch-up";
import { initialLiveState, liveReducer, type LiveState } from "../../app/realtime/live-state";
import { type CatchUpPayload, type DebateChange, type DebateDTO, HOLDS_MAX_PROPOSITIONS, type PropositionWithTallyDTO } from "../../app/shared/contract";
import { argumentFixture, debateFixture } from "../support/dto-fixtures";

const me = { id: "me", displayName: "Me", role: "debater" as const, muted: false, debateId: "d" };
const proposition = (id: string, position: number): PropositionWithTallyDTO => ({ id, position, text: `Claim ${id}.`, sourceSpan: null, locked: false, tally: { agree: 0, disagree: 0, unsure: 0, total: 0 }, tallyVersion: 0 });
const at = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, "0")}.000Z`;

/** p1 has its first page read (a1), p3 only a deep-linked argument (d3); p2 and p4 are not read. */
const partial = (): DebateDTO => ({
  ...debateFixture(),
  propositions: ["p1", "p2", "p3", "p4"].map(proposition),
  arguments: [argumentFixture("a1"), argumentFixture("d3", { propositionId: "p3" })],
  frame: { complete: false, counts: { p1: { pro: 1, con: 0, all: 1 }, p2: { pro: 5, con: 2, all: 9 }, p3: { pro: 1, con: 0, all: 1 }, p4: { pro: 0, con: 0, all: 0 } }, pages: { p1: { order: "oldest", nextCursor: null } }, replyCounts: { a1: 0, d3: 0 } },
});
const start = (debate: DebateDTO): LiveState => initialLiveState(debate, me, { votes: {}, ratings: {} });
const change = (seq: number, kind: "argument.created" | "argument.updated", id: string, extra: Parameters<typeof argumentFixture>[1] = {}): DebateChange => ({ seq, kind, data: argumentFixture(id, extra) });
const held = { propositions: ["p1"], arguments: ["d3"] };
/** What the server sends for `held` from 10 to 15 when 12 (p2) and 13 (p4) were left out. */
const catchUp = (): CatchUpPayload & { mode: "changes" } => ({
  mode: "changes",
  fromSeq: 10,
  toSeq: 15,
  changes: [change(11, "argument.created", "a2", { createdAt: at(11), updatedAt: at(11) }), change(14, "argument.created", "r3", { propositionId: "p3", parentId: "d3", createdAt: at(14), updatedAt: at(14) }), { seq: 15, kind: "debate.updated", data: { status: "published", visibility: "unlinked", title: "Renamed" } }],
  tallies: { propositions: [], arguments: [] },
  mine: { votes: {}, ratings: {} },
  held,
  counts: { p1: { pro: 2, con: 0, all: 2 }, p2: { pro: 6, con: 2, all: 10 }, p3: { pro: 1, con: 0, all: 2 } },
});

describe("catch-up with counts for the parts not loaded", () => {
  it("[H1] declares the propositions read and the arguments read outside them", () => {
    expect(heldParts(start(debateFixture()))).toBeUndefined();
    expect(heldParts(start(partial()))).toEqual(held);
    const many = start(partial());
    const pages = Object.fromEntries(Array.from({ length: HOLDS_MAX_PROPOSITIONS + 1 }, (_, i) => [`q${i}`, { order: "oldest" as const, nextCursor: null }]));
    expect(heldParts({ ...many, frame: { ...many.frame, pages } })).toBeUndefined();
  });

  it("[H2] applies the held changes, the counts as of toSeq, and forgets what is not held", () => {
    let s = start(partial());
    // An argument on p2 (not read) that arrived live before the disconnection (the state at seq 10 holds it, unread).
    s = { ...s, arguments: { ...s.arguments, "live-p2": argumentFixture("live-p2", { propositionId: "p2" }) } };
    // Live changes that arrived while the catch-up was on its way: 12 (left out of it), 16 (after it).
    s = liveReducer(s, { type: "change", change: change(12, "argument.created", "x2", { propositionId: "p2" }) });
    s = liveReducer(s, { type: "change", change: change(16, "argument.created", "a6", { createdAt: at(16), updatedAt: at(16) }) });
    // A page of p4 read after the declaration was sent: not kept current by this catch-up.
    s = liveReducer(s, { type: "page", page: { propositionId: "p4", parentId: null, order: "oldest", nextCursor: null, arguments: [{ ...argumentFixture("a4", { propositionId: "p4" }), replyCount: 0 }] } });
    expect(Object.keys(s.pending).map(Number).sort()).toEqual([12, 16]);

    const after = applyCatchUp(s, catchUp(), liveReducer);
    expect(after.lastSeq).toBe(16);
    expect(after.pending).toEqual({});
    expect(Object.keys(after.arguments).sort()).toEqual(["a1", "a2", "a6", "d3", "r3"]);
    expect(after.settings.title).toBe("Renamed");
    // The counts as the server counted them at 15, then a6 (16) counted on top; p4 has none.
    expect(after.frame.counts).toEqual({ p1: { pro: 3, con: 0, all: 3 }, p2: { pro: 6, con: 2, all: 10 }, p3: { pro: 1, con: 0, all: 2 }, p4: { pro: 0, con: 0, all: 0 } });
    expect(after.frame.pages).toEqual({ p1: { order: "oldest", nextCursor: null } });
    expect(after.frame.fetched).toEqual({ a1: true, d3: true });
    expect(after.frame.replyCounts).toEqual({ a1: 0, d3: 1 });
  });

  it("[H3] a repeated or outrun catch-up changes nothing", () => {
    const once = applyCatchUp(start(partial()), catchUp(), liveReducer);
    expect(once.lastSeq).toBe(15);
    expect(applyCatchUp(once, catchUp(), liveReducer)).toEqual(once);
    // A live change at 16 counted on top, then a late copy of the catch-up at 15: the counts stay.
    const later = liveReducer(once, { type: "change", change: change(16, "argument.created", "a6", { createdAt: at(16), updatedAt: at(16) }) });
    expect(later.frame.counts.p1).toEqual({ pro: 3, con: 0, all: 3 });
    expect(applyCatchUp(later, catchUp(), liveReducer).frame.counts).toEqual(later.frame.counts);
  });

  it("[H4] a complete frame takes no counts: the left-out numbers wait as a gap", () => {
    const s = applyCatchUp(start(debateFixture({ propositions: ["p1", "p2", "p3", "p4"].map(proposition) })), catchUp(), liveReducer);
    expect(s.lastSeq).toBe(11);
    expect(Object.keys(s.pending).map(Number)).toEqual([14, 15]);
    expect(s.frame.complete).toBe(true);
  });
});
