/**
 * Refusals and phase names as the pages show them (app/i18n/refusal.ts): the catalogue message a
 * refusal names, with its values translated, says in English exactly what `decide` says (the server's
 * words), for every role × action × state the rules can refuse in; phase names and asks, and the
 * actions' descriptions, are the catalogue's English; and other languages translate them.
 */
import { describe, expect, it } from "vitest";
import { translate } from "../../app/i18n/catalogues.server";
import type { Translate } from "../../app/i18n/react";
import { permissionKey, refusalText } from "../../app/i18n/refusal";
import { Action, decide, decideRefusal, PERMISSIONS, ROLES, type DebateState } from "../../app/shared/permissions";
import { PHASE_KEYS, PHASE_TEXT, PHASES, type PhaseName } from "../../app/shared/phases";
import type { Locale } from "../../app/i18n/locales";
import { DECISION_OUTCOMES, DECISION_RESPONSES, OUTCOME_TEXT, RESPONSE_TEXT } from "../../app/shared/decision-text";

const tIn =
  (locale: Locale): Translate =>
  (id, values) =>
    translate(locale, id, values);
const english = tIn("en");

/** Every state worth refusing in: each status, locked or not, and each phase of each format with each motion stage. */
function states(): DebateState[] {
  const out: DebateState[] = [{ status: "published" }, { status: "closed" }, { status: "draft" }, { status: "published", propositionLocked: true }];
  out.push({ status: "published", phase: { format: "open", name: null, resultsShown: false } });
  for (const format of ["classroom", "oxford"] as const) {
    for (const name of PHASES[format]) {
      for (const resultsShown of [false, true]) {
        for (const topLevel of [undefined, true, false]) {
          for (const motionStage of [undefined, "before", "after"] as const) out.push({ status: "published", phase: { format, name, resultsShown }, topLevel, motionStage });
        }
      }
    }
  }
  return out;
}

describe("refusals in the catalogue", () => {
  it("say in English exactly what decide says, for every role, action and state", () => {
    const mismatches: string[] = [];
    let refused = 0;
    for (const me of [null, ...ROLES.flatMap((role) => [{ id: "p", role, muted: false }, { id: "p", role, muted: true }])]) {
      for (const action of Object.values(Action)) {
        for (const state of states()) {
          const text = decide(me, action, state);
          const shown = refusalText(english, decideRefusal(me, action, state));
          if (text !== null) refused++;
          if (shown !== text) mismatches.push(`${me?.role ?? "nobody"} ${action} ${JSON.stringify(state)}: ${shown} ≠ ${text}`);
        }
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(refused).toBeGreaterThan(1000);
  });

  it("phase names, asks and action descriptions are the catalogue's English", () => {
    for (const name of Object.keys(PHASE_TEXT) as PhaseName[]) {
      expect(english(PHASE_KEYS[name].label)).toBe(PHASE_TEXT[name].label);
      expect(english(PHASE_KEYS[name].ask)).toBe(PHASE_TEXT[name].ask);
    }
    for (const action of Object.values(Action)) expect(english(permissionKey(action))).toBe(PERMISSIONS[action].what);
  });

  it("are translated, values included", () => {
    const phase = { format: "classroom", name: "vote", resultsShown: false } as const;
    const refusal = decideRefusal({ id: "p", role: "debater", muted: false }, Action.postArgument, { status: "published", phase, topLevel: true });
    expect(refusalText(tIn("de"), refusal)).toBe("Keine Argumente während „Abstimmen“: Stimmen Sie über jede Aussage ab: Zustimmen, Ablehnen oder Unsicher. Keine weiteren Argumente.");
    const role = decideRefusal({ id: "p", role: "debater", muted: false }, Action.runPhases, { status: "published" });
    expect(refusalText(tIn("fr"), role)).toMatch(/^Seuls l’hôte et les animateurs peuvent faire cela\. \(Mener les phases/);
    const observer = decideRefusal({ id: "p", role: "observer", muted: false }, Action.respondToDecision, { status: "published" });
    expect(refusalText(tIn("es"), observer)).toMatch(/^Los observadores pueden leer el debate pero no participar en él\. \(Responder a una decisión abierta/);
  });
});

describe("decision words in the catalogue", () => {
  it("are the English of app/shared/decision-text.ts", () => {
    for (const value of DECISION_RESPONSES) {
      expect(english(`decision.${value}`)).toBe(RESPONSE_TEXT[value].label);
      expect(english(`decision.${value}.meaning`)).toBe(RESPONSE_TEXT[value].meaning);
    }
    for (const outcome of DECISION_OUTCOMES) expect(english(`decision.${outcome}`)).toBe(OUTCOME_TEXT[outcome]);
  });
});
