import { data } from "react-router";
import { type AppError, httpStatusFor, isAppError } from "~/shared/errors";

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
