/**
 * sameColumns (app/components/debate/ArgumentTree.tsx) decides when a proposition's columns render
 * again (issue 19: a vote click re-rendered every proposition's threads). It must say "changed" for
 * everything the columns show, and "same" for what happens elsewhere on the page.
 */
import { describe, expect, it } from "vitest";
import { sameColumns } from "../../app/components/debate/ArgumentTree";
import type { ArgumentDTO } from "../../app/shared/contract";
import { Action } from "../../app/shared/permissions";

type Props = Parameters<typeof sameColumns>[0];
const arg = (id: string) => ({ id, propositionId: "p1", parentId: null, stance: "pro" }) as unknown as ArgumentDTO;
const a1 = arg("a1");
const a2 = arg("a2");
const noop = async () => ({ ok: true as const, data: undefined as never });

function props(overrides: Partial<Props> = {}, actions: Partial<Props["actions"]> = {}): Props {
  return {
    propositionId: "p1",
    propositionNumber: 1,
    formKey: "k1",
    args: [a1, a2],
    ranking: null,
    actions: { allowed: new Set([Action.castVote, Action.postArgument]), meId: "me", myRatings: { a1: "up", other: "down" }, pendingRatings: new Set(), pendingPosts: [], editArgument: noop, postArgument: noop as never, pressRating: noop, formOpId: (f: string) => f, ...actions },
    moderation: { debateId: "d1", role: "debater", deleteArgument: noop, reportArgument: noop, hideArgument: noop, unhideArgument: noop },
    ...overrides,
  } as Props;
}

describe("sameColumns", () => {
  it("is the same when only things elsewhere change: new function identities, new arrays of the same arguments, ratings of other arguments", () => {
    expect(sameColumns(props(), props({ args: [a1, a2] }, { myRatings: { a1: "up", other: "up" }, pressRating: async () => ({ ok: true as const, data: undefined as never }) }))).toBe(true);
  });
  it("changes with an argument replaced (an edit, a tally), added or removed", () => {
    expect(sameColumns(props(), props({ args: [a1, { ...a2 }] }))).toBe(false);
    expect(sameColumns(props(), props({ args: [a1] }))).toBe(false);
    expect(sameColumns(props(), props({ args: [a1, a2, arg("a3")] }))).toBe(false);
  });
  it("changes with the reader's rating or its pending mark on one of its arguments", () => {
    expect(sameColumns(props(), props({}, { myRatings: { a1: "down" } }))).toBe(false);
    expect(sameColumns(props(), props({}, { pendingRatings: new Set(["a2"]) }))).toBe(false);
  });
  it("changes with a pending post, what the reader may do, the ranking, the form ids or the reader's role", () => {
    expect(sameColumns(props(), props({}, { pendingPosts: [{ opId: "o1", propositionId: "p1", parentId: null, stance: "pro", text: "x" }] }))).toBe(false);
    expect(sameColumns(props(), props({}, { allowed: new Set([Action.castVote]) }))).toBe(false);
    expect(sameColumns(props(), props({ ranking: { order: "top" } as never }))).toBe(false);
    expect(sameColumns(props(), props({ formKey: "k2" }))).toBe(false);
    expect(sameColumns(props(), props({ moderation: { ...props().moderation, role: "host" } as never }))).toBe(false);
  });
  it("a big debate's reply counts: the same when a page read for another proposition makes a new map, changed when one of its arguments' count changes (bench/scroll.ts)", () => {
    const load = async () => null;
    const replies = (counts: Record<string, number>) => ({ replies: { counts, load } });
    expect(sameColumns(props({}, replies({ a1: 2, a2: 0 })), props({}, replies({ a1: 2, a2: 0, b9: 4 })))).toBe(true);
    expect(sameColumns(props({}, replies({ a1: 2, a2: 0 })), props({}, replies({ a1: 3, a2: 0 })))).toBe(false);
    expect(sameColumns(props({}, replies({ a1: 2 })), props({}, replies({ a1: 2, a2: 1 })))).toBe(false);
    expect(sameColumns(props(), props({}, replies({})))).toBe(false);
  });
});
