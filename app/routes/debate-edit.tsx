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

export const meta: Route.MetaFunction = ({ data }) => [{ title: `Review: ${data?.debate.title ?? "debate"} — Steelman` }];

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
function PropositionRow({ p, index, count, busy, published, error, suggestion }: { p: Route.ComponentProps["loaderData"]["debate"]["propositions"][number]; index: number; count: number; busy: boolean; published: boolean; error: string | null; suggestion: string | null }) {
  const [splitAt, setSplitAt] = useState(() => {
    const m = /[.!?…]["”’)]?\s+\S/.exec(p.text);
    return m ? m.index + m[0].length - 1 : Math.floor(p.text.length / 2);
  });
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
            Proposition {index + 1}
          </label>
          <textarea id={`text-${p.id}`} name="text" defaultValue={p.text} rows={Math.min(6, Math.ceil(p.text.length / 90) + 1)} maxLength={LIMITS.propositionMaxChars} key={p.text} />
          <button type="submit" className="button button-small" disabled={busy}>
            Save wording
          </button>
        </Form>
        <FormError message={error} />
        {suggestion ? (
          <div className="suggestion">
            <p>
              <strong>Suggested wording</strong> (so it reads without the sentence before it): {suggestion}
            </p>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="edit" />
              <input type="hidden" name="propositionId" value={p.id} />
              <input type="hidden" name="text" value={suggestion} />
              <button type="submit" className="button button-small" disabled={busy} aria-label={`Use the suggested wording for proposition ${index + 1}`}>
                Use this wording
              </button>
            </Form>
          </div>
        ) : null}
        {p.sourceSpan ? null : <p className="muted">Added by hand (not anchored to the article).</p>}
        {published ? null : (
        <div className="toolbar" role="group" aria-label={`Actions for proposition ${index + 1}`}>
          <Form method="post">
            <input type="hidden" name="intent" value="move" />
            <input type="hidden" name="propositionId" value={p.id} />
            <input type="hidden" name="direction" value="up" />
            <button type="submit" className="button" disabled={busy || index === 0} aria-label={`Move proposition ${index + 1} up`}>
              ↑ Up
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="move" />
            <input type="hidden" name="propositionId" value={p.id} />
            <input type="hidden" name="direction" value="down" />
            <button type="submit" className="button" disabled={busy || index === count - 1} aria-label={`Move proposition ${index + 1} down`}>
              ↓ Down
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="merge-next" />
            <input type="hidden" name="propositionId" value={p.id} />
            <button type="submit" className="button" disabled={busy || index === count - 1}>
              Merge with next
            </button>
          </Form>
          <details className="split">
            <summary className="button">Split…</summary>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="split" />
              <input type="hidden" name="propositionId" value={p.id} />
              <input type="hidden" name="at" value={splitAt} />
              <label>
                <span>Split after character {splitAt}:</span>
                <input type="range" min={1} max={Math.max(1, p.text.length - 1)} value={splitAt} onChange={(e) => setSplitAt(Number(e.target.value))} />
              </label>
              <p className="split-preview">
                <span>{p.text.slice(0, splitAt)}</span>
                <span className="split-mark" aria-label="split here">
                  ⟂
                </span>
                <span>{p.text.slice(splitAt)}</span>
              </p>
              <button type="submit" className="button" disabled={busy}>
                Split in two
              </button>
            </Form>
          </details>
          <Form method="post">
            <input type="hidden" name="intent" value="delete" />
            <input type="hidden" name="propositionId" value={p.id} />
            <button type="submit" className="button button-danger" disabled={busy}>
              Delete
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
  const busy = navigation.state !== "idle";
  const published = debate.status === "published";
  const [copied, setCopied] = useState(false);
  const currentSection = sections.find((s) => s.span.start === debate.thesis.span.start && s.span.end === debate.thesis.span.end);
  const error = actionData && "error" in actionData ? actionData.error : null;
  const rowError = error && actionData && "propositionId" in actionData ? actionData.propositionId : null;
  // Clear the "add by hand" box once the proposition was added.
  const addForm = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (actionData && "ok" in actionData && actionData.intent === "add") addForm.current?.reset();
  }, [actionData]);

  return (
    <section className="page">
      <p className="muted">
        <Link to="/">All debates</Link>
        {" · "}
        <Link to={`${debate.url}/settings`}>Settings and participants</Link>
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
            <strong>Published.</strong> Share this link with participants:
          </p>
          <p className="join-link">
            <input readOnly value={joinUrl} aria-label="Join link" onFocus={(e) => e.currentTarget.select()} />
            <button
              type="button"
              className="button"
              onClick={() => {
                void navigator.clipboard?.writeText(joinUrl).then(() => setCopied(true));
              }}
            >
              {copied ? "Copied" : "Copy link"}
            </button>
            <Link to={debate.url} className="button button-primary">
              Open the debate
            </Link>
          </p>
        </div>
      ) : (
        <div className="callout">
          <p>
            Review the draft: edit wording, delete, merge, split, reorder or add propositions. Participants can join once you publish.
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="publish" />
            <button type="submit" className="button button-primary" disabled={busy || debate.propositions.length === 0}>
              Publish debate
            </button>
          </Form>
        </div>
      )}

      <div className="edit-layout">
        <div>
          {!published ? (
            <Form method="post" className="inline-form section-picker">
              <input type="hidden" name="intent" value="resection" />
              <label>
                <span>Thesis section</span>
                <select name="section" defaultValue={currentSection ? String(currentSection.index) : "whole"} key={`${debate.thesis.span.start}-${debate.thesis.span.end}`}>
                  {sections.map((s) => (
                    <option key={s.index} value={s.index}>
                      {s.heading ?? "(text before the first heading)"}
                    </option>
                  ))}
                  <option value="whole">The whole text</option>
                </select>
              </label>
              <button type="submit" className="button" disabled={busy}>
                Re-draft from this section
              </button>
              {!debate.thesis.heading ? <p className="muted">No “hot take” heading was found, so the whole text was used. Pick a section if you prefer.</p> : null}
            </Form>
          ) : null}
          <p className="muted" data-testid="detected-language">
            Language detected: <strong>{review.language.name}</strong>
            {review.language.claimScoring
              ? ". Drafts are the article's most debatable claims, thesis first, about one per 120 words."
              : ". Claims are scored in English only, so the drafts are the article's sentences, paragraph openings first, about one per 120 words."}
          </p>
          <h2>
            Propositions <span className="muted">({debate.propositions.length})</span>
          </h2>
          {debate.propositions.length === 0 ? <p className="empty">No propositions yet. Add one below, or re-draft from another section.</p> : null}
          <ol className="draft-list">
            {debate.propositions.map((p, i) => (
              // Keyed by wording too, so the split suggestion follows an edit or merge.
              <PropositionRow key={`${p.id}:${p.text}`} p={p} index={i} count={debate.propositions.length} busy={busy} published={published} error={rowError === p.id ? (error?.message ?? null) : null} suggestion={review.suggestions[p.id] ?? null} />
            ))}
          </ol>
          {review.candidates.length > 0 ? (
            <section aria-labelledby="candidates-heading">
              <h2 id="candidates-heading">
                More candidate sentences <span className="muted">({review.candidates.length})</span>
              </h2>
              <p className="muted">Sentences the draft left out, in the article's order and marked with a dashed line in it. Add any with one click.</p>
              <ol className="candidate-list">
                {review.candidates.map((c, i) => (
                  <li key={`${c.sourceSpan.start}-${c.sourceSpan.end}`} id={`candidate-${i + 1}`} className="candidate">
                    <span className="candidate-text">{c.text}</span>
                    {c.suggestion ? <span className="muted"> (suggested wording: {c.suggestion})</span> : null}{" "}
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="add" />
                      <input type="hidden" name="text" value={c.text} />
                      <input type="hidden" name="start" value={c.sourceSpan.start} />
                      <input type="hidden" name="end" value={c.sourceSpan.end} />
                      <button type="submit" className="button button-small" disabled={busy} aria-label={`Add candidate sentence ${i + 1} as a proposition`}>
                        Add
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
              <span>Add a proposition by hand</span>
              <textarea name="text" rows={2} maxLength={LIMITS.propositionMaxChars} required />
            </label>
            <button type="submit" className="button" disabled={busy}>
              Add proposition
            </button>
          </Form>
        </div>
        <aside aria-label="Source article">
          <h2>Source: {debate.thesis.heading ?? "whole text"}</h2>
          <SourceText sourceText={debate.sourceText} span={debate.thesis.span} propositions={debate.propositions} linkPrefix="draft-" candidates={review.candidates} />
        </aside>
      </div>
    </section>
  );
}
