/**
 * The interface languages and how one is chosen for a request (docs/i18n.md,
 * docs/decisions/0043-interface-languages-with-formatjs.md).
 *
 * Order of choice, first that applies: the `lang` cookie set by the language
 * switcher; on a debate's pages, the language its facilitator set for it; the
 * browser's Accept-Language (RFC 9110 §12.5.4: q-values, then order); English.
 * `ar-XB` is a pseudo-locale for tests (RTL, every message wrapped in ⟦ ⟧):
 * only chosen by the cookie, never offered by the switcher.
 */
/** The real interface languages, English first (the default and the source catalogue). */
export const LANGUAGES = ["en", "de", "fr", "es"] as const;
export type Language = (typeof LANGUAGES)[number];

/** The right-to-left pseudo-locale (Chromium's and Android's name for one): English wrapped in markers, laid out RTL. */
export const PSEUDO_LOCALE = "ar-XB";
/** Any locale the app can render in: a real language or the pseudo-locale. */
export type Locale = Language | typeof PSEUDO_LOCALE;
export const DEFAULT_LANGUAGE: Language = "en";

/** Each language named in itself, for the switcher and the debate settings. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", de: "Deutsch", fr: "Français", es: "Español" };

/** The cookie the language switcher sets (a year; not httpOnly-sensitive, but set httpOnly like the others). */
export const LANGUAGE_COOKIE = "lang";
export const LANGUAGE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/** Whether `value` is one of LANGUAGES (a plain check, not zod: this module is in every page's bundle). */
export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}
/** Whether `value` is a locale the switcher may set: a language or the pseudo-locale. */
export function isLocale(value: unknown): value is Locale {
  return isLanguage(value) || value === PSEUDO_LOCALE;
}

/** Whether text in `locale` runs right to left. */
export function directionOf(locale: Locale): "ltr" | "rtl" {
  return locale === PSEUDO_LOCALE ? "rtl" : "ltr";
}

/** A language range's tag (RFC 4647 §2.1, with "_" taken for "-" as some clients send it), or "*". */
const LANGUAGE_RANGE = /^(?:\*|[a-z]{1,8}(?:[-_][a-z0-9]{1,8})*)$/i;
/** A q-value as RFC 9110 §12.4.2 writes it, leniently: any number of decimals. */
const QVALUE = /^(?:0(?:\.\d*)?|1(?:\.0*)?|\.\d+)$/;

/**
 * The best supported language for an Accept-Language header value, or null.
 * Ranges are taken by q-value (default 1), ties by order; a range matches on
 * its primary subtag ("de-CH" gives "de"); q=0 and "*" are ignored.
 *
 * Malformed headers never throw and never hide a usable language: parts that
 * are not a language range (empty, garbage bytes, a bare parameter) are
 * skipped; a range whose q-value is not a number from 0 to 1 (`de;q=abc`,
 * `de;q=`, `de;q=2`) is kept, but after every range with a valid one.
 * (A hand-written parser rather than `negotiator`: this module is in every
 * page's bundle, and negotiator drops a range with an unreadable q-value.)
 */
export function languageFromAcceptLanguage(header: string | null | undefined): Language | null {
  if (typeof header !== "string" || !header) return null;
  const ranges: { primary: string; weight: number; valid: boolean; index: number }[] = [];
  // A real header is short; a huge one is read only as far as any browser's would go.
  header
    .slice(0, 4_096)
    .split(",")
    .forEach((part, index) => {
      const [tag = "", ...params] = part.split(";").map((p) => p.trim());
      if (!LANGUAGE_RANGE.test(tag) || tag === "*") return;
      let weight = 1;
      let valid = true;
      for (const param of params) {
        const [name = "", value = ""] = param.split("=").map((p) => p.trim());
        if (name.toLowerCase() !== "q") continue;
        if (QVALUE.test(value)) weight = Number(value);
        else valid = false;
      }
      if (valid && weight <= 0) return;
      ranges.push({ primary: tag.toLowerCase().split(/[-_]/)[0]!, weight: valid ? weight : 0, valid, index });
    });
  ranges.sort((a, b) => Number(b.valid) - Number(a.valid) || b.weight - a.weight || a.index - b.index);
  for (const range of ranges) {
    if (isLanguage(range.primary)) return range.primary;
  }
  return null;
}

/**
 * The locale for a request: cookie, then the debate's default, then
 * Accept-Language, then English. Invalid cookie values are ignored.
 */
export function chooseLocale(input: { cookie?: string | null; debateLanguage?: string | null; acceptLanguage?: string | null }): Locale {
  if (isLocale(input.cookie)) return input.cookie;
  if (isLanguage(input.debateLanguage)) return input.debateLanguage;
  return languageFromAcceptLanguage(input.acceptLanguage) ?? DEFAULT_LANGUAGE;
}
