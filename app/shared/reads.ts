/**
 * Reads of arguments, recorded as cheap batched events for "what changed minds"
 * (docs/decisions/0072-what-changed-minds.md): `POST /api/debates/:id/reads` and the `recordReads`
 * operation take up to READS_PER_BATCH reads, each an argument of the debate that stayed in view
 * at least 3 seconds (`viewed`) or that the participant opened (`opened`), with how long ago it
 * happened in ms (at most READ_MAX_AGE_MS: the server dates it by its own clock, so a wrong
 * device clock does not matter).
 */
import { opIdSchema } from "./contract";
import { z } from "./zod";

export const READS_PER_BATCH = 50;
export const READ_MAX_AGE_MS = 120_000;

export const recordReadsSchema = z.object({
  opId: opIdSchema,
  reads: z
    .array(
      z.object({
        argumentId: z.uuid({ message: "argumentId must be a valid id." }),
        kind: z.enum(["viewed", "opened"], { message: "kind is 'viewed' or 'opened'." }),
        msAgo: z.number({ message: "msAgo must be a number of milliseconds." }).int({ message: "msAgo must be a whole number of milliseconds." }).min(0, { message: "msAgo cannot be negative." }).max(READ_MAX_AGE_MS, { message: `msAgo must be at most ${READ_MAX_AGE_MS} (reads are sent within two minutes).` }),
      }),
      { message: "reads must be a list of { argumentId, kind, msAgo }." },
    )
    .min(1, { message: "Send at least one read." })
    .max(READS_PER_BATCH, { message: `At most ${READS_PER_BATCH} reads per batch.` }),
});
export type RecordReadsInput = z.output<typeof recordReadsSchema>;
