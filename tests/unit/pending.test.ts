/**
 * pendingOf (app/realtime/pending.ts): the reader's unconfirmed operations by where the page shows
 * them (issue 19), and a post not shown twice once its saved argument is here.
 */
import { describe, expect, it } from "vitest";
import { pendingOf, plainTextOf } from "../../app/realtime/pending";
import type { QueuedOperation } from "../../app/realtime/outbox";
import { plainTextToArgumentBody } from "../../app/shared/argument-body";
import { OPERATION_WIRE } from "../../app/shared/operation-wire";
import { argumentFixture } from "../support/dto-fixtures";

const queuedAt = Date.parse("2026-12-06T16:00:00.000Z");
const op = (opId: string, event: string, payload: Record<string, unknown>): QueuedOperation => ({ opId, event: event as QueuedOperation["event"], payload: { ...payload, opId }, queuedAt });

describe("pendingOf", () => {
  const ops = [
    op("1", OPERATION_WIRE.castVote.event, { propositionId: "p1", value: "agree" }),
    op("2", OPERATION_WIRE.rateArgument.event, { argumentId: "a9", value: "up" }),
    op("3", OPERATION_WIRE.postArgument.event, { propositionId: "p1", parentId: null, stance: "con", body: plainTextToArgumentBody("First line.\n\nSecond line."), sources: [] }),
    op("4", OPERATION_WIRE.postArgument.event, { propositionId: "p2", parentId: "a9", stance: "pro", body: plainTextToArgumentBody("A reply."), sources: [] }),
    op("5", OPERATION_WIRE.deleteArgument.event, { argumentId: "a1" }),
  ];

  it("sorts votes, ratings and posts (with their text) by where they show", () => {
    const pending = pendingOf(ops, {}, "me");
    expect([...pending.votes]).toEqual(["p1"]);
    expect([...pending.ratings]).toEqual(["a9"]);
    expect(pending.posts.map(({ opId, propositionId, parentId, stance, text }) => ({ opId, propositionId, parentId, stance, text }))).toEqual([
      { opId: "3", propositionId: "p1", parentId: null, stance: "con", text: "First line. Second line." },
      { opId: "4", propositionId: "p2", parentId: "a9", stance: "pro", text: "A reply." },
    ]);
  });

  it("drops a pending post whose saved argument (the reader's, same place and text, made since) is already here", () => {
    const saved = argumentFixture("a2", { propositionId: "p2", parentId: "a9", stance: "pro", bodyText: "A reply.", author: { id: "me", displayName: "Me", role: "debater" }, createdAt: "2026-12-06T16:00:01.000Z" });
    expect(pendingOf(ops, { a2: saved }, "me").posts.map((p) => p.opId)).toEqual(["3"]);
    // Someone else's identical words, or an older argument of the reader's, are not it.
    expect(pendingOf(ops, { a2: { ...saved, author: { id: "other", displayName: "O", role: "debater" } } }, "me").posts).toHaveLength(2);
    expect(pendingOf(ops, { a2: { ...saved, createdAt: "2026-12-06T15:00:00.000Z" } }, "me").posts).toHaveLength(2);
  });

  it("reads no text out of what is not a rich-text body", () => {
    expect(plainTextOf(null)).toBe("");
    expect(plainTextOf({ root: { children: "nope" } })).toBe("");
    expect(plainTextOf("text")).toBe("");
  });
});
