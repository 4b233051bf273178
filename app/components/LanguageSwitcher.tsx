import { Form, useLocation } from "react-router";
import { LANGUAGE_NAMES, LANGUAGES } from "~/i18n/locales";
import { useT } from "~/i18n/react";

/**
 * The language switcher in the header: a select and a button posting to
 * /language (app/routes/language.tsx), which sets the `lang` cookie and
 * comes back to this page. A plain form: it works before the JavaScript has
 * loaded, and choosing in the list does not move the page by itself (WCAG 3.2.2).
 * Each language is named in itself and marked with its own `lang`.
 */
export function LanguageSwitcher({ current }: { current: string }) {
  const t = useT();
  const { pathname, search } = useLocation();
  return (
    <Form method="post" action="/language" className="language-switcher" preventScrollReset>
      <input type="hidden" name="returnTo" value={`${pathname}${search}`} />
      <label>
        <span className="visually-hidden">{t("language.label")}</span>
        <select name="locale" defaultValue={current} key={current}>
          <LanguageOptions />
        </select>
      </label>
      <button type="submit" className="button">
        {t("language.change")}
      </button>
    </Form>
  );
}

/** One `<option>` per interface language (app/i18n/locales.ts LANGUAGES), each named in itself and marked with its own `lang`. */
export function LanguageOptions() {
  return (
    <>
      {LANGUAGES.map((language) => (
        <option key={language} value={language} lang={language}>
          {LANGUAGE_NAMES[language]}
        </option>
      ))}
    </>
  );
}
