/**
 * The Oxford-style motion (issue 13): the participant's vote panel (the poll open now: for,
 * against or undecided; disabled with its reason when no poll is open or the viewer may not vote)
 * and the result, before and after bars with each side's swing in percentage points and the
 * winner (app/shared/phases.ts motionResult; shown on the results page and the projector).
 */
import { useEffect, useState } from "react";
import type { Ack, MotionDTO } from "~/shared/contract";
import { useT, type MessageKey } from "~/i18n/react";
import { useRefusalText } from "~/i18n/refusal";
import { useContentLanguage } from "~/i18n/content-language";
import type { MotionStage, MotionVoteValue, Refusal } from "~/shared/phases";

const VALUES: { value: MotionVoteValue; label: MessageKey }[] = [
  { value: "for", label: "motion.for" },
  { value: "against", label: "motion.against" },
  { value: "undecided", label: "motion.undecided" },
];

export interface MotionPanelProps {
  motion: MotionDTO;
  /** The poll open now, or null. */
  stage: MotionStage | null;
  /** Null when the viewer may vote in `stage`, otherwise why not (decideRefusal). */
  refusal: Refusal | null;
  mine: Partial<Record<MotionStage, MotionVoteValue>>;
  onVote: (stage: MotionStage, value: MotionVoteValue) => Promise<Ack<unknown>>;
}

/** The motion and the vote buttons of the open poll. */
export function MotionPanel({ motion, stage, refusal, mine, onVote }: MotionPanelProps) {
  const [error, setError] = useState<string | null>(null);
  // The buttons work only with the page's code: until it has hydrated them they are disabled, so a
  // click on a slow connection is not silently lost (the server's HTML renders them disabled too).
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const t = useT();
  const refusalText = useRefusalText();
  const contentLanguage = useContentLanguage();
  const vote = async (value: MotionVoteValue) => {
    if (!stage) return;
    setError(null);
    const reply = await onVote(stage, value);
    if (!reply.ok) setError(reply.error.message);
  };
  const current = stage ? mine[stage] : undefined;
  return (
    <section className="motion-panel callout" aria-labelledby="motion-heading" data-testid="motion-panel">
      <h2 id="motion-heading" className="motion-heading">
        {t("motion.heading")}
      </h2>
      <p className="motion-text" lang={contentLanguage} data-testid="motion-text">
        {motion.text}
      </p>
      {stage ? (
        <div role="group" aria-label={t("motion.voteGroup", { stage })} className="motion-vote">
          <span>{t(stage === "before" ? "motion.yourBefore" : "motion.yourAfter")}</span>{" "}
          {VALUES.map((v) => (
            <button
              key={v.value}
              type="button"
              className={`button button-small${current === v.value ? " button-primary" : ""}`}
              aria-pressed={current === v.value}
              disabled={refusal !== null || !hydrated}
              aria-describedby={refusal ? "motion-why" : undefined}
              onClick={() => void vote(v.value)}
              data-testid={`motion-${v.value}`}
            >
              {t(v.label)}
            </button>
          ))}
        </div>
      ) : null}
      {refusal ? (
        <p id="motion-why" className="muted" data-testid="motion-refusal">
          {refusalText(refusal)}
        </p>
      ) : null}
      <p className="muted">
        {mine.before ? t("motion.votedBefore", { value: mine.before }) : ""} {mine.after ? t("motion.votedAfter", { value: mine.after }) : ""}
      </p>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}

const share = (n: number, total: number) => (total === 0 ? 0 : Math.round((100 * n) / total));
const signed = (x: number) => `${x > 0 ? "+" : x < 0 ? "−" : "±"}${Math.abs(x)}`;

/** One poll as a stacked bar with its figures in words (the words are what screen readers read). */
function PollBar({ label, counts }: { label: string; counts: MotionDTO["before"] }) {
  const t = useT();
  const total = counts.for + counts.against + counts.undecided;
  const parts = [
    { key: "for", n: counts.for, className: "motion-bar-for" },
    { key: "undecided", n: counts.undecided, className: "motion-bar-undecided" },
    { key: "against", n: counts.against, className: "motion-bar-against" },
  ];
  return (
    <div className="motion-poll">
      <p className="motion-poll-label">
        <strong>{label}</strong>: {t("motion.poll", { for: share(counts.for, total), against: share(counts.against, total), undecided: share(counts.undecided, total), total })}
      </p>
      <div className="motion-bar" aria-hidden="true">
        {parts.map((p) => (p.n ? <span key={p.key} className={p.className} style={{ width: `${(100 * p.n) / total}%` }} /> : null))}
      </div>
    </div>
  );
}

/** Before and after bars, the swing of each side and the winner (null winner: not known until the results phase). */
export function MotionResults({ motion, large = false }: { motion: MotionDTO; large?: boolean }) {
  const t = useT();
  const winner =
    motion.winner === "tie" ? t("motion.tie") : motion.winner === "none" ? t("motion.noWinner") : motion.winner ? t("motion.wins", { side: motion.winner }) : t("motion.winnerLater");
  return (
    <section className={`motion-results${large ? " motion-results-large" : ""}`} aria-labelledby="motion-results-heading" data-testid="motion-results">
      <h2 id="motion-results-heading">{t("motion.resultsHeading", { text: motion.text })}</h2>
      <PollBar label={t("motion.before")} counts={motion.before} />
      <PollBar label={t("motion.after")} counts={motion.after} />
      <p className="motion-swing" data-testid="motion-swing">
        {motion.swing ? t("motion.swing", { for: signed(motion.swing.for), against: signed(motion.swing.against) }) : t("motion.noSwing")}
      </p>
      <p className="motion-winner" data-testid="motion-winner" data-winner={motion.winner ?? "none"}>
        {winner}
      </p>
      <p className="muted">{t("motion.howScored")}</p>
    </section>
  );
}
