/**
 * The computations the compute worker thread runs, with their argument and
 * result types. Each is pure (server/domain/…); only structured-cloneable
 * data crosses the thread boundary (no functions, no class instances other
 * than Date, Map, typed arrays).
 */
import { scoreBridging, type ArgumentRating, type BridgingOptions, type BridgingResult } from "../domain/bridging/bridging";
import { computeOpinionGroupsEncoded } from "../domain/opinion-groups/compute";
import type { EncodedOpinionInput, OpinionGroupsOptions, OpinionGroupsResult } from "../domain/opinion-groups/types";
import { parsePolisExport, type PolisConversation, type PolisExportFiles } from "../domain/polis-import/parse";

export interface ComputeTasks {
  opinionGroups: { args: { input: EncodedOpinionInput; options?: Partial<OpinionGroupsOptions> }; result: OpinionGroupsResult };
  bridging: {
    args: { ratings: ArgumentRating[]; argumentIds?: string[]; sides?: Map<string, -1 | 1>; options?: Partial<BridgingOptions> };
    result: BridgingResult;
  };
  parsePolisExport: { args: { files: PolisExportFiles }; result: PolisConversation };
}

export type ComputeTaskName = keyof ComputeTasks;

export const computeTasks: { [K in ComputeTaskName]: (args: ComputeTasks[K]["args"]) => ComputeTasks[K]["result"] } = {
  opinionGroups: ({ input, options }) => computeOpinionGroupsEncoded(input, options),
  bridging: ({ ratings, argumentIds, sides, options }) => scoreBridging(ratings, argumentIds, sides ? (id) => sides.get(id) ?? null : undefined, options),
  parsePolisExport: ({ files }) => parsePolisExport(files),
};

/** Buffers of a result that can be moved to the main thread instead of copied. */
export function transferablesOf(task: ComputeTaskName, result: unknown): ArrayBuffer[] {
  if (task === "parsePolisExport") {
    const { votes } = result as PolisConversation;
    return [votes.participantId.buffer, votes.commentId.buffer, votes.value.buffer, votes.at.buffer] as ArrayBuffer[];
  }
  return [];
}

/** An error as it crosses the thread boundary. */
export interface SerializedError {
  name: string;
  message: string;
  /** PolisImportError's location. */
  file?: string;
  line?: number | null;
  column?: number | null;
  columnName?: string | null;
  problem?: string;
}

export type WorkerRequest = { id: number; task: ComputeTaskName; args: unknown };
export type WorkerReply = { id: number; ok: true; result: unknown; ms: number } | { id: number; ok: false; error: SerializedError; ms: number };
