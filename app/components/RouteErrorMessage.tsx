/**
 * The page shown for a route error that has nothing more specific to say:
 * a title and a sentence, never a stack, and a link back to the list of
 * debates. Used by the root ErrorBoundary (app/root.tsx) and by
 * FacilitatorPageBoundary (app/components/FacilitatorOnly.tsx) for anything
 * that is not a facilitator refusal.
 */
import { useEffect, useState } from "react";
import { isRouteErrorResponse, Link, useRevalidator } from "react-router";
import { useT } from "~/i18n/react";

/**
 * Renders `error` (as from useRouteError) as a sentence. A route error
 * response gives "Not found" (404) or "Error <status>" and its body's
 * `message` (or the body when it is a string, else the status text); anything
 * else gives a generic sentence and is logged to the browser console.
 * A 503 (the server busy or reconnecting to its database) shows a
 * "Reconnecting" state that tries again by itself.
 */
export function RouteErrorMessage({ error }: { error: unknown }) {
  const t = useT();
  if (isRouteErrorResponse(error) && error.status === 503) {
    const body = error.data as { message?: string; retryAfterSeconds?: number } | string | undefined;
    return <Reconnecting retryAfterSeconds={typeof body === "object" && body?.retryAfterSeconds ? body.retryAfterSeconds : 5} />;
  }
  let title = t("error.title");
  let message = t("error.generic");
  if (isRouteErrorResponse(error)) {
    title = error.status === 404 ? t("error.notFound") : t("error.status", { status: error.status });
    const body = error.data as { message?: string } | string | undefined;
    message = typeof body === "string" ? body : (body?.message ?? error.statusText ?? message);
  } else if (typeof window !== "undefined") {
    console.error("Steelman page error:", error);
  }
  return (
    <section className="page narrow" role="alert">
      {/* React hoists it into <head>: an error page has a title of its own (WCAG 2.4.2). */}
      <title>{t("meta.title", { page: title })}</title>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">{t("error.backHome")}</Link>
      </p>
    </section>
  );
}

/**
 * The page while the server cannot serve it (503): says so calmly, counts down
 * `retryAfterSeconds` (doubling up to 30 s after each failed try) and loads
 * the page again, or at once with the button.
 */
function Reconnecting({ retryAfterSeconds }: { retryAfterSeconds: number }) {
  const revalidator = useRevalidator();
  const t = useT();
  const [attempt, setAttempt] = useState(0);
  const waitSeconds = Math.min(30, retryAfterSeconds * 2 ** attempt);
  const [secondsLeft, setSecondsLeft] = useState(waitSeconds);
  useEffect(() => {
    setSecondsLeft(waitSeconds);
    const timer = setInterval(() => setSecondsLeft((s) => Math.max(0, s - 1)), 1000);
    return () => clearInterval(timer);
  }, [waitSeconds, attempt]);
  useEffect(() => {
    if (secondsLeft > 0 || revalidator.state !== "idle") return;
    setAttempt((a) => a + 1);
    void revalidator.revalidate();
  }, [secondsLeft, revalidator]);
  return (
    // Only the first sentence is a live region: the countdown below changes every second and would be a flood.
    <section className="page narrow">
      <title>{t("meta.title", { page: t("reconnecting.title") })}</title>
      <h1>{t("reconnecting.title")}</h1>
      <p role="status">{t("reconnecting.body")}</p>
      <p>{revalidator.state === "loading" ? t("reconnecting.trying") : t("reconnecting.countdown", { seconds: secondsLeft })}</p>
      <p>
        <button type="button" onClick={() => void revalidator.revalidate()} disabled={revalidator.state === "loading"}>
          {t("reconnecting.now")}
        </button>
      </p>
    </section>
  );
}
