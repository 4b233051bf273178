/** The audit log in words (app/shared/audit-labels.ts) and the sentences of rate limits (server/services/rate-limits.ts). */
import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_LABELS, auditText, describeAuditEntry as describeAuditMessages, type AuditTargets } from "../../app/shared/audit-labels";
import { translate } from "../../app/i18n/catalogues.server";
import { en } from "../../app/i18n/messages/en";
import type { Locale } from "../../app/i18n/locales";
import type { AuditEntryDTO } from "../../app/shared/contract";
import { AuditAction } from "../../server/services/audit";
import { rateLimitMessage, rateLimitedActions } from "../../server/services/rate-limits";

const targets: AuditTargets = {
  participants: { ben: "Benjamin", ana: "Ana" },
  arguments: {
    a1: { author: "Ana", text: "Benchmarks reward narrow skills, and that is the whole problem with how labs compete today.", deleted: false },
    a2: { author: "Ben", text: "", deleted: true },
  },
  propositions: { p3: 3 },
};
const entry = (action: string, targetType: string, targetId: string | null, details: Record<string, unknown> | null = null): AuditEntryDTO => ({
  id: "e",
  at: "2026-01-01T00:00:00.000Z",
  actor: { id: "host", displayName: "Ms Rivera" },
  action,
  targetType,
  targetId,
  reason: null,
  details,
});

/** An entry's line in `locale`'s words, as the moderation page renders it. */
function describeAuditEntry(e: AuditEntryDTO, t: AuditTargets, locale: Locale = "en") {
  const line = describeAuditMessages(e, t);
  const words = (m: Parameters<typeof auditText>[1]) => auditText((id, values) => translate(locale, id, values), m);
  return { action: words(line.action), change: line.change ? words(line.change) : null, target: words(line.target) };
}

describe("audit log labels", () => {
  it("has a human label for every AuditAction, none of them the raw id", () => {
    for (const action of Object.values(AuditAction)) {
      const key = AUDIT_ACTION_LABELS[action];
      expect(key, action).toBeTruthy();
      const label = en[key];
      expect(label, action).toBeTruthy();
      expect(label).not.toContain(".");
      expect(label).not.toContain("_");
    }
  });

  it("shows from → to for renames, roles, visibility and rate limits", () => {
    expect(describeAuditEntry(entry("participant.renamed", "participant", "ben", { name: "Ben", from: "Ben", to: "Benjamin" }), targets)).toEqual({ action: "renamed", change: "Ben → Benjamin", target: "Benjamin" });
    expect(describeAuditEntry(entry("participant.role_changed", "participant", "ana", { from: "debater", to: "facilitator" }), targets).change).toBe("debater → facilitator");
    expect(describeAuditEntry(entry("debate.visibility_changed", "debate", "d", { from: "unlinked", to: "private" }), targets)).toEqual({ action: "changed visibility", change: "Unlinked → Private", target: "the debate" });
    const limits = describeAuditEntry(entry("debate.rate_limits_changed", "debate", "d", { from: {}, to: { argument: { points: 3, durationSeconds: 60 } } }), targets);
    expect(limits).toEqual({ action: "changed the rate limits", change: "arguments: the default → 3 per 60 s", target: "the debate" });
    expect(describeAuditEntry(entry("debate.join_code_rotated", "debate", "d"), targets)).toEqual({ action: "rotated the join code", change: null, target: "the debate" });
  });

  it("names targets: participants by their current name (or the recorded one), arguments by author and opening words, propositions by number", () => {
    expect(describeAuditEntry(entry("participant.muted", "participant", "ben", { name: "Ben" }), targets).target).toBe("Benjamin");
    expect(describeAuditEntry(entry("participant.removed", "participant", "gone", { name: "Zed", role: "debater" }), targets)).toEqual({ action: "removed", change: "was a debater", target: "Zed" });
    const hidden = describeAuditEntry(entry("argument.hidden", "argument", "a1", { reportsUpheld: 2 }), targets);
    expect(hidden.target).toBe("Ana’s argument “Benchmarks reward narrow skills, and that is the whole…”");
    expect(hidden.change).toBe("2 reports upheld");
    expect(describeAuditEntry(entry("argument.deleted", "argument", "a2"), targets).target).toBe("Ben’s argument (deleted)");
    expect(describeAuditEntry(entry("report.dismissed", "report", "r1", { argumentId: "a1", reportReason: "Rude" }), targets)).toMatchObject({ change: "report: “Rude”", target: expect.stringMatching(/^Ana’s argument/) });
    expect(describeAuditEntry(entry("proposition.locked", "proposition", "p3", { position: 9 }), targets).target).toBe("proposition 3");
    expect(describeAuditEntry(entry("proposition.unlocked", "proposition", "gone", { position: 4 }), targets).target).toBe("proposition 4");
    expect(describeAuditEntry(entry("argument.unhidden", "argument", "unknown"), targets).target).toBe("an argument");
  });

  it("leaves out malformed details instead of printing them, and keeps an unknown action's id", () => {
    const odd = describeAuditEntry(entry("participant.renamed", "participant", "nobody", { from: { toString: 1 }, to: 42, name: ["x"] }), targets);
    expect(odd).toEqual({ action: "renamed", change: null, target: "a participant" });
    expect(describeAuditEntry(entry("debate.rate_limits_changed", "debate", "d", { from: "x", to: null }), targets).change).toBeNull();
    expect(describeAuditEntry(entry("something.new", "debate", "d"), targets).action).toBe("something.new");
    expect(describeAuditEntry(entry("constructor", "debate", "d"), targets).action).toBe("constructor");
  });

  it("is in the page's language: labels, recorded changes and the words around names", () => {
    const limits = entry("debate.rate_limits_changed", "debate", "d", { from: {}, to: { argument: { points: 3, durationSeconds: 60 }, vote: { points: 10, durationSeconds: 30 } } });
    expect(describeAuditEntry(limits, targets, "de")).toEqual({ action: "hat die Ratenlimits geändert", change: "Argumente: der Standard → 3 pro 60 s; Stimmen: der Standard → 10 pro 30 s", target: "die Debatte" });
    expect(describeAuditEntry(entry("debate.visibility_changed", "debate", "d", { from: "unlinked", to: "private" }), targets, "es").change).toBe("No listado → Privado");
    expect(describeAuditEntry(entry("argument.hidden", "argument", "a2", { reportsUpheld: 1 }), targets, "fr")).toEqual({ action: "a masqué un argument", change: "1 signalement retenu", target: "l’argument de Ben (supprimé)" });
    expect(describeAuditEntry(entry("participant.removed", "participant", "ana", { role: "observer" }), targets, "ar-XB")).toEqual({ action: "⟦removed⟧", change: "⟦was an observer⟧", target: "Ana" });
  });
});

describe("rate limit sentences", () => {
  it("say 'from your network address' for per-address actions and 'this debate' for per-participant ones", () => {
    for (const action of rateLimitedActions) {
      const message = rateLimitMessage(action, "203.0.113.7", 12);
      expect(message, action).toMatch(/Try again in 12 s\.$/);
      if (action === "argument" || action === "vote") expect(message, action).toMatch(/faster than this debate allows/);
      else if (action === "loginAccount" || action === "loginDevice") expect(message, action).toMatch(/^Too many /);
      else expect(message, action).toMatch(/from your network address/);
    }
    expect(rateLimitMessage("loginAccount", "email:ada@example.org", 5)).toBe(
      "Too many failed sign-ins to this account came from browsers it was never used in; a browser you have signed in with before still can. Try again in 5 s.",
    );
    expect(rateLimitMessage("loginDevice", "device:1", 5)).toBe("Too many failed sign-ins from this browser. Try again in 5 s.");
    expect(rateLimitMessage("loginAccount", "user:1", 5)).toBe("Too many wrong current passwords. Try again in 5 s.");
  });
});
