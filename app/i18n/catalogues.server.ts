/**
 * All catalogues, for the server: the root loader sends the one for the
 * request's locale to the browser (so a page carries only its own language),
 * and server error messages are translated from here.
 */
import { de } from "./messages/de";
import { en, type MessageKey } from "./messages/en";
import { es } from "./messages/es";
import { fr } from "./messages/fr";
import { parse, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { formatMessage, pseudoMessage, type MessageValues } from "./format";
import { PSEUDO_LOCALE, type Locale } from "./locales";

const pseudo: Record<string, string> = Object.fromEntries(Object.entries(en).map(([key, value]) => [key, pseudoMessage(value)]));
const catalogues: Record<Locale, Readonly<Record<string, string>>> = { en, de, fr, es, [PSEUDO_LOCALE]: pseudo };

const parsed = new Map<Locale, Readonly<Record<string, MessageFormatElement[]>>>();

/**
 * The catalogue for a locale as the browser gets it: message id → parsed ICU message (AST),
 * parsed once per process. The browser's bundle has no ICU parser (vite.config.ts).
 */
export function messagesFor(locale: Locale): Readonly<Record<string, MessageFormatElement[]>> {
  let messages = parsed.get(locale);
  if (!messages) {
    messages = Object.fromEntries(Object.entries(catalogues[locale]).map(([id, text]) => [id, parse(text)]));
    parsed.set(locale, messages);
  }
  return messages;
}

/** One message formatted in `locale` (see format.ts formatMessage). */
export function translate(locale: Locale, id: MessageKey, values?: MessageValues): string {
  return formatMessage(catalogues[locale], locale, id, values);
}
