/**
 * Refusals in the page's language: `decideRefusal` (app/shared/permissions.ts) and the phase rules
 * (app/shared/phases.ts) give a reason as a catalogue message with values that are themselves names
 * (a phase, an action); this puts their translations in. The English `text` is what the server says.
 */
import { useCallback } from "react";
import { PHASE_KEYS, type Refusal } from "~/shared/phases";
import { useT, type MessageKey, type Translate } from "./react";

/** The catalogue id of an action's description (`PERMISSIONS[action].what`), e.g. `permission.runPhases`. */
export const permissionKey = (action: string) => `permission.${action}` as MessageKey;

/** A refusal's sentence, translated with `t` (null stays null). */
export function refusalText(t: Translate, refusal: Refusal | null): string | null {
  if (!refusal) return null;
  const { phase, action, who } = refusal.values ?? {};
  const keys = phase ? PHASE_KEYS[phase] : undefined;
  return t(refusal.key, {
    ...(keys ? { phase: t(keys.label), ask: t(keys.ask) } : {}),
    ...(action ? { what: t(permissionKey(action)) } : {}),
    ...(who ? { who } : {}),
  });
}

/** `refusalText` in the page's language. */
export function useRefusalText(): (refusal: Refusal | null) => string | null {
  const t = useT();
  return useCallback((refusal: Refusal | null) => refusalText(t, refusal), [t]);
}
