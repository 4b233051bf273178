/**
 * The role × action table: docs/roles.md is generated from it, and
 * `decide` (same module; the server and the pages both use it) applies it together with the states
 * (closed, draft, muted, locked). The server-side enforcement of every cell
 * over HTTP and sockets is tested in tests/integration/roles.test.ts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Action, ALLOWED_WHEN_CLOSED, decide, PERMISSIONS, REFUSED_WHEN_LOCKED, REFUSED_WHEN_MUTED, ROLES } from "../../app/shared/permissions";
import { renderRolesDoc } from "../../app/shared/roles-doc";

const actions = Object.values(Action);
const actor = (role: (typeof ROLES)[number], muted = false) => ({ id: "p", role, muted });

describe("role × action table", () => {
  it("docs/roles.md is the table as generated (run `npx tsx scripts/roles-doc.ts > docs/roles.md` after changing it)", () => {
    expect(readFileSync(new URL("../../docs/roles.md", import.meta.url), "utf8")).toBe(renderRolesDoc());
  });

  it("every action has a row, and observers may only read (the debate and its results)", () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...actions].sort());
    expect(actions.filter((a) => PERMISSIONS[a].roles.includes("observer"))).toEqual([Action.readDebate, Action.readResults]);
  });

  it.each(ROLES)("decide follows the table for %s in a published debate", (role) => {
    for (const action of actions) {
      const allowed = decide(actor(role), action, { status: "published" }) === null;
      expect({ action, allowed }).toEqual({ action, allowed: PERMISSIONS[action].roles.includes(role) });
    }
  });

  it("a closed debate refuses every write for every role, with the closed message", () => {
    for (const role of ROLES) {
      for (const action of actions) {
        const reason = decide(actor(role), action, { status: "closed" });
        if (!PERMISSIONS[action].roles.includes(role)) expect(reason).not.toBeNull();
        else if (ALLOWED_WHEN_CLOSED.has(action)) expect(reason).toBeNull();
        else expect(reason).toMatch(/closed/);
      }
    }
  });

  it("muting refuses posting and editing but not voting, rating or reporting", () => {
    for (const action of actions) {
      const reason = decide(actor("debater", true), action, { status: "published" });
      if (!PERMISSIONS[action].roles.includes("debater")) continue;
      if (REFUSED_WHEN_MUTED.has(action)) expect(reason).toMatch(/muted/);
      else expect(reason).toBeNull();
    }
  });

  it("a locked proposition refuses arguments and votes on it, for facilitators too, but not moderation", () => {
    for (const role of ["host", "debater"] as const) {
      for (const action of actions) {
        if (!PERMISSIONS[action].roles.includes(role)) continue;
        const reason = decide(actor(role), action, { status: "published", propositionLocked: true });
        if (REFUSED_WHEN_LOCKED.has(action)) expect(reason).toMatch(/locked/);
        else expect(reason).toBeNull();
      }
    }
  });

  it("a draft debate only lets facilitators prepare it", () => {
    expect(decide(actor("host"), Action.curatePropositions, { status: "draft" })).toBeNull();
    expect(decide(actor("host"), Action.postArgument, { status: "draft" })).toMatch(/not open yet/);
    expect(decide(actor("debater"), Action.castVote, { status: "draft" })).toMatch(/not open yet/);
  });

  it("no actor means joining first", () => {
    expect(decide(null, Action.readDebate, { status: "published" })).toMatch(/Join the debate/);
  });
});
