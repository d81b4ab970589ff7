/**
 * Refusing bad models and bad answers, each problem named by its exact place in plain English; the
 * published JSON Schema kept equal to the one the validator reads; models read back from JSON unchanged.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CHILDREN_BANDS_JSON, CHILDREN_BANDS_MODEL, EXAMPLE_MODELS, THREE_STREAMS_JSON, THREE_STREAMS_MODEL } from '../../src/domain/allocation/examples.ts';
import { rasModelJsonSchema } from '../../src/domain/allocation/schema.ts';
import { score } from '../../src/domain/allocation/score.ts';
import { formatErrors, modelToJson, parseModel, validateAnswers, type ValidationError } from '../../src/domain/allocation/validate.ts';

/** A deep copy of an example to break. */
function copy<T>(value: T): T {
  return structuredClone(value);
}

// Loosely typed handles for breaking the examples in ways the type would not allow.
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function refused(json: unknown): readonly ValidationError[] {
  const parsed = parseModel(json);
  assert.equal(parsed.ok, false, 'expected the model to be refused');
  return parsed.ok ? [] : parsed.errors;
}

function onlyError(json: unknown): ValidationError {
  const errors = refused(json);
  assert.equal(errors.length, 1, formatErrors(errors));
  return errors[0] as ValidationError;
}

describe('reading an allocation model', () => {
  it('accepts the three examples, and reads back what it writes', () => {
    for (const { key, json, model } of EXAMPLE_MODELS) {
      const parsed = parseModel(json);
      assert.ok(parsed.ok, key);
      assert.deepEqual(parsed.value, model, key);
      assert.deepEqual(parseModel(JSON.parse(JSON.stringify(modelToJson(model)))), { ok: true, value: model }, key);
    }
  });

  it('holds money as bigint pence and freezes the model', () => {
    const social = CHILDREN_BANDS_MODEL.conversions.social_care;
    assert.equal(social?.kind === 'bands' ? social.bands[1]?.annualPence : undefined, 120_000n);
    assert.ok(Object.isFrozen(social));
    assert.ok(Object.isFrozen(CHILDREN_BANDS_MODEL.questionnaire.domains[0]?.questions[0]?.levels[0]));
  });

  it('refuses anything that is not a model object', () => {
    assert.deepEqual(refused(null), [{ path: '', message: 'Must be an object, not null.' }]);
    assert.deepEqual(refused([]), [{ path: '', message: 'Must be an object, not a list.' }]);
  });

  it('refuses unknown fields, naming them and what is allowed', () => {
    const json: Loose = copy(CHILDREN_BANDS_JSON);
    json['colour'] = 'blue';
    json['conversions'].social_care.bands[1].colour = 'red';
    json['conversions'].adult_care = { kind: 'price-per-point', pricePerPointPence: 1, rangePercent: 0 };
    assert.deepEqual(refused(json), [
      { path: 'conversions.social_care.bands[1].colour', message: 'Unknown field "colour". The fields allowed here are name, fromPoints, toPoints and annualPence.' },
      { path: 'conversions.adult_care', message: 'Unknown field "adult_care". The fields allowed here are education_high_needs, social_care and health_continuing_care.' },
      { path: 'colour', message: 'Unknown field "colour". The fields allowed here are name, description, questionnaire and conversions.' },
    ]);
  });

  it('refuses fields named like built-in object properties (found by the shape property test)', () => {
    // JSON.parse makes "__proto__" and "constructor" own fields, as a model file read from disk would.
    const json: Loose = JSON.parse(JSON.stringify(CHILDREN_BANDS_JSON).replace(/^\{/, '{"__proto__":"","constructor":1,'));
    assert.deepEqual(
      refused(json).map((e) => e.path),
      ['__proto__', 'constructor'],
    );
  });

  it('refuses negative points, in one number or per stream', () => {
    const json: Loose = copy(CHILDREN_BANDS_JSON);
    json['questionnaire'].domains[0].questions[1].levels[2].points = -3;
    assert.deepEqual(onlyError(json), { path: 'questionnaire.domains[0].questions[1].levels[2].points', message: 'Must not be negative (it is -3).' });

    const three: Loose = copy(THREE_STREAMS_JSON);
    three['questionnaire'].domains[1].questions[0].levels[3].points.health_continuing_care = -40;
    assert.deepEqual(onlyError(three), { path: 'questionnaire.domains[1].questions[0].levels[3].points.health_continuing_care', message: 'Must not be negative (it is -40).' });

    const fraction: Loose = copy(CHILDREN_BANDS_JSON);
    fraction['questionnaire'].domains[0].questions[0].levels[1].points = 8.5;
    assert.deepEqual(onlyError(fraction), { path: 'questionnaire.domains[0].questions[0].levels[1].points', message: 'Must be a whole number, not 8.5.' });

    const text: Loose = copy(CHILDREN_BANDS_JSON);
    text['questionnaire'].domains[0].questions[0].levels[1].points = '8';
    assert.deepEqual(onlyError(text), { path: 'questionnaire.domains[0].questions[0].levels[1].points', message: 'Must be a whole number or an object, not "8".' });
  });

  it('refuses a question with missing or no levels', () => {
    const missing: Loose = copy(CHILDREN_BANDS_JSON);
    delete missing['questionnaire'].domains[2].questions[1].levels;
    assert.deepEqual(onlyError(missing), { path: 'questionnaire.domains[2].questions[1].levels', message: 'Missing: this field is required.' });
    const empty: Loose = copy(CHILDREN_BANDS_JSON);
    empty['questionnaire'].domains[2].questions[1].levels = [];
    assert.deepEqual(onlyError(empty), { path: 'questionnaire.domains[2].questions[1].levels', message: 'Must not be empty.' });
  });

  it('refuses per-stream points that leave out a converted stream or name one without a conversion', () => {
    const json: Loose = copy(THREE_STREAMS_JSON);
    delete json['questionnaire'].domains[0].questions[1].levels[2].points.social_care;
    assert.deepEqual(onlyError(json), {
      path: 'questionnaire.domains[0].questions[1].levels[2].points.social_care',
      message: "Missing: the model converts social_care, so give this level's points for it too.",
    });
    const extra: Loose = copy(CHILDREN_BANDS_JSON);
    extra['questionnaire'].domains[0].questions[0].levels[1].points = { social_care: 8, health_continuing_care: 2 };
    assert.deepEqual(onlyError(extra), {
      path: 'questionnaire.domains[0].questions[0].levels[1].points.health_continuing_care',
      message: 'There is no conversion for health_continuing_care in this model; remove these points or add conversions.health_continuing_care.',
    });
  });

  it('refuses overlapping bands, naming the band and the points', () => {
    const json: Loose = copy(CHILDREN_BANDS_JSON);
    json['conversions'].social_care.bands[2].fromPoints = 40;
    assert.deepEqual(onlyError(json), {
      path: 'conversions.social_care.bands[2].fromPoints',
      message: 'This band overlaps the one before, which ends at 44 points. Start this band at 45.',
    });
  });

  it('refuses a gap between bands, saying which points are in no band', () => {
    const json: Loose = copy(CHILDREN_BANDS_JSON);
    json['conversions'].social_care.bands[3].fromPoints = 90;
    assert.deepEqual(onlyError(json), {
      path: 'conversions.social_care.bands[3].fromPoints',
      message: 'There is a gap: the band before ends at 84 points and this one starts at 90, so 85 to 89 points are in no band. Start this band at 85.',
    });
    const one: Loose = copy(CHILDREN_BANDS_JSON);
    one['conversions'].social_care.bands[1].fromPoints = 22;
    assert.match(onlyError(one).message, /so 21 points is in no band/);
  });

  it('refuses bands that do not start at 0, do not end open, or pay less for more points', () => {
    const json: Loose = copy(CHILDREN_BANDS_JSON);
    const bands = json['conversions'].social_care.bands;
    bands[0].fromPoints = 1;
    bands[4].toPoints = 300;
    bands[3].annualPence = 300_000;
    bands[1].toPoints = 10;
    bands[1].fromPoints = 21;
    assert.deepEqual(refused(json), [
      { path: 'conversions.social_care.bands[0].fromPoints', message: 'The first band must start at 0 points, not 1, so that every points total has a band.' },
      { path: 'conversions.social_care.bands[1].toPoints', message: 'The band ends (10 points) before it starts (21 points).' },
      { path: 'conversions.social_care.bands[2].fromPoints', message: 'There is a gap: the band before ends at 10 points and this one starts at 45, so 11 to 44 points are in no band. Start this band at 11.' },
      { path: 'conversions.social_care.bands[3].annualPence', message: 'A band must not be worth less than the band before (360000 pence), or more points could mean less money.' },
      { path: 'conversions.social_care.bands[4].toPoints', message: 'The last band must be open-ended (toPoints null), so that every points total above 300 has a band.' },
    ]);
    const open: Loose = copy(CHILDREN_BANDS_JSON);
    open['conversions'].social_care.bands[2].toPoints = null;
    assert.deepEqual(onlyError(open), {
      path: 'conversions.social_care.bands[2].toPoints',
      message: 'Only the last band can be open-ended (toPoints null); give the last points total in this band.',
    });
  });

  it('refuses a conversion of an unknown kind, or fields of the other kind', () => {
    const json: Loose = copy(THREE_STREAMS_JSON);
    json['conversions'].social_care.kind = 'formula';
    assert.deepEqual(onlyError(json), { path: 'conversions.social_care.kind', message: 'Must be "price-per-point" or "bands", not "formula".' });
    const none: Loose = copy(THREE_STREAMS_JSON);
    delete none['conversions'].health_continuing_care.kind;
    assert.deepEqual(onlyError(none), { path: 'conversions.health_continuing_care.kind', message: 'Missing: say which kind of conversion, "price-per-point" or "bands".' });
    const mixed: Loose = copy(THREE_STREAMS_JSON);
    mixed['conversions'].education_high_needs.bands = [];
    assert.equal(onlyError(mixed).path, 'conversions.education_high_needs.bands');
    const price: Loose = copy(THREE_STREAMS_JSON);
    price['conversions'].social_care.pricePerPointPence = 42.5;
    assert.deepEqual(onlyError(price), { path: 'conversions.social_care.pricePerPointPence', message: 'Must be a whole number, not 42.5.' });
    const noStreams: Loose = copy(THREE_STREAMS_JSON);
    noStreams['conversions'] = {};
    assert.deepEqual(onlyError(noStreams), { path: 'conversions', message: 'Must have at least one of education_high_needs, social_care or health_continuing_care.' });
  });

  it('refuses bad adjustments: rounding, percentages, ages, informal support, minimum above cap', () => {
    const json: Loose = copy(THREE_STREAMS_JSON);
    const social = json['conversions'].social_care;
    social.rounding.mode = 'sideways';
    social.rangePercent = 150;
    assert.deepEqual(refused(json), [
      { path: 'conversions.social_care.rounding.mode', message: 'Must be "nearest", "up" or "down", not "sideways".' },
      { path: 'conversions.social_care.rangePercent', message: 'Must be at most 100 (it is 150).' },
    ]);

    const rules: Loose = copy(THREE_STREAMS_JSON);
    const s = rules['conversions'].social_care;
    s.ageReductions[1].fromAge = 3;
    s.informalSupport.deductions[1].levelId = 'always';
    s.informalSupport.deductions[2].levelId = 'some';
    s.minimumPence = 500_000;
    rules['conversions'].education_high_needs.informalSupport = { questionId: 'friends', deductions: [] };
    assert.deepEqual(refused(rules), [
      { path: 'conversions.education_high_needs.informalSupport.questionId', message: 'There is no question "friends" in the questionnaire.' },
      { path: 'conversions.social_care.ageReductions[1].fromAge', message: 'Ages 3 to 10 overlap conversions.social_care.ageReductions[0] (ages 0 to 4); an age can have only one reduction.' },
      { path: 'conversions.social_care.informalSupport.deductions[1].levelId', message: 'The question "unpaid-help" has no level "always"; its levels are "none", "some", "most-days" and "every-day".' },
      { path: 'conversions.social_care.informalSupport.deductions[2].levelId', message: 'The level "some" already has a deduction; give each level at most one.' },
      { path: 'conversions.social_care.minimumPence', message: 'The minimum (500000 pence) must not be above the cap (450000 pence).' },
    ]);
    const backwards: Loose = copy(THREE_STREAMS_JSON);
    backwards['conversions'].social_care.ageReductions[0] = { fromAge: 4, toAge: 0, percent: 20, reason: 'x' };
    assert.deepEqual(onlyError(backwards), { path: 'conversions.social_care.ageReductions[0].toAge', message: 'The age band starts at 4, so it cannot end at 0.' });
  });

  it('refuses repeated ids, bad ids and ages the wrong way round', () => {
    const json: Loose = copy(CHILDREN_BANDS_JSON);
    json['questionnaire'].domains[1].questions[0].id = 'nights';
    json['questionnaire'].domains[3].id = 'being-healthy';
    json['questionnaire'].domains[0].questions[0].levels[2].id = 'some';
    json['questionnaire'].domains[4].questions[0].appliesToAge = 13;
    assert.deepEqual(refused(json), [
      { path: 'questionnaire.domains[0].questions[0].levels[2].id', message: 'The level id "some" is already used by level 1 of this question; each level needs its own id.' },
      { path: 'questionnaire.domains[1].questions[0].id', message: 'The question id "nights" is already used by questionnaire.domains[0].questions[1]; each question needs its own id.' },
      { path: 'questionnaire.domains[3].id', message: 'The domain id "being-healthy" is already used by questionnaire.domains[1]; each domain needs its own id.' },
      { path: 'questionnaire.domains[4].questions[0].appliesToAge', message: 'The question applies from age 14, so it cannot stop applying at age 13.' },
    ]);
    const bad: Loose = copy(CHILDREN_BANDS_JSON);
    bad['questionnaire'].domains[0].questions[0].id = 'Staying Safe';
    assert.deepEqual(onlyError(bad), {
      path: 'questionnaire.domains[0].questions[0].id',
      message: '"Staying Safe" is not a valid id: use lower-case letters, digits, hyphens and underscores, starting with a letter or digit.',
    });
  });

  it('formats errors one a line', () => {
    assert.equal(
      formatErrors([
        { path: '', message: 'Must be an object, not null.' },
        { path: 'a.b[1]', message: 'Must not be empty.' },
      ]),
      'Must be an object, not null.\na.b[1]: Must not be empty.',
    );
  });
});

describe('docs/ras-model.schema.json', () => {
  it('is the schema the validator reads (regenerate it from rasModelJsonSchema() after changing schema.ts)', () => {
    const published: unknown = JSON.parse(readFileSync(new URL('../../docs/ras-model.schema.json', import.meta.url), 'utf8'));
    assert.deepEqual(published, rasModelJsonSchema());
    assert.equal((published as { $schema: string }).$schema, 'https://json-schema.org/draft/2020-12/schema');
  });
});

describe('checking answers', () => {
  const base = { 'staying-safe': 'none', nights: 'none', health: 'none', 'play-and-learning': 'none', 'getting-out': 'lots', communication: 'none', family: 'none' };

  it('accepts one level for every question asked at the age, and nothing else', () => {
    assert.deepEqual(validateAnswers(CHILDREN_BANDS_MODEL, base, 8), { ok: true, value: base });
    assert.equal(validateAnswers(CHILDREN_BANDS_MODEL, { ...base, independence: 'some' }, 14).ok, true);
  });

  it('refuses an unknown question, an unknown level, a question not asked at this age and a missing answer', () => {
    const withoutFamily = Object.fromEntries(Object.entries(base).filter(([question]) => question !== 'family'));
    const result = validateAnswers(CHILDREN_BANDS_MODEL, { ...withoutFamily, 'getting-out': 'huge', 'favourite-colour': 'blue', independence: 'some' }, 8);
    assert.deepEqual(result, {
      ok: false,
      errors: [
        { path: 'answers.getting-out', message: '"huge" is not an answer to "Getting out and about"; choose "none", "some", "lots" or "exceptional".' },
        { path: 'answers.favourite-colour', message: 'There is no question "favourite-colour" in this questionnaire.' },
        { path: 'answers.independence', message: '"Becoming independent" is asked only from age 14 to 25, and this person is 8; leave it out.' },
        { path: 'answers.family', message: 'Missing: "How the family is coping" applies at age 8 and has not been answered.' },
      ],
    });
  });

  it('refuses answers that are not level ids, and ages that are not whole years', () => {
    assert.deepEqual(validateAnswers(CHILDREN_BANDS_MODEL, { ...base, nights: 2 }, 8), {
      ok: false,
      errors: [{ path: 'answers.nights', message: 'The answer must be the id of a level, not 2.' }],
    });
    assert.deepEqual(validateAnswers(CHILDREN_BANDS_MODEL, ['none'], 8), {
      ok: false,
      errors: [{ path: 'answers', message: 'The answers must be an object of question id to level id, not a list.' }],
    });
    for (const age of [-1, 8.5, '8', 131, null]) {
      const result = validateAnswers(CHILDREN_BANDS_MODEL, base, age);
      assert.equal(result.ok, false, String(age));
      if (!result.ok) assert.equal(result.errors[0]?.path, 'age');
    }
  });

  it('will not score bad answers or bad current packages', () => {
    assert.deepEqual(score(CHILDREN_BANDS_MODEL, { ...base, nights: 'always' }, { age: 8 }), {
      ok: false,
      errors: [{ path: 'answers.nights', message: '"always" is not an answer to "Support at night"; choose "none", "some", "lots" or "exceptional".' }],
    });
    const answers = { 'personal-care': 'none', 'getting-out': 'none', 'health-needs': 'none', learning: 'none', communication: 'none', behaviour: 'none', 'unpaid-help': 'none' };
    const bad = score(THREE_STREAMS_MODEL, answers, { age: 8, currentPackagePence: { social_care: -1n, mobility: 5n } as Record<string, bigint> });
    assert.deepEqual(bad, {
      ok: false,
      errors: [
        { path: 'currentPackagePence.social_care', message: 'The current package must be a whole number of pence, as a bigint, not negative; got -1.' },
        { path: 'currentPackagePence.mobility', message: 'This model has no conversion for "mobility"; it converts education_high_needs, social_care and health_continuing_care.' },
      ],
    });
  });
});
