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
