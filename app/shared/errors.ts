/**
 * Stable error codes shared by the HTTP API, the socket protocol and the UI.
 * Clients act on `code`; people read `message`. (Outline's habit: small error
 * factories carrying a stable id, mapped to responses in one place.)
 */
export const ErrorCode = {
  validation: "validation_failed",
  notFound: "not_found",
  forbidden: "forbidden",
  unauthenticated: "unauthenticated",
  conflict: "conflict",
  payloadTooLarge: "payload_too_large",
  rateLimited: "rate_limited",
  /** A socket event this server does not know (an old or foreign client). */
  unknownEvent: "unknown_event",
  /** The server cannot serve the request right now (database busy or reconnecting): retry after `retryAfterSeconds`, with the same operation id. */
  busy: "busy",
  internal: "internal_error",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The JSON body of every error reply: `{ error: { code, message, field? } }`. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Dotted path of the offending input field, when one field is to blame. */
  field?: string;
  /** With rate_limited and busy: how long to wait before trying again. */
  retryAfterSeconds?: number;
}

/** A zod issue as kept on a validation error: its `code` plus zod's other details (minimum, origin, values…). */
export type ValidationIssue = { code: string; message: string; path: PropertyKey[] } & Record<string, unknown>;

/** An error with a stable code, safe to show to a person. Thrown by services. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly retryAfterSeconds?: number;
  /**
   * The message's id in the interface catalogues (app/i18n/messages/en.ts `errors.*`) and its ICU values:
   * error replies translate `message` into the request's language by it (app/i18n/errors.server.ts).
   * Without one, the English `message` itself finds its `errors.*` message (docs/i18n.md "Server errors").
   */
  messageKey?: string;
  messageValues?: Record<string, string | number>;
  /**
   * With validation_failed from a zod schema: the first issue (its code and details, no input), so that
   * a reply in another language can use zod's own translation when the schema gave no sentence of its own.
   */
  validationIssue?: ValidationIssue;
  constructor(code: ErrorCode, message: string, field?: string, retryAfterSeconds?: number) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }
  /** Names this error's message in the catalogues (see `messageKey`); returns the error, for `throw forbidden("…").withMessageKey(…)`. */
  withMessageKey(key: string, values?: Record<string, string | number>): this {
    this.messageKey = key;
    this.messageValues = values;
    return this;
  }
  /** Keeps the zod issue this validation error describes (see `validationIssue`); returns the error. */
  withIssue(issue: ValidationIssue | undefined): this {
    this.validationIssue = issue;
    return this;
  }
  toBody(): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.field ? { field: this.field } : {}),
      ...(this.retryAfterSeconds ? { retryAfterSeconds: this.retryAfterSeconds } : {}),
    };
  }
}

/**
 * True for an AppError, also when it was thrown by another copy of this module
 * (the React Router build bundles its own copy, so `instanceof` is not enough).
 */
export function isAppError(error: unknown): error is AppError {
  return (
    error instanceof AppError ||
    (typeof error === "object" && error !== null && (error as { name?: unknown }).name === "AppError" && typeof (error as { code?: unknown }).code === "string" && typeof (error as { toBody?: unknown }).toBody === "function")
  );
}

export const validationError = (message: string, field?: string) => new AppError(ErrorCode.validation, message, field);
export const notFound = (what: string) => new AppError(ErrorCode.notFound, `${what} was not found. Check the link, or ask the facilitator for a new one.`);
export const forbidden = (message: string) => new AppError(ErrorCode.forbidden, message);
export const unauthenticated = (message?: string) =>
  message === undefined ? new AppError(ErrorCode.unauthenticated, "Join the debate with a display name first.").withMessageKey("errors.joinFirst") : new AppError(ErrorCode.unauthenticated, message);
export const conflict = (message: string) => new AppError(ErrorCode.conflict, message);
/** Said to a participant a facilitator removed, to their open connections and whenever their token or account is used in that debate again. */
export const REMOVED_MESSAGE = "A facilitator removed you from this debate. You can no longer take part in it.";
/** The refusal to a removed participant who still presents their token or account (401, as docs/api.md says). */
export const removedFromDebate = () => new AppError(ErrorCode.unauthenticated, REMOVED_MESSAGE).withMessageKey("errors.participant.removed");

/** Whether a refusal with this code may succeed if the same request is sent again later (rate_limited, busy). */
export const isRetryableCode = (code: ErrorCode): boolean => code === ErrorCode.rateLimited || code === ErrorCode.busy;

/** HTTP status for each code. */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.validation:
    case ErrorCode.unknownEvent:
      return 400;
    case ErrorCode.unauthenticated:
      return 401;
    case ErrorCode.forbidden:
      return 403;
    case ErrorCode.notFound:
      return 404;
    case ErrorCode.conflict:
      return 409;
    case ErrorCode.payloadTooLarge:
      return 413;
    case ErrorCode.rateLimited:
      return 429;
    case ErrorCode.busy:
      return 503;
    default:
      return 500;
  }
}
