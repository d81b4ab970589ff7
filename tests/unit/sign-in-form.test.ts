import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { safeReturnTo, validateAuthenticatorCode, validateRecoveryCode, validateSignIn } from '../../src/web/pages/sign-in/form.ts';

describe('the sign-in form', () => {
  it('asks for each missing field, in the order of the form', () => {
    assert.deepEqual(
      validateSignIn({}).errors.map((e) => e.field),
      ['email', 'password'],
    );
  });

  it('explains an email address in the wrong format', () => {
    assert.match(validateSignIn({ email: 'sam', password: 'x' }).errors[0]?.text ?? '', /correct format/);
  });

  it('keeps the typed email, trimmed', () => {
    assert.equal(validateSignIn({ email: '  sam@example.com ', password: 'x' }).email, 'sam@example.com');
  });

  it('only returns people to a page on this site after sign-in', () => {
    assert.equal(safeReturnTo('/people?stage=review'), '/people?stage=review');
    for (const bad of ['https://evil.example', '//evil.example', '/\\evil.example', 'people', undefined]) {
      assert.equal(safeReturnTo(bad), undefined, String(bad));
    }
  });

  it('asks for the authenticator code, and for 6 digits, allowing the spaces some apps show', () => {
    assert.deepEqual(validateAuthenticatorCode({}, 'Enter the code').errors, [{ field: 'code', text: 'Enter the code' }]);
    assert.deepEqual(validateAuthenticatorCode({ code: '12345' }, 'Enter the code').errors, [{ field: 'code', text: 'The code must be 6 digits' }]);
    assert.deepEqual(validateAuthenticatorCode({ code: ' 123 456 ' }, 'Enter the code'), { code: '123456', errors: [] });
  });

  it('asks for a recovery code', () => {
    assert.deepEqual(validateRecoveryCode({ code: '  ' }).errors, [{ field: 'code', text: 'Enter a recovery code' }]);
    assert.deepEqual(validateRecoveryCode({ code: ' abcd-efgh-jkmn-pqrs ' }), { code: 'abcd-efgh-jkmn-pqrs', errors: [] });
  });
});
