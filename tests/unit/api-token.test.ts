/** The API token format: what is made, what is accepted, what is kept. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  API_TOKEN_MAX_DAYS,
  apiTokenExpiry,
  apiTokenSecretHash,
  apiTokenStatus,
  formatApiToken,
  newApiToken,
  parseApiToken,
  shouldRecordUse,
} from '../../src/domain/identity/api-token.ts';
import { bearerToken } from '../../src/web/api-auth.ts';
import { readIssueForm } from '../../src/web/pages/api-tokens/form.ts';

const random = (size: number) => crypto.randomBytes(size);

describe('API tokens', () => {
  it('reads obt_<22-character id>_<43-character secret>, 70 characters of base64url', () => {
    const fresh = newApiToken(random);
    assert.match(fresh.token, /^obt_[A-Za-z0-9_-]{22}_[A-Za-z0-9_-]{43}$/);
    assert.equal(fresh.token.length, 70);
    assert.match(fresh.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a version 4 UUID');
  });

  it('carries its row id (not secret) and a secret of 256 random bits', () => {
    const fresh = newApiToken(random);
    const parsed = parseApiToken(fresh.token);
    assert.ok(parsed);
    assert.equal(parsed.id, fresh.id);
    assert.equal(Buffer.from(parsed.secret, 'base64url').length, 32);
    assert.equal(formatApiToken(parsed.id, parsed.secret), fresh.token);
  });

  it('keeps only the SHA-256 of the secret (hex) and a short prefix that reveals nothing of the secret', () => {
    const fresh = newApiToken(random);
    const parsed = parseApiToken(fresh.token);
    assert.ok(parsed);
    assert.equal(fresh.secretHash, crypto.createHash('sha256').update(parsed.secret).digest('hex'));
    assert.equal(fresh.secretHash, apiTokenSecretHash(parsed.secret));
    assert.match(fresh.prefix, /^obt_[A-Za-z0-9_-]{8}$/);
    assert.ok(fresh.token.startsWith(fresh.prefix));
    assert.equal(fresh.prefix, fresh.token.slice(0, 12), 'the prefix is taken from the id part, never the secret');
  });

  it('never makes the same token twice', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => newApiToken(random).token));
    assert.equal(tokens.size, 200);
  });

  it('refuses anything that is not exactly a token', () => {
    const { token } = newApiToken(random);
    for (const bad of [
      '',
      'obt_',
      token.slice(0, -1),
      `${token}A`,
      ` ${token}`,
      token.replace('obt_', 'OBT_'),
      token.replace('obt_', 'ob_'),
      token.slice(0, 26) + '.' + token.slice(27),
      `obt_${'A'.repeat(21)}B_${'A'.repeat(43)}`, // the id part is not canonical base64url of 16 bytes
      `obt_${'A'.repeat(22)}_${'A'.repeat(42)}B`, // nor the secret of 32 bytes
      `obt_${'A'.repeat(22)}_${'A'.repeat(42)}+`,
    ]) {
      assert.equal(parseApiToken(bad), undefined, JSON.stringify(bad));
    }
  });

  it('lasts 1 to 365 days from issue', () => {
    const now = new Date('2026-11-20T10:00:00Z');
    assert.equal(apiTokenExpiry(now, 90).toISOString(), '2027-02-18T10:00:00.000Z');
    assert.equal(apiTokenExpiry(now, API_TOKEN_MAX_DAYS).toISOString(), '2027-11-20T10:00:00.000Z');
    assert.throws(() => apiTokenExpiry(now, 0));
    assert.throws(() => apiTokenExpiry(now, 366));
    assert.throws(() => apiTokenExpiry(now, 1.5));
  });

  it('is active until it expires or is revoked', () => {
    const now = new Date('2026-11-20T10:00:00Z');
    const later = new Date('2026-11-21T10:00:00Z');
    assert.equal(apiTokenStatus({ expiresAt: later, revokedAt: null }, now), 'active');
    assert.equal(apiTokenStatus({ expiresAt: now, revokedAt: null }, now), 'expired');
    assert.equal(apiTokenStatus({ expiresAt: later, revokedAt: now }, now), 'revoked');
  });

  it('records a use at most once a minute', () => {
    const now = new Date('2026-11-20T10:00:00Z');
    assert.equal(shouldRecordUse(null, now), true);
    assert.equal(shouldRecordUse(new Date(now.getTime() - 59_999), now), false);
    assert.equal(shouldRecordUse(new Date(now.getTime() - 60_000), now), true);
  });
});

describe('the Authorization header', () => {
  it('gives the token of a Bearer header, whatever the letter case of the scheme', () => {
    assert.equal(bearerToken('Bearer obt_abc'), 'obt_abc');
    assert.equal(bearerToken('bearer   obt_abc  '), 'obt_abc');
    assert.equal(bearerToken('BEARER obt_abc'), 'obt_abc');
  });

  it('ignores other schemes and no header, and keeps an empty Bearer to be refused', () => {
    assert.equal(bearerToken(undefined), undefined);
    assert.equal(bearerToken('Basic dXNlcjpwYXNz'), undefined);
    assert.equal(bearerToken('Bearerobt_abc'), undefined);
    assert.equal(bearerToken('Bearer'), '');
    assert.equal(bearerToken('Bearer   '), '');
  });
});

describe('the "Issue an API token" form', () => {
  it('accepts a name, one or more scopes and a number of days', () => {
    const one = readIssueForm({ name: '  Finance system ', scopes: 'people:list', days: '30' });
    assert.deepEqual(one.ok && one.request, { name: 'Finance system', scopes: ['people:list'], days: 30 });
    const both = readIssueForm({ name: 'x', scopes: ['person:view', 'people:list'], days: '365' });
    assert.deepEqual(both.ok && both.request.scopes, ['people:list', 'person:view']);
  });

  it('explains each mistake next to its field, keeping what was typed', () => {
    const form = readIssueForm({ name: '', days: 'ninety' });
    assert.equal(form.ok, false);
    assert.deepEqual(!form.ok && form.errors.map((e) => e.field), ['name', 'scopes', 'days']);
    assert.equal(form.values.days, 'ninety');
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x'.repeat(101), scopes: 'people:list', days: '90' }, 'The name must be 100 characters or fewer'],
      [{ name: 'x', scopes: 'audit:search', days: '90' }, 'Select what the API token may do'],
      [{ name: 'x', scopes: 'people:list', days: '' }, 'Enter how many days the API token lasts'],
      [{ name: 'x', scopes: 'people:list', days: '1.5' }, 'The number of days must be a whole number, like 90'],
      [{ name: 'x', scopes: 'people:list', days: '0' }, 'The number of days must be between 1 and 365'],
      [{ name: 'x', scopes: 'people:list', days: '366' }, 'The number of days must be between 1 and 365'],
    ];
    for (const [body, message] of cases) {
      const result = readIssueForm(body);
      assert.equal(result.ok, false, JSON.stringify(body));
      assert.deepEqual(!result.ok && result.errors.map((e) => e.text), [message]);
    }
  });
});
