/** Validation for the sign-in form: errors as content, in the order of the fields. */
export interface FieldError {
  readonly field: string;
  readonly text: string;
}

export function validateSignIn(body: Record<string, unknown>): { email: string; password: string; errors: FieldError[] } {
  const email = typeof body.email === 'string' ? body.email.trim() : '';
  const password = typeof body.password === 'string' ? body.password : '';
  const errors: FieldError[] = [];
  if (email === '') errors.push({ field: 'email', text: 'Enter your email address' });
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    errors.push({ field: 'email', text: 'Enter an email address in the correct format, like name@example.com' });
  }
  if (password === '') errors.push({ field: 'password', text: 'Enter your password' });
  return { email, password, errors };
}

/** Only a path on this site: never another host (no open redirects). */
export function safeReturnTo(value: string | undefined): string | undefined {
  if (value === undefined || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  return value;
}

/** The 6-digit code from an authenticator app: spaces and dashes some apps show are allowed. */
export function validateAuthenticatorCode(body: Record<string, unknown>, emptyMessage: string): { code: string; errors: FieldError[] } {
  const code = typeof body.code === 'string' ? body.code.replace(/[\s-]+/g, '') : '';
  const errors: FieldError[] = [];
  if (code === '') errors.push({ field: 'code', text: emptyMessage });
  else if (!/^\d{6}$/.test(code)) errors.push({ field: 'code', text: 'The code must be 6 digits' });
  return { code, errors };
}

/** A recovery code as typed; whether it is one is for the service to say. */
export function validateRecoveryCode(body: Record<string, unknown>): { code: string; errors: FieldError[] } {
  const code = typeof body.code === 'string' ? body.code.trim() : '';
  const errors: FieldError[] = [];
  if (code === '') errors.push({ field: 'code', text: 'Enter a recovery code' });
  return { code, errors };
}
