/**
 * Mail through an SMTP server (MAIL_TRANSPORT=smtp), with Nodemailer. The message is plain text;
 * `smtpMessage` builds what Nodemailer sends, so that it can be checked without a server.
 */
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type { MailMessage, Mailer } from './mailer.ts';

/** What Nodemailer is asked to send for one message. */
export function smtpMessage(message: MailMessage, from: string): SendMailOptions {
  return {
    from,
    to: message.to,
    subject: message.subject,
    text: message.body,
    // What kind of message this is, for the mail server's logs and any filtering; no personal data.
    headers: { 'X-OneBudget-Message': message.kind },
    // Only the one address is ever written to: no copies.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/**
 * An SMTP mailer: `transport` is an smtp:// or smtps:// URL (SMTP_URL), or any Nodemailer
 * transporter (tests use its stream or JSON transport, which send nothing).
 */
export function smtpMailer(options: { transport: string | Transporter; from: string; timeoutMs?: number }): Mailer {
  const timeout = options.timeoutMs ?? 30_000;
  const transporter =
    typeof options.transport === 'string'
      ? nodemailer.createTransport({ url: options.transport, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout })
      : options.transport;
  return {
    async send(message) {
      await transporter.sendMail(smtpMessage(message, options.from));
    },
  };
}
