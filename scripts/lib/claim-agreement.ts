/**
 * How far two careful readers agree on an article's debatable claims, measured with the
 * evaluation's own rules (ADR 0058), and how the drafter does against either reader.
 *
 * Reader A is the evaluation set's gold (tests/fixtures/claims/<name>.gold.json); reader B is a
 * second annotation made blind to A with the same guideline
 * (tests/fixtures/claims/second-reader/<name>.json, claims ordered most important first).
 * B's marks are scored as if they were drafts against A, with the rule of `scoreDraft`
 * (scripts/lib/claim-eval.ts): a claim is covered by a span that overlaps at least half of
 * the claim's characters (UTF-16 code units); recall = A's claims covered / A's claims;
 * precision = B's marks covering one of A's claims / B's marks. This is the "pairwise F1" way of
 * reporting unitised inter-annotator agreement used where a kappa is undefined for spans
 * (Hripcsak & Rothschild 2005, "Agreement, the F-measure, and reliability in information
 * retrieval", JAMIA 12(3)).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { PropositionDraft } from "../../server/domain/claims";
import { covers, type EvalArticle } from "./claim-eval";

/** A half-open span of UTF-16 code units in the article's text. */
export interface Span {
  start: number;
  end: number;
}

const secondReaderSchema = z.object({
  annotated: z.string().min(1),
  claims: z.array(z.string().min(1)).min(1),
});


/** Recall and precision of `marks` (treated as drafts) against `gold`, with counts. */
export interface Match {
  covered: number;
  gold: number;
  correct: number;
  marks: number;
  recall: number;
  precision: number;
}

/**
 * Scores spans against gold claims with the evaluation's rule.
 * @param gold the reference claims' spans.
 * @param marks the spans judged (another reader's marks, or drafts).
 * @returns recall = gold covered / gold (1 when there is no gold); precision = marks covering
 *   some gold / marks (0 when there are no marks).
 */
export function match(gold: Span[], marks: Span[]): Match {
  const covered = gold.filter((c) => marks.some((m) => covers(m, c))).length;
  const correct = marks.filter((m) => gold.some((c) => covers(m, c))).length;
  return {
    covered,
    gold: gold.length,
    correct,
    marks: marks.length,
    recall: gold.length === 0 ? 1 : covered / gold.length,
    precision: marks.length === 0 ? 0 : correct / marks.length,
  };
}

/**
 * Loads reader B's marks for an article, as spans of its text.
 * @returns undefined when the folder has no file for the article.
 * @throws Error naming the file when it is malformed or a mark is not an exact substring occurring
 *   once in the text.
 */
export function loadSecondReader(dir: string, article: EvalArticle): Span[] | undefined {
  const file = path.join(dir, `${article.name}.json`);
  if (!existsSync(file)) return undefined;
  const parsed = secondReaderSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  return parsed.claims.map((c) => {
    const start = article.text.indexOf(c);
    if (start < 0 || article.text.indexOf(c, start + 1) >= 0) throw new Error(`${file}: the claim "${c.slice(0, 60)}…" must occur exactly once in ${article.name}.txt.`);
    return { start, end: start + c.length };
  });
}

/** One article's agreement figures. */
export interface AgreementRow {
  name: string;
  cap: number;
  /** B's marks scored against A's gold. */
  readerB: Match;
  /** B's first `cap` marks (B's own order of importance) against A: a careful reader under the size cap. */
  readerBUnderCap: Match;
  /** The drafter against A (the evaluation's figures). */
  drafterVsA: Match;
  /** The drafter against B. */
  drafterVsB: Match;
  /** The drafter's precision counting a draft as right when it covers a claim of either reader. */
  drafterPrecisionEither: number;
}

/**
 * Agreement of reader B with reader A, and of the drafter with each, on one article.
 * @param draft the drafter's output for `article.text` (its drafts' `sourceSpan`s and `cap`).
 */
export function agreementRow(article: EvalArticle, readerB: Span[], draft: PropositionDraft): AgreementRow {
  const gold = article.claims.map((c) => ({ start: c.start, end: c.end }));
  const drafts = draft.drafts.map((d) => d.sourceSpan);
  const either = [...gold, ...readerB];
  return {
    name: article.name,
    cap: draft.cap,
    readerB: match(gold, readerB),
    readerBUnderCap: match(gold, readerB.slice(0, draft.cap)),
    drafterVsA: match(gold, drafts),
    drafterVsB: match(readerB, drafts),
    drafterPrecisionEither: drafts.length === 0 ? 0 : drafts.filter((d) => either.some((c) => covers(d, c))).length / drafts.length,
  };
}

/**
 * The agreement table as Markdown, with a mean row and, when `targets` are given, a line saying on
 * how many articles the second reader itself reaches them against the gold, with and without the cap.
 */
export function formatAgreement(rows: AgreementRow[], targets?: { recall: number; precision: number }): string {
  const f = (m: Match) => `${m.recall.toFixed(2)} / ${m.precision.toFixed(2)}`;
  const mean = (pick: (r: AgreementRow) => number) => (rows.reduce((s, r) => s + pick(r), 0) / Math.max(1, rows.length)).toFixed(2);
  return [
    "| article | cap | A's claims | B's marks | B vs A: R / P | B's first cap vs A: R / P | drafter vs A: R / P | drafter vs B: R / P | drafter P, either reader |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.cap} | ${r.readerB.gold} | ${r.readerB.marks} | ${f(r.readerB)} | ${f(r.readerBUnderCap)} | ${f(r.drafterVsA)} | ${f(r.drafterVsB)} | ${r.drafterPrecisionEither.toFixed(2)} |`,
    ),
    `| **mean** | | | | ${mean((r) => r.readerB.recall)} / ${mean((r) => r.readerB.precision)} | ${mean((r) => r.readerBUnderCap.recall)} / ${mean((r) => r.readerBUnderCap.precision)} | ${mean((r) => r.drafterVsA.recall)} / ${mean((r) => r.drafterVsA.precision)} | ${mean((r) => r.drafterVsB.recall)} / ${mean((r) => r.drafterVsB.precision)} | ${mean((r) => r.drafterPrecisionEither)} |`,
    ...(targets
      ? [
          "",
          `The second reader reaches recall ≥ ${targets.recall} and precision ≥ ${targets.precision} against the gold on ` +
            `${rows.filter((r) => meets(r.readerB, targets)).length} of ${rows.length} articles, ` +
            `${rows.filter((r) => meets(r.readerBUnderCap, targets)).length} of ${rows.length} with its first cap marks.`,
        ]
      : []),
  ].join("\n");
}

const meets = (m: Match, targets: { recall: number; precision: number }) => m.recall >= targets.recall && m.precision >= targets.precision;
