import { useEffect, useRef } from "react";
import { Form, Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useLocation, useRouteError, useRouteLoaderData } from "react-router";
import type { Route } from "./+types/root";
import stylesheet from "./app.css?url";
import "./context";
import { RouteErrorMessage } from "./components/RouteErrorMessage";
import { currentUser } from "./utils/session.server";

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/** The signed-in facilitator's name for the header (null when signed out, or when the check fails). */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = await currentUser(context, request).catch(() => null);
  return { user: user ? { displayName: user.displayName } : null };
}

/** "Sign in", or the facilitator's name with Account and Sign out (a form: signing out is a POST). */
function AccountNav() {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user;
  if (!user) {
    return (
      <Link to="/login" className="button">
        Sign in
      </Link>
    );
  }
  return (
    <>
      <span className="signed-in muted">
        <bdi>{user.displayName}</bdi>
      </span>
      <Link to="/account" className="button">
        Account
      </Link>
      <Form method="post" action="/logout" className="sign-out">
        <button type="submit" className="button">
          Sign out
        </button>
      </Form>
    </>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <Link to="/" className="brand">
            Steelman
          </Link>
          <nav aria-label="Main">
            <Link to="/debates/new" className="button button-primary">
              New debate
            </Link>
            <AccountNav />
          </nav>
        </header>
        <main id="main">{children}</main>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

/**
 * After a navigation to another page inside the app (not the first load, not a jump to an anchor),
 * the focus moves to the new page's main heading (or <main>), as a full page load would start over:
 * otherwise it stays on a link or button of the page that is gone, or on nothing, and a
 * screen-reader user does not learn that the page changed (WCAG 2.4.3).
 */
function useFocusOnNavigation() {
  const { pathname, hash } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (hash) return;
    const main = document.getElementById("main");
    const target = main?.querySelector<HTMLElement>("h1") ?? main;
    if (!target || target.contains(document.activeElement)) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }, [pathname, hash]);
}

export default function App() {
  useFocusOnNavigation();
  return <Outlet />;
}

/** Shows any error as a sentence, never a stack. */
export function ErrorBoundary() {
  return <RouteErrorMessage error={useRouteError()} />;
}
