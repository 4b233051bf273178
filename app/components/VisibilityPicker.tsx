/**
 * Who can find and enter a debate: three radio buttons (Unlinked, Public,
 * Private), each with a one-line explanation. Used when starting a debate
 * (app/routes/new-debate.tsx) and in its settings (app/routes/debate-settings.tsx).
 * The form field is `visibility`; the server validates it (createDebateSchema, updateSettingsSchema).
 */
import type { DebateVisibility } from "~/shared/contract";
import { useT, type MessageKey } from "~/i18n/react";

/** The choices in the order shown, with the catalogue ids of each one's name and the sentence explaining it. */
export const VISIBILITY_CHOICES: readonly { value: DebateVisibility; label: MessageKey; help: MessageKey }[] = [
  { value: "unlinked", label: "visibility.unlinked", help: "visibility.unlinked.help" },
  { value: "public", label: "visibility.public", help: "visibility.public.help" },
  { value: "private", label: "visibility.private", help: "visibility.private.help" },
];

/**
 * @param legend the group's name (read by screen readers; shown when `showLegend`).
 * @param defaultValue the choice checked at first.
 * @param disabled disables every choice (e.g. a closed debate); `describedBy` names the element saying why.
 */
export function VisibilityPicker({ legend, defaultValue, showLegend = false, disabled = false, describedBy }: { legend: string; defaultValue: DebateVisibility; showLegend?: boolean; disabled?: boolean; describedBy?: string }) {
  const t = useT();
  return (
    <fieldset className="visibility-picker" disabled={disabled} aria-describedby={describedBy}>
      <legend className={showLegend ? "picker-legend" : "visually-hidden"}>{legend}</legend>
      {VISIBILITY_CHOICES.map((v) => (
        <label key={v.value} className="radio-option">
          <input type="radio" name="visibility" value={v.value} defaultChecked={defaultValue === v.value} />
          <span>
            <strong>{t(v.label)}</strong> <span className="muted">{t(v.help)}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
