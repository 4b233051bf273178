/**
 * The Steelman wire contract: data shapes sent to clients, zod schemas for every
 * input (JSON API bodies, socket payloads, forms), and the socket.io event map.
 * Imported by the server and the browser alike; see docs/protocol.md.
 *
 * All spans are `{ start, end }` in UTF-16 code units of the debate's source
 * text, end exclusive (JavaScript string indices).
 */
import { z } from "zod";
import type { ErrorBody } from "./errors";
import type { ArgumentBody } from "./lexical";
import { safeUrlSchema } from "./lexical";

/** Bumped on any incompatible change to events or payloads. */
export const PROTOCOL_VERSION = 1;

// ---------------------------------------------------------------- limits
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
  /** HTTP JSON body limit; larger bodies get 413 with a JSON error. */
  httpBodyMaxBytes: 8 * 1024 * 1024,
  /** socket.io maxHttpBufferSize: one socket message, in bytes. */
  socketMessageMaxBytes: 256 * 1024,
} as const;

// ---------------------------------------------------------------- enums
export const stanceSchema = z.enum(["pro", "con"], { message: "Stance must be 'pro' or 'con'." });
export type Stance = z.infer<typeof stanceSchema>;
export const voteValueSchema = z.enum(["agree", "disagree", "unsure"], { message: "A vote is 'agree', 'disagree' or 'unsure'." });
export type VoteValue = z.infer<typeof voteValueSchema>;
export const ratingValueSchema = z.enum(["up", "down"], { message: "A rating is 'up' or 'down'." });
export type RatingValue = z.infer<typeof ratingValueSchema>;
export type ParticipantRole = "host" | "facilitator" | "debater" | "observer";

const uuid = (what: string) => z.uuid({ message: `${what} must be a valid id.` });

/** Rejects text with NUL bytes or many control/replacement characters: binary data pasted as text. */
function looksLikeText(s: string): boolean {
  if (s.includes("\u0000")) return false;
  let bad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd || (c >= 0x7f && c < 0xa0)) bad++;
  }
  return bad <= Math.max(2, s.length * 0.001);
}

/** A single-line, trimmed, non-empty plain string with no control characters. */
const plainLine = (what: string, max: number) =>
  z
    .string({ message: `${what} must be text.` })
    .transform((s) => s.replace(/\s+/g, " ").trim())
    .pipe(
      z
        .string()
        .min(1, { message: `${what} cannot be empty.` })
        .max(max, { message: `${what} must be at most ${max.toLocaleString("en")} characters.` })
        .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { message: `${what} contains control characters.` }),
    );

// ---------------------------------------------------------------- inputs
export const sourceTextSchema = z
  .string({ message: "The article text is required." })
  .refine((s) => s.trim().length > 0, { message: "The article is empty: paste its text or upload a .txt, .md or .html file." })
  .refine((s) => s.length <= LIMITS.sourceTextMaxChars, {
    message: `The article is too long: at most ${LIMITS.sourceTextMaxChars.toLocaleString("en")} characters.`,
  })
  .refine(looksLikeText, { message: "The article looks like binary data, not text. Paste the article's words, or upload a .txt, .md or .html file." });

/** `POST /api/debates` body (also the "New debate" form). */
export const createDebateSchema = z.object({
  title: plainLine("The title", LIMITS.titleMaxChars).optional(),
  sourceText: sourceTextSchema,
  sourceUrl: safeUrlSchema.optional(),
  publish: z.boolean({ message: "publish must be true or false." }).optional(),
});
export type CreateDebateInput = z.infer<typeof createDebateSchema>;

export const displayNameSchema = plainLine("The display name", LIMITS.displayNameMaxChars);
export const joinDebateSchema = z.object({ displayName: displayNameSchema });

export const sourceInputSchema = z.object({
  url: safeUrlSchema,
  title: plainLine("The source title", LIMITS.sourceTitleMaxChars),
  quote: z
    .string({ message: "The quoted passage must be text." })
    .trim()
    .max(LIMITS.sourceQuoteMaxChars, { message: `The quoted passage must be at most ${LIMITS.sourceQuoteMaxChars.toLocaleString("en")} characters.` })
    .optional()
    .transform((s) => (s ? s : undefined)),
});
export type SourceInput = z.infer<typeof sourceInputSchema>;

/**
 * A new argument. `body` is a Lexical editor state, validated separately by
 * `parseArgumentBody` (it needs depth checks before zod); here it is `unknown`.
 */
export const postArgumentSchema = z.object({
  propositionId: uuid("propositionId"),
  parentId: uuid("parentId").nullish(),
  stance: stanceSchema,
  body: z.unknown(),
  sources: z
    .array(sourceInputSchema, { message: "sources must be a list." })
    .max(LIMITS.sourcesPerArgumentMax, { message: `An argument can have at most ${LIMITS.sourcesPerArgumentMax} sources.` })
    .default([]),
});
export type PostArgumentInput = z.infer<typeof postArgumentSchema>;

export const editArgumentSchema = z.object({ argumentId: uuid("argumentId"), body: z.unknown() });
export const addSourceSchema = sourceInputSchema.extend({ argumentId: uuid("argumentId") });
export const castVoteSchema = z.object({ propositionId: uuid("propositionId"), value: voteValueSchema.nullable() });
export const rateArgumentSchema = z.object({ argumentId: uuid("argumentId"), value: ratingValueSchema.nullable() });
export const propositionTextSchema = plainLine("The proposition", LIMITS.propositionMaxChars);
export const editPropositionSchema = z.object({ propositionId: uuid("propositionId"), text: propositionTextSchema });

// ---------------------------------------------------------------- outputs
export interface Span {
  start: number;
  end: number;
}
export interface VoteTally {
  agree: number;
  disagree: number;
  unsure: number;
  total: number;
}
export interface RatingTally {
  up: number;
  down: number;
  /** up − down */
  score: number;
}
export interface PropositionDTO {
  id: string;
  position: number;
  text: string;
  /** Null for a proposition the facilitator added by hand. */
  sourceSpan: Span | null;
}
export interface PropositionWithTallyDTO extends PropositionDTO {
  tally: VoteTally;
}
export interface SourceDTO {
  id: string;
  url: string;
  title: string;
  quote: string | null;
}
export interface ArgumentDTO {
  id: string;
  propositionId: string;
  /** The argument this one answers (a rebuttal), or null when it answers the proposition. */
  parentId: string | null;
  stance: Stance;
  body: ArgumentBody;
  bodyText: string;
  author: { id: string; displayName: string };
  sources: SourceDTO[];
  tally: RatingTally;
  createdAt: string;
  updatedAt: string;
}
export interface ParticipantDTO {
  id: string;
  displayName: string;
  role: ParticipantRole;
}
export interface DebateSummaryDTO {
  id: string;
  title: string;
  status: "draft" | "published";
  sourceUrl: string | null;
  url: string;
  createdAt: string;
}
export interface DebateDTO extends DebateSummaryDTO {
  sourceText: string;
  thesis: { heading: string | null; span: Span };
  propositions: PropositionWithTallyDTO[];
  arguments: ArgumentDTO[];
}
/** The current participant's own votes and ratings, keyed by item id. */
export interface MyChoicesDTO {
  votes: Record<string, VoteValue>;
  ratings: Record<string, RatingValue>;
}

// ---------------------------------------------------------------- socket.io
/** Every acknowledgement: the result, or an error a person can read. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type AckFn<T> = (reply: Ack<T>) => void;

/** Event names, defined once. Client → server events take an acknowledgement callback. */
export const ClientEvent = {
  postArgument: "argument:post",
  editArgument: "argument:edit",
  addSource: "source:add",
  castVote: "vote:cast",
  rateArgument: "rating:cast",
  editProposition: "proposition:edit",
} as const;

export const ServerEvent = {
  welcome: "debate:welcome",
  argumentCreated: "argument:created",
  argumentUpdated: "argument:updated",
  voteTallied: "vote:tallied",
  ratingTallied: "rating:tallied",
  propositionUpdated: "proposition:updated",
  presence: "presence:updated",
  error: "debate:error",
} as const;

/** Sent to a socket once it has joined its debate's room. */
export interface WelcomePayload {
  protocolVersion: number;
  debateId: string;
  /** Null for an observer who has not joined with a display name. */
  participant: ParticipantDTO | null;
  presence: ParticipantDTO[];
}
export interface VoteTalliedPayload {
  propositionId: string;
  tally: VoteTally;
  /** Who changed their vote, and to what, so their other tabs can follow. */
  participantId: string;
  value: VoteValue | null;
}
export interface RatingTalliedPayload {
  argumentId: string;
  tally: RatingTally;
  participantId: string;
  value: RatingValue | null;
}

export interface ClientToServerEvents {
  [ClientEvent.postArgument]: (payload: unknown, ack: AckFn<ArgumentDTO>) => void;
  [ClientEvent.editArgument]: (payload: unknown, ack: AckFn<ArgumentDTO>) => void;
  [ClientEvent.addSource]: (payload: unknown, ack: AckFn<ArgumentDTO>) => void;
  [ClientEvent.castVote]: (payload: unknown, ack: AckFn<VoteTalliedPayload>) => void;
  [ClientEvent.rateArgument]: (payload: unknown, ack: AckFn<RatingTalliedPayload>) => void;
  [ClientEvent.editProposition]: (payload: unknown, ack: AckFn<PropositionDTO>) => void;
}
export interface ServerToClientEvents {
  [ServerEvent.welcome]: (payload: WelcomePayload) => void;
  [ServerEvent.argumentCreated]: (payload: ArgumentDTO) => void;
  [ServerEvent.argumentUpdated]: (payload: ArgumentDTO) => void;
  [ServerEvent.voteTallied]: (payload: VoteTalliedPayload) => void;
  [ServerEvent.ratingTallied]: (payload: RatingTalliedPayload) => void;
  [ServerEvent.propositionUpdated]: (payload: PropositionDTO) => void;
  [ServerEvent.presence]: (payload: { debateId: string; participants: ParticipantDTO[] }) => void;
  [ServerEvent.error]: (payload: ErrorBody) => void;
}

/** Handshake `auth` sent by the client. Browsers rely on the participant cookie instead of `token`. */
export const handshakeAuthSchema = z.object({
  debateId: uuid("debateId"),
  token: z.string().min(16).max(200).optional(),
});

/** Name of the httpOnly cookie holding a participant's secret for one debate. */
export const participantCookieName = (debateId: string) => `sm_${debateId.replace(/-/g, "")}`;

/** Turns a zod error into the first problem, phrased for a person, with its field path. */
export function describeZodError(error: z.ZodError): { message: string; field?: string } {
  const issue = error.issues[0];
  if (!issue) return { message: "The input is not valid." };
  const field = issue.path.length ? issue.path.map(String).join(".") : undefined;
  let message = issue.message;
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) {
    message = `${field ?? "A field"} is required.`;
  }
  return field ? { message, field } : { message };
}
