/**
 * The body of `POST /api/imports` (issue 11), validated at the boundary:
 * `{ "format": "polis", "title"?: string, "files": { "comments.csv": string,
 * "participants-votes.csv"?: string, "votes.csv"?: string } }`.
 * Either votes file suffices; file names other than the three are refused so
 * a typo ("vote.csv") is not silently ignored.
 */
import { z } from "../../../app/shared/zod";

/** Largest file accepted, in UTF-16 code units (the JSON body limit of the route must allow three of these). */
export const POLIS_FILE_MAX_CHARS = 32 * 1024 * 1024;

const file = (name: string) =>
  z
    .string({ error: `"${name}" must be the file's text, as a string.` })
    .max(POLIS_FILE_MAX_CHARS, { error: `"${name}" is larger than ${POLIS_FILE_MAX_CHARS / 1024 / 1024} MB.` });

export const polisImportRequestSchema = z
  .object({
    format: z.literal("polis", { error: 'Only the "polis" format can be imported.' }),
    title: z
      .string({ error: "The title must be text." })
      .trim()
      .min(1, { error: "The title must not be empty." })
      .max(200, { error: "The title must be at most 200 characters." })
      .optional(),
    files: z.strictObject(
      {
        "comments.csv": file("comments.csv"),
        "participants-votes.csv": file("participants-votes.csv").optional(),
        "votes.csv": file("votes.csv").optional(),
      },
      { error: 'files must hold "comments.csv" and "votes.csv" or "participants-votes.csv", nothing else.' },
    ),
  })
  .refine((body) => body.files["votes.csv"] !== undefined || body.files["participants-votes.csv"] !== undefined, {
    error: 'files needs "votes.csv" or "participants-votes.csv" (either suffices) besides "comments.csv".',
    path: ["files"],
  });

export type PolisImportRequest = z.infer<typeof polisImportRequestSchema>;
