import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { Schema } from '../../src/db/schema.ts';
import { reusable, reusableNamed } from '../../src/db/reusable.ts';

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

describe('a query built once with named placeholders', () => {
  const A = '\u0000a';
  const B = '\u0000b';
  it('binds each name wherever its placeholder appears, in the query’s own order', () => {
    const compiled = db.selectFrom('accounts').select('id').where('id', '=', B).where('council_id', '=', A).where('provider_id', '=', B).compile();
    const query = reusableNamed(compiled, { a: A, b: B });
    assert.deepEqual(query({ a: 'council', b: 'account' }).parameters, ['account', 'council', 'account']);
  });

  it('refuses a parameter that is not a placeholder, and placeholders that are not distinct', () => {
    const withConstant = db.selectFrom('accounts').select('id').where('kind', '=', 'staff').where('id', '=', A).compile();
    assert.throws(() => reusableNamed(withConstant, { a: A }), /only its placeholders/);
    const compiled = db.selectFrom('accounts').select('id').where('id', '=', A).compile();
    assert.throws(() => reusableNamed(compiled, { a: A, b: A }), /distinct/);
  });
});
