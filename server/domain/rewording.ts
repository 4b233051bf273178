/**
 * Self-contained wording for draft propositions: a draft that starts with a
 * connective needing the sentence before, or with a pronoun or demonstrative
 * whose antecedent is in the sentence before, gets a suggested rewording. The
 * draft's span still anchors the original text; the facilitator accepts or
 * edits the suggestion.
 *
 * - Leading connectives (Penn Discourse Treebank explicit connectives and
 *   discourse adverbials, Prasad et al. 2008; Webber et al. 2019, and the older
 *   "wherefore", "hence", "nor") are dropped: "But the most common source of
 *   factions has been…" → "The most common source of factions has been…".
 * - A leading third-person pronoun (they, it, he, she, their, its, his, her) is
 *   replaced by the subject noun phrase of the nearest previous sentence that
 *   has one agreeing in number (a proper noun counts as singular and may be
 *   "they", as organisations and countries are: "They're not trying to match
 *   GPT-5…" → "China is not trying to match GPT-5…"), the verb agreeing
 *   ("they're" → "is", "they recognize" → "recognizes"). This is the subject
 *   preference of centering theory (Grosz, Joshi & Weinstein 1995): the
 *   previous sentence's subject is the likeliest antecedent of a subject pronoun.
 * - A leading demonstrative determiner becomes "The" ("This open-source strategy
 *   creates…" → "The open-source strategy creates…"); after a word such as "Now"
 *   ("Now that capacity is…") it is replaced by a previous sentence's subject with
 *   the same head noun ("Now the new solar capacity is…"), else there is no suggestion.
 * - A concession opener ("Yes,", "Of course,", "True,") is dropped like a connective;
 *   a wording starting in lower case is capitalised.
 * A pronoun whose antecedent cannot be found (no subject noun phrase in the two
 * previous sentences, or no agreement) gets no suggestion.
 */
import { tagTokens, type Token } from "./nlp";
import { ANAPHOR_PREFIX, ANAPHORS, CONCESSION, EXPLETIVE_IT, HARD_CONNECTIVE, SOFT_CONNECTIVE } from "./propositions";
import type { TextSpan } from "./sections";

const OPENING_PUNCT = /^["'“‘«([*_]+/u;
/** "For" as a causal conjunction ("For in politics, as in religion, …"), not "For years" or "For example". */
const CAUSAL_FOR = /^for\s+(?=(?:in|the|a|an|it|this|that|these|those|they|we|he|she|as|if|when|while|though|although|there|where|what|how|nothing|no|all|every)\b)(?!(?:example|instance)\b)/i;
const OLD_CONNECTIVE = /^(?:wherefore|whence|thence|nor)\b/i;
/** Connective words dropped by a rewording, with the comma after them. */
const DROPPABLE = new RegExp(
  "^(?:(?:and|but|yet|so|or|nor|plus|wherefore|hence|thus|therefore|however|still|meanwhile|moreover|furthermore|besides|indeed|also|instead|accordingly|consequently|nevertheless|nonetheless|likewise|similarly|in fact|after all|as a result|in other words|in short|in turn|ultimately|then" +
    // the rest of SOFT_CONNECTIVE's PDTB adverbials that are whole phrases ("On the other hand, it will be forgotten that…")
    "|on the other hand|by contrast|in contrast|in addition|additionally|in particular|even so|that said|as such)\\b,?" +
    "|for(?=\\s+(?:in|the|a|an|it|this|that|these|those|they|we|he|she|as|if|when|while|though|although|there|nothing|no|all|every)\\b))\\s+",
  "i",
);

/**
 * A concession opener, dropped by a rewording ("Yes, China started with open models. But…" →
 * "China started with open models. But…"): {@link CONCESSION}'s "Yes," "Of course," "True," …
 */
const CONCESSION_OPENER = new RegExp(`(?:${CONCESSION.source})\\s*`, "i");
/** "That is why/how/because…", "This is where…": a demonstrative pointing back at the previous sentence's point ("This is what…" often points forward, to a colon, and is left out). */
const THAT_IS_WHY = /^(?:that|this)(?:['’]s|\s+(?:is|was))\s+(?:(?:exactly|precisely|partly|largely|also|not|just|only)\s+)?(?:why|how|because|where|the reason)\b/i;
/** "Now that X is Y, …": "now that" as a subordinating conjunction, its clause closed by a comma. */
const NOW_THAT_CLAUSE = /^now\s+that\b[^.,;:!?]{1,200},/i;
/** An answer to the question before it: "The answer is that…", "The short answer: …". */
const ANSWER_OPENING = /^(?:the\s+(?:\w+\s+)?answer(?:\s+(?:is|was)\b|\s*:)|the\s+answer\s+to\s+th(?:at|is|ese)\b)/i;

/**
 * Whether a proposition answers a question asked just before it: it opens "The answer is…" (or
 * "The short answer:", "The answer to that…") and the sentence before it ends with "?". Such an
 * answer states a position only together with its question.
 * @param sentences the article's sentences in order ({@link sentenceSpans}), questions included.
 */
export function answersQuestionBefore(text: string, span: TextSpan, sentences: readonly TextSpan[]): boolean {
  if (!ANSWER_OPENING.test(text.slice(span.start, span.end).replace(OPENING_PUNCT, ""))) return false;
  const before = sentences.filter((s) => s.end <= span.start).pop();
  return before !== undefined && /[?？]["'”’)\]]*$/u.test(text.slice(before.start, before.end));
}

/**
 * Whether a proposition's wording starts with something that needs the sentence
 * before: a PDTB connective or discourse adverbial ({@link HARD_CONNECTIVE},
 * {@link SOFT_CONNECTIVE}, causal "For", "Wherefore", "Nor"), a concession opener
 * ("Yes,", "Of course,", "True,": {@link CONCESSION}), or an anaphoric
 * pronoun or demonstrative ({@link ANAPHORS}), also after one word of
 * {@link ANAPHOR_PREFIX} ("Now that capacity is…", "Today they…") — not expletive "it" ("It is clear
 * that…") nor "that" introducing a subject clause ("That unity is conducive to
 * energy will not be disputed") or "now that" a subordinate one ("Now that X is Y, …"), told
 * apart by the part-of-speech tags; "That is why…" always needs the sentence before.
 * @param wording the proposition's text (or its suggested rewording).
 * @param tokens its tokens when already tagged.
 */
export function startsDependent(wording: string, tokens?: Token[]): boolean {
  const s = wording.trim().replace(OPENING_PUNCT, "");
  if (HARD_CONNECTIVE.test(s) || SOFT_CONNECTIVE.test(s) || CAUSAL_FOR.test(s) || OLD_CONNECTIVE.test(s)) {
    // "So far", "Still water" etc. are excluded by the regexes' look-aheads; "Then" alone is a time adverb too often.
    return !/^then\b/i.test(s) || /^then,/i.test(s);
  }
  if (CONCESSION.test(s) || THAT_IS_WHY.test(s)) return true;
  const words = /^([\p{L}'’]+)(?:\s+([\p{L}'’]+))?/u.exec(s);
  const first = words?.[1]?.toLowerCase().replace(/’/g, "'");
  if (!first) return false;
  const second = words?.[2]?.toLowerCase().replace(/’/g, "'");
  if (second && ANAPHOR_PREFIX.has(first) && ANAPHORS.has(second.replace(/'(?:s|re|ve|ll|d)$/, ""))) {
    return !(first === "now" && second === "that" && NOW_THAT_CLAUSE.test(s));
  }
  const stem = first.replace(/'(?:s|re|ve|ll|d)$/, "");
  if (!ANAPHORS.has(stem)) return false;
  if (stem === "it" && EXPLETIVE_IT.test(s)) return false;
  if (stem === "that" || stem === "this") {
    const t = tokens ?? tagTokens(s);
    const firstWord = t.find((x) => x.pos !== "PUNCT");
    if (stem === "that" && (firstWord?.pos === "SCONJ" || subjectClause(t))) return false;
  }
  return true;
}

/** "That X is Y will…": a clause as subject (two finite verb groups before any punctuation). */
function subjectClause(tokens: Token[]): boolean {
  let finite = 0;
  let previousVerb = false;
  for (const t of tokens.slice(1)) {
    if (t.pos === "PUNCT") break;
    const verb = t.pos === "AUX" || t.pos === "VERB";
    if (verb && !previousVerb) finite++;
    previousVerb = verb || (previousVerb && (t.pos === "PART" || t.pos === "ADV"));
  }
  return finite >= 2;
}

interface NounPhrase {
  text: string;
  plural: boolean;
  proper: boolean;
}

const NP_POS = new Set(["DET", "ADJ", "NOUN", "PROPN", "NUM", "PART", "ADP", "PUNCT", "CCONJ", "ADV"]);

/**
 * The subject noun phrase of a sentence: the words before its first verb or
 * auxiliary, after any leading adverbial closed by a comma and leading
 * connectives, when they form a noun phrase (a noun or proper noun, at most 9
 * words, not a pronoun).
 */
export function subjectOf(sentence: string): NounPhrase | null {
  const normal = sentence.replace(/’/g, "'");
  const tokens = tagTokens(normal);
  // The first verb or auxiliary, not one inside a hyphenated compound ("closed-source").
  const inCompound = (i: number) => tokens[i + 1]?.value === "-" || tokens[i - 1]?.value === "-";
  const v = tokens.findIndex((t, i) => (t.pos === "VERB" && !inCompound(i)) || t.pos === "AUX");
  if (v <= 0) return null;
  let from = 0;
  for (let i = v - 1; i >= 0; i--) {
    if (tokens[i]!.value === "," || tokens[i]!.value === "—" || tokens[i]!.value === "--") {
      from = i + 1;
      break;
    }
  }
  while (from < v && (tokens[from]!.pos === "CCONJ" || tokens[from]!.pos === "SCONJ" || tokens[from]!.pos === "ADV" || tokens[from]!.pos === "PUNCT")) from++;
  const np = tokens.slice(from, v);
  while (np.length > 0 && (np[np.length - 1]!.pos === "PUNCT" || np[np.length - 1]!.pos === "ADV")) np.pop();
  // A possessive left dangling ("China's" before a verb-tagged "embrace") is not a whole phrase.
  if (np.length > 0 && (np[np.length - 1]!.pos === "PART" || np[np.length - 1]!.pos === "DET" || np[np.length - 1]!.pos === "ADP")) return null;
  if (np.length === 0 || np.length > 9) return null;
  if (!np.every((t, k) => NP_POS.has(t.pos) || (t.pos === "VERB" && inCompound(from + k)))) return null;
  if (np[0]!.pos === "ADP" || np[0]!.pos === "PUNCT") return null;
  const heads = np.filter((t) => t.pos === "NOUN" || t.pos === "PROPN");
  if (heads.length === 0) return null;
  // Character range of the phrase in the sentence.
  let cursor = 0;
  let start = -1;
  let end = -1;
  for (let i = 0; i < v; i++) {
    const at = normal.indexOf(tokens[i]!.value, cursor);
    if (at < 0) return null;
    if (i === from) start = at;
    cursor = at + tokens[i]!.value.length;
    if (i === from + np.length - 1) end = cursor;
  }
  if (start < 0 || end <= start) return null;
  const head = heads[heads.length - 1]!;
  const coordinated = np.some((t) => t.pos === "CCONJ");
  const plural = coordinated || (head.pos === "NOUN" && head.lemma !== head.lower && /s$/.test(head.lower));
  return { text: sentence.slice(start, end), plural, proper: head.pos === "PROPN" };
}

const AGREE_SINGULAR: Record<string, string> = {
  are: "is", were: "was", have: "has", do: "does", "don't": "doesn't", "aren't": "isn't", "weren't": "wasn't", "haven't": "hasn't",
};

/** Third person singular of a base-form verb ("recognize" → "recognizes", "try" → "tries"). */
export function thirdPersonSingular(verb: string): string {
  if (/[^aeiou]y$/i.test(verb)) return verb.slice(0, -1) + "ies";
  if (/(?:s|sh|ch|x|z|o)$/i.test(verb)) return verb + "es";
  return verb + "s";
}

const MODAL_WORDS = new Set(["must", "will", "would", "shall", "should", "can", "could", "may", "might", "are", "is", "were", "was"]);
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const possessive = (np: string) => (/s$/i.test(np) ? `${np}'` : `${np}'s`);

/**
 * Replaces a leading pronoun of `wording` by `np`, with agreement.
 * @returns the new wording, or `null` when the pronoun and `np` do not agree.
 */
function replacePronoun(wording: string, np: NounPhrase): string | null {
  const m = /^(they|it|he|she|their|its|his|her)(['’](?:re|ve|ll|s|d))?\b/i.exec(wording);
  if (!m) return null;
  const pronoun = m[1]!.toLowerCase();
  const clitic = (m[2] ?? "").replace("’", "'").toLowerCase();
  let rest = wording.slice(m[0].length);
  const singular = !np.plural;
  if ((pronoun === "it" || pronoun === "its") && np.plural) return null;
  if ((pronoun === "they" || pronoun === "their") && singular && !np.proper) return null;
  if ((pronoun === "he" || pronoun === "she" || pronoun === "his" || pronoun === "her") && !np.proper) return null;
  if (pronoun === "their" || pronoun === "its" || pronoun === "his" || pronoun === "her") {
    if (clitic) return null;
    return possessive(np.text) + rest;
  }
  let head = np.text;
  if (clitic === "'re") head += singular ? " is" : " are";
  else if (clitic === "'ve") head += singular ? " has" : " have";
  else if (clitic === "'ll") head += " will";
  else if (clitic === "'s") head += " is";
  else if (clitic === "'d") head += " would";
  else if (pronoun === "they" && singular) {
    const next = /^(\s+)([\p{L}'’]+)/u.exec(rest);
    if (next) {
      const word = next[2]!.toLowerCase().replace("’", "'");
      const agreed = AGREE_SINGULAR[word];
      if (agreed) rest = next[1]! + agreed + rest.slice(next[0].length);
      else {
        const t = tagTokens(`They ${next[2]!}`)[1];
        if (t && t.pos === "VERB" && t.lemma === t.lower) rest = next[1]! + thirdPersonSingular(next[2]!) + rest.slice(next[0].length);
      }
    }
  }
  return head + rest;
}

/**
 * A self-contained rewording of the proposition at `span`, or `null` when it
 * needs none or none can be found (rules in the module docstring).
 * @param text the whole article; @param span the proposition (UTF-16, end exclusive).
 * @param sentences the article's sentences in order ({@link sentenceSpans}), to find antecedents.
 */
export function suggestRewording(text: string, span: TextSpan, sentences: readonly TextSpan[]): string | null {
  const original = text.slice(span.start, span.end);
  let wording = original;
  // 1. A leading connective or concession opener goes.
  const conn = DROPPABLE.exec(wording) ?? CONCESSION_OPENER.exec(wording);
  if (conn && wording.length > conn[0].length + 10) wording = capitalise(wording.slice(conn[0].length));
  else if (/^because\s+[^,.;]{1,25},\s+/i.test(wording)) wording = capitalise(wording.replace(/^because\s+/i, ""));
  // 2. A leading pronoun takes its antecedent; a demonstrative determiner becomes "The".
  const tokens = tagTokens(wording);
  const previous = () => sentences.filter((s) => s.end <= span.start).slice(-2).reverse();
  if (startsDependent(wording, tokens)) {
    const first = tokens[0];
    const lower = first?.lower ?? "";
    const prefixed = /^(\p{L}+)\s+(this|that|these|those)\s+([\p{L}-]+)/iu.exec(wording);
    if (prefixed && ANAPHOR_PREFIX.has(prefixed[1]!.toLowerCase()) && tokens[2]?.pos === "NOUN") {
      // "Now that capacity is…": the demonstrative's noun names the antecedent, a previous subject with that head noun.
      for (const s of previous()) {
        const np = subjectOf(text.slice(s.start, s.end));
        const head = np ? tagTokens(np.text).filter((t) => t.pos === "NOUN").pop() : undefined;
        if (!np || !head || head.lemma !== tokens[2]!.lemma) continue;
        const named = np.proper || /['’]s\b/.test(np.text) ? np.text : `the ${np.text.replace(/^(?:a|an|the)\s+/i, "").replace(/^./u, (c) => c.toLowerCase())}`;
        wording = `${prefixed[1]} ${named}${wording.slice(prefixed[0].length)}`;
        break;
      }
    } else if ((lower === "this" || lower === "that" || lower === "these" || lower === "those") && first?.pos === "DET" && (tokens[1]?.pos === "NOUN" || tokens[1]?.pos === "ADJ") && !MODAL_WORDS.has(tokens[1]?.lower ?? "")) {
      wording = "The" + wording.slice(lower.length);
    } else {
      for (const s of previous()) {
        const np = subjectOf(text.slice(s.start, s.end));
        if (!np) continue;
        const replaced = replacePronoun(wording, np);
        if (replaced) {
          wording = capitalise(replaced);
          break;
        }
      }
    }
  }
  // 3. A wording starting in lower case (a label such as "Hot take:" left out before it) gets a capital.
  if (/^\p{Ll}/u.test(wording)) wording = capitalise(wording);
  return wording === original ? null : wording;
}
