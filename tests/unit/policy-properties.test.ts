/** Properties of the access policy over random actors and records (fast-check). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mayDo, type Action, type Actor, type PersonAccessFacts } from '../../src/domain/access/policy.ts';
import type { StaffRole } from '../../src/db/schema.ts';

const councils = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
const staff = ['a0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000002', 'a0000000-0000-4000-8000-000000000003'];
const ROLES: readonly StaffRole[] = ['caseworker', 'approver', 'finance_officer', 'commissioner', 'administrator'];
const ACTIONS: readonly Action[] = ['people:list', 'person:view', 'person:export', 'audit:search'];

const actorArb: fc.Arbitrary<Actor> = fc.record({
  staffId: fc.constantFrom(...staff),
  councilId: fc.constantFrom(...councils),
  councilSlug: fc.constant('x'),
  councilName: fc.constant('X'),
  role: fc.constantFrom(...ROLES),
  displayName: fc.constant('Someone'),
});
const recordArb: fc.Arbitrary<PersonAccessFacts> = fc.record({
  councilId: fc.constantFrom(...councils),
  restricted: fc.boolean(),
  leadWorkerId: fc.option(fc.constantFrom(...staff), { nil: null }),
});
const actionArb = fc.constantFrom(...ACTIONS);

describe('the access policy, for any actor and any record', () => {
  it('never allows anything on another council’s record', () => {
    fc.assert(
      fc.property(actorArb, recordArb, actionArb, (actor, record, action) => {
        fc.pre(record.councilId !== actor.councilId);
        assert.equal(mayDo(actor, action, record), false);
      }),
    );
  });

  it('opens a restricted record for viewing only to the worker named on it', () => {
    fc.assert(
      fc.property(actorArb, recordArb, (actor, record) => {
        fc.pre(record.restricted);
        if (mayDo(actor, 'person:view', record)) assert.equal(record.leadWorkerId, actor.staffId);
      }),
    );
  });

  it('never shows a commissioner an individual record', () => {
    fc.assert(
      fc.property(actorArb, recordArb, actionArb, (actor, record, action) => {
        fc.pre(actor.role === 'commissioner');
        assert.equal(mayDo(actor, action, record), false);
      }),
    );
  });

  it('allows on a record only what the actor’s role allows at all', () => {
    fc.assert(
      fc.property(actorArb, recordArb, actionArb, (actor, record, action) => {
        if (mayDo(actor, action, record)) assert.equal(mayDo(actor, action), true);
      }),
    );
  });

  it('allows an unrestricted record of the actor’s own council whenever the role allows the action', () => {
    fc.assert(
      fc.property(actorArb, recordArb, actionArb, (actor, record, action) => {
        const own = { ...record, councilId: actor.councilId, restricted: false };
        assert.equal(mayDo(actor, action, own), mayDo(actor, action));
      }),
    );
  });
});
