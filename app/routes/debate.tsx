import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { DebateSearch } from "~/components/debate/DebateSearch";
import { ArgumentOrderPicker, type ArgumentRanking } from "~/components/debate/ArgumentOrder";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/debate";
import { ArgumentComposer } from "~/components/debate/ArgumentComposer";
import { MemoArgumentColumns } from "~/components/debate/ArgumentTree";
import { VoteBar } from "~/components/debate/VoteBar";
import { SourceText, whenRendered } from "~/components/SourceText";
import { useDebateLive } from "~/realtime/useDebateLive";
import type { ConnectionStatus } from "~/realtime/live-state";
import { LIMITS } from "~/shared/constants";
import { JOIN_CODE_INPUT_MAX_CHARS } from "~/shared/constants";
import { Action, allowedActions, decideRefusal, isFacilitatorRole } from "~/shared/permissions";
import { phaseRules, type PhaseFacts } from "~/shared/phases";
import { ReadTracker } from "~/components/debate/ReadTracker";
import { formResult, readForm } from "~/utils/errors.server";
import { participantCookie } from "~/utils/participant.server";
import { FormError } from "~/components/FormError";
import { RoleBadge } from "~/components/debate/RoleBadge";
import { LiveAnnouncer } from "~/components/debate/LiveAnnouncer";
import { isDebateFormIntent, runDebateForm } from "~/utils/debate-forms.server";
import { formOpId } from "~/shared/form-op-id";
import { pendingOf } from "~/realtime/pending";
import type { ArgumentReader } from "~/realtime/argument-reader";
import { LazyArguments } from "~/components/debate/LazyArguments";
import { ExportMenu } from "~/components/debate/ExportMenu";
import { PropositionList, VIRTUALISE_ABOVE, type PropositionListHandle } from "~/components/debate/PropositionList";
import type { ArgumentDTO } from "~/shared/contract";
import { loadDebatePage } from "~/utils/debate-page.server";
import { useRouteLoaderData } from "react-router";
import { pageTitle } from "~/i18n/meta";
import { useFormat, useT, type Translate } from "~/i18n/react";
import { refusalText } from "~/i18n/refusal";
import type { loader as rootLoader } from "~/root";

// Phases, workshop decisions, the Oxford motion and teams are in some debates only, the Share panel and "show results
// now" for facilitators only: their code loads when the page shows them, not
// with every debate page (its first-load budget, scripts/js-budget.ts). The server renders them
// as usual, and hydration keeps the server's HTML in place until a chunk arrives. A live update reaching a
// panel before its chunk would make React drop that HTML (the panel would blink), so the live connection
// opens after the chunks of the panels on the first render have arrived (`startAfter` below;
// docs/decisions/0045-whole-document-rendering.md).
const panelChunks = {
  decision: () => import("~/components/debate/DecisionPanel"),
  phase: () => import("~/components/debate/PhaseBanner"),
  motion: () => import("~/components/debate/Motion"),
  teams: () => import("~/components/debate/TeamsPanel"),
  share: () => import("~/components/debate/SharePanel"),
  showResults: () => import("~/components/debate/ShowResultsControl"),
};
type PanelName = keyof typeof panelChunks;
const DecisionPanel = lazy(() => panelChunks.decision().then((m) => ({ default: m.DecisionPanel })));
const PhaseBanner = lazy(() => panelChunks.phase().then((m) => ({ default: m.PhaseBanner })));
const MotionPanel = lazy(() => panelChunks.motion().then((m) => ({ default: m.MotionPanel })));
const TeamsPanel = lazy(() => panelChunks.teams().then((m) => ({ default: m.TeamsPanel })));
const SharePanel = lazy(() => panelChunks.share().then((m) => ({ default: m.SharePanel })));
const ShowResultsControl = lazy(() => panelChunks.showResults().then((m) => ({ default: m.ShowResultsControl })));

/**
 * Resolves when the chunks of `panels` have arrived and React has had a moment (a 20 ms timer, after
 * the retry it schedules when a chunk arrives) to hydrate them. A chunk that fails to load resolves too.
 */
function panelsHydrated(panels: readonly PanelName[]): Promise<void> {
  if (!panels.length) return Promise.resolve();
  return Promise.allSettled(panels.map((name) => panelChunks[name]())).then(() => new Promise((resolve) => setTimeout(resolve, 20)));
}

export const meta: Route.MetaFunction = ({ data, matches }) => [{ title: data && "debate" in data && data.debate ? `${data.debate.title} — Steelman` : pageTitle(matches, "debate.private") }];

export async function loader(args: Route.LoaderArgs) {
  return loadDebatePage(args, null);
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

/** The connection's state for the status pill, in the page's language (as describeConnection in app/realtime/live-client.ts). */
function connectionText(t: Translate, status: ConnectionStatus, waiting: number, debateClosed: boolean): string {
  if (debateClosed && !waiting) return status === "offline" ? t("connection.closedOffline") : t("connection.closed");
  switch (status) {
    default:
    case "live":
      return waiting ? t("connection.liveUnconfirmed", { count: waiting }) : t("connection.live");
    case "connecting":
      return t("connection.connecting");
    case "reconnecting":
      return waiting ? t("connection.reconnectingWaiting", { count: waiting }) : t("connection.reconnecting");
    case "offline":
      return waiting ? t("connection.offlineWaiting", { count: waiting }) : t("connection.offline");
  }
}

/** "You are <name>." with the name isolated (bdi) inside the translated sentence. */
function FormattedYouAre({ name }: { name: string }) {
  const t = useT();
  const [before, after = ""] = t("debate.youAre", { name: "\u0000" }).split("\u0000");
  return (
    <>
      {before}
      <bdi>{name}</bdi>
      {after}
    </>
  );
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
  const t = useT();
  return (
    <div className="toolbar">
      <button type="submit" className="button button-primary" disabled={busy}>
        {t("debate.join")}
      </button>
      <button type="submit" name="role" value="observer" className="button" disabled={busy}>
        {t("join.justWatch")}
      </button>
    </div>
  );
}

function JoinForm({ error, displayName }: { error?: string; displayName?: string }) {
  const t = useT();
  return (
    <Form method="post" className="join-form callout">
      <DisplayNameField label={t("debate.pickName")} defaultValue={displayName} invalid={!!error} />
      <JoinChoice />
      <FormError message={error} />
      <p className="muted">{t("debate.joinHint")}</p>
    </Form>
  );
}

/**
 * What a non-participant sees of a private debate: a join-code form, and nothing of its content;
 * someone a facilitator removed from it (`removed`) is told so instead of being offered the form.
 */
function PrivateGate({ error, field, displayName, removed }: { error?: string; field?: string; displayName?: string; removed?: boolean }) {
  const t = useT();
  return (
    <section className="page narrow">
      <p className="muted">
        <Link to="/">{t("join.allDebates")}</Link>
      </p>
      <h1>{t("debate.private")}</h1>
      {removed ? (
        <p className="closed-banner" role="alert" data-testid="removed-banner">
          {t("errors.participant.removed")}
        </p>
      ) : (
        <>
          <p className="lede">{t("debate.privateLede")}</p>
          <Form method="post" className="join-form callout" aria-label={t("debate.privateFormLabel")}>
            <label className="field">
              <span>{t("debate.enterCode")}</span>
              <input name="joinCode" required maxLength={JOIN_CODE_INPUT_MAX_CHARS} placeholder="ABCD-EFGH" autoComplete="off" autoCapitalize="characters" spellCheck={false} className="join-code-input" aria-invalid={field === "joinCode" || undefined} />
            </label>
            <DisplayNameField label={t("join.displayName")} defaultValue={displayName} invalid={field === "displayName" || undefined} />
            <JoinChoice />
            <FormError message={error} />
          </Form>
        </>
      )}
    </section>
  );
}

export default function Debate({ loaderData, actionData }: Route.ComponentProps) {
  const joinData = actionData && "displayName" in actionData ? actionData : undefined;
  if ("gate" in loaderData) return <PrivateGate error={joinData?.error?.message} field={joinData?.error?.field} displayName={joinData?.displayName} removed={loaderData.removed} />;
  return <LiveDebate loaderData={loaderData} actionData={actionData} />;
}

type LiveData = Exclude<Route.ComponentProps["loaderData"], { gate: "private" }>;

function LiveDebate({ loaderData, actionData }: { loaderData: LiveData; actionData: Route.ComponentProps["actionData"] }) {
  const { debate, share, formKey } = loaderData;
  const formError = actionData && "formError" in actionData ? actionData.formError : undefined;
  const joinData = actionData && "displayName" in actionData ? actionData : undefined;
  // The lazy panels of the first render, filled in below; the live connection waits for their code.
  const firstPanels = useRef<PanelName[] | null>(null);
  const { state, actions, unconfirmed, openReports, endedBy, describe, latest, reader } = useDebateLive(loaderData, { startAfter: () => panelsHydrated(firstPanels.current ?? []) });
  const { frame } = state;
  // A big debate (issue 14): the arguments of a deep link's chain, the list's handle, the page order of arguments.
  const list = useRef<PropositionListHandle>(null);
  const onProposition = useCallback((id: string) => showProposition(state.propositions, id, list), [state.propositions]);
  const focus = useDeepLink(loaderData.focus, state.propositions, reader, list);
  // The reader's unconfirmed operations, shown on the controls and items themselves (issue 19).
  const pending = pendingOf(unconfirmed, state.arguments, state.me?.id ?? null);
  // Highlights a proposition in the article: the article's state, not the page's (SourceText `highlight`).
  const highlight = useRef<(id: string) => void>(null);
  const [ranking, setRanking] = useState<ArgumentRanking | null>(null);
  const pageOrder = ranking ? "top" : "oldest";
  const me = state.me;
  // Removed by a facilitator: while on the page (the live update), or back later with their old cookie (the loader).
  const removed = !!me?.removed || (!me && loaderData.removed);
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
  // Which lazy panels this render shows; the first render's list is what the live connection waits for.
  const shows: Record<PanelName, boolean> = {
    share: facilitator && !me?.removed && !!share,
    phase: !!phase,
    showResults: !!(phase && facilitator && who),
    motion: !!(state.motion && phase),
    decision: state.phase.format === "workshop" || state.decisions.length > 0,
    // Only for facilitators and team members: otherwise its code is not loaded at all (TeamsPanel would show nothing).
    teams: !!((facilitator && who) || (who && state.teams.some((team) => team.members.some((m) => m.id === who.id)))),
  };
  if (firstPanels.current === null) firstPanels.current = (Object.keys(shows) as PanelName[]).filter((name) => shows[name]);
  const t = useT();
  const f = useFormat();
  // The debate's own language (its facilitator's setting) marks the article and the arguments (`lang`), whatever the interface's.
  const contentLanguage = useRouteLoaderData<typeof rootLoader>("root")?.debateLanguage ?? undefined;

  return (
    <section className="page debate-page">
      <header className="debate-header">
        <div>
          <p className="muted">
            <Link to="/">{t("join.allDebates")}</Link>
            {" · "}
            <Link to={`/debates/${debate.id}/results`} data-testid="results-link">
              {t("debate.resultsLink")}
            </Link>
            {facilitator ? (
              <>
                {" · "}
                <Link to={`/debates/${debate.id}/edit`}>{t("debate.reviewLink")}</Link>
                {" · "}
                <Link to={`/debates/${debate.id}/settings`}>{t("debate.settingsLink")}</Link>
                {" · "}
                <Link to={`/debates/${debate.id}/moderation`} data-testid="moderation-link">
                  {openReports ? t("debate.moderationLinkReports", { count: openReports }) : t("debate.moderationLink")}
                </Link>
              </>
            ) : null}
          </p>
          <ExportMenu debateId={debate.id} facilitator={facilitator} />
          <h1 lang={contentLanguage}>{debate.title}</h1>
          {debate.sourceUrl ? (
            <p className="muted">
              {t("debate.source")}{" "}
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
              {connectionText(t, state.status, waiting, status === "closed")}
            </span>
            {waiting ? (
              <details className="outbox-details">
                <summary>{t("debate.whatIsWaiting")}</summary>
                <ul className="outbox-list">
                  {unconfirmed.map((op) => {
                    const words = describe(op);
                    return <li key={op.opId}>{t(words.id, words.values)}</li>;
                  })}
                </ul>
              </details>
            ) : null}
          </div>
          {/* One line whatever the number of names: it never reflows the header (the full list is still read out). */}
          <p className="presence">
            <span data-testid="presence-count" className="count">{t("debate.presenceCount", { count: state.presence.length })}</span>
            {state.presence.length ? t("debate.presenceSeparator") : ""}
            {state.presence.slice(0, 8).map((p, i) => (
              <span key={p.id}>
                {i ? ", " : ""}
                <bdi>{p.displayName}</bdi>
                <RoleBadge role={p.role} />
                {p.id === me?.id ? ` ${t("debate.you")}` : ""}
              </span>
            ))}
            {state.presence.length > 8 ? ` ${t("debate.andMore", { count: state.presence.length - 8 })}` : ""}
          </p>
          {me ? (
            <p className="muted you-are">
              <FormattedYouAre name={me.displayName} />
            </p>
          ) : null}
        </div>
      </header>

      {status === "closed" ? (
        <p className="closed-banner" role="status" data-testid="closed-banner">
          {t("debate.closed")}
          {facilitator ? ` ${t("debate.closedReopen")}` : ""}
        </p>
      ) : null}
      {endedBy && !me?.removed ? (
        <p className="closed-banner" role="alert" data-testid="connection-ended-banner">
          {"message" in endedBy ? endedBy.message : t(endedBy.id)} <a href={`/debates/${debate.id}`}>{t("debate.reload")}</a>
        </p>
      ) : null}
      {removed ? (
        <p className="closed-banner" role="alert" data-testid="removed-banner">
          {t("debate.removed")}
        </p>
      ) : me?.muted ? (
        <p className="muted-banner" role="status" data-testid="muted-banner">
          {t("debate.muted")}
        </p>
      ) : null}
      {facilitator && !me?.removed ? (
        <div className="facilitator-bar">
          {shows.share && share ? (
            <Suspense fallback={null}>
              <SharePanel share={share} settingsPath={`/debates/${debate.id}/settings`} />
            </Suspense>
          ) : null}
          {onDebate.has(Action.closeDebate) ? (
            <details className="close-debate">
              <summary className="button">{t("debate.close")}</summary>
              <p>{t("debate.closeExplain")}</p>
              <button type="button" className="button button-danger" onClick={() => void actions.closeDebate({})}>
                {t("debate.closeConfirm")}
              </button>
            </details>
          ) : status === "closed" && onDebate.has(Action.reopenDebate) ? (
            <button type="button" className="button button-primary" onClick={() => void actions.reopenDebate({})}>
              {t("debate.reopen")}
            </button>
          ) : null}
        </div>
      ) : null}

      {shows.phase ? (
        <Suspense fallback={null}>
          <PhaseBanner
              phase={state.phase}
              clockOffsetMs={state.clockOffsetMs}
              facilitator={facilitator && !me?.removed}
              runRefusal={decideRefusal(who, Action.runPhases, { status, phase })}
              onAction={(action, version) => actions.changePhase({ action, version })}
            />
        </Suspense>
      ) : null}
      {shows.showResults && phase ? (
        <Suspense fallback={null}>
          <ShowResultsControl phase={state.phase} refusal={decideRefusal(who, Action.runPhases, { status, phase })} onShow={(version) => actions.showResults({ version })} />
        </Suspense>
      ) : null}
      {shows.motion && state.motion ? (
        <Suspense fallback={null}>
          <MotionPanel
              motion={state.motion}
              stage={openPoll}
              refusal={openPoll ? decideRefusal(who, Action.castMotionVote, { status, phase, motionStage: openPoll }) : decideRefusal(who, Action.castMotionVote, { status, phase })}
              mine={state.myMotion}
              onVote={(stage, value) => actions.castMotionVote({ stage, value })}
            />
        </Suspense>
      ) : null}

      <ReadTracker debateId={debate.id} enabled={!!who && who.role !== "observer"} />
      {shows.decision ? (
        <Suspense fallback={null}>
          <DecisionPanel decisions={state.decisions} propositions={state.propositions} arguments={state.arguments} meId={who?.id ?? null} runRefusal={decideRefusal(who, Action.runDecisions, { status, phase })} respondRefusal={decideRefusal(who, Action.respondToDecision, { status, phase })} actions={actions} />
        </Suspense>
      ) : null}
      {shows.teams ? (
        <Suspense fallback={null}>
          <TeamsPanel debateId={debate.id} teams={state.teams} teamsSeq={state.teamsSeq} meId={who?.id ?? null} facilitator={facilitator && !!who} propositions={state.propositions} manageRefusal={decideRefusal(who, Action.manageTeams, { status, phase })} draftRefusal={decideRefusal(who, Action.draftInTeam, { status, phase })} actions={actions} />
        </Suspense>
      ) : null}
      {!me && !removed ? <JoinForm error={joinData?.error?.message} displayName={joinData?.displayName} /> : null}
      {formError ? (
        <p className="closed-banner" role="alert" data-testid="form-error">
          {formError.error.message} <a href={`#${formError.anchor}`}>{t("debate.backToWhere")}</a>
        </p>
      ) : null}

      <div className="debate-layout">
        <div className="propositions-pane">
          <h2>
            {t("debate.propositions")} <span className="muted">({f.number(state.propositions.length)})</span>
          </h2>
          {state.propositions.length === 0 ? <p className="empty">{t("debate.noPropositions")}</p> : null}
          {state.propositions.length ? <ArgumentOrderPicker debateId={debate.id} args={allArgs} onRanking={setRanking} /> : null}
          {/* One column (phones): the propositions come first, the article is one tap away. */}
          <p className="narrow-only">
            <a href="#article">{t("debate.readArticle")}</a>
          </p>
          {/* Arguments read from a page (a big debate) are not news: only live ones are announced. */}
          <LiveAnnouncer propositions={state.propositions} args={frame.complete ? allArgs : allArgs.filter((a) => !frame.fetched[a.id])} meId={me?.id ?? null} />
          {state.propositions.length ? (
            <DebateSearch
                debateId={debate.id}
                initial={loaderData.search}
                numberOf={(id) => {
                  const i = state.propositions.findIndex((p) => p.id === id);
                  return i < 0 ? null : i + 1;
                }}
                onProposition={onProposition}
              />
          ) : null}
          <PropositionList
            ref={list}
            items={state.propositions}
            from={loaderData.from}
            render={(p, i, itemProps) => {
              const args = allArgs.filter((a) => a.propositionId === p.id);
              const allowed = allowedActions(who, { status, propositionLocked: p.locked, phase });
              // A new top-level argument: refused by a rebut phase even where rebuttals are taken; said, not hidden.
              const hover = () => highlight.current?.(p.id);
              const topLevelRefusal = phase && allowedActions(who, { status, propositionLocked: p.locked }).has(Action.postArgument) ? refusalText(t, decideRefusal(who, Action.postArgument, { status, propositionLocked: p.locked, phase, topLevel: true })) : null;
              return (
                <li key={p.id} {...itemProps} id={`prop-${p.id}`} className={`proposition${p.locked ? " proposition-locked" : ""}`} onFocus={hover} onMouseEnter={hover}>
                  <h3 className="proposition-text">
                    <span className="proposition-number">{f.number(i + 1)}</span> <span lang={contentLanguage}>{p.text}</span>
                    {p.locked ? (
                      <span className="lock-badge" data-testid="lock-badge" title={t("debate.lockedTitle")}>
                        {t("debate.locked")}
                      </span>
                    ) : null}
                  </h3>
                  {p.sourceSpan && p.sourceSpan.start >= debate.thesis.span.start && p.sourceSpan.end <= debate.thesis.span.end ? (
                    <p className="narrow-only proposition-source-link">
                      <a href={`#span-${p.id}`}>{t("debate.whereArticle")}</a>
                    </p>
                  ) : null}
                  {allowed.has(Action.lockProposition) ? (
                    <p className="proposition-tools">
                      <button type="button" className="button button-small" onClick={() => void actions.lockProposition({ propositionId: p.id, locked: !p.locked })} aria-label={p.locked ? t("debate.unlockLabel", { n: i + 1 }) : t("debate.lockLabel", { n: i + 1 })}>
                        {p.locked ? t("debate.unlock") : t("debate.lock")}
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
                  <LazyArguments propositionId={p.id} propositionNumber={i + 1} frame={frame} order={pageOrder} reader={reader}>
                  <MemoArgumentColumns
                    propositionId={p.id}
                    propositionNumber={i + 1}
                    formKey={formKey}
                    args={args}
                    ranking={ranking}
                    counts={frame.complete ? null : frame.counts[p.id]}
                    actions={{
                      replies: frame.complete ? undefined : { counts: frame.replyCounts, load: (argumentId) => reader.replies(p.id, argumentId) },
                      focusId: focus,
                      fetched: frame.complete ? undefined : frame.fetched,
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
                  </LazyArguments>
                  {topLevelRefusal ? (
                    <p className="phase-refusal muted" data-testid="phase-refusal">
                      <button type="button" className="button" disabled aria-describedby={`why-${p.id}`}>
                        {t("debate.addArgument")}
                      </button>{" "}
                      <span id={`why-${p.id}`}>{topLevelRefusal}</span>
                    </p>
                  ) : allowed.has(Action.postArgument) ? (
                    <details className="new-argument">
                      <summary className="button">{t("debate.addArgument")}</summary>
                      <ArgumentComposer idPrefix={`new-${p.id}`} opId={formOpId(formKey, `post:${p.id}`)} propositionId={p.id} defaultStance="pro" label={t("debate.newArgumentLabel", { n: i + 1 })} onSubmit={actions.postArgument} />
                    </details>
                  ) : null}
                </li>
              );
            }}
          />
        </div>
        {/* After the propositions in reading and tab order; shown on the left on wide screens. */}
        <aside className="article-pane" id="article" aria-label={t("debate.articlePane")}>
          <h2>{debate.thesis.heading ? <span lang={contentLanguage}>{debate.thesis.heading}</span> : t("debate.theArticle")}</h2>
          <SourceText highlight={highlight} lang={contentLanguage} sourceText={debate.sourceText} span={debate.thesis.span} propositions={state.propositions} onProposition={state.propositions.length > VIRTUALISE_ABOVE ? onProposition : undefined} />
        </aside>
      </div>
    </section>
  );
}

/**
 * Brings proposition `id` into the DOM and the view (the list may be virtualised), then focuses its
 * heading's list item.
 */
function showProposition(propositions: readonly { id: string }[], id: string, list: React.RefObject<PropositionListHandle | null>) {
  const index = propositions.findIndex((p) => p.id === id);
  if (index < 0) return;
  list.current?.reveal(index);
  whenRendered(`prop-${id}`, (element) => {
    element.scrollIntoView({ block: "start" });
    if (!element.hasAttribute("tabindex")) element.setAttribute("tabindex", "-1");
    element.focus({ preventScroll: true });
  });
}

/**
 * A deep link (`/debates/:id/arguments/:argumentId`): the argument and its ancestors (read by the
 * loader) join the live state, also after a client-side navigation, which keeps the live client;
 * its proposition is brought into view and the argument is scrolled to and focused.
 * @returns the argument to highlight, or null.
 */
function useDeepLink(focus: { argumentId: string; propositionId: string; chain: (ArgumentDTO & { replyCount: number })[] } | null, propositions: readonly { id: string }[], reader: ArgumentReader, list: React.RefObject<PropositionListHandle | null>): string | null {
  const argumentId = focus?.argumentId ?? null;
  useEffect(() => {
    if (!focus) return;
    reader.receive({ type: "fetched", arguments: focus.chain });
    const index = propositions.findIndex((p) => p.id === focus.propositionId);
    // A long list is virtualised once its code has loaded (PropositionList): wait for it, then bring the proposition in.
    let cancelled = false;
    const start = (frames: number) => {
      if (cancelled) return;
      if (propositions.length > VIRTUALISE_ABOVE && !list.current && frames > 0) return void requestAnimationFrame(() => start(frames - 1));
      if (index >= 0) list.current?.reveal(index);
      whenRendered(`arg-${focus.argumentId}`, (element) => {
        if (cancelled) return;
        element.scrollIntoView({ block: "center" });
        element.focus({ preventScroll: true });
      }, 120);
    };
    start(300);
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per deep link
  }, [argumentId]);
  return argumentId;
}
