/**
 * Outgoing mail, behind one small interface so that a real mail service
 * (SMTP, an HTTP mail API) can be plugged in without touching the services.
 * This machine has no mail server, so the default LogMailer writes each
 * message, reset links included, to the server log; tests pass a capturing mailer.
 */
import { log } from "../log";

export interface MailMessage {
  /** One recipient address. */
  to: string;
  subject: string;
  /** Plain-text body (no HTML is ever sent). */
  text: string;
}

export interface Mailer {
  /**
   * Sends one message. Resolves once it has been handed over.
   * @throws when it could not be handed over (callers log it; they never tell the requester).
   */
  send(message: MailMessage): Promise<void>;
}

/** Writes messages to the server log (server/log.ts, level "info") instead of sending them. */
export class LogMailer implements Mailer {
  async send({ to, subject, text }: MailMessage): Promise<void> {
    log.info(`[mail] To: ${to}\n[mail] Subject: ${subject}\n${text.replace(/^/gm, "[mail] ")}`);
  }
}

/** Keeps every message in `sent` (newest last): for tests. */
export class CapturingMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
  }
}
