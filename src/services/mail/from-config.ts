/** The mailer MAIL_TRANSPORT names (src/config.ts checks its settings, and refuses outbox and console in production). */
import type { MailConfig } from '../../config.ts';
import { outboxMailer, type Mailer } from './mailer.ts';
import { notifyMailer } from './notify.ts';
import { smtpMailer } from './smtp.ts';

/** Where the console transport writes (a pino logger in main.ts). */
export interface MailLog {
  info(object: Record<string, unknown>, message: string): void;
}

/** Writes every message to the log, whole: for development on a machine without an outbox directory. */
export function consoleMailer(log: MailLog): Mailer {
  return {
    async send(message) {
      log.info({ mail: message }, `email (${message.kind}) to ${message.to}: ${message.subject}`);
    },
  };
}

export function mailerFromConfig(config: MailConfig, options: { log: MailLog; clock: { now(): Date } }): Mailer {
  switch (config.transport) {
    case 'outbox': {
      const outbox = outboxMailer(config.outboxDir, options.clock);
      return {
        async send(message) {
          await outbox.send(message);
          options.log.info({ kind: message.kind, outbox: config.outboxDir }, `email (${message.kind}) written to the outbox`);
        },
      };
    }
    case 'console':
      return consoleMailer(options.log);
    case 'smtp':
      if (config.smtpUrl === undefined || config.from === undefined) throw new Error('MAIL_TRANSPORT=smtp needs SMTP_URL and MAIL_FROM');
      return smtpMailer({ transport: config.smtpUrl, from: config.from });
    case 'notify':
      if (config.notifyApiKey === undefined || config.notifyTemplateId === undefined) {
        throw new Error('MAIL_TRANSPORT=notify needs NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID');
      }
      return notifyMailer({ apiKey: config.notifyApiKey, templateId: config.notifyTemplateId, clock: options.clock });
  }
}
