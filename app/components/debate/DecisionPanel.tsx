/**
 * Workshop decisions on the debate page (issue 13, docs/decisions/0071-workshop-decisions.md):
 * facilitators propose a decision on one or more propositions and close it with an outcome;
 * participants answer agree, abstain, disagree or block, with a reason that may cite arguments on
 * those propositions. Everyone sees every decision, its counts and its answers, live
 * (`decision.updated`). The controls are offered as `decide` allows (refusals are shown in words);
 * every failed send says why next to its form, in an alert screen readers announce.
 */
import { FormError } from "~/components/FormError";
import { useId, useState } from "react";
import type { Ack, ArgumentDTO, PropositionDTO } from "~/shared/contract";
import type { DecisionDTO } from "~/shared/decisions";
import { DECISION_OUTCOMES, DECISION_RESPONSES } from "~/shared/decision-text";
import { useT, type MessageKey, type Translate } from "~/i18n/react";
import { useRefusalText } from "~/i18n/refusal";
import type { Refusal } from "~/shared/phases";
import type { DecisionOutcome, DecisionResponseValue } from "~/generated/prisma/enums";

export interface DecisionActions {
  proposeDecision(p: { propositionIds: string[]; text: string }): Promise<Ack<DecisionDTO>>;
  respondToDecision(p: { decisionId: string; value: DecisionResponseValue; reason?: string; citedArgumentIds: string[] }): Promise<Ack<DecisionDTO>>;
  closeDecision(p: { decisionId: string; outcome: DecisionOutcome; note?: string }): Promise<Ack<DecisionDTO>>;
}

export interface DecisionPanelProps {
  decisions: DecisionDTO[];
  /** The debate's propositions in page order (numbered from 1). */
  propositions: PropositionDTO[];
  arguments: Record<string, ArgumentDTO>;
  meId: string | null;
  /** Null when the viewer may propose and close decisions (Action.runDecisions), otherwise why not (decideRefusal). */
  runRefusal: Refusal | null;
  /** Null when the viewer may answer (Action.respondToDecision), otherwise why not (decideRefusal). */
  respondRefusal: Refusal | null;
  actions: DecisionActions;
}

/** The catalogue ids of each answer's name and meaning, and of each outcome (app/i18n/messages). */
const RESPONSE_KEYS: Record<DecisionResponseValue, { label: MessageKey; meaning: MessageKey }> = {
  agree: { label: "decision.agree", meaning: "decision.agree.meaning" },
  abstain: { label: "decision.abstain", meaning: "decision.abstain.meaning" },
  disagree: { label: "decision.disagree", meaning: "decision.disagree.meaning" },
  block: { label: "decision.block", meaning: "decision.block.meaning" },
};
const OUTCOME_KEYS: Record<DecisionOutcome, MessageKey> = { adopted: "decision.adopted", rejected: "decision.rejected", withdrawn: "decision.withdrawn" };

/** "agree 2 · abstain 0 · disagree 1 · block 0". */
const countsText = (t: Translate, counts: DecisionDTO["counts"]) => t("decision.counts", { agree: counts.agree, abstain: counts.abstain, disagree: counts.disagree, block: counts.block });

const excerpt = (text: string, max = 90) => {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
};

/** The decisions panel; shown in workshop debates and wherever a decision was proposed. */
export function DecisionPanel({ decisions, propositions, arguments: args, meId, runRefusal, respondRefusal, actions }: DecisionPanelProps) {
  const numberOf = new Map(propositions.map((p, i) => [p.id, i + 1]));
  const t = useT();
  return (
    <section className="decision-panel callout" aria-labelledby="decisions-heading" data-testid="decision-panel">
      <h2 id="decisions-heading">{t("decision.heading")}</h2>
      <p className="muted">{t("decision.intro")}</p>
      {decisions.length === 0 ? <p className="empty">{t("decision.none")}</p> : null}
      <ol className="decision-list">
        {decisions.map((d) => (
          <li key={d.id}>
            <DecisionItem decision={d} numberOf={numberOf} args={args} meId={meId} runRefusal={runRefusal} respondRefusal={respondRefusal} actions={actions} />
          </li>
        ))}
      </ol>
      {runRefusal === null ? <ProposeForm propositions={propositions} onPropose={actions.proposeDecision} /> : null}
    </section>
  );
}

function ProposeForm({ propositions, onPropose }: { propositions: PropositionDTO[]; onPropose: DecisionActions["proposeDecision"] }) {
  const id = useId();
  const [chosen, setChosen] = useState<string[]>([]);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const t = useT();
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (chosen.length === 0) return setError(t("decision.chooseProposition"));
    if (!text.trim()) return setError(t("decision.writeIt"));
    setBusy(true);
    setError(null);
    const reply = await onPropose({ propositionIds: chosen, text });
    setBusy(false);
    if (!reply.ok) return setError(reply.error.message);
    setChosen([]);
    setText("");
  };
  return (
    <form className="decision-propose" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-h`} data-testid="decision-propose">
      <h3 id={`${id}-h`}>{t("decision.propose")}</h3>
      <fieldset>
        <legend>{t("decision.onWhich")}</legend>
        <div className="decision-choices">
          {propositions.map((p, i) => (
            <label key={p.id} className="radio-option">
              <input type="checkbox" checked={chosen.includes(p.id)} onChange={(e) => setChosen(e.target.checked ? [...chosen, p.id] : chosen.filter((x) => x !== p.id))} />{" "}
              {i + 1}. {excerpt(p.text)}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="field">
        <span>{t("decision.text")}</span>
        <textarea value={text} onChange={(e) => setText(e.target.value)} rows={2} maxLength={1000} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-err` : undefined} />
      </label>
      <div id={`${id}-err`}>
        <FormError message={error} testId="decision-propose-error" />
      </div>
      <button type="submit" className="button button-primary" disabled={busy}>
        {t("decision.proposeButton")}
      </button>
    </form>
  );
}

interface ItemProps {
  decision: DecisionDTO;
  numberOf: Map<string, number>;
  args: Record<string, ArgumentDTO>;
  meId: string | null;
  runRefusal: Refusal | null;
  respondRefusal: Refusal | null;
  actions: DecisionActions;
}

function DecisionItem({ decision: d, numberOf, args, meId, runRefusal, respondRefusal, actions }: ItemProps) {
  const headingId = useId();
  const mine = meId ? d.responses.find((r) => r.participant.id === meId) : undefined;
  const on = d.propositionIds.filter((id) => numberOf.has(id));
  const t = useT();
  const refusalText = useRefusalText();
  return (
    <article className="decision" aria-labelledby={headingId} data-testid="decision" data-decision-id={d.id}>
      <h3 id={headingId} className="decision-text">
        {d.text}
      </h3>
      <p className="muted">
        {on.length ? (
          <>
            {t("decision.proposedByOn", { name: d.proposedBy.displayName })}{" "}
            {on.map((id, i) => (
              <span key={id}>
                {i ? ", " : ""}
                <a href={`#prop-${id}`}>{t("decision.propositionLink", { n: numberOf.get(id) ?? 0 })}</a>
              </span>
            ))}
            .
          </>
        ) : (
          t("decision.proposedBy", { name: d.proposedBy.displayName })
        )}
      </p>
      <p className="decision-status" data-testid="decision-status">
        {d.outcome ? (
          <>
            <strong>{t(OUTCOME_KEYS[d.outcome])}</strong>
            {d.outcomeNote ? `: ${d.outcomeNote}` : ""}
          </>
        ) : (
          <strong>{t("decision.open")}</strong>
        )}{" "}
        · {countsText(t, d.counts)}
      </p>
      {d.responses.length ? (
        <ul className="decision-responses" aria-label={t("decision.answers")}>
          {d.responses.map((r) => (
            <li key={r.participant.id} className={`decision-response decision-${r.value}`}>
              <strong>{t(RESPONSE_KEYS[r.value].label)}</strong> — {r.participant.displayName}
              {r.reason ? `: ${r.reason}` : ""}
              {r.citedArgumentIds.length ? (
                <ul>
                  {r.citedArgumentIds.map((id) => (
                    <li key={id}>
                      {t("decision.cites")} <a href={`#arg-${id}`}>{args[id] && !args[id].withheld ? t("decision.quote", { text: excerpt(args[id].bodyText, 70) }) : t("decision.anArgument")}</a>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {!d.closedAt && respondRefusal === null ? <RespondForm decision={d} args={args} mine={mine} onRespond={actions.respondToDecision} /> : null}
      {!d.closedAt && respondRefusal !== null && runRefusal !== null ? <p className="muted">{refusalText(respondRefusal)}</p> : null}
      {!d.closedAt && runRefusal === null ? <CloseForm decisionId={d.id} onClose={actions.closeDecision} /> : null}
    </article>
  );
}

function RespondForm({ decision, args, mine, onRespond }: { decision: DecisionDTO; args: Record<string, ArgumentDTO>; mine: DecisionDTO["responses"][number] | undefined; onRespond: DecisionActions["respondToDecision"] }) {
  const id = useId();
  const [value, setValue] = useState<DecisionResponseValue | null>(mine?.value ?? null);
  const [reason, setReason] = useState(mine?.reason ?? "");
  const [cited, setCited] = useState<string[]>(mine?.citedArgumentIds ?? []);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const citable = Object.values(args).filter((a) => decision.propositionIds.includes(a.propositionId) && !a.deleted && !a.withheld && !a.hidden);
  const t = useT();
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!value) return setError(t("decision.chooseAnswer"));
    if (value === "block" && !reason.trim()) return setError(t("decision.blockNeedsReason"));
    setBusy(true);
    setError(null);
    const reply = await onRespond({ decisionId: decision.id, value, reason: reason.trim() ? reason : undefined, citedArgumentIds: cited });
    setBusy(false);
    if (!reply.ok) setError(reply.error.message);
  };
  return (
    <form className="decision-respond" onSubmit={(e) => void submit(e)} noValidate data-testid="decision-respond">
      <fieldset>
        <legend>{mine ? t("decision.yourAnswerWas", { value: mine.value }) : t("decision.yourAnswer")}</legend>
        <div className="decision-choices">
          {DECISION_RESPONSES.map((v) => (
            <label key={v} className="radio-option">
              <input type="radio" name={`${id}-value`} value={v} checked={value === v} onChange={() => setValue(v)} /> <strong>{t(RESPONSE_KEYS[v].label)}</strong> <span className="muted">{t(RESPONSE_KEYS[v].meaning)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label className="field">
        <span>{t("decision.reason", { block: value === "block" ? "yes" : "no" })}</span>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} maxLength={500} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-err` : undefined} />
      </label>
      {citable.length ? (
        <fieldset>
          <legend>{t("decision.citeLegend")}</legend>
          <div className="decision-choices">
            {citable.map((a) => (
              <label key={a.id} className="radio-option">
                <input type="checkbox" checked={cited.includes(a.id)} onChange={(e) => setCited(e.target.checked ? [...cited, a.id] : cited.filter((x) => x !== a.id))} /> {t("decision.citable", { stance: a.stance, author: a.author.displayName, text: excerpt(a.bodyText, 70) })}
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      <div id={`${id}-err`}>
        <FormError message={error} testId="decision-respond-error" />
      </div>
      <button type="submit" className="button button-primary" disabled={busy}>
        {t(mine ? "decision.change" : "decision.send")}
      </button>
    </form>
  );
}

function CloseForm({ decisionId, onClose }: { decisionId: string; onClose: DecisionActions["closeDecision"] }) {
  const id = useId();
  const [outcome, setOutcome] = useState<DecisionOutcome>("adopted");
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const t = useT();
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const reply = await onClose({ decisionId, outcome, note: note.trim() ? note : undefined });
    setBusy(false);
    if (!reply.ok) setError(reply.error.message);
  };
  return (
    <form className="decision-close" onSubmit={(e) => void submit(e)} noValidate data-testid="decision-close">
      <label className="field">
        <span>{t("decision.outcome")}</span>
        <select value={outcome} onChange={(e) => setOutcome(e.target.value as DecisionOutcome)}>
          {DECISION_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {t(OUTCOME_KEYS[o])}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t("decision.note")}</span>
        <input type="text" value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} aria-describedby={error ? `${id}-err` : undefined} />
      </label>
      <div id={`${id}-err`}>
        <FormError message={error} testId="decision-close-error" />
      </div>
      <button type="submit" className="button" disabled={busy}>
        {t("decision.close")}
      </button>
    </form>
  );
}

/** The decisions on the results page: each with its outcome, counts and answers, and the arguments the answers cite. */
export function DecisionResults({ decisions, citedArguments }: { decisions: DecisionDTO[]; citedArguments: Record<string, { excerpt: string; author: string }> }) {
  const t = useT();
  if (decisions.length === 0) return null;
  return (
    <section className="decision-results" aria-labelledby="decision-results-heading" data-testid="decision-results">
      <h2 id="decision-results-heading">{t("decision.heading")}</h2>
      <ol className="decision-list">
        {decisions.map((d) => (
          <li key={d.id} className="decision" data-testid="decision-result">
            <h3 className="decision-text">{d.text}</h3>
            <p className="decision-status">
              <strong>{d.outcome ? t(OUTCOME_KEYS[d.outcome]) : t("decision.stillOpen")}</strong>
              {d.outcomeNote ? `: ${d.outcomeNote}` : ""} · {countsText(t, d.counts)}
            </p>
            {d.responses.length ? (
              <ul className="decision-responses" aria-label={t("decision.answers")}>
                {d.responses.map((r) => (
                  <li key={r.participant.id} className={`decision-response decision-${r.value}`}>
                    <strong>{t(RESPONSE_KEYS[r.value].label)}</strong> — {r.participant.displayName}
                    {r.reason ? `: ${r.reason}` : ""}
                    {r.citedArgumentIds.filter((id) => citedArguments[id]).length ? (
                      <ul>
                        {r.citedArgumentIds
                          .filter((id) => citedArguments[id])
                          .map((id) => (
                            <li key={id}>
                              {t("decision.citesBy", { author: citedArguments[id]!.author, text: excerpt(citedArguments[id]!.excerpt, 140) })}
                            </li>
                          ))}
                      </ul>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">{t("decision.nobody")}</p>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
