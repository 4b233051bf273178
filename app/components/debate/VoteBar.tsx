import { useState } from "react";
import type { Ack, VoteTally, VoteValue } from "~/shared/contract";
import { FormError } from "~/components/FormError";

const OPTIONS: { value: VoteValue; label: string }[] = [
  { value: "agree", label: "Agree" },
  { value: "disagree", label: "Disagree" },
  { value: "unsure", label: "Unsure" },
];

/**
 * Agree / disagree / unsure buttons with the exact tally. Pressing your
 * current choice again clears it. Your choice shows at once; the live layer
 * sends vote changes on one proposition one after another, so the last click wins.
 */
export function VoteBar({ propositionNumber, tally, mine, canVote, onVote }: { propositionNumber: number; tally: VoteTally; mine: VoteValue | undefined; canVote: boolean; onVote(value: VoteValue | null): Promise<Ack<unknown>> }) {
  const [pending, setPending] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const pct = (n: number) => (tally.total ? Math.round((n / tally.total) * 100) : 0);
  async function vote(value: VoteValue) {
    setPending((n) => n + 1);
    setError(null);
    const reply = await onVote(mine === value ? null : value);
    if (!reply.ok) setError(reply.error.message);
    setPending((n) => n - 1);
  }
  return (
    <div className="vote-bar">
      <div className="vote-buttons" role="group" aria-label={`Your vote on proposition ${propositionNumber}`}>
        {OPTIONS.map((o) => (
          <button
            key={o.value}
            type="button"
            className={`button vote-${o.value}`}
            aria-pressed={mine === o.value}
            disabled={!canVote}
            aria-busy={pending > 0}
            onClick={() => void vote(o.value)}
            title={canVote ? undefined : "Join the debate to vote"}
          >
            {o.label} <span className="count" data-testid={`tally-${o.value}`}>{tally[o.value]}</span>
          </button>
        ))}
      </div>
      <div className="tally-bar" aria-hidden>
        <span className="seg agree" style={{ width: `${pct(tally.agree)}%` }} />
        <span className="seg disagree" style={{ width: `${pct(tally.disagree)}%` }} />
        <span className="seg unsure" style={{ width: `${pct(tally.unsure)}%` }} />
      </div>
      <p className="visually-hidden" aria-live="polite">
        {`${tally.agree} agree, ${tally.disagree} disagree, ${tally.unsure} unsure`}
      </p>
      <FormError message={error} />
    </div>
  );
}
