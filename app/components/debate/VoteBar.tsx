import { useState } from "react";
import type { Ack, VoteTally, VoteValue } from "~/shared/contract";
import { FormError } from "~/components/FormError";
import { useHydrated } from "~/utils/use-hydrated";
import { useFormat, useT, type MessageKey } from "~/i18n/react";

const OPTIONS: { value: VoteValue; label: MessageKey }[] = [
  { value: "agree", label: "vote.agree" },
  { value: "disagree", label: "vote.disagree" },
  { value: "unsure", label: "vote.unsure" },
];

/**
 * Agree / disagree / unsure buttons with the exact tally. Pressing your
 * current choice again clears it. Your choice shows at once, on the button itself (pressed, with a
 * quiet pending mark until the server confirms it: nothing else on the page moves); the live layer
 * sends vote changes on one proposition one after another, so the last click wins. Counts change in
 * place (fixed-width digits) and the bar is painted, not laid out, so a tally change moves nothing.
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
  pending,
  onVote,
}: {
  propositionId: string;
  /** The form's operation id (app/shared/form-op-id.ts). */
  opId: string;
  propositionNumber: number;
  tally: VoteTally;
  mine: VoteValue | undefined;
  canVote: boolean;
  /** Whether a vote of the reader's on this proposition waits for the server. */
  pending: boolean;
  /**
   * A button was pressed: the caller votes `value`, or clears the vote when `value` is already the
   * reader's latest choice (decided against the live state at the moment of the click, not this render).
   */
  onVote(value: VoteValue): Promise<Ack<unknown>>;
}) {
  const hydrated = useHydrated();
  const t = useT();
  const f = useFormat();
  // The button last pressed: it carries the pending mark.
  const [aimed, setAimed] = useState<VoteValue | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function vote(value: VoteValue) {
    setAimed(value);
    setError(null);
    const reply = await onVote(value);
    if (!reply.ok) setError(reply.error.message);
  }
  return (
    <div className="vote-bar">
      <form method="post" className="vote-buttons" role="group" aria-label={t("vote.groupLabel", { n: propositionNumber })}>
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
            aria-busy={pending && aimed === o.value}
            data-pending={pending && aimed === o.value ? "true" : undefined}
            onClick={() => void vote(o.value)}
            title={canVote ? undefined : t("vote.joinToVote")}
          >
            {t(o.label)} <span className="count" data-testid={`tally-${o.value}`}>{f.number(tally[o.value])}</span>
          </button>
        ))}
      </form>
      {/* One painted gradient, not three boxes: a new tally repaints it without moving any box. */}
      <div className="tally-bar" aria-hidden style={tallyBackground(tally)} />
      {/* The bar's text equivalent. Not a live region: changes are spoken for the proposition in focus only (LiveAnnouncer). */}
      <p className="visually-hidden">
        {t("vote.summary", { agree: tally.agree, disagree: tally.disagree, unsure: tally.unsure })}
      </p>
      <FormError message={error} />
    </div>
  );
}

/** The tally bar's background: agree, disagree and unsure shares as hard-stop gradient bands (percent). */
export function tallyBackground(tally: VoteTally): React.CSSProperties {
  if (!tally.total) return {};
  const a = (100 * tally.agree) / tally.total;
  const d = a + (100 * tally.disagree) / tally.total;
  const u = d + (100 * tally.unsure) / tally.total;
  const stops = [`var(--pro) 0 ${a}%`, `var(--con) ${a}% ${d}%`, `var(--unsure) ${d}% ${u}%`, `var(--bg) ${u}%`].join(", ");
  return { backgroundImage: `linear-gradient(to right, ${stops})` };
}
