import { useState } from "react";
import { ArgumentOrderPicker, type ArgumentRanking } from "~/components/debate/ArgumentOrder";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/debate";
import { ArgumentComposer } from "~/components/debate/ArgumentComposer";
import { MemoArgumentColumns } from "~/components/debate/ArgumentTree";
import { VoteBar } from "~/components/debate/VoteBar";
import { SourceText } from "~/components/SourceText";
import { describeConnection, useDebateLive } from "~/realtime/useDebateLive";
import { LIMITS } from "~/shared/constants";
import { JOIN_CODE_INPUT_MAX_CHARS } from "~/shared/constants";
import { Action, allowedActions, decide, isFacilitatorRole } from "~/shared/permissions";
import { phaseRules, type PhaseFacts } from "~/shared/phases";
import { PhaseBanner } from "~/components/debate/PhaseBanner";
import { MotionPanel } from "~/components/debate/Motion";
import { DecisionPanel } from "~/components/debate/DecisionPanel";
import { ShowResultsControl } from "~/components/debate/ShowResultsControl";
import { ReadTracker } from "~/components/debate/ReadTracker";
import { formResult, orRespond, readForm, refusal } from "~/utils/errors.server";
import { currentParticipant, participantCookie } from "~/utils/participant.server";
import { pageOrigin } from "~/utils/session.server";
import { FormError } from "~/components/FormError";
import { SharePanel, type ShareInfo } from "~/components/debate/SharePanel";
import { RoleBadge } from "~/components/debate/RoleBadge";
import { ExportMenu } from "~/components/debate/ExportMenu";
import { LiveAnnouncer } from "~/components/debate/LiveAnnouncer";
import { isDebateFormIntent, runDebateForm } from "~/utils/debate-forms.server";
import { formOpId } from "~/shared/form-op-id";
import { pendingOf } from "~/realtime/pending";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data && "debate" in data && data.debate ? data.debate.title : "Private debate"} — Steelman` }];

export async function loader({ params, request, context }: Route.LoaderArgs) {
  const me = await currentParticipant(context, request, params.debateId);
  // A private debate shows a non-participant only the join-code form (not even its title).
  const access = await context.services.debateAccess(params.debateId);
  if (!access) throw refusal(404, "This debate was not found. Check the link, or ask the facilitator for a new one.");
  if (!me && access.visibility === "private" && access.status !== "draft") return { gate: "private" as const };
  const isFacilitator = isFacilitatorRole(me?.role);
  if (access.status === "draft" && !isFacilitator) {
    throw refusal(404, "This debate is not open yet: the facilitator has not published it.");
  }
  const [debate, mine, openReports, settings] = await Promise.all([
    // Hidden arguments are withheld unless `me` is a facilitator or their author.
    orRespond(() => context.services.getDebate(params.debateId, me)),
    context.services.myChoices(me),
    isFacilitator ? context.services.openReportCount(me) : 0,
    // The join code goes to facilitators only (the Share panel).
    isFacilitator ? context.services.getSettings(me, params.debateId) : null,
  ]);
  const origin = pageOrigin(context, request);
  const share: ShareInfo | null = settings ? { joinCode: settings.joinCode, joinUrl: `${origin}${settings.joinPath}`, debateUrl: `${origin}${settings.debatePath}`, visibility: settings.visibility } : null;
  // formKey: the opIds of this rendering's forms (app/shared/form-op-id.ts).
  return { debate, me: me ? { id: me.id, displayName: me.displayName, role: me.role, muted: me.muted, debateId: me.debateId } : null, mine, openReports, share, formKey: crypto.randomUUID() };
}

export async function action({ params, request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  // Voting, rating and posting without JavaScript (issue 21): app/utils/debate-forms.server.ts.
  const intent = form.get("intent");
  if (isDebateFormIntent(intent)) {
    const outcome = await runDebateForm(context, request, params.debateId, intent, form);
    if (outcome instanceof Response) return outcome;
    return { formError: outcome };
  }
  const displayName = form.get("displayName");
  // joinCode: the private debate's form; role: "just watch" joins as an observer.
  const joinCode = typeof form.get("joinCode") === "string" ? String(form.get("joinCode")) : undefined;
  const role = form.get("role") === "observer" ? "observer" : undefined;
  const result = await formResult(() => context.services.joinDebate(params.debateId, { displayName, joinCode, role }, { address: context.clientAddress }));
  if (!result.ok) return { error: result.error, displayName: typeof displayName === "string" ? displayName : "" };
  return redirect(`/debates/${params.debateId}`, { headers: { "Set-Cookie": participantCookie(context, params.debateId, result.value.token) } });
}

/** The display-name field of the join forms; `invalid` sets aria-invalid. */
function DisplayNameField({ label, defaultValue, invalid }: { label: string; defaultValue?: string; invalid?: boolean }) {
  return (
    <label className="field">
      <span>{label}</span>
      <input name="displayName" required maxLength={LIMITS.displayNameMaxChars} defaultValue={defaultValue} autoComplete="nickname" aria-invalid={invalid} />
    </label>
  );
}

/** The two submit buttons of the join forms: join as a participant, or (role=observer) just watch. Disabled while a submission is in flight. */
function JoinChoice() {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  return (
    <div className="toolbar">
      <button type="submit" className="button button-primary" disabled={busy}>
        Join the debate
      </button>
      <button type="submit" name="role" value="observer" className="button" disabled={busy}>
        Just watch
      </button>
    </div>
  );
}

function JoinForm({ error, displayName }: { error?: string; displayName?: string }) {
  return (
    <Form method="post" className="join-form callout">
      <DisplayNameField label="Pick a display name to take part" defaultValue={displayName} invalid={!!error} />
      <JoinChoice />
      <FormError message={error} />
      <p className="muted">No account or email needed. Until you join, you are watching as an observer.</p>
    </Form>
  );
}

/** What a non-participant sees of a private debate: a join-code form, and nothing of its content. */
function PrivateGate({ error, field, displayName }: { error?: string; field?: string; displayName?: string }) {
  return (
    <section className="page narrow">
      <p className="muted">
        <Link to="/">All debates</Link>
      </p>
      <h1>Private debate</h1>
      <p className="lede">Enter the join code your facilitator gave you, and the name others will see.</p>
      <Form method="post" className="join-form callout" aria-label="Join this private debate">
        <label className="field">
          <span>Enter the join code</span>
          <input name="joinCode" required maxLength={JOIN_CODE_INPUT_MAX_CHARS} placeholder="ABCD-EFGH" autoComplete="off" autoCapitalize="characters" spellCheck={false} className="join-code-input" aria-invalid={field === "joinCode" || undefined} />
        </label>
        <DisplayNameField label="Your display name" defaultValue={displayName} invalid={field === "displayName" || undefined} />
        <JoinChoice />
        <FormError message={error} />
      </Form>
    </section>
  );
}

export default function Debate({ loaderData, actionData }: Route.ComponentProps) {
  const joinData = actionData && "displayName" in actionData ? actionData : undefined;
  if ("gate" in loaderData) return <PrivateGate error={joinData?.error?.message} field={joinData?.error?.field} displayName={joinData?.displayName} />;
  return <LiveDebate loaderData={loaderData} actionData={actionData} />;
}

type LiveData = Exclude<Route.ComponentProps["loaderData"], { gate: "private" }>;

function LiveDebate({ loaderData, actionData }: { loaderData: LiveData; actionData: Route.ComponentProps["actionData"] }) {
  const { debate, share, formKey } = loaderData;
  const formError = actionData && "formError" in actionData ? actionData.formError : undefined;
  const joinData = actionData && "displayName" in actionData ? actionData : undefined;
  const { state, actions, unconfirmed, openReports, endedBy, describe, latest } = useDebateLive(loaderData);
  // The reader's unconfirmed operations, shown on the controls and items themselves (issue 19).
  const pending = pendingOf(unconfirmed, state.arguments, state.me?.id ?? null);
  const [active, setActive] = useState<string | null>(null);
  const [ranking, setRanking] = useState<ArgumentRanking | null>(null);
  const me = state.me;
  const status = state.settings.status;
  const facilitator = isFacilitatorRole(me?.role);
  // The controls are exactly what `decide` allows (app/shared/permissions.ts, the rules the server enforces):
  // on the debate as a whole here, on each proposition below (a locked one refuses more). A removed participant is nobody.
  const who = me && !me.removed ? me : null;
  const onDebate = allowedActions(who, { status });
  const allArgs = Object.values(state.arguments);
  // The phase of a classroom or Oxford debate (app/shared/phases.ts): its rules join the decision; none for an open board.
  const phase: PhaseFacts | undefined = state.phase.phase ? { format: state.phase.format, name: state.phase.phase.name, resultsShown: state.phase.resultsShown } : undefined;
  const openPoll = phase ? (phaseRules(phase.format, phase.name).motionStages[0] ?? null) : null;
  // While live, each waiting operation shows on its own control or item; the count is for when the connection is down.
  const waiting = state.status === "live" ? 0 : unconfirmed.length;

  return (
    <section className="page debate-page">
      <header className="debate-header">
        <div>
          <p className="muted">
            <Link to="/">All debates</Link>
            {" · "}
            <Link to={`/debates/${debate.id}/results`} data-testid="results-link">
              Results and opinion groups
            </Link>
            {facilitator ? (
              <>
                {" · "}
                <Link to={`/debates/${debate.id}/edit`}>Review propositions</Link>
                {" · "}
                <Link to={`/debates/${debate.id}/settings`}>Settings and participants</Link>
                {" · "}
                <Link to={`/debates/${debate.id}/moderation`} data-testid="moderation-link">
                  Moderation{openReports ? ` (${openReports} open ${openReports === 1 ? "report" : "reports"})` : ""}
                </Link>
              </>
            ) : null}
          </p>
          <ExportMenu debateId={debate.id} facilitator={facilitator} />
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
        {/* One strip under the title: connection, who is here (hosts and facilitators badged), who you are. */}
        <div className="presence-box">
          {/* A slot of fixed size: the connection, and what waits in the outbox when not live (an overlay list). */}
          <div className="connection-slot">
            <span className={`connection connection-${state.status}${waiting ? " connection-waiting" : ""}`} role="status" data-testid="connection-status" data-status={state.status}>
              {describeConnection(state.status, waiting, status === "closed")}
            </span>
            {waiting ? (
              <details className="outbox-details">
                <summary>What is waiting</summary>
                <ul className="outbox-list">
                  {unconfirmed.map((op) => (
                    <li key={op.opId}>{describe(op)}</li>
                  ))}
                </ul>
              </details>
            ) : null}
          </div>
          {/* One line whatever the number of names: it never reflows the header (the full list is still read out). */}
          <p className="presence">
            <span data-testid="presence-count" className="count">{state.presence.length} here</span>
            {state.presence.length ? ": " : ""}
            {state.presence.slice(0, 8).map((p, i) => (
              <span key={p.id}>
                {i ? ", " : ""}
                <bdi>{p.displayName}</bdi>
                <RoleBadge role={p.role} />
                {p.id === me?.id ? " (you)" : ""}
              </span>
            ))}
            {state.presence.length > 8 ? ` and ${state.presence.length - 8} more` : ""}
          </p>
          {me ? (
            <p className="muted you-are">
              You are <bdi>{me.displayName}</bdi>.
            </p>
          ) : null}
        </div>
      </header>

      {status === "closed" ? (
        <p className="closed-banner" role="status" data-testid="closed-banner">
          This debate is closed: it can be read but not changed.{facilitator ? " You can reopen it." : ""}
        </p>
      ) : null}
      {endedBy && !me?.removed ? (
        <p className="closed-banner" role="alert" data-testid="connection-ended-banner">
          {endedBy} <a href={`/debates/${debate.id}`}>Reload the page</a>
        </p>
      ) : null}
      {me?.removed ? (
        <p className="closed-banner" role="alert" data-testid="removed-banner">
          You were removed from this debate by a facilitator. You can still read what is on this page, but no longer take part.
        </p>
      ) : me?.muted ? (
        <p className="muted-banner" role="status" data-testid="muted-banner">
          You are muted: a facilitator has paused your posting in this debate. You can still read, vote, rate and report.
        </p>
      ) : null}
      {facilitator && !me?.removed ? (
        <div className="facilitator-bar">
          {share ? <SharePanel share={share} settingsPath={`/debates/${debate.id}/settings`} /> : null}
          {onDebate.has(Action.closeDebate) ? (
            <details className="close-debate">
              <summary className="button">Close the debate…</summary>
              <p>Everyone can still read it, but nobody can post or vote until you reopen it.</p>
              <button type="button" className="button button-danger" onClick={() => void actions.closeDebate({})}>
                Yes, close the debate
              </button>
            </details>
          ) : status === "closed" && onDebate.has(Action.reopenDebate) ? (
            <button type="button" className="button button-primary" onClick={() => void actions.reopenDebate({})}>
              Reopen the debate
            </button>
          ) : null}
        </div>
      ) : null}

      {phase ? (
        <PhaseBanner
          phase={state.phase}
          clockOffsetMs={state.clockOffsetMs}
          facilitator={facilitator && !me?.removed}
          runRefusal={decide(who, Action.runPhases, { status, phase })}
          onAction={(action, version) => actions.changePhase({ action, version })}
        />
      ) : null}
      {phase && facilitator && who ? <ShowResultsControl phase={state.phase} refusal={decide(who, Action.runPhases, { status, phase })} onShow={(version) => actions.showResults({ version })} /> : null}
      {state.motion && phase ? (
        <MotionPanel
          motion={state.motion}
          stage={openPoll}
          refusal={openPoll ? decide(who, Action.castMotionVote, { status, phase, motionStage: openPoll }) : decide(who, Action.castMotionVote, { status, phase })}
          mine={state.myMotion}
          onVote={(stage, value) => actions.castMotionVote({ stage, value })}
        />
      ) : null}

      <ReadTracker debateId={debate.id} enabled={!!who && who.role !== "observer"} />
      {state.phase.format === "workshop" || state.decisions.length ? (
        <DecisionPanel decisions={state.decisions} propositions={state.propositions} arguments={state.arguments} meId={who?.id ?? null} runRefusal={decide(who, Action.runDecisions, { status, phase })} respondRefusal={decide(who, Action.respondToDecision, { status, phase })} actions={actions} />
      ) : null}
      {!me ? <JoinForm error={joinData?.error?.message} displayName={joinData?.displayName} /> : null}
      {formError ? (
        <p className="closed-banner" role="alert" data-testid="form-error">
          {formError.error.message} <a href={`#${formError.anchor}`}>Back to where you were</a>
        </p>
      ) : null}

      <div className="debate-layout">
        <div className="propositions-pane">
          <h2>
            Propositions <span className="muted">({state.propositions.length})</span>
          </h2>
          {state.propositions.length === 0 ? <p className="empty">This debate has no propositions yet.</p> : null}
          {state.propositions.length ? <ArgumentOrderPicker debateId={debate.id} args={allArgs} onRanking={setRanking} /> : null}
          {/* One column (phones): the propositions come first, the article is one tap away. */}
          <p className="narrow-only">
            <a href="#article">Read the article</a>
          </p>
          <LiveAnnouncer propositions={state.propositions} args={allArgs} meId={me?.id ?? null} />
          <ol className="proposition-list">
            {state.propositions.map((p, i) => {
              const args = allArgs.filter((a) => a.propositionId === p.id);
              const allowed = allowedActions(who, { status, propositionLocked: p.locked, phase });
              // A new top-level argument: refused by a rebut phase even where rebuttals are taken; said, not hidden.
              const topLevelRefusal = phase && allowedActions(who, { status, propositionLocked: p.locked }).has(Action.postArgument) ? decide(who, Action.postArgument, { status, propositionLocked: p.locked, phase, topLevel: true }) : null;
              return (
                <li key={p.id} id={`prop-${p.id}`} className={`proposition${p.locked ? " proposition-locked" : ""}`} onFocus={() => setActive(p.id)} onMouseEnter={() => setActive(p.id)}>
                  <h3 className="proposition-text">
                    <span className="proposition-number">{i + 1}</span> {p.text}
                    {p.locked ? (
                      <span className="lock-badge" data-testid="lock-badge" title="A facilitator locked this proposition: no more arguments or votes on it for now.">
                        Locked
                      </span>
                    ) : null}
                  </h3>
                  {p.sourceSpan && p.sourceSpan.start >= debate.thesis.span.start && p.sourceSpan.end <= debate.thesis.span.end ? (
                    <p className="narrow-only proposition-source-link">
                      <a href={`#span-${p.id}`}>Where the article says this</a>
                    </p>
                  ) : null}
                  {allowed.has(Action.lockProposition) ? (
                    <p className="proposition-tools">
                      <button type="button" className="button button-small" onClick={() => void actions.lockProposition({ propositionId: p.id, locked: !p.locked })} aria-label={`${p.locked ? "Unlock" : "Lock"} proposition ${i + 1}`}>
                        {p.locked ? "Unlock" : "Lock"}
                      </button>
                    </p>
                  ) : null}
                  <VoteBar
                    propositionId={p.id}
                    opId={formOpId(formKey, `vote:${p.id}`)}
                    propositionNumber={i + 1}
                    tally={p.tally}
                    mine={state.myVotes[p.id]}
                    canVote={allowed.has(Action.castVote)}
                    pending={pending.votes.has(p.id)}
                    onVote={(value) => actions.castVote({ propositionId: p.id, value: latest().myVotes[p.id] === value ? null : value })}
                  />
                  <MemoArgumentColumns
                    propositionId={p.id}
                    propositionNumber={i + 1}
                    formKey={formKey}
                    args={args}
                    ranking={ranking}
                    actions={{
                      allowed,
                      meId: me?.id ?? null,
                      myRatings: state.myRatings,
                      pendingRatings: pending.ratings,
                      pendingPosts: pending.posts.filter((post) => post.propositionId === p.id),
                      formOpId: (form) => formOpId(formKey, form),
                      postArgument: actions.postArgument,
                      pressRating: (argumentId, value) => actions.rateArgument({ argumentId, value: latest().myRatings[argumentId] === value ? null : value }),
                      editArgument: (argumentId, body) => actions.editArgument({ argumentId, body }),
                    }}
                    moderation={{
                      debateId: debate.id,
                      role: me?.role ?? null,
                      deleteArgument: (argumentId) => actions.deleteArgument({ argumentId }),
                      reportArgument: (argumentId, reason) => actions.reportArgument({ argumentId, reason }),
                      hideArgument: (argumentId, reason) => actions.hideArgument({ argumentId, reason }),
                      unhideArgument: (argumentId) => actions.unhideArgument({ argumentId }),
                      formOpId: (form) => formOpId(formKey, form),
                    }}
                  />
                  {topLevelRefusal ? (
                    <p className="phase-refusal muted" data-testid="phase-refusal">
                      <button type="button" className="button" disabled aria-describedby={`why-${p.id}`}>
                        Add an argument
                      </button>{" "}
                      <span id={`why-${p.id}`}>{topLevelRefusal}</span>
                    </p>
                  ) : allowed.has(Action.postArgument) ? (
                    <details className="new-argument">
                      <summary className="button">Add an argument</summary>
                      <ArgumentComposer idPrefix={`new-${p.id}`} opId={formOpId(formKey, `post:${p.id}`)} propositionId={p.id} defaultStance="pro" label={`New argument on proposition ${i + 1}`} onSubmit={actions.postArgument} />
                    </details>
                  ) : null}
                </li>
              );
            })}
          </ol>
        </div>
        {/* After the propositions in reading and tab order; shown on the left on wide screens. */}
        <aside className="article-pane" id="article" aria-label="The article's thesis section">
          <h2>{debate.thesis.heading ?? "The article"}</h2>
          <SourceText sourceText={debate.sourceText} span={debate.thesis.span} propositions={state.propositions} activeId={active} />
        </aside>
      </div>
    </section>
  );
}
