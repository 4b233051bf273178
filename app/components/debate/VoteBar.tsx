import { useState } from "react";
import type { Ack, VoteTally, VoteValue } from "~/shared/contract";
import { FormError } from "~/components/FormError";
import { useHydrated } from "~/utils/use-hydrated";

const OPTIONS: { value: VoteValue; label: string }[] = [
  { value: "agree", label: "Agree" },
  { value: "disagree", label: "Disagree" },
  { value: "unsure", label: "Unsure" },
];

/**
 * Agree / disagree / unsure buttons with the exact tally. Pressing your
 * current choice again clears it. Your choice shows at once; the live layer
 * sends vote changes on one proposition one after another, so the last click wins.
 *
 * The buttons are a real form (intent "vote", the proposition, the button's value, `opId`): before the
 * page is hydrated, or without JavaScript, a tap posts it to the page's action
 * (app/utils/debate-forms.server.ts), which lands back at `#prop-<id>`; once hydrated the click goes
 * over the socket (`onVote`) instead.
 */
export function VoteBar({
  propositionId,
  opId,
  propositionNumber,
  tally,
  mine,
  canVote,
  onVote,
}: {
  propositionId: string;
  /** The form's operation id (app/shared/form-op-id.ts). */
  opId: string;
  propositionNumber: number;
  tally: VoteTally;
  mine: VoteValue | undefined;
  canVote: boolean;
  onVote(value: VoteValue | null): Promise<Ack<unknown>>;
}) {
  const hydrated = useHydrated();
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
      <form method="post" className="vote-buttons" role="group" aria-label={`Your vote on proposition ${propositionNumber}`}>
        <input type="hidden" name="intent" value="vote" />
        <input type="hidden" name="propositionId" value={propositionId} />
        <input type="hidden" name="opId" value={opId} />
        {OPTIONS.map((o) => (
          <button
            key={o.value}
            type={hydrated ? "button" : "submit"}
            name="value"
            value={mine === o.value ? "" : o.value}
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
      </form>
      <div className="tally-bar" aria-hidden>
        <span className="seg agree" style={{ width: `${pct(tally.agree)}%` }} />
        <span className="seg disagree" style={{ width: `${pct(tally.disagree)}%` }} />
        <span className="seg unsure" style={{ width: `${pct(tally.unsure)}%` }} />
      </div>
      {/* The bar's text equivalent. Not a live region: changes are spoken for the proposition in focus only (LiveAnnouncer). */}
      <p className="visually-hidden">
        {`${tally.agree} agree, ${tally.disagree} disagree, ${tally.unsure} unsure`}
      </p>
      <FormError message={error} />
    </div>
  );
}
