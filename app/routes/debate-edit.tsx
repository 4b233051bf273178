import { useFormat, useT } from "~/i18n/react";
import { useEffect, useRef, useState } from "react";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/debate-edit";
import { LIMITS } from "~/shared/contract";
import { isFacilitatorRole } from "~/shared/permissions";
import { formResult, orRespond, readForm, refusal } from "~/utils/errors.server";
import { currentParticipant } from "~/utils/participant.server";
import { pageOrigin, requireUser } from "~/utils/session.server";
import type { CurationAction } from "../../server/services";
import { SourceText } from "~/components/SourceText";
import { FormError } from "~/components/FormError";
import { pageTitle } from "~/i18n/meta";
import { useContentLanguage } from "~/i18n/content-language";

export const meta: Route.MetaFunction = ({ data, matches }) => [{ title: data?.debate ? pageTitle(matches, "review.pageTitle", { title: data.debate.title }) : pageTitle(matches, "review.pageTitleNone") }];

export async function loader({ params, request, context }: Route.LoaderArgs) {
  const actor = await currentParticipant(context, request, params.debateId);
  // Someone recognised in the debate means it exists: only look it up for everyone else.
  if (!actor && !(await context.services.debateAccess(params.debateId))) {
    throw refusal(404, "This debate was not found. Check the link.");
  }
  // A facilitator on another device (or after clearing cookies) signs in to get here.
  if (!actor) await requireUser(context, request, `/debates/${params.debateId}/edit`);
  if (!actor || !isFacilitatorRole(actor.role)) {
    throw refusal(403, "Only this debate's facilitators can review it. Sign in with the facilitator account that created or co-hosts it.");
  }
  const [debate, sections, review] = await Promise.all([
    orRespond(() => context.services.getDebate(params.debateId, actor)),
    orRespond(() => context.services.getSections(params.debateId)),
    orRespond(() => context.services.getDraftReview(params.debateId)),
  ]);
  const origin = pageOrigin(context, request);
  return { debate, sections: sections.map((s, index) => ({ index, heading: s.heading, span: s.span })), review, joinUrl: `${origin}${debate.url}` };
}

function readAction(form: FormData): CurationAction | "publish" | null {
  const intent = String(form.get("intent") ?? "");
  const propositionId = String(form.get("propositionId") ?? "");
  switch (intent) {
    case "publish":
      return "publish";
    case "edit":
      return { intent, propositionId, text: String(form.get("text") ?? "") };
    case "delete":
    case "merge-next":
      return { intent, propositionId };
    case "split": {
      const at = Number(form.get("at"));
      return { intent, propositionId, at: Number.isInteger(at) ? at : -1 };
    }
    case "move":
      return { intent, propositionId, direction: form.get("direction") === "up" ? "up" : "down" };
    case "add": {
      // A candidate sentence comes with its place in the article (checked by the service).
      const start = Number(form.get("start"));
      const end = Number(form.get("end"));
      const anchored = form.has("start") && form.has("end");
      return { intent, text: String(form.get("text") ?? ""), ...(anchored ? { span: { start: Number.isInteger(start) ? start : -1, end: Number.isInteger(end) ? end : -1 } } : {}) };
    }
    case "resection": {
      const section = String(form.get("section") ?? "");
      return { intent, section: section === "whole" ? "whole" : /^\d+$/.test(section) ? Number(section) : -1 };
    }
    default:
      return null;
  }
}

export async function action({ params, request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const actor = await currentParticipant(context, request, params.debateId);
  const parsed = readAction(form);
  if (!parsed) return { error: { message: "Unknown action." }, intent: null };
  if (parsed === "publish") {
    const result = await formResult(() => context.services.publishDebate(params.debateId, actor));
    if (!result.ok) return { error: result.error, intent: "publish" };
    return redirect(`/debates/${params.debateId}/edit?published=1`);
  }
  const result = await formResult(() => context.services.curatePropositions(params.debateId, actor, parsed));
  if (!result.ok) return { error: result.error, intent: parsed.intent, propositionId: "propositionId" in parsed ? parsed.propositionId : null };
  return { ok: true as const, intent: parsed.intent };
}

/** One proposition with its editing controls (only rewording once published). */
function PropositionRow({ p, index, count, busy, published, error, suggestion, lang }: { p: Route.ComponentProps["loaderData"]["debate"]["propositions"][number]; index: number; count: number; busy: boolean; published: boolean; error: string | null; suggestion: string | null; lang: string | undefined }) {
  const [splitAt, setSplitAt] = useState(() => {
    const m = /[.!?…]["”’)]?\s+\S/.exec(p.text);
    return m ? m.index + m[0].length - 1 : Math.floor(p.text.length / 2);
  });
  const t = useT();
  const n = index + 1;
  return (
    <li className="draft-proposition" id={`draft-${p.id}`}>
      <div className="draft-number" aria-hidden>
        {index + 1}
      </div>
      <div className="draft-body">
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="edit" />
          <input type="hidden" name="propositionId" value={p.id} />
          <label className="visually-hidden" htmlFor={`text-${p.id}`}>
            {t("review.proposition", { n })}
          </label>
          <textarea id={`text-${p.id}`} name="text" lang={lang} dir="auto" defaultValue={p.text} rows={Math.min(6, Math.ceil(p.text.length / 90) + 1)} maxLength={LIMITS.propositionMaxChars} key={p.text} />
          <button type="submit" className="button button-small" disabled={busy}>
            {t("review.saveWording")}
          </button>
        </Form>
        <FormError message={error} />
        {suggestion ? (
          <div className="suggestion">
            <p>
              <strong>{t("review.suggested")}</strong> {t("review.suggestedWhy", { suggestion })}
            </p>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="edit" />
              <input type="hidden" name="propositionId" value={p.id} />
              <input type="hidden" name="text" value={suggestion} />
              <button type="submit" className="button button-small" disabled={busy} aria-label={t("review.useSuggestedLabel", { n })}>
                {t("review.useSuggested")}
              </button>
            </Form>
          </div>
        ) : null}
        {p.sourceSpan ? null : <p className="muted">{t("review.byHand")}</p>}
        {published ? null : (
        <div className="toolbar" role="group" aria-label={t("review.actions", { n })}>
          <Form method="post">
            <input type="hidden" name="intent" value="move" />
            <input type="hidden" name="propositionId" value={p.id} />
            <input type="hidden" name="direction" value="up" />
            <button type="submit" className="button" disabled={busy || index === 0} aria-label={t("review.moveUpLabel", { n })}>
              {t("review.moveUp")}
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="move" />
            <input type="hidden" name="propositionId" value={p.id} />
            <input type="hidden" name="direction" value="down" />
            <button type="submit" className="button" disabled={busy || index === count - 1} aria-label={t("review.moveDownLabel", { n })}>
              {t("review.moveDown")}
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="merge-next" />
            <input type="hidden" name="propositionId" value={p.id} />
            <button type="submit" className="button" disabled={busy || index === count - 1}>
              {t("review.merge")}
            </button>
          </Form>
          <details className="split">
            <summary className="button">{t("review.split")}</summary>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="split" />
              <input type="hidden" name="propositionId" value={p.id} />
              <input type="hidden" name="at" value={splitAt} />
              <label>
                <span>{t("review.splitAfter", { at: splitAt })}</span>
                <input type="range" min={1} max={Math.max(1, p.text.length - 1)} value={splitAt} onChange={(e) => setSplitAt(Number(e.target.value))} />
              </label>
              <p className="split-preview">
                <span>{p.text.slice(0, splitAt)}</span>
                <span className="split-mark" aria-label={t("review.splitHere")}>
                  ⟂
                </span>
                <span>{p.text.slice(splitAt)}</span>
              </p>
              <button type="submit" className="button" disabled={busy}>
                {t("review.splitInTwo")}
              </button>
            </Form>
          </details>
          <Form method="post">
            <input type="hidden" name="intent" value="delete" />
            <input type="hidden" name="propositionId" value={p.id} />
            <button type="submit" className="button button-danger" disabled={busy}>
              {t("review.delete")}
            </button>
          </Form>
        </div>
        )}
      </div>
    </li>
  );
}

export default function DebateEdit({ loaderData, actionData }: Route.ComponentProps) {
  const { debate, sections, review, joinUrl } = loaderData;
  const navigation = useNavigation();
  const t = useT();
  const f = useFormat();
  const busy = navigation.state !== "idle";
  const published = debate.status === "published";
  const [copied, setCopied] = useState(false);
  const currentSection = sections.find((s) => s.span.start === debate.thesis.span.start && s.span.end === debate.thesis.span.end);
  const error = actionData && "error" in actionData ? actionData.error : null;
  const rowError = error && actionData && "propositionId" in actionData ? actionData.propositionId : null;
  // The article's language for `lang` (the facilitator's setting, else the detected one) so that
  // text is spoken and hyphenated in its language; `dir="auto"` beside it lets right-to-left text read right to left.
  const textLanguage = useContentLanguage() ?? bcp47(review.language.code);
  // Clear the "add by hand" box once the proposition was added.
  const addForm = useRef<HTMLFormElement>(null);
  // The candidate whose Add was pressed: its row is gone after the add, so the focus goes to the
  // candidate now in its place (or the last one, or the new proposition) instead of the page's title.
  // It waits until the page is idle: while busy the buttons are disabled and cannot take the focus.
  const addedCandidate = useRef<number | null>(null);
  const focusCandidate = useRef<number | null>(null);
  useEffect(() => {
    if (!(actionData && "ok" in actionData && actionData.intent === "add")) return;
    addForm.current?.reset();
    focusCandidate.current = addedCandidate.current;
    addedCandidate.current = null;
  }, [actionData]);
  useEffect(() => {
    const index = focusCandidate.current;
    if (busy || index === null) return;
    focusCandidate.current = null;
    const buttons = document.querySelectorAll<HTMLButtonElement>(".candidate-list .candidate button[type=submit]");
    const next = buttons[Math.min(index, buttons.length - 1)] ?? document.querySelector<HTMLTextAreaElement>(".draft-list > li:last-child textarea");
    next?.focus();
  }, [busy, actionData]);

  return (
    <section className="page">
      <p className="muted">
        <Link to="/">{t("join.allDebates")}</Link>
        {" · "}
        <Link to={`${debate.url}/settings`}>{t("review.settingsLink")}</Link>
      </p>
      <h1>{debate.title}</h1>
      {error && !rowError ? (
        <p className="error" role="alert">
          {error.message}
        </p>
      ) : null}
      {published ? (
        <div className="callout" role="status">
          <p>
            <strong>{t("review.published")}</strong> {t("review.shareLink")}
          </p>
          <p className="join-link">
            <input readOnly value={joinUrl} aria-label={t("review.joinLink")} onFocus={(e) => e.currentTarget.select()} />
            <button
              type="button"
              className="button"
              onClick={() => {
                void navigator.clipboard?.writeText(joinUrl).then(() => setCopied(true));
              }}
            >
              {t(copied ? "review.copied" : "review.copy")}
            </button>
            <Link to={debate.url} className="button button-primary">
              {t("review.open")}
            </Link>
          </p>
        </div>
      ) : (
        <div className="callout">
          <p>
            {t("review.intro")}
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="publish" />
            <button type="submit" className="button button-primary" disabled={busy || debate.propositions.length === 0}>
              {t("review.publish")}
            </button>
          </Form>
        </div>
      )}

      <div className="edit-layout">
        <div>
          {!published ? (
            <Form
              method="post"
              className="inline-form section-picker"
              onSubmit={(e) => {
                // Re-drafting replaces the list; edits and added sentences would be lost without a word.
                if (debate.propositions.length > 0 && !window.confirm(t("review.redraftConfirm", { count: debate.propositions.length }))) e.preventDefault();
              }}
            >
              <input type="hidden" name="intent" value="resection" />
              <label>
                <span>{t("review.section")}</span>
                <select name="section" defaultValue={currentSection ? String(currentSection.index) : "whole"} key={`${debate.thesis.span.start}-${debate.thesis.span.end}`}>
                  {(sections.some((s) => s.heading) ? sections : []).map((s) => (
                    <option key={s.index} value={s.index}>
                      {s.heading ?? t("review.beforeFirstHeading")}
                    </option>
                  ))}
                  <option value="whole">{t("review.wholeText")}</option>
                </select>
              </label>
              <button type="submit" className="button" disabled={busy}>
                {t("review.redraft")}
              </button>
              {!debate.thesis.heading ? <p className="muted">{t("review.noHotTake")}</p> : null}
            </Form>
          ) : null}
          <p className="muted" data-testid="detected-language">
            {t("review.languageDetected")} <strong>{languageName(review.language.code, review.language.name, f.locale)}</strong>
            {". "}
            {review.language.claimScoring ? t("review.claimScoring") : t("review.noClaimScoring")}
          </p>
          {review.draftedChars !== null ? (
            <p className="callout" role="note" data-testid="drafted-first-chars">
              {t("review.draftedFirstChars", { chars: review.draftedChars })}
            </p>
          ) : null}
          <h2>
            {t("debate.propositions")} <span className="muted">({debate.propositions.length})</span>
          </h2>
          {debate.propositions.length === 0 ? <p className="empty">{t("review.none")}</p> : null}
          <ol className="draft-list">
            {debate.propositions.map((p, i) => (
              // Keyed by wording too, so the split suggestion follows an edit or merge.
              <PropositionRow key={`${p.id}:${p.text}`} p={p} index={i} count={debate.propositions.length} busy={busy} published={published} error={rowError === p.id ? (error?.message ?? null) : null} suggestion={review.suggestions[p.id] ?? null} lang={textLanguage} />
            ))}
          </ol>
          {review.candidates.length > 0 ? (
            <section aria-labelledby="candidates-heading">
              <h2 id="candidates-heading">
                {t("review.candidates")} <span className="muted">({review.candidates.length})</span>
              </h2>
              <p className="muted">
                {t("review.candidatesHint")}
                {review.candidatesLeftOut > 0 ? ` ${t("review.candidatesLeftOut", { count: review.candidatesLeftOut })}` : ""}
              </p>
              <ol className="candidate-list">
                {review.candidates.map((c, i) => (
                  <li key={`${c.sourceSpan.start}-${c.sourceSpan.end}`} id={`candidate-${i + 1}`} className="candidate">
                    <span className="candidate-text" lang={textLanguage} dir="auto">
                      {c.text}
                    </span>
                    {c.suggestion ? <span className="muted"> {t("review.candidateSuggestion", { suggestion: c.suggestion })}</span> : null}{" "}
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="add" />
                      <input type="hidden" name="text" value={c.text} />
                      <input type="hidden" name="start" value={c.sourceSpan.start} />
                      <input type="hidden" name="end" value={c.sourceSpan.end} />
                      <button type="submit" className="button button-small" disabled={busy} aria-label={t("review.addCandidateLabel", { n: i + 1 })} onClick={() => (addedCandidate.current = i)}>
                        {t("review.add")}
                      </button>
                    </Form>
                  </li>
                ))}
              </ol>
            </section>
          ) : null}
          <Form method="post" className="inline-form add-proposition" ref={addForm}>
            <input type="hidden" name="intent" value="add" />
            <label className="field">
              <span>{t("review.addByHand")}</span>
              <textarea name="text" rows={2} maxLength={LIMITS.propositionMaxChars} required lang={textLanguage} dir="auto" />
            </label>
            <button type="submit" className="button" disabled={busy}>
              {t("review.addProposition")}
            </button>
          </Form>
        </div>
        <aside aria-label={t("review.sourceArticle")}>
          <h2>{debate.thesis.heading ? t("review.source", { heading: debate.thesis.heading }) : t("review.sourceWhole")}</h2>
          <SourceText lang={textLanguage} sourceText={debate.sourceText} span={debate.thesis.span} propositions={debate.propositions} linkPrefix="draft-" candidates={review.candidates} />
        </aside>
      </div>
    </section>
  );
}

/** A BCP 47 tag for an ISO 639-3 code from franc ("deu" → "de"), or undefined for "und" or a code Intl does not know. */
function bcp47(code: string): string | undefined {
  if (code === "und") return undefined;
  try {
    return Intl.getCanonicalLocales(code)[0];
  } catch {
    return undefined;
  }
}

/**
 * The name of a detected language (ISO 639-3 from franc, server/domain/nlp.ts) in the page's language
 * (Intl.DisplayNames); the server's English name when Intl does not know the code.
 */
function languageName(code: string, englishName: string, locale: string): string {
  if (code === "und") return englishName;
  try {
    const name = new Intl.DisplayNames([locale], { type: "language" }).of(code);
    return name && name !== code ? name : englishName;
  } catch {
    return englishName;
  }
}
