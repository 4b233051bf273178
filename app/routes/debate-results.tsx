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
import { useEffect, type ReactNode } from "react";
import { data, Form, Link, useNavigate, useSearchParams } from "react-router";
import type { Route } from "./+types/debate-results";
import { ChartPatterns, TallyChart, TallyTable } from "~/components/results/TallyChart";
import { GROUP_COLOURS, GROUP_SHAPES, groupName, OpinionMap } from "~/components/results/OpinionMap";
import { Sentence } from "~/components/results/Sentence";
import { useResultsLiveWithClock } from "~/components/results/useResultsLive";
import { isFacilitatorRole } from "~/shared/permissions";
import { resultsRefusal, type Refusal } from "~/shared/phases";
import { isAppError } from "~/shared/errors";
import { PhaseBanner, RUN_FROM_DEBATE_PAGE } from "~/components/debate/PhaseBanner";
import { MotionResults } from "~/components/debate/Motion";
import { DecisionResults } from "~/components/debate/DecisionPanel";
import { ChangedMinds } from "~/components/results/ChangedMinds";
import { formResult, orRespond, readForm } from "~/utils/errors.server";
import { currentParticipant } from "~/utils/participant.server";
import { FormError } from "~/components/FormError";
import { pageTitle } from "~/i18n/meta";
import { useFormat, useT, type MessageKey, type Translate } from "~/i18n/react";
import { useRefusalText } from "~/i18n/refusal";
import { useContentLanguage } from "~/i18n/content-language";
import { serverMessage } from "~/i18n/errors.server";

export const meta: Route.MetaFunction = ({ data, matches }) => [
  { title: data && "results" in data ? pageTitle(matches, "results.titled", { title: data.results.title }) : pageTitle(matches, "results.heading") },
];

/** The sort orders, each with its button's catalogue message. */
const SORTS = {
  order: "results.sort.order",
  agreement: "results.sort.agreement",
  division: "results.sort.division",
  activity: "results.sort.activity",
} as const satisfies Record<string, MessageKey>;
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
    if (isAppError(error) && error.code === "forbidden") {
      // Only the phase refuses Action.readResults to someone who may read the debate: its Refusal, which the page
      // puts in its language (the service's error is the same sentence in English; kept if it is another one).
      const why = resultsRefusal({ format: phase.format, name: phase.phase?.name ?? null, resultsShown: phase.resultsShown });
      const hidden: Refusal | string = why && why.text === error.message ? why : error.message;
      return data({ hidden, debateId: params.debateId, phase }, { status: 403 });
    }
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
      return { ok: false as const, error: { code: "validation_failed", message: serverMessage("results.unknownAction") } };
  }
}

/** A share (0–1) as a whole percentage in the page's locale. */
function usePercent(): (share: number) => string {
  const f = useFormat();
  return (share: number) => f.number(share, { style: "percent", maximumFractionDigits: 0 });
}

function sorted<T extends { position: number; agreement: number; division: number; activity: number }>(list: T[], sort: Sort): T[] {
  const key = sort === "order" ? (p: T) => -p.position : (p: T) => p[sort];
  return [...list].sort((a, b) => key(b) - key(a) || a.position - b.position);
}

export default function DebateResults({ loaderData, actionData }: Route.ComponentProps) {
  if ("hidden" in loaderData) return <HiddenResults {...loaderData} />;
  return <ShownResults loaderData={loaderData} actionData={actionData} />;
}

/** The results page while the phase hides the results: the reason and the phase, kept live. */
function HiddenResults({ hidden, debateId, phase }: { hidden: Refusal | string; debateId: string; phase: Route.ComponentProps["loaderData"]["phase"] }) {
  const { clockOffsetMs } = useResultsLiveWithClock(debateId);
  const t = useT();
  const refusalText = useRefusalText();
  return (
    <section className="page narrow" data-testid="results-hidden">
      <p className="muted">
        <Link to={`/debates/${debateId}`}>{t("results.back")}</Link>
      </p>
      <h1>{t("results.heading")}</h1>
      <p className="callout" role="status">
        {typeof hidden === "string" ? hidden : refusalText(hidden)}
      </p>
      <PhaseBanner phase={phase} clockOffsetMs={clockOffsetMs} runRefusal={RUN_FROM_DEBATE_PAGE} facilitator={false} />
    </section>
  );
}

type ShownData = Exclude<Route.ComponentProps["loaderData"], { hidden: unknown }>;

function ShownResults({ loaderData, actionData }: { loaderData: ShownData; actionData: Route.ComponentProps["actionData"] }) {
  const { results, groups, facilitator, names, phase } = loaderData;
  const { status: connection, clockOffsetMs } = useResultsLiveWithClock(results.debateId, groups.status === "pending");
  const t = useT();
  const f = useFormat();
  const pct = usePercent();
  const contentLanguage = useContentLanguage();
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
          <Link to={`/debates/${results.debateId}`}>{t("results.back")}</Link>
          {" · "}
          <Link to={`${base}?view=projector&sort=${sort}`}>{t("results.projectorLink")}</Link>
        </p>
        <h1>
          <Sentence id="results.titled" nodes={{ title: <bdi lang={contentLanguage}>{results.title}</bdi> }} />
        </h1>
        <p className="results-summary">
          <Sentence id="results.summary.tookPart" values={{ count: results.tookPart }} nodes={{ n: <strong>{f.number(results.tookPart)}</strong> }} />
          {" · "}
          <Sentence id="results.summary.voted" values={{ count: results.voters }} nodes={{ n: <strong>{f.number(results.voters)}</strong> }} />
          {" · "}
          <Sentence id="results.summary.votes" values={{ count: results.votes }} nodes={{ n: <strong>{f.number(results.votes)}</strong> }} />
          {" · "}
          <Sentence id="results.summary.propositions" values={{ count: results.propositions.length }} nodes={{ n: <strong>{f.number(results.propositions.length)}</strong> }} />{" "}
          <span className={`connection connection-${connection}`} role="status">
            {connection === "live" ? t("connection.live") : connection === "connecting" ? t("connection.connecting") : t("results.connection.offline")}
          </span>
        </p>
      </header>

      {phase.phase ? <PhaseBanner phase={phase} clockOffsetMs={clockOffsetMs} runRefusal={RUN_FROM_DEBATE_PAGE} facilitator={facilitator} /> : null}
      {results.motion ? <MotionResults motion={results.motion} /> : null}
      <ChangedMinds data={results.changedMinds} debateId={results.debateId} />
      <DecisionResults decisions={results.decisions} citedArguments={results.citedArguments} />

      <OpinionGroupsSection groups={groups} textOf={textOf} numberOf={numberOf} names={names} />

      <BridgingSection bridging={results.bridging} numberOf={numberOf} />

      <h2 id="propositions-heading">{t("debate.propositions")}</h2>
      <nav aria-label={t("results.sortNav")} className="sort-nav">
        {t("results.sortBy")}{" "}
        {(Object.keys(SORTS) as Sort[]).map((s) => (
          <Link key={s} to={`${base}?sort=${s}${all ? "&all=1" : ""}`} aria-current={s === sort ? "page" : undefined} className={`button button-small${s === sort ? " button-primary" : ""}`}>
            {t(SORTS[s])}
          </Link>
        ))}
      </nav>
      <FormError message={actionData?.error?.message} />
      <ol className="result-list" aria-labelledby="propositions-heading">
        {shown.map((p) => (
          <li key={p.id} className="result-card" data-testid="result-card">
            <h3>
              <span className="proposition-number">{f.number(p.position + 1)}</span> <span lang={contentLanguage}>{p.text}</span>
              {p.meta ? <span className="tag">{t("results.tag.meta")}</span> : null}
              {p.hidden ? <span className="tag">{t("results.tag.hidden")}</span> : null}
            </h3>
            <TallyChart tally={p.tally} />
            <TallyTable tally={p.tally} caption={t("results.tableCaption", { n: p.position + 1 })} />
            <p className="muted">
              {t("results.figures", { total: p.tally.total, agreement: pct(p.agreement), division: pct(p.division), pro: p.argumentCounts.pro, con: p.argumentCounts.con })}
            </p>
            <div className="strongest">
              <StrongestArgument label={t("results.strongestFor")} argument={p.strongest.pro} />
              <StrongestArgument label={t("results.strongestAgainst")} argument={p.strongest.con} />
            </div>
            {facilitator ? (
              <Form method="post" className="meta-form">
                <input type="hidden" name="intent" value="meta" />
                <input type="hidden" name="propositionId" value={p.id} />
                <input type="hidden" name="meta" value={p.meta ? "false" : "true"} />
                <button type="submit" className="button button-small">
                  {p.meta ? t("results.includeInGroups") : t("results.markMeta")}
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ol>
      {!all && list.length > FIRST_PAGE ? (
        <p>
          <Link to={`${base}?sort=${sort}&all=1`}>{t("results.showAll", { count: list.length })}</Link>
        </p>
      ) : null}
    </section>
  );
}

function StrongestArgument({ label, argument }: { label: string; argument: { excerpt: string; author: string; up: number; down: number } | null }) {
  const t = useT();
  const contentLanguage = useContentLanguage();
  return (
    <div className="strongest-argument">
      <h4>{label}</h4>
      {argument ? (
        <blockquote>
          <p lang={contentLanguage}>{argument.excerpt}</p>
          <footer className="muted">
            <bdi>{argument.author}</bdi> · {t("results.upDown", { up: argument.up, down: argument.down })}
          </footer>
        </blockquote>
      ) : (
        <p className="empty">{t("results.noneYet")}</p>
      )}
    </div>
  );
}

function BridgingSection({ bridging, numberOf }: { bridging: ShownData["results"]["bridging"]; numberOf: Map<string, number> }) {
  const t = useT();
  const contentLanguage = useContentLanguage();
  const needed = bridging.needed;
  return (
    <section className="bridging" aria-labelledby="bridging-heading" data-testid="bridging">
      <h2 id="bridging-heading">{t("results.bridging.heading")}</h2>
      {bridging.method === "wilson" ? (
        <p className="muted" data-testid="bridging-fallback">
          {needed
            ? t("results.bridging.tooFew", { activeRaters: bridging.activeRaters, ratingsPerRater: needed.ratingsPerRater, ratersPerArgument: needed.ratersPerArgument, needed: needed.activeRaters })
            : t("results.bridging.fallback")}
        </p>
      ) : (
        <p className="muted">{t("results.bridging.method", { count: bridging.activeRaters })}</p>
      )}
      {bridging.arguments.length ? (
        <ol>
          {bridging.arguments.map((a) => (
            <li key={a.id}>
              <strong>{t("results.bridging.entry", { stance: a.stance, n: String(numberOf.get(a.propositionId) ?? "?") })}</strong>: <span lang={contentLanguage}>{a.excerpt}</span>{" "}
              <span className="muted">
                (<bdi>{a.author}</bdi> · {t("results.upDown", { up: a.up, down: a.down })}
                {a.helpfulAcrossDivide ? ` · ${t("results.bridging.helpfulBothSides")}` : ""})
              </span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="empty">{t("results.bridging.none")}</p>
      )}
    </section>
  );
}

/** Why there are no opinion groups yet, in the page's language. */
function tooFewText(t: Translate, groups: ShownData["groups"]): string {
  const why = groups.tooFew;
  if (!why) return t("results.groups.tooFew.unknown");
  if (why.kind === "samePoint") return t("results.groups.tooFew.samePoint");
  return t(why.kind === "propositions" ? "results.groups.tooFew.propositions" : "results.groups.tooFew.participants", { needed: why.needed, has: why.has });
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
  const t = useT();
  const f = useFormat();
  const pct = usePercent();
  const contentLanguage = useContentLanguage();
  const label = (id: string): ReactNode => {
    const text = textOf.get(id);
    const n = numberOf.get(id);
    return (
      <>
        {n !== undefined ? `${f.number(n)}. ` : ""}
        {text === undefined ? t("results.hiddenProposition") : <span lang={contentLanguage}>{text}</span>}
      </>
    );
  };
  return (
    <section className="opinion-groups" aria-labelledby="groups-heading" data-testid="opinion-groups">
      <h2 id="groups-heading">{t("results.groups.heading")}</h2>
      {groups.status === "pending" ? (
        <p role="status">{t("results.groups.pending")}</p>
      ) : groups.status === "too-few-votes" ? (
        <p role="status">{tooFewText(t, groups)}</p>
      ) : (
        <>
          <p className="muted">
            <Sentence
              id="results.groups.summary"
              values={{ count: groups.participantsClustered }}
              nodes={{ time: <time dateTime={groups.computedAt ?? undefined}>{groups.computedAt ? new Date(groups.computedAt).toISOString().slice(11, 19) : ""}</time> }}
            />
            {groups.you ? ` ${groups.you.groupId === null ? t("results.groups.youInNone") : t("results.groups.youIn", { group: groupName(t, groups.you.groupId) })}` : ""}
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
                  <h3>{t("results.group.heading", { group: groupName(t, g.id), shape: GROUP_SHAPES[g.id % GROUP_SHAPES.length]!, count: g.size })}</h3>
                  {g.representative.length ? (
                    <ul>
                      {g.representative.map((r) => (
                        <li key={r.propositionId}>
                          <strong>{r.direction === "agree" ? t("results.group.agree", { share: pct(r.agreeShare) }) : t("results.group.disagree", { share: pct(r.disagreeShare) })}</strong>: {label(r.propositionId)}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p className="empty">{t("results.group.nothingApart")}</p>
                  )}
                </article>
              ))}
            </div>
          </div>
          <div className="consensus-divisive">
            <section>
              <h3>{t("results.consensus.heading")}</h3>
              {groups.consensus.length ? (
                <ul>
                  {groups.consensus.slice(0, 10).map((c) => (
                    <li key={c.propositionId}>
                      <strong>{c.direction === "agree" ? t("results.consensus.agree") : t("results.consensus.disagree")}</strong>: {label(c.propositionId)}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="empty">{t("results.consensus.none")}</p>
              )}
            </section>
            <section>
              <h3>{t("results.divisive.heading")}</h3>
              {groups.divisive.length ? (
                <ul>
                  {groups.divisive.slice(0, 10).map((d) => (
                    <li key={d.propositionId}>
                      {label(d.propositionId)}{" "}
                      <span className="muted">({f.list(d.groups.map((g) => t("results.divisive.share", { group: groupName(t, g.groupId), share: pct(g.agreeShare) })), { type: "unit" })})</span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="empty">{t("results.divisive.none")}</p>
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
  const t = useT();
  const f = useFormat();
  const contentLanguage = useContentLanguage();
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
      <h1 lang={contentLanguage}>{results.title}</h1>
      {children}
      {results.motion && index === null ? <MotionResults motion={results.motion} large /> : null}
      <p className="projector-summary">
        {t("results.projector.summary", { tookPart: results.tookPart, votes: results.votes })}
        {index !== null ? ` · ${t("results.projector.position", { n: index, total: list.length })}` : ""}
      </p>
      <ol className="projector-list">
        {shown.map((p) => (
          <li key={p.id} className="projector-card">
            <h2>
              <span className="proposition-number">{f.number(p.position + 1)}</span> <span lang={contentLanguage}>{p.text}</span>
            </h2>
            <TallyChart tally={p.tally} width={index === null ? 640 : 1200} height={index === null ? 56 : 110} fontSize={index === null ? 18 : 32} />
            <TallyTable tally={p.tally} caption={t("results.tableCaption", { n: p.position + 1 })} />
            <p className="projector-figures">{t("results.projector.figures", { agree: p.tally.agree, disagree: p.tally.disagree, unsure: p.tally.unsure })}</p>
            {index !== null ? (
              <div className="strongest">
                <StrongestArgument label={t("results.strongestFor")} argument={p.strongest.pro} />
                <StrongestArgument label={t("results.strongestAgainst")} argument={p.strongest.con} />
              </div>
            ) : null}
          </li>
        ))}
      </ol>
      {index === null ? <ChangedMinds data={results.changedMinds} debateId={results.debateId} projector /> : null}
    </main>
  );
}
