/**
 * The format picker of the new-debate page (issue 13): open board, classroom, Oxford-style motion or
 * workshop, each with its phases and default durations (app/shared/phases.ts), and the motion's
 * wording for an Oxford debate (default: the thesis). Radio buttons in a fieldset: keyboard and
 * screen-reader friendly without script.
 */
import { useState } from "react";
import { FormError } from "~/components/FormError";
import { DEFAULT_DURATIONS, PHASE_KEYS, PHASES, type DebateFormat } from "~/shared/phases";
import { useT, type MessageKey, type Translate } from "~/i18n/react";

const CHOICES: { value: DebateFormat; label: MessageKey; what: MessageKey }[] = [
  { value: "open", label: "format.open", what: "format.open.what" },
  { value: "classroom", label: "format.classroom", what: "format.classroom.what" },
  { value: "oxford", label: "format.oxford", what: "format.oxford.what" },
  { value: "workshop", label: "format.workshop", what: "format.workshop.what" },
];

/** "Read (5 min) → Argue (15 min) → …" in the page's language. */
const phasesLine = (t: Translate, format: DebateFormat) =>
  PHASES[format]
    .map((name) => {
      const label = t(PHASE_KEYS[name].label);
      const seconds = DEFAULT_DURATIONS[name];
      return seconds ? t("format.phaseMinutes", { label, minutes: seconds / 60 }) : label;
    })
    .join(" → ");

export function FormatPicker({ defaultFormat, defaultMotion, error }: { defaultFormat?: string; defaultMotion?: string; error?: string | null }) {
  const t = useT();
  const [format, setFormat] = useState<DebateFormat>((CHOICES.find((c) => c.value === defaultFormat)?.value ?? "open") as DebateFormat);
  return (
    <fieldset className="field format-picker" data-testid="format-picker">
      <legend>{t("format.legend")}</legend>
      {CHOICES.map((c) => (
        <label key={c.value} className="radio-choice">
          <input type="radio" name="format" value={c.value} checked={format === c.value} onChange={() => setFormat(c.value)} />
          <span>
            <strong>{t(c.label)}</strong> <span className="muted">{t(c.what)}</span>
            {PHASES[c.value].length ? <span className="muted format-phases"> {phasesLine(t, c.value)}</span> : null}
          </span>
        </label>
      ))}
      {format === "oxford" ? (
        <label className="field">
          <span>{t("format.motion")}</span>
          <input name="motion" maxLength={1000} defaultValue={defaultMotion} placeholder={t("format.motionPlaceholder")} />
        </label>
      ) : null}
      <span className="muted">{t("format.fixed")}</span>
      <FormError message={error} />
    </fieldset>
  );
}
