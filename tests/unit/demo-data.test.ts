import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_COUNCIL_SLUGS, DEMO_PASSWORD, DEMO_TOTP_SECRET, demoAccounts } from '../../src/demo/accounts.ts';
import { checkPassword } from '../../src/domain/identity/password-policy.ts';
import { isTotpSecret } from '../../src/domain/identity/totp.ts';
import { ageOn, generateCouncil, JOURNEY_STAGES, pounds, type GeneratedCouncil } from '../../src/demo/generate.ts';
import { DEMO_FAMILY_ACCOUNTS, demoFamiliesAndProviders } from '../../src/demo/families.ts';
import { demoPublicationDates, generateAllocation, type GeneratedAllocation } from '../../src/demo/allocation.ts';
import { fromPenceJson } from '../../src/domain/allocation/result-json.ts';
import type { TestGroupRow } from '../../src/domain/allocation/calibration.ts';
import type { PersonRow } from '../../src/demo/generate.ts';
import { packageFromJson } from '../../src/db/repositories/allocation.ts';
import { allQuestions, questionApplies, type AllocationModel } from '../../src/domain/allocation/model.ts';
import { resultFromJson, resultToJson } from '../../src/domain/allocation/result-json.ts';
import { score } from '../../src/domain/allocation/score.ts';
import { formatErrors, parseModel } from '../../src/domain/allocation/validate.ts';
import { capRequestReason } from '../../src/services/allocation.ts';

const TODAY = '2026-03-02';
const generated = new Map(DEMO_COUNCIL_SLUGS.map((slug) => [slug, generateCouncil(slug, TODAY)] as const));
const councils = [...generated.values()];

function linesByPerson(council: GeneratedCouncil): Map<string, GeneratedCouncil['budgetLines']> {
  const map = new Map<string, GeneratedCouncil['budgetLines']>();
  for (const line of council.budgetLines) map.set(line.person_id, [...(map.get(line.person_id) ?? []), line]);
  return map;
}

/** Replaces every uuid with its order of first appearance, so two generations can be compared. */
function withoutIds(council: GeneratedCouncil): string {
  const ids = new Map<string, string>();
  return JSON.stringify(council, (_key, value: unknown) => {
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) {
      if (!ids.has(value)) ids.set(value, `id#${ids.size}`);
      return ids.get(value);
    }
    return value;
  });
}

describe('demo data generation', () => {
  it('makes about 300 people per council, at every stage of the journey, most with an agreed budget', () => {
    for (const council of councils) {
      assert.ok(council.people.length >= 250 && council.people.length <= 350, `${council.council.slug}: ${council.people.length}`);
      const byStage = new Map<string, number>();
      for (const person of council.people) byStage.set(person.stage, (byStage.get(person.stage) ?? 0) + 1);
      for (const stage of JOURNEY_STAGES) assert.ok((byStage.get(stage) ?? 0) >= 5, `${council.council.slug} has few at ${stage}`);
      const live = (byStage.get('agreed') ?? 0) + (byStage.get('review') ?? 0);
      assert.ok(live > council.people.length / 2, 'most people have an agreed budget');
    }
  });

  it('uses every case type, mostly EHC, with SEN2 primary needs led by autism', () => {
    for (const council of councils) {
      const types = new Set(council.people.map((p) => p.case_type));
      assert.deepEqual([...types].sort(), ['continuing_care', 'ehc', 'social_care_adult', 'social_care_child']);
      const ehc = council.people.filter((p) => p.case_type === 'ehc');
      assert.ok(ehc.length > council.people.length / 2);
      assert.ok(ehc.every((p) => p.primary_need !== null), 'every EHC case has a primary need');
      const asd = ehc.filter((p) => p.primary_need === 'ASD').length;
      assert.ok(asd / ehc.length > 0.2 && asd / ehc.length < 0.45, `ASD share ${asd / ehc.length}`);
      assert.ok(council.people.filter((p) => p.case_type === 'social_care_adult').every((p) => p.primary_need === null));
    }
  });

  it('gives ages that fit the case type, born before the request', () => {
    for (const council of councils) {
      for (const person of council.people) {
        const age = ageOn(person.date_of_birth, TODAY);
        const label = `${person.reference} ${person.case_type} aged ${age}`;
        if (person.case_type === 'ehc') assert.ok(age >= 0 && age <= 25, label);
        if (person.case_type === 'social_care_child') assert.ok(age >= 0 && age < 18, label);
        if (person.case_type === 'social_care_adult') assert.ok(age >= 18 && age <= 90, label);
        if (person.case_type === 'continuing_care') assert.ok(age >= 0 && age <= 90, label);
        assert.ok(person.date_of_birth < person.request_date, label);
      }
    }
  });

  it('keeps request date <= stage since <= today', () => {
    for (const council of councils) {
      for (const person of council.people) {
        assert.match(person.request_date, /^\d{4}-\d{2}-\d{2}$/);
        assert.ok(person.request_date <= person.stage_since, person.reference);
        assert.ok(person.stage_since <= TODAY, person.reference);
      }
      const requests = council.people.filter((p) => p.stage === 'request');
      assert.ok(requests.every((p) => p.request_date >= '2026-01-19'), 'new requests are from the last six weeks');
      const live = council.people.filter((p) => p.stage === 'review');
      assert.ok(live.every((p) => p.request_date <= '2025-03-02'), 'people at review asked at least a year ago');
    }
  });

  it('gives unique, well-formed references and valid UK-format postcodes', () => {
    for (const council of councils) {
      const prefix = council.council.slug === 'northam' ? 'NM' : 'SB';
      const references = council.people.map((p) => p.reference);
      assert.equal(new Set(references).size, references.length);
      for (const reference of references) assert.match(reference, new RegExp(`^${prefix}-\\d{6}$`));
      for (const person of council.people) {
        assert.match(person.postcode, new RegExp(`^${prefix}\\d{1,2} \\d[ABD-HJLNP-UW-Z]{2}$`));
      }
    }
  });

  it('stores all money as non-negative bigint pence', () => {
    const check = (value: unknown, what: string): void => {
      assert.equal(typeof value, 'bigint', what);
      assert.ok((value as bigint) >= 0n, what);
    };
    for (const council of councils) {
      for (const stream of council.fundingStreams) check(stream.annual_envelope_pence, stream.code);
      for (const person of council.people) {
        if (person.indicative_budget_pence !== null) check(person.indicative_budget_pence, person.reference);
        if (person.current_package_pence !== null) check(person.current_package_pence, person.reference);
      }
      for (const line of council.budgetLines) check(line.annual_pence, line.description);
      for (const service of council.services) check(service.unit_cost_pence, service.name);
      for (const member of council.staff) if (member.approval_limit_pence !== null) check(member.approval_limit_pence, member.email);
    }
  });

  it('sets indicative budgets from allocation onward and budget lines only once agreed', () => {
    for (const council of councils) {
      const lines = linesByPerson(council);
      for (const person of council.people) {
        const early = person.stage === 'request' || person.stage === 'assessment';
        assert.equal(person.indicative_budget_pence === null, early, `${person.reference} at ${person.stage}`);
        const count = lines.get(person.id)?.length ?? 0;
        if (person.stage === 'agreed' || person.stage === 'review') assert.ok(count >= 1 && count <= 4, person.reference);
        else assert.equal(count, 0, person.reference);
      }
    }
  });

  it('costs every budget line exactly and totals each agreed budget as the sum of its lines', () => {
    for (const council of councils) {
      const streams = new Set(council.fundingStreams.map((s) => s.id));
      for (const line of council.budgetLines) {
        assert.equal(line.annual_pence, line.costing.unitPence * line.costing.units, line.description);
        assert.ok(streams.has(line.funding_stream_id));
        assert.ok(line.annual_pence > 0n);
      }
      const lines = linesByPerson(council);
      for (const person of council.people) {
        const mine = lines.get(person.id);
        if (mine === undefined) continue;
        const total = mine.reduce((sum, line) => sum + line.annual_pence, 0n);
        assert.equal(person.current_package_pence, total, person.reference);
      }
      const managements = new Set(council.budgetLines.map((l) => l.management));
      assert.deepEqual([...managements].sort(), ['council_managed', 'direct_payment', 'individual_service_fund']);
      const usedStreams = new Set(council.budgetLines.map((l) => l.funding_stream_id));
      assert.equal(usedStreams.size, 3, 'lines use all three funding streams');
    }
  });

  it('keeps packages in plausible ranges', () => {
    for (const council of councils) {
      const lines = linesByPerson(council);
      const totals = (caseType: string): bigint[] =>
        council.people
          .filter((p) => p.case_type === caseType && lines.has(p.id))
          .map((p) => p.current_package_pence ?? 0n);
      for (const total of totals('continuing_care')) assert.ok(total >= 3_000_000n && total <= 15_000_000n, pounds(total));
      for (const total of totals('social_care_adult')) assert.ok(total >= 300_000n && total <= 6_000_000n, pounds(total));
      for (const total of totals('social_care_child')) assert.ok(total >= 100_000n && total <= 3_000_000n, pounds(total));
    }
  });

  it('gives lead workers from the council caseworkers, with a real caseload for caseworker@', () => {
    for (const council of councils) {
      const caseworkers = new Set(council.staff.filter((s) => s.role === 'caseworker').map((s) => s.id));
      for (const person of council.people) {
        if (person.lead_worker_id !== null) assert.ok(caseworkers.has(person.lead_worker_id), person.reference);
        else assert.equal(person.stage, 'request', `${person.reference} has no lead worker`);
      }
      assert.ok(council.people.some((p) => p.lead_worker_id === null), 'some new requests are unallocated');
      const fixed = council.staff.find((s) => s.email === `caseworker@${council.council.slug}.example`);
      assert.ok(fixed !== undefined);
      const caseload = council.people.filter((p) => p.lead_worker_id === fixed.id);
      assert.ok(caseload.length >= 30 && caseload.length <= 40, `caseload ${caseload.length}`);
      for (const stage of JOURNEY_STAGES) assert.ok(caseload.some((p) => p.stage === stage), `caseworker@ has someone at ${stage}`);
    }
  });

  it('restricts a few records', () => {
    for (const council of councils) {
      const restricted = council.people.filter((p) => p.restricted).length;
      assert.ok(restricted >= 3 && restricted <= council.people.length * 0.06, `${restricted}`);
    }
  });

  it('has a demo password the password policy accepts, even without multi-factor authentication', () => {
    assert.deepEqual(checkPassword(DEMO_PASSWORD, { hasMfa: false }), { ok: true });
  });

  it('enrols every fixed demo account with the published demo authenticator secret except the new starter', () => {
    assert.ok(isTotpSecret(DEMO_TOTP_SECRET));
    const notSetUp = demoAccounts().filter((a) => !a.mfaEnrolled);
    assert.deepEqual(
      notSetUp.map((a) => a.email),
      ['newstarter@northam.example'],
    );
    const northam = generated.get('northam');
    assert.ok(northam?.staff.some((s) => s.email === 'newstarter@northam.example' && s.role === 'caseworker'));
  });

  it('has the fixed demo accounts for every role in both councils, plus about ten generated caseworkers', () => {
    assert.equal(DEMO_PASSWORD, 'onebudget-demo-2026');
    const accounts = demoAccounts();
    assert.equal(accounts.length, 19, 'nine accounts in each council (two finance officers), and the new starter in Northam');
    for (const slug of DEMO_COUNCIL_SLUGS) {
      const council = generated.get(slug);
      assert.ok(council !== undefined);
      const roles = new Set(council.staff.map((s) => s.role));
      assert.deepEqual([...roles].sort(), ['administrator', 'approver', 'caseworker', 'commissioner', 'finance_officer']);
      const emails = new Map(council.staff.map((s) => [s.email, s]));
      for (const mailbox of ['caseworker', 'socialworker', 'approver', 'groupmanager', 'headofservice', 'finance', 'commissioner', 'admin']) {
        assert.ok(emails.has(`${mailbox}@${slug}.example`), `${mailbox}@${slug}.example`);
      }
      const limit = (mailbox: string): bigint | null | undefined => emails.get(`${mailbox}@${slug}.example`)?.approval_limit_pence;
      assert.equal(limit('approver'), 500_000n);
      assert.equal(limit('groupmanager'), 2_000_000n);
      assert.equal(limit('headofservice'), 25_000_000n);
      assert.equal(limit('caseworker'), null);
      assert.equal(limit('finance'), null);
      const generatedWorkers = council.staff.filter((s) => !accounts.some((a) => a.email === s.email));
      assert.ok(generatedWorkers.length >= 8 && generatedWorkers.length <= 12);
      for (const worker of generatedWorkers) {
        assert.equal(worker.role, 'caseworker');
        assert.match(worker.email, new RegExp(`^[a-z]+\\.[a-z]+\\d*@${slug}\\.example$`));
      }
    }
    const allEmails = councils.flatMap((c) => c.staff.map((s) => s.email.toLowerCase()));
    assert.equal(new Set(allEmails).size, allEmails.length, 'emails are unique across councils');
  });

  it('lists about a dozen providers and thirty services, each service from one of the council providers', () => {
    for (const council of councils) {
      assert.ok(council.providers.length >= 10 && council.providers.length <= 15);
      assert.ok(council.services.length >= 25 && council.services.length <= 35);
      const providers = new Set(council.providers.map((p) => p.id));
      for (const provider of council.providers) {
        assert.match(provider.email, /@[a-z0-9-]+\.example$/);
        assert.match(provider.phone, /^(01632 960\d{3}|07700 900\d{3})$/);
      }
      for (const service of council.services) {
        assert.ok(providers.has(service.provider_id));
        assert.ok(service.min_age <= service.max_age);
        assert.ok(service.unit_cost_pence > 0n);
      }
      assert.equal(new Set(council.fundingStreams.map((s) => s.code)).size, 3);
    }
  });

  it('is deterministic apart from ids', () => {
    for (const slug of DEMO_COUNCIL_SLUGS) {
      const again = generateCouncil(slug, TODAY);
      const first = generated.get(slug);
      assert.ok(first !== undefined);
      assert.notEqual(again.council.id, first.council.id);
      assert.equal(withoutIds(again), withoutIds(first));
    }
    assert.notEqual(withoutIds(councils[0] as GeneratedCouncil), withoutIds(councils[1] as GeneratedCouncil));
  });

  it('works on any day, including 29 February', () => {
    const leap = generateCouncil('northam', '2028-02-29');
    for (const person of leap.people) {
      assert.ok(person.stage_since <= '2028-02-29');
      assert.ok(person.request_date <= person.stage_since);
      if (person.case_type === 'ehc') assert.ok(ageOn(person.date_of_birth, '2028-02-29') <= 25);
    }
    assert.throws(() => generateCouncil('northam', '2026-02-30'));
  });

  it('formats pounds without floats', () => {
    assert.equal(pounds(1_550n), '£15.50');
    assert.equal(pounds(9_500n), '£95');
    assert.equal(pounds(1_234_567_89n), '£1,234,567.89');
  });
});

describe('demo family and provider accounts', () => {
  for (const slug of DEMO_COUNCIL_SLUGS) {
    const council = generateCouncil(slug, TODAY);
    const demo = demoFamiliesAndProviders(council, slug, TODAY);
    const emails = DEMO_FAMILY_ACCOUNTS[slug];
    const accountFor = (email: string) => demo.accounts.find((a) => a.email === email);
    const linked = (email: string) =>
      demo.links.filter((l) => l.account_id === accountFor(email)?.id).map((l) => ({ ...l, person: council.people.find((p) => p.id === l.person_id) }));

    it(`${slug}: a parent carer of two siblings, who share a family name and address`, () => {
      const children = linked(emails.parent);
      assert.equal(children.length, 2);
      assert.ok(children.every((c) => c.relationship === 'parent_carer'));
      const [first, second] = children.map((c) => c.person);
      assert.ok(first && second);
      assert.equal(first.family_name, second.family_name);
      assert.equal(first.postcode, second.postcode);
      assert.ok(children.every((c) => c.person !== undefined && ageOn(c.person.date_of_birth, TODAY) < 16));
    });

    it(`${slug}: a young person over 16 holding their own account, and a nominee for an adult`, () => {
      const [own] = linked(emails.youngPerson);
      assert.equal(own?.relationship, 'young_person');
      assert.ok(own?.person !== undefined && ageOn(own.person.date_of_birth, TODAY) >= 16);
      const [nominated] = linked(emails.nominee);
      assert.equal(nominated?.relationship, 'nominee');
      assert.equal(nominated?.person?.case_type, 'social_care_adult');
    });

    it(`${slug}: a provider user whose organisation holds several people’s support, named in their budgets`, () => {
      const provider = accountFor(emails.provider);
      assert.equal(provider?.kind, 'provider');
      const held = demo.arrangements.filter((a) => a.provider_id === provider?.provider_id);
      assert.ok(held.length >= 3, `${held.length} people supported`);
      assert.ok(demo.links.every((l) => !council.people.find((p) => p.id === l.person_id)?.restricted), 'no demo family is linked to a restricted record');
    });

    it(`${slug}: family and provider emails are unique and none is a staff email`, () => {
      const staffEmails = new Set(council.staff.map((s) => s.email));
      assert.ok(demo.accounts.every((a) => !staffEmails.has(a.email)));
      assert.equal(new Set(demo.accounts.map((a) => a.email)).size, demo.accounts.length);
    });
  }
});

describe('demo resource allocation', () => {
  const councilName: Record<string, string> = { northam: 'Northam City Council', southby: 'Southby County Council' };
  const demo = new Map(
    DEMO_COUNCIL_SLUGS.map((slug) => {
      const council = generateCouncil(slug, TODAY);
      const families = demoFamiliesAndProviders(council, slug, TODAY);
      return [slug, { council, families, allocation: generateAllocation(council, families, slug, TODAY) }] as const;
    }),
  );
  const parsedModels = (allocation: GeneratedAllocation) =>
    new Map(
      allocation.models.map((m) => {
        const parsed = parseModel(JSON.parse(m.model));
        assert.ok(parsed.ok, `version ${m.version}: ${parsed.ok ? '' : formatErrors(parsed.errors)}`);
        return [m.id, parsed.value] as const;
      }),
    );
  /** Each person's latest result. */
  const latestResults = (allocation: GeneratedAllocation) => {
    const latest = new Map<string, GeneratedAllocation['results'][number]>();
    for (const r of allocation.results) {
      const seen = latest.get(r.person_id);
      if (seen === undefined || (seen.scored_at as Date) < (r.scored_at as Date)) latest.set(r.person_id, r);
    }
    return latest;
  };

  for (const slug of DEMO_COUNCIL_SLUGS) {
    const { council, families, allocation } = demo.get(slug) as NonNullable<ReturnType<typeof demo.get>>;
    const person = (id: string) => council.people.find((p) => p.id === id) as PersonRow;
    const staffId = (mailbox: string) => council.staff.find((s) => s.email === `${mailbox}@${slug}.example`)?.id;

    it(`${slug}: one retired, one published and one draft version of the council's model, each passing the model checks`, () => {
      assert.deepEqual(
        allocation.models.map((m) => [m.version, m.status]),
        [
          [1, 'retired'],
          [2, 'published'],
          [3, 'draft'],
        ],
      );
      const models = parsedModels(allocation);
      for (const m of allocation.models) assert.equal(models.get(m.id)?.name, `${councilName[slug]} resource allocation`);
      const [v1, v2, v3] = allocation.models;
      assert.ok(v1 && v2 && v3);
      assert.equal(v1.retired_on, v2.published_on, 'version 1 was retired the day version 2 was published');
      assert.ok((v1.published_on as string) < (v2.published_on as string) && (v2.published_on as string) < TODAY);
      assert.equal(v2.published_by, staffId('admin'));
      assert.equal(v3.published_on, null);
      assert.equal(v3.published_by, null);
      assert.notDeepEqual(JSON.parse(v3.model).conversions, JSON.parse(v2.model).conversions, 'the draft changes the conversion');
      assert.deepEqual(JSON.parse(v3.model).questionnaire, JSON.parse(v2.model).questionnaire, 'every version asks the same questions');
    });

    it(`${slug}: every result scores again to the same figures under its version, as stored by the service`, () => {
      const models = parsedModels(allocation);
      const assessments = new Map(allocation.assessments.map((a) => [a.id, a]));
      assert.ok(allocation.results.length > 150);
      for (const row of allocation.results) {
        const assessment = assessments.get(row.assessment_id);
        const model = models.get(row.model_id);
        assert.ok(assessment !== undefined && model !== undefined);
        assert.equal(assessment.status, 'submitted');
        assert.equal(assessment.model_id, row.model_id);
        assert.equal(assessment.person_id, row.person_id);
        const again = score(model, JSON.parse(assessment.answers) as Record<string, string>, {
          age: assessment.age_years,
          currentPackagePence: packageFromJson(JSON.parse(assessment.current_package) as Record<string, number>),
        });
        assert.ok(again.ok, person(row.person_id).reference);
        assert.equal(resultToJson(again.value), row.explanation, person(row.person_id).reference);
        assert.equal(row.total_pence, again.value.totals.indicativePence);
        assert.equal(row.exceptional_case_required, again.value.exceptionalCaseRequired);
        const stream = (code: string) => again.value.streams.find((s) => s.stream === code)?.indicativePence ?? null;
        assert.equal(row.education_high_needs_pence, stream('education_high_needs'));
        assert.equal(row.social_care_pence, stream('social_care'));
        assert.equal(row.health_continuing_care_pence, stream('health_continuing_care'));
        assert.equal(assessment.age_years, ageOn(person(row.person_id).date_of_birth, (assessment.submitted_at as Date).toISOString().slice(0, 10)));
      }
    });

    it(`${slug}: questionnaires for most people from allocation on, some in progress at assessment, none at request`, () => {
      const submitted = new Set(allocation.assessments.filter((a) => a.status === 'submitted').map((a) => a.person_id));
      const open = allocation.assessments.filter((a) => a.status === 'in_progress');
      assert.equal(new Set(open.map((a) => a.person_id)).size, open.length, 'at most one questionnaire in progress per person');
      for (const p of council.people.filter((x) => x.stage === 'request')) {
        assert.ok(!allocation.assessments.some((a) => a.person_id === p.id), `${p.reference} at request has a questionnaire`);
      }
      const assessing = council.people.filter((p) => p.stage === 'assessment');
      assert.ok(assessing.every((p) => !submitted.has(p.id)), 'nobody at assessment has an indicative budget yet');
      const assessingOpen = open.filter((a) => person(a.person_id).stage === 'assessment').length;
      assert.ok(assessingOpen >= assessing.length / 4 && assessingOpen < assessing.length, `${assessingOpen} of ${assessing.length} in progress`);
      const later = council.people.filter((p) => ['allocation', 'planning', 'approval', 'agreed', 'review'].includes(p.stage));
      const share = later.filter((p) => submitted.has(p.id)).length / later.length;
      assert.ok(share > 0.7 && share < 0.95, `share ${share}`);
      const models = parsedModels(allocation);
      for (const a of open) {
        assert.equal(a.model_id, allocation.models[1]?.id, 'started under the published version');
        assert.equal(a.submitted_at, null);
        const applicable = allQuestions(models.get(a.model_id) as AllocationModel).filter((q) => questionApplies(q, a.age_years));
        const answered = Object.keys(JSON.parse(a.answers) as object);
        assert.ok(answered.length >= 1 && answered.length < applicable.length, 'partly answered');
        assert.ok(answered.every((id) => applicable.some((q) => q.id === id)));
      }
    });

    it(`${slug}: the record's indicative budget is the latest result, or the amount agreed on an exceptional case`, () => {
      const agreed = new Map(allocation.requests.filter((r) => r.status === 'agreed').map((r) => [r.result_id, r.agreed_pence]));
      for (const [personId, result] of latestResults(allocation)) {
        assert.equal(person(personId).indicative_budget_pence, agreed.get(result.id) ?? result.total_pence, person(personId).reference);
      }
    });

    it(`${slug}: questionnaires are completed with the family by the lead worker, and by the demo parent`, () => {
      const parent = families.accounts.find((a) => a.email === DEMO_FAMILY_ACCOUNTS[slug].parent);
      assert.ok(parent !== undefined);
      for (const a of allocation.assessments) {
        if (a.completed_with === 'family') assert.equal(a.started_by, parent.id);
        else assert.equal(a.started_by, person(a.person_id).lead_worker_id);
        assert.equal(a.submitted_by ?? a.started_by, a.started_by);
        assert.ok((a.started_at as Date) <= (a.updated_at as Date));
        if (a.submitted_at !== null) assert.ok((a.started_at as Date) <= (a.submitted_at as Date));
        assert.ok((a.updated_at as Date).toISOString().slice(0, 10) < TODAY, 'nothing is dated today or later');
      }
      const byParent = allocation.assessments.filter((a) => a.started_by === parent.id);
      assert.ok(byParent.some((a) => a.status === 'submitted'), 'the parent completed one child’s questionnaire');
      assert.ok(byParent.some((a) => a.status === 'in_progress'), 'the other child’s is waiting for the parent to finish');
      const children = new Set(families.links.filter((l) => l.account_id === parent.id).map((l) => l.person_id));
      assert.ok(byParent.every((a) => children.has(a.person_id)));
    });

    it(`${slug}: capped results wait for the panel; workers asked for more three times, decided by someone else`, () => {
      const latest = new Set([...latestResults(allocation).values()].map((r) => r.id));
      const results = new Map(allocation.results.map((r) => [r.id, r]));
      for (const r of allocation.results.filter((x) => x.exceptional_case_required)) {
        const cap = allocation.requests.find((q) => q.result_id === r.id && q.trigger === 'cap');
        assert.ok(cap !== undefined, `capped result of ${person(r.person_id).reference} has a request`);
        assert.equal(cap.reason, capRequestReason(resultFromJson(r.explanation)));
        assert.equal(cap.requested_at, r.scored_at);
        if (latest.has(r.id)) assert.equal(cap.status, 'pending');
      }
      const worker = allocation.requests.filter((q) => q.trigger === 'worker');
      assert.deepEqual(worker.map((q) => q.status).sort(), ['agreed', 'pending', 'refused']);
      const agreed = worker.find((q) => q.status === 'agreed');
      assert.equal(agreed?.decided_by, staffId('groupmanager'));
      assert.ok(agreed?.agreed_pence != null && agreed.agreed_pence > (results.get(agreed.result_id)?.total_pence ?? 0n));
      const refused = worker.find((q) => q.status === 'refused');
      assert.ok(refused?.decision_reason != null && refused.agreed_pence === null);
      assert.equal(worker.find((q) => q.status === 'pending')?.requested_by, staffId('caseworker'));
      for (const q of allocation.requests) {
        assert.notEqual(q.decided_by, q.requested_by);
        assert.equal(q.status === 'pending', q.decided_at === null);
        assert.equal(q.status === 'pending', q.decision_reason === null);
        assert.ok(latest.has(q.result_id) || q.status !== 'pending', 'only current figures wait for a decision');
        if (q.decided_at != null) assert.ok((q.decided_at as Date) > (q.requested_at as Date));
        assert.ok((q.requested_at as Date) >= (results.get(q.result_id)?.scored_at as Date));
      }
      const pendingPerResult = allocation.requests.filter((q) => q.status === 'pending').map((q) => q.result_id);
      assert.equal(new Set(pendingPerResult).size, pendingPerResult.length, 'at most one pending request per result');
    });

    it(`${slug}: answers fit the needs: more support for profound and severe learning difficulties than for dyslexia`, () => {
      const points = (needs: readonly string[]) => {
        const rows = allocation.results.filter((r) => person(r.person_id).case_type === 'ehc' && needs.includes(person(r.person_id).primary_need ?? ''));
        const each = rows.map((r) => resultFromJson(r.explanation).streams.reduce((sum, s) => sum + s.points, 0));
        return each.reduce((a, b) => a + b, 0) / Math.max(1, each.length);
      };
      assert.ok(points(['PMLD', 'SLD']) > 2 * points(['SpLD', 'SLCN']), `${points(['PMLD', 'SLD'])} vs ${points(['SpLD', 'SLCN'])}`);
    });

    it(`${slug}: the draft moves figures both ways, so the what-if report has increases and decreases`, () => {
      const models = parsedModels(allocation);
      const [, published, draft] = allocation.models.map((m) => models.get(m.id) as AllocationModel);
      const assessments = new Map(allocation.assessments.map((a) => [a.id, a]));
      let up = 0;
      let down = 0;
      for (const result of latestResults(allocation).values()) {
        const a = assessments.get(result.assessment_id);
        assert.ok(a !== undefined && published !== undefined && draft !== undefined);
        const answers = JSON.parse(a.answers) as Record<string, string>;
        const before = score(published, answers, { age: a.age_years });
        const after = score(draft, answers, { age: a.age_years });
        assert.ok(before.ok && after.ok);
        if (after.value.totals.afterAdjustmentsPence > before.value.totals.afterAdjustmentsPence) up += 1;
        if (after.value.totals.afterAdjustmentsPence < before.value.totals.afterAdjustmentsPence) down += 1;
      }
      assert.ok(up >= 20 && down >= 20, `${up} up, ${down} down`);
    });
  }

  it('has a calibration test group of people with ages, answers and costs, with costs in every stream, and a what-if run queued against the draft', () => {
    for (const [slug, { allocation }] of demo) {
      assert.equal(allocation.calibrationGroups.length, 1, slug);
      const group = allocation.calibrationGroups[0];
      assert.ok(group !== undefined && group.row_count >= 40, `${slug}: ${group?.row_count} people`);
      const rows = fromPenceJson<TestGroupRow[]>(group.rows);
      assert.ok(rows.every((r) => r.age !== null && r.answers !== null && /^TG-\d{3}$/.test(r.reference)), `${slug}: references only, with age and answers`);
      for (const stream of ['education_high_needs', 'social_care', 'health_continuing_care'] as const) {
        const withCost = rows.filter((r) => r.currentPence[stream] !== undefined);
        assert.ok(withCost.length >= 2, `${slug} ${stream}: ${withCost.length} people with a cost`);
      }
      const draft = allocation.models.find((m) => m.status === 'draft');
      assert.equal(allocation.impactRuns.length, 1);
      assert.equal(allocation.impactRuns[0]?.draft_model_id, draft?.id);
      assert.equal(allocation.impactRuns[0]?.status, 'queued');
    }
  });

  it('publishes version 2 on a 1 April in the past, in 2026 for a demo reset late in 2026', () => {
    assert.deepEqual(demoPublicationDates('2026-12-03'), { v1: '2024-04-01', v2: '2026-04-01' });
    assert.deepEqual(demoPublicationDates(TODAY), { v1: '2023-04-01', v2: '2025-04-01' });
    assert.deepEqual(demoPublicationDates('2028-02-29'), { v1: '2025-04-01', v2: '2027-04-01' });
  });

  it('is deterministic apart from ids, and leaves the rest of the demo data as it was', () => {
    for (const slug of DEMO_COUNCIL_SLUGS) {
      const again = generateCouncil(slug, TODAY);
      const families = demoFamiliesAndProviders(again, slug, TODAY);
      const withoutIndicative = () => withoutIds({ ...again, people: again.people.map((p) => ({ ...p, indicative_budget_pence: null })) });
      const before = withoutIndicative();
      const allocation = generateAllocation(again, families, slug, TODAY);
      assert.equal(withoutIndicative(), before, 'generating the allocation changes only indicative budgets');
      const first = demo.get(slug);
      assert.ok(first !== undefined);
      assert.equal(withoutIds({ ...again, allocation } as never), withoutIds({ ...first.council, allocation: first.allocation } as never));
    }
  });

  it('works on any day, including 29 February', () => {
    const leap = generateCouncil('southby', '2028-02-29');
    const allocation = generateAllocation(leap, demoFamiliesAndProviders(leap, 'southby', '2028-02-29'), 'southby', '2028-02-29');
    assert.ok(allocation.results.length > 150);
    assert.ok(allocation.assessments.every((a) => (a.updated_at as Date).toISOString().slice(0, 10) < '2028-02-29'));
  });
});
