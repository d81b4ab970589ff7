/**
 * Mail through GOV.UK Notify (MAIL_TRANSPORT=notify): one POST to its email endpoint per message.
 *
 * Notify authenticates each request with a JSON Web Token signed with HS256: the claims are `iss`,
 * the service id, and `iat`, the time in whole seconds (Notify refuses a token more than 30 seconds
 * from its own clock, so one is made per request). Both halves come from the API key, which Notify
 * shows as `{key name}-{service id}-{secret key}`, the two ids being UUIDs.
 *
 * OneBudget writes its own subject and body, so the Notify service needs one email template whose
 * subject is `((subject))` and whose message is `((body))`; NOTIFY_TEMPLATE_ID names it.
 */
import crypto from 'node:crypto';
import { NOTIFY_API_KEY_PATTERN } from '../../config.ts';
import type { MailMessage, Mailer } from './mailer.ts';

export const NOTIFY_EMAIL_URL = 'https://api.notifications.service.gov.uk/v2/notifications/email';

export interface NotifyKey {
  readonly serviceId: string;
  readonly secretKey: string;
}

/** The service id and secret key inside an API key. The key name may itself contain dashes. */
export function parseNotifyApiKey(apiKey: string): NotifyKey {
  const match = NOTIFY_API_KEY_PATTERN.exec(apiKey.trim());
  if (match?.[2] === undefined || match[3] === undefined) throw new Error('NOTIFY_API_KEY is not a GOV.UK Notify API key');
  return { serviceId: match[2], secretKey: match[3] };
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** The bearer token for one request at `issuedAt`. */
export function notifyJwt(key: NotifyKey, issuedAt: Date): string {
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
  const claims = base64url(JSON.stringify({ iss: key.serviceId, iat: Math.floor(issuedAt.getTime() / 1000) }));
  const signature = crypto.createHmac('sha256', key.secretKey).update(`${header}.${claims}`).digest('base64url');
  return `${header}.${claims}.${signature}`;
}

export interface NotifyRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: {
    readonly email_address: string;
    readonly template_id: string;
    readonly personalisation: { readonly subject: string; readonly body: string };
    readonly reference: string;
  };
}

/** The request that sends one message: built apart from sending it, so that it can be checked. */
export function notifyEmailRequest(message: MailMessage, options: { key: NotifyKey; templateId: string; now: Date }): NotifyRequest {
  return {
    url: NOTIFY_EMAIL_URL,
    headers: {
      authorization: `Bearer ${notifyJwt(options.key, options.now)}`,
      'content-type': 'application/json',
      'user-agent': 'OneBudget',
    },
    body: {
      email_address: message.to,
      template_id: options.templateId,
      personalisation: { subject: message.subject, body: message.body },
      // Shown in Notify's records: the kind of message, never anything personal.
      reference: message.kind,
    },
  };
}

/** Notify refused or failed a message. The text is Notify's own, and never holds the key. */
export class NotifyError extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(`GOV.UK Notify did not send the email (${status}): ${detail}`);
    this.name = 'NotifyError';
  }
}

export function notifyMailer(options: {
  apiKey: string;
  templateId: string;
  clock?: { now(): Date };
  /** For tests: the fetch to send with. */
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Mailer {
  const key = parseNotifyApiKey(options.apiKey);
  const send = options.fetch ?? fetch;
  const now = () => (options.clock ?? { now: () => new Date() }).now();
  return {
    async send(message) {
      const request = notifyEmailRequest(message, { key, templateId: options.templateId, now: now() });
      const response = await send(request.url, {
        method: 'POST',
        headers: request.headers,
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      if (response.ok) return;
      const text = await response.text().catch(() => '');
      let detail = text.slice(0, 500);
      try {
        const parsed = JSON.parse(text) as { errors?: { error?: string; message?: string }[] };
        if (Array.isArray(parsed.errors)) detail = parsed.errors.map((e) => `${e.error ?? 'Error'}: ${e.message ?? ''}`).join('; ');
      } catch {
        // not JSON: keep the start of the text
      }
      throw new NotifyError(response.status, detail);
    },
  };
}
