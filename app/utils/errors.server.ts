import { data } from "react-router";
import { bodyLimitFor, describeBytes } from "~/shared/body-limits";
import { type AppError, type ErrorBody, ErrorCode, httpStatusFor, isAppError } from "~/shared/errors";
import { mapThrown, wrapFunctions } from "~/shared/wrap-functions";
import { localizedErrorBody } from "~/i18n/errors.server";

/**
 * Runs a service call for a loader/action. An AppError becomes a thrown
 * response (status from its code) that the route's ErrorBoundary shows as a sentence.
 */
export async function orRespond<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isAppError(error)) throw data(localizedErrorBody(error), { status: httpStatusFor(error.code), headers: retryAfterHeader(error.toBody()) });
    throw error;
  }
}

/** `Retry-After` for a refusal that says when to try again (rate_limited, busy). */
function retryAfterHeader(error: ErrorBody): HeadersInit {
  return error.retryAfterSeconds ? { "Retry-After": String(error.retryAfterSeconds) } : {};
}

/** A thrown 503 for a `busy` refusal, shown by the route's ErrorBoundary as "Reconnecting…" (app/components/RouteErrorMessage.tsx). */
function busyResponse(error: AppError) {
  return data(localizedErrorBody(error), { status: 503, headers: retryAfterHeader(error.toBody()) });
}

/** Whether `thrown` is the response busyResponse makes (a DataWithResponseInit of status 503 carrying `code: "busy"`). */
function isBusyResponse(thrown: unknown): thrown is ReturnType<typeof busyResponse> {
  const candidate = thrown as { init?: { status?: number }; data?: { code?: unknown } } | null;
  return typeof candidate === "object" && candidate !== null && candidate.init?.status === 503 && candidate.data?.code === ErrorCode.busy;
}

/**
 * The services as loaders and actions see them (server/app.ts getLoadContext):
 * a `busy` refusal (the database cannot serve now, see
 * server/database-availability.ts) is thrown as a 503 response with
 * Retry-After, so any page, whether or not it wraps its calls in orRespond,
 * shows "Reconnecting…" instead of a 500 error page. formResult turns it back
 * into an inline error so a form keeps what was typed. Everything else passes
 * through unchanged.
 */
export function servicesForPages<T extends object>(services: T): T {
  return wrapFunctions(services, (call) => mapThrown(call, (error) => (isAppError(error) && error.code === ErrorCode.busy ? busyResponse(error) : error)));
}

/** Like orRespond for actions whose errors are shown inline in the form: returns `{ error }` instead of throwing. */
export async function formResult<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: ReturnType<AppError["toBody"]> }> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    if (isAppError(error)) return { ok: false, error: localizedErrorBody(error) };
    if (isBusyResponse(error)) return { ok: false, error: error.data };
    throw error;
  }
}

/** A response for the route's ErrorBoundary, shown as `message`; throw it from a loader or action. */
export function refusal(status: number, message: string) {
  return data({ message }, { status });
}

/** The body went over its route's limit while being read. */
class BodyTooLarge extends Error {}

/**
 * The request body, at most `limit` bytes. A larger body stops being read at
 * the limit (what is left is never buffered; the 413 closes the connection).
 * @throws BodyTooLarge over the limit.
 */
async function readBodyWithin(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      // Not cancel(): that would destroy the socket before the 413 is written. The server
      // discards the rest once the 413 is sent (server/http/body-limits.ts).
      reader.releaseLock();
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * Reads a submitted form, at most its route's body limit
 * (app/shared/body-limits.ts: 1 MB, the new-debate form 8 MB). A declared
 * larger body never gets here (server/http/body-limits.ts); one sent without
 * a length is counted while read and refused at the limit with 413. A body
 * that is not a form (no or wrong Content-Type, malformed multipart) becomes
 * a 400 response with a sentence, not a 500.
 */
export async function readForm(request: Request): Promise<FormData> {
  const limit = bodyLimitFor(new URL(request.url).pathname);
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = await readBodyWithin(request, limit);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      throw data({ message: `The form is too large: this page accepts at most ${describeBytes(limit)}.` }, { status: 413 });
    }
    throw data({ message: "The form could not be read. Reload the page and try again." }, { status: 400 });
  }
  try {
    return await new Response(body, { headers: { "Content-Type": request.headers.get("content-type") ?? "" } }).formData();
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
  return data({ error, ...extra }, { status: httpStatusFor(error.code), headers: retryAfterHeader(error) });
}

/** A route's `headers`: the action's Retry-After (see formFailure) goes on the page response too. */
export function retryAfterHeaders({ actionHeaders }: { actionHeaders: Headers }): HeadersInit {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
}
