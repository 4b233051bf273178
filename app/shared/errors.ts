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

/** An error with a stable code, safe to show to a person. Thrown by services. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly retryAfterSeconds?: number;
  constructor(code: ErrorCode, message: string, field?: string, retryAfterSeconds?: number) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
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
export const unauthenticated = (message = "Join the debate with a display name first.") => new AppError(ErrorCode.unauthenticated, message);
export const conflict = (message: string) => new AppError(ErrorCode.conflict, message);

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
