/**
 * Encryption at rest for the few secrets the server must be able to read back: staff members'
 * authenticator (TOTP) secrets. AES-256-GCM with a key derived from SESSION_SECRET by HKDF-SHA-256,
 * a fresh 96-bit nonce each time, and the owner of the secret bound in as additional data, so that
 * a sealed secret copied onto another account does not open. Sealed text: "v1." + base64url(nonce,
 * tag, ciphertext). See docs/decisions/0005-staff-mfa.md.
 */
import crypto from 'node:crypto';

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretBox {
  /** Encrypts `plaintext` for `owner` (for example "staff:<id>"). */
  seal(plaintext: string, owner: string): string;
  /** The plaintext, or undefined if the text was not sealed for this owner with this key. */
  open(sealed: string, owner: string): string | undefined;
}

export function secretBox(sessionSecret: string): SecretBox {
  const key = Buffer.from(crypto.hkdfSync('sha256', sessionSecret, 'onebudget', 'onebudget/secret-box/v1', 32));
  return {
    seal(plaintext, owner) {
      const nonce = crypto.randomBytes(NONCE_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(Buffer.from(owner, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${VERSION}.${Buffer.concat([nonce, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
    },
    open(sealed, owner) {
      const [version, body] = sealed.split('.');
      if (version !== VERSION || body === undefined) return undefined;
      const bytes = Buffer.from(body, 'base64url');
      if (bytes.length <= NONCE_BYTES + TAG_BYTES) return undefined;
      try {
        const decipher = crypto.createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE_BYTES));
        decipher.setAAD(Buffer.from(owner, 'utf8'));
        decipher.setAuthTag(bytes.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** The owner names the secret box binds sealed secrets to. */
export const sealedFor = {
  staffTotp: (accountId: string) => `staff-totp:${accountId}`,
  pendingEnrolment: (idHash: string) => `pending-enrolment:${idHash}`,
} as const;
