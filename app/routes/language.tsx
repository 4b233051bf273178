/**
 * POST /language: the language switcher (app/components/LanguageSwitcher.tsx).
 * Sets the `lang` cookie for a year and goes back to `returnTo` (a path on this
 * site; anything else goes home). An unknown language is a 400 with a sentence.
 * GET only redirects home: there is nothing to show.
 */
import { redirect } from "react-router";
import { serialize } from "cookie";
import type { Route } from "./+types/language";
import { LANGUAGE_COOKIE, LANGUAGE_COOKIE_MAX_AGE_SECONDS, isLocale } from "~/i18n/locales";
import { translate } from "~/i18n/catalogues.server";
import { currentRequestLocale } from "~/i18n/request-locale.server";
import { readForm, refusal } from "~/utils/errors.server";

/** A same-site path to go back to, or "/" (never another origin: "//host" and "/\\host" are refused). */
function safeReturnPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  return value;
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const locale = form.get("locale");
  if (!isLocale(locale)) throw refusal(400, translate(currentRequestLocale(), "language.unknown"));
  const cookie = serialize(context.site.cookieName(LANGUAGE_COOKIE), locale, context.site.cookieOptions(LANGUAGE_COOKIE_MAX_AGE_SECONDS));
  return redirect(safeReturnPath(form.get("returnTo")), { headers: { "Set-Cookie": cookie } });
}

export function loader() {
  return redirect("/");
}
