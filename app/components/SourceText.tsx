import type { PropositionDTO, Span } from "~/shared/contract";

/**
 * The source article's section with each proposition's span highlighted.
 * Each highlight links to the proposition (`#${linkPrefix}${id}`) and shows
 * its number. Text is rendered as text (React escapes it), never as HTML.
 */
export function SourceText({ sourceText, span, propositions, linkPrefix = "prop-", activeId }: { sourceText: string; span: Span; propositions: PropositionDTO[]; linkPrefix?: string; activeId?: string | null }) {
  const numbered = propositions.map((p, i) => ({ p, n: i + 1 }));
  const anchored = numbered
    .filter(({ p }) => p.sourceSpan && p.sourceSpan.start >= span.start && p.sourceSpan.end <= span.end && p.sourceSpan.end > p.sourceSpan.start)
    .sort((a, b) => a.p.sourceSpan!.start - b.p.sourceSpan!.start);
  const parts: React.ReactNode[] = [];
  let cursor = span.start;
  for (const { p, n } of anchored) {
    const s = p.sourceSpan!;
    if (s.start < cursor) continue; // overlapping spans (after a manual merge): show the first only
    if (s.start > cursor) parts.push(sourceText.slice(cursor, s.start));
    parts.push(
      <a key={p.id} href={`#${linkPrefix}${p.id}`} className={`highlight${activeId === p.id ? " active" : ""}`} aria-label={`Proposition ${n}: ${sourceText.slice(s.start, s.end)}`}>
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
