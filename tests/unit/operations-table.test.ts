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
    const queued = (name: keyof typeof OPERATIONS, payload: Record<string, unknown>) => describeQueued({ opId: "o", event: OPERATIONS[name].event, payload, queuedAt: 0 }, props);
    expect(queued("castVote", { propositionId: p, value: "agree" })).toBe("Vote “agree” on proposition 3");
    expect(queued("castVote", { propositionId: p, value: null })).toBe("Vote cleared on proposition 3");
    expect(queued("postArgument", { propositionId: p, parentId: a })).toBe("Reply on proposition 3");
    expect(queued("lockProposition", { propositionId: "gone", locked: true })).toBe("Locking a proposition");
    expect(queued("removeSource", { argumentId: a, sourceId: p })).toBe("Removal of a source from your argument");
  });
});
