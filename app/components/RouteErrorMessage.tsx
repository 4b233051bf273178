/**
 * The page shown for a route error that has nothing more specific to say:
 * a title and a sentence, never a stack, and a link back to the list of
 * debates. Used by the root ErrorBoundary (app/root.tsx) and by
 * FacilitatorPageBoundary (app/components/FacilitatorOnly.tsx) for anything
 * that is not a facilitator refusal.
 */
import { isRouteErrorResponse, Link } from "react-router";

/**
 * Renders `error` (as from useRouteError) as a sentence. A route error
 * response gives "Not found" (404) or "Error <status>" and its body's
 * `message` (or the body when it is a string, else the status text); anything
 * else gives a generic sentence and is logged to the browser console.
 */
export function RouteErrorMessage({ error }: { error: unknown }) {
  let title = "Something went wrong";
  let message = "The page could not be shown. Please try again in a moment.";
  if (isRouteErrorResponse(error)) {
    title = error.status === 404 ? "Not found" : `Error ${error.status}`;
    const body = error.data as { message?: string } | string | undefined;
    message = typeof body === "string" ? body : (body?.message ?? error.statusText ?? message);
  } else if (typeof window !== "undefined") {
    console.error("Steelman page error:", error);
  }
  return (
    <section className="page narrow" role="alert">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">Back to the list of debates</Link>
      </p>
    </section>
  );
}
