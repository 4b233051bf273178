/**
 * /debates/:debateId/settings — for the debate's facilitators: visibility,
 * the join code (rotate), the debate's own rate limits, closing/reopening, and
 * the participants (rename, mute, remove, debater ↔ observer, facilitators).
 * Every form is a plain POST with an `intent`; the services decide who may do
 * what (app/shared/permissions.ts) and this page only hides what they refuse.
 */
import { Form, Link, useNavigation } from "react-router";
import type { Route } from "./+types/debate-settings";
import { FormError } from "~/components/FormError";
import { LocalTime } from "~/components/LocalTime";
import { VisibilityPicker } from "~/components/VisibilityPicker";
import { type CurrentParticipant, LIMITS } from "~/shared/contract";
import { DEBATE_RATE_LIMIT_BOUNDS, type ParticipantAdminDTO } from "~/shared/management";
import { decideParticipantChange, type ParticipantChange } from "~/shared/permissions";
import { FacilitatorPageBoundary } from "~/components/FacilitatorOnly";
import { formResult, readForm } from "~/utils/errors.server";
import { facilitatorPageActor, forFacilitator } from "~/utils/facilitator-page.server";
import { currentParticipant } from "~/utils/participant.server";
import { pageOrigin } from "~/utils/session.server";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `Settings: ${data?.settings.title ?? "debate"} — Steelman` }];

/** Facilitators only: anyone else gets a page saying so (401 with "Sign in", or 403), see FacilitatorPageBoundary. */
export async function loader({ params, request, context }: Route.LoaderArgs) {
  const me = await facilitatorPageActor(context, request, params.debateId, "settings");
  const [settings, participants] = await Promise.all([
    forFacilitator(me, request, "settings", () => context.services.getSettings(me, params.debateId)),
    forFacilitator(me, request, "settings", () => context.services.listParticipants(me, params.debateId)),
  ]);
  const origin = pageOrigin(context, request);
  return { settings, participants, joinUrl: `${origin}${settings.joinPath}`, me: { id: me.id, role: me.role, muted: me.muted } };
}

export function ErrorBoundary() {
  return <FacilitatorPageBoundary />;
}

const INTENTS = ["visibility", "rate-limits", "reset-rate-limits", "rotate-code", "close", "reopen", "rename", "mute", "unmute", "role", "remove"] as const;
type Intent = (typeof INTENTS)[number];

/** A rule from two form fields; both empty means "the default" (null). */
function ruleFrom(form: FormData, prefix: "argument" | "vote") {
  const points = String(form.get(`${prefix}Points`) ?? "").trim();
  const seconds = String(form.get(`${prefix}Seconds`) ?? "").trim();
  if (!points && !seconds) return null;
  return { points: Number(points || Number.NaN), durationSeconds: Number(seconds || Number.NaN) };
}

const DONE: Record<Intent, string> = {
  visibility: "Visibility saved.",
  "rate-limits": "Rate limits saved.",
  "reset-rate-limits": "Rate limits are back to the defaults.",
  "rotate-code": "The join code was changed: the old one no longer works.",
  close: "The debate is closed: everyone can read it, nobody can change it.",
  reopen: "The debate is open again.",
  rename: "Renamed.",
  mute: "Muted: they can read and vote, not post.",
  unmute: "Unmuted.",
  role: "Role changed.",
  remove: "Removed: they can no longer take part.",
};

export async function action({ params, request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "") as Intent;
  if (!INTENTS.includes(intent)) return { ok: false as const, intent: null, error: { message: "Unknown action." }, participantId: null };
  const me = await currentParticipant(context, request, params.debateId);
  const id = params.debateId;
  const participantId = String(form.get("participantId") ?? "");
  const s = context.services;
  const result = await formResult(async () => {
    switch (intent) {
      case "visibility":
        return s.updateSettings(me, id, { visibility: String(form.get("visibility") ?? "") });
      case "rate-limits":
        return s.updateSettings(me, id, { rateLimits: { argument: ruleFrom(form, "argument"), vote: ruleFrom(form, "vote") } });
      case "reset-rate-limits":
        return s.updateSettings(me, id, { rateLimits: null });
      case "rotate-code":
        return s.rotateJoinCode(me, id);
      case "close":
        return s.closeDebate(me, id);
      case "reopen":
        return s.reopenDebate(me, id);
      case "rename":
        return s.updateParticipant(me, id, participantId, { displayName: form.get("displayName") });
      case "mute":
      case "unmute":
        return s.updateParticipant(me, id, participantId, { muted: intent === "mute" });
      case "role":
        return s.updateParticipant(me, id, participantId, { role: String(form.get("role") ?? "") });
      case "remove":
        return s.removeParticipant(me, id, participantId);
    }
  });
  if (!result.ok) return { ok: false as const, intent, error: result.error, participantId: participantId || null };
  return { ok: true as const, intent, message: DONE[intent], participantId: participantId || null };
}

const ROLE_NAMES = { host: "Host", facilitator: "Facilitator", debater: "Debater", observer: "Observer" } as const;

/**
 * What the signed-in facilitator may do to `p`: the changes `decideParticipantChange` allows
 * (app/shared/permissions.ts, the rule the server enforces). Judged as in an open debate: while it
 * is closed the same controls stay, disabled and explained by the closed banner.
 */
function powersOver(me: Me, p: ParticipantAdminDTO) {
  const may = (change: ParticipantChange) => !p.removed && decideParticipantChange(me, p, change, { status: "published" }) === null;
  return {
    rename: may({ rename: true }),
    mute: may({ muted: !p.muted }),
    switchRole: (p.role === "debater" || p.role === "observer") && may({ role: p.role === "debater" ? "observer" : "debater" }),
    appoint: p.role !== "host" && may({ role: p.role === "facilitator" ? "debater" : "facilitator" }),
    remove: may({ remove: true }),
  };
}

/** A disclosure's summary, or while the debate is closed the same words as a disabled button (explained by the banner `closed-reason`). */
function Disclosure({ label, closed, danger, children }: { label: string; closed: boolean; danger?: boolean; children: React.ReactNode }) {
  const cls = `button button-small${danger ? " button-danger" : ""}`;
  if (closed) {
    return (
      <button type="button" className={cls} disabled aria-describedby="closed-reason">
        {label}
      </button>
    );
  }
  return (
    <details>
      <summary className={cls}>{label}</summary>
      {children}
    </details>
  );
}

type Me = Pick<CurrentParticipant, "id" | "role" | "muted">;

function ParticipantRow({ p, me, busy, closed, error }: { p: ParticipantAdminDTO; me: Me; busy: boolean; closed: boolean; error: string | null }) {
  const can = powersOver(me, p);
  const off = busy || closed;
  const hidden = (intent: string) => (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="participantId" value={p.id} />
    </>
  );
  return (
    <tr className={p.removed ? "participant-removed" : undefined} data-testid={`participant-${p.id}`}>
      <th scope="row">
        <bdi>{p.displayName}</bdi>
        {p.id === me.id ? " (you)" : ""}
      </th>
      <td>{ROLE_NAMES[p.role]}</td>
      <td>{p.removed ? "Removed" : p.muted ? "Muted" : "Active"}</td>
      <td>
        <LocalTime iso={p.joinedAt} format="time" />
      </td>
      <td>
        <LocalTime iso={p.lastSeenAt} format="time" />
      </td>
      <td>{p.argumentCount}</td>
      <td>
        <div className="toolbar">
          {can.rename ? (
            <Disclosure label="Rename…" closed={closed}>
              <Form method="post" className="inline-form">
                {hidden("rename")}
                <label className="field">
                  <span>New name for {p.displayName}</span>
                  <input name="displayName" required maxLength={LIMITS.displayNameMaxChars} defaultValue={p.displayName} />
                </label>
                <button type="submit" className="button button-small" disabled={off}>
                  Save name
                </button>
              </Form>
            </Disclosure>
          ) : null}
          {can.mute ? (
            <Form method="post">
              {hidden(p.muted ? "unmute" : "mute")}
              <button type="submit" className="button button-small" disabled={off} aria-label={`${p.muted ? "Unmute" : "Mute"} ${p.displayName}`}>
                {p.muted ? "Unmute" : "Mute"}
              </button>
            </Form>
          ) : null}
          {can.switchRole ? (
            <Form method="post">
              {hidden("role")}
              <input type="hidden" name="role" value={p.role === "debater" ? "observer" : "debater"} />
              <button type="submit" className="button button-small" disabled={off} aria-label={`Make ${p.displayName} ${p.role === "debater" ? "an observer" : "a debater"}`}>
                {p.role === "debater" ? "Make observer" : "Make debater"}
              </button>
            </Form>
          ) : null}
          {can.appoint ? (
            <Form method="post">
              {hidden("role")}
              <input type="hidden" name="role" value={p.role === "facilitator" ? "debater" : "facilitator"} />
              <button type="submit" className="button button-small" disabled={off} aria-label={`${p.role === "facilitator" ? "Revoke facilitator role of" : "Make facilitator:"} ${p.displayName}`}>
                {p.role === "facilitator" ? "Revoke facilitator" : "Make facilitator"}
              </button>
            </Form>
          ) : null}
          {can.remove ? (
            <Disclosure label="Remove…" closed={closed} danger>
              <Form method="post" className="inline-form">
                {hidden("remove")}
                <p>
                  Remove <bdi>{p.displayName}</bdi>? They are disconnected at once and can no longer take part; their arguments stay.
                </p>
                <button type="submit" className="button button-small button-danger" disabled={off}>
                  Yes, remove {p.displayName}
                </button>
              </Form>
            </Disclosure>
          ) : null}
        </div>
        <FormError message={error} />
      </td>
    </tr>
  );
}

export default function DebateSettings({ loaderData, actionData }: Route.ComponentProps) {
  const { settings, participants, joinUrl, me } = loaderData;
  const busy = useNavigation().state !== "idle";
  const closed = settings.status === "closed";
  const failed = actionData && !actionData.ok ? actionData : null;
  const pageError = failed && !failed.participantId ? failed.error.message : null;
  const rule = (key: "argument" | "vote") => settings.rateLimits[key] ?? null;
  const active = participants.filter((p) => !p.removed);

  return (
    <section className="page settings-page">
      <p className="muted">
        <Link to={settings.debatePath}>Back to the debate</Link>
        {" · "}
        <Link to={`${settings.debatePath}/edit`}>Review propositions</Link>
      </p>
      <h1>
        Settings: <bdi>{settings.title}</bdi>
      </h1>
      {/* While closed, the closed banner is the only message (it also confirms a close just done). */}
      {closed ? (
        <p className="closed-banner" role="status" id="closed-reason" data-testid="settings-closed-banner">
          This debate is closed: everyone can read it, nobody can change it. Reopen the debate to change settings or participants.
        </p>
      ) : actionData?.ok ? (
        <p className="callout callout-success" role="status">
          {actionData.message}
        </p>
      ) : null}
      <FormError message={pageError} />

      <div className="settings-grid">
        <section aria-labelledby="share-heading" className="callout">
          <h2 id="share-heading">Join code</h2>
          <p className="join-code join-code-large" data-testid="settings-join-code">
            {settings.joinCode}
          </p>
          <label className="field">
            <span>Join link</span>
            <input readOnly value={joinUrl} onFocus={(e) => e.currentTarget.select()} />
          </label>
          {closed ? (
            <button type="button" className="button" disabled aria-describedby="closed-reason">
              Change the code…
            </button>
          ) : (
            <details>
              <summary className="button">Change the code…</summary>
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="rotate-code" />
                <p>The current code and join link stop working at once; people who already joined keep their access.</p>
                <button type="submit" className="button button-danger" disabled={busy || closed}>
                  Yes, give the debate a new code
                </button>
              </Form>
            </details>
          )}
        </section>

        <section aria-labelledby="visibility-heading" className="callout">
          <h2 id="visibility-heading">Visibility</h2>
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="visibility" />
            <VisibilityPicker legend="Who can find and enter this debate" defaultValue={settings.visibility} disabled={closed} describedBy={closed ? "closed-reason" : undefined} />
            <button type="submit" className="button" disabled={busy || closed}>
              Save visibility
            </button>
          </Form>
        </section>

        <section aria-labelledby="status-heading" className="callout">
          <h2 id="status-heading">Open or closed</h2>
          {closed ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="reopen" />
              <p>Closed{settings.closedAt ? <> since <LocalTime iso={settings.closedAt} format="time" /></> : null}. Reopening lets everyone take part again.</p>
              <button type="submit" className="button button-primary" disabled={busy}>
                Reopen the debate
              </button>
            </Form>
          ) : settings.status === "draft" ? (
            <p>
              This debate is a draft. <Link to={`${settings.debatePath}/edit`}>Review and publish it</Link> first.
            </p>
          ) : (
            <details>
              <summary className="button">Close the debate…</summary>
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="close" />
                <p>Everyone can still read it, but nobody can post, vote or change anything until you reopen it.</p>
                <button type="submit" className="button button-danger" disabled={busy}>
                  Yes, close the debate
                </button>
              </Form>
            </details>
          )}
        </section>

        <section aria-labelledby="limits-heading" className="callout">
          <h2 id="limits-heading">Rate limits</h2>
          <p className="muted">
            How fast each participant may post (arguments, edits, sources) and vote (votes, ratings). Leave both fields empty to use the server's default. Between {DEBATE_RATE_LIMIT_BOUNDS.pointsMin} and{" "}
            {DEBATE_RATE_LIMIT_BOUNDS.pointsMax} actions per {DEBATE_RATE_LIMIT_BOUNDS.secondsMin} to {DEBATE_RATE_LIMIT_BOUNDS.secondsMax.toLocaleString("en")} seconds.
          </p>
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="rate-limits" />
            {(["argument", "vote"] as const).map((key) => (
              <fieldset key={key} className="rate-rule" disabled={closed} aria-describedby={closed ? "closed-reason" : undefined}>
                <legend>{key === "argument" ? "Arguments" : "Votes"}</legend>
                <label className="field">
                  <span>At most</span>
                  <input type="number" name={`${key}Points`} min={DEBATE_RATE_LIMIT_BOUNDS.pointsMin} max={DEBATE_RATE_LIMIT_BOUNDS.pointsMax} step={1} defaultValue={rule(key)?.points ?? ""} placeholder={String(settings.defaultRateLimits[key].points)} />
                </label>
                <label className="field">
                  <span>per seconds</span>
                  <input type="number" name={`${key}Seconds`} min={DEBATE_RATE_LIMIT_BOUNDS.secondsMin} max={DEBATE_RATE_LIMIT_BOUNDS.secondsMax} step={1} defaultValue={rule(key)?.durationSeconds ?? ""} placeholder={String(settings.defaultRateLimits[key].durationSeconds)} />
                </label>
                <p className="muted">
                  {rule(key) ? "This debate's own rule." : `Default: ${settings.defaultRateLimits[key].points} per ${settings.defaultRateLimits[key].durationSeconds} s.`}
                </p>
              </fieldset>
            ))}
            <div className="toolbar">
              <button type="submit" className="button" disabled={busy || closed}>
                Save rate limits
              </button>
            </div>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="reset-rate-limits" />
            <button type="submit" className="button button-small" disabled={busy || closed || (!settings.rateLimits.argument && !settings.rateLimits.vote)}>
              Back to the defaults
            </button>
          </Form>
        </section>
      </div>

      <section aria-labelledby="participants-heading">
        <h2 id="participants-heading">
          Participants <span className="muted">({active.length})</span>
        </h2>
        {participants.length <= 1 ? <p className="empty">Nobody has joined yet. Share the join code or link.</p> : null}
        <div className="table-scroll">
          <table className="participants-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">State</th>
                <th scope="col">Joined</th>
                <th scope="col">Last seen</th>
                <th scope="col">Arguments</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {participants.map((p) => (
                <ParticipantRow key={p.id} p={p} me={me} busy={busy} closed={closed} error={failed?.participantId === p.id ? failed.error.message : null} />
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </section>
  );
}
