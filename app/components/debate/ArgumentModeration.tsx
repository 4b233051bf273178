/**
 * Moderation controls on one argument: report (others' arguments), delete
 * (one's own, with confirmation), hide with a reason and unhide
 * (facilitators), the "hidden" banner, the placeholder others see, and the
 * revision history behind the "edited" marker. Every control is offered when
 * `decide` allows its action (app/shared/permissions.ts, the function the
 * server enforces) and the argument's own state permits it, as in
 * server/services/moderation.ts and arguments.ts; a refusal is shown in words.
 */
import { useT, type MessageKey } from "~/i18n/react";
import { useEffect, useId, useRef, useState } from "react";
import { LocalTime } from "~/components/LocalTime";
import { RichText } from "~/components/RichText";
import { FormError } from "~/components/FormError";
import type { Ack, ArgumentDTO, ArgumentRevisionsDTO, ParticipantRole } from "~/shared/contract";
import { LIMITS } from "~/shared/constants";
import { mayViewHidden } from "~/shared/moderation";
import { Action } from "~/shared/permissions";
import { useHydrated } from "~/utils/use-hydrated";

/** What the debate page lends the argument tree for moderation. */
export interface ModerationActions {
  debateId: string;
  role: ParticipantRole | null;
  deleteArgument(argumentId: string): Promise<Ack<unknown>>;
  reportArgument(argumentId: string, reason: string): Promise<Ack<unknown>>;
  hideArgument(argumentId: string, reason: string): Promise<Ack<unknown>>;
  unhideArgument(argumentId: string): Promise<Ack<unknown>>;
  /** The operation id of one of this rendering's forms (app/shared/form-op-id.ts), for the forms sent before hydration. */
  formOpId?(form: string): string;
}

/**
 * Report or hide before hydration, or without JavaScript (issue 21): a folded real form posted to the
 * debate page's action (app/utils/debate-forms.server.ts), which lands back at the argument.
 */
function PlainReasonForm({ intent, argumentId, opId }: { intent: "report" | "hide"; argumentId: string; opId: string | undefined }) {
  const form = REASON_FORMS[intent];
  const id = useId();
  const t = useT();
  return (
    <details className="reason-details">
      <summary className="button button-small">{intent === "report" ? t("moderation.report") : t("moderation.hide")}</summary>
      <form method="post" className="moderation-form" aria-label={t(form.name)}>
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" name="argumentId" value={argumentId} />
        {opId ? <input type="hidden" name="opId" value={opId} /> : null}
        <label className="field" htmlFor={`${id}-reason`}>
          <span>{t(form.label)}</span>
        </label>
        <textarea id={`${id}-reason`} name="reason" maxLength={LIMITS.reasonMaxChars} rows={2} required />
        <div className="composer-actions">
          <button type="submit" className="button button-primary button-small">
            {t(form.submitLabel)}
          </button>
        </div>
      </form>
    </details>
  );
}

/** A short inline form asking for a reason (report, hide); focus moves into it and back out. */
function ReasonForm({ name, label, submitLabel, pendingLabel, onSubmit, onCancel }: { name: MessageKey; label: MessageKey; submitLabel: MessageKey; pendingLabel: MessageKey; onSubmit(reason: string): Promise<string | null>; onCancel(): void }) {
  const id = useId();
  const t = useT();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (pending) return;
    if (!reason.trim()) {
      setError(t("moderation.giveReason"));
      document.getElementById(`${id}-reason`)?.focus();
      return;
    }
    setPending(true);
    const problem = await onSubmit(reason.trim());
    setPending(false);
    setError(problem);
  }
  return (
    <form className="moderation-form" onSubmit={submit} onKeyDown={(e) => e.key === "Escape" && onCancel()} aria-label={t(name)} noValidate>
      <label className="field" htmlFor={`${id}-reason`}>
        <span>{t(label)}</span>
      </label>
      <textarea id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={LIMITS.reasonMaxChars} rows={2} required autoFocus aria-invalid={!!error} aria-describedby={error ? `${id}-error` : undefined} />
      <div className="composer-actions">
        <button type="button" className="button button-small" onClick={onCancel}>
          {t("common.cancel")}
        </button>
        <button type="submit" className="button button-primary button-small" disabled={pending}>
          {pending ? t(pendingLabel) : t(submitLabel)}
        </button>
      </div>
      <FormError id={`${id}-error`} message={error} />
    </form>
  );
}

/** The earlier versions of an argument, loaded when opened (author and facilitators only). */
function RevisionHistory({ debateId, argumentId }: { debateId: string; argumentId: string }) {
  const [data, setData] = useState<ArgumentRevisionsDTO | null>(null);
  const [error, setError] = useState<string | null>(null);
  const t = useT();
  useEffect(() => {
    let live = true;
    fetch(`/api/debates/${debateId}/arguments/${argumentId}/revisions`, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(async (res) => {
        const json = (await res.json()) as ArgumentRevisionsDTO | { error: { message: string } };
        if (!live) return;
        if ("error" in json) setError(json.error.message);
        else setData(json);
      })
      .catch(() => live && setError(t("revisions.failed")));
    return () => {
      live = false;
    };
  }, [debateId, argumentId, t]);
  if (error) return <FormError message={error} />;
  if (!data) return <p className="muted" role="status">{t("revisions.loading")}</p>;
  if (data.revisions.length === 0) return <p className="muted">{t("revisions.none")}</p>;
  return (
    <ol className="revision-list" aria-label={t("revisions.label")}>
      {data.revisions.map((r) => (
        <li key={r.id} className="revision">
          <p className="muted">
            {t("revisions.replaced")} <LocalTime iso={r.createdAt} format="time" /> · <LocalTime iso={r.createdAt} format="date" />
          </p>
          <RichText body={r.body} />
        </li>
      ))}
    </ol>
  );
}

/** "(edited)": for the author and facilitators a button that shows the earlier versions. */
export function EditedMarker({ argument, meId, moderation }: { argument: ArgumentDTO; meId: string | null; moderation: ModerationActions }) {
  const [open, setOpen] = useState(false);
  const t = useT();
  if (argument.editCount === 0 && !argument.deleted) return null;
  const viewer = meId && moderation.role ? { id: meId, role: moderation.role } : null;
  const label = argument.deleted ? t("revisions.history") : t("revisions.edited", { count: argument.editCount });
  if (!mayViewHidden(viewer, argument.author.id)) return argument.deleted ? null : <span className="muted">({label})</span>;
  return (
    <>
      <button type="button" className="link-button muted" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        ({label})
      </button>
      {open ? (
        <div className="revision-history" role="region" aria-label={t("revisions.region")}>
          <RevisionHistory debateId={moderation.debateId} argumentId={argument.id} />
        </div>
      ) : null}
    </>
  );
}

/** What facilitators and the author see on a hidden argument. */
export function HiddenBanner({ argument }: { argument: ArgumentDTO }) {
  const t = useT();
  if (!argument.hidden || argument.withheld) return null;
  return (
    <p className="hidden-banner" role="note">
      <strong>{t("moderation.hiddenBy")}</strong> <bdi>{argument.hidden.reason}</bdi>
      <span className="muted"> {t("moderation.hiddenWho")}</span>
    </p>
  );
}

/** What everyone else sees in place of a withheld argument. */
export function WithheldPlaceholder({ argument }: { argument: ArgumentDTO }) {
  const t = useT();
  return (
    <p className="withheld-placeholder" data-testid="withheld-placeholder">
      {argument.hidden ? (
        <>
          {t("moderation.withheld")} <bdi>{argument.hidden.reason}</bdi>
        </>
      ) : (
        t("moderation.withheldReply")
      )}
    </p>
  );
}

/** The two reason forms of ModerationButtons: their wording, the action sent, and the notice shown after it succeeds (if any). */
const REASON_FORMS: Record<"report" | "hide", { name: MessageKey; label: MessageKey; submitLabel: MessageKey; pendingLabel: MessageKey; thanks?: MessageKey; send(moderation: ModerationActions, argumentId: string, reason: string): Promise<Ack<unknown>> }> = {
  report: {
    name: "moderation.reportName",
    label: "moderation.reportLabel",
    submitLabel: "moderation.reportSubmit",
    pendingLabel: "argument.sending",
    thanks: "moderation.reportThanks",
    send: (moderation, argumentId, reason) => moderation.reportArgument(argumentId, reason),
  },
  hide: {
    name: "moderation.hideName",
    label: "moderation.hideLabel",
    submitLabel: "moderation.hideSubmit",
    pendingLabel: "moderation.hiding",
    send: (moderation, argumentId, reason) => moderation.hideArgument(argumentId, reason),
  },
};

/** Report, delete, hide and unhide buttons (each opening its inline form or confirmation). */
export function ModerationButtons({ argument, meId, allowed, inHiddenThread, moderation }: { argument: ArgumentDTO; meId: string | null; allowed: ReadonlySet<Action>; inHiddenThread: boolean; moderation: ModerationActions }) {
  const [open, setOpen] = useState<"report" | "delete" | "hide" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const returnFocus = useRef<HTMLButtonElement | null>(null);
  const mine = meId !== null && meId === argument.author.id;
  const close = () => {
    setOpen(null);
    returnFocus.current?.focus();
  };
  const opener = (which: "report" | "delete" | "hide") => (e: React.MouseEvent<HTMLButtonElement>) => {
    returnFocus.current = e.currentTarget;
    setNotice(null);
    setError(null);
    setOpen((o) => (o === which ? null : which));
  };
  // Reporting needs someone else's live argument outside a hidden thread (server/services/moderation.ts reportArgument).
  const canReport = allowed.has(Action.reportArgument) && !mine && !argument.deleted && !inHiddenThread && !argument.withheld;
  const canDelete = allowed.has(Action.deleteOwnArgument) && mine && !argument.deleted;
  const canHide = allowed.has(Action.hideArgument) && !argument.hidden;
  const canUnhide = allowed.has(Action.hideArgument) && !!argument.hidden;
  const hydrated = useHydrated();
  const t = useT();
  if (!canReport && !canDelete && !canHide && !canUnhide && !notice) return null;
  if (!hydrated) {
    return (
      <>
        {canReport ? <PlainReasonForm intent="report" argumentId={argument.id} opId={moderation.formOpId?.(`report:${argument.id}`)} /> : null}
        {canHide ? <PlainReasonForm intent="hide" argumentId={argument.id} opId={moderation.formOpId?.(`hide:${argument.id}`)} /> : null}
      </>
    );
  }

  async function unhide() {
    if (pending) return;
    setPending(true);
    const reply = await moderation.unhideArgument(argument.id);
    setPending(false);
    setError(reply.ok ? null : reply.error.message);
  }
  async function remove() {
    if (pending) return;
    setPending(true);
    const reply = await moderation.deleteArgument(argument.id);
    setPending(false);
    if (reply.ok) setOpen(null);
    else setError(reply.error.message);
  }

  return (
    <>
      {canReport ? (
        <button type="button" className="button button-small" aria-expanded={open === "report"} onClick={opener("report")}>
          {t("moderation.report")}
        </button>
      ) : null}
      {canDelete ? (
        <button type="button" className="button button-small button-danger" aria-expanded={open === "delete"} onClick={opener("delete")}>
          {t("moderation.delete")}
        </button>
      ) : null}
      {canHide ? (
        <button type="button" className="button button-small" aria-expanded={open === "hide"} onClick={opener("hide")}>
          {t("moderation.hide")}
        </button>
      ) : null}
      {canUnhide ? (
        <button type="button" className="button button-small" disabled={pending} onClick={() => void unhide()}>
          {t("moderation.unhide")}
        </button>
      ) : null}
      {notice ? (
        <span className="notice" role="status">
          {notice}
        </span>
      ) : null}
      <FormError message={error} />
      {open === "report" || open === "hide" ? (
        <ReasonForm
          key={open}
          {...REASON_FORMS[open]}
          onCancel={close}
          onSubmit={async (reason) => {
            const form = REASON_FORMS[open];
            const reply = await form.send(moderation, argument.id, reason);
            if (!reply.ok) return reply.error.message;
            close();
            if (form.thanks) setNotice(t(form.thanks));
            return null;
          }}
        />
      ) : null}
      {open === "delete" ? (
        <div className="moderation-form" role="group" aria-label={t("moderation.confirmDeletion")} onKeyDown={(e) => e.key === "Escape" && close()}>
          <p>{t("moderation.deleteQuestion")}</p>
          <div className="composer-actions">
            <button type="button" className="button button-small" onClick={close} autoFocus>
              {t("moderation.keep")}
            </button>
            <button type="button" className="button button-small button-danger" disabled={pending} onClick={() => void remove()}>
              {pending ? t("moderation.deleting") : t("moderation.deleteArgument")}
            </button>
          </div>
        </div>
      ) : null}
    </>
  );
}
