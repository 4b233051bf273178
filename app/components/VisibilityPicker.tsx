/**
 * Who can find and enter a debate: three radio buttons (Unlinked, Public,
 * Private), each with a one-line explanation. Used when starting a debate
 * (app/routes/new-debate.tsx) and in its settings (app/routes/debate-settings.tsx).
 * The form field is `visibility`; the server validates it (createDebateSchema, updateSettingsSchema).
 */
import type { DebateVisibility } from "~/shared/contract";

/** The choices in the order shown, with the sentence explaining each. */
export const VISIBILITY_CHOICES: readonly { value: DebateVisibility; label: string; help: string }[] = [
  { value: "unlinked", label: "Unlinked", help: "Anyone with the link can read and join; not listed." },
  { value: "public", label: "Public", help: "Listed on the home page; anyone can read and join." },
  { value: "private", label: "Private", help: "Only people with the join code can read and join (a class)." },
];

/**
 * @param legend the group's name (read by screen readers; shown when `showLegend`).
 * @param defaultValue the choice checked at first.
 * @param disabled disables every choice (e.g. a closed debate); `describedBy` names the element saying why.
 */
export function VisibilityPicker({ legend, defaultValue, showLegend = false, disabled = false, describedBy }: { legend: string; defaultValue: DebateVisibility; showLegend?: boolean; disabled?: boolean; describedBy?: string }) {
  return (
    <fieldset className="visibility-picker" disabled={disabled} aria-describedby={describedBy}>
      <legend className={showLegend ? "picker-legend" : "visually-hidden"}>{legend}</legend>
      {VISIBILITY_CHOICES.map((v) => (
        <label key={v.value} className="radio-option">
          <input type="radio" name="visibility" value={v.value} defaultChecked={defaultValue === v.value} />
          <span>
            <strong>{v.label}</strong> <span className="muted">{v.help}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
