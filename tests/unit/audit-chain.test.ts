import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonical, eventHash, verifyChain, type ChainedEvent } from '../../src/domain/audit/chain.ts';

const COUNCIL = '0d9c8c55-6f57-4b39-8e0c-7d0a8f0c1a11';

type Fields = Omit<ChainedEvent, 'id' | 'councilId' | 'seq' | 'prevHash' | 'hash'>;

function chain(fields: readonly Fields[]): ChainedEvent[] {
  const events: ChainedEvent[] = [];
  let prev = '';
  fields.forEach((f, i) => {
    const draft = { ...f, id: String(i + 100), councilId: COUNCIL, seq: String(i + 1), prevHash: prev, hash: '' };
    const hash = eventHash(prev, draft);
    events.push({ ...draft, hash });
    prev = hash;
  });
  return events;
}

const text = fc.option(fc.string({ maxLength: 20 }), { nil: null });
const fieldsArb: fc.Arbitrary<Fields> = fc.record({
  occurredAt: fc.constantFrom('2026-11-20T10:00:00.000000Z', '2026-11-21T23:59:59.999000Z'),
  actorId: fc.option(fc.uuid(), { nil: null }),
  actorRole: text,
  action: fc.string({ minLength: 1, maxLength: 20 }),
  subjectType: text,
  subjectId: fc.option(fc.uuid(), { nil: null }),
  sourceAddress: text,
  requestId: text,
  reason: text,
  detail: fc.option(fc.json(), { nil: null }),
});
const TAMPERABLE = ['occurredAt', 'actorId', 'actorRole', 'action', 'subjectType', 'subjectId', 'sourceAddress', 'requestId', 'reason', 'detail'] as const;

describe('the audit hash chain', () => {
  it('finds nothing wrong with a chain as it was written', () => {
    fc.assert(fc.property(fc.array(fieldsArb, { maxLength: 15 }), (fields) => {
      assert.deepEqual(verifyChain(chain(fields)).breaks, []);
    }));
  });

  it('detects any change to any field of any event', () => {
    fc.assert(
      fc.property(fc.array(fieldsArb, { minLength: 1, maxLength: 10 }), fc.nat(), fc.constantFrom(...TAMPERABLE), fc.string({ maxLength: 10 }), (fields, at, key, value) => {
        const events = chain(fields);
        const i = at % events.length;
        const original = events[i];
        assert.ok(original);
        fc.pre(original[key] !== value);
        events[i] = { ...original, [key]: value };
        const report = verifyChain(events);
        assert.ok(report.breaks.some((b) => b.kind === 'altered' && b.seq === original.seq));
      }),
    );
  });

  it('detects a removed event, and events put in the wrong order', () => {
    fc.assert(
      fc.property(fc.array(fieldsArb, { minLength: 3, maxLength: 10 }), fc.nat(), (fields, at) => {
        const events = chain(fields);
        const i = at % (events.length - 1);
        const removed = events.filter((_, j) => j !== i);
        assert.ok(verifyChain(removed).breaks.length > 0, 'removal');
        const swapped = [...events.slice(0, i), ...events.slice(i, i + 2).reverse(), ...events.slice(i + 2)];
        assert.ok(verifyChain(swapped).breaks.length > 0, 'swap');
      }),
    );
  });

  it('cannot be fooled by moving text from one field to the next', () => {
    const base = { occurredAt: '2026-11-20T10:00:00.000000Z', actorId: null, actorRole: 'a|b', action: 'c', subjectType: null, subjectId: null, sourceAddress: null, requestId: null, reason: null, detail: null };
    const [a] = chain([base]);
    const [b] = chain([{ ...base, actorRole: 'a', action: 'b|c' }]);
    assert.ok(a && b);
    assert.notEqual(canonical(a), canonical(b));
  });
});
