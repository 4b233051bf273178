/**
 * Dependent openings in German, French and Spanish: the counterpart, for the languages the
 * drafter does not score, of the English checks of propositions.ts and rewording.ts
 * (`HARD_CONNECTIVE`, `SOFT_CONNECTIVE`, `ANAPHORS`, `startsDependent`). A
 * draft must not start with a word that needs the sentence before it (ADR 0040).
 *
 * Per language (ISO 639-3 code, as `detectLanguage` of nlp.ts gives it) three small lists:
 *  - hard connectives: coordinating conjunctions that, starting a sentence, continue the
 *    previous one (DE und, aber, oder, denn, doch, sondern; FR et, mais, ou, car, or, ni, donc;
 *    ES y, pero, o, ni, sino, pues). A unit opening with one is not drafted.
 *  - soft connectives: well-known discourse adverbials and connecting phrases, taken from the
 *    standard lexicons of each language — for German DiMLex, the lexicon of German discourse
 *    markers (Stede & Umbach 1998, "DiMLex: A lexicon of discourse markers for text generation
 *    and understanding", COLING-ACL; Scheffler & Stede 2016, "Adding semantic relations to a
 *    large-coverage connective lexicon of German", LREC); for French LEXCONN (Roze, Danlos &
 *    Muller 2012, "LEXCONN: a French lexicon of discourse connectives", Discours 10); for Spanish
 *    the discourse markers of Martín Zorraquino & Portolés Lázaro 1999 ("Los marcadores del
 *    discurso", ch. 63 of Bosque & Demonte, Gramática descriptiva de la lengua española). Only
 *    common, unambiguous ones are listed, not whole lexicons. A unit opening with one followed by
 *    a comma gets a suggestion without it ("Cependant, les commerçants…" → "Les commerçants…");
 *    without a comma it is not drafted: a German adverbial fills the position before the verb
 *    (verb second: "Außerdem zeigen Umfragen…" cannot lose "Außerdem"), and a French or Spanish
 *    one without a comma may have moved the subject after the verb ("Ainsi faut-il…").
 *  - anaphors: third-person personal pronouns and possessives, and demonstrative pronouns and
 *    determiners (DE er, sie, es, das + verb, dies, diese…; FR il(s), elle(s), cela, ça, ce,
 *    cette, ces, leur…; ES él, ella(s), ellos, esto, eso, este, esta…, su, sus, dicho…), from the
 *    pronoun tables of each language's reference grammar. A unit opening with one is not drafted
 *    (no antecedent finder runs on these languages). Not anaphoric: expletive subjects — German
 *    "Es gibt", "Es geht um", "Es ist wichtig, dass/zu …"; French "Il faut", "Il y a", "Il est
 *    temps de", "Il est clair que" (Spanish has no expletive subject pronoun); free relatives
 *    ("Ce que…", "Ceux qui…", "Aquellos que…"); German "Das/Die/Der" before a (capitalised)
 *    noun, the article; and a demonstrative before a word of time ("Cette année", "Este año",
 *    "Dieses Jahr"), which points at the present, not at the sentence before.
 */
interface LanguageLists {
  hard: string[];
  soft: string[];
  anaphors: string[];
  /** Openings that look anaphoric but are not (expletives, free relatives, articles). */
  notAnaphoric: RegExp;
}

const TIME_DE = "Jahr|Woche|Monat|Sommer|Winter|Frühjahr|Herbst|Jahrhundert|Jahrzehnt|Mal|Morgen|Abend";
const TIME_FR = "année|an|semaine|mois|été|hiver|printemps|automne|siècle|matin|soir|fois";
const TIME_ES = "año|semana|mes|verano|invierno|otoño|primavera|siglo|lunes|martes|mañana|tarde|vez";

const LISTS: Readonly<Record<string, LanguageLists>> = {
  deu: {
    hard: ["und", "aber", "oder", "denn", "doch", "sondern"],
    soft: [
      "außerdem", "zudem", "ferner", "überdies", "darüber hinaus", "jedoch", "allerdings", "trotzdem", "dennoch", "gleichwohl",
      "indessen", "hingegen", "dagegen", "stattdessen", "deshalb", "deswegen", "daher", "darum", "folglich", "somit", "also",
      "dann", "danach", "schließlich", "letztlich", "immerhin", "nämlich", "übrigens", "im übrigen", "ebenso", "ebenfalls",
      "auch", "andererseits", "im gegenteil", "zum beispiel", "beispielsweise", "tatsächlich", "in der tat", "insofern",
    ],
    anaphors: [
      "er", "sie", "es", "das", "dies", "dieser", "diese", "dieses", "diesem", "diesen", "jener", "jene", "jenes", "jenem", "jenen",
      "solche", "solcher", "solches", "solchen", "ihr", "ihre", "ihrer", "ihren", "ihrem", "sein", "seine", "seiner", "seinen", "seinem",
      "dadurch", "dafür", "davon", "deren", "dessen",
    ],
    notAnaphoric: new RegExp(
      [
        // Expletive "es": es gibt, es geht um, es kommt auf … an, es handelt sich um, es fehlt an, es lohnt sich, es braucht …
        "^[Ee]s\\s+(?:gibt|gab|geben|geht|ging|handelt|kommt|kam|fehlt|fehlte|lohnt|braucht|bedarf|sei|heißt|hieß|wird\\s+zeit|ist\\s+zeit|regnet)(?![\\p{L}\\p{N}])",
        // "Es ist/war/bleibt … , dass/ob/wenn …" or "… , … zu + verb": a clause or infinitive as the real subject.
        "^[Ee]s\\s+(?:ist|war|wäre|bleibt|scheint|wird)(?![\\p{L}\\p{N}])[^.!?;]*,\\s*(?:dass|daß|ob|wenn|wie|als\\s+ob)(?![\\p{L}\\p{N}])",
        "^[Ee]s\\s+(?:ist|war|wäre|bleibt|scheint)(?![\\p{L}\\p{N}])[^.!?;,]*,\\s*[^.!?;,]*(?<!\\p{L})zu\\s+\\p{Ll}",
        // "Das/Dies/Diese …" before a capitalised word: an article or determiner of a noun is anaphoric only as a demonstrative;
        // "Das Umweltbundesamt" is the article (German nouns are capitalised), "Dieses Jahr" points at the present.
        "^[Dd]as\\s+\\p{Lu}",
        `^(?:[Dd]ies(?:es|er|em|en|e)?|[Ii]n\\s+diesem)\\s+(?:${TIME_DE})(?![\\p{L}\\p{N}])`,
        "^[Ee]s\\s+sei\\s+denn(?![\\p{L}\\p{N}])",
      ].join("|"),
      "u", // case-sensitive: German nouns are capitalised
    ),
  },
  fra: {
    hard: ["et", "mais", "ou", "car", "or", "ni", "donc"],
    soft: [
      "cependant", "pourtant", "toutefois", "néanmoins", "par ailleurs", "ensuite", "puis", "enfin", "de plus", "en outre",
      "de surcroît", "ainsi", "aussi", "d'ailleurs", "d’ailleurs", "en effet", "par conséquent", "en conséquence", "en revanche",
      "au contraire", "de même", "également", "bref", "alors", "sinon", "certes", "par exemple", "en fait", "du coup",
      "après tout", "en somme", "finalement", "malgré tout", "quand même", "pour autant", "dès lors",
    ],
    anaphors: [
      "il", "ils", "elle", "elles", "lui", "eux", "cela", "ça", "ceci", "ce", "c'", "c’", "cet", "cette", "ces", "celui", "celle", "ceux", "celles",
      "celui-ci", "celle-ci", "ceux-ci", "celles-ci", "leur", "leurs", "son", "sa", "ses", "tel", "telle", "tels", "telles",
    ],
    notAnaphoric: new RegExp(
      [
        // Impersonal "il": il faut, il y a, il semble, il s'agit de, il reste, il suffit de, il vaut mieux, il existe, il arrive que …
        "^il\\s+(?:faut|fallait|faudra|faudrait|fallut|y\\s+a|y\\s+avait|y\\s+aura|y\\s+aurait|semble|semblait|paraît|s['’]agit|reste|restait|suffit|suffirait|vaut|vaudrait|importe|manque|existe|arrive|convient|convenait|était\\s+une\\s+fois)(?![\\p{L}\\p{N}])",
        // "Il est/était … de/que …": il est temps de, il est clair que, il est donc nécessaire de.
        "^il\\s+(?:est|était|sera|serait)\\s+(?:(?:très|plus|moins|bien|si|donc|aussi|pourtant|déjà|encore|grand|peu|tout\\s+à\\s+fait)\\s+)?[\\p{L}-]+\\s+(?:que|qu['’]|de|d['’])",
        // Free relatives: ce que, ce qui, ce dont, celui qui, ceux que …
        "^(?:ce|celui|celle|ceux|celles)\\s+(?:qui|que|qu['’]|dont)(?![\\p{L}\\p{N}])",
        `^(?:cet|cette|ce|ces)\\s+(?:${TIME_FR})s?(?![\\p{L}\\p{N}])`,
      ].join("|"),
      "iu",
    ),
  },
  spa: {
    hard: ["y", "pero", "o", "ni", "sino", "pues"],
    soft: [
      "además", "sin embargo", "no obstante", "por tanto", "por lo tanto", "por eso", "por ello", "por consiguiente",
      "en consecuencia", "así que", "así pues", "así", "en cambio", "por otra parte", "por otro lado", "asimismo", "también",
      "incluso", "de hecho", "en efecto", "es decir", "o sea", "entonces", "luego", "después", "finalmente", "por último",
      "al contrario", "por el contrario", "aun así", "con todo", "de todos modos", "por ejemplo", "en resumen", "en definitiva",
      "encima", "igualmente", "claro",
    ],
    anaphors: [
      "él", "ella", "ellos", "ellas", "ello", "esto", "eso", "aquello", "este", "esta", "estos", "estas", "ese", "esa", "esos", "esas",
      "aquel", "aquella", "aquellos", "aquellas", "su", "sus", "dicho", "dicha", "dichos", "dichas", "tal", "tales",
    ],
    notAnaphoric: new RegExp(
      [
        // Free relatives: aquellos que, aquel que, esos que …
        "^(?:aquel|aquella|aquellos|aquellas|ese|esa|esos|esas)\\s+(?:que|quienes?)(?![\\p{L}\\p{N}])",
        `^(?:este|esta|estos|estas|ese|esa|esos|esas)\\s+(?:${TIME_ES})(?:s|es)?(?![\\p{L}\\p{N}])`,
        "^tal\\s+(?:vez|como)(?![\\p{L}\\p{N}])",
      ].join("|"),
      "iu",
    ),
  },
};

/** ISO 639-3 codes with lists here. */
export const DEPENDENT_OPENING_LANGUAGES: readonly string[] = Object.keys(LISTS);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
const OPENING_PUNCT = /^["'“‘«„‚([*_\s¡¿]+/u;

interface Compiled {
  hard: RegExp;
  soft: RegExp;
  /** A soft connective and the comma after it: dropped by {@link suggestWithoutConnective}. */
  droppable: RegExp;
  anaphor: RegExp;
  notAnaphoric: RegExp;
}

const byLength = (a: string, b: string) => b.length - a.length;
const alternation = (words: string[]) => [...words].sort(byLength).map(escape).join("|");
// "\b" is ASCII-only in JavaScript: a word ends where no letter, digit or apostrophe follows.
const END = "(?![\\p{L}\\p{N}])";

const COMPILED: Readonly<Record<string, Compiled>> = Object.fromEntries(
  Object.entries(LISTS).map(([code, l]) => [
    code,
    {
      hard: new RegExp(`^(?:${alternation(l.hard)})${END}`, "iu"),
      soft: new RegExp(`^(?:${alternation(l.soft)})${END}`, "iu"),
      droppable: new RegExp(`^(?:${alternation(l.soft)})\\s*,\\s*(?=\\S)`, "iu"),
      // "c'" and "c’" end with the apostrophe; the others are whole words.
      anaphor: new RegExp(`^(?:c['’]|(?:${alternation(l.anaphors.filter((a) => !/['’]$/.test(a)))})${END})`, "iu"),
      notAnaphoric: l.notAnaphoric,
    },
  ]),
);

/**
 * Whether a unit of German, French or Spanish text starts with a word that needs the sentence
 * before (a hard or soft connective, or an anaphor, by the lists of the module docstring).
 * `false` for any other language.
 * @param code the ISO 639-3 code of the text (`detectLanguage`).
 * @param wording the unit's text or its suggested wording.
 */
export function startsDependentIn(code: string, wording: string): boolean {
  const c = COMPILED[code];
  if (!c) return false;
  const s = wording.trim().replace(OPENING_PUNCT, "");
  if (c.hard.test(s) || c.soft.test(s)) return true;
  return c.anaphor.test(s) && !c.notAnaphoric.test(s);
}

/**
 * The wording of a German, French or Spanish unit without its leading soft connective and the
 * comma after it, capitalised ("Par ailleurs, les transports…" → "Les transports…"), or `null`
 * when it opens with none followed by a comma, or for another language.
 */
export function suggestWithoutConnective(code: string, wording: string): string | null {
  const c = COMPILED[code];
  if (!c) return null;
  const m = c.droppable.exec(wording);
  if (!m || wording.length <= m[0].length + 10) return null;
  const rest = wording.slice(m[0].length);
  return rest.charAt(0).toLocaleUpperCase(Intl.getCanonicalLocales(code)[0]) + rest.slice(1);
}
