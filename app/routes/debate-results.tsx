/**
 * What the debate concluded (issue 11): per proposition its tally as a chart
 * (with a table for screen readers), its strongest arguments for and against,
 * how many took part, sorted by agreement, division or activity; the opinion
 * groups (sizes, representative propositions, consensus, divisive) and the
 * opinion map. Live: re-reads when new groups are stored or tallies change.
 *
 * `?view=projector`: large type, no controls, the whole board; `&p=N` shows
 * proposition N alone (arrow keys move between propositions). Readable by
 * everyone who can read the debate; facilitators may mark propositions as
 * meta (left out of the groups) here.
 */
import { useEffect } from "react";
import { data, Form, Link, useNavigate, useSearchParams } from "react-router";
import type { Route } from "./+types/debate-results";
import { ChartPatterns, TallyChart, TallyTable } from "~/components/results/TallyChart";
import { GROUP_COLOURS, GROUP_SHAPES, groupName, OpinionMap } from "~/components/results/OpinionMap";
import { useResultsLiveWithClock } from "~/components/results/useResultsLive";
import { isFacilitatorRole } from "~/shared/permissions";
import { isAppError } from "~/shared/errors";
import { PhaseBanner } from "~/components/debate/PhaseBanner";
import { MotionResults } from "~/components/debate/Motion";
import { DecisionResults } from "~/components/debate/DecisionPanel";
import { ChangedMinds } from "~/components/results/ChangedMinds";
import { formResult, orRespond, readForm } from "~/utils/errors.server";
import { currentParticipant } from "~/utils/participant.server";
import { FormError } from "~/components/FormError";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `Results: ${data && "results" in data ? data.results.title : "debate"} — Steelman` }];

const SORTS = {
  order: "Debate order",
  agreement: "Agreement",
  division: "Division",
  activity: "Activity",
} as const;
type Sort = keyof typeof SORTS;
/** Propositions shown before "Show all" (imported conversations have hundreds). */
const FIRST_PAGE = 40;

export async function loader({ params, request, context }: Route.LoaderArgs) {
  const me = await currentParticipant(context, request, params.debateId);
  await orRespond(() => context.services.requireReadable(params.debateId, me));
  const phase = await orRespond(() => context.services.getPhaseState(params.debateId));
  // A classroom or Oxford debate shows its results from the results phase on (Action.readResults): until then, say why.
  try {
    await context.services.getResults(params.debateId, me);
  } catch (error) {
    if (isAppError(error) && error.code === "forbidden") return data({ hidden: error.message, debateId: params.debateId, phase }, { status: 403 });
    throw error;
  }
  const [results, groups] = await Promise.all([
    orRespond(() => context.services.getResults(params.debateId, me)),
    orRespond(() => context.services.getOpinionGroups(params.debateId, me)),
  ]);
  const facilitator = isFacilitatorRole(me?.role);
  // Names on the map only for the debate's own facilitators.
  const names = facilitator ? Object.fromEntries((await context.services.listParticipants(me, params.debateId)).map((p) => [p.id, p.displayName])) : null;
  return { results, groups, facilitator, names, phase, me: me ? { id: me.id, displayName: me.displayName } : null };
}

export async function action({ params, request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const me = await currentParticipant(context, request, params.debateId);
  switch (form.get("intent")) {
    case "meta": {
      const propositionId = String(form.get("propositionId") ?? "");
      const result = await formResult(() => context.services.setPropositionMeta(me, propositionId, { meta: form.get("meta") === "true" }));
      return result.ok ? { ok: true as const, error: null } : { ok: false as const, error: result.error };
    }
    default:
      return { ok: false as const, error: { code: "validation_failed", message: "Unknown action on the results page." } };
  }
}

const pct = (share: number) => `${Math.round(share * 100)}%`;

function sorted<T extends { position: number; agreement: number; division: number; activity: number }>(list: T[], sort: Sort): T[] {
  const key = sort === "order" ? (p: T) => -p.position : (p: T) => p[sort];
  return [...list].sort((a, b) => key(b) - key(a) || a.position - b.position);
}

export default function DebateResults({ loaderData, actionData }: Route.ComponentProps) {
  if ("hidden" in loaderData) return <HiddenResults {...loaderData} />;
  return <ShownResults loaderData={loaderData} actionData={actionData} />;
}

/** The results page while the phase hides the results: the reason and the phase, kept live. */
function HiddenResults({ hidden, debateId, phase }: { hidden: string; debateId: string; phase: Route.ComponentProps["loaderData"]["phase"] }) {
  const { clockOffsetMs } = useResultsLiveWithClock(debateId);
  return (
    <section className="page narrow" data-testid="results-hidden">
      <p className="muted">
        <Link to={`/debates/${debateId}`}>Back to the debate</Link>
      </p>
      <h1>Results</h1>
      <p className="callout" role="status">
        {hidden}
      </p>
      <PhaseBanner phase={phase} clockOffsetMs={clockOffsetMs} runRefusal="Run the phases from the debate page." facilitator={false} />
    </section>
  );
}

type ShownData = Exclude<Route.ComponentProps["loaderData"], { hidden: string }>;

function ShownResults({ loaderData, actionData }: { loaderData: ShownData; actionData: Route.ComponentProps["actionData"] }) {
  const { results, groups, facilitator, names, phase } = loaderData;
  const { status: connection, clockOffsetMs } = useResultsLiveWithClock(results.debateId, groups.status === "pending");
  const [searchParams] = useSearchParams();
  const sort = (Object.keys(SORTS).includes(searchParams.get("sort") ?? "") ? searchParams.get("sort") : "order") as Sort;
  const projector = searchParams.get("view") === "projector";
  const all = searchParams.get("all") === "1";
  const list = sorted(results.propositions, sort);
  const textOf = new Map(results.propositions.map((p) => [p.id, p.text]));
  const numberOf = new Map(results.propositions.map((p) => [p.id, p.position + 1]));
  const base = `/debates/${results.debateId}/results`;

  if (projector) {
    return (
      <Projector results={results} list={list} sort={sort} base={base} single={searchParams.get("p")} connection={connection}>
        {phase.phase ? <PhaseBanner phase={phase} clockOffsetMs={clockOffsetMs} runRefusal={null} facilitator={facilitator} large /> : null}
      </Projector>
    );
  }

  const shown = all ? list : list.slice(0, FIRST_PAGE);
  return (
    <section className="page results-page">
      <ChartPatterns />
      <header className="debate-header">
        <p className="muted">
          <Link to={`/debates/${results.debateId}`}>Back to the debate</Link>
          {" · "}
          <Link to={`${base}?view=projector&sort=${sort}`}>Projector mode</Link>
        </p>
        <h1>Results: {results.title}</h1>
        <p className="results-summary">
          <strong>{results.tookPart}</strong> {results.tookPart === 1 ? "person" : "people"} took part · <strong>{results.voters}</strong> voted · <strong>{results.votes}</strong> votes on{" "}
          <strong>{results.propositions.length}</strong> propositions{" "}
          <span className={`connection connection-${connection}`} role="status">
            {connection === "live" ? "Live" : connection === "connecting" ? "Connecting…" : "Offline: reload for the latest"}
          </span>
        </p>
      </header>

      {phase.phase ? <PhaseBanner phase={phase} clockOffsetMs={clockOffsetMs} runRefusal="Run the phases from the debate page." facilitator={facilitator} /> : null}
      {results.motion ? <MotionResults motion={results.motion} /> : null}
      <ChangedMinds data={results.changedMinds} debateId={results.debateId} />
      <DecisionResults decisions={results.decisions} citedArguments={results.citedArguments} />

      <OpinionGroupsSection groups={groups} textOf={textOf} numberOf={numberOf} names={names} />

      <BridgingSection bridging={results.bridging} numberOf={numberOf} />

      <h2 id="propositions-heading">Propositions</h2>
      <nav aria-label="Sort propositions" className="sort-nav">
        Sort by:{" "}
        {(Object.keys(SORTS) as Sort[]).map((s) => (
          <Link key={s} to={`${base}?sort=${s}${all ? "&all=1" : ""}`} aria-current={s === sort ? "page" : undefined} className={`button button-small${s === sort ? " button-primary" : ""}`}>
            {SORTS[s]}
          </Link>
        ))}
      </nav>
      <FormError message={actionData?.error?.message} />
      <ol className="result-list" aria-labelledby="propositions-heading">
        {shown.map((p) => (
          <li key={p.id} className="result-card" data-testid="result-card">
            <h3>
              <span className="proposition-number">{p.position + 1}</span> {p.text}
              {p.meta ? <span className="tag">meta: not in the groups</span> : null}
              {p.hidden ? <span className="tag">hidden</span> : null}
            </h3>
            <TallyChart tally={p.tally} />
            <TallyTable tally={p.tally} caption={`Votes on proposition ${p.position + 1}`} />
            <p className="muted">
              {p.tally.total} votes · {pct(p.agreement)} agree · division {pct(p.division)} · {p.argumentCounts.pro} for, {p.argumentCounts.con} against
            </p>
            <div className="strongest">
              <StrongestArgument label="Strongest for" argument={p.strongest.pro} />
              <StrongestArgument label="Strongest against" argument={p.strongest.con} />
            </div>
            {facilitator ? (
              <Form method="post" className="meta-form">
                <input type="hidden" name="intent" value="meta" />
                <input type="hidden" name="propositionId" value={p.id} />
                <input type="hidden" name="meta" value={p.meta ? "false" : "true"} />
                <button type="submit" className="button button-small">
                  {p.meta ? "Include in the opinion groups" : "Mark as meta (about the participants)"}
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ol>
      {!all && list.length > FIRST_PAGE ? (
        <p>
          <Link to={`${base}?sort=${sort}&all=1`}>Show all {list.length} propositions</Link>
        </p>
      ) : null}
    </section>
  );
}

function StrongestArgument({ label, argument }: { label: string; argument: { excerpt: string; author: string; up: number; down: number } | null }) {
  return (
    <div className="strongest-argument">
      <h4>{label}</h4>
      {argument ? (
        <blockquote>
          <p>{argument.excerpt}</p>
          <footer className="muted">
            {argument.author} · {argument.up} up, {argument.down} down
          </footer>
        </blockquote>
      ) : (
        <p className="empty">None yet.</p>
      )}
    </div>
  );
}

function BridgingSection({ bridging, numberOf }: { bridging: ShownData["results"]["bridging"]; numberOf: Map<string, number> }) {
  return (
    <section className="bridging" aria-labelledby="bridging-heading" data-testid="bridging">
      <h2 id="bridging-heading">Arguments that convinced people across groups</h2>
      {bridging.method === "wilson" ? (
        <p className="muted" data-testid="bridging-fallback">
          {bridging.reason ?? "Too few ratings to tell who convinces across the divide; ranked by up-votes (Wilson lower bound) instead."}
        </p>
      ) : (
        <p className="muted">Ranked by how helpful people on different sides found them (Community Notes' method), from {bridging.activeRaters} raters.</p>
      )}
      {bridging.arguments.length ? (
        <ol>
          {bridging.arguments.map((a) => (
            <li key={a.id}>
              <strong>{a.stance === "pro" ? "For" : "Against"} proposition {numberOf.get(a.propositionId) ?? "?"}</strong>: {a.excerpt}{" "}
              <span className="muted">
                ({a.author} · {a.up} up, {a.down} down{a.helpfulAcrossDivide ? " · helpful on both sides" : ""})
              </span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="empty">No argument has been rated yet.</p>
      )}
    </section>
  );
}

function OpinionGroupsSection({
  groups,
  textOf,
  numberOf,
  names,
}: {
  groups: ShownData["groups"];
  textOf: Map<string, string>;
  numberOf: Map<string, number>;
  names: Record<string, string> | null;
}) {
  const label = (id: string) => `${numberOf.has(id) ? `${numberOf.get(id)}. ` : ""}${textOf.get(id) ?? "(a hidden proposition)"}`;
  return (
    <section className="opinion-groups" aria-labelledby="groups-heading" data-testid="opinion-groups">
      <h2 id="groups-heading">Opinion groups</h2>
      {groups.status === "pending" ? (
        <p role="status">The opinion groups are being computed; this page updates by itself.</p>
      ) : groups.status === "too-few-votes" ? (
        <p role="status">No opinion groups yet: {groups.reason ?? "too few votes."}</p>
      ) : (
        <>
          <p className="muted">
            {groups.participantsClustered} participants grouped by how they voted (Polis's method), computed <time dateTime={groups.computedAt ?? undefined}>{groups.computedAt ? new Date(groups.computedAt).toISOString().slice(11, 19) : ""} UTC</time>.
            {groups.you ? ` You are in ${groups.you.groupId === null ? "no group yet (vote on more propositions)" : groupName(groups.you.groupId)}.` : ""}
          </p>
          <div className="groups-layout">
            <OpinionMap
              dots={groups.map}
              you={groups.you}
              propositions={groups.propositions}
              propositionText={(id) => textOf.get(id)}
              names={names ? new Map(Object.entries(names)) : undefined}
            />
            <div className="group-cards">
              {groups.groups.map((g) => (
                <article key={g.id} className="group-card" data-testid="group-card" style={{ borderTopColor: GROUP_COLOURS[g.id % GROUP_COLOURS.length] }}>
                  <h3>
                    {groupName(g.id)} ({GROUP_SHAPES[g.id % GROUP_SHAPES.length]}s on the map): {g.size} {g.size === 1 ? "person" : "people"}
                  </h3>
                  {g.representative.length ? (
                    <ul>
                      {g.representative.map((r) => (
                        <li key={r.propositionId}>
                          <strong>{r.direction === "agree" ? `${pct(r.agreeShare)} agree` : `${pct(r.disagreeShare)} disagree`}</strong>: {label(r.propositionId)}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p className="empty">No proposition sets this group apart.</p>
                  )}
                </article>
              ))}
            </div>
          </div>
          <div className="consensus-divisive">
            <section>
              <h3>Common ground (a majority of every group)</h3>
              {groups.consensus.length ? (
                <ul>
                  {groups.consensus.slice(0, 10).map((c) => (
                    <li key={c.propositionId}>
                      <strong>{c.direction === "agree" ? "All groups agree" : "All groups disagree"}</strong>: {label(c.propositionId)}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="empty">No proposition has a majority in every group.</p>
              )}
            </section>
            <section>
              <h3>Where the groups split</h3>
              {groups.divisive.length ? (
                <ul>
                  {groups.divisive.slice(0, 10).map((d) => (
                    <li key={d.propositionId}>
                      {label(d.propositionId)}{" "}
                      <span className="muted">({d.groups.map((g) => `${groupName(g.groupId)} ${pct(g.agreeShare)} agree`).join(", ")})</span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="empty">No proposition splits the groups.</p>
              )}
            </section>
          </div>
        </>
      )}
    </section>
  );
}

function Projector({
  results,
  list,
  sort,
  base,
  single,
  connection,
  children,
}: {
  children?: React.ReactNode;
  results: ShownData["results"];
  list: ShownData["results"]["propositions"];
  sort: Sort;
  base: string;
  single: string | null;
  connection: string;
}) {
  const navigate = useNavigate();
  const index = single !== null ? Math.min(Math.max(1, Number(single) || 1), Math.max(1, list.length)) : null;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        const next = index === null ? 1 : e.key === "ArrowRight" ? Math.min(list.length, index + 1) : Math.max(1, index - 1);
        void navigate(`${base}?view=projector&sort=${sort}&p=${next}`, { replace: true });
      } else if (e.key === "Escape") {
        void navigate(index === null ? `${base}?sort=${sort}` : `${base}?view=projector&sort=${sort}`, { replace: true });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [index, list.length, navigate, base, sort]);
  const shown = index === null ? list.slice(0, 12) : list.slice(index - 1, index);
  return (
    <main className={`projector${index === null ? " projector-board" : " projector-single"}`} data-testid="projector" data-connection={connection}>
      <ChartPatterns />
      <h1>{results.title}</h1>
      {children}
      {results.motion && index === null ? <MotionResults motion={results.motion} large /> : null}
      <p className="projector-summary">
        {results.tookPart} took part · {results.votes} votes{index !== null ? ` · proposition ${index} of ${list.length}` : ""}
      </p>
      <ol className="projector-list">
        {shown.map((p) => (
          <li key={p.id} className="projector-card">
            <h2>
              <span className="proposition-number">{p.position + 1}</span> {p.text}
            </h2>
            <TallyChart tally={p.tally} width={index === null ? 640 : 1200} height={index === null ? 56 : 110} fontSize={index === null ? 18 : 32} />
            <TallyTable tally={p.tally} caption={`Votes on proposition ${p.position + 1}`} />
            <p className="projector-figures">
              {p.tally.agree} agree · {p.tally.disagree} disagree · {p.tally.unsure} unsure
            </p>
            {index !== null ? (
              <div className="strongest">
                <StrongestArgument label="Strongest for" argument={p.strongest.pro} />
                <StrongestArgument label="Strongest against" argument={p.strongest.con} />
              </div>
            ) : null}
          </li>
        ))}
      </ol>
    </main>
  );
}
