/** API tokens of one council (migration 0006). Never the secret: only its hash goes in, nothing of it comes out. */
import type { TenantTx } from '../tenancy.ts';
import { CLIENT_SCOPES, type ClientScope } from '../../domain/access/policy.ts';
import { API_TOKEN_USE_RESOLUTION_MS } from '../../domain/identity/api-token.ts';

export interface ApiTokenRecord {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly ClientScope[];
  readonly prefix: string;
  readonly createdAt: Date;
  readonly createdByName: string | null;
  readonly expiresAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
  readonly revokedByName: string | null;
}

export interface NewApiTokenRow {
  readonly id: string;
  readonly councilId: string;
  readonly name: string;
  readonly scopes: readonly ClientScope[];
  readonly tokenHash: string;
  readonly prefix: string;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** Only the scopes the policy knows, in its order, whatever the column holds. */
export function knownScopes(scopes: readonly string[]): ClientScope[] {
  return CLIENT_SCOPES.filter((s) => scopes.includes(s));
}

export function apiTokensRepository(tx: TenantTx) {
  const records = () =>
    tx
      .selectFrom('api_tokens as t')
      .leftJoin('accounts as c', 'c.id', 't.created_by')
      .leftJoin('accounts as r', 'r.id', 't.revoked_by')
      .select([
        't.id',
        't.name',
        't.scopes',
        't.prefix',
        't.created_at',
        'c.display_name as created_by_name',
        't.expires_at',
        't.last_used_at',
        't.revoked_at',
        'r.display_name as revoked_by_name',
      ]);
  type Row = Awaited<ReturnType<ReturnType<typeof records>['executeTakeFirstOrThrow']>>;
  const toRecord = (r: Row): ApiTokenRecord => ({
    id: r.id,
    name: r.name,
    scopes: knownScopes(r.scopes),
    prefix: r.prefix,
    createdAt: r.created_at,
    createdByName: r.created_by_name,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    revokedByName: r.revoked_by_name,
  });

  return {
    /** Newest first. */
    async list(): Promise<ApiTokenRecord[]> {
      const rows = await records().orderBy('t.created_at', 'desc').orderBy('t.id').execute();
      return rows.map(toRecord);
    },
    async find(id: string): Promise<ApiTokenRecord | undefined> {
      const row = await records().where('t.id', '=', id).executeTakeFirst();
      return row && toRecord(row);
    },
    async create(token: NewApiTokenRow): Promise<void> {
      await tx
        .insertInto('api_tokens')
        .values({
          id: token.id,
          council_id: token.councilId,
          name: token.name,
          scopes: [...token.scopes],
          token_hash: token.tokenHash,
          prefix: token.prefix,
          created_by: token.createdBy,
          created_at: token.createdAt,
          expires_at: token.expiresAt,
        })
        .execute();
    },
    /** Revokes a token that is not revoked yet; false if it already was (or does not exist). */
    async revoke(id: string, revokedBy: string, now: Date): Promise<boolean> {
      const result = await tx
        .updateTable('api_tokens')
        .set({ revoked_at: now, revoked_by: revokedBy })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    /** Records a use, unless one was recorded within the last minute. */
    async recordUse(id: string, now: Date): Promise<void> {
      await tx
        .updateTable('api_tokens')
        .set({ last_used_at: now })
        .where('id', '=', id)
        .where((eb) =>
          eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', new Date(now.getTime() - API_TOKEN_USE_RESOLUTION_MS))]),
        )
        .execute();
    },
  };
}
