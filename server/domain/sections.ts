/**
 * Sections of a pasted article, and the thesis ("hot take") section.
 *
 * All offsets in this module are UTF-16 code-unit offsets into the original
 * string (i.e. JavaScript string indices), half-open: `start` inclusive, `end`
 * exclusive, so `text.slice(span.start, span.end)` is the spanned text. Nothing
 * is normalised before measuring: `\r\n`, astral characters (emoji take two code
 * units) and a leading BOM are all counted as they are in the string.
 *
 * Heading detection (see {@link findHeadings}) recognises, in this order:
 *  1. Markdown ATX headings (`# …` to `###### …`, CommonMark 0.31 §4.2: up to 3
 *     spaces of indentation, at least one space after the `#`s, optional closing
 *     `#`s). `#hashtag` lines are not headings.
 *  2. Markdown setext headings (a single text line underlined by `===` or `---`,
 *     CommonMark §4.3; we require at least three underline characters and a
 *     blank line or the start of the text above, so a `---` thematic break after
 *     a paragraph line of body text is not mistaken for one).
 *  3. A line that is bold as a whole (`**Title**` / `__Title__`), as pasted from
 *     rich-text editors, subject to the plain-text rules below minus title case.
 *  4. Plain-text headings, the fixture's style: a line on its own that
 *     - has 1–14 words (Unicode word segmentation, `Intl.Segmenter` "word") and at
 *       most 120 UTF-16 code units;
 *     - does not end with sentence-final punctuation (`.`, `!`, `?`, `…` and their
 *       CJK forms) nor with `,` or `;`, closing quotes/brackets ignored; a final
 *       `:` is allowed ("Key Takeaways:"). Periods inside are fine ("Deployment vs.
 *       Capability: …");
 *     - does not start like a list item or block quote (`-`, `*`, `+`, `•`, `>`, …);
 *     - is in title case (every word other than articles, coordinating
 *       conjunctions and short prepositions — the lower-cased classes of the
 *       Chicago Manual of Style §8.159 / AP headline style — starts with a capital
 *       letter, or contains one as in "iPhone") or in capitals ("HOT TAKE"). A
 *       line naming a hot take ({@link isHotTakeHeading}) is exempt from the case
 *       test, so "My hot take" or "Hot-take:" on its own line is a heading;
 *     - and, from its context: the line directly above (if not blank) is a
 *       heading, a list item, or ends a paragraph (sentence-final punctuation or
 *       `:`), so a wrapped line of a hard-wrapped paragraph is not taken; the
 *       line directly below does not start with a lower-case letter (it would
 *       be the same sentence going on); and it is not part of a run of three or
 *       more adjacent candidate lines (that is a list of names or items, not
 *       headings; a title followed by a subtitle, two lines, is allowed).
 *     A body paragraph would have to be short, unpunctuated, in title case and
 *     set off from its neighbours to be taken for a heading.
 */

/** A half-open range of UTF-16 code-unit offsets (`end` exclusive). */
export interface TextSpan {
  start: number;
  end: number;
}

/**
 * A section of an article.
 * - `heading`: the heading's text with Markdown markers (`#`, `**`, setext
 *   underline) removed, or `null` for the text before the first heading.
 * - `headingSpan`: where that heading text is, so
 *   `text.slice(headingSpan.start, headingSpan.end) === heading`; `null` iff
 *   `heading` is `null`.
 * - `span`: the section body, from after the heading line(s) to before the next
 *   heading (or the end of the text), with surrounding whitespace trimmed. An
 *   empty body gives `start === end`.
 */
export interface Section {
  heading: string | null;
  headingSpan: { start: number; end: number } | null;
  span: { start: number; end: number };
}

/** A heading found in a text (see {@link findHeadings}). */
export interface Heading {
  /** The heading text, Markdown markers removed; equals `source.slice(textSpan.start, textSpan.end)`. */
  text: string;
  /** Where `text` is, UTF-16 offsets. */
  textSpan: TextSpan;
  /**
   * The whole heading block: from the start of its (first) line to the end of
   * its last line (a setext underline belongs to the block), line breaks
   * excluded. Nothing in this range is body text.
   */
  blockSpan: TextSpan;
  /** How it was recognised. */
  kind: "atx" | "setext" | "bold" | "plain";
}

/** A physical line: `[start, end)` is its content, `next` the start of the following line (after the line break). */
export interface Line {
  start: number;
  end: number;
  next: number;
}

const LINE_BREAK = /\r\n|[\n\r\u2028\u2029\u0085]/g;

/**
 * Splits a text into physical lines. Line breaks are `\r\n`, `\n`, `\r`, U+2028,
 * U+2029 and U+0085 (the Unicode "mandatory break" characters of UAX #14 that
 * occur in pasted text). A text ending with a line break has a last empty line.
 * An empty text has one empty line.
 */
export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  LINE_BREAK.lastIndex = 0;
  for (let m = LINE_BREAK.exec(text); m !== null; m = LINE_BREAK.exec(text)) {
    lines.push({ start, end: m.index, next: m.index + m[0].length });
    start = m.index + m[0].length;
  }
  lines.push({ start, end: text.length, next: text.length });
  return lines;
}

const WHITESPACE = /\s/;

/** Trims JS whitespace (`/\s/`, which includes U+00A0, U+FEFF and the line separators) off both ends of `[start, end)`. */
export function trimSpan(text: string, start: number, end: number): TextSpan {
  while (start < end && WHITESPACE.test(text[start]!)) start++;
  while (end > start && WHITESPACE.test(text[end - 1]!)) end--;
  return { start, end };
}

/**
 * True if a heading's text names a hot take: "hot take" in any case, the two
 * words separated by nothing, spaces, a hyphen/dash or an underscore ("Hot
 * Take", "HOT TAKE", "Hot-take", "hottake", "#HotTake", "hot takes"), not part
 * of a longer word ("photo taken" does not match). Emoji and punctuation around
 * it do not matter ("🔥 Hot Take:", "## My hot take").
 */
export function isHotTakeHeading(heading: string): boolean {
  return HOT_TAKE.test(heading);
}
const HOT_TAKE = /(?<![\p{L}\p{N}])hot[\s_\-\u2010-\u2015]*takes?(?![\p{L}\p{N}])/iu;

// --- plain-text heading rules ---------------------------------------------------

const MAX_HEADING_WORDS = 14;
const MAX_HEADING_CHARS = 120;

/** Closing characters (and whitespace) ignored when looking at how a line ends. */
const CLOSERS = /["'”’»)\]}*_`\s]/u;
/** Sentence-final punctuation, plus `,` and `;` (a line ending with them goes on). */
const NON_HEADING_END = /[.!?…,;。！？‼⁇⁈⁉]$/u;
/** Ends a paragraph: sentence-final punctuation or a colon. */
const PARAGRAPH_END = /[.!?…:。！？‼⁇⁈⁉]$/u;
/** List item or block quote markers (numbered items are left to the title-case test). */
const LIST_OR_QUOTE_START = /^(?:[-*+•·◦‣▪▫■□●○◆◇–—>|]|\(?[a-z]\)\s)/u;

/**
 * Words left in lower case in title case: articles, coordinating conjunctions,
 * prepositions (Chicago Manual of Style §8.159; AP style lower-cases those of up
 * to three letters, Chicago all of them), the infinitive "to", and "vs"/"v".
 */
const MINOR_WORDS = new Set(
  (
    "a an the and but or nor for so yet as at by in of off on onto per to up via vs v with from into over " +
    "than upon out about above across after against along among around before behind below beneath beside " +
    "between beyond down during except inside near like past since through throughout till toward towards " +
    "under underneath until unto within without amid amidst versus"
  ).split(" "),
);

const wordSegmenter = new Intl.Segmenter("en", { granularity: "word" });

/** Code units handed to `Intl.Segmenter` at a time by {@link segmentsOf}. */
const SEGMENT_WINDOW = 1024;

/**
 * `segmenter.segment(s)`, with each segment's `index` into `s`, computed over
 * windows of about {@link SEGMENT_WINDOW} code units. V8's segment iterator
 * (Node 20) costs time proportional to the length of the whole input at every
 * step, so iterating one long string is quadratic (a 140 kB paragraph of short
 * sentences takes seconds). Each window's last segment, which the window end may
 * have cut, is dropped and the next window starts at its start; a boundary
 * found before it is a UAX #29 boundary of the whole text too, since the rules
 * only look past a boundary over letterless runs, which end a window's last
 * segment. A window with no inner boundary is doubled until one appears.
 */
export function* segmentsOf(
  segmenter: Intl.Segmenter,
  s: string,
): Generator<{ segment: string; index: number; isWordLike: boolean }> {
  let base = 0;
  let size = SEGMENT_WINDOW;
  while (base < s.length) {
    const end = Math.min(s.length, base + size);
    const segments = Array.from(segmenter.segment(s.slice(base, end)));
    if (end < s.length && segments.length < 2) {
      size *= 2;
      continue;
    }
    const keep = end === s.length ? segments.length : segments.length - 1;
    for (let k = 0; k < keep; k++) {
      const seg = segments[k]!;
      yield { segment: seg.segment, index: base + seg.index, isWordLike: seg.isWordLike === true };
    }
    if (end === s.length) return;
    base += segments[keep]!.index;
    size = SEGMENT_WINDOW;
  }
}

/** The word-like segments (UAX #29 words via `Intl.Segmenter`, `isWordLike`) of `s`, at most `limit`. */
export function wordsOf(s: string, limit = Number.POSITIVE_INFINITY): string[] {
  const words: string[] = [];
  if (limit <= 0) return words;
  for (const seg of segmentsOf(wordSegmenter, s)) {
    if (!seg.isWordLike) continue;
    words.push(seg.segment);
    if (words.length >= limit) break;
  }
  return words;
}

/** Strips the end closers (quotes, brackets, emphasis, spaces) off a line. */
export function withoutClosers(s: string): string {
  // A loop, not `/[…]+$/`: that regex is quadratic on long runs of closers not at the end.
  let end = s.length;
  while (end > 0 && CLOSERS.test(s[end - 1]!)) end--;
  return s.slice(0, end);
}

/** True if a trimmed line ends a paragraph (sentence-final punctuation or `:`, closers ignored). */
export function endsParagraph(line: string): boolean {
  return PARAGRAPH_END.test(withoutClosers(line));
}

/** True if a trimmed line starts like a list item or a block quote. */
export function isListOrQuoteLine(line: string): boolean {
  return LIST_OR_QUOTE_START.test(line);
}

function isTitleCaseOrCaps(words: string[]): boolean {
  const lettered = words.filter((w) => /\p{L}/u.test(w));
  if (lettered.length === 0) return false;
  const letters = lettered.join("").replace(/[^\p{L}]/gu, "");
  if (letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) return true;
  // First lettered word must be capitalised, minor words or not ("The", "A", "In").
  if (!/\p{Lu}/u.test(lettered[0]!)) return false;
  for (const w of lettered.slice(1)) {
    if (MINOR_WORDS.has(w.toLowerCase())) continue;
    if (!/\p{Lu}/u.test(w)) return false; // "iPhone", "eBay" count as capitalised
  }
  return true;
}

/**
 * Whether a trimmed line, taken by itself, may be a plain-text heading
 * (context is checked by {@link findHeadings}). `requireCase` false for bold lines.
 */
function isHeadingShaped(line: string, requireCase: boolean): boolean {
  if (line.length === 0 || line.length > MAX_HEADING_CHARS) return false;
  if (!/\p{L}/u.test(line)) return false;
  if (isListOrQuoteLine(line)) return false;
  const end = withoutClosers(line);
  if (end.length === 0 || NON_HEADING_END.test(end)) return false;
  const words = wordsOf(line, MAX_HEADING_WORDS + 1);
  if (words.length === 0 || words.length > MAX_HEADING_WORDS) return false;
  if (!requireCase || isHotTakeHeading(line)) return true;
  return isTitleCaseOrCaps(words);
}

const ATX = /^ {0,3}(#{1,6})(?=[ \t]|$)/;
const SETEXT_UNDERLINE = /^ {0,3}(?:={3,}|-{3,})[ \t]*$/;
const BOLD_LINE = /^(\*\*|__)(?!\s)(.+?)(?<!\s)\1$/u;

interface Candidate {
  kind: Heading["kind"];
  textSpan: TextSpan;
  /** Index of the last line of the block (setext: the underline). */
  lastLine: number;
  /** Strong candidates (Markdown syntax) are not subject to the context rules. */
  strong: boolean;
}

function atxCandidate(text: string, line: Line, index: number): Candidate | null {
  const raw = text.slice(line.start, line.end);
  const m = ATX.exec(raw);
  if (!m) return null;
  let start = line.start + m[0].length;
  let end = line.end;
  ({ start, end } = trimSpan(text, start, end));
  // Optional closing sequence: spaces then #s at the end ("## Title ##").
  const closing = /(?:^|[ \t])#+$/.exec(text.slice(start, end));
  if (closing) end = trimSpan(text, start, start + closing.index).end;
  if (end <= start) return null;
  return { kind: "atx", textSpan: { start, end }, lastLine: index, strong: true };
}

function boldCandidate(text: string, trimmed: TextSpan, index: number): Candidate | null {
  const s = text.slice(trimmed.start, trimmed.end);
  const m = BOLD_LINE.exec(s);
  if (!m || m[2]!.includes(m[1]!)) return null;
  const inner = m[2]!;
  if (!isHeadingShaped(inner, false)) return null;
  const start = trimmed.start + m[1]!.length;
  return { kind: "bold", textSpan: { start, end: start + inner.length }, lastLine: index, strong: false };
}

/**
 * Finds the headings of a text, in order (rules in the module docstring).
 * Linear in the length of the text.
 * @param text the article, any line endings.
 * @returns headings with UTF-16 spans; `text.slice(h.textSpan.start, h.textSpan.end) === h.text`.
 */
export function findHeadings(text: string): Heading[] {
  const lines = splitLines(text);
  const trimmed = lines.map((l) => trimSpan(text, l.start, l.end));
  const isBlank = (i: number) => i < 0 || i >= lines.length || trimmed[i]!.start === trimmed[i]!.end;
  const lineText = (i: number) => text.slice(trimmed[i]!.start, trimmed[i]!.end);

  // Pass 1: candidates by shape.
  const candidates: (Candidate | null)[] = new Array(lines.length).fill(null);
  for (let i = 0; i < lines.length; i++) {
    if (isBlank(i)) continue;
    const atx = atxCandidate(text, lines[i]!, i);
    if (atx) {
      candidates[i] = atx;
      continue;
    }
    const t = lineText(i);
    if (
      i + 1 < lines.length &&
      SETEXT_UNDERLINE.test(text.slice(lines[i + 1]!.start, lines[i + 1]!.end)) &&
      isBlank(i - 1) &&
      !isListOrQuoteLine(t) &&
      wordsOf(t, MAX_HEADING_WORDS + 1).length <= MAX_HEADING_WORDS
    ) {
      candidates[i] = { kind: "setext", textSpan: trimmed[i]!, lastLine: i + 1, strong: true };
      i++; // the underline is part of the block
      continue;
    }
    const bold = boldCandidate(text, trimmed[i]!, i);
    if (bold) {
      candidates[i] = bold;
      continue;
    }
    if (isHeadingShaped(t, true)) candidates[i] = { kind: "plain", textSpan: trimmed[i]!, lastLine: i, strong: false };
  }

  // Pass 2: runs of three or more adjacent weak candidates are lists, not headings.
  for (let i = 0; i < lines.length; ) {
    if (!candidates[i] || candidates[i]!.strong) {
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && candidates[j] && !candidates[j]!.strong) j++;
    if (j - i >= 3) for (let k = i; k < j; k++) candidates[k] = null;
    i = j;
  }

  // Pass 3: context rules for weak candidates, in order (a heading may follow a heading).
  const headings: Heading[] = [];
  let lastHeadingLine = -2;
  for (let i = 0; i < lines.length; i++) {
    const c = candidates[i];
    if (!c) continue;
    if (!c.strong) {
      if (!isBlank(i - 1) && lastHeadingLine !== i - 1) {
        const above = lineText(i - 1);
        if (!endsParagraph(above) && !isListOrQuoteLine(above)) continue; // wrapped continuation
      }
      if (!isBlank(i + 1) && /^["'“‘([]*\p{Ll}/u.test(lineText(i + 1))) continue; // sentence goes on below
    }
    headings.push({
      text: text.slice(c.textSpan.start, c.textSpan.end),
      textSpan: c.textSpan,
      blockSpan: { start: lines[i]!.start, end: lines[c.lastLine]!.end },
      kind: c.kind,
    });
    lastHeadingLine = c.lastLine;
    i = c.lastLine;
  }
  return headings;
}

/**
 * Splits a text into sections at its headings ({@link findHeadings}).
 * The text before the first heading is a section with `heading: null` if it is
 * not blank; every heading starts a section, even one with an empty body.
 * @param text the article, any line endings.
 * @returns sections in text order; spans are UTF-16 offsets, bodies trimmed. `[]` for a blank text.
 */
export function listSections(text: string): Section[] {
  const headings = findHeadings(text);
  const sections: Section[] = [];
  const firstStart = headings.length > 0 ? headings[0]!.blockSpan.start : text.length;
  const preamble = trimSpan(text, 0, firstStart);
  if (preamble.end > preamble.start) sections.push({ heading: null, headingSpan: null, span: preamble });
  headings.forEach((h, k) => {
    const bodyStart = afterLineBreak(text, h.blockSpan.end);
    const bodyEnd = k + 1 < headings.length ? headings[k + 1]!.blockSpan.start : text.length;
    const span = trimSpan(text, bodyStart, Math.max(bodyStart, bodyEnd));
    sections.push({ heading: h.text, headingSpan: { ...h.textSpan }, span });
  });
  return sections;
}

/** The offset just after the line break at `pos` (or `pos` at the end of the text). */
function afterLineBreak(text: string, pos: number): number {
  if (text.startsWith("\r\n", pos)) return pos + 2;
  if (pos < text.length && /[\n\r\u2028\u2029\u0085]/.test(text[pos]!)) return pos + 1;
  return pos;
}

/**
 * The thesis section: the first section whose heading names a hot take
 * ({@link isHotTakeHeading}) and whose body is not empty. The section runs from
 * after its heading line to the next heading of any level, or the end of the text.
 * @returns that section (UTF-16 spans), or `null` when there is none — the UI then
 *   lets the facilitator pick a section or the whole text.
 */
export function findThesisSection(text: string): Section | null {
  for (const s of listSections(text)) {
    if (s.heading !== null && isHotTakeHeading(s.heading) && s.span.end > s.span.start) return s;
  }
  return null;
}
