/**
 * The zod schemas of formats and phases (issue 13): what `POST /api/debates`, the settings and
 * `POST /api/debates/:id/phase` accept. Kept apart from app/shared/phases.ts (the phase machine and
 * its rules, which the browser's first load imports through permissions.ts) so that zod stays out
 * of the debate page's first load (issue 21, scripts/js-budget.ts).
 */
import { DebateFormat } from "../generated/prisma/enums";
import { MAX_EXTEND_SECONDS, MAX_PHASE_SECONDS, PHASE_ACTIONS, secondsOnlyWithExtend } from "./phases";
import { z } from "./zod";

export const debateFormatSchema = z.enum(DebateFormat, { message: "format is 'open', 'classroom', 'oxford' or 'workshop'." });

/** A number of seconds a person may ask for: a whole number from 1 to `max`. */
export const secondsSchema = (max: number, what = "seconds") =>
  z
    .number({ message: `${what} must be a number of seconds.` })
    .int({ message: `${what} must be a whole number of seconds.` })
    .min(1, { message: `${what} must be at least 1 (a timer cannot go back or stand still).` })
    .max(max, { message: `${what} must be at most ${max} (${Math.round(max / 60)} minutes).` });

/** Durations a facilitator chooses, by phase name, in seconds; checked against the format by `checkDurations`. */
export const phaseDurationsSchema = z.record(z.string().max(40), secondsSchema(MAX_PHASE_SECONDS, "A phase's duration"), { message: "durations must be an object like { \"argue\": 600 }." });

/** `{ action, seconds? }` of one phase change; `version` (optional): the phase version the caller saw, refused as stale when it moved since. */
export const phaseChangeFields = z.object({
  action: z.enum(PHASE_ACTIONS, { message: "action is 'start', 'pause', 'resume', 'extend', 'next' or 'previous'." }),
  seconds: secondsSchema(MAX_EXTEND_SECONDS).optional(),
  version: z.number({ message: "version must be the phase version you saw (a whole number)." }).int({ message: "version must be a whole number." }).min(0, { message: "version must be a whole number." }).optional(),
});

export const phaseChangeSchema = phaseChangeFields.refine(secondsOnlyWithExtend, { message: "seconds goes only with the 'extend' action.", path: ["seconds"] });
export type PhaseChange = z.output<typeof phaseChangeSchema>;
