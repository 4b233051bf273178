/**
 * The Oxford-style motion (issue 13): the participant's vote panel (the poll open now: for,
 * against or undecided; disabled with its reason when no poll is open or the viewer may not vote)
 * and the result, before and after bars with each side's swing in percentage points and the
 * winner (app/shared/phases.ts motionResult; shown on the results page and the projector).
 */
import { useState } from "react";
import type { Ack, MotionDTO } from "~/shared/contract";
import type { MotionStage, MotionVoteValue } from "~/shared/phases";

const VALUES: { value: MotionVoteValue; label: string }[] = [
  { value: "for", label: "For" },
  { value: "against", label: "Against" },
  { value: "undecided", label: "Undecided" },
];

export interface MotionPanelProps {
  motion: MotionDTO;
  /** The poll open now, or null. */
  stage: MotionStage | null;
  /** Null when the viewer may vote in `stage`, otherwise why not. */
  refusal: string | null;
  mine: Partial<Record<MotionStage, MotionVoteValue>>;
  onVote: (stage: MotionStage, value: MotionVoteValue) => Promise<Ack<unknown>>;
}

/** The motion and the vote buttons of the open poll. */
export function MotionPanel({ motion, stage, refusal, mine, onVote }: MotionPanelProps) {
  const [error, setError] = useState<string | null>(null);
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
        The motion
      </h2>
      <p className="motion-text" data-testid="motion-text">
        {motion.text}
      </p>
      {stage ? (
        <div role="group" aria-label={`Your ${stage} vote on the motion`} className="motion-vote">
          <span>{stage === "before" ? "Your vote before the debate:" : "Your vote after the debate:"}</span>{" "}
          {VALUES.map((v) => (
            <button
              key={v.value}
              type="button"
              className={`button button-small${current === v.value ? " button-primary" : ""}`}
              aria-pressed={current === v.value}
              disabled={refusal !== null}
              aria-describedby={refusal ? "motion-why" : undefined}
              onClick={() => void vote(v.value)}
              data-testid={`motion-${v.value}`}
            >
              {v.label}
            </button>
          ))}
        </div>
      ) : null}
      {refusal ? (
        <p id="motion-why" className="muted" data-testid="motion-refusal">
          {refusal}
        </p>
      ) : null}
      <p className="muted">
        {mine.before ? `Before: you voted ${mine.before}.` : ""} {mine.after ? `After: you voted ${mine.after}.` : ""}
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
  const total = counts.for + counts.against + counts.undecided;
  const parts = [
    { key: "for", n: counts.for, className: "motion-bar-for" },
    { key: "undecided", n: counts.undecided, className: "motion-bar-undecided" },
    { key: "against", n: counts.against, className: "motion-bar-against" },
  ];
  return (
    <div className="motion-poll">
      <p className="motion-poll-label">
        <strong>{label}</strong>: {share(counts.for, total)}% for · {share(counts.against, total)}% against · {share(counts.undecided, total)}% undecided ({total} {total === 1 ? "vote" : "votes"})
      </p>
      <div className="motion-bar" aria-hidden="true">
        {parts.map((p) => (p.n ? <span key={p.key} className={p.className} style={{ width: `${(100 * p.n) / total}%` }} /> : null))}
      </div>
    </div>
  );
}

/** Before and after bars, the swing of each side and the winner (null winner: not known until the results phase). */
export function MotionResults({ motion, large = false }: { motion: MotionDTO; large?: boolean }) {
  const winner = motion.winner === "tie" ? "A tie: both sides gained as much." : motion.winner ? `${motion.winner === "for" ? "For" : "Against"} wins: it gained more votes between the two polls.` : "The winner is announced in the Results phase.";
  return (
    <section className={`motion-results${large ? " motion-results-large" : ""}`} aria-labelledby="motion-results-heading" data-testid="motion-results">
      <h2 id="motion-results-heading">The motion: {motion.text}</h2>
      <PollBar label="Before" counts={motion.before} />
      <PollBar label="After" counts={motion.after} />
      <p className="motion-swing" data-testid="motion-swing">
        Swing: for {signed(motion.swing.for)} points · against {signed(motion.swing.against)} points
      </p>
      <p className="motion-winner" data-testid="motion-winner" data-winner={motion.winner ?? "none"}>
        {winner}
      </p>
      <p className="muted">As Intelligence Squared scores it: each side&rsquo;s share of the after vote minus its share of the before vote; the larger gain wins.</p>
    </section>
  );
}
