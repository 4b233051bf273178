/**
 * Workshop decisions on the debate page (issue 13, docs/decisions/0071-workshop-decisions.md):
 * facilitators propose a decision on one or more propositions and close it with an outcome;
 * participants answer agree, abstain, disagree or block, with a reason that may cite arguments on
 * those propositions. Everyone sees every decision, its counts and its answers, live
 * (`decision.updated`). The controls are offered as `decide` allows (refusals are shown in words);
 * every failed send says why next to its form, in an alert screen readers announce.
 */
import { useId, useState } from "react";
import type { Ack, ArgumentDTO, PropositionDTO } from "~/shared/contract";
import type { DecisionDTO } from "~/shared/decisions";
import { DECISION_OUTCOMES, DECISION_RESPONSES, OUTCOME_TEXT, RESPONSE_TEXT } from "~/shared/decision-text";
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
  /** Null when the viewer may propose and close decisions (Action.runDecisions), otherwise why not. */
  runRefusal: string | null;
  /** Null when the viewer may answer (Action.respondToDecision), otherwise why not. */
  respondRefusal: string | null;
  actions: DecisionActions;
}

const excerpt = (text: string, max = 90) => {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
};

/** An error next to a form, announced. */
const Failure = ({ message, testId }: { message: string | null; testId: string }) =>
  message ? (
    <p className="error" role="alert" data-testid={testId}>
      {message}
    </p>
  ) : null;

/** The decisions panel; shown in workshop debates and wherever a decision was proposed. */
export function DecisionPanel({ decisions, propositions, arguments: args, meId, runRefusal, respondRefusal, actions }: DecisionPanelProps) {
  const numberOf = new Map(propositions.map((p, i) => [p.id, i + 1]));
  return (
    <section className="decision-panel callout" aria-labelledby="decisions-heading" data-testid="decision-panel">
      <h2 id="decisions-heading">Decisions</h2>
      <p className="muted">A facilitator proposes a decision; everyone answers agree, abstain, disagree or block (an objection that stops it as it is), with a reason that may cite arguments.</p>
      {decisions.length === 0 ? <p className="empty">No decision has been proposed yet.</p> : null}
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
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (chosen.length === 0) return setError("Choose at least one proposition the decision is about.");
    if (!text.trim()) return setError("Write the decision you propose.");
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
      <h3 id={`${id}-h`}>Propose a decision</h3>
      <fieldset>
        <legend>On which propositions?</legend>
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
        <span>The decision</span>
        <textarea value={text} onChange={(e) => setText(e.target.value)} rows={2} maxLength={1000} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-err` : undefined} />
      </label>
      <div id={`${id}-err`}>
        <Failure message={error} testId="decision-propose-error" />
      </div>
      <button type="submit" className="button button-primary" disabled={busy}>
        Propose the decision
      </button>
    </form>
  );
}

interface ItemProps {
  decision: DecisionDTO;
  numberOf: Map<string, number>;
  args: Record<string, ArgumentDTO>;
  meId: string | null;
  runRefusal: string | null;
  respondRefusal: string | null;
  actions: DecisionActions;
}

function DecisionItem({ decision: d, numberOf, args, meId, runRefusal, respondRefusal, actions }: ItemProps) {
  const headingId = useId();
  const mine = meId ? d.responses.find((r) => r.participant.id === meId) : undefined;
  const on = d.propositionIds.filter((id) => numberOf.has(id));
  return (
    <article className="decision" aria-labelledby={headingId} data-testid="decision" data-decision-id={d.id}>
      <h3 id={headingId} className="decision-text">
        {d.text}
      </h3>
      <p className="muted">
        Proposed by {d.proposedBy.displayName}
        {on.length ? (
          <>
            {" "}
            on{" "}
            {on.map((id, i) => (
              <span key={id}>
                {i ? ", " : ""}
                <a href={`#prop-${id}`}>proposition {numberOf.get(id)}</a>
              </span>
            ))}
          </>
        ) : null}
        .
      </p>
      <p className="decision-status" data-testid="decision-status">
        {d.outcome ? (
          <>
            <strong>{OUTCOME_TEXT[d.outcome]}</strong>
            {d.outcomeNote ? `: ${d.outcomeNote}` : ""}
          </>
        ) : (
          <strong>Open for answers</strong>
        )}{" "}
        · {DECISION_RESPONSES.map((v) => `${RESPONSE_TEXT[v].label.toLowerCase()} ${d.counts[v]}`).join(" · ")}
      </p>
      {d.responses.length ? (
        <ul className="decision-responses" aria-label="Answers">
          {d.responses.map((r) => (
            <li key={r.participant.id} className={`decision-response decision-${r.value}`}>
              <strong>{RESPONSE_TEXT[r.value].label}</strong> — {r.participant.displayName}
              {r.reason ? `: ${r.reason}` : ""}
              {r.citedArgumentIds.length ? (
                <ul>
                  {r.citedArgumentIds.map((id) => (
                    <li key={id}>
                      Cites <a href={`#arg-${id}`}>{args[id] && !args[id].withheld ? `“${excerpt(args[id].bodyText, 70)}”` : "an argument"}</a>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {!d.closedAt && respondRefusal === null ? <RespondForm decision={d} args={args} mine={mine} onRespond={actions.respondToDecision} /> : null}
      {!d.closedAt && respondRefusal !== null && runRefusal !== null ? <p className="muted">{respondRefusal}</p> : null}
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
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!value) return setError("Choose your answer: agree, abstain, disagree or block.");
    if (value === "block" && !reason.trim()) return setError("A block needs a reason: say what would have to change.");
    setBusy(true);
    setError(null);
    const reply = await onRespond({ decisionId: decision.id, value, reason: reason.trim() ? reason : undefined, citedArgumentIds: cited });
    setBusy(false);
    if (!reply.ok) setError(reply.error.message);
  };
  return (
    <form className="decision-respond" onSubmit={(e) => void submit(e)} noValidate data-testid="decision-respond">
      <fieldset>
        <legend>{mine ? `Your answer (you said ${RESPONSE_TEXT[mine.value].label.toLowerCase()}; you can change it)` : "Your answer"}</legend>
        <div className="decision-choices">
          {DECISION_RESPONSES.map((v) => (
            <label key={v} className="radio-option">
              <input type="radio" name={`${id}-value`} value={v} checked={value === v} onChange={() => setValue(v)} /> <strong>{RESPONSE_TEXT[v].label}</strong> <span className="muted">{RESPONSE_TEXT[v].meaning}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label className="field">
        <span>Reason {value === "block" ? "(needed for a block)" : "(optional)"}</span>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} maxLength={500} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-err` : undefined} />
      </label>
      {citable.length ? (
        <fieldset>
          <legend>Arguments your reason cites (optional)</legend>
          <div className="decision-choices">
            {citable.map((a) => (
              <label key={a.id} className="radio-option">
                <input type="checkbox" checked={cited.includes(a.id)} onChange={(e) => setCited(e.target.checked ? [...cited, a.id] : cited.filter((x) => x !== a.id))} /> {a.stance === "pro" ? "For" : "Against"}, by {a.author.displayName}: “{excerpt(a.bodyText, 70)}”
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      <div id={`${id}-err`}>
        <Failure message={error} testId="decision-respond-error" />
      </div>
      <button type="submit" className="button button-primary" disabled={busy}>
        {mine ? "Change my answer" : "Send my answer"}
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
        <span>Outcome</span>
        <select value={outcome} onChange={(e) => setOutcome(e.target.value as DecisionOutcome)}>
          {DECISION_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {OUTCOME_TEXT[o]}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Note on the outcome (optional)</span>
        <input type="text" value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} aria-describedby={error ? `${id}-err` : undefined} />
      </label>
      <div id={`${id}-err`}>
        <Failure message={error} testId="decision-close-error" />
      </div>
      <button type="submit" className="button" disabled={busy}>
        Close the decision
      </button>
    </form>
  );
}

/** The decisions on the results page: each with its outcome, counts and answers, and the arguments the answers cite. */
export function DecisionResults({ decisions, citedArguments }: { decisions: DecisionDTO[]; citedArguments: Record<string, { excerpt: string; author: string }> }) {
  if (decisions.length === 0) return null;
  return (
    <section className="decision-results" aria-labelledby="decision-results-heading" data-testid="decision-results">
      <h2 id="decision-results-heading">Decisions</h2>
      <ol className="decision-list">
        {decisions.map((d) => (
          <li key={d.id} className="decision" data-testid="decision-result">
            <h3 className="decision-text">{d.text}</h3>
            <p className="decision-status">
              <strong>{d.outcome ? OUTCOME_TEXT[d.outcome] : "Still open"}</strong>
              {d.outcomeNote ? `: ${d.outcomeNote}` : ""} · {DECISION_RESPONSES.map((v) => `${RESPONSE_TEXT[v].label.toLowerCase()} ${d.counts[v]}`).join(" · ")}
            </p>
            {d.responses.length ? (
              <ul className="decision-responses" aria-label="Answers">
                {d.responses.map((r) => (
                  <li key={r.participant.id} className={`decision-response decision-${r.value}`}>
                    <strong>{RESPONSE_TEXT[r.value].label}</strong> — {r.participant.displayName}
                    {r.reason ? `: ${r.reason}` : ""}
                    {r.citedArgumentIds.filter((id) => citedArguments[id]).length ? (
                      <ul>
                        {r.citedArgumentIds
                          .filter((id) => citedArguments[id])
                          .map((id) => (
                            <li key={id}>
                              Cites {citedArguments[id]!.author}: “{excerpt(citedArguments[id]!.excerpt, 140)}”
                            </li>
                          ))}
                      </ul>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">Nobody answered.</p>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
