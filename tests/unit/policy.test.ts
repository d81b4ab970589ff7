import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mayDo, type Actor, type PersonAccessFacts } from '../../src/domain/access/policy.ts';
import type { StaffRole } from '../../src/db/schema.ts';

const nobodyLinked = { namedWorkerIds: [], familyAccountIds: [], providerIds: [] } as const;
const facts = (f: Pick<PersonAccessFacts, 'councilId' | 'restricted' | 'leadWorkerId'>): PersonAccessFacts => ({ ...nobodyLinked, ...f });

const council = '11111111-1111-4111-8111-111111111111';
const other = '22222222-2222-4222-8222-222222222222';
const actor = (role: StaffRole, accountId = 'a0000000-0000-4000-8000-000000000001'): Actor => ({
  kind: 'staff',
  accountId,
  councilId: council,
  councilSlug: 'northam',
  councilName: 'Northam City Council',
  role,
  displayName: 'Sam Worker',
});

describe('who may see a person’s record', () => {
  it('lets caseworkers, approvers, finance officers and administrators see their own council’s people', () => {
    for (const role of ['caseworker', 'approver', 'finance_officer', 'administrator'] as const) {
      assert.equal(mayDo(actor(role), 'person:view', facts({ councilId: council, restricted: false, leadWorkerId: null })), true, role);
    }
  });

  it('keeps commissioners to aggregate figures, not individual records', () => {
    assert.equal(mayDo(actor('commissioner'), 'people:list'), false);
    assert.equal(mayDo(actor('commissioner'), 'person:view', facts({ councilId: council, restricted: false, leadWorkerId: null })), false);
  });

  it('never lets anyone see another council’s person', () => {
    assert.equal(mayDo(actor('administrator'), 'person:view', facts({ councilId: other, restricted: false, leadWorkerId: null })), false);
  });

  it('opens a restricted record only to the worker named on it', () => {
    const named = actor('caseworker', 'b0000000-0000-4000-8000-000000000002');
    const record = facts({ councilId: council, restricted: true, leadWorkerId: named.accountId });
    assert.equal(mayDo(named, 'person:view', record), true);
    assert.equal(mayDo(actor('caseworker'), 'person:view', record), false);
    assert.equal(mayDo(actor('administrator'), 'person:view', record), false);
  });
});

describe('who may export everything held about a person', () => {
  it('is administrators only, even for a restricted record (a legal duty), and never across councils', () => {
    const restricted = facts({ councilId: council, restricted: true, leadWorkerId: null });
    assert.equal(mayDo(actor('administrator'), 'person:export', restricted), true);
    assert.equal(mayDo(actor('caseworker'), 'person:export', { ...restricted, restricted: false }), false);
    assert.equal(mayDo(actor('administrator'), 'person:export', { ...restricted, councilId: other }), false);
  });

  it('keeps the audit log to administrators', () => {
    assert.equal(mayDo(actor('administrator'), 'audit:search'), true);
    for (const role of ['caseworker', 'approver', 'finance_officer', 'commissioner'] as const) assert.equal(mayDo(actor(role), 'audit:search'), false);
  });
});

describe('who may see the EHC plan timeliness report', () => {
  it('is caseworkers, approvers, administrators and commissioners (figures only, as they see no records), never finance officers or families', () => {
    for (const role of ['caseworker', 'approver', 'administrator', 'commissioner'] as const) assert.equal(mayDo(actor(role), 'cases:report'), true, role);
    assert.equal(mayDo(actor('finance_officer'), 'cases:report'), false);
    assert.equal(mayDo({ ...actor('caseworker'), kind: 'family' }, 'cases:report'), false);
    assert.equal(mayDo({ ...actor('caseworker'), kind: 'client', scopes: ['people:list', 'person:view'] }, 'cases:report'), false);
    // The caseload stays with those who lead cases: a commissioner has the report but not the list of names.
    assert.equal(mayDo(actor('commissioner'), 'cases:list'), false);
  });
});
