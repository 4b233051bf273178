/**
 * Inputs and outputs of debate management (visibility, join codes, closing,
 * locking, participants, per-debate rate limits): zod schemas for the JSON API,
 * the socket events and the settings page's forms, shared by server and browser.
 * Who may do each is in app/shared/permissions.ts; the services are in
 * server/services/settings.ts, locks.ts and participants.ts; the API in docs/api.md.
 */
import { LANGUAGES } from "../i18n/locales";
import { z } from "./zod";
import { JOIN_CODE_INPUT_MAX_CHARS } from "./constants";
import { DebateVisibility, displayNameSchema, opIdSchema, plainLine, type DebateStatus, type ParticipantRole } from "./contract";
import { debateFormatSchema, phaseDurationsSchema } from "./phase-schemas";

const uuid = (what: string) => z.uuid({ message: `${what} must be a valid id.` });

export const visibilitySchema = z.enum(DebateVisibility, { message: "Visibility is 'public', 'unlinked' or 'private'." });

/** The roles a person may ask for when joining: take part, or just watch. */
export const joinRoleSchema = z.enum(["debater", "observer"], { message: "Join as 'debater' (take part) or 'observer' (just watch)." });

export { JOIN_CODE_INPUT_MAX_CHARS };

/** What someone types as a join code (checked and normalised by the server: any case, spaces or a dash). */
export const joinCodeInputSchema = z
  .string({ message: "The join code must be text." })
  .max(JOIN_CODE_INPUT_MAX_CHARS, { message: "A join code has 8 letters and digits, like ABCD-EFGH." });

/**
 * `POST /api/debates/:id/participants` body and the debate page's join form.
 * `joinCode` is required when the debate is private.
 */
export const joinDebateInputSchema = z.object({
  displayName: displayNameSchema,
  joinCode: joinCodeInputSchema.optional(),
  role: joinRoleSchema.optional(),
});

/** `POST /api/join` body and the /join page: a code and a display name, nothing else. */
export const joinByCodeSchema = z.object({
  code: joinCodeInputSchema.min(1, { message: "Type the join code your facilitator gave you." }),
  displayName: displayNameSchema,
  role: joinRoleSchema.optional(),
});

/** Bounds a facilitator may choose for a debate's rules (the server's own defaults are in server/services/rate-limits.ts). */
export const DEBATE_RATE_LIMIT_BOUNDS = { pointsMin: 1, pointsMax: 1_000, secondsMin: 1, secondsMax: 3_600 } as const;

export const debateRateRuleSchema = z.object({
  points: z
    .number({ message: "points must be a whole number." })
    .int({ message: "points must be a whole number." })
    .min(DEBATE_RATE_LIMIT_BOUNDS.pointsMin, { message: `points must be at least ${DEBATE_RATE_LIMIT_BOUNDS.pointsMin}.` })
    .max(DEBATE_RATE_LIMIT_BOUNDS.pointsMax, { message: `points must be at most ${DEBATE_RATE_LIMIT_BOUNDS.pointsMax}.` }),
  durationSeconds: z
    .number({ message: "durationSeconds must be a whole number of seconds." })
    .int({ message: "durationSeconds must be a whole number of seconds." })
    .min(DEBATE_RATE_LIMIT_BOUNDS.secondsMin, { message: `durationSeconds must be at least ${DEBATE_RATE_LIMIT_BOUNDS.secondsMin}.` })
    .max(DEBATE_RATE_LIMIT_BOUNDS.secondsMax, { message: `durationSeconds must be at most ${DEBATE_RATE_LIMIT_BOUNDS.secondsMax} (one hour).` }),
}, { message: "A rate rule must be an object like { points, durationSeconds }, or null for the default." });
export type DebateRateRule = z.infer<typeof debateRateRuleSchema>;

/** The rules a debate may override: arguments (posts, edits, sources) and votes (votes, ratings). */
export const DEBATE_RATE_LIMITED = ["argument", "vote"] as const;
export type DebateRateLimited = (typeof DEBATE_RATE_LIMITED)[number];

/** Stored in Debate.rateLimits; a missing rule means the server's default. */
export const debateRateLimitsSchema = z
  .object({ argument: debateRateRuleSchema.optional(), vote: debateRateRuleSchema.optional() }, { message: "rateLimits must be an object like { argument: { points, durationSeconds } }." })
  .strict();
export type DebateRateLimits = z.infer<typeof debateRateLimitsSchema>;

/**
 * `PATCH /api/debates/:id/settings` body. `rateLimits`: a rule per action to set
 * it, `null` for an action to go back to the default, or `rateLimits: null` to reset both.
 */
export const updateSettingsSchema = z
  .object({
    opId: opIdSchema,
    visibility: visibilitySchema.optional(),
    rateLimits: z
      .object({ argument: debateRateRuleSchema.nullable().optional(), vote: debateRateRuleSchema.nullable().optional() }, { message: "rateLimits must be an object or null." })
      .strict()
      .nullable()
      .optional(),
    /** Until published: the format, the Oxford motion and the phases' durations (issue 13). */
    format: debateFormatSchema.optional(),
    motion: plainLine("The motion", 1_000).optional(),
    durations: phaseDurationsSchema.nullable().optional(),
    /** The debate's language (app/i18n/locales.ts LANGUAGES), or null: not set. */
    language: z.enum(LANGUAGES, { message: `The language must be one of ${LANGUAGES.join(", ")}, or null.` }).nullable().optional(),
  }, { message: "The settings change only visibility, rateLimits, language and (before publishing) format, motion and durations; a debate's title is set when it is created." })
  .strict();

export const opOnlySchema = z.object({ opId: opIdSchema }).strip();

/** The lockProposition operation's payload (app/shared/operations.ts) and `PUT /api/debates/:id/propositions/:propositionId/lock` body. */
export const lockPropositionSchema = z.object({
  opId: opIdSchema,
  propositionId: uuid("propositionId"),
  locked: z.boolean({ message: "locked must be true or false." }),
});

/** Role changes a facilitator can make (host is never given or taken). */
export const assignableRoleSchema = z.enum(["facilitator", "debater", "observer"], { message: "role must be 'facilitator', 'debater' or 'observer'." });

/** `PATCH /api/debates/:id/participants/:participantId` body: any of rename, mute/unmute, role. */
export const updateParticipantSchema = z
  .object({
    opId: opIdSchema,
    displayName: displayNameSchema.optional(),
    muted: z.boolean({ message: "muted must be true or false." }).optional(),
    role: assignableRoleSchema.optional(),
  })
  .strict()
  .refine((v) => v.displayName !== undefined || v.muted !== undefined || v.role !== undefined, { message: "Send displayName, muted or role to change." });

/** What facilitators see of each participant (settings page, `GET /api/debates/:id/participants`). */
export interface ParticipantAdminDTO {
  id: string;
  displayName: string;
  role: ParticipantRole;
  muted: boolean;
  removed: boolean;
  /** ISO time they joined. */
  joinedAt: string;
  /** ISO time their last live connection opened or closed. */
  lastSeenAt: string;
  /** How many arguments they posted (any state). */
  argumentCount: number;
}

/** A debate's settings as its facilitators see them. Never sent to anyone else. */
export interface DebateSettingsAdminDTO {
  id: string;
  title: string;
  status: DebateStatus;
  visibility: DebateVisibility;
  /** "ABCD-EFGH" (8 characters, shown grouped). */
  joinCode: string;
  /** Path of the join page with the code filled in, e.g. `/join?code=ABCD-EFGH`. */
  joinPath: string;
  /** Path of the debate page (works for public and unlinked debates; private ones also need the code). */
  debatePath: string;
  closedAt: string | null;
  /** The debate's language ("en", "de", "fr", "es"): the interface language for anyone who chose none, and the `lang` of its text; null: not set. */
  language: string | null;
  /** The debate's own rules (null: the server's default). */
  rateLimits: { argument: DebateRateRule | null; vote: DebateRateRule | null };
  /** The server's defaults, for the settings form. */
  defaultRateLimits: { argument: DebateRateRule; vote: DebateRateRule };
}
