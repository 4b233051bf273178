/**
 * `npm run eval:propositions -- --diagnose`: where the drafter loses gold claims, and what an
 * oracle could reach under the same size cap (ADR 0057).
 *
 * Per article:
 *  - **Oracle ceilings.** The best recall a drafter could reach with at most `cap` drafts if it
 *    picked the ideal units, for four unit inventories: the drafter's own candidates (its sentence
 *    groups, as narrowed: what a perfect ranking would reach), single sentences, sentence groups
 *    (1 to {@link ORACLE_GROUP_SENTENCES} consecutive sentences of one paragraph, at most
 *    {@link ORACLE_GROUP_CHARS} UTF-16 code units, the size of the drafter's soft groups; a single
 *    sentence of any length counts) and the
 *    gold claims themselves (perfect clause spans). A unit covers a claim as the eval counts it
 *    (its span overlaps at least half of the claim). The oracle drafts only units that cover a
 *    claim, so its precision is 1 whenever it drafts at all; its recall is an exact maximum
 *    coverage ({@link maxCoverage}), not a greedy estimate.
 *  - **Each gold claim's fate** under today's drafts: drafted; its candidate ranked out (below the cap by
 *    score, or pushed out by the paragraph spread; with the candidate's score rank among the draftable
 *    ones); its candidate below `minScore`; its
 *    candidate not draftable (starts with a connective or pronoun); or never a candidate (no
 *    candidate span overlaps half of it), split into "spans sentences" (the claim crosses a
 *    sentence boundary and no candidate holds enough of it) and "dropped" (its sentence is in no
 *    candidate: a question, a lone dependent sentence, cut framing).
 *  - **Drafts covering no claim**, and which score terms lift them: for each term, the mean
 *    weighted contribution among wrong drafts minus the mean among the missed claims' candidates
 *    (a positive difference is a term that ranks wrong drafts above missed claims).
 *  - **Ranking quality**: the AUC of the candidate score for "covers a gold claim".
 */
import { draftPropositionList, type ScoredProposition, type ScoringWeights, type Terms, TERM_NAMES, SCORING_WEIGHTS } from "../../server/domain/claims";
import { sentenceSpans } from "../../server/domain/propositions";
import { startsDependent } from "../../server/domain/rewording";
import { covers, overlap, TARGETS, type EvalArticle } from "./claim-eval";

/** Most sentences of an oracle sentence group (the drafter's soft groups: SOFT_MAX_SENTENCES). */
export const ORACLE_GROUP_SENTENCES = 3;
/** Most UTF-16 code units of an oracle sentence group (SOFT_MAX_CHARS). */
export const ORACLE_GROUP_CHARS = 400;

interface Span {
  start: number;
  end: number;
}


/**
 * The most claims `cap` units can cover, exactly. Claims are disjoint spans in text order and units
 * are spans, so each unit covers a contiguous run of claim indices [a, b]; the maximum coverage of
 * intervals is a dynamic programme over (units used, first claim not yet counted).
 * @param claims gold spans sorted by start, pairwise disjoint.
 * @param units candidate spans (any order).
 * @returns covered claims (≤ claims.length) and the fewest units that reach it.
 * @throws Error if a unit covers a non-contiguous set of claims (overlapping gold claims).
 */
export function maxCoverage(claims: Span[], units: Span[], cap: number): { covered: number; units: number } {
  const ranges: [number, number][] = [];
  for (const u of units) {
    const idx = claims.flatMap((c, i) => (covers(u, c) ? [i] : []));
    if (idx.length === 0) continue;
    if (idx[idx.length - 1]! - idx[0]! + 1 !== idx.length) throw new Error("maxCoverage: a unit covers a non-contiguous set of claims");
    ranges.push([idx[0]!, idx[idx.length - 1]!]);
  }
  const n = claims.length;
  // best[j] with k units: most claims covered, counting only claims < j, every unit ending before j.
  let best = new Array<number>(n + 1).fill(0);
  let result = { covered: 0, units: 0 };
  for (let k = 1; k <= cap; k++) {
    const next = [...best];
    for (const [a, b] of ranges) {
      for (let j = 0; j <= b; j++) {
        const gain = b + 1 - Math.max(a, j);
        if (gain > 0 && best[j]! + gain > next[b + 1]!) next[b + 1] = best[j]! + gain;
      }
    }
    for (let j = 1; j <= n; j++) next[j] = Math.max(next[j]!, next[j - 1]!);
    best = next;
    if (best[n]! > result.covered) result = { covered: best[n]!, units: k };
    if (result.covered === n) break;
  }
  return result;
}

/** What happened to one gold claim. */
export type ClaimFate = "drafted" | "ranked out" | "below minScore" | "not draftable" | "spans sentences" | "dropped";

/** The diagnosis of one article (see the module docstring). */
export interface ArticleDiagnosis {
  name: string;
  words: number;
  cap: number;
  gold: number;
  drafts: number;
  /** Claims covered by today's drafts. */
  covered: number;
  correctDrafts: number;
  /** Best recall under the cap per unit inventory (precision of the oracle is 1). */
  oracle: { candidates: number; sentences: number; groups: number; clauses: number };
  /** Gold claims longer than one sentence, and inside a sentence of more than twice their length. */
  shape: { multiSentence: number; insideLongSentence: number };
  fates: Record<ClaimFate, number>;
  /** Score ranks (1-based, among draftable candidates at or above minScore) of the candidates of claims ranked out. */
  belowCapRanks: number[];
  /** AUC of the candidate score for covering a claim (0.5 = chance). */
  auc: number;
  /** Mean words per draft and per gold claim (a drafter that grows its spans would cover more for free). */
  meanDraftWords: number;
  meanClaimWords: number;
  /** Term contributions (weight × value): mean over wrong drafts minus mean over the missed claims' candidates. */
  misleading: { term: string; diff: number }[];
  /** Examples: wrong drafts and missed claims with their fate. */
  wrong: string[];
  missed: { fate: ClaimFate; text: string; score: number | null }[];
}

const words = (s: string) => s.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;

function auc(pos: number[], neg: number[]): number {
  if (pos.length === 0 || neg.length === 0) return Number.NaN;
  let s = 0;
  for (const p of pos) for (const q of neg) s += p > q ? 1 : p === q ? 0.5 : 0;
  return s / (pos.length * neg.length);
}

/**
 * Diagnoses one article's draft under `weights` (default: the shipped ones).
 * @returns the figures of {@link ArticleDiagnosis}.
 */
export function diagnoseArticle(article: EvalArticle, weights: ScoringWeights = SCORING_WEIGHTS): ArticleDiagnosis {
  const termsBySpan = new Map<string, Terms>();
  const d = draftPropositionList(article.text, { weights, onTerms: (s, t) => termsBySpan.set(`${s.start}:${s.end}`, t) });
  const claims = [...article.claims].sort((a, b) => a.start - b.start);
  const all: ScoredProposition[] = [...d.drafts, ...d.candidates];
  const sentences = sentenceSpans(article.text, d.span);
  const groups: Span[] = [];
  sentences.forEach((s, i) => {
    for (let k = i; k < Math.min(sentences.length, i + ORACLE_GROUP_SENTENCES); k++) {
      const e = sentences[k]!;
      if (k > i && (e.paragraph !== s.paragraph || e.end - s.start > ORACLE_GROUP_CHARS)) break;
      groups.push({ start: s.start, end: e.end });
    }
  });
  const recallOf = (units: Span[]) => maxCoverage(claims, units, d.cap).covered / claims.length;
  const oracle = {
    candidates: recallOf(all.map((p) => p.sourceSpan)),
    sentences: recallOf(sentences),
    groups: recallOf(groups),
    clauses: recallOf(claims),
  };

  const draftable = (p: ScoredProposition) => !startsDependent(p.suggestion ?? p.text);
  const eligible = all.filter((p) => draftable(p) && p.score >= weights.minScore).sort((a, b) => b.score - a.score);
  const fates: Record<ClaimFate, number> = { drafted: 0, "ranked out": 0, "below minScore": 0, "not draftable": 0, "spans sentences": 0, dropped: 0 };
  const belowCapRanks: number[] = [];
  const missed: ArticleDiagnosis["missed"] = [];
  const missedCands: ScoredProposition[] = [];
  let multiSentence = 0;
  let insideLongSentence = 0;
  for (const c of claims) {
    const inSentences = sentences.filter((s) => overlap(s, c) > 0);
    if (inSentences.length > 1) multiSentence++;
    else if (inSentences.length === 1 && inSentences[0]!.end - inSentences[0]!.start > 2 * (c.end - c.start)) insideLongSentence++;
    let fate: ClaimFate;
    let score: number | null = null;
    if (d.drafts.some((p) => covers(p.sourceSpan, c))) fate = "drafted";
    else {
      const cands = all.filter((p) => covers(p.sourceSpan, c)).sort((a, b) => b.score - a.score);
      const cand = cands.find(draftable) ?? cands[0];
      if (!cand) fate = inSentences.length > 1 && all.some((p) => overlap(p.sourceSpan, c) > 0) ? "spans sentences" : "dropped";
      else {
        score = cand.score;
        missedCands.push(cand);
        if (!draftable(cand)) fate = "not draftable";
        else if (cand.score < weights.minScore) fate = "below minScore";
        else {
          fate = "ranked out";
          belowCapRanks.push(eligible.indexOf(cand) + 1);
        }
      }
    }
    fates[fate]++;
    if (fate !== "drafted") missed.push({ fate, text: c.text, score });
  }
  const wrongDrafts = d.drafts.filter((p) => !claims.some((c) => covers(p.sourceSpan, c)));
  const contribution = (p: ScoredProposition, k: (typeof TERM_NAMES)[number]) => (termsBySpan.get(`${p.sourceSpan.start}:${p.sourceSpan.end}`)?.[k] ?? 0) * weights.terms[k];
  const mean = (ps: ScoredProposition[], k: (typeof TERM_NAMES)[number]) => (ps.length === 0 ? 0 : ps.reduce((s, p) => s + contribution(p, k), 0) / ps.length);
  const misleading = TERM_NAMES.map((k) => ({ term: k, diff: mean(wrongDrafts, k) - mean(missedCands, k) }))
    .filter((x) => Math.abs(x.diff) > 1e-9)
    .sort((a, b) => b.diff - a.diff);
  const label = (p: ScoredProposition) => claims.some((c) => covers(p.sourceSpan, c));
  return {
    name: article.name,
    words: d.words,
    cap: d.cap,
    gold: claims.length,
    drafts: d.drafts.length,
    covered: fates.drafted,
    correctDrafts: d.drafts.length - wrongDrafts.length,
    oracle,
    shape: { multiSentence, insideLongSentence },
    fates,
    belowCapRanks,
    auc: auc(all.filter(label).map((p) => p.score), all.filter((p) => !label(p)).map((p) => p.score)),
    meanDraftWords: d.drafts.reduce((s, p) => s + words(p.text), 0) / Math.max(1, d.drafts.length),
    meanClaimWords: claims.reduce((s, c) => s + words(c.text), 0) / Math.max(1, claims.length),
    misleading,
    wrong: wrongDrafts.map((p) => p.text),
    missed,
  };
}

/** The diagnosis of every article as Markdown tables, then per-article details when `verbose`. */
export function formatDiagnosis(rows: ArticleDiagnosis[], verbose = false): string {
  const f = (x: number) => x.toFixed(2);
  const out: string[] = [];
  out.push("Oracle ceilings under the cap (best recall; the oracle's precision is 1.00):\n");
  out.push("| article | words | cap | gold | today R / P | oracle: candidates | sentences | groups (≤3 sent.) | clause spans | claims needed for recall target / cap |");
  out.push("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    const needed = Math.ceil(TARGETS.recall * r.gold - 1e-9);
    out.push(
      `| ${r.name} | ${r.words} | ${r.cap} | ${r.gold} | ${f(r.covered / r.gold)} / ${f(r.correctDrafts / Math.max(1, r.drafts))} | ${f(r.oracle.candidates)} | ${f(r.oracle.sentences)} | ${f(r.oracle.groups)} | ${f(r.oracle.clauses)} | ${needed} / ${r.cap}${needed > r.cap ? " (out of reach with one claim per draft)" : ""} |`,
    );
  }
  out.push(
    `\nWith one claim per draft, the recall target needs ⌈${TARGETS.recall}·gold⌉ correct drafts within the cap, and the precision target then allows at most ${Math.round((1 / TARGETS.precision - 1) * 100)} % as many wrong ones.`,
  );
  out.push("\nWhere the gold claims go (today's drafts):\n");
  out.push("| article | drafted | ranked out (score ranks) | below minScore | not draftable | spans sentences | dropped | multi-sentence claims | claim in a sentence > 2× its length | AUC | words/draft | words/claim |");
  out.push("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    out.push(
      `| ${r.name} | ${r.fates.drafted} | ${r.fates["ranked out"]} (${r.belowCapRanks.sort((a, b) => a - b).join(", ")}) | ${r.fates["below minScore"]} | ${r.fates["not draftable"]} | ${r.fates["spans sentences"]} | ${r.fates.dropped} | ${r.shape.multiSentence} | ${r.shape.insideLongSentence} | ${f(r.auc)} | ${r.meanDraftWords.toFixed(0)} | ${r.meanClaimWords.toFixed(0)} |`,
    );
  }
  // Terms that lift wrong drafts over missed claims, pooled over articles.
  const pooled = new Map<string, number>();
  for (const r of rows) for (const m of r.misleading) pooled.set(m.term, (pooled.get(m.term) ?? 0) + m.diff / rows.length);
  const sorted = [...pooled.entries()].sort((a, b) => b[1] - a[1]);
  out.push("\nTerms that rank wrong drafts above missed claims (mean contribution, wrong drafts minus missed claims' candidates, averaged over articles):");
  out.push(`  lift wrong drafts: ${sorted.filter(([, v]) => v > 0.02).slice(0, 8).map(([k, v]) => `${k} +${v.toFixed(2)}`).join(", ")}`);
  out.push(`  favour missed claims: ${sorted.filter(([, v]) => v < -0.02).reverse().slice(0, 8).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", ")}`);
  if (verbose) {
    for (const r of rows) {
      out.push(`\n## ${r.name}`);
      for (const m of r.missed) out.push(`  MISSED (${m.fate}${m.score === null ? "" : `, ${m.score.toFixed(2)}`}) ${m.text.slice(0, 110)}`);
      for (const w of r.wrong) out.push(`  WRONG ${w.slice(0, 110)}`);
    }
  }
  return out.join("\n");
}
