/**
 * /debates/:debateId/settings — for the debate's facilitators: visibility,
 * the join code (rotate), the debate's own rate limits, closing/reopening, and
 * the participants (rename, mute, remove, debater ↔ observer, facilitators).
 * Every form is a plain POST with an `intent`; the services decide who may do
 * what (app/shared/permissions.ts) and this page only hides what they refuse.
 */
import { LanguageOptions } from "~/components/LanguageSwitcher";
import { useFormat, useT, type MessageKey, type Translate } from "~/i18n/react";
import { pageTitle } from "~/i18n/meta";
import { localizedErrorBody, serverMessage } from "~/i18n/errors.server";
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
import { currentParticipant, whyNoParticipant } from "~/utils/participant.server";
import { pageOrigin } from "~/utils/session.server";
import { settingsFormError } from "~/utils/settings-form-errors.server";

export const meta: Route.MetaFunction = ({ data, matches }) => [{ title: data?.settings.title ? pageTitle(matches, "settings.page.pageTitle", { title: data.settings.title }) : pageTitle(matches, "settings.page.pageTitleNone") }];

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

const INTENTS = ["visibility", "language", "rate-limits", "reset-rate-limits", "rotate-code", "close", "reopen", "rename", "mute", "unmute", "role", "remove"] as const;
type Intent = (typeof INTENTS)[number];

/** A rule from two form fields; both empty means "the default" (null). */
function ruleFrom(form: FormData, prefix: "argument" | "vote") {
  const points = String(form.get(`${prefix}Points`) ?? "").trim();
  const seconds = String(form.get(`${prefix}Seconds`) ?? "").trim();
  if (!points && !seconds) return null;
  return { points: Number(points || Number.NaN), durationSeconds: Number(seconds || Number.NaN) };
}

/** The confirmation of each intent done (catalogue ids). */
const DONE: Record<Intent, MessageKey> = {
  visibility: "settings.page.done.visibility",
  language: "settings.page.done.language",
  "rate-limits": "settings.page.done.rateLimits",
  "reset-rate-limits": "settings.page.done.resetRateLimits",
  "rotate-code": "settings.page.done.rotateCode",
  close: "settings.page.done.close",
  reopen: "settings.page.done.reopen",
  rename: "settings.page.done.rename",
  mute: "settings.page.done.mute",
  unmute: "settings.page.done.unmute",
  role: "settings.page.done.role",
  remove: "settings.page.done.remove",
};

export async function action({ params, request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "") as Intent;
  if (!INTENTS.includes(intent)) return { ok: false as const, intent: null, error: { message: serverMessage("settings.page.unknownAction") }, participantId: null };
  const me = await currentParticipant(context, request, params.debateId);
  const id = params.debateId;
  const participantId = String(form.get("participantId") ?? "");
  // Nobody recognised: removed from the debate, signed out, or another account (in the request's language).
  if (!me) return { ok: false as const, intent, error: localizedErrorBody(await whyNoParticipant(context, request, id, { facilitatorOnly: true })), participantId: participantId || null };
  const s = context.services;
  const result = await formResult(async () => {
    switch (intent) {
      case "visibility":
        return s.updateSettings(me, id, { visibility: String(form.get("visibility") ?? "") });
      case "language":
        // "" is the "not set" choice.
        return s.updateSettings(me, id, { language: form.get("language") ? String(form.get("language")) : null });
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
  // A rate rule's box is named as the form labels it, not by its API field.
  if (!result.ok) return { ok: false as const, intent, error: settingsFormError(result.error), participantId: participantId || null };
  return { ok: true as const, intent, participantId: participantId || null };
}

const ROLE_NAMES = { host: "settings.page.role.host", facilitator: "settings.page.role.facilitator", debater: "settings.page.role.debater", observer: "settings.page.role.observer" } as const satisfies Record<string, MessageKey>;

/** A translated sentence with one element (a name in <bdi>, a time) put in place of its `{slot}` placeholder. */
function WithSlot({ t, id, slot, values, children }: { t: Translate; id: MessageKey; slot: string; values?: Record<string, string | number>; children: React.ReactNode }) {
  const [before, after = ""] = t(id, { ...values, [slot]: "\u0000" }).split("\u0000");
  return (
    <>
      {before}
      {children}
      {after}
    </>
  );
}

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
  const t = useT();
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
        {p.id === me.id ? ` ${t("settings.page.you")}` : ""}
      </th>
      <td>{t(ROLE_NAMES[p.role])}</td>
      <td>{t(p.removed ? "settings.page.state.removed" : p.muted ? "settings.page.state.muted" : "settings.page.state.active")}</td>
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
            <Disclosure label={t("settings.page.rename")} closed={closed}>
              <Form method="post" className="inline-form">
                {hidden("rename")}
                <label className="field">
                  <span>{t("settings.page.newName", { name: p.displayName })}</span>
                  <input name="displayName" required maxLength={LIMITS.displayNameMaxChars} defaultValue={p.displayName} />
                </label>
                <button type="submit" className="button button-small" disabled={off}>
                  {t("settings.page.saveName")}
                </button>
              </Form>
            </Disclosure>
          ) : null}
          {can.mute ? (
            <Form method="post">
              {hidden(p.muted ? "unmute" : "mute")}
              <button type="submit" className="button button-small" disabled={off} aria-label={t(p.muted ? "settings.page.unmuteLabel" : "settings.page.muteLabel", { name: p.displayName })}>
                {t(p.muted ? "settings.page.unmute" : "settings.page.mute")}
              </button>
            </Form>
          ) : null}
          {can.switchRole ? (
            <Form method="post">
              {hidden("role")}
              <input type="hidden" name="role" value={p.role === "debater" ? "observer" : "debater"} />
              <button type="submit" className="button button-small" disabled={off} aria-label={t(p.role === "debater" ? "settings.page.makeObserverLabel" : "settings.page.makeDebaterLabel", { name: p.displayName })}>
                {t(p.role === "debater" ? "settings.page.makeObserver" : "settings.page.makeDebater")}
              </button>
            </Form>
          ) : null}
          {can.appoint ? (
            <Form method="post">
              {hidden("role")}
              <input type="hidden" name="role" value={p.role === "facilitator" ? "debater" : "facilitator"} />
              <button type="submit" className="button button-small" disabled={off} aria-label={t(p.role === "facilitator" ? "settings.page.revokeFacilitatorLabel" : "settings.page.makeFacilitatorLabel", { name: p.displayName })}>
                {t(p.role === "facilitator" ? "settings.page.revokeFacilitator" : "settings.page.makeFacilitator")}
              </button>
            </Form>
          ) : null}
          {can.remove ? (
            <Disclosure label={t("settings.page.remove")} closed={closed} danger>
              <Form method="post" className="inline-form">
                {hidden("remove")}
                <p>
                  <WithSlot t={t} id="settings.page.removeConfirm" slot="name">
                    <bdi>{p.displayName}</bdi>
                  </WithSlot>
                </p>
                <button type="submit" className="button button-small button-danger" disabled={off}>
                  {t("settings.page.removeYes", { name: p.displayName })}
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
  const t = useT();
  const f = useFormat();

  return (
    <section className="page settings-page">
      <p className="muted">
        <Link to={settings.debatePath}>{t("settings.page.back")}</Link>
        {" · "}
        <Link to={`${settings.debatePath}/edit`}>{t("settings.page.review")}</Link>
      </p>
      <h1>
        <WithSlot t={t} id="settings.page.heading" slot="title">
          <bdi>{settings.title}</bdi>
        </WithSlot>
      </h1>
      {/* While closed, the closed banner is the only message (it also confirms a close just done). */}
      {closed ? (
        <p className="closed-banner" role="status" id="closed-reason" data-testid="settings-closed-banner">
          {t("settings.page.closedBanner")}
        </p>
      ) : actionData?.ok ? (
        <p className="callout callout-success" role="status">
          {t(DONE[actionData.intent])}
        </p>
      ) : null}
      <FormError message={pageError} />

      <div className="settings-grid">
        <section aria-labelledby="share-heading" className="callout">
          <h2 id="share-heading">{t("settings.page.joinCode")}</h2>
          <p className="join-code join-code-large" data-testid="settings-join-code">
            {settings.joinCode}
          </p>
          <label className="field">
            <span>{t("settings.page.joinLink")}</span>
            <input readOnly value={joinUrl} onFocus={(e) => e.currentTarget.select()} />
          </label>
          {closed ? (
            <button type="button" className="button" disabled aria-describedby="closed-reason">
              {t("settings.page.changeCode")}
            </button>
          ) : (
            <details>
              <summary className="button">{t("settings.page.changeCode")}</summary>
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="rotate-code" />
                <p>{t("settings.page.changeCodeConfirm")}</p>
                <button type="submit" className="button button-danger" disabled={busy || closed}>
                  {t("settings.page.changeCodeYes")}
                </button>
              </Form>
            </details>
          )}
        </section>

        <section aria-labelledby="visibility-heading" className="callout">
          <h2 id="visibility-heading">{t("settings.page.visibility")}</h2>
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="visibility" />
            <VisibilityPicker legend={t("settings.page.visibilityLegend")} defaultValue={settings.visibility} disabled={closed} describedBy={closed ? "closed-reason" : undefined} />
            <button type="submit" className="button" disabled={busy || closed}>
              {t("settings.page.saveVisibility")}
            </button>
          </Form>
        </section>

        <DebateLanguageSection current={settings.language} disabled={busy || closed} />

        <section aria-labelledby="status-heading" className="callout">
          <h2 id="status-heading">{t("settings.page.status")}</h2>
          {closed ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="reopen" />
              <p>
                {settings.closedAt ? (
                  <WithSlot t={t} id="settings.page.closedSince" slot="time">
                    <LocalTime iso={settings.closedAt} format="time" />
                  </WithSlot>
                ) : (
                  t("settings.page.closedNow")
                )}
              </p>
              <button type="submit" className="button button-primary" disabled={busy}>
                {t("settings.page.reopen")}
              </button>
            </Form>
          ) : settings.status === "draft" ? (
            <p>
              {t("settings.page.draft")} <Link to={`${settings.debatePath}/edit`}>{t("settings.page.draftLink")}</Link>
            </p>
          ) : (
            <details>
              <summary className="button">{t("settings.page.close")}</summary>
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="close" />
                <p>{t("settings.page.closeConfirm")}</p>
                <button type="submit" className="button button-danger" disabled={busy}>
                  {t("settings.page.closeYes")}
                </button>
              </Form>
            </details>
          )}
        </section>

        <section aria-labelledby="limits-heading" className="callout">
          <h2 id="limits-heading">{t("settings.page.rateLimits")}</h2>
          <p className="muted">
            {t("settings.page.rateLimitsHelp", { ...DEBATE_RATE_LIMIT_BOUNDS })}
          </p>
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="rate-limits" />
            {(["argument", "vote"] as const).map((key) => (
              <fieldset key={key} className="rate-rule" disabled={closed} aria-describedby={closed ? "closed-reason" : undefined}>
                <legend>{t(key === "argument" ? "settings.page.rule.arguments" : "settings.page.rule.votes")}</legend>
                <label className="field">
                  <span>{t("settings.page.rule.points")}</span>
                  <input type="number" name={`${key}Points`} min={DEBATE_RATE_LIMIT_BOUNDS.pointsMin} max={DEBATE_RATE_LIMIT_BOUNDS.pointsMax} step={1} defaultValue={rule(key)?.points ?? ""} placeholder={String(settings.defaultRateLimits[key].points)} />
                </label>
                <label className="field">
                  <span>{t("settings.page.rule.seconds")}</span>
                  <input type="number" name={`${key}Seconds`} min={DEBATE_RATE_LIMIT_BOUNDS.secondsMin} max={DEBATE_RATE_LIMIT_BOUNDS.secondsMax} step={1} defaultValue={rule(key)?.durationSeconds ?? ""} placeholder={String(settings.defaultRateLimits[key].durationSeconds)} />
                </label>
                <p className="muted">
                  {rule(key) ? t("settings.page.rule.own") : t("settings.page.rule.default", { points: settings.defaultRateLimits[key].points, seconds: settings.defaultRateLimits[key].durationSeconds })}
                </p>
              </fieldset>
            ))}
            <div className="toolbar">
              <button type="submit" className="button" disabled={busy || closed}>
                {t("settings.page.saveRateLimits")}
              </button>
            </div>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="reset-rate-limits" />
            <button type="submit" className="button button-small" disabled={busy || closed || (!settings.rateLimits.argument && !settings.rateLimits.vote)}>
              {t("settings.page.resetRateLimits")}
            </button>
          </Form>
        </section>
      </div>

      <section aria-labelledby="participants-heading">
        <h2 id="participants-heading">
          {t("settings.page.participants")} <span className="muted">({f.number(active.length)})</span>
        </h2>
        {participants.length <= 1 ? <p className="empty">{t("settings.page.nobody")}</p> : null}
        <div className="table-scroll">
          <table className="participants-table">
            <thead>
              <tr>
                <th scope="col">{t("settings.page.column.name")}</th>
                <th scope="col">{t("settings.page.column.role")}</th>
                <th scope="col">{t("settings.page.column.state")}</th>
                <th scope="col">{t("settings.page.column.joined")}</th>
                <th scope="col">{t("settings.page.column.lastSeen")}</th>
                <th scope="col">{t("settings.page.column.arguments")}</th>
                <th scope="col">{t("settings.page.column.actions")}</th>
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

/**
 * The debate's language: the interface language for everyone who has not chosen one with the switcher,
 * and the `lang` its article, propositions and arguments are marked with (app/i18n/locales.ts chooseLocale).
 */
function DebateLanguageSection({ current, disabled }: { current: string | null; disabled: boolean }) {
  const t = useT();
  return (
    <section aria-labelledby="language-heading" className="callout">
      <h2 id="language-heading">{t("settings.language.heading")}</h2>
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="language" />
        <label className="field">
          <span>{t("settings.language.label")}</span>
          <select name="language" defaultValue={current ?? ""} aria-describedby="language-hint">
            <option value="">{t("settings.language.none")}</option>
            <LanguageOptions />
          </select>
        </label>
        <button type="submit" className="button" disabled={disabled}>
          {t("settings.language.save")}
        </button>
      </Form>
      <p id="language-hint" className="muted">
        {t("settings.language.hint")}
      </p>
    </section>
  );
}
