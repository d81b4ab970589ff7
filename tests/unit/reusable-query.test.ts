import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { Schema } from '../../src/db/schema.ts';
import { reusable } from '../../src/db/reusable.ts';

// Compiling needs the dialect only, never a connection.
const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: {} as pg.Pool }) });
const HASH = '\u0000hash';

describe('a query built once and run with new values', () => {
  it('runs with the values given, in the placeholders’ places', () => {
    const query = reusable(db.selectFrom('sessions').select('account_id').where('id_hash', '=', HASH).compile(), [HASH]);
    const first = query(['abc']);
    const second = query(['def']);
    assert.deepEqual(first.parameters, ['abc']);
    assert.deepEqual(second.parameters, ['def']);
    assert.equal(first.sql, second.sql);
  });

  it('refuses a query whose parameters are not exactly its placeholders', () => {
    // A constant the builder made a parameter would otherwise be bound to a caller's value.
    const withConstant = db.selectFrom('accounts').select('id').where('kind', '=', 'staff').where('id', '=', HASH).compile();
    assert.throws(() => reusable(withConstant, [HASH]), /exactly its placeholders/);
    const twice = db.selectFrom('accounts').select('id').where('id', '=', HASH).where('council_id', '=', HASH).compile();
    assert.throws(() => reusable(twice, [HASH]), /exactly its placeholders/);
  });

  it('refuses to run with the wrong number of values', () => {
    const query = reusable(db.selectFrom('sessions').select('account_id').where('id_hash', '=', HASH).compile(), [HASH]);
    assert.throws(() => query([]), /takes 1 values/);
  });
});
