/**
 * Workshop decisions in words, and their limits, without zod (the debate page's first load imports
 * this; the schemas are in ./decisions.ts). See docs/decisions/0071-workshop-decisions.md.
 */
import type { DecisionOutcome, DecisionResponseValue } from "../generated/prisma/enums";

/** The answers, in the order the pages show them. */
export const DECISION_RESPONSES = ["agree", "abstain", "disagree", "block"] as const satisfies readonly DecisionResponseValue[];
/** The outcomes a facilitator can record. */
export const DECISION_OUTCOMES = ["adopted", "rejected", "withdrawn"] as const satisfies readonly DecisionOutcome[];

/** What each answer means, as the pages say it. */
export const RESPONSE_TEXT: Record<DecisionResponseValue, { label: string; meaning: string }> = {
  agree: { label: "Agree", meaning: "I agree with this decision." },
  abstain: { label: "Abstain", meaning: "I stand aside: I will not stop it." },
  disagree: { label: "Disagree", meaning: "I disagree, but will not stop it." },
  block: { label: "Block", meaning: "I object: this must not go ahead as it is." },
};
export const OUTCOME_TEXT: Record<DecisionOutcome, string> = { adopted: "Adopted", rejected: "Not adopted", withdrawn: "Withdrawn" };

/** At most this many propositions per decision and arguments cited per reason. */
export const DECISION_LIMITS = { propositions: 20, citations: 10, textMaxChars: 1_000 } as const;

