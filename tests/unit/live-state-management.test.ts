/** The client's reducer follows debate.updated and participant.updated (docs/protocol.md, "Running a debate"). */
import { describe, expect, it } from "vitest";
import { initialLiveState, liveReducer, type LiveState } from "../../app/realtime/live-state";
import type { ArgumentDTO, DebateChange } from "../../app/shared/contract";
import { argumentFixture, debateFixture } from "../support/dto-fixtures";

const argument = (id: string, authorId: string, name: string): ArgumentDTO => argumentFixture(id, { author: { id: authorId, displayName: name, role: "debater" } });
const debate = debateFixture({ visibility: "private", seq: 5, arguments: [argument("a1", "ada", "Ada"), argument("a2", "me", "Me"), argument("a3", "ada", "Ada")] });
const start = (): LiveState => {
  const s = initialLiveState(debate, { id: "me", displayName: "Me", role: "debater", muted: false, debateId: debate.id }, { votes: {}, ratings: {} });
  return liveReducer(s, { type: "presence", participants: [{ id: "ada", displayName: "Ada", role: "debater" }, { id: "me", displayName: "Me", role: "debater" }] });
};
const apply = (state: LiveState, change: DebateChange) => liveReducer(state, { type: "change", change });

describe("live state: running a debate", () => {
  it("starts from the snapshot's status and follows debate.updated (closing and reopening)", () => {
    expect(start().settings).toEqual({ status: "published", visibility: "private", title: "t" });
    const closed = apply(start(), { seq: 6, kind: "debate.updated", data: { status: "closed", visibility: "private", title: "t" } });
    expect(closed.settings.status).toBe("closed");
    expect(apply(closed, { seq: 7, kind: "debate.updated", data: { status: "published", visibility: "private", title: "t" } }).settings.status).toBe("published");
  });

  it("renames a participant on every argument they wrote and in presence", () => {
    const s = apply(start(), { seq: 6, kind: "participant.updated", data: { id: "ada", displayName: "Ada L.", role: "debater", muted: false, removed: false } });
    expect(s.arguments.a1!.author.displayName).toBe("Ada L.");
    expect(s.arguments.a3!.author.displayName).toBe("Ada L.");
    expect(s.arguments.a2!.author.displayName).toBe("Me");
    expect(s.presence.find((p) => p.id === "ada")!.displayName).toBe("Ada L.");
    expect(s.me).toMatchObject({ id: "me", displayName: "Me" });
  });

  it("moves the facilitator badge with a role change: on every argument they wrote and in presence, and back", () => {
    const appointed = apply(start(), { seq: 6, kind: "participant.updated", data: { id: "ada", displayName: "Ada", role: "facilitator", muted: false, removed: false } });
    expect([appointed.arguments.a1!.author.role, appointed.arguments.a3!.author.role, appointed.arguments.a2!.author.role]).toEqual(["facilitator", "facilitator", "debater"]);
    expect(appointed.presence.find((p) => p.id === "ada")!.role).toBe("facilitator");
    const revoked = apply(appointed, { seq: 7, kind: "participant.updated", data: { id: "ada", displayName: "Ada", role: "debater", muted: false, removed: false } });
    expect(revoked.arguments.a1!.author.role).toBe("debater");
    expect(revoked.presence.find((p) => p.id === "ada")!.role).toBe("debater");
  });

  it("follows the current participant's own mute, role and removal", () => {
    const muted = apply(start(), { seq: 6, kind: "participant.updated", data: { id: "me", displayName: "Me", role: "debater", muted: true, removed: false } });
    expect(muted.me).toMatchObject({ muted: true, removed: false });
    const observer = apply(muted, { seq: 7, kind: "participant.updated", data: { id: "me", displayName: "Me", role: "observer", muted: false, removed: false } });
    expect(observer.me).toMatchObject({ role: "observer", muted: false });
    const removed = apply(observer, { seq: 8, kind: "participant.updated", data: { id: "me", displayName: "Me", role: "observer", muted: false, removed: true } });
    expect(removed.me?.removed).toBe(true);
    expect(removed.presence.map((p) => p.id)).toEqual(["ada"]);
  });
});
