import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.ts';

/** Production must send real mail (tests/unit/mail-config.test.ts checks these settings). */
const PRODUCTION_MAIL = { MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://mail.internal:587', MAIL_FROM: 'no-reply@council.gov.uk', PUBLIC_BASE_URL: 'https://onebudget.council.gov.uk' };

describe('configuration', () => {
  it('runs with no settings at all: port 3000, the embedded database in ./data, demo data on', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.dataDir, path.resolve('data'));
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.demoData, true);
    assert.equal(config.env, 'development');
  });

  it('stops a production start that has no session secret or database, naming each problem', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.some((p) => p.includes('SESSION_SECRET')) &&
        error.problems.some((p) => p.includes('DATABASE_URL')),
    );
  });

  it('accepts a complete production configuration and turns demo data off by default', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      DATABASE_URL: 'postgres://onebudget@db.internal:5432/onebudget',
      ...PRODUCTION_MAIL,
    });
    assert.equal(config.demoData, false);
    assert.equal(config.databaseUrl, 'postgres://onebudget@db.internal:5432/onebudget');
  });

  it('is in demo mode only with demo data on and never in production, even when DEMO_DATA=true', () => {
    assert.equal(loadConfig({}).demoMode, true);
    assert.equal(loadConfig({ NODE_ENV: 'test' }).demoMode, true);
    assert.equal(loadConfig({ DEMO_DATA: 'false' }).demoMode, false);
    const production = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      DATABASE_URL: 'postgres://onebudget@db.internal:5432/onebudget',
      ...PRODUCTION_MAIL,
      DEMO_DATA: 'true',
    });
    assert.equal(production.demoData, true);
    assert.equal(production.demoMode, false);
  });

  it('names OneBudget in authenticator apps unless MFA_ISSUER says otherwise', () => {
    assert.equal(loadConfig({}).mfaIssuer, 'OneBudget');
    assert.equal(loadConfig({ MFA_ISSUER: 'Northam OneBudget' }).mfaIssuer, 'Northam OneBudget');
  });

  it('rejects bad values instead of silently using a default', () => {
    for (const env of [
      { PORT: 'eighty' },
      { PORT: '70000' },
      { DATABASE_URL: 'mysql://x' },
      { SESSION_SECRET: 'short' },
      { NODE_ENV: 'staging' },
      { DEMO_DATA: 'maybe' },
      { LOG_LEVEL: 'loud' },
      { MFA_ISSUER: 'One:Budget' },
      { MFA_ISSUER: 'x'.repeat(41) },
    ]) {
      assert.throws(() => loadConfig(env), ConfigError, JSON.stringify(env));
    }
  });
});
