import { data } from "react-router";
import { type AppError, type ErrorBody, httpStatusFor, isAppError } from "~/shared/errors";

/**
 * Runs a service call for a loader/action. An AppError becomes a thrown
 * response (status from its code) that the route's ErrorBoundary shows as a sentence.
 */
export async function orRespond<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isAppError(error)) throw data(error.toBody(), { status: httpStatusFor(error.code) });
    throw error;
  }
}

/** Like orRespond for actions whose errors are shown inline in the form: returns `{ error }` instead of throwing. */
export async function formResult<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: ReturnType<AppError["toBody"]> }> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    if (isAppError(error)) return { ok: false, error: error.toBody() };
    throw error;
  }
}

/** A response for the route's ErrorBoundary, shown as `message`; throw it from a loader or action. */
export function refusal(status: number, message: string) {
  return data({ message }, { status });
}

/**
 * Reads a submitted form. A body that is not a form (no or wrong Content-Type,
 * malformed multipart) becomes a 400 response with a sentence, not a 500.
 */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw data({ message: "The form could not be read. Reload the page and try again." }, { status: 400 });
  }
}

/** A text field of a submitted form: its value, or "" when it is missing or a file. */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/**
 * An action's answer to a refused form: `{ error, ...extra }` with the error's
 * HTTP status and, when it was refused as too fast, a Retry-After header
 * (pass it on to the page with `export const headers = retryAfterHeaders`).
 */
export function formFailure<X extends object>(error: ErrorBody, extra: X) {
  const headers: HeadersInit = error.retryAfterSeconds ? { "Retry-After": String(error.retryAfterSeconds) } : {};
  return data({ error, ...extra }, { status: httpStatusFor(error.code), headers });
}

/** A route's `headers`: the action's Retry-After (see formFailure) goes on the page response too. */
export function retryAfterHeaders({ actionHeaders }: { actionHeaders: Headers }): HeadersInit {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
}
