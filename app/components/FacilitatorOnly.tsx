/**
 * The error boundary of the facilitator-only pages (settings, moderation).
 * A refusal from app/utils/facilitator-page.server.ts becomes a page that
 * says what it is for and what to do: "Sign in" (back to this page after) for
 * a visitor with no credentials, a sentence naming who they are otherwise, and
 * a link back to the debate. Any other error is shown as a sentence, as the
 * root boundary does.
 */
import { isRouteErrorResponse, Link, useRouteError } from "react-router";
import { RouteErrorMessage } from "~/components/RouteErrorMessage";
import { useT } from "~/i18n/react";

/** The body of a 401/403 response from facilitatorPageActor / forFacilitator. */
export interface FacilitatorPageRefusal {
  refusal: "sign-in" | "not-facilitator";
  message: string;
  /** The debate's page, e.g. "/debates/<id>". */
  debatePath: string;
  /** "/login?next=<this page>". */
  signInPath: string;
}

function isRefusal(body: unknown): body is FacilitatorPageRefusal {
  return typeof body === "object" && body !== null && "refusal" in body && "debatePath" in body && "message" in body;
}

/** Use as a route's ErrorBoundary: `export function ErrorBoundary() { return <FacilitatorPageBoundary />; }`. */
export function FacilitatorPageBoundary() {
  const error = useRouteError();
  const t = useT();
  if (isRouteErrorResponse(error) && isRefusal(error.data)) {
    const r = error.data;
    return (
      <section className="page narrow refusal-page" role="alert" aria-labelledby="refusal-heading">
        <h1 id="refusal-heading">{t("facilitatorOnly.heading")}</h1>
        <p className="lede">{r.message}</p>
        <p className="toolbar">
          {r.refusal === "sign-in" ? (
            <Link to={r.signInPath} className="button button-primary">
              {t("nav.signIn")}
            </Link>
          ) : null}
          <Link to={r.debatePath} className="button">
            {t("facilitatorOnly.back")}
          </Link>
        </p>
        {r.refusal === "sign-in" ? <p className="muted">{t("facilitatorOnly.noAccountNeeded")}</p> : null}
      </section>
    );
  }
  return <RouteErrorMessage error={error} />;
}
