/**
 * The operations table (app/shared/operations.ts, its wire fields in app/shared/operation-wire.ts) is the one place each
 * client → server operation is defined: its event name appears in no other
 * source file of app/ or server/, and everything the client and the server
 * need is derived from it.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { describeQueued } from "../../app/realtime/live-client";
import { messagesFor } from "../../app/i18n/catalogues.server";
import { formatMessage } from "../../app/i18n/format";
import { ClientEvent, OPERATION_NAMES, OPERATIONS, operationForEvent, orderingKeyOf, READ_NAMES, READS } from "../../app/shared/operations";
import { PERMISSIONS } from "../../app/shared/permissions";

const root = join(__dirname, "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name === "generated" || name.startsWith(".")) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const events = [...OPERATION_NAMES.map((n) => OPERATIONS[n].event), ...READ_NAMES.map((n) => READS[n].event)];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("the operations table", () => {
  it("is the only source file in app/ and server/ that names each event", () => {
    const files = [...sourceFiles(join(root, "app")), ...sourceFiles(join(root, "server"))].map((path) => ({ path: relative(root, path), text: readFileSync(path, "utf8") }));
    expect(files.length).toBeGreaterThan(50);
    for (const event of events) {
      const pattern = new RegExp(`(^|[^A-Za-z0-9_:-])${escape(event)}([^A-Za-z0-9_:-]|$)`);
      const naming = files.filter((f) => pattern.test(f.text)).map((f) => f.path);
      expect(naming, `files naming "${event}"`).toEqual(["app/shared/operation-wire.ts"]);
    }
  });

  it("gives every operation and read its own event, and ClientEvent derives from it", () => {
    expect(new Set(events).size).toBe(events.length);
    for (const name of OPERATION_NAMES) expect(ClientEvent[name]).toBe(OPERATIONS[name].event);
    for (const name of READ_NAMES) expect(ClientEvent[name]).toBe(READS[name].event);
    for (const name of OPERATION_NAMES) expect(operationForEvent(OPERATIONS[name].event)).toBe(name);
    expect(operationForEvent(READS.resync.event)).toBeUndefined();
  });

  it("names a permission of the role table and a distinct stored name for each operation", () => {
    for (const name of OPERATION_NAMES) expect(PERMISSIONS[OPERATIONS[name].action], name).toBeDefined();
    const stored = OPERATION_NAMES.map((n) => OPERATIONS[n].storedAs);
    expect(new Set(stored).size).toBe(stored.length);
  });

  it("accepts each operation's opId and refuses a malformed one", () => {
    for (const name of OPERATION_NAMES) {
      const result = OPERATIONS[name].input.safeParse({ opId: "not-a-uuid" });
      expect(result.success, name).toBe(false);
      expect(result.error?.issues.some((i) => i.path[0] === "opId"), name).toBe(true);
    }
  });

  it("orders operations on one item and reads them in words", () => {
    const p = "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f";
    const a = "7f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f";
    expect(orderingKeyOf("castVote", { propositionId: p, value: "agree" })).toBe(`vote:${p}`);
    expect(orderingKeyOf("editArgument", { argumentId: a })).toBe(orderingKeyOf("removeSource", { argumentId: a, sourceId: p }));
    expect(orderingKeyOf("postArgument", { propositionId: p })).toBeNull();
    const props = [{ id: "x" }, { id: "y" }, { id: p }];
    const inWords = (locale: "en" | "de", name: keyof typeof OPERATIONS, payload: Record<string, unknown>) => {
      const words = describeQueued({ opId: "o", event: OPERATIONS[name].event, payload, queuedAt: 0 }, props);
      return formatMessage(messagesFor(locale), locale, words.id, words.values);
    };
    const queued = (name: keyof typeof OPERATIONS, payload: Record<string, unknown>) => inWords("en", name, payload);
    expect(queued("castVote", { propositionId: p, value: "agree" })).toBe("Vote “agree” on proposition 3");
    expect(queued("castVote", { propositionId: p, value: null })).toBe("Vote cleared on proposition 3");
    expect(queued("postArgument", { propositionId: p, parentId: a })).toBe("Reply on proposition 3");
    expect(queued("lockProposition", { propositionId: "gone", locked: true })).toBe("Locking a proposition");
    expect(queued("removeSource", { argumentId: a, sourceId: p })).toBe("Removal of a source from your argument");
    expect(queued("changePhase", { action: "extend", seconds: 90 })).toBe("Extending the phase by 90 s");
    expect(queued("castMotionVote", { stage: "after", value: "against" })).toBe("Vote “against” on the motion (after)");
    expect(queued("manageTeams", { action: "random" })).toBe("Splitting into teams at random");
    // The reader's language: the same operation in German, the proposition's number kept.
    expect(inWords("de", "castVote", { propositionId: p, value: "agree" })).toBe("Stimme „Zustimmung“ zu Aussage 3");
    // Every operation has its words in every catalogue: none falls back to showing its message id.
    for (const name of OPERATION_NAMES) {
      for (const locale of ["en", "de"] as const) expect(inWords(locale, name, { propositionId: p, argumentId: a, action: "start", stage: "before", value: "agree" }), name).not.toMatch(/^outbox\./);
    }
  });
});
