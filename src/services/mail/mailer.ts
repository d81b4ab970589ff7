/**
 * The one port all mail goes through. Development and tests use the outbox (one JSON file per
 * message in a directory, and a log line); production uses SMTP or GOV.UK Notify (config).
 * Messages are plain text: links, names and the reason for the message, nothing else.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  /** Plain text, in plain English; links written out in full. */
  readonly body: string;
  /** What kind of message this is (for logs and Notify templates), e.g. 'invitation', 'password-reset'. */
  readonly kind: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface OutboxEntry extends MailMessage {
  readonly id: string;
  readonly sentAt: string;
}

/** Writes each message to `<dir>/<time>-<id>.json`. Read back with `readOutbox` in tests and the demo. */
export function outboxMailer(dir: string, clock: { now(): Date } = { now: () => new Date() }): Mailer {
  return {
    async send(message) {
      await fs.mkdir(dir, { recursive: true });
      const sentAt = clock.now();
      const id = crypto.randomUUID();
      const entry: OutboxEntry = { ...message, id, sentAt: sentAt.toISOString() };
      const name = `${sentAt.toISOString().replace(/[:.]/g, '-')}-${id}.json`;
      await fs.writeFile(path.join(dir, name), `${JSON.stringify(entry, null, 2)}\n`, { mode: 0o600 });
    },
  };
}

/** Every message in an outbox directory, oldest first. */
export async function readOutbox(dir: string): Promise<OutboxEntry[]> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return Promise.all(names.map(async (n) => JSON.parse(await fs.readFile(path.join(dir, n), 'utf8')) as OutboxEntry));
}

/** Keeps messages in memory: for unit and integration tests that read what was sent. */
export function memoryMailer(): Mailer & { readonly sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return {
    sent,
    async send(message) {
      sent.push(message);
    },
  };
}
