/**
 * Outgoing mail, behind one small interface (docs/decisions/0033-mail-over-smtp.md):
 * - `SmtpMailer` sends through an SMTP server with nodemailer (`SMTP_URL`,
 *   `MAIL_FROM`): what a deployment uses, so a facilitator who forgot their
 *   password gets the reset link.
 * - `LogMailer` writes each message, links included, to the server log: for
 *   development only; the server says so at start when it is in use.
 * - `CapturingMailer` keeps messages in memory, for tests that do not need SMTP.
 */
import nodemailer, { type Transporter } from "nodemailer";
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
  /** One line for the start-up log: where mail goes. */
  readonly description: string;
}

/** Writes messages to the server log (server/log.ts, level "info") instead of sending them. Development only. */
export class LogMailer implements Mailer {
  readonly description =
    "SMTP_URL is not set: mail (password-reset links) is NOT sent but written to this log, which is for development only. Set SMTP_URL and MAIL_FROM to send it.";
  async send({ to, subject, text }: MailMessage): Promise<void> {
    log.info(`[mail, not sent: SMTP_URL is unset] To: ${to}\n[mail] Subject: ${subject}\n${text.replace(/^/gm, "[mail] ")}`);
  }
}

/** Keeps every message in `sent` (newest last): for tests. */
export class CapturingMailer implements Mailer {
  readonly description = "Mail is kept in memory (tests).";
  readonly sent: MailMessage[] = [];
  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
  }
}

/** An SMTP URL with its password hidden, for logs ("smtp://user:…@host:587"). */
export function redactSmtpUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${parsed.username}${parsed.password ? ":…" : ""}@` : "";
    return `${parsed.protocol}//${user}${parsed.host}`;
  } catch {
    return "(unparseable SMTP_URL)";
  }
}

/**
 * Sends mail through an SMTP server with nodemailer (one pooled transport per
 * process; STARTTLS whenever the server offers it, TLS from the start for smtps://).
 * Timeouts are short so a dead mail server cannot hold requests' background work for minutes.
 */
export class SmtpMailer implements Mailer {
  readonly description: string;
  private readonly transport: Transporter;
  private readonly from: string;

  /**
   * @param url SMTP_URL, e.g. "smtp://user:password@mail.example.org:587" or "smtps://mail.example.org:465".
   * @param from MAIL_FROM, e.g. "Steelman <steelman@example.org>".
   */
  constructor(url: string, from: string) {
    this.from = from;
    this.transport = nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
    this.description = `Mail is sent through ${redactSmtpUrl(url)} from ${from}.`;
  }

  async send({ to, subject, text }: MailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.from, to, subject, text });
  }

  /** Checks that the SMTP server answers and accepts the credentials. @throws when it does not. */
  async verify(): Promise<void> {
    await this.transport.verify();
  }

  close(): void {
    this.transport.close();
  }
}
