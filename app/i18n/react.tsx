/**
 * The i18n hooks components use: `useT()` for a message as a string, `useFormat()` for numbers,
 * dates and lists in the page's locale. A thin React context over FormatJS's intl-messageformat
 * (ICU MessageFormat) and the browser's Intl; the root layout provides the catalogue
 * (app/root.tsx I18nProvider). Not react-intl: its provider and components cost the debate page
 * about 7 KB more (compressed) than its 170 KB budget allows (docs/decisions/0043).
 */
import { createContext, useCallback, useContext, useMemo } from "react";
import { IntlMessageFormat } from "intl-messageformat";
import type { MessageKey } from "./messages/en";
import { intlLocaleOf, type Messages, type MessageValues } from "./format";
import { DEFAULT_LANGUAGE, type Locale } from "./locales";

export type { MessageKey };
export type Translate = (id: MessageKey, values?: MessageValues) => string;

interface I18nValue {
  /** The locale Intl formats with (the pseudo-locale formats as English). */
  intlLocale: string;
  messages: Messages;
  /** Compiled messages by id, for this catalogue. */
  compiled: Map<string, IntlMessageFormat>;
}

const I18nContext = createContext<I18nValue>({ intlLocale: DEFAULT_LANGUAGE, messages: {}, compiled: new Map() });

/** Provides `messages` (one locale's catalogue, parsed: see catalogues.server.ts messagesFor) to the tree. */
export function I18nProvider({ locale, messages, children }: { locale: Locale; messages: Messages; children: React.ReactNode }) {
  const value = useMemo(() => ({ intlLocale: intlLocaleOf(locale), messages, compiled: new Map<string, IntlMessageFormat>() }), [locale, messages]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/**
 * `t(id, values)`: the message `id` of the page's catalogue, formatted (ICU plurals, numbers, dates).
 * A message missing from the catalogue shows its id (the catalogue test keeps that from happening).
 */
export function useT(): Translate {
  const { intlLocale, messages, compiled } = useContext(I18nContext);
  return useCallback(
    (id, values) => {
      let message = compiled.get(id);
      if (!message) {
        const source = messages[id];
        if (source === undefined) return id;
        message = new IntlMessageFormat(source, intlLocale);
        compiled.set(id, message);
      }
      return String(message.format(values));
    },
    [intlLocale, messages, compiled],
  );
}

/** Intl formatters by kind, locale and options: making one costs far more than formatting with it (bench/scroll.ts). */
const formatters: Record<string, unknown> = {};
/** The formatter of `key`, made by `make` the first time. */
const formatter = <F,>(key: string, make: () => F): F => (formatters[key] ??= make()) as F;

/** Number, date and list formatting in the page's locale (Intl); the formatters are made once each and kept. */
export function useFormat() {
  const { intlLocale } = useContext(I18nContext);
  const key = (kind: string, options?: object) => kind + intlLocale + JSON.stringify(options);
  return {
    number: (value: number, options?: Intl.NumberFormatOptions) => formatter(key("n", options), () => new Intl.NumberFormat(intlLocale, options)).format(value),
    date: (value: Date | number | string, options?: Intl.DateTimeFormatOptions) => formatter(key("d", options), () => new Intl.DateTimeFormat(intlLocale, options)).format(new Date(value)),
    list: (items: string[], options?: Intl.ListFormatOptions) => formatter(key("l", options), () => new Intl.ListFormat(intlLocale, options)).format(items),
    locale: intlLocale,
  };
}
