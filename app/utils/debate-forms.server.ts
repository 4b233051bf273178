/**
 * The debate page's forms without JavaScript (issue 21, docs/decisions/0091-forms-before-hydration.md):
 * voting, rating, posting an argument or a reply, reporting and the facilitator's hide are real
 * <form method="post"> on the page, so
 * a tap before the scripts have arrived, or with scripts off, counts. Once the page is hydrated the
 * same forms go over the socket instead (their submit is taken over by the live client).
 *
 * Each form is one operation of the operations table: its fields are parsed with the table's schema
 * (parseOperationInput) and it runs through the same service as the socket's (the page's services,
 * which answer `busy` as a retryable error), once per `opId`: the operation id travels in the form
 * (formOpId), so a form sent twice (a double tap, the back button) counts once.
 */
import { localizedErrorBody } from "~/i18n/errors.server";
import { redirect } from "react-router";
import type { AppLoadContext } from "react-router";
import { plainTextToArgumentBody } from "~/shared/argument-body";
import { removedFromDebate as removedError, unauthenticated, type ErrorBody } from "~/shared/errors";
import { parseOperationInput } from "~/shared/operations";
import { formResult } from "~/utils/errors.server";
import { currentParticipant, removedFromDebate } from "~/utils/participant.server";

/** The `intent` field of each form the debate page can send without JavaScript. */
export const DEBATE_FORM_INTENTS = ["vote", "rate", "post", "report", "hide"] as const;
export type DebateFormIntent = (typeof DEBATE_FORM_INTENTS)[number];

/** What the page shows after a refused form: the message, and where (the form's anchor). */
export interface DebateFormError {
  intent: DebateFormIntent;
  error: ErrorBody;
  /** The element id the form belongs to (prop-<id> or arg-<id>), to show the message there. */
  anchor: string;
  /** A refused argument's text, given back so nothing typed is lost. */
  bodyText?: string;
}

export const isDebateFormIntent = (value: unknown): value is DebateFormIntent => typeof value === "string" && (DEBATE_FORM_INTENTS as readonly string[]).includes(value);

const text = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};
/** "" (the button of one's current choice: pressing it again clears it) → null. */
const choice = (value: string): string | null => (value === "" ? null : value);

/**
 * Runs one form of the debate page as the participant of the request's cookie.
 * @returns a redirect back to the page at the form's anchor (`#prop-<id>`), or the error to show there
 * @throws nothing for bad input (the error is returned); a refusal to someone who has not joined (or was removed) is returned too
 */
export async function runDebateForm(context: AppLoadContext, request: Request, debateId: string, intent: DebateFormIntent, form: FormData): Promise<Response | DebateFormError> {
  const propositionId = text(form, "propositionId");
  const argumentId = text(form, "argumentId");
  const anchor = intent === "vote" || intent === "post" ? `prop-${propositionId}` : `arg-${argumentId}`;
  const opId = text(form, "opId") || undefined;
  const bodyText = text(form, "bodyText");
  const me = await currentParticipant(context, request, debateId);
  if (!me) {
    // Removed by a facilitator (their old cookie): told so, rather than asked to join.
    const refusal = (await removedFromDebate(context, request, debateId)) ? removedError() : unauthenticated("Join the debate first: pick a display name at the top of the page.").withMessageKey("errors.joinFirstOnPage");
    return { intent, anchor, error: localizedErrorBody(refusal) };
  }
  const result = await formResult(async () => {
    switch (intent) {
      case "vote":
        return context.services.castVote(me, parseOperationInput("castVote", { opId, propositionId, value: choice(text(form, "value")) }));
      case "rate":
        return context.services.rateArgument(me, parseOperationInput("rateArgument", { opId, argumentId, value: choice(text(form, "value")) }));
      case "report":
        return context.services.reportArgument(me, parseOperationInput("reportArgument", { opId, argumentId, reason: text(form, "reason") }));
      case "hide":
        return context.services.hideArgument(me, parseOperationInput("hideArgument", { opId, argumentId, reason: text(form, "reason") }));
      case "post": {
        const url = text(form, "sourceUrl").trim();
        const title = text(form, "sourceTitle").trim();
        const quote = text(form, "sourceQuote").trim();
        const sources = url || title ? [{ url, title, quote: quote || undefined }] : [];
        const parentId = text(form, "parentId") || null;
        // The plain text area's text becomes the same rich-text state the editor would have sent.
        return context.services.postArgument(me, parseOperationInput("postArgument", { opId, propositionId, parentId, stance: text(form, "stance"), body: plainTextToArgumentBody(bodyText.trim()), sources }));
      }
    }
  });
  if (!result.ok) return { intent, anchor, error: result.error, bodyText: intent === "post" ? bodyText : undefined };
  return redirect(`/debates/${debateId}#${anchor}`);
}
