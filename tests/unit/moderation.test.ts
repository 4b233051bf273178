/**
 * The withholding rule (app/shared/moderation.ts), the client reducer's
 * handling of argument.hidden / argument.unhidden, and the audit CSV's
 * formula escaping (server/domain/audit-csv.ts).
 */
import { describe, expect, it } from "vitest";
import { initialLiveState, liveReducer } from "../../app/realtime/live-state";
import type { ArgumentDTO, AuditEntryDTO, DebateChange, DebateDTO, ParticipantRole } from "../../app/shared/contract";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { argumentsForViewer, changeForViewer, hiddenThreadIds, isCounted, mayViewHidden, withhold } from "../../app/shared/moderation";
import { AUDIT_CSV_COLUMNS, auditLogCsv, toSafeCsv } from "../../server/domain/audit-csv";
import { argumentFixture, debateFixture } from "../support/dto-fixtures";

const hiddenMark = { reason: "Off topic", at: "2026-01-01T00:00:05.000Z" };
const arg = (id: string, author: string, parentId: string | null = null, extra: Partial<ArgumentDTO> = {}): ArgumentDTO =>
  argumentFixture(id, {
    parentId,
    body: plainTextToArgumentBody(`text of ${id}`),
    bodyText: `text of ${id}`,
    author: { id: author, displayName: author.toUpperCase(), role: "debater" },
    sources: [{ id: `s-${id}`, url: "https://example.org/", title: "Source", quote: null }],
    tally: { up: 3, down: 1, score: 2 },
    tallyVersion: 4,
    updatedAt: "2026-01-01T00:00:01.000Z",
    ...extra,
  });
const viewer = (id: string, role: ParticipantRole) => ({ id, role });

// root (by ada, hidden) ← reply (by ben) ← deep (by cy); other (by ada) stays visible.
const thread = () => [arg("root", "ada", null, { hidden: hiddenMark }), arg("reply", "ben", "root"), arg("deep", "cy", "reply"), arg("other", "ada")];

describe("withholding rule", () => {
  it("finds every argument under a hidden one, at any depth, and nothing else", () => {
    expect([...hiddenThreadIds(thread())].sort()).toEqual(["deep", "reply", "root"]);
    expect(hiddenThreadIds([arg("a", "x"), arg("b", "y", "a")]).size).toBe(0);
  });

  it("lets facilitators and the argument's own author see it, nobody else", () => {
    expect(mayViewHidden(viewer("h", "host"), "ada")).toBe(true);
    expect(mayViewHidden(viewer("f", "facilitator"), "ada")).toBe(true);
    expect(mayViewHidden(viewer("ada", "debater"), "ada")).toBe(true);
    expect(mayViewHidden(viewer("ben", "debater"), "ada")).toBe(false);
    expect(mayViewHidden(viewer("obs", "observer"), "ada")).toBe(false);
    expect(mayViewHidden(null, "ada")).toBe(false);
  });

  it("withholds body, text, sources and tally, but keeps ids, stance, author and the hidden mark", () => {
    const w = withhold(arg("root", "ada", null, { hidden: hiddenMark }));
    expect(w).toMatchObject({ id: "root", parentId: null, stance: "pro", author: { id: "ada" }, hidden: hiddenMark, bodyText: "", sources: [], tally: { up: 0, down: 0, score: 0 }, withheld: true, tallyVersion: 4 });
    expect(JSON.stringify(w.body)).not.toContain("text of");
    expect(withhold(w)).toEqual(w);
  });

  it("applies per viewer: others get the whole hidden thread withheld, authors their own, facilitators everything", () => {
    const byId = (list: ArgumentDTO[]) => Object.fromEntries(list.map((a) => [a.id, a.withheld]));
    expect(byId(argumentsForViewer(thread(), viewer("dan", "debater")))).toEqual({ root: true, reply: true, deep: true, other: false });
    expect(byId(argumentsForViewer(thread(), null))).toEqual({ root: true, reply: true, deep: true, other: false });
    expect(byId(argumentsForViewer(thread(), viewer("ada", "debater")))).toEqual({ root: false, reply: true, deep: true, other: false });
    expect(byId(argumentsForViewer(thread(), viewer("cy", "debater")))).toEqual({ root: true, reply: true, deep: false, other: false });
    expect(byId(argumentsForViewer(thread(), viewer("h", "facilitator")))).toEqual({ root: false, reply: false, deep: false, other: false });
  });

  it("redacts replayed changes by the current hidden threads, leaving other kinds alone", () => {
    const hidden = new Set(["root", "reply"]);
    const inHidden = (id: string) => hidden.has(id);
    const created: DebateChange = { seq: 3, kind: "argument.created", data: arg("reply", "ben", "root") };
    expect(changeForViewer(created, inHidden, viewer("dan", "debater")).data).toMatchObject({ withheld: true, bodyText: "" });
    expect(changeForViewer(created, inHidden, viewer("ben", "debater"))).toEqual(created);
    const unhidden: DebateChange = { seq: 4, kind: "argument.unhidden", data: { argumentId: "x", arguments: [arg("reply", "ben", "root"), arg("free", "ben")] } };
    const seen = changeForViewer(unhidden, inHidden, null) as Extract<DebateChange, { kind: "argument.unhidden" }>;
    expect(seen.data.arguments.map((a) => a.withheld)).toEqual([true, false]);
    const proposition: DebateChange = { seq: 5, kind: "proposition.updated", data: { id: "p1", position: 0, text: "t", sourceSpan: null, locked: false } };
    expect(changeForViewer(proposition, () => true, null)).toBe(proposition);
  });

  it("counts only arguments that are not deleted, hidden (or under a hidden one) or withheld", () => {
    const list = [...thread(), arg("gone", "ben", null, { deleted: true }), arg("w", "ben", null, { withheld: true })];
    const hidden = hiddenThreadIds(list);
    expect(list.filter((a) => isCounted(a, hidden)).map((a) => a.id)).toEqual(["other"]);
  });
});

describe("live state: hiding and unhiding", () => {
  const debate = (args: ArgumentDTO[]): DebateDTO => debateFixture({ propositions: [], arguments: args });
  const visible = () => [arg("root", "ada"), arg("reply", "ben", "root"), arg("deep", "cy", "reply"), arg("other", "ada")];
  const hiddenChange: DebateChange = { seq: 11, kind: "argument.hidden", data: { argumentId: "root", hidden: hiddenMark, threadIds: ["root", "reply", "deep"] } };
  const start = (me: { id: string; role: ParticipantRole } | null) => initialLiveState(debate(visible()), me ? { ...me, displayName: me.id, muted: false, debateId: "d1" } : null, { votes: {}, ratings: {} });

  it("blanks the thread locally for someone who may not see it, and ignores later rating tallies for it", () => {
    let s = liveReducer(start({ id: "dan", role: "debater" }), { type: "change", change: hiddenChange });
    expect(s.lastSeq).toBe(11);
    expect(s.arguments.root).toMatchObject({ withheld: true, bodyText: "", hidden: hiddenMark, tally: { up: 0 } });
    expect(s.arguments.reply!.withheld).toBe(true);
    expect(s.arguments.deep!.withheld).toBe(true);
    expect(s.arguments.other!.withheld).toBe(false);
    s = liveReducer(s, { type: "rating", payload: { argumentId: "root", tally: { up: 9, down: 0, score: 9 }, version: 99, participantId: null, value: null } });
    expect(s.arguments.root!.tally.up).toBe(0);
  });

  it("only marks the argument hidden for its author and facilitators (the author still loses others' replies)", () => {
    const author = liveReducer(start({ id: "ada", role: "debater" }), { type: "change", change: hiddenChange });
    expect(author.arguments.root).toMatchObject({ withheld: false, bodyText: "text of root", hidden: hiddenMark });
    expect(author.arguments.reply!.withheld).toBe(true);
    const host = liveReducer(start({ id: "h", role: "host" }), { type: "change", change: hiddenChange });
    expect(Object.values(host.arguments).every((a) => !a.withheld)).toBe(true);
    expect(host.arguments.root!.hidden).toEqual(hiddenMark);
  });

  it("restores the full arguments on argument.unhidden", () => {
    const hidden = liveReducer(start(null), { type: "change", change: hiddenChange });
    const restored = visible().slice(0, 3);
    const s = liveReducer(hidden, { type: "change", change: { seq: 12, kind: "argument.unhidden", data: { argumentId: "root", arguments: restored } } });
    expect(s.lastSeq).toBe(12);
    expect(s.arguments.root).toMatchObject({ withheld: false, hidden: null, bodyText: "text of root", tally: { up: 3 } });
    expect(s.arguments.deep!.bodyText).toBe("text of deep");
  });
});

describe("audit CSV", () => {
  const entry = (reason: string | null, actor = "Ada"): AuditEntryDTO => ({
    id: "e1",
    at: "2026-01-01T00:00:00.000Z",
    actor: { id: "p1", displayName: actor },
    action: "argument.hidden",
    targetType: "argument",
    targetId: "a1",
    reason,
    details: { threadSize: 2 },
  });

  it("writes a header and one CRLF-terminated row per entry", () => {
    const csv = auditLogCsv([entry("Spam"), entry(null)]);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(AUDIT_CSV_COLUMNS.join(","));
    expect(lines[1]).toBe('2026-01-01T00:00:00.000Z,Ada,p1,argument.hidden,argument,a1,Spam,"{""threadSize"":2}"');
    expect(lines[2]).toBe('2026-01-01T00:00:00.000Z,Ada,p1,argument.hidden,argument,a1,,"{""threadSize"":2}"');
    expect(lines[3]).toBe("");
  });

  it.each([
    ["=1+1", "'=1+1"],
    ["+SUM(A1)", "'+SUM(A1)"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tTAB", "\"'\tTAB\""],
    ["\rCR", "\"'\rCR\""],
    ["＝1+1", "'＝1+1"],
    ["a=1", "a=1"],
    ["plain words", "plain words"],
  ])("neutralises a cell starting like a formula: %j", (cell, expected) => {
    expect(toSafeCsv(["h"], [[cell]])).toBe(`h\r\n${expected}\r\n`);
  });

  it("escapes the actor's name too, and quotes commas and quotes", () => {
    const csv = auditLogCsv([entry('=HYPERLINK("http://x","y")', "@evil")]);
    expect(csv).toContain(`,'@evil,`);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
  });
});
