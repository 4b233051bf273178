/**
 * Workshop decisions (issue 13; docs/decisions/0071-workshop-decisions.md): a facilitator proposes a
 * decision on one or more propositions, participants answer it as in a consent process (Loomio):
 * agree, abstain, disagree or block, with a reason that may cite arguments of the debate; a
 * facilitator closes it with an outcome. Shapes and zod schemas shared by the server, the
 * operations table (app/shared/operations.ts) and the pages.
 */
import { DecisionOutcome, DecisionResponseValue } from "../generated/prisma/enums";
import { LIMITS } from "./constants";
import { opIdSchema, plainLine } from "./contract";
import { z } from "./zod";

export { DecisionOutcome, DecisionResponseValue };

export { DECISION_LIMITS, DECISION_OUTCOMES, DECISION_RESPONSES, OUTCOME_TEXT, RESPONSE_TEXT } from "./decision-text";
import { DECISION_LIMITS } from "./decision-text";

const id = (what: string) => z.uuid({ message: `${what} must be a valid id.` });
const uniqueIds = (what: string, max: number, min = 0) =>
  z
    .array(id(what), { message: `${what}s must be a list of ids.` })
    .min(min, { message: `Choose at least ${min} ${what.toLowerCase()}.` })
    .max(max, { message: `At most ${max} ${what.toLowerCase()}s.` })
    .transform((ids) => [...new Set(ids)]);

/** POST /api/debates/:id/decisions: `{ propositionIds: uuid[1..20], text }`. */
export const proposeDecisionSchema = z.object({
  opId: opIdSchema,
  propositionIds: uniqueIds("Proposition", DECISION_LIMITS.propositions, 1),
  text: plainLine("The decision", DECISION_LIMITS.textMaxChars),
});

/** PUT /api/debates/:id/decisions/:decisionId/response: `{ value, reason?, citedArgumentIds? }`; a block needs a reason. */
export const respondToDecisionSchema = z
  .object({
    opId: opIdSchema,
    decisionId: id("decisionId"),
    value: z.enum(DecisionResponseValue, { message: "value is 'agree', 'abstain', 'disagree' or 'block'." }),
    reason: plainLine("The reason", LIMITS.reasonMaxChars).optional(),
    citedArgumentIds: uniqueIds("Argument", DECISION_LIMITS.citations).optional().default([]),
  })
  .refine((r) => r.value !== "block" || !!r.reason, { message: "A block needs a reason: say what would have to change.", path: ["reason"] });

/** POST /api/debates/:id/decisions/:decisionId/close: `{ outcome, note? }`. */
export const closeDecisionSchema = z.object({
  opId: opIdSchema,
  decisionId: id("decisionId"),
  outcome: z.enum(DecisionOutcome, { message: "outcome is 'adopted', 'rejected' or 'withdrawn'." }),
  note: plainLine("The note", DECISION_LIMITS.textMaxChars).optional(),
});

/** One participant's answer as everyone sees it (consent answers are open, as in Loomio). */
export interface DecisionResponseDTO {
  participant: { id: string; displayName: string };
  value: DecisionResponseValue;
  reason: string | null;
  citedArgumentIds: string[];
  updatedAt: string;
}

/** A decision with its answers and counts (times ISO 8601). */
export interface DecisionDTO {
  id: string;
  text: string;
  propositionIds: string[];
  proposedBy: { id: string; displayName: string };
  createdAt: string;
  /** Null while open. */
  closedAt: string | null;
  outcome: DecisionOutcome | null;
  outcomeNote: string | null;
  /** Bumped by every answer and by closing: the highest wins on the client. */
  version: number;
  counts: Record<DecisionResponseValue, number>;
  responses: DecisionResponseDTO[];
}
