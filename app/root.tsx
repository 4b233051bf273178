import { useEffect, useRef } from "react";
import { Form, Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useLocation, useRouteError, useRouteLoaderData, type ShouldRevalidateFunctionArgs } from "react-router";
import { parse } from "cookie";
import type { Route } from "./+types/root";
import stylesheet from "./app.css?url";
import "./context";
import { RouteErrorMessage } from "./components/RouteErrorMessage";
import { LanguageSwitcher } from "./components/LanguageSwitcher";
import { messagesFor } from "./i18n/catalogues.server";
import { chooseLocale, DEFAULT_LANGUAGE, directionOf, isLanguage, LANGUAGE_COOKIE } from "./i18n/locales";
import { I18nProvider, useT } from "./i18n/react";
import { currentUser } from "./utils/session.server";

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/**
 * The signed-in facilitator's name for the header (null when signed out, or when the check fails),
 * and the page's locale with its catalogue (app/i18n/locales.ts chooseLocale: the `lang` cookie,
 * the debate's language on a debate's pages, Accept-Language, English), so that the server renders
 * the page in its language and the browser hydrates it with the same messages. `debateLanguage`: on a
 * debate's pages, the language its facilitator set (the `lang` of its article and arguments), else null.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const [user, debateLanguage] = await Promise.all([
    currentUser(context, request).catch(() => null),
    params.debateId ? context.services.debateLanguage(params.debateId).catch(() => null) : null,
  ]);
  const locale = chooseLocale({
    cookie: parse(request.headers.get("cookie") ?? "")[context.site.cookieName(LANGUAGE_COOKIE)],
    debateLanguage,
    acceptLanguage: request.headers.get("accept-language"),
  });
  return { user: user ? { displayName: user.displayName } : null, locale, messages: messagesFor(locale), debateLanguage: isLanguage(debateLanguage) ? debateLanguage : null };
}

/** Also load again when the debate changes (its language may be another) and after any form post (the switcher, signing in). */
export function shouldRevalidate({ currentParams, nextParams, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  return defaultShouldRevalidate || currentParams.debateId !== nextParams.debateId;
}

/** "Sign in", or the facilitator's name with Account and Sign out (a form: signing out is a POST). */
function AccountNav() {
  const data = useRouteLoaderData<typeof loader>("root");
  const t = useT();
  const user = data?.user;
  if (!user) {
    return (
      <Link to="/login" className="button">
        {t("nav.signIn")}
      </Link>
    );
  }
  return (
    <>
      <span className="signed-in muted">
        <bdi>{user.displayName}</bdi>
      </span>
      <Link to="/account" className="button">
        {t("nav.account")}
      </Link>
      <Form method="post" action="/logout" className="sign-out">
        <button type="submit" className="button">
          {t("nav.signOut")}
        </button>
      </Form>
    </>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  // Without the root's data (its loader failed) the page falls back to English ids; the loader does not throw.
  const locale = data?.locale ?? DEFAULT_LANGUAGE;
  return (
    <html lang={locale} dir={directionOf(locale)}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nProvider locale={locale} messages={data?.messages ?? {}}>
          <Chrome locale={locale}>{children}</Chrome>
        </I18nProvider>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

/** The skip link, the header (brand, main navigation, language switcher) and <main>. */
function Chrome({ locale, children }: { locale: string; children: React.ReactNode }) {
  const t = useT();
  return (
    <>
      <a className="skip-link" href="#main">
        {t("nav.skipToContent")}
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          Steelman
        </Link>
        <nav aria-label={t("nav.main")}>
          <Link to="/debates/new" className="button button-primary">
            {t("nav.newDebate")}
          </Link>
          <AccountNav />
          <LanguageSwitcher current={locale} />
        </nav>
      </header>
      <main id="main">{children}</main>
    </>
  );
}

/**
 * After a navigation inside the app (not the first load, not a jump to an anchor) the focus moves to
 * the new page's main heading (or <main>), as a full page load would start over: when the page
 * changed, or when the element that had the focus is gone (a join form replaced by the debate,
 * say). Otherwise a keyboard user is left on nothing, and a screen-reader user does not learn that
 * the page changed (WCAG 2.4.3). A form that stays (an error next to a field) keeps its focus.
 */
function useFocusOnNavigation() {
  const { pathname, hash, key } = useLocation();
  const previous = useRef<string | null>(null);
  useEffect(() => {
    const samePage = previous.current === pathname;
    const first = previous.current === null;
    previous.current = pathname;
    if (first || hash) return;
    const focused = document.activeElement;
    if (samePage && focused && focused !== document.body && focused.isConnected) return;
    const main = document.getElementById("main");
    const target = main?.querySelector<HTMLElement>("h1") ?? main;
    if (!target || target.contains(focused)) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }, [pathname, hash, key]);
}

export default function App() {
  useFocusOnNavigation();
  return <Outlet />;
}

/** Shows any error as a sentence, never a stack. */
export function ErrorBoundary() {
  return <RouteErrorMessage error={useRouteError()} />;
}
