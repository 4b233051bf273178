/**
 * Teams and small groups on the debate page (issue 13, docs/decisions/0073-teams.md).
 *
 * Facilitators see every team at once: they create teams with a side, split the debaters at
 * random into balanced teams, change a team's side, move a member with a select (the move carries
 * the team the page showed, so a stale move is refused with a reason) and delete teams; they read
 * every team's drafts. A participant in a team sees their team, its side, its members and its
 * drafts, drafts arguments in the team's space and publishes a draft to the debate.
 *
 * The teams come live with the page (`teams.updated`); draft texts never travel over the socket:
 * the panel re-reads `GET /api/debates/:id/teams` whenever the teams change (`teamsSeq`).
 * Controls are offered as `decide` allows; a refused or failed send says why, in an alert.
 */
import { FormError } from "~/components/FormError";
import { useEffect, useId, useState } from "react";
import type { Ack, ArgumentDTO, PropositionDTO, Stance } from "~/shared/contract";
import type { TeamDraftDTO, TeamDTO, TeamsViewDTO } from "~/shared/teams";
import { useT, type Translate } from "~/i18n/react";
import { useRefusalText } from "~/i18n/refusal";
import type { Refusal } from "~/shared/phases";

export interface TeamActions {
  manageTeams(p: Record<string, unknown> & { action: "create" | "random" | "update" | "delete" | "assign" }): Promise<Ack<TeamsViewDTO>>;
  draftTeamArgument(p: { teamId: string; propositionId: string; stance: Stance; text: string }): Promise<Ack<TeamDraftDTO>>;
  publishTeamDraft(p: { teamId: string; draftId: string }): Promise<Ack<ArgumentDTO>>;
}

export interface TeamsPanelProps {
  debateId: string;
  teams: TeamDTO[];
  /** The change number that last changed the teams: the drafts are re-read when it moves. */
  teamsSeq: number;
  meId: string | null;
  facilitator: boolean;
  /** The debate's propositions in page order (numbered from 1). */
  propositions: PropositionDTO[];
  /** Null when the viewer may manage teams (Action.manageTeams), otherwise why not. */
  manageRefusal: Refusal | null;
  /** Null when the viewer may draft in a team (Action.draftInTeam), otherwise why not. */
  draftRefusal: Refusal | null;
  actions: TeamActions;
}

const excerpt = (text: string, max = 70) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const sideWords = (t: Translate, side: Stance | null) => t("teams.sideWords", { side: side ?? "none" });

/** Reads the teams view (drafts the reader may see) each time `seq` moves. */
function useTeamsView(debateId: string, seq: number, enabled: boolean): { view: TeamsViewDTO | null; reload: () => void } {
  const [view, setView] = useState<TeamsViewDTO | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    fetch(`/api/debates/${debateId}/teams`, { signal: controller.signal, credentials: "same-origin" })
      .then((r) => (r.ok ? (r.json() as Promise<TeamsViewDTO>) : null))
      .then((v) => {
        if (v) setView(v);
      })
      .catch(() => {
        // Aborted, or offline: the next change or reconnect reads again.
      });
    return () => controller.abort();
  }, [debateId, seq, enabled, tick]);
  return { view, reload: () => setTick((t) => t + 1) };
}

/** The teams panel: every team for facilitators; one's own team and its space for a member. */
export function TeamsPanel(props: TeamsPanelProps) {
  const { debateId, teams, teamsSeq, meId, facilitator } = props;
  const myTeam = meId ? (teams.find((t) => t.members.some((m) => m.id === meId)) ?? null) : null;
  const { view, reload } = useTeamsView(debateId, teamsSeq, facilitator || myTeam !== null);
  const t = useT();
  if (!facilitator && !myTeam) return null;
  const drafts = view?.drafts ?? [];
  // Before there are teams, a facilitator's panel stays folded: most debates have none.
  if (facilitator && teams.length === 0) {
    return (
      <details className="teams-panel callout" data-testid="teams-panel">
        <summary>
          <h2 id="teams-heading" className="teams-summary">
            {t("teams.summary")}
          </h2>
        </summary>
        <FacilitatorTeams {...props} view={view} drafts={drafts} onChanged={reload} />
      </details>
    );
  }
  return (
    <section className="teams-panel callout" aria-labelledby="teams-heading" data-testid="teams-panel">
      <h2 id="teams-heading">{t(facilitator ? "teams.heading" : "teams.mine")}</h2>
      {facilitator ? <FacilitatorTeams {...props} view={view} drafts={drafts} onChanged={reload} /> : null}
      {myTeam && !facilitator ? <TeamSpace {...props} team={myTeam} drafts={drafts.filter((d) => d.teamId === myTeam.id)} onChanged={reload} /> : null}
    </section>
  );
}

/** The facilitator's view: new team, random split, and every team with its members and drafts. */
function FacilitatorTeams({ teams, propositions, manageRefusal, draftRefusal, actions, view, drafts, onChanged }: TeamsPanelProps & { view: TeamsViewDTO | null; drafts: TeamDraftDTO[]; onChanged: () => void }) {
  const id = useId();
  const [name, setName] = useState("");
  const [side, setSide] = useState<"" | Stance>("");
  const [count, setCount] = useState("2");
  const [error, setError] = useState<string | null>(null);
  const t = useT();
  const refusalText = useRefusalText();
  const run = async (payload: Parameters<TeamActions["manageTeams"]>[0]) => {
    setError(null);
    const ack = await actions.manageTeams(payload);
    if (!ack.ok) setError(ack.error.message);
    else onChanged();
    return ack.ok;
  };
  const unassigned = view?.unassigned ?? [];
  const options = [...teams.map((t) => ({ value: t.id, label: t.name })), { value: "", label: t("teams.noTeam") }];
  const numberOf = new Map(propositions.map((p, i) => [p.id, i + 1]));
  return (
    <>
      <p className="muted">{t("teams.intro")}</p>
      {manageRefusal ? <p className="muted">{refusalText(manageRefusal)}</p> : null}
      <FormError message={error} testId="teams-error" />
      {manageRefusal ? null : (
        <div className="teams-controls">
          <form
            className="teams-new"
            aria-label={t("teams.newTeam")}
            onSubmit={(e) => {
              e.preventDefault();
              void run({ action: "create", name, side: side || null }).then((ok) => ok && setName(""));
            }}
          >
            <label htmlFor={`${id}-name`}>{t("teams.name")}</label>
            <input id={`${id}-name`} value={name} maxLength={60} required onChange={(e) => setName(e.target.value)} />
            <label htmlFor={`${id}-side`}>{t("teams.side")}</label>
            <select id={`${id}-side`} value={side} onChange={(e) => setSide(e.target.value as "" | Stance)}>
              <option value="">{t("teams.eitherSide")}</option>
              <option value="pro">{t("teams.for")}</option>
              <option value="con">{t("teams.against")}</option>
            </select>
            <button type="submit" className="button">
              {t("teams.create")}
            </button>
          </form>
          <form
            className="teams-random"
            aria-label={t("teams.randomSplit")}
            onSubmit={(e) => {
              e.preventDefault();
              void run(teams.length ? { action: "random" } : { action: "random", count: Number(count) });
            }}
          >
            {teams.length ? null : (
              <>
                <label htmlFor={`${id}-count`}>{t("teams.count")}</label>
                <input id={`${id}-count`} type="number" min={2} max={30} value={count} onChange={(e) => setCount(e.target.value)} />
              </>
            )}
            <button type="submit" className="button">
              {teams.length ? t("teams.splitInto", { count: teams.length }) : t("teams.splitAtRandom")}
            </button>
          </form>
        </div>
      )}
      {teams.length === 0 ? <p className="empty">{t("teams.none")}</p> : null}
      <ul className="teams-grid">
        {teams.map((team) => (
          <li key={team.id} className="team-card" data-testid="team-card" aria-labelledby={`${id}-team-${team.id}`}>
            <h3 id={`${id}-team-${team.id}`}>{team.name}</h3>
            <p className="muted" data-testid="team-side">
              {sideWords(t, team.side)}
              {team.propositionIds.length ? ` · ${t("teams.propositions", { list: team.propositionIds.map((p) => numberOf.get(p) ?? "?").join(", ") })}` : ""}
            </p>
            {manageRefusal ? null : (
              <div className="team-actions">
                <label htmlFor={`${id}-side-${team.id}`}>{t("teams.sideOf", { name: team.name })}</label>
                <select id={`${id}-side-${team.id}`} value={team.side ?? ""} onChange={(e) => void run({ action: "update", teamId: team.id, side: (e.target.value || null) as Stance | null })}>
                  <option value="">{t("teams.eitherSide")}</option>
                  <option value="pro">{t("teams.for")}</option>
                  <option value="con">{t("teams.against")}</option>
                </select>
                <button type="button" className="button button-danger" onClick={() => void run({ action: "delete", teamId: team.id })}>
                  {t("teams.delete", { name: team.name })}
                </button>
              </div>
            )}
            {manageRefusal ? null : <TeamPropositions team={team} propositions={propositions} onSave={(propositionIds) => run({ action: "update", teamId: team.id, propositionIds })} />}
            <MemberList members={team.members} teamId={team.id} options={options} refusal={manageRefusal} onMove={(participantId, to) => run({ action: "assign", participantId, teamId: to, fromTeamId: team.id })} />
            <DraftList drafts={drafts.filter((d) => d.teamId === team.id)} propositions={propositions} refusal={draftRefusal} actions={actions} onChanged={onChanged} />
          </li>
        ))}
      </ul>
      {unassigned.length ? (
        <div className="team-card" data-testid="unassigned">
          <h3>{t("teams.inNoTeam")}</h3>
          <MemberList members={unassigned} teamId={null} options={options} refusal={manageRefusal} onMove={(participantId, to) => run({ action: "assign", participantId, teamId: to, fromTeamId: null })} />
        </div>
      ) : null}
    </>
  );
}

/** Which propositions a team works on (none ticked: all), as checkboxes saved together. */
function TeamPropositions({ team, propositions, onSave }: { team: TeamDTO; propositions: PropositionDTO[]; onSave: (ids: string[]) => Promise<boolean> }) {
  const [chosen, setChosen] = useState<string[]>(team.propositionIds);
  useEffect(() => setChosen(team.propositionIds), [team.propositionIds]);
  const t = useT();
  return (
    <details className="team-propositions">
      <summary>{t("teams.propositionsOf", { name: team.name })}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void onSave(chosen);
        }}
      >
        <fieldset>
          <legend className="muted">{t("teams.tick")}</legend>
          {propositions.map((p, i) => (
            <label key={p.id} className="team-proposition">
              <input type="checkbox" checked={chosen.includes(p.id)} onChange={(e) => setChosen(e.target.checked ? [...chosen, p.id] : chosen.filter((id) => id !== p.id))} /> {i + 1}. {excerpt(p.text)}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button">
          {t("teams.savePropositions", { name: team.name })}
        </button>
      </form>
    </details>
  );
}

/** Members with a "Move … to" select each (facilitators). */
function MemberList({ members, teamId, options, refusal, onMove }: { members: { id: string; displayName: string }[]; teamId: string | null; options: { value: string; label: string }[]; refusal: Refusal | null; onMove: (participantId: string, to: string | null) => Promise<boolean> }) {
  const id = useId();
  const t = useT();
  if (!members.length) return <p className="empty">{t("teams.noMembers")}</p>;
  return (
    <ul className="team-members" data-testid="team-members">
      {members.map((m) => (
        <li key={m.id}>
          <bdi data-testid="team-member">{m.displayName}</bdi>
          {refusal ? null : (
            <>
              {" "}
              <label htmlFor={`${id}-${m.id}`} className="visually-hidden">
                {t("teams.move", { name: m.displayName })}
              </label>
              <select id={`${id}-${m.id}`} value={teamId ?? ""} onChange={(e) => void onMove(m.id, e.target.value || null)}>
                {options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/** A team's drafts, each with "Publish to debate" until published. */
function DraftList({ drafts, propositions, refusal, actions, onChanged }: { drafts: TeamDraftDTO[]; propositions: PropositionDTO[]; refusal: Refusal | null; actions: TeamActions; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const numberOf = new Map(propositions.map((p, i) => [p.id, i + 1]));
  const t = useT();
  if (!drafts.length) return <p className="empty">{t("teams.noDrafts")}</p>;
  return (
    <>
      <FormError message={error} testId="team-publish-error" />
      <ol className="team-drafts" data-testid="team-drafts">
        {drafts.map((d) => (
          <li key={d.id} data-testid="team-draft">
            <p>
              <strong>{t(d.stance === "pro" ? "teams.for" : "teams.against")}</strong> {t("teams.draftOn", { n: numberOf.get(d.propositionId) ?? "?" })} <bdi>{d.author.displayName}</bdi>
            </p>
            <p className="team-draft-text">{d.text}</p>
            {d.publishedAt ? (
              <p className="muted" data-testid="team-draft-published">
                {t("teams.published")}
              </p>
            ) : refusal ? null : (
              <button
                type="button"
                className="button button-primary"
                onClick={() => {
                  setError(null);
                  void actions.publishTeamDraft({ teamId: d.teamId, draftId: d.id }).then((ack) => (ack.ok ? onChanged() : setError(ack.error.message)));
                }}
              >
                {t("teams.publish")}
              </button>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}

/** A member's team space: the team, its side, a draft form and the team's drafts. */
function TeamSpace({ team, propositions, draftRefusal, actions, drafts, onChanged }: TeamsPanelProps & { team: TeamDTO; drafts: TeamDraftDTO[]; onChanged: () => void }) {
  const id = useId();
  const allowed = team.propositionIds.length ? propositions.filter((p) => team.propositionIds.includes(p.id)) : propositions;
  const numberOf = new Map(propositions.map((p, i) => [p.id, i + 1]));
  const [propositionId, setPropositionId] = useState(allowed[0]?.id ?? "");
  const [stance, setStance] = useState<Stance>(team.side ?? "pro");
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const chosenStance = team.side ?? stance;
  const t = useT();
  const refusalText = useRefusalText();
  return (
    <div data-testid="team-space">
      <p data-testid="my-team">
        <strong>{team.name}</strong> — {t("teams.yourSide", { side: team.side ?? "none" })}
        {team.propositionIds.length ? `, ${t("teams.onPropositions", { list: team.propositionIds.map((p) => numberOf.get(p) ?? "?").join(", ") })}` : ""}. {t("teams.with")}{" "}
        {team.members.map((m, i) => (
          <span key={m.id}>
            {i ? ", " : ""}
            <bdi>{m.displayName}</bdi>
          </span>
        ))}
        .
      </p>
      <p className="muted">{t("teams.spaceNote")}</p>
      {draftRefusal ? (
        <p className="muted">{refusalText(draftRefusal)}</p>
      ) : (
        <form
          className="team-draft-form"
          aria-label={t("teams.draftForm")}
          onSubmit={(e) => {
            e.preventDefault();
            setError(null);
            void actions.draftTeamArgument({ teamId: team.id, propositionId, stance: chosenStance, text }).then((ack) => {
              if (ack.ok) {
                setText("");
                onChanged();
              } else setError(ack.error.message);
            });
          }}
        >
          <label htmlFor={`${id}-proposition`}>{t("teams.proposition")}</label>
          <select id={`${id}-proposition`} value={propositionId} onChange={(e) => setPropositionId(e.target.value)}>
            {allowed.map((p) => (
              <option key={p.id} value={p.id}>
                {numberOf.get(p.id)}. {excerpt(p.text)}
              </option>
            ))}
          </select>
          {team.side ? null : (
            <>
              <label htmlFor={`${id}-stance`}>{t("teams.stance")}</label>
              <select id={`${id}-stance`} value={stance} onChange={(e) => setStance(e.target.value as Stance)}>
                <option value="pro">{t("teams.for")}</option>
                <option value="con">{t("teams.against")}</option>
              </select>
            </>
          )}
          <label htmlFor={`${id}-text`}>{t("teams.draftLabel")}</label>
          <textarea id={`${id}-text`} value={text} rows={3} maxLength={5000} required onChange={(e) => setText(e.target.value)} />
          <button type="submit" className="button">
            {t("teams.saveDraft")}
          </button>
          <FormError message={error} testId="team-draft-error" />
        </form>
      )}
      <h3>{t("teams.drafts")}</h3>
      <DraftList drafts={drafts} propositions={propositions} refusal={draftRefusal} actions={actions} onChanged={onChanged} />
    </div>
  );
}
