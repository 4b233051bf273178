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

/**
 * The best supported language for an Accept-Language header value, or null.
 * Ranges are taken by q-value (default 1), ties by order; a range matches on
 * its primary subtag ("de-CH" gives "de"); q=0 and "*" are ignored.
 */
export function languageFromAcceptLanguage(header: string | null | undefined): Language | null {
  if (!header) return null;
  const ranges = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { primary: tag.trim().toLowerCase().split("-")[0] ?? "", weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((r) => r.primary && r.primary !== "*" && r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
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
