import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fc from 'fast-check';
import {
  checkTotp,
  groupInFours,
  isTotpSecret,
  nextUsableStep,
  otpauthUri,
  secondsLeftInStep,
  totpCode,
  totpStep,
} from '../../src/domain/identity/totp.ts';
import { generateRecoveryCodes, normaliseRecoveryCode, RECOVERY_CODE_COUNT } from '../../src/domain/identity/recovery-codes.ts';
import { attemptWindowStart, isThrottled, MAX_FAILED_ATTEMPTS, normaliseEmail } from '../../src/domain/identity/sign-in.ts';
import { sealedFor, secretBox } from '../../src/services/secret-box.ts';
import { DEMO_TOTP_SECRET } from '../../src/demo/accounts.ts';
import { fixedClock } from '../../src/clock.ts';

// RFC 6238 appendix B: the SHA-1 test key is the ASCII "12345678901234567890" (base32 below), and its
// 8-digit codes end with these 6 digits at these times.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: readonly [number, string][] = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
  [20000000000, '353130'],
];

const at = (isoOrSeconds: string | number) => (typeof isoOrSeconds === 'number' ? new Date(isoOrSeconds * 1000) : new Date(isoOrSeconds));
/** A fake clock's instant, `seconds` after a moment exactly at the start of a 30-second step. */
const STEP_START = at('2026-11-20T10:00:00Z');
const later = (seconds: number) => fixedClock(new Date(STEP_START.getTime() + seconds * 1000)).now();

describe('authenticator codes (RFC 6238 TOTP)', () => {
  it('makes the codes of the RFC 6238 test vectors: SHA-1, 30 seconds, the last 6 digits', () => {
    for (const [seconds, code] of RFC_VECTORS) assert.equal(totpCode(RFC_SECRET, totpStep(at(seconds))), code, String(seconds));
  });

  it('accepts the code of now, and of one step either side for clocks that drift, and no further', () => {
    const code = (stepOffset: number) => totpCode(DEMO_TOTP_SECRET, totpStep(STEP_START) + stepOffset);
    const now = later(10);
    assert.deepEqual(checkTotp(DEMO_TOTP_SECRET, code(0), now, null), { ok: true, step: totpStep(STEP_START) });
    assert.deepEqual(checkTotp(DEMO_TOTP_SECRET, code(-1), now, null), { ok: true, step: totpStep(STEP_START) - 1 });
    assert.deepEqual(checkTotp(DEMO_TOTP_SECRET, code(1), now, null), { ok: true, step: totpStep(STEP_START) + 1 });
    assert.deepEqual(checkTotp(DEMO_TOTP_SECRET, code(2), now, null), { ok: false, reason: 'wrong' });
    assert.deepEqual(checkTotp(DEMO_TOTP_SECRET, code(-2), now, null), { ok: false, reason: 'wrong' });
  });

  it('keeps accepting a code while the fake clock moves through its window, then refuses it', () => {
    const code = totpCode(DEMO_TOTP_SECRET, totpStep(STEP_START));
    for (const seconds of [-30, -1, 0, 29, 30, 59]) assert.equal(checkTotp(DEMO_TOTP_SECRET, code, later(seconds), null).ok, true, `${seconds} s`);
    for (const seconds of [-31, 60, 90]) assert.equal(checkTotp(DEMO_TOTP_SECRET, code, later(seconds), null).ok, false, `${seconds} s`);
  });

  it('refuses a code used already, and any earlier one, within the window', () => {
    const step = totpStep(STEP_START);
    const now = later(5);
    assert.deepEqual(checkTotp(DEMO_TOTP_SECRET, totpCode(DEMO_TOTP_SECRET, step), now, step), { ok: false, reason: 'reused' });
    assert.deepEqual(checkTotp(DEMO_TOTP_SECRET, totpCode(DEMO_TOTP_SECRET, step - 1), now, step), { ok: false, reason: 'reused' });
    assert.deepEqual(checkTotp(DEMO_TOTP_SECRET, totpCode(DEMO_TOTP_SECRET, step + 1), now, step), { ok: true, step: step + 1 });
  });

  it('never accepts the same code twice, whatever the order and timing of attempts', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -40, max: 40 })), { maxLength: 20 }), (attempts) => {
        let last: number | null = null;
        const accepted: number[] = [];
        for (const [offset, seconds] of attempts) {
          const check = checkTotp(DEMO_TOTP_SECRET, totpCode(DEMO_TOTP_SECRET, totpStep(STEP_START) + offset), later(seconds), last);
          if (check.ok) {
            accepted.push(check.step);
            last = check.step;
          }
        }
        assert.equal(new Set(accepted).size, accepted.length);
      }),
    );
  });

  it('tells a code in the wrong form from a wrong code, and ignores spaces and dashes', () => {
    const code = totpCode(DEMO_TOTP_SECRET, totpStep(STEP_START));
    assert.equal(checkTotp(DEMO_TOTP_SECRET, `${code.slice(0, 3)} ${code.slice(3)}`, later(1), null).ok, true);
    assert.equal(checkTotp(DEMO_TOTP_SECRET, `${code.slice(0, 3)}-${code.slice(3)}`, later(1), null).ok, true);
    for (const input of ['', '12345', '1234567', 'abcdef']) assert.deepEqual(checkTotp(DEMO_TOTP_SECRET, input, later(1), null), { ok: false, reason: 'format' });
  });

  it('says which code the demo may show next: now, the next one once now is used, then none', () => {
    const step = totpStep(STEP_START);
    assert.equal(nextUsableStep(later(1), null), step);
    assert.equal(nextUsableStep(later(1), step - 5), step);
    assert.equal(nextUsableStep(later(1), step), step + 1);
    assert.equal(nextUsableStep(later(1), step + 1), undefined);
    assert.equal(secondsLeftInStep(later(1)), 29);
  });

  it('publishes a demo secret of the right size, and puts secrets into otpauth addresses for QR codes', () => {
    assert.ok(isTotpSecret(DEMO_TOTP_SECRET));
    assert.equal(groupInFours('ABCDEFGHIJKL'), 'ABCD EFGH IJKL');
    const uri = new URL(otpauthUri(DEMO_TOTP_SECRET, { issuer: 'OneBudget', account: 'caseworker@northam.example' }));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/OneBudget:caseworker@northam.example');
    assert.equal(uri.searchParams.get('secret'), DEMO_TOTP_SECRET);
    assert.equal(uri.searchParams.get('issuer'), 'OneBudget');
    assert.equal(uri.searchParams.get('algorithm'), 'SHA1');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
  });
});

describe('recovery codes', () => {
  it('makes ten different codes of 16 characters without look-alikes, in groups of four', () => {
    const codes = generateRecoveryCodes((max) => crypto.randomInt(max));
    assert.equal(codes.length, RECOVERY_CODE_COUNT);
    assert.equal(new Set(codes).size, RECOVERY_CODE_COUNT);
    for (const code of codes) assert.match(code, /^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$/);
  });

  it('reads a code back however it is typed: capitals, spaces or no dashes', () => {
    const [code] = generateRecoveryCodes((max) => crypto.randomInt(max));
    assert.ok(code);
    const plain = code.replaceAll('-', '');
    assert.equal(normaliseRecoveryCode(code), plain);
    assert.equal(normaliseRecoveryCode(` ${code.toUpperCase().replaceAll('-', ' ')} `), plain);
    assert.equal(normaliseRecoveryCode(plain), plain);
    assert.equal(normaliseRecoveryCode('abcd-efgh'), undefined);
    assert.equal(normaliseRecoveryCode('0000-1111-llll-oooo'), undefined);
  });
});

describe('sign-in throttling rules', () => {
  it('allows 10 failed attempts per account and per address in 5 minutes, and refuses the 11th', () => {
    assert.equal(MAX_FAILED_ATTEMPTS, 10);
    assert.equal(isThrottled({ forAccount: 9, fromAddress: 9 }), false);
    assert.equal(isThrottled({ forAccount: 10, fromAddress: 0 }), true);
    assert.equal(isThrottled({ forAccount: 0, fromAddress: 10 }), true);
    assert.equal(attemptWindowStart(STEP_START).toISOString(), '2026-11-20T09:55:00.000Z');
    assert.equal(normaliseEmail('  Worker@Alpha.TEST '), 'worker@alpha.test');
  });
});

describe('the secret box (authenticator secrets at rest)', () => {
  const box = secretBox('a-session-secret-of-at-least-32-characters');

  it('opens what it sealed, for the same owner only, and never stores the plain text', () => {
    const sealed = box.seal(DEMO_TOTP_SECRET, sealedFor.staffTotp('staff-1'));
    assert.doesNotMatch(sealed, new RegExp(DEMO_TOTP_SECRET));
    assert.match(sealed, /^v1\./);
    assert.equal(box.open(sealed, sealedFor.staffTotp('staff-1')), DEMO_TOTP_SECRET);
    assert.equal(box.open(sealed, sealedFor.staffTotp('staff-2')), undefined, 'copied onto another account, it does not open');
  });

  it('seals the same secret differently each time, and refuses tampering or another key', () => {
    const owner = sealedFor.staffTotp('staff-1');
    const sealed = box.seal(DEMO_TOTP_SECRET, owner);
    assert.notEqual(box.seal(DEMO_TOTP_SECRET, owner), sealed);
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    assert.equal(box.open(`v1.${bytes.toString('base64url')}`, owner), undefined);
    assert.equal(secretBox('another-session-secret-of-32-characters!!').open(sealed, owner), undefined);
    assert.equal(box.open('not sealed at all', owner), undefined);
  });
});
