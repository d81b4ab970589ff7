import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  checkPassword,
  commonPasswordList,
  deniedBecause,
  MAX_LENGTH,
  MIN_LENGTH,
  MIN_LENGTH_WITH_MFA,
} from '../../src/domain/identity/password-policy.ts';
import { DEMO_PASSWORD } from '../../src/demo/accounts.ts';
import { FIXTURE_PASSWORD } from '../support/fixtures.ts';

const list = [...commonPasswordList()];
const codePoints = (s: string) => [...s].length;

/** The same text with the letters whose flag is set in upper case. */
const inCase = (text: string, upper: readonly boolean[]) =>
  [...text].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join('');

describe('the password policy', () => {
  it('ships a deny-list of the 10,000 most common passwords, in lower case', () => {
    assert.equal(list.length, 10_000);
    assert.ok(list.includes('password') && list.includes('123456') && list.includes('iloveyou'));
    assert.ok(list.every((p) => p === p.toLowerCase() && p.trim() === p && p !== ''));
  });

  it('asks for 12 characters, or 8 when the account has multi-factor authentication, and at most 128', () => {
    assert.deepEqual(checkPassword('', { hasMfa: true }), { ok: false, problem: 'missing', message: 'Enter a password' });
    assert.equal(checkPassword('zebra orbit', { hasMfa: true }).ok, true);
    assert.deepEqual(checkPassword('kestrel', { hasMfa: true }), {
      ok: false,
      problem: 'too-short',
      message: 'Password must be 8 characters or more',
    });
    assert.deepEqual(checkPassword('zebra orbit', { hasMfa: false }), {
      ok: false,
      problem: 'too-short',
      message: 'Password must be 12 characters or more',
    });
    assert.equal(checkPassword('zebra orbit lantern'.padEnd(MAX_LENGTH, 'q'), { hasMfa: false }).ok, true);
    assert.deepEqual(checkPassword('zebra orbit lantern'.padEnd(MAX_LENGTH + 1, 'q'), { hasMfa: false }), {
      ok: false,
      problem: 'too-long',
      message: 'Password must be 128 characters or fewer',
    });
  });

  it('counts characters, not bytes: 12 emoji are 12 characters', () => {
    assert.equal(checkPassword('🦊🐝🌵🎻🚲🍋🦔🌈🎲🧩🪁🛶', { hasMfa: false }).ok, true);
    assert.equal(checkPassword('🦊🐝🌵🎻🚲🍋🦔🌈🎲🧩🪁', { hasMfa: false }).ok, false);
  });

  it('accepts the demo password and the test fixtures’ password', () => {
    assert.deepEqual(checkPassword(DEMO_PASSWORD, { hasMfa: false }), { ok: true });
    assert.deepEqual(checkPassword(FIXTURE_PASSWORD, { hasMfa: false }), { ok: true });
  });

  it('refuses common passwords, and common passwords with only digits or symbols added', () => {
    for (const password of ['iloveyou', 'Sunshine2026!', 'monkey123456', '!!football!!', 'P@ssw0rd1', 'qwerty123456']) {
      assert.equal(checkPassword(password, { hasMfa: true }).ok, false, password);
    }
  });

  it('refuses the name of the service, "password" and the like, however decorated', () => {
    for (const password of ['OneBudget2026!', 'one-budget-2026', 'onebudget', 'PASSWORD1234', 'p4ssw0rd!!', 'Welcome2026!!']) {
      const check = checkPassword(password, { hasMfa: true });
      assert.equal(check.ok, false, password);
      assert.ok(!check.ok && ['service', 'common'].includes(check.problem), password);
    }
  });

  it('refuses repeated characters and runs along the alphabet, the digits or the keyboard', () => {
    for (const password of ['aaaaaaaaaaaa', 'abcabcabcabc', '121212121212', '123456789012', '987654321098', 'abcdefghijklm', 'qwertyuiopas']) {
      const check = checkPassword(password, { hasMfa: false });
      assert.ok(!check.ok && check.problem === 'pattern', password);
    }
  });

  it('refuses a password made of the person’s own email address or name', () => {
    const personalWords = ['priya.shah@northam.example', 'Priya Shah'];
    for (const password of ['priya.shah2026', 'PriyaShah!!!', 'priya.shah@northam.example']) {
      const check = checkPassword(password, { hasMfa: true, personalWords });
      assert.ok(!check.ok && check.problem === 'personal', password);
    }
    assert.equal(checkPassword('priya plants tall sunflowers', { hasMfa: true, personalWords }).ok, true);
  });

  it('explains a refusal in plain English, saying how to do better', () => {
    const check = checkPassword('Sunshine2026!', { hasMfa: true });
    assert.ok(!check.ok);
    assert.match(check.message, /^Choose a password that is harder to guess/);
  });

  it('has no composition rules: any string of 12 or more characters that is not on the deny-list passes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ minLength: MIN_LENGTH, maxLength: MAX_LENGTH }),
          fc.string({ minLength: MIN_LENGTH, maxLength: MAX_LENGTH, unit: 'binary' }),
          fc.stringMatching(/^[a-z]{12,40}$/),
        ),
        (password) => {
          fc.pre(codePoints(password) >= MIN_LENGTH && codePoints(password) <= MAX_LENGTH);
          fc.pre(deniedBecause(password) === undefined);
          assert.deepEqual(checkPassword(password, { hasMfa: false }), { ok: true });
          assert.deepEqual(checkPassword(password, { hasMfa: true }), { ok: true });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses every deny-listed password in any letter case', () => {
    const variant = fc
      .constantFrom(...list)
      .chain((entry) => fc.array(fc.boolean(), { minLength: entry.length, maxLength: entry.length }).map((upper) => inCase(entry, upper)));
    fc.assert(
      fc.property(variant, (password) => {
        const check = checkPassword(password, { hasMfa: true });
        assert.equal(check.ok, false, password);
        if (codePoints(password) >= MIN_LENGTH_WITH_MFA) assert.ok(!check.ok && check.problem !== 'too-short', password);
        assert.notEqual(deniedBecause(password), undefined, password);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses every deny-listed password of 8 characters or more, each one, as it is and in upper case', () => {
    for (const entry of list.filter((p) => codePoints(p) >= MIN_LENGTH_WITH_MFA)) {
      assert.equal(checkPassword(entry, { hasMfa: true }).ok, false, entry);
      assert.equal(checkPassword(entry.toUpperCase(), { hasMfa: true }).ok, false, entry);
    }
  });
});
