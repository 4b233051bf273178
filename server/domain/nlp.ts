/**
 * Tokens, part-of-speech tags and lemmas of English text, and the language of
 * any text: thin wrappers over well-kept libraries so the rest of the domain
 * code does not depend on their APIs.
 *
 * - English analysis: wink-nlp 2 with its `wink-eng-lite-web-model` (a
 *   Universal Dependencies part-of-speech tagger, about 95 % accurate on
 *   UD English-EWT per its authors, and a lemmatiser), loaded once per process.
 *   Only its tokeniser, sentence splitter and POS tagger run (`sbd`, `pos`).
 * - Language identification: franc-min 6 (trigram profiles of the 82 languages
 *   with over 1 M speakers; ISO 639-3 codes).
 */
import winkNLP from "wink-nlp";
import model from "wink-eng-lite-web-model";
import { franc } from "franc-min";

/** One token: its text, lower-cased text, Universal POS tag and lemma (lower case). */
export interface Token {
  value: string;
  lower: string;
  pos: string;
  lemma: string;
}

const nlp = winkNLP(model, ["sbd", "pos"]);
const its = nlp.its;

/**
 * Tokens of an English text with their POS tags and lemmas (wink-nlp).
 * Whitespace is not a token; punctuation is (`pos: "PUNCT"`). Curly
 * apostrophes are read as straight ones so "they’re" is tagged like "they're".
 * @param text any string; `""` gives `[]`.
 */
export function tagTokens(text: string): Token[] {
  if (text.trim() === "") return [];
  const doc = nlp.readDoc(text.replace(/’/g, "'"));
  const values = doc.tokens().out(its.value) as string[];
  const pos = doc.tokens().out(its.pos) as string[];
  // its.lemma needs the model's lemmatiser add-on, which the type declarations leave as `unknown`.
  const lemma = doc.tokens().out(its.lemma as unknown as typeof its.value) as string[];
  return values.map((value, i) => ({ value, lower: value.toLowerCase(), pos: pos[i] ?? "X", lemma: (lemma[i] ?? value).toLowerCase() }));
}

/** Languages Steelman names in its interface; others are shown by their ISO 639-3 code. */
export const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  eng: "English",
  deu: "German",
  fra: "French",
  spa: "Spanish",
  ita: "Italian",
  por: "Portuguese",
  nld: "Dutch",
  pol: "Polish",
  rus: "Russian",
};

/** The detected language of a text. */
export interface DetectedLanguage {
  /** ISO 639-3 code (`eng`, `deu`, `fra`, `spa`, …), or `und` when undetermined. */
  code: string;
  /** English name for the interface ("English", "German", …, "Undetermined"). */
  name: string;
  /** Whether the claim scorer's English features apply (only for `eng`). */
  claimScoring: boolean;
}

/**
 * Detects the language of a text with franc-min, from its first 4,000
 * characters (enough for a stable trigram profile; franc needs at least 10).
 * A text of fewer than 20 letters is taken as English (the app's default).
 */
export function detectLanguage(text: string): DetectedLanguage {
  const sample = text.slice(0, 4000);
  const letters = sample.replace(/[^\p{L}]/gu, "").length;
  const code = letters < 20 ? "eng" : franc(sample, { minLength: 10 });
  const name = code === "und" ? "Undetermined" : (LANGUAGE_NAMES[code] ?? code);
  return { code, name, claimScoring: code === "eng" };
}
