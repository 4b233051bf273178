/**
 * The locale of the request being served, for code that has no request at
 * hand (service errors turned into replies). server/app.ts runs every request
 * inside `runWithRequestLocale`; outside one, English.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { chooseLocale, DEFAULT_LANGUAGE, LANGUAGE_COOKIE, type Locale } from "./locales";
import { parse } from "cookie";

// One store per process, shared by the server's copy of this module and the React Router build's own copy.
const STORE_KEY = Symbol.for("steelman.requestLocale");
const holder = globalThis as { [STORE_KEY]?: AsyncLocalStorage<Locale> };
const storage = (holder[STORE_KEY] ??= new AsyncLocalStorage<Locale>());

/** The locale a request asks for by its `lang` cookie (named by `cookieName`) and Accept-Language. */
export function localeOfRequest(headers: { cookie?: string | null; acceptLanguage?: string | null }, cookieName: (name: string) => string): Locale {
  const cookie = parse(headers.cookie ?? "")[cookieName(LANGUAGE_COOKIE)];
  return chooseLocale({ cookie, acceptLanguage: headers.acceptLanguage });
}

/** Runs `fn` with `locale` as the current request's locale. */
export function runWithRequestLocale<T>(locale: Locale, fn: () => T): T {
  return storage.run(locale, fn);
}

/** The current request's locale (English outside a request). */
export function currentRequestLocale(): Locale {
  return storage.getStore() ?? DEFAULT_LANGUAGE;
}
