/**
 * Claims, not sentences: scores candidate propositions for how much each is a
 * debatable claim, finds the article's thesis, and drafts a list of the right
 * size, the rest kept as "more candidate sentences" (docs/decisions/0040-claim-scoring.md).
 *
 * Candidates are the sentence groups of {@link splitPropositions} (connectives,
 * concessions and anaphora already joined). Each gets linguistic features read
 * from its part-of-speech tags and lemmas (wink-nlp, {@link tagTokens}), in the
 * spirit of the claim-detection features of argument mining:
 *  - Stab & Gurevych 2014 ("Identifying Argumentative Discourse Structures in
 *    Persuasive Essays", EMNLP) and 2017 ("Parsing Argumentation Structures in
 *    Persuasive Essays", Computational Linguistics 43(3)): indicators ("I
 *    believe", "clearly", "therefore"), modal verbs, tense, position in the
 *    paragraph and the essay, sentence length, first-person narrative;
 *  - Levy et al. 2014 ("Context Dependent Claim Detection", COLING) and Lippi &
 *    Torroni 2015 ("Context-Independent Claim Detection for Argument Mining",
 *    IJCAI): claims are general, evaluative, often comparative or causal, and
 *    relevant to the topic (similarity to the title and the whole text);
 *  - Penn Discourse Treebank 3.0 connectives (Webber et al. 2019) for causal
 *    and contrastive relations and for dependent openings;
 *  - Hyland 2005 (Metadiscourse) for hedges and frame markers ("I propose to",
 *    "Let us consider", "Here's the truth:"), which set up claims rather than
 *    make them.
 *  - Palmer 2001 (Mood and Modality) for epistemic "must have" and first-person future "shall",
 *    which are not obligation; Hyland 2005 also for concessions and metadiscourse about the text.
 * Second pass (ADR 0040): the generic present, questions, concessions, metadiscourse, a
 * paragraph's closing sentence, a sentence the next one gives a reason for, and drafts spread
 * over paragraphs ({@link spreadOverParagraphs}).
 * The weights were set by hand on that basis ({@link CLAIM_WEIGHTS}, {@link HAND_WEIGHTS}); the
 * app scores with {@link SCORING_WEIGHTS}, those weights relearnt by a logistic regression on the
 * evaluation set with the hand weights as prior (claim-weights.ts; ADR 0056).
 *
 * The thesis: a "hot take" section as before ({@link findThesisSection}), whose
 * opening proposition is the thesis (a section with no proposition, such as a lone question,
 * counts as none and the whole text is drafted); otherwise the candidate of the opening or closing two paragraphs that scores
 * best as a claim, shares most words with the title, and is most central (its
 * content words recur across the article: the claim the rest supports).
 *
 * Size: at most one draft per {@link WORDS_PER_DRAFT} words of the drafted span
 * (rounded up, at least {@link MIN_DRAFTS}) and never more than `maxDrafts`
 * (default {@link DEFAULT_MAX_DRAFTS}); only candidates scoring at least
 * {@link DRAFT_MIN_SCORE} are drafted. Drafts come thesis first, then by score.
 *
 * Languages: English text is scored as above. Text detected as another
 * language (franc-min, {@link detectLanguage}) is drafted sentence group by
 * sentence group, ranked by position only (paragraph openings, first and last
 * paragraphs), with the same size cap; in German, French and Spanish a unit opening with a
 * connective or pronoun that needs the sentence before is not drafted, and one opening with a
 * soft connective and a comma gets a suggestion without it (connectives.ts).
 *
 * Offsets are UTF-16 code units into the article, end exclusive, as everywhere.
 */
import { TRAINED_WEIGHTS } from "./claim-weights";
import { tagTokens, detectLanguage, type DetectedLanguage, type Token } from "./nlp";
import { findThesisSection, findHeadings, isHotTakeHeading, trimSpan, type Section, type TextSpan } from "./sections";
import { SENTENCE_MAX_CHARS, sentenceSpans, splitPropositions, type DraftProposition, type SentenceSpan } from "./propositions";
import { answersQuestionBefore, suggestRewording, startsDependent } from "./rewording";
import { startsDependentIn, suggestWithoutConnective } from "./connectives";

/** Words of drafted text per draft proposition (issue 12: "about one proposition per 120 words"). */
export const WORDS_PER_DRAFT = 120;
/** Default most drafts, whatever the length (a setting: `maxDrafts`). */
export const DEFAULT_MAX_DRAFTS = 25;
/**
 * Characters of the thesis span that are drafted from (about 10,000 words, three times the longest
 * essay of the evaluation set). A longer span (a whole book pasted) is drafted from its opening
 * up to the last paragraph break within this bound: scoring is not linear in the length (75,000
 * characters took 0.6 s, 150,000 took 44 s here), and a
 * 2 MB article took minutes. The article itself is kept whole.
 */
export const DRAFT_SPAN_MAX_CHARS = 60_000;
/** Fewest drafts the size cap allows: a short article or hot take still gets a handful (issue 12: a teacher keeps "about five" of the seed article's hot take). */
export const MIN_DRAFTS = 5;
/** A candidate scoring below this is never drafted (it stays a candidate). */
export const DRAFT_MIN_SCORE = 0.5;
/**
 * Most candidates ("more candidate sentences") a draft list returns, the first in text order:
 * about four times what the longest essay of the evaluation set yields, so that a huge paste
 * (a book, the same text pasted many times) cannot make a review page of megabytes. How many
 * were left out is {@link PropositionDraft}.candidatesLeftOut.
 */
export const CANDIDATES_MAX = 200;

/** Linguistic features of a candidate (see the module docstring for their sources). */
export interface ClaimFeatures {
  /** Word tokens. */
  words: number;
  /** A modal or semi-modal of obligation: should, must, ought, need to, have to (recommendations). */
  deontic: boolean;
  /** A modal of prediction or possibility: will, would, shall, can, could, cannot (predictions). */
  predictive: boolean;
  /** Adjectives (POS `ADJ`) other than quantity words: evaluations. */
  evaluative: number;
  /** A comparison: "more/less/most/least X", "-er than", better/worse/best/worst, "than". */
  comparative: boolean;
  /** A causal or inferential connective or verb: because, therefore, thus, hence, cause, lead to, result in, owing to, … */
  causal: boolean;
  /** A universal or generic quantifier: all, every, no, none, nothing, always, never, whoever, … (generalisations). */
  generic: boolean;
  /** A present-tense copula with a predicate ("X is Y", "X are essential"). */
  copulaPredicate: boolean;
  /** A claim indicator: "I believe/think/deny/am convinced", "it is clear/evident/certain that", "the truth is", "clearly", … */
  indicator: boolean;
  /** A conclusion marker: therefore, thus, hence, consequently, it follows, we may conclude, the inference is (Stab & Gurevych's strongest claim indicators). */
  conclusion: boolean;
  /** An imperative (the sentence opens with a base-form verb: "Trust thyself", "Deny the chips"): a recommendation. */
  imperative: boolean;
  /** A negation (not, never, no, cannot, n't). */
  negated: boolean;
  /** Share of verbs in the past tense (lemma differs from the token and the token is a past form). */
  pastShare: number;
  /** First person singular or plural subject with a past-tense verb ("I read…", "We spent…"): narrative. */
  narrative: boolean;
  /** Numbers (POS `NUM`). */
  numbers: number;
  /** Share of proper nouns among words. */
  properShare: number;
  /** Starts with or is mostly inside quotation marks. */
  quotation: boolean;
  /** An example marker: for example, for instance, e.g., such as, witness, to illustrate, consider. */
  example: boolean;
  /** A hedge: perhaps, possibly, probably, might, seems, appears, I suppose, it may be. */
  hedge: boolean;
  /** Rhetorical set-up or frame marker: ends with ":", "I propose", "let us", "here's", "the question is", "first", … */
  setup: boolean;
  /** A definition: "by X I mean/understand", "is called", "is defined as". */
  definition: boolean;
  /** Starts with a connective or pronoun that needs the sentence before ({@link startsDependent}). */
  dependent: boolean;
  /** Opens with a conditional or concessive subordinate clause ("If…", "Were…", "When…", "Though…"): a hypothesis or premise set up for what follows. */
  conditional: boolean;
  /** Reports someone else's view ("Some writers have…", "it is said", "say they", "we are told"). */
  attribution: boolean;
  /**
   * A generic statement in the simple present: a noun-phrase subject (no personal pronoun) whose
   * first verb is a present form, and no past tense ("Society everywhere is in conspiracy…",
   * "A feeble Executive implies a feeble execution"). Claims are general and timeless (Levy et al.
   * 2014; Stab & Gurevych 2017's tense features); the gnomic present is how English states them.
   */
  genericPresent: boolean;
  /** A concessive set-up ("It must be confessed that…", "I grant that…", "it is true that…"): the other side's point, conceded before a rebuttal. */
  concession: boolean;
  /**
   * Metadiscourse about the text itself (Hyland 2005's endophoric and frame markers, self-mention):
   * "my arguments", "this address", "these observations", "the subject of my next paper", "you
   * will have collected". It organises the essay; it is not a position on its topic.
   */
  metadiscourse: boolean;
  /** Ends with a question mark: a question raises an issue rather than taking a position (Stab & Gurevych 2014's punctuation features). */
  question: boolean;
}

/**
 * Weights of {@link claimScore}: positive for what makes a position someone
 * could deny (Stab & Gurevych's modal and indicator features, Levy et al.'s
 * evaluative and comparative cues), negative for background, narrative,
 * examples, quotations, hedged asides and set-up.
 */
export const CLAIM_WEIGHTS = {
  deontic: 1.5,
  predictive: 0.5,
  evaluativeEach: 0.35,
  evaluativeMax: 3,
  comparative: 0.7,
  causal: 0.5,
  generic: 0.7,
  copulaPredicate: 0.6,
  indicator: 1.5,
  conclusion: 1.0,
  imperative: 1.0,
  negated: 0.3,
  past: -1.2,
  narrative: -1.0,
  numbers: -0.6,
  properNouns: -0.6,
  quotation: -1.5,
  example: -1.2,
  hedge: -0.4,
  setup: -1.5,
  definition: -1.2,
  dependent: -0.8,
  conditional: -0.6,
  attribution: -0.8,
  genericPresent: 0.8,
  question: -0.8,
  concession: -0.8,
  metadiscourse: -0.8,
  brief: -1.0,
  /** Per word beyond {@link LONG_WORDS}: long sentences accumulate cues without being more of a claim. */
  longPerWord: -0.03,
  /** Structural features (Stab & Gurevych 2014): first or last sentence of a paragraph, first or last paragraph. */
  paragraphOpening: 0.3,
  paragraphClosing: 0.3,
  /** The next sentence of the paragraph opens with "For/Because/Since": a premise given for this one, which is then a claim (Stab & Gurevych 2014's indicator context; PDTB 3.0 Contingency.Cause.Reason). */
  supported: 0.6,
  /** Per draft already taken from the same paragraph, when picking drafts (one claim per paragraph; Stab & Gurevych 2017). */
  sameParagraph: -0.4,
  openingOrClosing: 0.4,
  /** Topic relevance (Levy et al. 2014): cosine of content lemmas with the rest of the text, and share of title words. */
  centrality: 2.0,
  title: 1.0,
} as const;

const DEONTIC_LEMMAS = new Set(["should", "must", "ought", "shall"]);
const PREDICTIVE_LEMMAS = new Set(["will", "would", "can", "could", "cannot"]);
const QUANTITY_ADJ = new Set(["many", "much", "few", "several", "other", "such", "same", "own", "first", "last", "next", "more", "most", "less", "least"]);
const CAUSAL = /\b(?:because|therefore|thus|hence|consequently|accordingly|wherefore|so that|owing to|due to|in consequence|it follows|lead(?:s|ing)? to|led to|result(?:s|ed)? in|cause[sd]?|produce[sd]?|depend(?:s|ed)? on|since)\b/i;
const GENERIC = /\b(?:all|every|everyone|everything|no|none|nothing|nobody|always|never|ever|whoever|whoso|whatever|each|any)\b/i;
const INDICATOR = new RegExp(
  [
    "\\bI (?:am (?:clearly |fully |well )?(?:convinced|persuaded|of opinion|sure)|believe|think|deny|maintain|contend|argue|hold|say|answer|affirm|insist)\\b",
    "\\bwe (?:must|should|need|ought)\\b",
    "\\bit (?:is|was) (?:clear|evident|certain|obvious|plain|true|undeniable|self-evident|important|essential|necessary|in vain|absurd|folly)\\b",
    "\\b(?:the (?:plain |simple |real |uncomfortable )?truth is|the fact is|the point is|the answer is|it follows that|there can be no doubt|it cannot be doubted|no doubt)\\b",
    "\\b(?:cannot|can not|will not|need not|could not) (?:\\w+ly )?be (?:doubted|disputed|denied|questioned|controverted)\\b",
    "\\b(?:clearly|evidently|undoubtedly|certainly|obviously|surely|necessarily|indisputably|unanswerably)\\b",
  ].join("|"),
  "i",
);
const EXAMPLE = /\b(?:for example|for instance|e\.g\.|such as|to illustrate|as an example|witness|consider (?:the|this|how)|take the case)\b/i;
const HEDGE = /\b(?:perhaps|possibly|probably|maybe|might|seems?|seemed|appears?|appeared|I suppose|it may be|if I recollect)\b/i;
const SETUP = new RegExp(
  [
    "^(?:first|secondly|second|thirdly|third|fourthly|lastly|finally)\\b",
    "\\bI (?:propose|shall|will (?:now|next|first)|intend|mean to|have had an eye)\\b",
    "\\blet (?:us|me)\\b",
    "^(?:here(?:'s|’s| is)|consider|imagine|recall)\\b",
    "\\b(?:the question (?:is|resulting)|the following|in the next place|in the first place|it is necessary to consider|to return to|as (?:I|we) (?:have )?(?:said|shown|seen))\\b",
  ].join("|"),
  "i",
);
const DEFINITION = /^["'“‘(]*by [^,]{1,80},? I (?:mean|understand)\b|\b(?:is|are) (?:called|defined as|termed)\b/i;
const CONCLUSION = /\b(?:therefore|thus|hence|consequently|accordingly|wherefore|it follows|(?:may|must) be concluded|(?:we|I) (?:may |must )?conclude|the inference|in conclusion|it (?:clearly )?appears that|it clearly appears)\b/i;
const NEGATION = /\b(?:not|never|no|cannot|nor|neither)\b|n't\b/i;
const CONDITIONAL = /^["'“‘(]*(?:if|unless|were|had|should|when|whenever|whilst|while|though|although|as long as|in order to)\b/i;
const ATTRIBUTION = /\b(?:(?:some|many|other|certain) (?:writers|people|men|critics|analysts|authors|politicians|observers)|others) (?:have |has )?(?:say|said|claim|claimed|argue|argued|maintain|explained|suppose|dismiss|believe)|\b(?:it is|it has been) (?:said|often said|frequently remarked|remarked|alleged|claimed|argued)|\bsay they\b|\bwe are told\b|\baccording to\b/i;
/** Words past which {@link CLAIM_WEIGHTS}.longPerWord applies. */
export const LONG_WORDS = 30;
const COMPARATIVE_WORDS = new Set(["better", "worse", "best", "worst", "than", "superior", "inferior", "preferable"]);
/** Irregular past forms the lemmatiser maps away (a past tense is a token whose lemma differs and that is not a participle-only or present form). */
const PAST_AUX = new Set(["was", "were", "had", "did"]);

/**
 * The features of a candidate (English).
 * @param text the candidate's text (one or a few sentences).
 * @param tokens its tokens, if already tagged ({@link tagTokens}).
 */
export function claimFeatures(text: string, tokens: Token[] = tagTokens(text)): ClaimFeatures {
  const words = tokens.filter((t) => t.pos !== "PUNCT" && t.pos !== "SPACE" && t.pos !== "SYM");
  const n = words.length;
  let deontic = false;
  let predictive = false;
  let evaluative = 0;
  let comparative = false;
  let copulaPredicate = false;
  let verbs = 0;
  let past = 0;
  let narrative = false;
  let numbers = 0;
  let proper = 0;
  for (let i = 0; i < words.length; i++) {
    const t = words[i]!;
    const next = words[i + 1];
    if (t.pos === "AUX" || t.pos === "VERB") {
      if (epistemicOrFuture(words, i)) predictive = true;
      else if (DEONTIC_LEMMAS.has(t.lemma) || DEONTIC_LEMMAS.has(t.lower)) deontic = true;
      else if (PREDICTIVE_LEMMAS.has(t.lower) || t.lower === "ca") predictive = true;
      if ((t.lemma === "need" || t.lemma === "have") && next?.lower === "to") deontic = true;
    }
    if ((t.lower === "ought" || t.lower === "must") && !epistemicOrFuture(words, i)) deontic = true;
    if (t.pos === "ADJ" && !QUANTITY_ADJ.has(t.lower)) evaluative++;
    if (COMPARATIVE_WORDS.has(t.lower) || ((t.lower === "more" || t.lower === "less" || t.lower === "most" || t.lower === "least") && (next?.pos === "ADJ" || next?.pos === "ADV"))) {
      comparative = true;
    }
    if (t.pos === "ADJ" && /(?:er|est)$/.test(t.lower) && t.lemma !== t.lower && next?.lower === "than") comparative = true;
    if (t.pos === "AUX" && t.lemma === "be" && /^(?:is|are|'s|'re|isn't|aren't)$/.test(t.lower)) {
      const after = words.slice(i + 1, i + 4).filter((w) => w.pos !== "ADV" && w.pos !== "PART");
      if (after[0] && (after[0].pos === "ADJ" || after[0].pos === "DET" || after[0].pos === "NOUN")) copulaPredicate = true;
    }
    if (t.pos === "VERB" || (t.pos === "AUX" && t.lemma === "be") || (t.pos === "AUX" && t.lemma === "have")) {
      verbs++;
      // A past form: an inflected verb that is neither a present -s form nor a gerund, or an -ed form other than a stem in -eed ("need", "proceed"), with no auxiliary before it (else a participle).
      const isPast = PAST_AUX.has(t.lower) || (t.pos === "VERB" && ((t.lemma !== t.lower && !/(?:s|ing)$/.test(t.lower)) || (/ed$/.test(t.lower) && !/eed$/.test(t.lower))) && !hasAuxBefore(words, i));
      if (isPast) {
        past++;
        const subject = words[i - 1];
        if (subject && /^(?:i|we)$/.test(subject.lower)) narrative = true;
      }
    }
    if (t.pos === "NUM") numbers++;
    if (t.pos === "PROPN") proper++;
  }
  const trimmed = text.trim();
  const quoted = (trimmed.match(/[“"«][^”"»]*[”"»]/g) ?? []).join("").length;
  return {
    words: n,
    deontic,
    predictive,
    evaluative,
    comparative,
    causal: CAUSAL.test(text),
    generic: GENERIC.test(text),
    copulaPredicate,
    indicator: INDICATOR.test(text),
    conclusion: CONCLUSION.test(text),
    imperative: isImperative(tokens, trimmed),
    negated: NEGATION.test(text),
    pastShare: verbs === 0 ? 0 : past / verbs,
    narrative,
    numbers,
    properShare: n === 0 ? 0 : proper / n,
    quotation: /^[“"«‘]/u.test(trimmed) || quoted > trimmed.length / 2,
    example: EXAMPLE.test(text),
    hedge: HEDGE.test(text),
    setup: SETUP.test(trimmed) || /:["'”’)\]]*$/u.test(trimmed),
    definition: DEFINITION.test(text),
    dependent: startsDependent(trimmed, tokens),
    conditional: CONDITIONAL.test(trimmed),
    attribution: ATTRIBUTION.test(text),
    genericPresent: past === 0 && isGenericPresent(words),
    concession: CONCESSION.test(text),
    metadiscourse: METADISCOURSE.test(text),
    question: /\?["'”’)\]]*$/u.test(trimmed),
  };
}

const PERSONAL = new Set(["i", "we", "you", "he", "she", "they", "it", "me", "us", "him", "them", "thou", "ye", "this", "that", "these", "those", "there"]);
/** A subject noun phrase with a noun and no personal pronoun, then a present-tense first verb (see {@link ClaimFeatures}.genericPresent). */
function isGenericPresent(words: Token[]): boolean {
  const v = words.findIndex((t) => t.pos === "VERB" || t.pos === "AUX");
  if (v <= 0) return false;
  const subject = words.slice(0, v);
  if (subject.some((t) => PERSONAL.has(t.lower) || t.pos === "SCONJ") || !subject.some((t) => t.pos === "NOUN" || t.pos === "PROPN")) return false;
  const verb = words[v]!;
  if (verb.pos === "AUX") return /^(?:is|are|has|have|does|do)$/.test(verb.lower);
  return verb.lemma === verb.lower || (/s$/.test(verb.lower) && !/ss$/.test(verb.lower));
}

/** A sentence that gives a reason for the one before it: it opens with "For" (causal), "Because" or "Since". */
export const PREMISE_OPENING = /^["'“‘(]*(?:for\s+(?!(?:example|instance|the (?:sake|purpose|most part)|a (?:time|while|moment))\b)|because\b|since\b)/i;

/** A base-form verb first (after opening punctuation), not a frame marker such as "Let us" or "Consider". */
function isImperative(tokens: Token[], text: string): boolean {
  const first = tokens.find((t) => t.pos !== "PUNCT");
  if (!first || first.pos !== "VERB" || first.lemma !== first.lower.replace(/^\p{Lu}/u, (c) => c.toLowerCase())) return false;
  return !SETUP.test(text) && !/^(?:let|suppose|imagine|consider|recall|witness|see|note)\b/i.test(text.replace(/^["'“‘(]+/u, ""));
}

/**
 * Whether the modal at `i` is not one of obligation: "shall" after "I/we" is the plain future
 * (traditional English grammar: "I shall endeavor to give…"), "must have" + participle infers
 * about the past ("This expedient must have had great influence"; Palmer 2001, Mood and Modality:
 * epistemic must), and "must be confessed/admitted/…" is a concession frame (see CONCESSION).
 */
function epistemicOrFuture(words: Token[], i: number): boolean {
  const t = words[i]!;
  if (t.lower === "shall") return /^(?:i|we)$/.test(words[i - 1]?.lower ?? "");
  if (t.lower !== "must") return false;
  const after = words.slice(i + 1, i + 4).filter((w) => w.pos !== "ADV" && w.pos !== "PUNCT" && !/^(?:no|doubt)$/.test(w.lower));
  return after[0]?.lower === "have" && (after[1]?.pos === "VERB" || after[1]?.pos === "AUX") || (after[0]?.lower === "be" && CONCESSION_VERBS.test(after[1]?.lower ?? ""));
}

const CONCESSION_VERBS = /^(?:confessed|admitted|granted|owned|allowed|acknowledged|conceded)$/;
/**
 * A concessive set-up (Hyland 2005; Stab & Gurevych 2017 treat concession as the opening of a
 * rebuttal, not the claim): "it must be confessed/admitted that", "I grant/admit/own that",
 * "it is true that", "to be sure", "granted that". The position it concedes is the other side's.
 */
const CONCESSION = /\b(?:(?:it|this) (?:must|may|should|will) (?:\w+ )?be (?:confessed|admitted|granted|owned|allowed|acknowledged|conceded)|(?:I|we) (?:grant|admit|own|concede|confess|allow)\b(?! (?:no|not))|it is (?:indeed )?true(?:,[^,]{1,40},)? that|to be sure|granted that)/i;

/** See {@link ClaimFeatures}.metadiscourse. */
const METADISCOURSE = /\b(?:(?:my|our|this|these|the present|the following|the next|a (?:future|subsequent)|my next|the preceding|the last|the foregoing) (?:arguments?|papers?|address(?:es)?|essays?|discussion|inquiry|investigation|motives|remarks|observations|chapters?|sections?|pages|numbers)|you will(?:, [^,]{1,30},)? (?:have )?(?:collected|perceive|observe|see|find) (?:from|that|in))\b/i;

/** Whether a form of have/be/do comes up to three words before `i` (a participle in a perfect or passive, not a past tense). */
function hasAuxBefore(words: Token[], i: number): boolean {
  for (let k = i - 1; k >= Math.max(0, i - 3); k--) {
    const w = words[k]!;
    if (w.pos === "AUX" && (w.lemma === "have" || w.lemma === "be" || w.lemma === "get")) return true;
  }
  return false;
}

/**
 * The claim score of a candidate's features: the weighted sum of
 * {@link CLAIM_WEIGHTS} (about -4 to +6; above 0 leans to a debatable claim).
 * Structural and topical terms are added by {@link draftPropositionList}.
 */
export function claimScore(f: ClaimFeatures, weights: ScoringWeights = SCORING_WEIGHTS): number {
  return dotTerms(claimTerms(f), weights);
}

/**
 * The names of the terms a candidate's score sums, each a number a weight multiplies
 * ({@link claimTerms} for the sentence's own features; `paragraphClosing`, `supported`,
 * `laterDependent`, `centrality`, `title`, `paragraphOpening`, `openingOrClosing` are added by
 * {@link draftPropositionList} from the sentence's place in the article).
 */
export const TERM_NAMES = [
  "deontic", "predictive", "evaluative", "comparative", "causal", "generic", "copulaPredicate", "indicator",
  "conclusion", "imperative", "negated", "past", "narrative", "numbers", "properNouns", "quotation", "example",
  "hedge", "setup", "definition", "dependent", "conditional", "attribution", "genericPresent", "question",
  "concession", "metadiscourse", "brief", "longWords",
  "paragraphClosing", "supported", "laterDependent", "centrality", "title", "paragraphOpening", "openingOrClosing",
] as const;
/** One term of a candidate's score ({@link TERM_NAMES}). */
export type TermName = (typeof TERM_NAMES)[number];
/** A candidate's term values; a missing term is 0. */
export type Terms = Partial<Record<TermName, number>>;

/**
 * The weights a score is computed with: one per term, a constant `bias`, and `minScore`, the
 * score below which a candidate is never drafted.
 */
export interface ScoringWeights {
  terms: Record<TermName, number>;
  bias: number;
  minScore: number;
}

/** The hand-set weights of {@link CLAIM_WEIGHTS} as a {@link ScoringWeights} (ADR 0040). */
export const HAND_WEIGHTS: ScoringWeights = {
  terms: {
    deontic: CLAIM_WEIGHTS.deontic,
    predictive: CLAIM_WEIGHTS.predictive,
    evaluative: CLAIM_WEIGHTS.evaluativeEach,
    comparative: CLAIM_WEIGHTS.comparative,
    causal: CLAIM_WEIGHTS.causal,
    generic: CLAIM_WEIGHTS.generic,
    copulaPredicate: CLAIM_WEIGHTS.copulaPredicate,
    indicator: CLAIM_WEIGHTS.indicator,
    conclusion: CLAIM_WEIGHTS.conclusion,
    imperative: CLAIM_WEIGHTS.imperative,
    negated: CLAIM_WEIGHTS.negated,
    past: CLAIM_WEIGHTS.past,
    narrative: CLAIM_WEIGHTS.narrative,
    numbers: CLAIM_WEIGHTS.numbers,
    properNouns: CLAIM_WEIGHTS.properNouns,
    quotation: CLAIM_WEIGHTS.quotation,
    example: CLAIM_WEIGHTS.example,
    hedge: CLAIM_WEIGHTS.hedge,
    setup: CLAIM_WEIGHTS.setup,
    definition: CLAIM_WEIGHTS.definition,
    dependent: CLAIM_WEIGHTS.dependent,
    conditional: CLAIM_WEIGHTS.conditional,
    attribution: CLAIM_WEIGHTS.attribution,
    genericPresent: CLAIM_WEIGHTS.genericPresent,
    question: CLAIM_WEIGHTS.question,
    concession: CLAIM_WEIGHTS.concession,
    metadiscourse: CLAIM_WEIGHTS.metadiscourse,
    brief: CLAIM_WEIGHTS.brief,
    longWords: CLAIM_WEIGHTS.longPerWord,
    paragraphClosing: CLAIM_WEIGHTS.paragraphClosing,
    supported: CLAIM_WEIGHTS.supported,
    laterDependent: CLAIM_WEIGHTS.dependent,
    centrality: CLAIM_WEIGHTS.centrality,
    title: CLAIM_WEIGHTS.title,
    paragraphOpening: CLAIM_WEIGHTS.paragraphOpening,
    openingOrClosing: CLAIM_WEIGHTS.openingOrClosing,
  },
  bias: 0,
  minScore: DRAFT_MIN_SCORE,
};

/** The weights the app scores with: learnt on the evaluation set with the hand weights as prior (claim-weights.ts, ADR 0056). */
export const SCORING_WEIGHTS: ScoringWeights = TRAINED_WEIGHTS;

/**
 * The term values of a sentence's own features (the part of the score that does not depend on
 * its place in the article): booleans as 0/1, evaluative adjectives capped at
 * {@link CLAIM_WEIGHTS}.evaluativeMax, `longWords` the words beyond {@link LONG_WORDS}.
 */
export function claimTerms(f: ClaimFeatures): Terms {
  const b = (x: boolean) => (x ? 1 : 0);
  return {
    deontic: b(f.deontic),
    predictive: b(f.predictive),
    evaluative: Math.min(f.evaluative, CLAIM_WEIGHTS.evaluativeMax),
    comparative: b(f.comparative),
    causal: b(f.causal),
    generic: b(f.generic),
    copulaPredicate: b(f.copulaPredicate),
    indicator: b(f.indicator),
    conclusion: b(f.conclusion),
    imperative: b(f.imperative),
    negated: b(f.negated),
    past: b(f.pastShare > 0.5 && !f.deontic && !f.indicator),
    narrative: b(f.narrative),
    numbers: b(f.numbers >= 2),
    properNouns: b(f.properShare > 0.25),
    quotation: b(f.quotation),
    example: b(f.example),
    hedge: b(f.hedge),
    setup: b(f.setup),
    definition: b(f.definition),
    dependent: b(f.dependent),
    conditional: b(f.conditional),
    attribution: b(f.attribution),
    genericPresent: b(f.genericPresent),
    question: b(f.question),
    concession: b(f.concession),
    metadiscourse: b(f.metadiscourse),
    brief: b(f.words < 6),
    longWords: Math.max(0, f.words - LONG_WORDS),
  };
}

/** The weighted sum of term values, without the bias. */
export function dotTerms(terms: Terms, weights: ScoringWeights): number {
  let s = 0;
  for (const k of TERM_NAMES) s += (terms[k] ?? 0) * weights.terms[k];
  return s;
}

// --- topic relevance ----------------------------------------------------------------

const CONTENT_POS = new Set(["NOUN", "PROPN", "VERB", "ADJ"]);
const LIGHT_LEMMAS = new Set(["be", "have", "do", "make", "say", "get", "go", "come", "take", "give", "other", "such", "same", "own", "many", "much"]);

function contentBag(tokens: Token[]): Map<string, number> {
  const bag = new Map<string, number>();
  for (const t of tokens) {
    if (!CONTENT_POS.has(t.pos) || LIGHT_LEMMAS.has(t.lemma) || t.lemma.length < 3) continue;
    bag.set(t.lemma, (bag.get(t.lemma) ?? 0) + 1);
  }
  return bag;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, v] of a) {
    na += v * v;
    const w = b.get(k);
    if (w) dot += v * w;
  }
  for (const v of b.values()) nb += v * v;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

// --- drafting -------------------------------------------------------------------------

/** A scored candidate proposition. `text === source.slice(sourceSpan.start, sourceSpan.end)`. */
export interface ScoredProposition extends DraftProposition {
  /** Total score (claim features + structure + topic); higher is more of a debatable claim. */
  score: number;
  /** The claim features (English only; `null` for other languages). */
  features: ClaimFeatures | null;
  /**
   * Suggested self-contained wording (antecedent for a leading pronoun, leading connective or
   * concession opener dropped, a label's lower-case remainder capitalised; in German, French and
   * Spanish only a leading soft connective and its comma dropped), or `null`. At most
   * {@link SENTENCE_MAX_CHARS} long.
   */
  suggestion: string | null;
  /** Whether this is the article's thesis. */
  thesis: boolean;
  /** Index of its paragraph in the drafted span, from 0. */
  paragraph: number;
  /** Structural and topical signals added to the claim score (English only; `null` otherwise). */
  signals: { centrality: number; titleShare: number; paragraphOpening: boolean; edge: boolean } | null;
}

/** Options of {@link draftPropositionList}. */
export interface DraftOptions {
  /** Most drafts, whatever the length (default {@link DEFAULT_MAX_DRAFTS}). An integer ≥ 1. */
  maxDrafts?: number;
  /** Draft this span instead of the thesis section or whole text (UTF-16, end exclusive). */
  span?: TextSpan;
  /** Words per draft of the size cap (default {@link WORDS_PER_DRAFT}); a positive number. */
  wordsPerDraft?: number;
  /** Score with these weights instead of {@link SCORING_WEIGHTS} (evaluation and training). */
  weights?: ScoringWeights;
  /** Called with every English candidate's span and score terms (training data for the weights). */
  onTerms?: (span: TextSpan, terms: Terms) => void;
}

/** The draft list of an article. */
export interface PropositionDraft {
  /** The hot-take section when there is one (and no `span` option), else `null`. */
  section: Section | null;
  /** What was drafted from: the section body, the given span, or the whole text less its title line. */
  span: TextSpan;
  /** The detected language and whether claim scoring applied. */
  language: DetectedLanguage;
  /** Words in `span` (Unicode word segmentation) and the size cap they give. */
  words: number;
  cap: number;
  /** The drafts, thesis first, then by descending score. */
  drafts: ScoredProposition[];
  /** Every other candidate, in text order ("more candidate sentences"), at most {@link CANDIDATES_MAX}. */
  candidates: ScoredProposition[];
  /** Candidates left out past {@link CANDIDATES_MAX} (0 normally). */
  candidatesLeftOut: number;
  /**
   * Whether the drafted span was cut to its first {@link DRAFT_SPAN_MAX_CHARS} characters (up to a
   * paragraph break): `span` then ends before the section or text does, and nothing after it was
   * drafted. The review page can say so.
   */
  truncated: boolean;
}

/**
 * A wording folded for comparison: Unicode-normalised (NFKC), lower case, punctuation dropped and
 * whitespace collapsed. Drafts and candidates are unique by it ({@link draftPropositionList}).
 */
export function normaliseWording(s: string): string {
  return s.normalize("NFKC").toLowerCase().replace(/[\p{P}]+/gu, " ").replace(/\s+/g, " ").trim();
}

const wordSegmenter = new Intl.Segmenter("en", { granularity: "word" });
/** Characters per piece {@link countWords} hands to the segmenter. */
const WORD_COUNT_CHUNK = 8_192;
/**
 * Words in `s` (Unicode word segmentation, UAX #29). The text goes to the segmenter in pieces of about
 * {@link WORD_COUNT_CHUNK} characters cut at a space: iterating one segmenter over a long string (a
 * 160,000-character paragraph) took seconds to minutes in V8, growing faster than the length, and
 * blocked the server. A word cut where a piece ends without a space (CJK text) may count twice.
 */
function countWords(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; ) {
    let j = Math.min(s.length, i + WORD_COUNT_CHUNK);
    if (j < s.length) {
      const space = s.lastIndexOf(" ", j);
      if (space > i) j = space + 1;
    }
    for (const seg of wordSegmenter.segment(s.slice(i, j))) if (seg.isWordLike) n++;
    i = j;
  }
  return n;
}

/** Framing before a colon that the claim after it does not need ("Here's the uncomfortable truth…: X"). */
const FRAMING_LEAD = /^(?:here(?:'s|’s| is)|the (?:\w+ )?(?:truth|fact|point|answer|lesson|bottom line|reality|problem)|make no mistake|to be clear|let me be clear|put simply|in short|the result)\b[^:]{0,120}:\s+(?=\p{Lu})/iu;

/** Longest line taken as a title (30 words of 20 characters). */
const TITLE_MAX_CHARS = 600;

/**
 * The article's title line: its first line, when it is followed by a blank line
 * or is a heading, has no sentence-final punctuation and at most 30 words.
 * @returns its span, or `null`.
 */
export function titleLine(text: string): TextSpan | null {
  const first = trimSpan(text, 0, text.length);
  if (first.start === first.end) return null;
  const nl = text.slice(first.start).search(/\r?\n/);
  const end = nl < 0 ? first.end : first.start + nl;
  const line = text.slice(first.start, end).trim();
  // A title has at most 30 words: a line of more than TITLE_MAX_CHARS characters is none, without counting.
  if (line.length === 0 || line.length > TITLE_MAX_CHARS || /[.!?…;,]["'”’)\]]*$/u.test(line) || countWords(line) > 30) return null;
  if (nl < 0) return null; // a one-line text is the text, not a title
  return { start: first.start, end: first.start + text.slice(first.start, end).trimEnd().length };
}

/**
 * Drafts the propositions of an article (method in the module docstring).
 * @param text the article (any length the app accepts; the scorer reads each candidate once).
 * @param options `maxDrafts` (default 25) and an explicit `span`.
 * @returns drafts and candidates; every proposition satisfies the span invariant; there is
 *   one per sentence group of {@link splitPropositions}, starting later than its group when
 *   framing before a colon, or set-up before the group's best sentence, is left out; a group
 *   whose wording ({@link normaliseWording}) an earlier one has is left out; candidates past
 *   {@link CANDIDATES_MAX} are left out (counted in `candidatesLeftOut`); `truncated` says
 *   whether the span was cut to {@link DRAFT_SPAN_MAX_CHARS}.
 * @throws RangeError for an invalid span or `maxDrafts` that is not an integer ≥ 1.
 */
export function draftPropositionList(text: string, options: DraftOptions = {}): PropositionDraft {
  const maxDrafts = options.maxDrafts ?? DEFAULT_MAX_DRAFTS;
  const weights = options.weights ?? SCORING_WEIGHTS;
  if (!Number.isInteger(maxDrafts) || maxDrafts < 1) throw new RangeError(`maxDrafts must be an integer of at least 1, not ${maxDrafts}.`);
  let section = options.span ? null : findThesisSection(text);
  // A hot-take section with nothing to draft (only a question, only a heading-like line) is as
  // good as none: the whole text is drafted, as when the section is empty.
  if (section && splitPropositions(text, section.span).length === 0) section = null;
  let span: TextSpan;
  let title: string | null = null;
  if (options.span) span = { ...options.span };
  else if (section) {
    span = { ...section.span };
    title = section.heading;
  } else {
    span = trimSpan(text, 0, text.length);
    const t = titleLine(text);
    const headings = findHeadings(text);
    if (t && !headings.some((h) => h.blockSpan.start <= t.start && t.end <= h.blockSpan.end)) {
      span = trimSpan(text, t.end, span.end);
    }
    title = t ? text.slice(t.start, t.end) : (headings[0]?.text ?? null);
  }
  const truncated = span.end - span.start > DRAFT_SPAN_MAX_CHARS;
  if (truncated) {
    const limit = span.start + DRAFT_SPAN_MAX_CHARS;
    const paragraphBreak = text.lastIndexOf("\n", limit);
    span = trimSpan(text, span.start, paragraphBreak > span.start + DRAFT_SPAN_MAX_CHARS / 2 ? paragraphBreak : limit);
  }
  const spanText = text.slice(span.start, span.end);
  const language = detectLanguage(spanText);
  const words = countWords(spanText);
  const cap = Math.min(maxDrafts, Math.max(MIN_DRAFTS, Math.ceil(words / (options.wordsPerDraft ?? WORDS_PER_DRAFT))));

  const groups = splitPropositions(text, span);
  const sentences = sentenceSpans(text, span);
  const paragraphOf = (start: number) => {
    let p = 0;
    for (const s of sentences) {
      if (s.start > start) break;
      p = s.paragraph;
    }
    return p;
  };
  const lastParagraph = sentences.length > 0 ? sentences[sentences.length - 1]!.paragraph : 0;
  const isParagraphOpening = (start: number) => sentences.some((s) => s.start === start && (sentences.indexOf(s) === 0 || sentences[sentences.indexOf(s) - 1]!.paragraph !== s.paragraph));

  const scored: (ScoredProposition & { thesisScore: number })[] = [];
  if (language.claimScoring) {
    // Each sentence of a group is scored on its own; the group is as much a claim as its best sentence.
    const perGroup = groups.map((g) =>
      sentences
        .filter((x) => x.start >= g.sourceSpan.start && x.end <= g.sourceSpan.end)
        .map((x, k) => {
          const whole = text.slice(x.start, x.end);
          const sentence = whole.replace(FRAMING_LEAD, ""); // the claim after "Here's the truth:" is what is scored
          const tokens = tagTokens(sentence);
          const features = claimFeatures(sentence, tokens);
          const standsAlone = !features.dependent;
          if (k > 0) features.dependent = false; // joined to the sentence it depends on
          // Context within the paragraph: its closing sentence, and a sentence the next one gives a reason for.
          const at = sentences.indexOf(x);
          const next = sentences[at + 1];
          const closing = !next || next.paragraph !== x.paragraph;
          const supported = !closing && PREMISE_OPENING.test(text.slice(next.start, next.end).trim());
          const terms: Terms = { ...claimTerms(features), paragraphClosing: closing ? 1 : 0, supported: supported ? 1 : 0 };
          return { features, terms, score: dotTerms(terms, weights), bag: contentBag(tokens), start: x.start, standsAlone };
        }),
    );
    const bags = perGroup.map((list) => {
      const bag = new Map<string, number>();
      for (const x of list) for (const [k, v] of x.bag) bag.set(k, (bag.get(k) ?? 0) + v);
      return bag;
    });
    const total = new Map<string, number>();
    for (const b of bags) for (const [k, v] of b) total.set(k, (total.get(k) ?? 0) + v);
    const titleBag = title ? contentBag(tagTokens(title)) : new Map<string, number>();
    groups.forEach((g, i) => {
      const list = perGroup[i]!;
      if (list.length === 0) return;
      const best = list.reduce((a, b) => (b.score > a.score ? b : a));
      const rest = new Map(total);
      for (const [k, v] of bags[i]!) rest.set(k, (rest.get(k) ?? 0) - v);
      const centrality = cosine(best.bag, rest);
      const titleShare = titleBag.size === 0 ? 0 : [...titleBag.keys()].filter((k) => best.bag.has(k)).length / titleBag.size;
      const paragraph = paragraphOf(g.sourceSpan.start);
      const edge = paragraph <= 0 || paragraph >= lastParagraph;
      const features = { ...best.features, dependent: list[0]!.features.dependent };
      const terms: Terms = {
        ...best.terms,
        laterDependent: best !== list[0] && features.dependent ? 1 : 0,
        centrality,
        title: titleShare,
        paragraphOpening: isParagraphOpening(g.sourceSpan.start) ? 1 : 0,
        openingOrClosing: edge ? 1 : 0,
      };
      const score = dotTerms(terms, weights) + weights.bias;
      const nearEdge = paragraph <= 1 || paragraph >= lastParagraph - 1;
      const thesisScore = nearEdge && !features.setup && !features.dependent ? score + 2 * titleShare + 2 * centrality : Number.NEGATIVE_INFINITY;
      // The best sentence, when it stands alone, starts the proposition if what came before it was set-up, not a claim.
      const bestAt = list.indexOf(best);
      const setUpBefore = list.slice(0, bestAt).every((x) => x.score + weights.bias < weights.minScore);
      const start = bestAt > 0 && best.standsAlone && setUpBefore ? best.start : g.sourceSpan.start;
      const narrowed = { text: text.slice(start, g.sourceSpan.end), sourceSpan: { start, end: g.sourceSpan.end } };
      const signals = { centrality: round(centrality), titleShare: round(titleShare), paragraphOpening: isParagraphOpening(g.sourceSpan.start), edge };
      const proposition = narrowFraming(text, narrowLabel(text, narrowed, section?.heading ?? null));
      options.onTerms?.(proposition.sourceSpan, terms);
      scored.push({ ...proposition, score: round(score), features, suggestion: null, thesis: false, paragraph, signals, thesisScore });
    });
  } else {
    // German, French and Spanish: a unit opening with a connective or pronoun that needs the
    // sentence before is not drafted, unless dropping a soft connective and its comma mends it.
    groups.forEach((g) => {
      const paragraph = paragraphOf(g.sourceSpan.start);
      const n = countWords(g.text);
      const score =
        (isParagraphOpening(g.sourceSpan.start) ? 1 : 0) + (paragraph === 0 || paragraph === lastParagraph ? 0.5 : 0) + (n >= 8 && n <= 50 ? 0.5 : 0);
      const unit = narrowLabel(text, g, section?.heading ?? null);
      const suggestion = suggestWithoutConnective(language.code, unit.text);
      scored.push({ ...unit, score, features: null, suggestion, thesis: false, paragraph, signals: null, thesisScore: paragraph === 0 ? score : Number.NEGATIVE_INFINITY });
    });
  }

  // The same wording twice (a pull quote, a text pasted twice) is one candidate: the first.
  const seen = new Set<string>();
  const unique = scored.filter((c) => {
    const key = normaliseWording(c.text);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  scored.splice(0, scored.length, ...unique);
  if (language.claimScoring) {
    for (const c of scored) {
      const suggestion = suggestRewording(text, c.sourceSpan, sentences);
      // An antecedent in place of a pronoun may lengthen a wording past what a proposition may hold.
      c.suggestion = suggestion !== null && suggestion.length <= SENTENCE_MAX_CHARS ? suggestion : null;
    }
  }
  // The thesis: a hot take's opening proposition, else the best thesis score near the opening or close.
  let thesisIndex = -1;
  // A proposition that needs the sentence before, after its rewording: a leading connective or
  // pronoun, or an answer to the question before it.
  const dependsOnBefore = (c: ScoredProposition) =>
    language.claimScoring
      ? startsDependent(c.suggestion ?? c.text) || answersQuestionBefore(text, c.sourceSpan, sentences)
      : startsDependentIn(language.code, c.suggestion ?? c.text);
  // A hot take states its thesis first (its opening proposition, framing left out).
  if (section && scored.length > 0 && !dependsOnBefore(scored[0]!)) thesisIndex = 0;
  if (thesisIndex < 0) scored.forEach((c, i) => {
    if (dependsOnBefore(c)) return;
    const key = section ? c.score : c.thesisScore;
    const best = thesisIndex < 0 ? Number.NEGATIVE_INFINITY : section ? scored[thesisIndex]!.score : scored[thesisIndex]!.thesisScore;
    if (key > best) thesisIndex = i;
  });
  // A draft never starts with a connective or pronoun that needs the sentence before (after its rewording).
  const draftable = (c: ScoredProposition) => !dependsOnBefore(c);
  const eligible = scored
    .map((c, i) => ({ c, i }))
    .filter(({ c, i }) => draftable(c) && (i === thesisIndex || c.score >= weights.minScore || !language.claimScoring));
  const byRank = (a: { c: ScoredProposition; i: number }, b: { c: ScoredProposition; i: number }) =>
    a.i === thesisIndex ? -1 : b.i === thesisIndex ? 1 : b.c.score - a.c.score || a.i - b.i;
  // Chosen spread over paragraphs, then listed thesis first and by score.
  eligible.sort(byRank);
  const ranked = language.claimScoring ? spreadOverParagraphs(eligible, cap).sort(byRank) : eligible.slice(0, cap);
  const chosen = new Set(ranked.map((r) => r.i));
  const strip = ({ thesisScore: _t, ...rest }: ScoredProposition & { thesisScore: number }): ScoredProposition => rest;
  const drafts = ranked.map(({ c, i }) => {
    const out = strip(c);
    out.thesis = i === thesisIndex;
    return out;
  });
  const candidates = scored
    .map((c, i) => ({ c, i }))
    .filter(({ i }) => !chosen.has(i))
    .map(({ c }) => strip(c));
  const candidatesLeftOut = Math.max(0, candidates.length - CANDIDATES_MAX);
  return { section, span, language, words, cap, drafts, candidates: candidates.slice(0, CANDIDATES_MAX), candidatesLeftOut, truncated };
}

/**
 * Picks `cap` drafts from candidates sorted best first (the thesis first), greedily, each
 * candidate's score lowered by {@link CLAIM_WEIGHTS}.sameParagraph for every draft already taken
 * from its paragraph (the thesis, sorted first, is always taken first): an essay argues about one claim per body paragraph (Stab & Gurevych 2017,
 * §3: a paragraph's claim with its premises), so a second draft from a paragraph is less likely a
 * claim of its own than the best of another paragraph. Returns them in the order picked.
 */
export function spreadOverParagraphs<T extends { c: { score: number; paragraph: number }; i: number }>(sorted: T[], cap: number): T[] {
  const picked: T[] = [];
  const perParagraph = new Map<number, number>();
  const left = [...sorted];
  while (picked.length < cap && left.length > 0) {
    let best = 0;
    if (picked.length > 0) {
      let bestScore = Number.NEGATIVE_INFINITY;
      left.forEach((x, k) => {
        const s = x.c.score + CLAIM_WEIGHTS.sameParagraph * (perParagraph.get(x.c.paragraph) ?? 0);
        if (s > bestScore) {
          bestScore = s;
          best = k;
        }
      });
    }
    const [x] = left.splice(best, 1);
    picked.push(x!);
    perParagraph.set(x!.c.paragraph, (perParagraph.get(x!.c.paragraph) ?? 0) + 1);
  }
  return picked;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** A short label before a colon at the start of a proposition ("Hot take: …", "🔥 My hot take: …"). */
const LEADING_LABEL = /^([^:.!?\n]{1,60}):\s+(?=\S)/u;

/**
 * Leaves out a leading label that names the section itself: a hot take ({@link isHotTakeHeading})
 * or the drafted section's heading, followed by a colon ("Hot take: congestion charges are…" →
 * "congestion charges are…"; the suggestion capitalises it).
 */
function narrowLabel(text: string, p: DraftProposition, heading: string | null): DraftProposition {
  const m = LEADING_LABEL.exec(p.text);
  if (!m) return p;
  const label = m[1]!.trim();
  const bare = (s: string) => s.replace(/[^\p{L}\p{N}]+/gu, " ").trim().toLowerCase();
  const own = isHotTakeHeading(label) || (heading !== null && bare(label) !== "" && bare(label) === bare(heading));
  if (!own || countWords(label) > 5 || m[0].length >= p.text.length) return p;
  const start = p.sourceSpan.start + m[0].length;
  return { text: text.slice(start, p.sourceSpan.end), sourceSpan: { start, end: p.sourceSpan.end } };
}

/** Leaves out framing before a colon ("Here's the uncomfortable truth…: America is…" → "America is…"). */
function narrowFraming(text: string, p: DraftProposition): DraftProposition {
  const m = FRAMING_LEAD.exec(p.text);
  if (!m) return p;
  const start = p.sourceSpan.start + m[0].length;
  return { text: text.slice(start, p.sourceSpan.end), sourceSpan: { start, end: p.sourceSpan.end } };
}

export type { SentenceSpan };
