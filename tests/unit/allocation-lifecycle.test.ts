/** Versions of an allocation model: draft, published (never changed), retired. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CHILDREN_BANDS_MODEL, ELEMENT_3_MODEL } from '../../src/domain/allocation/examples.ts';
import { changeDraft, inForceOn, publish, retire, startDraft, type LifecycleResult, type ModelVersion } from '../../src/domain/allocation/lifecycle.ts';

function ok(result: LifecycleResult): readonly ModelVersion[] {
  if (!result.ok) assert.fail(result.reason);
  return result.versions;
}

describe('allocation model versions', () => {
  it('drafts, publishes, and retires the old version when the next is published', () => {
    let versions = ok(startDraft([], CHILDREN_BANDS_MODEL));
    assert.deepEqual(versions.map((v) => [v.version, v.status]), [[1, 'draft']]);
    versions = ok(changeDraft(versions, 1, ELEMENT_3_MODEL));
    assert.equal(versions[0]?.model, ELEMENT_3_MODEL);
    versions = ok(publish(versions, 1, '2026-04-01'));
    versions = ok(startDraft(versions, CHILDREN_BANDS_MODEL));
    versions = ok(publish(versions, 2, '2027-04-01'));
    assert.deepEqual(
      versions.map((v) => [v.version, v.status, v.publishedOn, v.retiredOn]),
      [
        [1, 'retired', '2026-04-01', '2027-04-01'],
        [2, 'published', '2027-04-01', null],
      ],
    );
    assert.equal(inForceOn(versions, '2026-03-31'), null);
    assert.equal(inForceOn(versions, '2026-04-01')?.version, 1);
    assert.equal(inForceOn(versions, '2027-03-31')?.version, 1);
    assert.equal(inForceOn(versions, '2027-04-01')?.version, 2);
    versions = ok(retire(versions, 2, '2028-01-01'));
    assert.equal(inForceOn(versions, '2028-01-01'), null);
  });

  it('never changes a published or retired version, and keeps to one draft', () => {
    const published = ok(publish(ok(startDraft([], CHILDREN_BANDS_MODEL)), 1, '2026-04-01'));
    assert.deepEqual(changeDraft(published, 1, ELEMENT_3_MODEL), { ok: false, reason: 'Version 1 is published and cannot be changed. Start a new draft instead.' });
    assert.deepEqual(publish(published, 1, '2026-05-01'), { ok: false, reason: 'Version 1 is published; only a draft can be published.' });
    const withDraft = ok(startDraft(published, ELEMENT_3_MODEL));
    assert.deepEqual(startDraft(withDraft, ELEMENT_3_MODEL), { ok: false, reason: 'Version 2 is already a draft. Change it, or publish it, before starting another.' });
    assert.deepEqual(publish(withDraft, 2, '2026-03-01'), { ok: false, reason: 'Version 1 was published on 2026-04-01; a new version cannot be published before that.' });
    assert.deepEqual(publish(withDraft, 2, '1 May'), { ok: false, reason: '"1 May" is not a date in the form YYYY-MM-DD.' });
    assert.deepEqual(retire(withDraft, 2, '2026-05-01'), { ok: false, reason: 'Version 2 is draft; only the published version can be retired.' });
    assert.deepEqual(changeDraft(withDraft, 9, ELEMENT_3_MODEL), { ok: false, reason: 'There is no version 9.' });
  });
});
