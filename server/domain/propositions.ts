/**
 * Splits an article's thesis section into draft propositions: short,
 * self-contained, debatable claims, each anchored to the exact characters of the
 * source.
 *
 * Offsets are UTF-16 code-unit offsets into the original string (JavaScript
 * string indices), half-open (`end` exclusive). Invariant of every result:
 * `source.slice(p.sourceSpan.start, p.sourceSpan.end) === p.text` — the text is
 * the exact slice (not whitespace-normalised), so the UI can highlight it; it
 * starts and ends with a non-whitespace character, and may contain a line break
 * only where a hard-wrapped paragraph had one.
 *
 * Pipeline (see {@link splitPropositions}):
 *  1. Paragraphs. Heading lines ({@link findHeadings}) and blank lines end
 *     paragraphs; so does a line break after a line that ends a sentence (or with
 *     `:`) or before a list item. Any other line break is a soft wrap inside a
 *     paragraph. Hence "one paragraph per line" (the fixture) and hard-wrapped
 *     paragraphs separated by blank lines both work. Nothing is joined across
 *     paragraphs.
 *  2. Sentences: `Intl.Segmenter("en", { granularity: "sentence" })` (Unicode
 *     UAX #29 sentence boundaries, ICU), run on each paragraph with its line
 *     breaks replaced by spaces of the same length (UAX #29 always breaks after a
 *     line break, which would cut wrapped sentences), fed in bounded windows
 *     ({@link segmentsOf}: V8's segment iterator is quadratic on long strings).
 *     UAX #29 has no abbreviation
 *     list, and JavaScript's Intl offers no way to turn on ICU's sentence-break
 *     suppressions (`ss=standard`), so a break right after one of
 *     {@link ABBREVIATIONS} — a subset of the CLDR `common/segments/en.xml`
 *     SentenceBreak suppressions (titles such as "Mr.", "Dr.", "vs.", "U.S.")
 *     that ICU would suppress — is undone, as ICU's FilteredBreakIterator does.
 *     A sentence longer than a proposition may be ({@link SENTENCE_MAX_CHARS}, the schema's
 *     limit: text without sentence punctuation) is cut at clause boundaries (line breaks,
 *     semicolons, colons, a comma before a conjunction) or else at a word boundary
 *     ({@link splitOverLong}), so no draft or candidate exceeds the limit.
 *  3. Classification of each sentence (see `classify`):
 *     - questions (ending in `?`) and sentences without any word are not
 *       propositions; they also separate what is around them ("The result?");
 *       a question whose first clause, before a semicolon, is a statement of
 *       6 words or more keeps that clause as a sentence of its own;
 *     - back-dependent, hard: starts with a coordinating conjunction (and, but,
 *       or, nor, yet, so, plus) or "because"/"which"/"whereas", or an elliptical
 *       "Not X, but Y" — these are among the explicit connectives of the Penn
 *       Discourse Treebank (Prasad et al. 2008, "The Penn Discourse TreeBank
 *       2.0", LREC; Webber et al. 2019, PDTB 3.0 annotation manual) whose first
 *       argument is the previous sentence when they start one;
 *     - brief: fewer than 6 words, or a short evaluative sentence (≤ 8 words,
 *       no internal punctuation, a copula followed by at most two words: "This is
 *       dangerously complacent.", "The manufacturing angle is particularly
 *       galling."). Such sentences evaluate or announce a claim rather than make
 *       one;
 *     - anaphoric: starts (possibly after one connective word such as "now",
 *       "and") with a third-person pronoun or a demonstrative — it, they, this,
 *       that, these, those, such, he, she… (not "we"/"our", which are deictic),
 *       except expletive "it is … that/to";
 *     - back-dependent, soft: starts with a PDTB discourse adverbial (however,
 *       therefore, meanwhile, instead, in fact, for example, …), or is anaphoric;
 *     - forward-dependent: a concession ("Yes, …", "Sure, …", "Granted, …",
 *       "Admittedly, …", "Of course, …" — the concession/rebuttal indicators of
 *       Stab & Gurevych 2014, "Identifying Argumentative Discourse Structures in
 *       Persuasive Essays", EMNLP, and PDTB's Comparison.Concession), or a lead-in
 *       ending with `:`;
 *     - negated ("not", "never", "n't").
 *  4. Grouping, inside each run of sentences between paragraph starts/ends and
 *     non-propositions:
 *     a. hard links join a sentence to the next when the next is hard
 *        back-dependent or brief; when the sentence is a concession or lead-in;
 *        when it is first in its run and brief (neither anaphoric nor
 *        conjunction-led) or "Because …" (it leads into the next: "America needs
 *        to wake up. Our current strategy …"; a "Because" paragraph explains the
 *        previous paragraph, which it may not join);
 *        when it is the last of its run and a concession/lead-in (joined back);
 *        and for a "not X. Y." substitution pair — a negated sentence followed by
 *        a non-negated anaphoric one ("They're not trying to match GPT-5 … They're
 *        trying to make AI useful …"; PDTB 3.0 Expansion.Substitution);
 *        a group of hard links is capped at {@link HARD_MAX_SENTENCES} sentences /
 *        {@link HARD_MAX_CHARS} code units (past it a new group starts; a lone
 *        dependent sentence left over is then dropped by c). A paragraph's first
 *        sentence starting with "But"/"And" stands alone: its connective ties it
 *        to the previous paragraph, and it is usually the paragraph's claim;
 *     b. soft links then merge a group into the previous one when its first
 *        sentence is soft back-dependent, while the result stays within
 *        {@link SOFT_MAX_SENTENCES} sentences / {@link SOFT_MAX_CHARS} code units;
 *     c. a group of one sentence that cannot stand alone (brief and anaphoric,
 *        brief and conjunction-led, a lead-in, or under 3 words) is dropped: it
 *        had nothing in its paragraph to attach to, and a facilitator cannot
 *        debate "And they're succeeding." by itself.
 *
 * The connective and concession lists come from the sources named above; the
 * thresholds (fewer than 6 words from the product issue; 8 words for evaluative
 * sentences; the caps) are our choices, tuned by reading the fixture article
 * /shared/fixtures/articles/ai-race-hot-take.txt, not fitted to its wording.
 */
import {
  endsParagraph,
  findHeadings,
  findThesisSection,
  isListOrQuoteLine,
  segmentsOf,
  splitLines,
  trimSpan,
  withoutClosers,
  wordsOf,
} from "./sections";
import type { Section, TextSpan } from "./sections";
import { LIMITS } from "../../app/shared/constants";

/** A draft proposition: `text === source.slice(sourceSpan.start, sourceSpan.end)` (UTF-16 offsets, end exclusive). */
export interface DraftProposition {
  text: string;
  sourceSpan: { start: number; end: number };
}

/** Most sentences a proposition joined by soft links (anaphora, discourse adverbials) may have. */
export const SOFT_MAX_SENTENCES = 3;
/** Most UTF-16 code units a proposition joined by soft links may span. */
export const SOFT_MAX_CHARS = 400;
/** Most sentences hard links (conjunctions, brief sentences, concessions) may chain; past it a new proposition starts. */
export const HARD_MAX_SENTENCES = 5;
/** Most UTF-16 code units hard links may chain. */
export const HARD_MAX_CHARS = 700;
/**
 * Most UTF-16 code units of any sentence, hence of any proposition drafted: the proposition
 * schema's limit (`LIMITS.propositionMaxChars`, app/shared/constants.ts), so every draft and
 * candidate can be saved as it is. A longer sentence (text without sentence punctuation) is cut
 * by {@link splitOverLong}.
 */
export const SENTENCE_MAX_CHARS = LIMITS.propositionMaxChars;

/**
 * Abbreviations after which a UAX #29 sentence break is undone: a subset of the
 * CLDR `common/segments/en.xml` SentenceBreak suppressions (the data ICU's
 * FilteredBreakIterator uses for `en@ss=standard`) — titles and abbreviations
 * that are normally followed by more of the sentence — plus lower-case
 * "e.g."/"i.e.". Matching is case-sensitive, on the whole last token of the
 * segment. Like ICU, this keeps "the U.S. Army is …" one sentence at the cost of
 * joining a sentence ending in "the U.S." to the next one (a longer proposition,
 * which is better than a stray "Army is …").
 */
export const ABBREVIATIONS: ReadonlySet<string> = new Set([
  "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Capt.", "Col.", "Lt.", "Maj.", "Sgt.", "Pvt.", "Rev.", "Mt.", "Mgr.",
  "Dept.", "Approx.", "vs.", "VS.", "E.g.", "e.g.", "I.e.", "i.e.", "U.S.", "U.S.A.", "U.K.", "St.",
]);

// --- classification ------------------------------------------------------------

/** PDTB explicit connectives that, starting a sentence, make it continue the previous one. */
export const HARD_CONNECTIVE = /^(?:and|but|or|nor|plus|because|which|whereas|yet(?!\s+(?:another|again)\b)|so(?![\s-]+(?:far|called|many|much|few|long|to\s+speak)\b))\b/i;
/** Elliptical correction "Not X, but Y." / "Not X, not Y, but Z." */
const ELLIPTICAL_NOT = /^not\b[^.!?]*,\s*(?:but|not)\b/i;
/** PDTB discourse adverbials (Prasad et al. 2008, Table 3 and appendix) that relate a sentence to the previous one. */
export const SOFT_CONNECTIVE = new RegExp(
  "^(?:" +
    [
      "however", "still", "instead", "otherwise", "therefore", "thus", "hence", "consequently", "accordingly",
      "nevertheless", "nonetheless", "moreover", "furthermore", "besides", "likewise", "similarly", "then",
      "indeed", "again", "also", "additionally", "meanwhile", "in fact", "as a result", "in other words", "in turn",
      "after all", "even so", "that said", "by contrast", "in contrast", "on the other hand", "for example",
      "for instance", "in addition", "as such", "in short", "in particular", "specifically", "ultimately",
    ].join("|") +
    ")\\b",
  "i",
);
/** Concession openers (Stab & Gurevych 2014 rebuttal/concession indicators; PDTB Comparison.Concession). */
export const CONCESSION = /^(?:(?:yes|yeah|sure|granted|true|of course|to be sure|no doubt|fair enough|agreed|admittedly)\s*[,—–]|admittedly\b)/i;
/** Third-person pronouns and demonstratives that refer back to the previous sentence. */
export const ANAPHORS: ReadonlySet<string> = new Set(["it", "its", "they", "them", "their", "theirs", "this", "that", "these", "those", "such", "he", "she", "his", "her", "him"]);
/** One leading connective word that may precede an anaphor ("Now that capacity …", "And they …"). */
export const ANAPHOR_PREFIX: ReadonlySet<string> = new Set(["now", "and", "but", "yet", "so", "still", "meanwhile", "today", "then", "also", "instead", "or"]);
/**
 * Expletive "it" (no antecedent): "It is clear that …", "It's not hard to …",
 * "It seems that …", "It clearly appears, that …", "(Hence) it is that …", "It is equally evident, that …",
 * "It can be little doubted that …", "it will be equally forgotten that …" — copula, an optional degree adverb, one adjective-like word,
 * then a complement clause. "It's on building models that …" is not expletive.
 */
export const EXPLETIVE_IT = new RegExp(
  "^it(?:['’]s|\\s+(?:is|was|seems|seemed|appears|remains))\\s+" +
    "(?:(?:\\w+ly|not|also|very|so|too|more|less|quite|really|still|even)\\s+)?" +
    "(?!(?:on|about|in|at|for|from|with|by|of|to|the|a|an|this|that|what|who|how|why|because)\\b)[\\w-]+(?:\\s*,)?\\s+" +
    "(?:that|to|whether|how|why|what|when|if)\\b" +
    "|^it\\s+(?:\\w+ly\\s+)?(?:seems|seemed|appears|appeared|follows|followed)\\s*,?\\s+(?:that|as\\s+if)\\b" +
    "|^it\\s+(?:is|was)\\s+that\\b" +
    "|^it(?:['’]s|\\s+(?:is|was))\\s+(?:not\\s+)?(?:in\\s+vain|of\\s+(?:great\\s+)?importance|no\\s+less|beyond\\s+doubt)\\b" +
    "|^it\\s+(?:is|was|has\\s+been|had\\s+been|(?:may|must|will|would|can|could|cannot|should|might)(?:\\s+(?:not|never|hardly|scarcely|little))?\\s+be)\\s+(?:\\w+ly\\s+|often\\s+|long\\s+|little\\s+)?(?:said|remarked|argued|observed|noted|claimed|alleged|shown|objected|confessed|admitted|granted|supposed|thought|believed|forgotten|remembered|found|seen|known|doubted|denied|urged|acknowledged|allowed|perceived|maintained|contended|asserted|affirmed|expected|feared|hoped)\\s*,?\\s+(?:that|by)\\b",
  "i",
);
const COPULAS = new Set([
  "is", "are", "was", "were", "isn't", "aren't", "wasn't", "weren't", "be", "remains", "remain", "seems", "seem",
  "seemed", "looks", "feels", "sounds", "became", "becomes", "become",
]);
const PRONOUN_COPULA = /^(?:it|that|this|they|we|you|he|she|there|here|what|i)['’](?:s|re|m)$/i;
const NEGATION = /\b(?:not|never|cannot)\b|n['’]t\b/i;

const OPENING_PUNCT = /^["'“‘«([*_]+/u;

const BRIEF_WORDS = 6; // "very short": fewer than 6 words
const EVALUATIVE_MAX_WORDS = 8;

interface Sentence {
  start: number;
  end: number;
  /** Not a proposition and separates its neighbours: a question, or no words. */
  barrier: boolean;
  hardBack: boolean;
  softBack: boolean;
  brief: boolean;
  anaphoric: boolean;
  concession: boolean;
  leadIn: boolean;
  because: boolean;
  negated: boolean;
  conjunctionLed: boolean;
  words: number;
}

function normalise(word: string): string {
  return word.toLowerCase().replace(/’/g, "'");
}

function classify(text: string, start: number, end: number): Sentence {
  const raw = text.slice(start, end);
  const s = raw.replace(OPENING_PUNCT, "");
  const words = wordsOf(raw, EVALUATIVE_MAX_WORDS + 1);
  const n = words.length;
  const base: Sentence = {
    start, end, barrier: false, hardBack: false, softBack: false, brief: false, anaphoric: false,
    concession: false, leadIn: false, because: false, negated: false, conjunctionLed: false, words: n,
  };
  const ending = withoutClosers(raw);
  // Questions, and "sentences" without a single letter (numbers, dashes, emoji), are not claims.
  if (n === 0 || /[?？⁇⁈]$/u.test(ending) || !/\p{L}/u.test(raw)) return { ...base, barrier: true };

  const lower = words.map(normalise);
  const conjunctionLed = HARD_CONNECTIVE.test(s) || ELLIPTICAL_NOT.test(s);
  const because = /^because\b/i.test(s);

  // Anaphora: first word, or second after one connective word; "they're" → "they".
  const stem = (w: string) => w.replace(/'(?:s|re|ve|ll|d)$/, "");
  let anaphoric = ANAPHORS.has(stem(lower[0]!)) || (n > 1 && ANAPHOR_PREFIX.has(lower[0]!) && ANAPHORS.has(stem(lower[1]!)));
  if (anaphoric && lower[0]!.startsWith("it") && EXPLETIVE_IT.test(s)) anaphoric = false;

  // Brief: very short, or short evaluative ("X is (adv) adj.").
  let brief = n < BRIEF_WORDS;
  if (!brief && n <= EVALUATIVE_MAX_WORDS && !/[,;:—–(]/.test(raw.slice(0, -1))) {
    const copula = lower.findIndex((w) => COPULAS.has(w) || PRONOUN_COPULA.test(w));
    if (copula >= 0 && n - copula - 1 >= 1 && n - copula - 1 <= 2) brief = true;
  }

  return {
    ...base,
    conjunctionLed,
    because,
    anaphoric,
    brief,
    hardBack: conjunctionLed,
    softBack: anaphoric || SOFT_CONNECTIVE.test(s),
    concession: CONCESSION.test(s),
    leadIn: ending.endsWith(":"),
    negated: NEGATION.test(raw),
  };
}

/** Whether sentence `a` (index `i` in a run of `runLength`) is hard-linked to the next, `b`. */
function hardLink(a: Sentence, b: Sentence, i: number, runLength: number): boolean {
  if (b.hardBack || b.brief) return true;
  if (a.concession || a.leadIn) return true;
  if (i === 0 && ((a.brief && !a.anaphoric && !a.conjunctionLed) || a.because)) return true;
  if (i + 1 === runLength - 1 && (b.concession || b.leadIn)) return true;
  if (a.negated && b.anaphoric && !b.negated) return true;
  return false;
}

/** A sentence that must not be a proposition by itself. */
function cannotStandAlone(s: Sentence): boolean {
  return (s.brief && (s.anaphoric || s.conjunctionLed)) || s.leadIn || s.words < 3;
}

// --- sentences ------------------------------------------------------------------

const sentenceSegmenter = new Intl.Segmenter("en", { granularity: "sentence" });
const LINE_BREAKS = /\r\n|[\n\r\u2028\u2029\u0085]/g;

/** Trimmed sentence spans of the paragraph `[start, end)`, absolute UTF-16 offsets. */
function sentencesOf(text: string, start: number, end: number): TextSpan[] {
  const para = text.slice(start, end).replace(LINE_BREAKS, (m) => " ".repeat(m.length));
  const spans: TextSpan[] = [];
  let pending: TextSpan | null = null;
  for (const seg of segmentsOf(sentenceSegmenter, para)) {
    const t = trimSpan(para, seg.index, seg.index + seg.segment.length);
    if (t.end === t.start) continue;
    const span: TextSpan = pending ? { start: pending.start, end: t.end } : t;
    pending = null;
    const lastToken = lastTokenOf(para, span);
    if (ABBREVIATIONS.has(lastToken)) {
      pending = span; // an ICU-suppressed break: the sentence goes on
      continue;
    }
    spans.push(span);
  }
  if (pending) spans.push(pending);
  return spans.flatMap((s) => splitOverLong(text, { start: start + s.start, end: start + s.end }));
}

/** A clause boundary, cut after: a line break, a semicolon or colon, or a comma (or dash) before a coordinating conjunction. */
const CLAUSE_BOUNDARY = /\r\n|[\n\r\u2028\u2029\u0085]|[;:](?=\s)|[,—–](?=\s+(?:and|but|or|nor|yet|so|whereas|while)\b)/giu;

/**
 * A sentence longer than `max` code units (a text without sentence punctuation, a run-on list)
 * cut into trimmed pieces of at most `max`: each piece ends at the last clause boundary
 * ({@link CLAUSE_BOUNDARY}) in its second to fourth quarter, failing that at the last whitespace
 * within `max`, failing that (one enormous "word") at `max` itself, never inside a surrogate pair.
 * Shorter sentences are returned as they are. Offsets are into `text`.
 * @param max most code units of a piece (default {@link SENTENCE_MAX_CHARS}).
 */
export function splitOverLong(text: string, span: TextSpan, max: number = SENTENCE_MAX_CHARS): TextSpan[] {
  const pieces: TextSpan[] = [];
  let rest = trimSpan(text, span.start, span.end);
  while (rest.end - rest.start > max) {
    const limit = rest.start + max;
    let cut = -1;
    // A window a little past the limit, for the look-ahead after a comma.
    const window = text.slice(rest.start, Math.min(rest.end, limit + 16));
    CLAUSE_BOUNDARY.lastIndex = Math.floor(max / 4);
    for (let m = CLAUSE_BOUNDARY.exec(window); m !== null && m.index < max; m = CLAUSE_BOUNDARY.exec(window)) {
      const after = rest.start + (/[\r\n\u2028\u2029\u0085]/u.test(m[0]) ? m.index : m.index + m[0].length);
      if (after <= limit) cut = after;
    }
    if (cut < 0) {
      for (let i = limit; i > rest.start; i--) {
        if (/\s/u.test(text[i]!)) {
          cut = i;
          break;
        }
      }
    }
    if (cut <= rest.start) cut = /[\uD800-\uDBFF]/.test(text[limit - 1]!) ? limit - 1 : limit;
    const piece = trimSpan(text, rest.start, cut);
    if (piece.end > piece.start) pieces.push(piece);
    rest = trimSpan(text, cut, rest.end);
  }
  if (rest.end > rest.start) pieces.push(rest);
  return pieces;
}

/** The last whitespace-delimited token of `s[span)`, opening brackets/quotes removed. */
function lastTokenOf(s: string, span: TextSpan): string {
  let i = span.end;
  while (i > span.start && !/\s/.test(s[i - 1]!)) i--;
  return s.slice(i, span.end).replace(OPENING_PUNCT, "");
}

// --- paragraphs -----------------------------------------------------------------

/** Paragraph spans (trimmed) inside `[from, to)`, heading blocks excluded (rules in the module docstring). */
function paragraphsOf(text: string, from: number, to: number): TextSpan[] {
  const headingBlocks = findHeadings(text).map((h) => h.blockSpan);
  let h = 0;
  const paragraphs: TextSpan[] = [];
  let current: TextSpan | null = null;
  let previousLine = "";
  const close = () => {
    if (current) paragraphs.push(current);
    current = null;
  };
  for (const line of splitLines(text)) {
    if (line.next <= from && line.end < from) continue;
    if (line.start >= to) break;
    while (h < headingBlocks.length && headingBlocks[h]!.end < line.start) h++;
    const block = headingBlocks[h];
    const inHeading = block !== undefined && block.start <= line.start && line.end <= block.end;
    const clipped = trimSpan(text, Math.max(line.start, from), Math.min(line.end, to));
    if (inHeading || clipped.end <= clipped.start) {
      close();
      continue;
    }
    const lineText = text.slice(clipped.start, clipped.end);
    if (current && (endsParagraph(previousLine) || isListOrQuoteLine(lineText))) close();
    if (current) current.end = clipped.end;
    else current = { ...clipped };
    previousLine = lineText;
  }
  close();
  return paragraphs;
}

// --- grouping -------------------------------------------------------------------

function groupRun(run: Sentence[]): Sentence[][] {
  // a. hard links
  const units: Sentence[][] = [];
  let unit: Sentence[] = [run[0]!];
  for (let i = 0; i + 1 < run.length; i++) {
    const next = run[i + 1]!;
    const fits = unit.length < HARD_MAX_SENTENCES && next.end - unit[0]!.start <= HARD_MAX_CHARS;
    if (hardLink(run[i]!, next, i, run.length) && fits) unit.push(next);
    else {
      units.push(unit);
      unit = [next];
    }
  }
  units.push(unit);
  // b. soft links
  const groups: Sentence[][] = [];
  let group = units[0]!;
  for (const u of units.slice(1)) {
    const fits = group.length + u.length <= SOFT_MAX_SENTENCES && u[u.length - 1]!.end - group[0]!.start <= SOFT_MAX_CHARS;
    if (u[0]!.softBack && fits) group = group.concat(u);
    else {
      groups.push(group);
      group = u;
    }
  }
  groups.push(group);
  // c. lone sentences that cannot stand alone
  return groups.filter((g) => g.length > 1 || !cannotStandAlone(g[0]!));
}

/** A clause opening as a question does: a wh-word or an auxiliary first ("Do tolls work…; and who decides?"). */
const INTERROGATIVE_OPENING = /^(?:who|whom|whose|what|which|when|where|why|how|whether|do|does|did|is|are|was|were|am|can|could|will|would|shall|should|may|might|must|has|have|had|ought)\b/i;
/** Fewest words of a declarative clause kept from before a question ({@link declarativeHead}). */
const DECLARATIVE_HEAD_WORDS = 6;

/**
 * A question whose first clause, up to a semicolon, is a statement ("With equal reason, a body of
 * men are unfit to be both judges and parties; yet what are many acts of legislation but …?") is
 * that statement, a proposition, followed by the question, a barrier: the semicolon separates
 * independent clauses, and only the last is asked. A head of fewer than 6 words, or one that opens
 * as a question (a wh-word or an auxiliary first), keeps the sentence whole. Any other sentence is returned as it is.
 * @returns one or two trimmed spans covering the sentence (the semicolon in neither).
 */
function declarativeHead(text: string, s: TextSpan): TextSpan[] {
  const raw = text.slice(s.start, s.end);
  if (!/[?？]$/u.test(withoutClosers(raw))) return [s];
  const semi = raw.indexOf(";");
  if (semi < 0) return [s];
  const head = trimSpan(text, s.start, s.start + semi);
  const tail = trimSpan(text, s.start + semi + 1, s.end);
  const headText = text.slice(head.start, head.end);
  if (wordsOf(headText, DECLARATIVE_HEAD_WORDS).length < DECLARATIVE_HEAD_WORDS || /[?？]/u.test(headText) || INTERROGATIVE_OPENING.test(headText.replace(OPENING_PUNCT, ""))) return [s];
  return [head, tail];
}

/**
 * Splits a span of an article into draft propositions (heuristics and their
 * sources in the module docstring).
 * @param text the whole article (offsets are into it).
 * @param span the part to split, UTF-16 offsets, end exclusive; defaults to the
 *   whole text. Heading lines inside it never yield propositions.
 * @returns propositions in text order, with ascending, non-overlapping spans inside
 *   `span`, each `text === source.slice(sourceSpan.start, sourceSpan.end)`; none
 *   ends with "?". `[]` for a blank span.
 * @throws RangeError if `span` is not `0 <= start <= end <= text.length` (integers).
 */
export function splitPropositions(text: string, span?: { start: number; end: number }): DraftProposition[] {
  const from = span?.start ?? 0;
  const to = span?.end ?? text.length;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || from > to || to > text.length) {
    throw new RangeError(`Invalid span [${from}, ${to}) for a text of length ${text.length}.`);
  }
  const out: DraftProposition[] = [];
  for (const p of paragraphsOf(text, from, to)) {
    const sentences = sentencesOf(text, p.start, p.end).flatMap((s) => declarativeHead(text, s).map((x) => classify(text, x.start, x.end)));
    let run: Sentence[] = [];
    const flush = () => {
      if (run.length > 0) {
        for (const g of groupRun(run)) {
          const start = g[0]!.start;
          const end = g[g.length - 1]!.end;
          out.push({ text: text.slice(start, end), sourceSpan: { start, end } });
        }
      }
      run = [];
    };
    for (const s of sentences) {
      if (s.barrier) flush();
      else run.push(s);
    }
    flush();
  }
  return out;
}

/** A sentence of an article: UTF-16 span (end exclusive, trimmed) and the index of its paragraph. */
export interface SentenceSpan extends TextSpan {
  paragraph: number;
}

/**
 * The sentences of a span of an article, as {@link splitPropositions} sees them
 * (paragraphs, ICU sentence boundaries, abbreviation breaks undone, a statement
 * before a question's semicolon apart), questions and letterless ones included,
 * heading lines excluded.
 * @param text the whole article; @param span the part to read (default: all).
 * @returns sentences in text order; `paragraph` counts paragraphs from 0 within `span`.
 * @throws RangeError on an invalid span (as splitPropositions).
 */
export function sentenceSpans(text: string, span?: { start: number; end: number }): SentenceSpan[] {
  const from = span?.start ?? 0;
  const to = span?.end ?? text.length;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || from > to || to > text.length) {
    throw new RangeError(`Invalid span [${from}, ${to}) for a text of length ${text.length}.`);
  }
  const out: SentenceSpan[] = [];
  paragraphsOf(text, from, to).forEach((p, paragraph) => {
    for (const s of sentencesOf(text, p.start, p.end)) for (const x of declarativeHead(text, s)) out.push({ ...x, paragraph });
  });
  return out;
}

/**
 * Drafts the propositions of an article: those of its thesis section
 * ({@link findThesisSection}), or of the whole text when it has none or it yields no
 * proposition (a hot take that is only a question).
 * @returns `section`: the thesis section or `null`; `span`: what was split (the
 *   section body, else the whole text trimmed), UTF-16 offsets, end exclusive;
 *   `propositions`: {@link splitPropositions} of that span.
 */
export function draftFromArticle(text: string): {
  section: Section | null;
  span: { start: number; end: number };
  propositions: DraftProposition[];
} {
  let section = findThesisSection(text);
  // A thesis section with no proposition (only a question) is as good as none.
  if (section && splitPropositions(text, section.span).length === 0) section = null;
  const span = section ? { ...section.span } : trimSpan(text, 0, text.length);
  return { section, span, propositions: splitPropositions(text, span) };
}
