/**
 * API tokens for machine clients (docs/decisions/0008-api-tokens.md).
 *
 * A token reads `obt_<id>_<secret>`, 70 characters:
 *  - `obt_` says what it is ("OneBudget token"), so that people and secret scanners recognise one;
 *  - `<id>`, 22 characters, is the token's row id (a random UUID, 16 bytes) in base64url. It is not
 *    secret: it says which token a leaked or logged string is, and its first 8 characters, with
 *    `obt_`, are the prefix shown in lists;
 *  - `<secret>`, 43 characters, is 32 random bytes (256 bits) in base64url.
 * The database keeps only the SHA-256 of the secret. The secret has 256 bits of chance, so a fast
 * hash is enough (nothing to brute-force), and looking a token up by the hash of what was sent means
 * no comparison of secrets runs in time that depends on them.
 *
 * The tokens carry no council: the row they name does. Pure: randomness comes from the caller.
 */
import crypto from 'node:crypto';
import type { ClientScope } from '../access/policy.ts';

export const API_TOKEN_TAG = 'obt_';

const ID_BYTES = 16;
const SECRET_BYTES = 32;
const ID_LENGTH = 22; // base64url of 16 bytes, unpadded
const SECRET_LENGTH = 43; // base64url of 32 bytes, unpadded
const PREFIX_ID_CHARACTERS = 8;
const TOKEN = new RegExp(`^${API_TOKEN_TAG}([A-Za-z0-9_-]{${ID_LENGTH}})_([A-Za-z0-9_-]{${SECRET_LENGTH}})$`);

/** How long a new token lasts unless the administrator says otherwise, and the most it may. */
export const API_TOKEN_DEFAULT_DAYS = 90;
export const API_TOKEN_MAX_DAYS = 365;
export const API_TOKEN_NAME_MAX = 100;
/** A token's last use is recorded at most this often. */
export const API_TOKEN_USE_RESOLUTION_MS = 60_000;

/** What each scope lets a token do, in the words the pages show. */
export const API_TOKEN_SCOPE_LABELS: Readonly<Record<ClientScope, { readonly text: string; readonly hint: string }>> = {
  'people:list': {
    text: 'Search and list people',
    hint: 'Names, references, dates of birth and stages of everyone in this council',
  },
  'person:view': {
    text: 'Read a person’s full record',
    hint: 'Needs, budget and setting. Every read is recorded in the audit log. Restricted records are never shown',
  },
};

export type RandomBytes = (size: number) => Buffer;

export interface NewApiToken {
  /** The row id (a UUID). */
  readonly id: string;
  /** The whole token: shown to the administrator once, never stored. */
  readonly token: string;
  /** SHA-256 of the secret part, hex: all the database keeps of the secret. */
  readonly secretHash: string;
  /** `obt_` and the first 8 characters of the id part: shown in lists, not secret. */
  readonly prefix: string;
}

export interface ParsedApiToken {
  readonly id: string;
  readonly secret: string;
}

function uuidFromBytes(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A random version 4 UUID from 16 random bytes. */
function uuidV4(bytes: Buffer): string {
  const b = Buffer.from(bytes);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  return uuidFromBytes(b);
}

/** The base64url text of exactly `bytes` bytes, or undefined if `text` is not that (canonically). */
function decodeExactly(text: string, bytes: number): Buffer | undefined {
  const decoded = Buffer.from(text, 'base64url');
  if (decoded.length !== bytes || decoded.toString('base64url') !== text) return undefined;
  return decoded;
}

export function apiTokenSecretHash(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function apiTokenPrefix(token: string): string {
  return token.slice(0, API_TOKEN_TAG.length + PREFIX_ID_CHARACTERS);
}

export function formatApiToken(id: string, secret: string): string {
  const idPart = Buffer.from(id.replace(/-/g, ''), 'hex').toString('base64url');
  return `${API_TOKEN_TAG}${idPart}_${secret}`;
}

export function newApiToken(randomBytes: RandomBytes): NewApiToken {
  const id = uuidV4(randomBytes(ID_BYTES));
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  if (secret.length !== SECRET_LENGTH) throw new Error('an API token secret must be 32 bytes');
  const token = formatApiToken(id, secret);
  return { id, token, secretHash: apiTokenSecretHash(secret), prefix: apiTokenPrefix(token) };
}

/** The id and secret of a well-formed token, or undefined: nothing else is ever looked up. */
export function parseApiToken(text: string): ParsedApiToken | undefined {
  const match = TOKEN.exec(text);
  const idPart = match?.[1];
  const secret = match?.[2];
  if (idPart === undefined || secret === undefined) return undefined;
  const idBytes = decodeExactly(idPart, ID_BYTES);
  if (idBytes === undefined || decodeExactly(secret, SECRET_BYTES) === undefined) return undefined;
  return { id: uuidFromBytes(idBytes), secret };
}

/** When a token issued now for `days` days stops working. */
export function apiTokenExpiry(now: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 1 || days > API_TOKEN_MAX_DAYS) {
    throw new Error(`An API token lasts from 1 to ${API_TOKEN_MAX_DAYS} days, not ${days}`);
  }
  return new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
}

export type ApiTokenStatus = 'active' | 'expired' | 'revoked';

export function apiTokenStatus(token: { readonly expiresAt: Date; readonly revokedAt: Date | null }, now: Date): ApiTokenStatus {
  if (token.revokedAt !== null) return 'revoked';
  return token.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';
}

/** True when a use now should be written down (the last recorded one is a minute old or more). */
export function shouldRecordUse(lastUsedAt: Date | null, now: Date): boolean {
  return lastUsedAt === null || now.getTime() - lastUsedAt.getTime() >= API_TOKEN_USE_RESOLUTION_MS;
}
