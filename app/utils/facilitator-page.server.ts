/**
 * The facilitator-only pages (/debates/:id/settings, /debates/:id/moderation):
 * who the request acts as, and a refusal a person can act on when it is not a
 * facilitator of the debate. The services still decide (app/shared/permissions.ts);
 * this only turns their refusal into a page: 401 with a "Sign in" link for a
 * visitor with no credentials, 403 with a sentence naming who they are otherwise.
 * The route's ErrorBoundary (app/components/FacilitatorOnly.tsx) shows it.
 */
import { localizedErrorBody, serverMessage } from "~/i18n/errors.server";
import { data, type AppLoadContext } from "react-router";
import type { CurrentParticipant } from "~/shared/contract";
import { ErrorCode, httpStatusFor, isAppError, removedFromDebate as removedError } from "~/shared/errors";
import type { FacilitatorPageRefusal } from "~/components/FacilitatorOnly";
import { currentParticipant, removedFromDebate } from "./participant.server";
import { currentUser, pathOf, signInPath } from "./session.server";

/** Which page, for the sentences (the catalogues' `facilitatorOnly.*` messages say what only facilitators may do there). */
export type FacilitatorPage = "settings" | "moderation";

/** "Sign in with the facilitator account that runs this debate to …", in the request's language. */
const signInSentence = (page: FacilitatorPage) => serverMessage("facilitatorOnly.signIn", { page });

function refuse(status: 401 | 403, body: Omit<FacilitatorPageRefusal, "refusal" | "debatePath" | "signInPath">, request: Request, debateId: string): never {
  const refusal: FacilitatorPageRefusal = {
    refusal: status === 401 ? "sign-in" : "not-facilitator",
    debatePath: `/debates/${debateId}`,
    signInPath: signInPath(pathOf(request)),
    ...body,
  };
  throw data(refusal, { status });
}

/**
 * The participant a facilitator page acts as.
 * @returns the participant the participant cookie or the facilitator's session names.
 * @throws a 404 response when the debate does not exist; a 401 refusal (sign in) for a visitor
 *   with no credentials; a 403 refusal for a signed-in account that does not run this debate, or for
 *   someone a facilitator removed from it.
 */
export async function facilitatorPageActor(context: AppLoadContext, request: Request, debateId: string, page: FacilitatorPage): Promise<CurrentParticipant> {
  const me = await currentParticipant(context, request, debateId);
  if (me) return me;
  if (!(await context.services.debateAccess(debateId))) throw data({ message: serverMessage("facilitatorOnly.notFound") }, { status: 404 });
  // A facilitator removed from the debate, back with their cookie or account: told so.
  if (await removedFromDebate(context, request, debateId)) refuse(403, { message: localizedErrorBody(removedError()).message }, request, debateId);
  const user = await currentUser(context, request).catch(() => null);
  if (user) {
    refuse(403, { message: serverMessage("facilitatorOnly.signedInElsewhere", { name: user.displayName, page }) }, request, debateId);
  }
  refuse(401, { message: signInSentence(page) }, request, debateId);
}

/**
 * Runs a service call for a facilitator page's loader. A refusal (forbidden,
 * unauthenticated) becomes the page's refusal; any other AppError a response
 * with its status, as orRespond does.
 */
export async function forFacilitator<T>(me: CurrentParticipant, request: Request, page: FacilitatorPage, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (error.code === ErrorCode.unauthenticated) refuse(401, { message: signInSentence(page) }, request, me.debateId);
    if (error.code === ErrorCode.forbidden) {
      // A debater or observer: say who they are here. A facilitator refused for another reason (e.g. removed): the service's sentence.
      const message =
        me.role === "debater" || me.role === "observer"
          ? serverMessage("facilitatorOnly.takesPartAs", { role: me.role, name: me.displayName, page })
          : localizedErrorBody(error).message;
      refuse(403, { message }, request, me.debateId);
    }
    throw data(localizedErrorBody(error), { status: httpStatusFor(error.code) });
  }
}
