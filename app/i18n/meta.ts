/**
 * Page titles for route `meta` functions, in the page's language: the root
 * loader's catalogue is read from `matches` (meta runs outside React).
 */
import { formatMessage, type Messages, type MessageValues } from "./format";
import { DEFAULT_LANGUAGE, type Locale } from "./locales";
import type { MessageKey } from "./messages/en";

type MetaMatches = ReadonlyArray<{ id: string; data?: unknown } | undefined>;

/** The root loader's locale and catalogue from a meta function's `matches`. */
function rootI18n(matches: MetaMatches): { locale: Locale; messages: Messages } {
  const data = matches.find((m) => m?.id === "root")?.data as { locale?: Locale; messages?: Messages } | undefined;
  return { locale: data?.locale ?? DEFAULT_LANGUAGE, messages: data?.messages ?? {} };
}

/** `id` formatted in the page's language, as "<that> — Steelman". */
export function pageTitle(matches: MetaMatches, id: MessageKey, values?: MessageValues): string {
  const { locale, messages } = rootI18n(matches);
  return formatMessage(messages, locale, "meta.title", { page: formatMessage(messages, locale, id, values) });
}

/** `id` formatted in the page's language, as it is (a title that does not end in "— Steelman"). */
export function metaText(matches: MetaMatches, id: MessageKey, values?: MessageValues): string {
  const { locale, messages } = rootI18n(matches);
  return formatMessage(messages, locale, id, values);
}
