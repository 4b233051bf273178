import { useState } from "react";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/debate";
import { ArgumentComposer } from "~/components/debate/ArgumentComposer";
import { ArgumentColumns } from "~/components/debate/ArgumentTree";
import { VoteBar } from "~/components/debate/VoteBar";
import { SourceText } from "~/components/SourceText";
import type { QueuedOperation } from "~/realtime/outbox";
import { describeConnection, useDebateLive } from "~/realtime/useDebateLive";
import { LIMITS } from "~/shared/contract";
import { formResult, orRespond, readForm, refusal } from "~/utils/errors.server";
import { currentParticipant, participantCookie } from "~/utils/participant.server";
import { FormError } from "~/components/FormError";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.debate.title ?? "Debate"} — Steelman` }];

export async function loader({ params, request, context }: Route.LoaderArgs) {
  const debate = await orRespond(() => context.services.getDebate(params.debateId));
  const me = await currentParticipant(context, request, params.debateId);
  const isFacilitator = me?.role === "host" || me?.role === "facilitator";
  if (debate.status !== "published" && !isFacilitator) {
    throw refusal(404, "This debate is not open yet: the facilitator has not published it.");
  }
  const mine = await context.services.myChoices(me);
  return { debate, me: me ? { id: me.id, displayName: me.displayName, role: me.role } : null, mine };
}

export async function action({ params, request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const displayName = form.get("displayName");
  const result = await formResult(() => context.services.joinDebate(params.debateId, { displayName }, context.clientAddress));
  if (!result.ok) return { error: result.error, displayName: typeof displayName === "string" ? displayName : "" };
  return redirect(`/debates/${params.debateId}`, { headers: { "Set-Cookie": participantCookie(params.debateId, result.value.token) } });
}

/** One waiting operation in words, e.g. "Vote “agree” on proposition 3". */
function describeOperation(op: QueuedOperation, propositions: { id: string }[]): string {
  const number = (id: unknown) => {
    const i = propositions.findIndex((p) => p.id === id);
    return i >= 0 ? `proposition ${i + 1}` : "a proposition";
  };
  switch (op.event) {
    case "vote:cast":
      return op.payload.value ? `Vote “${String(op.payload.value)}” on ${number(op.payload.propositionId)}` : `Vote cleared on ${number(op.payload.propositionId)}`;
    case "argument:post":
      return `${op.payload.parentId ? "Reply" : "Argument"} on ${number(op.payload.propositionId)}`;
    case "argument:edit":
      return "Edit of your argument";
    case "source:add":
      return "Source for your argument";
    case "rating:cast":
      return "Rating of an argument";
    case "proposition:edit":
      return `Rewording of ${number(op.payload.propositionId)}`;
  }
}

function JoinForm({ error, displayName }: { error?: string; displayName?: string }) {
  const navigation = useNavigation();
  return (
    <Form method="post" className="join-form callout">
      <label className="field">
        <span>Pick a display name to take part</span>
        <input name="displayName" required maxLength={LIMITS.displayNameMaxChars} defaultValue={displayName} autoComplete="nickname" aria-invalid={!!error} />
      </label>
      <button type="submit" className="button button-primary" disabled={navigation.state !== "idle"}>
        Join the debate
      </button>
      <FormError message={error} />
      <p className="muted">No account or email needed. Until you join, you are watching as an observer.</p>
    </Form>
  );
}

export default function Debate({ loaderData, actionData }: Route.ComponentProps) {
  const { debate } = loaderData;
  const { state, actions, unconfirmed } = useDebateLive(loaderData);
  const [active, setActive] = useState<string | null>(null);
  const me = state.me;
  const canWrite = !!me && me.role !== "observer" && debate.status === "published";
  const allArgs = Object.values(state.arguments);

  return (
    <section className="page debate-page">
      <header className="debate-header">
        <div>
          <p className="muted">
            <Link to="/">All debates</Link>
            {me?.role === "host" || me?.role === "facilitator" ? (
              <>
                {" · "}
                <Link to={`/debates/${debate.id}/edit`}>Review propositions</Link>
              </>
            ) : null}
          </p>
          <h1>{debate.title}</h1>
          {debate.sourceUrl ? (
            <p className="muted">
              Source:{" "}
              <a href={debate.sourceUrl} target="_blank" rel="noopener noreferrer nofollow">
                {debate.sourceUrl}
              </a>
            </p>
          ) : null}
        </div>
        <div className="presence-box">
          <span className={`connection connection-${state.status}${unconfirmed.length ? " connection-waiting" : ""}`} role="status" data-testid="connection-status" data-status={state.status}>
            {describeConnection(state.status, unconfirmed.length)}
          </span>
          <p className="presence">
            <span data-testid="presence-count">{state.presence.length} here</span>
            {state.presence.length ? ": " : ""}
            {state.presence.slice(0, 8).map((p, i) => (
              <span key={p.id}>
                {i ? ", " : ""}
                <bdi>{p.displayName}</bdi>
                {p.id === me?.id ? " (you)" : ""}
              </span>
            ))}
            {state.presence.length > 8 ? ` and ${state.presence.length - 8} more` : ""}
          </p>
          {unconfirmed.length ? (
            <details className="unconfirmed">
              <summary>Not yet confirmed ({unconfirmed.length})</summary>
              <ul>
                {unconfirmed.map((op) => (
                  <li key={op.opId}>{describeOperation(op, state.propositions)}</li>
                ))}
              </ul>
            </details>
          ) : null}
          {me ? (
            <p className="muted">
              You are <bdi>{me.displayName}</bdi>.
            </p>
          ) : null}
        </div>
      </header>

      {!me ? <JoinForm error={actionData?.error.message} displayName={actionData?.displayName} /> : null}

      <div className="debate-layout">
        <div className="propositions-pane">
          <h2>
            Propositions <span className="muted">({state.propositions.length})</span>
          </h2>
          {state.propositions.length === 0 ? <p className="empty">This debate has no propositions yet.</p> : null}
          <ol className="proposition-list">
            {state.propositions.map((p, i) => {
              const args = allArgs.filter((a) => a.propositionId === p.id);
              return (
                <li key={p.id} id={`prop-${p.id}`} className="proposition" onFocus={() => setActive(p.id)} onMouseEnter={() => setActive(p.id)}>
                  <h3 className="proposition-text">
                    <span className="proposition-number">{i + 1}</span> {p.text}
                  </h3>
                  <VoteBar propositionNumber={i + 1} tally={p.tally} mine={state.myVotes[p.id]} canVote={canWrite} onVote={(v) => actions.castVote(p.id, v)} />
                  <ArgumentColumns propositionId={p.id} args={args} actions={{ canWrite, meId: me?.id ?? null, myRatings: state.myRatings, postArgument: actions.postArgument, rateArgument: actions.rateArgument, editArgument: actions.editArgument }} />
                  {canWrite ? (
                    <details className="new-argument">
                      <summary className="button">Add an argument</summary>
                      <ArgumentComposer idPrefix={`new-${p.id}`} propositionId={p.id} defaultStance="pro" label={`New argument on proposition ${i + 1}`} onSubmit={actions.postArgument} />
                    </details>
                  ) : null}
                </li>
              );
            })}
          </ol>
        </div>
        {/* After the propositions in reading and tab order; shown on the left on wide screens. */}
        <aside className="article-pane" aria-label="The article's thesis section">
          <h2>{debate.thesis.heading ?? "The article"}</h2>
          <SourceText sourceText={debate.sourceText} span={debate.thesis.span} propositions={state.propositions} activeId={active} />
        </aside>
      </div>
    </section>
  );
}
