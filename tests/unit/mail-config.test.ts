import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.ts';

const PRODUCTION = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATABASE_URL: 'postgres://onebudget@db.internal:5432/onebudget' };
const BASE = { PUBLIC_BASE_URL: 'https://onebudget.council.gov.uk' };
const NOTIFY_KEY = 'onebudget_live-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0';
const TEMPLATE = 'f33517ff-2a88-4f6e-b855-c550268ce08a';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('mail configuration', () => {
  it('writes mail to an outbox in the data directory by default, with links to this machine', () => {
    const config = loadConfig({ PORT: '3100', DATA_DIR: '/tmp/onebudget-data' });
    assert.equal(config.mail.transport, 'outbox');
    assert.equal(config.mail.outboxDir, path.resolve('/tmp/onebudget-data/outbox'));
    assert.equal(config.publicBaseUrl, 'http://127.0.0.1:3100');
    assert.equal(loadConfig({ NODE_ENV: 'test', MAIL_OUTBOX_DIR: '/tmp/mail' }).mail.outboxDir, path.resolve('/tmp/mail'));
    assert.equal(loadConfig({ MAIL_TRANSPORT: 'console' }).mail.transport, 'console');
  });

  it('refuses a production start without real mail: no transport, the outbox or the console', () => {
    assert.ok(problemsOf({ ...PRODUCTION, ...BASE }).some((p) => p.startsWith('MAIL_TRANSPORT is required in production')));
    for (const transport of ['outbox', 'console']) {
      const problems = problemsOf({ ...PRODUCTION, ...BASE, MAIL_TRANSPORT: transport });
      assert.ok(
        problems.some((p) => p === `MAIL_TRANSPORT=${transport} is for development only: in production no email would reach anyone. Use smtp or notify`),
        problems.join('\n'),
      );
    }
  });

  it('requires PUBLIC_BASE_URL in production, over https', () => {
    const env = { ...PRODUCTION, MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://mail.internal:587', MAIL_FROM: 'no-reply@council.gov.uk' };
    assert.ok(problemsOf(env).some((p) => p.startsWith('PUBLIC_BASE_URL is required in production')));
    assert.ok(problemsOf({ ...env, PUBLIC_BASE_URL: 'http://onebudget.council.gov.uk' }).includes('PUBLIC_BASE_URL must start with https:// in production'));
    assert.deepEqual(problemsOf({ ...env, ...BASE }), []);
    assert.equal(loadConfig({ ...env, PUBLIC_BASE_URL: 'https://council.gov.uk/onebudget/' }).publicBaseUrl, 'https://council.gov.uk/onebudget');
  });

  it('smtp needs SMTP_URL and MAIL_FROM', () => {
    const problems = problemsOf({ ...PRODUCTION, ...BASE, MAIL_TRANSPORT: 'smtp' });
    assert.ok(problems.includes('SMTP_URL is required when MAIL_TRANSPORT=smtp'));
    assert.ok(problems.includes('MAIL_FROM is required when MAIL_TRANSPORT=smtp'));
    const config = loadConfig({ ...PRODUCTION, ...BASE, MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtps://user:secret@mail.council.gov.uk:465', MAIL_FROM: 'OneBudget <no-reply@council.gov.uk>' });
    assert.equal(config.mail.smtpUrl, 'smtps://user:secret@mail.council.gov.uk:465');
    assert.equal(config.mail.from, 'OneBudget <no-reply@council.gov.uk>');
    assert.equal(config.mail.notifyApiKey, undefined);
  });

  it('notify needs an API key and a template id, and never repeats the key in a message', () => {
    const problems = problemsOf({ ...PRODUCTION, ...BASE, MAIL_TRANSPORT: 'notify' });
    assert.ok(problems.includes('NOTIFY_API_KEY is required when MAIL_TRANSPORT=notify'));
    assert.ok(problems.some((p) => p.startsWith('NOTIFY_TEMPLATE_ID is required when MAIL_TRANSPORT=notify')));
    const bad = problemsOf({ ...PRODUCTION, ...BASE, MAIL_TRANSPORT: 'notify', NOTIFY_API_KEY: 'not-a-key-secret123', NOTIFY_TEMPLATE_ID: 'template' });
    assert.ok(bad.some((p) => p.startsWith('NOTIFY_API_KEY is not a GOV.UK Notify API key')));
    assert.ok(bad.includes('NOTIFY_TEMPLATE_ID must be a template id (a UUID)'));
    assert.ok(bad.every((p) => !p.includes('secret123')), 'the key is not echoed');
    const config = loadConfig({ ...PRODUCTION, ...BASE, MAIL_TRANSPORT: 'notify', NOTIFY_API_KEY: NOTIFY_KEY, NOTIFY_TEMPLATE_ID: TEMPLATE });
    assert.equal(config.mail.transport, 'notify');
    assert.equal(config.mail.notifyApiKey, NOTIFY_KEY);
    assert.equal(config.mail.notifyTemplateId, TEMPLATE);
  });

  it('rejects bad values instead of silently using a default', () => {
    for (const env of [
      { MAIL_TRANSPORT: 'pigeon' },
      { SMTP_URL: 'http://mail.example.com' },
      { MAIL_FROM: 'not an address' },
      { PUBLIC_BASE_URL: 'onebudget.example.com' },
      { PUBLIC_BASE_URL: 'ftp://onebudget.example.com' },
      { PUBLIC_BASE_URL: 'https://onebudget.example.com/?x=1' },
    ]) {
      assert.throws(() => loadConfig(env), ConfigError, JSON.stringify(env));
    }
  });
});
