/**
 * Formatting a catalogue message outside React (meta titles, server error
 * messages) with the same ICU MessageFormat engine react-intl uses
 * (intl-messageformat). Values are plain strings, numbers and dates.
 */
import type { MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { IntlMessageFormat } from "intl-messageformat";
import { PSEUDO_LOCALE, type Locale } from "./locales";

export type MessageValues = Record<string, string | number | Date>;
/** A catalogue as sent to the browser: each message parsed to its ICU AST (the browser bundle has no parser), or as text (server). */
export type Messages = Readonly<Record<string, string | MessageFormatElement[]>>;

/** The locale Intl formats numbers, dates and plurals with (the pseudo-locale formats as English). */
export function intlLocaleOf(locale: Locale): string {
  return locale === PSEUDO_LOCALE ? "en" : locale;
}

/**
 * `messages[id]` formatted for `locale`; the id itself when the catalogue lacks it
 * (never throws: a broken message shows its id rather than an error page).
 */
export function formatMessage(messages: Messages, locale: Locale, id: string, values?: MessageValues): string {
  const source = messages[id];
  if (source === undefined) return id;
  try {
    return String(new IntlMessageFormat(source, intlLocaleOf(locale)).format(values));
  } catch {
    return typeof source === "string" ? source : id;
  }
}

/** Wraps a message in the pseudo-locale's markers (⟦…⟧), keeping its ICU syntax intact. */
export function pseudoMessage(message: string): string {
  return `⟦${message}⟧`;
}
