import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.ts';

const ENTRA = {
  OIDC_ISSUER: 'https://login.microsoftonline.com/4f2a7c1e-0000-4000-8000-000000000001/v2.0',
  OIDC_CLIENT_ID: '9d1c6a52-0000-4000-8000-000000000002',
  OIDC_CLIENT_SECRET: 'a-client-secret',
  OIDC_COUNCIL: 'northam',
};
const PRODUCTION = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'x'.repeat(40),
  DATABASE_URL: 'postgres://onebudget@db.internal:5432/onebudget',
  MAIL_TRANSPORT: 'smtp',
  SMTP_URL: 'smtp://mail.internal:25',
  MAIL_FROM: 'no-reply@northam.gov.uk',
  PUBLIC_BASE_URL: 'https://onebudget.northam.gov.uk',
};

/** The problems a configuration is refused for. */
function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('single sign-on configuration (OIDC_*)', () => {
  it('is off when none of it is set', () => {
    assert.equal(loadConfig({}).oidc, undefined);
    assert.equal(loadConfig(PRODUCTION).oidc, undefined, 'and production does not need it');
  });

  it('reads a complete configuration, with the defaults', () => {
    const oidc = loadConfig({ ...ENTRA, PUBLIC_BASE_URL: 'https://onebudget.example.gov.uk/' }).oidc;
    assert.deepEqual(oidc, {
      issuer: ENTRA.OIDC_ISSUER,
      clientId: ENTRA.OIDC_CLIENT_ID,
      clientSecret: 'a-client-secret',
      redirectUri: 'https://onebudget.example.gov.uk/sign-in/oidc/callback',
      displayName: 'Sign in with your council account',
      councilSlug: 'northam',
      requireMfa: true,
      emailClaim: 'email',
      allowInsecureRequests: false,
    });
  });

  it('builds the redirect URI from PUBLIC_BASE_URL', () => {
    assert.equal(loadConfig({ ...ENTRA, PORT: '4000' }).oidc?.redirectUri, 'http://127.0.0.1:4000/sign-in/oidc/callback');
    assert.equal(loadConfig({ ...PRODUCTION, ...ENTRA }).oidc?.redirectUri, 'https://onebudget.northam.gov.uk/sign-in/oidc/callback');
  });

  it('takes the button text, the MFA rule and the email claim', () => {
    const oidc = loadConfig({ ...ENTRA, OIDC_DISPLAY_NAME: 'Sign in with Northam Microsoft account', OIDC_REQUIRE_MFA: 'false', OIDC_EMAIL_CLAIM: 'preferred_username' }).oidc;
    assert.equal(oidc?.displayName, 'Sign in with Northam Microsoft account');
    assert.equal(oidc?.requireMfa, false);
    assert.equal(oidc?.emailClaim, 'preferred_username');
    assert.equal(loadConfig({ ...ENTRA, OIDC_EMAIL_CLAIM: 'upn' }).oidc?.emailClaim, 'upn');
  });

  it('needs the issuer, client id and secret together', () => {
    for (const missing of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const) {
      const env = Object.fromEntries(Object.entries(ENTRA).filter(([name]) => name !== missing));
      const found = problems(env);
      assert.equal(found.length, 1, `${missing}: ${found.join('; ')}`);
      assert.match(found[0] ?? '', new RegExp(`${missing} is missing`));
    }
    assert.match(problems({ OIDC_CLIENT_SECRET: 'secret' })[0] ?? '', /OIDC_ISSUER and OIDC_CLIENT_ID are missing/);
  });

  it('refuses other OIDC_ settings without the three', () => {
    assert.match(problems({ OIDC_COUNCIL: 'northam', OIDC_REQUIRE_MFA: 'false' })[0] ?? '', /OIDC_COUNCIL, OIDC_REQUIRE_MFA set without OIDC_ISSUER/);
  });

  it('needs OIDC_COUNCIL, as a council slug', () => {
    const withoutCouncil = Object.fromEntries(Object.entries(ENTRA).filter(([name]) => name !== 'OIDC_COUNCIL'));
    assert.match(problems(withoutCouncil)[0] ?? '', /OIDC_COUNCIL is required/);
    assert.match(problems({ ...ENTRA, OIDC_COUNCIL: 'Northam City' })[0] ?? '', /OIDC_COUNCIL must be a council slug/);
  });

  it('requires an https issuer in production', () => {
    assert.deepEqual(problems({ ...PRODUCTION, ...ENTRA }), []);
    const found = problems({ ...PRODUCTION, ...ENTRA, OIDC_ISSUER: 'http://127.0.0.1:8080/realms/northam' });
    assert.deepEqual(found, ['OIDC_ISSUER must start with https:// in production']);
  });

  it('allows plain http outside production only for a provider on this machine, and only then allows insecure requests', () => {
    for (const issuer of ['http://127.0.0.1:8080/realms/northam', 'http://localhost:8080', 'http://[::1]:8080']) {
      const oidc = loadConfig({ ...ENTRA, NODE_ENV: 'test', OIDC_ISSUER: issuer }).oidc;
      assert.equal(oidc?.allowInsecureRequests, true, issuer);
    }
    assert.match(problems({ ...ENTRA, OIDC_ISSUER: 'http://idp.northam.gov.uk' })[0] ?? '', /OIDC_ISSUER must start with https:\/\//);
    assert.equal(loadConfig(ENTRA).oidc?.allowInsecureRequests, false);
  });

  it('rejects bad values instead of silently using a default', () => {
    for (const [env, pattern] of [
      [{ OIDC_ISSUER: 'login.microsoftonline.com/tenant' }, /OIDC_ISSUER must be the provider's issuer address/],
      [{ OIDC_ISSUER: 'https://idp.example/?tenant=1' }, /no query, fragment or credentials/],
      [{ OIDC_REQUIRE_MFA: 'sometimes' }, /OIDC_REQUIRE_MFA must be true or false/],
      [{ OIDC_EMAIL_CLAIM: 'mail' }, /OIDC_EMAIL_CLAIM must be one of email, preferred_username, upn/],
      [{ OIDC_DISPLAY_NAME: 'x'.repeat(61) }, /OIDC_DISPLAY_NAME must be at most 60 characters/],
    ] as const) {
      const found = problems({ ...ENTRA, ...env });
      assert.ok(found.some((p) => pattern.test(p)), `${JSON.stringify(env)}: ${found.join('; ')}`);
    }
  });
});
