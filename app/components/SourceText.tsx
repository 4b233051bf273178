import type { PropositionDTO, Span } from "~/shared/contract";

/**
 * The source article's section with each proposition's span highlighted.
 * Each highlight links to the proposition (`#${linkPrefix}${id}`), shows
 * its number and has the id `span-${id}` (so a proposition can link back to it). Candidate sentences (review page), when given, are marked too,
 * differently, and link to their entry (`#candidate-${n}`). Text is rendered as
 * text (React escapes it), never as HTML.
 */
export function SourceText({ sourceText, span, propositions, linkPrefix = "prop-", activeId, candidates = [] }: { sourceText: string; span: Span; propositions: PropositionDTO[]; linkPrefix?: string; activeId?: string | null; candidates?: { sourceSpan: Span }[] }) {
  const numbered = propositions.map((p, i) => ({ p, n: i + 1 }));
  const inside = (s: Span | null): s is Span => s !== null && s.start >= span.start && s.end <= span.end && s.end > s.start;
  const anchored = [
    ...numbered.filter(({ p }) => inside(p.sourceSpan)).map(({ p, n }) => ({ kind: "proposition" as const, p, n, s: p.sourceSpan! })),
    ...candidates.map((c, i) => ({ kind: "candidate" as const, p: null, n: i + 1, s: c.sourceSpan })).filter((c) => inside(c.s)),
  ].sort((a, b) => a.s.start - b.s.start);
  const parts: React.ReactNode[] = [];
  let cursor = span.start;
  for (const { kind, p, n, s } of anchored) {
    if (s.start < cursor) continue; // overlapping spans (after a manual merge): show the first only
    if (s.start > cursor) parts.push(sourceText.slice(cursor, s.start));
    if (kind === "candidate" || !p) {
      parts.push(
        <a key={`candidate-${n}`} href={`#candidate-${n}`} className="highlight candidate-highlight" aria-label={`Candidate sentence ${n}: ${sourceText.slice(s.start, s.end)}`}>
          <mark>{sourceText.slice(s.start, s.end)}</mark>
        </a>,
      );
      cursor = s.end;
      continue;
    }
    parts.push(
      <a key={p.id} id={`span-${p.id}`} href={`#${linkPrefix}${p.id}`} className={`highlight${activeId === p.id ? " active" : ""}`} aria-label={`Proposition ${n}: ${sourceText.slice(s.start, s.end)}`}>
        <sup className="highlight-number" aria-hidden>
          {n}
        </sup>
        <mark>{sourceText.slice(s.start, s.end)}</mark>
      </a>,
    );
    cursor = s.end;
  }
  if (cursor < span.end) parts.push(sourceText.slice(cursor, span.end));
  return <div className="source-text">{parts}</div>;
}
