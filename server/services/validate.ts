import type { z } from "zod";
import { describeZodError } from "../../app/shared/contract";
import { validationError, type ValidationIssue } from "../../app/shared/errors";

/**
 * Parses untrusted input with a zod schema.
 * @throws AppError validation_failed with the first problem as a sentence and its field path.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const { message, field } = describeZodError(result.error);
    throw validationError(message, field).withIssue(result.error.issues[0] as ValidationIssue | undefined);
  }
  return result.data;
}


export { parseOperationInput } from "../../app/shared/operations";
