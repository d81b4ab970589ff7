/**
 * Properties of the access policy over random actors, relationships and records (fast-check): the
 * answer always agrees with the plain-words rules below, and nothing ever crosses councils.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CLIENT_SCOPES, mayDo, type Action, type Actor, type PersonAccessFacts } from '../../src/domain/access/policy.ts';
import type { StaffRole } from '../../src/db/schema.ts';

const councils = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
const accounts = ['a0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-000000000002', 'a0000000-0000-4000-8000-000000000003'];
const providers = ['b0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000002'];
const ROLES: readonly StaffRole[] = ['caseworker', 'approver', 'finance_officer', 'commissioner', 'administrator'];
const ACTIONS: readonly Action[] = [
  'people:list',
  'my-people:list',
  'person:view',
  'person:access-log',
  'person:export',
  'audit:search',
  'person:invite-family',
  'person:name-workers',
  'accounts:manage',
  'api-tokens:manage',
  'person:assess',
  'person:request-exception',
  'allocation:decide-exception',
  'allocation-models:manage',
];

const base = {
  accountId: fc.constantFrom(...accounts),
  councilId: fc.constantFrom(...councils),
  councilSlug: fc.constant('x'),
  councilName: fc.constant('X'),
  displayName: fc.constant('Someone'),
};
const actorArb: fc.Arbitrary<Actor> = fc.oneof(
  fc.record({ ...base, kind: fc.constant('staff' as const), role: fc.constantFrom(...ROLES) }),
  fc.record({ ...base, kind: fc.constant('family' as const) }),
  fc.record({ ...base, kind: fc.constant('provider' as const), providerId: fc.constantFrom(...providers), providerName: fc.constant('P') }),
  fc.record({ ...base, kind: fc.constant('client' as const), scopes: fc.subarray([...CLIENT_SCOPES]) }),
);
const recordArb: fc.Arbitrary<PersonAccessFacts> = fc.record({
  councilId: fc.constantFrom(...councils),
  restricted: fc.boolean(),
  leadWorkerId: fc.option(fc.constantFrom(...accounts), { nil: null }),
  namedWorkerIds: fc.subarray(accounts),
  familyAccountIds: fc.subarray(accounts),
  providerIds: fc.subarray(providers),
});
const actionArb = fc.constantFrom(...ACTIONS);

/** The rules in plain words, written out independently of the policy module. */
function expected(actor: Actor, action: Action, record: PersonAccessFacts): boolean {
  if (record.councilId !== actor.councilId) return false;
  if (actor.kind === 'family') return (action === 'person:view' || action === 'person:access-log' || action === 'person:assess') && record.familyAccountIds.includes(actor.accountId);
  if (actor.kind === 'provider') return action === 'person:view' && record.providerIds.includes(actor.providerId);
  if (actor.kind === 'client') return (actor.scopes as readonly Action[]).includes(action) && !record.restricted;
  const seesPeople = ['caseworker', 'approver', 'finance_officer', 'administrator'].includes(actor.role);
  const named = record.leadWorkerId === actor.accountId || record.namedWorkerIds.includes(actor.accountId);
  switch (action) {
    case 'person:view':
      return seesPeople && (!record.restricted || named);
    case 'person:access-log':
      return actor.role === 'administrator' && (!record.restricted || named);
    case 'person:invite-family':
      return (actor.role === 'caseworker' || actor.role === 'administrator') && (!record.restricted || named);
    case 'person:assess':
    case 'person:request-exception':
      return actor.role === 'caseworker' && (!record.restricted || named);
    case 'person:export':
    case 'person:name-workers':
      return actor.role === 'administrator';
    default:
      return false; // not an action on one person's record
  }
}

describe('the access policy, for any actor, relationship and record', () => {
  it('allows an action on a record exactly when the rules say so', () => {
    fc.assert(
      fc.property(actorArb, recordArb, fc.constantFrom<Action>('person:view', 'person:access-log', 'person:invite-family', 'person:export', 'person:name-workers', 'person:assess', 'person:request-exception'), (actor, record, action) => {
        assert.equal(mayDo(actor, action, record), expected(actor, action, record));
      }),
      { numRuns: 2000 },
    );
  });

  it('never allows anything on another council’s record', () => {
    fc.assert(
      fc.property(actorArb, recordArb, actionArb, (actor, record, action) => {
        fc.pre(record.councilId !== actor.councilId);
        assert.equal(mayDo(actor, action, record), false);
      }),
    );
  });

  it('shows a family user only the people they are linked to, and a provider only the people whose support it holds', () => {
    fc.assert(
      fc.property(actorArb, recordArb, actionArb, (actor, record, action) => {
        if (!mayDo(actor, action, record)) return;
        if (actor.kind === 'family') assert.ok(record.familyAccountIds.includes(actor.accountId));
        if (actor.kind === 'provider') assert.ok(record.providerIds.includes(actor.providerId));
      }),
    );
  });

  it('opens a restricted record for viewing only to the workers named on it, or to a linked family or provider', () => {
    fc.assert(
      fc.property(actorArb, recordArb, (actor, record) => {
        fc.pre(record.restricted);
        if (!mayDo(actor, 'person:view', record) || actor.kind !== 'staff') return;
        assert.ok(record.leadWorkerId === actor.accountId || record.namedWorkerIds.includes(actor.accountId));
      }),
    );
  });

  it('never shows a commissioner an individual record', () => {
    fc.assert(
      fc.property(actorArb, recordArb, actionArb, (actor, record, action) => {
        fc.pre(actor.kind === 'staff' && actor.role === 'commissioner');
        assert.equal(mayDo(actor, action, record), false);
      }),
    );
  });

  it('allows on a record only what the actor may do at all', () => {
    fc.assert(
      fc.property(actorArb, recordArb, actionArb, (actor, record, action) => {
        if (mayDo(actor, action, record)) assert.equal(mayDo(actor, action), true);
      }),
    );
  });

  it('lets no family or provider user search people, and no one but staff read the audit log, manage accounts or tokens', () => {
    fc.assert(
      fc.property(actorArb, fc.constantFrom<Action>('people:list', 'audit:search', 'accounts:manage', 'api-tokens:manage', 'person:export', 'allocation-models:manage', 'allocation:analyse', 'allocation:decide-exception', 'person:request-exception'), (actor, action) => {
        fc.pre(actor.kind !== 'staff');
        if (actor.kind === 'client' && action === 'people:list') return; // a token may be given that scope
        assert.equal(mayDo(actor, action), false);
      }),
    );
  });
});
