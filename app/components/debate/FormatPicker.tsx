/**
 * The format picker of the new-debate page (issue 13): open board, classroom, Oxford-style motion or
 * workshop, each with its phases and default durations (app/shared/phases.ts), and the motion's
 * wording for an Oxford debate (default: the thesis). Radio buttons in a fieldset: keyboard and
 * screen-reader friendly without script.
 */
import { useState } from "react";
import { FormError } from "~/components/FormError";
import { DEFAULT_DURATIONS, PHASE_TEXT, PHASES, type DebateFormat } from "~/shared/phases";

const CHOICES: { value: DebateFormat; label: string; what: string }[] = [
  { value: "open", label: "Open board", what: "No phases: everyone argues and votes at any time (as before)." },
  { value: "classroom", label: "Classroom lesson", what: "Phases you run live for the room; results shown at the end." },
  { value: "oxford", label: "Oxford-style motion", what: "A motion voted on before and after the arguments; the side that gains more votes wins." },
  { value: "workshop", label: "Workshop", what: "An open board with a decision step: you propose a decision on propositions, everyone answers agree, abstain, disagree or block." },
];

const phasesLine = (format: DebateFormat) =>
  PHASES[format].map((name) => `${PHASE_TEXT[name].label}${DEFAULT_DURATIONS[name] ? ` (${DEFAULT_DURATIONS[name]! / 60} min)` : ""}`).join(" → ");

export function FormatPicker({ defaultFormat, defaultMotion, error }: { defaultFormat?: string; defaultMotion?: string; error?: string | null }) {
  const [format, setFormat] = useState<DebateFormat>((CHOICES.find((c) => c.value === defaultFormat)?.value ?? "open") as DebateFormat);
  return (
    <fieldset className="field format-picker" data-testid="format-picker">
      <legend>Format: how the debate is run</legend>
      {CHOICES.map((c) => (
        <label key={c.value} className="radio-choice">
          <input type="radio" name="format" value={c.value} checked={format === c.value} onChange={() => setFormat(c.value)} />
          <span>
            <strong>{c.label}</strong> <span className="muted">{c.what}</span>
            {PHASES[c.value].length ? <span className="muted format-phases"> {phasesLine(c.value)}</span> : null}
          </span>
        </label>
      ))}
      {format === "oxford" ? (
        <label className="field">
          <span>The motion (optional)</span>
          <input name="motion" maxLength={1000} defaultValue={defaultMotion} placeholder="This house believes… (the thesis when left empty)" />
        </label>
      ) : null}
      <span className="muted">The format is fixed once you publish. A published debate waits in its first phase until you press Start on the debate page.</span>
      <FormError message={error} />
    </fieldset>
  );
}
