import { memo, useCallback, useEffect, useImperativeHandle, useRef, useState } from "react";
import type { PropositionDTO, Span } from "~/shared/contract";
import { useT } from "~/i18n/react";

/**
 * Above this many highlighted propositions the article is folded (docs/decisions/0028-folded-source-article.md):
 * a closed "Show the article" disclosure, and once open only the parts in and near the view carry
 * their highlights; the rest is plain text.
 */
export const FOLD_ABOVE = 200;
/** Highlights per part of a folded article. */
export const CHUNK_HIGHLIGHTS = 20;

type Anchored =
  | { kind: "proposition"; p: PropositionDTO; n: number; s: Span }
  | { kind: "candidate"; p: null; n: number; s: Span };

/** The highlights inside `span`, in text order, overlapping ones dropped (the first is kept). */
function anchorsOf(span: Span, propositions: PropositionDTO[], candidates: { sourceSpan: Span }[]): Anchored[] {
  const inside = (s: Span | null): s is Span => s !== null && s.start >= span.start && s.end <= span.end && s.end > s.start;
  const all: Anchored[] = [
    ...propositions.flatMap((p, i) => (inside(p.sourceSpan) ? [{ kind: "proposition" as const, p, n: i + 1, s: p.sourceSpan }] : [])),
    ...candidates.flatMap((c, i) => (inside(c.sourceSpan) ? [{ kind: "candidate" as const, p: null, n: i + 1, s: c.sourceSpan }] : [])),
  ].sort((a, b) => a.s.start - b.s.start);
  const kept: Anchored[] = [];
  let cursor = span.start;
  for (const a of all) {
    if (a.s.start < cursor) continue; // overlapping spans (after a manual merge): show the first only
    kept.push(a);
    cursor = a.s.end;
  }
  return kept;
}

interface HighlightProps {
  sourceText: string;
  linkPrefix: string;
  activeId?: string | null;
  onProposition?: (id: string) => void;
}

/** The text of [from, to) with the highlights of `anchors` (all inside it) as links. */
function renderParts(from: number, to: number, anchors: Anchored[], { sourceText, linkPrefix, activeId, onProposition }: HighlightProps, t: ReturnType<typeof useT>): React.ReactNode[] {
  const parts: React.ReactNode[] = [];
  let cursor = from;
  for (const { kind, p, n, s } of anchors) {
    if (s.start > cursor) parts.push(sourceText.slice(cursor, s.start));
    if (kind === "candidate" || !p) {
      parts.push(
        <a key={`candidate-${n}`} href={`#candidate-${n}`} className="highlight candidate-highlight" aria-label={t("source.candidate", { n, text: sourceText.slice(s.start, s.end) })}>
          <mark>{sourceText.slice(s.start, s.end)}</mark>
        </a>,
      );
      cursor = s.end;
      continue;
    }
    parts.push(
      <a key={p.id} id={`span-${p.id}`} href={`#${linkPrefix}${p.id}`} className={`highlight${activeId === p.id ? " active" : ""}`} aria-label={t("source.proposition", { n, text: sourceText.slice(s.start, s.end) })} onClick={onProposition ? () => onProposition(p.id) : undefined}>
        <sup className="highlight-number" aria-hidden>
          {n}
        </sup>
        <mark>{sourceText.slice(s.start, s.end)}</mark>
      </a>,
    );
    cursor = s.end;
  }
  if (cursor < to) parts.push(sourceText.slice(cursor, to));
  return parts;
}

/**
 * The source article's section with each proposition's span highlighted.
 * Each highlight links to the proposition (`#${linkPrefix}${id}`), shows
 * its number and has the id `span-${id}` (so a proposition can link back to it). Candidate sentences (review page), when given, are marked too,
 * differently, and link to their entry (`#candidate-${n}`). Text is rendered as
 * text (React escapes it), never as HTML. `lang`: the article's language when known (the debate's).
 * `onProposition`: called when a highlight is followed (the page brings a proposition of a
 * virtualised list into the DOM). `highlight`: gets the function that marks one proposition's
 * highlight active (the one under the pointer or focus on the debate page). That mark is this
 * component's state and it is memoised: moving over the propositions (scrolling with the wheel)
 * renders the article again, not the page, and the page's renders leave the article alone while its
 * props stay the same (bench/scroll.ts). More than `FOLD_ABOVE` highlights: the folded article
 * (`FoldedSourceText`).
 */
export const SourceText = memo(function SourceText({ sourceText, span, propositions, linkPrefix = "prop-", candidates = [], lang, onProposition, highlight }: { lang?: string; sourceText: string; span: Span; propositions: PropositionDTO[]; linkPrefix?: string; candidates?: { sourceSpan: Span }[]; onProposition?: (id: string) => void; highlight?: React.Ref<(id: string) => void> }) {
  const [activeId, setActiveId] = useState<string | null>(null);
  useImperativeHandle(highlight, () => setActiveId, []);
  const t = useT();
  const anchors = anchorsOf(span, propositions, candidates);
  const props = { sourceText, linkPrefix, activeId, onProposition };
  if (anchors.length > FOLD_ABOVE) return <FoldedSourceText span={span} anchors={anchors} lang={lang} {...props} />;
  return (
    <div className="source-text" lang={lang} dir="auto">
      {renderParts(span.start, span.end, anchors, props, t)}
    </div>
  );
});

/** Parts of the article of at most `CHUNK_HIGHLIGHTS` highlights each, cut where a highlight starts. */
function chunksOf(span: Span, anchors: Anchored[]): { from: number; to: number; anchors: Anchored[] }[] {
  const chunks: { from: number; to: number; anchors: Anchored[] }[] = [];
  for (let i = 0; i < anchors.length; i += CHUNK_HIGHLIGHTS) {
    const mine = anchors.slice(i, i + CHUNK_HIGHLIGHTS);
    chunks.push({ from: i === 0 ? span.start : mine[0]!.s.start, to: i + CHUNK_HIGHLIGHTS < anchors.length ? anchors[i + CHUNK_HIGHLIGHTS]!.s.start : span.end, anchors: mine });
  }
  return chunks;
}

/**
 * A big article (docs/decisions/0028-folded-source-article.md): folded in a `<details>` (closed at
 * first), cut into inline parts of `CHUNK_HIGHLIGHTS` highlights. A part is plain text (one text node,
 * so the article keeps its length, wrapping and find-in-page) until it comes near the view
 * (IntersectionObserver), then it carries its highlights, and keeps them. A link to `#span-<id>`
 * (a proposition's "Where the article says this", or an address with that hash) opens the article,
 * renders the part of that span and scrolls to it.
 */
function FoldedSourceText({ span, anchors, lang, ...props }: HighlightProps & { span: Span; anchors: Anchored[]; lang?: string }) {
  const t = useT();
  const chunks = chunksOf(span, anchors);
  const [shown, setShown] = useState<ReadonlySet<number>>(() => new Set());
  const details = useRef<HTMLDetailsElement>(null);
  const show = useCallback((indices: number[]) => setShown((old) => (indices.every((i) => old.has(i)) ? old : new Set([...old, ...indices]))), []);

  // Parts near the view (only while the article is open: a closed <details> lays nothing out) get their highlights.
  useEffect(() => {
    const root = details.current;
    if (!root || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => {
        const near = entries.filter((e) => e.isIntersecting).map((e) => Number((e.target as HTMLElement).dataset.chunk));
        if (near.length) show(near);
      },
      { rootMargin: "50% 0px" },
    );
    root.querySelectorAll<HTMLElement>("[data-chunk]").forEach((element) => observer.observe(element));
    return () => observer.disconnect();
    // Observed again when highlights come or go (the parts' bounds move): the parts in view are told again.
  }, [show, anchors.length]);

  // A link to a span: open the article, render its part, scroll to the span and focus it.
  const chunkOfSpan = useRef<(id: string) => number>(() => -1);
  chunkOfSpan.current = (id) => chunks.findIndex((c) => c.anchors.some((a) => a.p?.id === id));
  useEffect(() => {
    const reveal = (hash: string) => {
      const m = /^#span-(.+)$/.exec(hash);
      if (!m) return;
      const id = decodeURIComponent(m[1]!);
      const index = chunkOfSpan.current(id);
      if (index < 0 || !details.current) return;
      details.current.open = true;
      show([index]);
      whenRendered(`span-${id}`, (element) => {
        element.scrollIntoView({ block: "center" });
        element.focus({ preventScroll: true });
      });
    };
    const onClick = (event: MouseEvent) => {
      const link = event.target instanceof Element ? event.target.closest<HTMLAnchorElement>('a[href^="#span-"]') : null;
      if (link) reveal(link.getAttribute("href")!);
    };
    const onHash = () => reveal(window.location.hash);
    onHash();
    document.addEventListener("click", onClick);
    window.addEventListener("hashchange", onHash);
    return () => {
      document.removeEventListener("click", onClick);
      window.removeEventListener("hashchange", onHash);
    };
  }, [show]);

  return (
    <details ref={details} className="source-fold" data-testid="source-fold">
      <summary className="button">{t("source.foldSummary", { count: anchors.length })}</summary>
      <div className="source-text" lang={lang} dir="auto">
        {chunks.map((c, i) => (
          <span key={i} data-chunk={i} className="source-chunk">
            {shown.has(i) ? renderParts(c.from, c.to, c.anchors, props, t) : props.sourceText.slice(c.from, c.to)}
          </span>
        ))}
      </div>
    </details>
  );
}

/** Calls `then` with the element of `id` once it is rendered (at most about a second of frames, or `frames`). */
export function whenRendered(id: string, then: (element: HTMLElement) => void, frames = 60) {
  const element = document.getElementById(id);
  if (element) then(element);
  else if (frames > 0) requestAnimationFrame(() => whenRendered(id, then, frames - 1));
}
