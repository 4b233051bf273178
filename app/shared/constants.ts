/**
 * Constants shared by the browser and the server that need no validation library: the limits
 * (LIMITS), the server → client event names (ServerEvent) and the join code's input length.
 * app/shared/contract.ts and app/shared/management.ts re-export them; browser code on the debate
 * page imports them from here so that its first load carries no zod (issue 21).
 */

export const LIMITS = {
  /** Longest article accepted, in UTF-16 code units (about 100 pages of prose). */
  sourceTextMaxChars: 500_000,
  titleMaxChars: 200,
  propositionMaxChars: 1_000,
  propositionsMax: 300,
  displayNameMaxChars: 40,
  sourcesPerArgumentMax: 5,
  sourceTitleMaxChars: 300,
  sourceQuoteMaxChars: 2_000,
  /** A report's or a moderation action's reason. */
  reasonMaxChars: 500,
  /** HTTP JSON body limit; larger bodies get 413 with a JSON error. */
  httpBodyMaxBytes: 8 * 1024 * 1024,
  /** socket.io maxHttpBufferSize: one socket message, in bytes. */
  socketMessageMaxBytes: 256 * 1024,
} as const;

/** Client → server events are defined by the operations table (app/shared/operations.ts: ClientEvent, ClientToServerEvents). */
export const ServerEvent = {
  welcome: "debate:welcome",
  change: "debate:change",
  catchUp: "debate:catchup",
  voteTallied: "vote:tallied",
  ratingTallied: "rating:tallied",
  presence: "presence:updated",
  error: "debate:error",
  /** To facilitators only: a report was filed or resolved. */
  moderation: "moderation:updated",
  /** New opinion groups were computed for the debate (issue 11): results pages re-read GET /api/debates/:id/results and …/opinion-groups. */
  resultsUpdated: "results:updated",
} as const;

/** The longest join code input accepted (a code is 8 characters; room for spaces and dashes). */
export const JOIN_CODE_INPUT_MAX_CHARS = 40;
