/** The mail transports, without a network: GOV.UK Notify's request and token, SMTP's message. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { NOTIFY_EMAIL_URL, NotifyError, notifyEmailRequest, notifyJwt, notifyMailer, parseNotifyApiKey } from '../../src/services/mail/notify.ts';
import { smtpMailer, smtpMessage } from '../../src/services/mail/smtp.ts';
import { consoleMailer, mailerFromConfig } from '../../src/services/mail/from-config.ts';
import { readOutbox, type MailMessage } from '../../src/services/mail/mailer.ts';
import { londonDateTime } from '../../src/services/mail/wording.ts';

const SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506';
const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0';
const API_KEY = `my-test-key-${SERVICE_ID}-${SECRET}`;
const TEMPLATE = 'f33517ff-2a88-4f6e-b855-c550268ce08a';
const MESSAGE: MailMessage = {
  to: 'pat@family.test',
  subject: 'You are invited to see Alex’s personal budget in OneBudget',
  body: 'Hello Pat,\n\nOpen this link: https://onebudget.test/invitations/abc',
  kind: 'invitation',
};

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('GOV.UK Notify', () => {
  it('reads the service id and secret key from the end of the API key (the name may contain dashes)', () => {
    assert.deepEqual(parseNotifyApiKey(API_KEY), { serviceId: SERVICE_ID, secretKey: SECRET });
    assert.throws(() => parseNotifyApiKey('not-a-key'), /not a GOV\.UK Notify API key/);
  });

  it('signs a token with HS256: iss is the service id, iat the time in whole seconds', () => {
    const token = notifyJwt({ serviceId: SERVICE_ID, secretKey: SECRET }, new Date('2026-11-20T10:00:00.900Z'));
    const [header, claims, signature] = token.split('.');
    assert.ok(header && claims && signature);
    assert.deepEqual(decode(header), { typ: 'JWT', alg: 'HS256' });
    assert.deepEqual(decode(claims), { iss: SERVICE_ID, iat: Date.UTC(2026, 10, 20, 10) / 1000 });
    const expected = crypto.createHmac('sha256', SECRET).update(`${header}.${claims}`).digest('base64url');
    assert.equal(signature, expected);
  });

  it('sends one template with the subject and body as personalisation, to the email endpoint', () => {
    const request = notifyEmailRequest(MESSAGE, { key: parseNotifyApiKey(API_KEY), templateId: TEMPLATE, now: new Date('2026-11-20T10:00:00Z') });
    assert.equal(request.url, 'https://api.notifications.service.gov.uk/v2/notifications/email');
    assert.match(request.headers.authorization ?? '', /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(request.body, {
      email_address: 'pat@family.test',
      template_id: TEMPLATE,
      personalisation: { subject: MESSAGE.subject, body: MESSAGE.body },
      reference: 'invitation',
    });
    assert.ok(!JSON.stringify(request).includes(SECRET), 'the secret key never leaves in the request');
  });

  it('posts the request through fetch, and reports Notify’s refusal without the key', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const ok = notifyMailer({
      apiKey: API_KEY,
      templateId: TEMPLATE,
      clock: { now: () => new Date('2026-11-20T10:00:00Z') },
      fetch: async (url, init) => {
        calls.push({ url: String(url), init: init ?? {} });
        return new Response(JSON.stringify({ id: 'x' }), { status: 201 });
      },
    });
    await ok.send(MESSAGE);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.url, NOTIFY_EMAIL_URL);
    assert.equal(calls[0]?.init.method, 'POST');
    assert.equal(JSON.parse(String(calls[0]?.init.body)).email_address, 'pat@family.test');

    const refused = notifyMailer({
      apiKey: API_KEY,
      templateId: TEMPLATE,
      fetch: async () =>
        new Response(JSON.stringify({ status_code: 400, errors: [{ error: 'BadRequestError', message: 'Can’t send to this recipient using a team-only API key' }] }), { status: 400 }),
    });
    await assert.rejects(refused.send(MESSAGE), (error: unknown) => {
      assert.ok(error instanceof NotifyError);
      assert.equal(error.status, 400);
      assert.match(error.message, /BadRequestError: Can’t send to this recipient/);
      assert.ok(!error.message.includes(SECRET));
      return true;
    });
  });
});

describe('SMTP', () => {
  it('builds a plain-text message from the configured sender, with no file or URL access', () => {
    const options = smtpMessage(MESSAGE, 'OneBudget <no-reply@council.gov.uk>');
    assert.equal(options.from, 'OneBudget <no-reply@council.gov.uk>');
    assert.equal(options.to, 'pat@family.test');
    assert.equal(options.subject, MESSAGE.subject);
    assert.equal(options.text, MESSAGE.body);
    assert.equal(options.html, undefined);
    assert.equal(options.disableFileAccess, true);
    assert.equal(options.disableUrlAccess, true);
  });

  it('hands Nodemailer a message it turns into a proper email (stream transport: nothing is sent)', async () => {
    const sent: string[] = [];
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const original = transport.sendMail.bind(transport);
    const mailer = smtpMailer({
      transport: Object.assign(transport, {
        sendMail: async (options: Parameters<typeof original>[0]) => {
          const info = await original(options);
          sent.push(Buffer.from(info.message as Buffer).toString('utf8'));
          return info;
        },
      }),
      from: 'OneBudget <no-reply@council.gov.uk>',
    });
    await mailer.send(MESSAGE);
    assert.equal(sent.length, 1);
    const raw = sent[0] ?? '';
    assert.match(raw, /^From: OneBudget <no-reply@council\.gov\.uk>$/m);
    assert.match(raw, /^To: pat@family\.test$/m);
    assert.match(raw, /^Subject: =\?UTF-8\?/m, 'the curly apostrophe is encoded');
    assert.match(raw, /^X-OneBudget-Message: invitation$/im);
    assert.match(raw, /^Content-Type: text\/plain; charset=utf-8$/m);
    assert.match(raw, /https:\/\/onebudget\.test\/invitations\/abc/);
  });
});

describe('development transports', () => {
  it('the outbox writes one JSON file per message; the console writes to the log', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'onebudget-outbox-'));
    const lines: { object: Record<string, unknown>; message: string }[] = [];
    const log = { info: (object: Record<string, unknown>, message: string) => lines.push({ object, message }) };
    try {
      const outbox = mailerFromConfig(
        { transport: 'outbox', outboxDir: dir, smtpUrl: undefined, from: undefined, notifyApiKey: undefined, notifyTemplateId: undefined },
        { log, clock: { now: () => new Date('2026-11-20T10:00:00Z') } },
      );
      await outbox.send(MESSAGE);
      const [entry] = await readOutbox(dir);
      assert.equal(entry?.to, 'pat@family.test');
      assert.equal(entry?.sentAt, '2026-11-20T10:00:00.000Z');
      await consoleMailer(log).send(MESSAGE);
      assert.equal(lines.length, 2);
      assert.match(lines[1]?.message ?? '', /email \(invitation\) to pat@family\.test/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('writes dates as people in England read them', () => {
    assert.equal(londonDateTime(new Date('2026-11-27T10:00:00Z')), '10am on 27 November 2026');
    assert.equal(londonDateTime(new Date('2026-06-01T15:30:00Z')), '4:30pm on 1 June 2026');
  });
});
