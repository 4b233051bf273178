/**
 * The facilitators' control to show the results before the results phase (issue 13;
 * `showResults`, POST /api/debates/:id/show-results). Shown to facilitators of a debate with phases
 * while the results are hidden; disabled with its reason when `decide` refuses it; a refused send
 * says why next to the button, announced. Showing cannot be undone, so the button says what it does.
 */
import { useState } from "react";
import type { Ack, PhaseStateDTO } from "~/shared/contract";
import { useT } from "~/i18n/react";
import { useRefusalText } from "~/i18n/refusal";
import { phaseRules, type Refusal } from "~/shared/phases";

export interface ShowResultsControlProps {
  phase: PhaseStateDTO;
  /** Null when the viewer may show the results (Action.runPhases), otherwise why not (decideRefusal). */
  refusal: Refusal | null;
  onShow: (version: number) => Promise<Ack<PhaseStateDTO>>;
}

/** "Show the results now", or a note that they are shown; nothing for an open board or in the results phase. */
export function ShowResultsControl({ phase, refusal, onShow }: ShowResultsControlProps) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const t = useT();
  const refusalText = useRefusalText();
  if (!phase.phase || phaseRules(phase.format, phase.phase.name).results) return null;
  if (phase.resultsShown)
    return (
      <p className="muted show-results" data-testid="results-shown-note">
        {t("showResults.shown")}
      </p>
    );
  const show = async () => {
    setBusy(true);
    setError(null);
    const reply = await onShow(phase.phaseVersion);
    setBusy(false);
    if (!reply.ok) setError(reply.error.message);
  };
  return (
    <div className="show-results">
      <button type="button" className="button button-small" disabled={busy || refusal !== null} aria-describedby="show-results-what" onClick={() => void show()} data-testid="show-results">
        {t("showResults.button")}
      </button>{" "}
      <span id="show-results-what" className="muted">
        {refusalText(refusal) ?? t("showResults.explain")}
      </span>
      {error ? (
        <p className="error" role="alert" data-testid="show-results-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
