import { useEffect, useRef, useState } from "react";
import { LazyArgumentEditor } from "~/components/editor/LazyArgumentEditor";
import type { Ack, ArgumentDTO, Stance } from "~/shared/contract";
import { LIMITS } from "~/shared/constants";
import { ARGUMENT_MAX_CHARS, countCharacters, type ArgumentBody } from "~/shared/argument-body";
import { FormError } from "~/components/FormError";
import { useHydrated } from "~/utils/use-hydrated";
import { useT } from "~/i18n/react";

interface SourceDraft {
  url: string;
  title: string;
  quote: string;
}

/** localStorage key of a composer's draft (idPrefix holds the proposition's or argument's id). */
const draftKey = (idPrefix: string) => `steelman:draft:${idPrefix}`;

/** Removes a composer's saved draft (nothing happens when storage is unavailable). */
function forgetDraft(idPrefix: string): void {
  try {
    localStorage.removeItem(draftKey(idPrefix));
  } catch {
    /* unavailable */
  }
}

/**
 * Writes an argument (or a rebuttal when `parentId` is given): rich-text
 * body, stance, and up to LIMITS.sourcesPerArgumentMax sources. The draft is
 * kept in localStorage while it is typed, so closing the tab loses nothing;
 * on an error the text stays where it is; it is cleared only after the server
 * has saved it (until then the operation waits in the outbox).
 *
 * A real form (intent "post", `opId`, the proposition, the reply's parent, `stance`, `bodyText` and one
 * optional source): before hydration, or without JavaScript, it posts to the page's action
 * (app/utils/debate-forms.server.ts), which turns the text into the same rich-text state; once
 * hydrated, submitting goes over the socket (`onSubmit`).
 */
export function ArgumentComposer({
  idPrefix,
  opId,
  propositionId,
  parentId,
  defaultStance,
  onSubmit,
  onDone,
  label,
}: {
  idPrefix: string;
  /** The form's operation id for a post before hydration (app/shared/form-op-id.ts). */
  opId: string;
  propositionId: string;
  parentId?: string | null;
  defaultStance: Stance;
  onSubmit(payload: { propositionId: string; parentId?: string | null; stance: Stance; body: unknown; sources: { url: string; title: string; quote?: string }[] }): Promise<Ack<ArgumentDTO>>;
  onDone?(): void;
  label: string;
}) {
  const [stance, setStance] = useState<Stance>(defaultStance);
  const [body, setBody] = useState<ArgumentBody | null>(null);
  const [plain, setPlain] = useState("");
  const [sources, setSources] = useState<SourceDraft[]>([]);
  const [error, setError] = useState<string | null>(null);
  /** A problem with one source's field, shown under that field: `sources.<i>.url` etc. */
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const [pending, setPending] = useState(false);
  const [resetKey, setResetKey] = useState(0);
  const [restored, setRestored] = useState<{ key: number; body: ArgumentBody | null }>({ key: 0, body: null });
  const ready = useRef(false);
  const hydrated = useHydrated();
  const t = useT();

  // Restore a saved draft once, after hydration (localStorage does not exist on the server).
  useEffect(() => {
    try {
      const raw = localStorage.getItem(draftKey(idPrefix));
      const draft = raw ? (JSON.parse(raw) as { body?: unknown; stance?: unknown; sources?: unknown }) : null;
      if (draft) {
        // The validator (zod) loads only when there is a draft to check: it is not part of the page's first load.
        if (draft.body) {
          void import("~/shared/lexical").then(({ parseArgumentBody }) => {
            const parsed = parseArgumentBody(draft.body);
            if (!parsed.ok) return;
            setBody(parsed.body);
            setPlain(parsed.plainText);
            setRestored((r) => ({ key: r.key + 1, body: parsed.body }));
          });
        }
        if (draft.stance === "pro" || draft.stance === "con") setStance(draft.stance);
        if (Array.isArray(draft.sources)) setSources(draft.sources.filter((x): x is SourceDraft => typeof x?.url === "string" && typeof x?.title === "string" && typeof x?.quote === "string").slice(0, LIMITS.sourcesPerArgumentMax));
      }
    } catch {
      /* a corrupt draft is ignored */
    }
    ready.current = true;
  }, [idPrefix]);

  // Save the draft as it is typed.
  useEffect(() => {
    if (!ready.current || pending) return;
    const timer = setTimeout(() => {
      try {
        if (plain.trim() || sources.length) localStorage.setItem(draftKey(idPrefix), JSON.stringify({ body, stance, sources }));
        else localStorage.removeItem(draftKey(idPrefix));
      } catch {
        /* storage full or unavailable */
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [idPrefix, body, plain, stance, sources, pending]);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (pending) return;
    setFieldError(null);
    if (!body || plain.trim() === "") {
      setError(parentId ? t("composer.writeReplyFirst") : t("composer.writeArgumentFirst"));
      formRef.current?.querySelector<HTMLElement>("[contenteditable]")?.focus();
      return;
    }
    // Blocks left completely empty are dropped; a source needs at least its web address.
    const filled = sources.filter((s) => s.url.trim() || s.title.trim() || s.quote.trim());
    const missingUrl = sources.findIndex((s) => !s.url.trim() && (s.title.trim() || s.quote.trim()));
    if (missingUrl >= 0) {
      showFieldError(`sources.${missingUrl}.url`, t("composer.sourceNeedsUrl", { n: missingUrl + 1 }));
      return;
    }
    if (filled.length !== sources.length) setSources(filled);
    setPending(true);
    setError(null);
    // From here the outbox carries the text; the draft comes back only if the server refuses it.
    forgetDraft(idPrefix);
    const reply = await onSubmit({
      propositionId,
      parentId: parentId ?? null,
      stance,
      body,
      sources: filled.map((s) => ({ url: s.url.trim(), title: s.title.trim(), quote: s.quote.trim() || undefined })),
    });
    setPending(false);
    if (!reply.ok) {
      // The field path counts the submitted (non-empty) sources, which are the ones now shown.
      if (reply.error.field && /^sources\.\d+\.(url|title|quote)$/.test(reply.error.field)) showFieldError(reply.error.field, reply.error.message);
      else setError(reply.error.message);
      return;
    }
    setBody(null);
    setPlain("");
    setSources([]);
    setResetKey((k) => k + 1);
    forgetDraft(idPrefix);
    onDone?.();
  }

  /** Shows `message` under the source field `field` (`sources.<i>.<name>`), announced, and moves focus there. */
  function showFieldError(field: string, message: string) {
    setError(null);
    setFieldError({ field, message });
    requestAnimationFrame(() => document.getElementById(`${idPrefix}-${field.replaceAll(".", "-")}`)?.focus());
  }
  const errorFor = (field: string) => (fieldError?.field === field ? fieldError.message : null);
  const fieldProps = (field: string) => {
    const id = `${idPrefix}-${field.replaceAll(".", "-")}`;
    const invalid = fieldError?.field === field;
    return { id, "aria-invalid": invalid || undefined, "aria-describedby": invalid ? `${id}-error` : undefined };
  };
  const update = (i: number, patch: Partial<SourceDraft>) => {
    if (fieldError?.field.startsWith(`sources.${i}.`)) setFieldError(null);
    setSources((list) => list.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  };
  const characters = countCharacters(plain);

  return (
    <form ref={formRef} method="post" className="composer" onSubmit={submit} aria-label={label} noValidate>
      <input type="hidden" name="intent" value="post" />
      <input type="hidden" name="opId" value={opId} />
      <input type="hidden" name="propositionId" value={propositionId} />
      {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
      <fieldset className="stance-picker">
        <legend>{parentId ? t("composer.thisReply") : t("composer.thisArgument")}</legend>
        <label>
          <input type="radio" name="stance" value="pro" checked={stance === "pro"} onChange={() => setStance("pro")} /> {parentId ? t("composer.replyPro") : t("composer.argumentPro")}
        </label>
        <label>
          <input type="radio" name="stance" value="con" checked={stance === "con"} onChange={() => setStance("con")} /> {parentId ? t("composer.replyCon") : t("composer.argumentCon")}
        </label>
      </fieldset>
      <LazyArgumentEditor
        key={restored.key}
        name="bodyText"
        initialBody={restored.body}
        id={`${idPrefix}-editor`}
        ariaLabel={label}
        placeholder={parentId ? t("composer.replyPlaceholder") : t("composer.argumentPlaceholder")}
        resetKey={resetKey}
        onChange={(b, text) => {
          setBody(b);
          setPlain(text);
        }}
      />
      {/* Not a live region: it changes with every key. Going over the limit is announced once, below. */}
      <p className={`char-count${characters > ARGUMENT_MAX_CHARS ? " over" : ""}`}>
        {t("composer.characters", { count: characters, max: ARGUMENT_MAX_CHARS })}
      </p>
      <p className="visually-hidden" aria-live="polite">
        {characters > ARGUMENT_MAX_CHARS ? t("composer.overLimit", { max: ARGUMENT_MAX_CHARS }) : ""}
      </p>
      {sources.map((s, i) => (
        <fieldset key={i} className="source-fields">
          <legend>{t("composer.source", { n: i + 1 })}</legend>
          <label className="field">
            <span>{t("composer.url")}</span>
            <input type="url" inputMode="url" value={s.url} onChange={(e) => update(i, { url: e.target.value })} placeholder="https://…" {...fieldProps(`sources.${i}.url`)} />
          </label>
          <FormError id={`${idPrefix}-sources-${i}-url-error`} message={errorFor(`sources.${i}.url`)} />
          <label className="field">
            <span>{t("composer.titleOptional")}</span>
            <input value={s.title} onChange={(e) => update(i, { title: e.target.value })} maxLength={LIMITS.sourceTitleMaxChars} {...fieldProps(`sources.${i}.title`)} />
          </label>
          <FormError id={`${idPrefix}-sources-${i}-title-error`} message={errorFor(`sources.${i}.title`)} />
          <label className="field">
            <span>{t("composer.quote")}</span>
            <textarea value={s.quote} rows={2} onChange={(e) => update(i, { quote: e.target.value })} maxLength={LIMITS.sourceQuoteMaxChars} {...fieldProps(`sources.${i}.quote`)} />
          </label>
          <FormError id={`${idPrefix}-sources-${i}-quote-error`} message={errorFor(`sources.${i}.quote`)} />
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              setFieldError(null);
              setSources((list) => list.filter((_, j) => j !== i));
            }}
          >
            {t("composer.removeSource", { n: i + 1 })}
          </button>
        </fieldset>
      ))}
      {hydrated ? null : (
        // Without JavaScript "+ Add a source" cannot add fields: one optional source, folded.
        <details className="source-details">
          <summary className="button button-small">{t("composer.addSource")}</summary>
          <fieldset className="source-fields">
            <legend>{t("composer.source", { n: 1 })}</legend>
            <label className="field">
              <span>{t("composer.url")}</span>
              <input type="url" name="sourceUrl" placeholder="https://…" />
            </label>
            <label className="field">
              <span>{t("composer.title")}</span>
              <input name="sourceTitle" maxLength={LIMITS.sourceTitleMaxChars} />
            </label>
            <label className="field">
              <span>{t("composer.quote")}</span>
              <textarea name="sourceQuote" rows={2} maxLength={LIMITS.sourceQuoteMaxChars} />
            </label>
          </fieldset>
        </details>
      )}
      <div className="composer-actions">
        {hydrated && sources.length < LIMITS.sourcesPerArgumentMax ? (
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              // The new source's URL field takes the focus: its fields come before this button.
              const next = sources.length;
              setSources((list) => [...list, { url: "", title: "", quote: "" }]);
              requestAnimationFrame(() => document.getElementById(`${idPrefix}-sources-${next}-url`)?.focus());
            }}
          >
            {t("composer.addSource")}
          </button>
        ) : null}
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? t("composer.posting") : parentId ? t("composer.postReply") : t("composer.postArgument")}
        </button>
      </div>
      <FormError message={error} />
    </form>
  );
}
