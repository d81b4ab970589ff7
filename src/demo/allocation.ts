/**
 * Demo resource allocation (issue 4): each demo council's allocation model in three versions, the
 * questionnaires completed with (or by) the families, the indicative budgets they gave and a few
 * exceptional-case requests. Pure, like generate.ts: no database and no clock; the same council and
 * "today" give the same rows apart from the uuids (a seeded faker of its own drives every choice, so
 * the rest of the demo data does not move when this changes).
 *
 * The models. Both councils use one questionnaire built from the three-streams example
 * (THREE_STREAMS_JSON: personal care, getting out, health, learning, communication, behaviour and
 * help from family and friends) with one more question, "Support in education", and their own
 * points per stream, so that every demo person's kind of case gets a figure in the stream that funds
 * it: education points only from the two questions asked from 2 to 25, health points mostly from
 * health needs (a continuing-care level of need, not everyday ill health), social care from the
 * rest. Northam converts every stream by a price per point; Southby converts education by a price
 * per point and social care and health by points and bands (as in CHILDREN_BANDS_JSON), so the demo
 * shows both kinds of conversion. Every version of a council keeps the same questions, so an answer
 * given under one version scores under any other (the what-if impact run needs that):
 *   version 1  retired   published two years before version 2, a little cheaper;
 *   version 2  published on the 1 April at least 200 days before "today" (2026-04-01 for a demo reset
 *              in late 2026), by the council's administrator;
 *   version 3  draft     a recalibration: education dearer, social care cheaper, so the impact run
 *              shows increases and decreases.
 *
 * The questionnaires mirror the service's submit (src/services/allocation.ts): the answers kept are
 * those in scope at the person's age on the day, the current package per stream is what the
 * repository derives (budget lines by stream, else the recorded package in the stream of the case
 * type; none for a first plan's questionnaire, done before any package existed), scored with score()
 * and stored with resultToJson; a capped result gets a "cap" request with the service's reason,
 * pending on a person's latest result, agreed by the panel on an older one; the person's
 * indicative budget is the latest result's total
 * (or the amount agreed on an exceptional case). About four in five people from the allocation
 * stage on have one (people whose plan was agreed before version 2 have theirs under version 1);
 * the rest were assessed on paper before OneBudget and keep the figure generate.ts gave them. Some
 * people at the assessment stage have one in progress; nobody at the request stage has one.
 */
import { randomUUID } from 'node:crypto';
import { Faker, base } from '@faker-js/faker';
import type { Insertable } from 'kysely';
import type {
  AllocationAssessmentsTable,
  AllocationImpactRunsTable,
  AllocationModelsTable,
  AllocationResultsTable,
  CalibrationGroupsTable,
  ExceptionalCaseRequestsTable,
  JourneyStage,
  PrimaryNeed,
} from '../db/schema.ts';
import { packageToJson } from '../db/repositories/allocation.ts';
import { THREE_STREAMS_JSON } from '../domain/allocation/examples.ts';
import { CASE_TYPE_STREAM, allQuestions, questionApplies, type AllocationModel, type StreamCode } from '../domain/allocation/model.ts';
import type { ModelJson } from '../domain/allocation/schema.ts';
import { modelToJson, parseModelOrThrow } from '../domain/allocation/validate.ts';
import { score, type AllocationResult } from '../domain/allocation/score.ts';
import { resultToJson, toPenceJson } from '../domain/allocation/result-json.ts';
import { parseTestGroupCsv, testGroupCsvHeader } from '../domain/allocation/calibration.ts';
import { formatPence } from '../domain/money/money.ts';
import { ageOn } from '../domain/people/people.ts';
import { answersInScope, capRequestReason, packageInModel, streamPenceOf } from '../services/allocation.ts';
import type { DemoCouncilSlug } from './accounts.ts';
import type { DemoFamiliesAndProviders } from './families.ts';
import type { GeneratedCouncil, PersonRow } from './generate.ts';
import { COUNCILS } from './places.ts';
import { ADULT_NEEDS } from './text.ts';

export type ModelRow = Insertable<AllocationModelsTable> & { id: string; version: number; status: AllocationModelsTable['status']; model: string };
export type AssessmentRow = Insertable<AllocationAssessmentsTable> & { id: string; person_id: string; answers: string; current_package: string };
export type ResultRow = Insertable<AllocationResultsTable> & { id: string; person_id: string; assessment_id: string; model_id: string; explanation: string };
export type RequestRow = Insertable<ExceptionalCaseRequestsTable> & { id: string; result_id: string };

export type CalibrationGroupRow = Insertable<CalibrationGroupsTable> & { id: string; rows: string; row_count: number };
export type ImpactRunRow = Insertable<AllocationImpactRunsTable> & { id: string };

export interface GeneratedAllocation {
  /** Versions 1 (retired), 2 (published) and 3 (draft). */
  readonly models: ModelRow[];
  readonly assessments: AssessmentRow[];
  readonly results: ResultRow[];
  readonly requests: RequestRow[];
  /** A calibration test group read from a CSV file, as an administrator would upload it. */
  readonly calibrationGroups: CalibrationGroupRow[];
  /** The draft tried against everyone: queued, so the server runs it for real when it starts. */
  readonly impactRuns: ImpactRunRow[];
}

// ---- The models ----------------------------------------------------------------------------------

type Four = readonly [number, number, number, number];
type LevelJson = ModelJson['questionnaire']['domains'][number]['questions'][number]['levels'][number];
type QuestionJson = ModelJson['questionnaire']['domains'][number]['questions'][number];

/** Points per level (none, some, lots, exceptional) per stream, by question id. */
const POINTS: Readonly<Record<string, { readonly education: Four; readonly social: Four; readonly health: Four }>> = {
  'personal-care': { education: [0, 0, 0, 0], social: [0, 8, 21, 28], health: [0, 0, 0, 2] },
  'getting-out': { education: [0, 0, 0, 0], social: [0, 8, 21, 28], health: [0, 0, 0, 0] },
  'health-needs': { education: [0, 0, 0, 0], social: [0, 2, 4, 8], health: [0, 1, 30, 45] },
  learning: { education: [0, 10, 25, 40], social: [0, 0, 0, 0], health: [0, 0, 0, 0] },
  'support-in-learning': { education: [0, 6, 14, 24], social: [0, 0, 0, 0], health: [0, 0, 0, 0] },
  communication: { education: [0, 0, 0, 0], social: [0, 3, 6, 10], health: [0, 0, 0, 0] },
  behaviour: { education: [0, 0, 0, 0], social: [0, 8, 14, 20], health: [0, 0, 0, 1] },
};

const SUPPORT_IN_LEARNING: QuestionJson = {
  id: 'support-in-learning',
  title: 'Support in education',
  text: 'How much extra adult help is needed during the day at nursery, school or college?',
  help: 'Asked from age 2 to 25. Count the help needed, not the help given now.',
  appliesFromAge: 2,
  appliesToAge: 25,
  levels: [
    { id: 'none', label: 'No extra support', guidance: 'Manages the day with the help every pupil or student gets.', points: 0 },
    { id: 'some', label: 'Some support', guidance: 'Needs an adult nearby for some lessons or parts of the day.', points: 0 },
    { id: 'lots', label: 'Lots of support', guidance: 'Needs an adult with them for most of the day.', points: 0 },
    { id: 'exceptional', label: 'Exceptional support', guidance: 'Needs one or two trained adults all day, in a highly individual programme.', points: 0 },
  ],
};

/** The council questionnaire: the three-streams example's questions with the council's points, and "Support in education". */
function councilQuestionnaire(): ModelJson['questionnaire'] {
  const withPoints = (question: QuestionJson): QuestionJson => {
    const points = POINTS[question.id];
    if (points === undefined) return question; // help from family and friends: no points, a deduction
    return {
      ...question,
      levels: question.levels.map(
        (level, i): LevelJson => ({
          ...level,
          points: { education_high_needs: points.education[i] ?? 0, social_care: points.social[i] ?? 0, health_continuing_care: points.health[i] ?? 0 },
        }),
      ),
    };
  };
  return {
    domains: THREE_STREAMS_JSON.questionnaire.domains.map((domain) => ({
      ...domain,
      questions: domain.questions.flatMap((question) => (question.id === 'learning' ? [withPoints(question), withPoints(SUPPORT_IN_LEARNING)] : [withPoints(question)])),
    })),
  };
}

type Conversions = ModelJson['conversions'];

const PARENTAL_RESPONSIBILITY = [
  { fromAge: 0, toAge: 4, percent: 50, reason: 'Any parent gives a young child a lot of care; this part is usual parental responsibility.' },
  { fromAge: 5, toAge: 10, percent: 40, reason: 'Any parent gives a child of this age a good deal of care; this part is usual parental responsibility.' },
  { fromAge: 11, toAge: 17, percent: 25, reason: 'Any parent gives a teenager some care and supervision; this part is usual parental responsibility.' },
];
const INFORMAL_SUPPORT = {
  questionId: 'unpaid-help',
  deductions: [
    { levelId: 'some', percent: 5 },
    { levelId: 'most-days', percent: 15 },
    { levelId: 'every-day', percent: 25 },
  ],
};

/** Prices and band amounts of one version, in pence. */
interface Tariff {
  readonly educationPerPoint: number;
  readonly social: number; // Northam: per point; Southby: the "Some" band, the others in proportion
  readonly health: number; // Northam: per point; Southby: the "Continuing care" band, the others in proportion
}

const TARIFFS: Readonly<Record<DemoCouncilSlug, Readonly<Record<1 | 2 | 3, Tariff>>>> = {
  northam: {
    1: { educationPerPoint: 42_000, social: 28_000, health: 180_000 },
    2: { educationPerPoint: 45_000, social: 30_000, health: 190_000 },
    3: { educationPerPoint: 48_500, social: 28_000, health: 192_500 },
  },
  southby: {
    1: { educationPerPoint: 40_000, social: 1_130_000, health: 4_200_000 },
    2: { educationPerPoint: 42_500, social: 1_200_000, health: 4_500_000 },
    3: { educationPerPoint: 46_000, social: 1_110_000, health: 4_500_000 },
  },
};

function educationConversion(tariff: Tariff, capPence: number): NonNullable<Conversions['education_high_needs']> {
  return {
    kind: 'price-per-point',
    pricePerPointPence: tariff.educationPerPoint,
    capPence,
    rounding: { unitPence: 1_000, mode: 'down' },
    rangePercent: 5,
    transition: { maxChangePercentFirstYear: 20, appliesTo: 'increases-and-decreases' },
  };
}

/** Band amounts in proportion to a middle amount, rounded to £10. */
const scaled = (middle: number, factor: number) => Math.round((middle * factor) / 1_000) * 1_000;

function conversions(slug: DemoCouncilSlug, tariff: Tariff): Conversions {
  if (slug === 'northam') {
    return {
      education_high_needs: educationConversion(tariff, 2_600_000),
      social_care: {
        kind: 'price-per-point',
        pricePerPointPence: tariff.social,
        ageReductions: PARENTAL_RESPONSIBILITY,
        informalSupport: INFORMAL_SUPPORT,
        minimumPence: 100_000,
        capPence: 2_500_000,
        rounding: { unitPence: 100, mode: 'up' },
        rangePercent: 10,
        transition: { maxChangePercentFirstYear: 10, appliesTo: 'decreases' },
      },
      health_continuing_care: {
        kind: 'price-per-point',
        pricePerPointPence: tariff.health,
        capPence: 9_000_000,
        rounding: { unitPence: 100, mode: 'nearest' },
        rangePercent: 15,
        transition: { maxChangePercentFirstYear: 10, appliesTo: 'decreases' },
      },
    };
  }
  return {
    education_high_needs: educationConversion(tariff, 2_500_000),
    social_care: {
      kind: 'bands',
      bands: [
        { name: 'No support', fromPoints: 0, toPoints: 15, annualPence: 0 },
        { name: 'Small', fromPoints: 16, toPoints: 35, annualPence: scaled(tariff.social, 0.35) },
        { name: 'Some', fromPoints: 36, toPoints: 55, annualPence: tariff.social },
        { name: 'Lots', fromPoints: 56, toPoints: 75, annualPence: scaled(tariff.social, 1.8) },
        { name: 'Exceptional', fromPoints: 76, toPoints: null, annualPence: scaled(tariff.social, 2.7) },
      ],
      ageReductions: PARENTAL_RESPONSIBILITY,
      informalSupport: INFORMAL_SUPPORT,
      capPence: 2_800_000,
      rounding: { unitPence: 1_000, mode: 'nearest' },
      rangePercent: 10,
      transition: { maxChangePercentFirstYear: 15, appliesTo: 'decreases' },
    },
    health_continuing_care: {
      kind: 'bands',
      bands: [
        { name: 'No health budget', fromPoints: 0, toPoints: 0, annualPence: 0 },
        { name: 'Therapies and equipment', fromPoints: 1, toPoints: 9, annualPence: scaled(tariff.health, 1 / 15) },
        { name: 'Continuing care', fromPoints: 10, toPoints: 34, annualPence: tariff.health },
        { name: 'High continuing care', fromPoints: 35, toPoints: 47, annualPence: scaled(tariff.health, 14 / 9) },
        { name: 'Complex continuing care', fromPoints: 48, toPoints: null, annualPence: scaled(tariff.health, 20 / 9) },
      ],
      capPence: 9_500_000,
      rounding: { unitPence: 1_000, mode: 'nearest' },
      rangePercent: 10,
      transition: { maxChangePercentFirstYear: 10, appliesTo: 'decreases' },
    },
  };
}

const DESCRIPTIONS: Readonly<Record<1 | 2 | 3, string>> = {
  1: 'The first version, used from its publication until the current version replaced it.',
  2: 'The version in force.',
  3: 'Draft for next year: recalibrated against what the council spends now. Education is dearer per point and social care cheaper. Not in force until published.',
};

/** The demo model of a council at a version (1 retired, 2 published, 3 draft), as JSON. */
export function demoModelJson(slug: DemoCouncilSlug, version: 1 | 2 | 3): ModelJson {
  const conversionWords =
    slug === 'northam'
      ? 'Each funding stream has its own price per point and adjustments.'
      : 'Education has a price per point; social care and health turn points into a band, each band an annual amount.';
  return {
    name: `${COUNCILS[slug].name} resource allocation`,
    description: `For children, young people and adults with education, health and care needs. One questionnaire, completed with the family and answered as if there was no paid support. ${conversionWords} ${DESCRIPTIONS[version]}`,
    questionnaire: councilQuestionnaire(),
    conversions: conversions(slug, TARIFFS[slug][version]),
  };
}

// ---- Dates ---------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const dayOf = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Version 2 is published on the latest 1 April at least 200 days before today; version 1 two years before. */
export function demoPublicationDates(today: string): { v1: string; v2: string } {
  const latest = isoOf(dayOf(today) - 200);
  const year = Number(latest.slice(0, 4)) - (latest.slice(5) < '04-01' ? 1 : 0);
  return { v1: `${year - 2}-04-01`, v2: `${year}-04-01` };
}

// ---- Answers -------------------------------------------------------------------------------------

/** Base level (0 none … 3 exceptional) per question, by need; noise and the package size move it. */
type Profile = Readonly<Record<'personal-care' | 'getting-out' | 'health-needs' | 'learning' | 'support-in-learning' | 'communication' | 'behaviour', number>>;
const profile = (pc: number, go: number, health: number, learning: number, support: number, communication: number, behaviour: number): Profile => ({
  'personal-care': pc,
  'getting-out': go,
  'health-needs': health,
  learning,
  'support-in-learning': support,
  communication,
  behaviour,
});

const CHILD_PROFILES: Readonly<Record<PrimaryNeed, Profile>> = {
  PMLD: profile(2.8, 2.8, 1.9, 3, 2.7, 2.8, 0.8),
  SLD: profile(2, 2.3, 0.8, 2.4, 2.1, 2.3, 1.8),
  MSI: profile(1.8, 2.5, 0.8, 2.2, 2.3, 2.8, 0.8),
  PD: profile(2, 2.3, 1.1, 0.8, 1.8, 0.8, 0.2),
  DS: profile(1, 1.2, 0.6, 2, 1.6, 1.6, 0.8),
  ASD: profile(0.8, 1.3, 0.2, 1.3, 1.6, 1.9, 1.8),
  SEMH: profile(0.2, 0.8, 0.2, 1.2, 1.5, 0.9, 2.3),
  MLD: profile(0.4, 0.6, 0.1, 1.8, 1.2, 1, 0.6),
  SLCN: profile(0.2, 0.4, 0, 1.3, 1, 1.9, 0.6),
  HI: profile(0.1, 0.4, 0.3, 1, 1.2, 1.9, 0.2),
  VI: profile(0.4, 1.6, 0.3, 1, 1.4, 0.6, 0.1),
  OTH: profile(0.6, 0.8, 0.8, 1.2, 1.2, 0.9, 0.7),
  SpLD: profile(0, 0, 0, 1, 0.4, 0.3, 0.2),
};
const CHILD_SOCIAL_CARE_UNKNOWN = profile(1.2, 1.5, 0.5, 1.5, 1.3, 1.3, 1.2);
const CONTINUING_CARE_CHILD = profile(2.8, 2.5, 2.6, 2.3, 2.4, 2, 0.6);
const CONTINUING_CARE_ADULT = profile(2.8, 2.6, 2.6, 1, 1, 1.6, 0.8);
const ADULT_PROFILES: Readonly<Record<string, Profile>> = {
  'Learning disability': profile(1.4, 1.9, 0.6, 1.8, 1.2, 1.8, 1.2),
  'Autistic adult': profile(0.6, 1.6, 0.3, 1, 0.8, 1.8, 1.6),
  'Physical disability': profile(2.3, 2.3, 0.8, 0.3, 0.5, 0.4, 0.1),
  'Long-term mental health condition': profile(0.5, 1.4, 0.8, 0.5, 0.3, 1, 1.7),
  'Frailty in older age': profile(1.9, 2, 1, 0, 0, 0.4, 0.2),
  Dementia: profile(1.7, 2.2, 0.8, 0, 0, 1.6, 1.5),
  'Sight and hearing loss': profile(1, 2, 0.4, 0, 0, 1.4, 0.2),
};
const ADULT_DEFAULT = profile(1.4, 1.8, 0.6, 0.5, 0.5, 1, 0.8);

function profileOf(person: PersonRow, age: number): Profile {
  switch (person.case_type) {
    case 'ehc':
      return CHILD_PROFILES[person.primary_need ?? 'OTH'];
    case 'social_care_child':
      return person.primary_need === null ? CHILD_SOCIAL_CARE_UNKNOWN : CHILD_PROFILES[person.primary_need];
    case 'continuing_care':
      return age < 18 ? CONTINUING_CARE_CHILD : CONTINUING_CARE_ADULT;
    case 'social_care_adult': {
      const need = ADULT_NEEDS.find((n) => person.needs_summary.startsWith(`${n.lead};`));
      return (need && ADULT_PROFILES[need.lead]) ?? ADULT_DEFAULT;
    }
  }
}

const LEVEL_IDS = ['none', 'some', 'lots', 'exceptional'] as const;
const UNPAID_IDS = ['none', 'some', 'most-days', 'every-day'] as const;

const LATER_STAGES: readonly JourneyStage[] = ['allocation', 'planning', 'approval', 'agreed', 'review'];

function seedFor(slug: string): number {
  let hash = 4_004;
  for (const char of `${slug}:allocation`) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000_007;
  return hash;
}

/**
 * Generates the allocation rows of one demo council. Sets `indicative_budget_pence` of the people
 * with a questionnaire to their latest figure, in place (like demoFamiliesAndProviders' siblings).
 */
export function generateAllocation(generated: GeneratedCouncil, families: DemoFamiliesAndProviders, slug: DemoCouncilSlug, today: string): GeneratedAllocation {
  const faker = new Faker({ locale: [base], seed: seedFor(slug) });
  const int = (min: number, max: number): number => (max <= min ? min : faker.number.int({ min, max }));
  const chance = (probability: number): boolean => faker.datatype.boolean({ probability });

  const councilId = generated.council.id;
  const todayDay = dayOf(today);
  const lastDay = todayDay - 1; // nothing is dated today: the seed may run before the working day starts
  const staffId = (mailbox: string): string => {
    const row = generated.staff.find((s) => s.email === `${mailbox}@${slug}.example`);
    if (row === undefined) throw new Error(`The ${slug} demo data has no ${mailbox}@ account`);
    return row.id;
  };
  const admin = staffId('admin');
  /** A time in the working day (09:00 to 17:00 UTC) of a day number. */
  const at = (day: number): Date => new Date(day * DAY_MS + (9 * 60 + int(0, 8 * 60 - 1)) * 60_000);
  /** A working-day time some days after `time` (never today), and never before `time`. */
  const after = (time: Date, minDays: number, maxDays: number): Date => {
    const day = Math.floor(time.getTime() / DAY_MS);
    const later = at(Math.min(lastDay, day + int(minDays, maxDays)));
    return later > time ? later : new Date(time.getTime() + int(10, 90) * 60_000);
  };

  // The three versions.
  const dates = demoPublicationDates(today);
  const v1Day = dayOf(dates.v1);
  const v2Day = dayOf(dates.v2);
  const parsed = new Map<string, AllocationModel>();
  const modelRow = (version: 1 | 2 | 3): ModelRow => {
    const model = parseModelOrThrow(demoModelJson(slug, version));
    const id = randomUUID();
    parsed.set(id, model);
    const createdDay = version === 3 ? Math.max(v2Day + 30, todayDay - 40) : (version === 1 ? v1Day : v2Day) - int(35, 60);
    const created = at(createdDay);
    const updated = at(version === 3 ? Math.max(createdDay, todayDay - int(3, 10)) : createdDay + int(10, 25));
    return {
      id,
      council_id: councilId,
      version,
      status: version === 1 ? 'retired' : version === 2 ? 'published' : 'draft',
      model: JSON.stringify(modelToJson(model)),
      published_on: version === 1 ? dates.v1 : version === 2 ? dates.v2 : null,
      retired_on: version === 1 ? dates.v2 : null,
      created_by: admin,
      created_at: created,
      updated_by: admin,
      updated_at: updated < created ? created : updated,
      published_by: version === 3 ? null : admin,
    };
  };
  const models = [modelRow(1), modelRow(2), modelRow(3)];
  const [v1, v2] = models as [ModelRow, ModelRow, ModelRow];
  const modelOf = (row: ModelRow): AllocationModel => parsed.get(row.id) as AllocationModel;

  // Current packages, as the repository derives them at submit time.
  const streamCode = new Map(generated.fundingStreams.map((s) => [s.id, s.code]));
  const linesOf = new Map<string, Partial<Record<StreamCode, bigint>>>();
  for (const line of generated.budgetLines) {
    const code = streamCode.get(line.funding_stream_id);
    if (code === undefined) continue;
    const pkg = linesOf.get(line.person_id) ?? {};
    pkg[code] = (pkg[code] ?? 0n) + line.annual_pence;
    linesOf.set(line.person_id, pkg);
  }
  const packageOf = (person: PersonRow): Partial<Record<StreamCode, bigint>> => {
    const lines = linesOf.get(person.id);
    if (lines !== undefined) return lines;
    if (person.current_package_pence !== null && person.current_package_pence > 0n) return { [CASE_TYPE_STREAM[person.case_type]]: person.current_package_pence };
    return {};
  };

  // Bigger packages mean more support needed: a person's rank among their kind of case moves the answers.
  const shiftOf = new Map<string, number>();
  for (const caseType of ['ehc', 'social_care_child', 'social_care_adult', 'continuing_care'] as const) {
    const ranked = generated.people
      .filter((p) => p.case_type === caseType && p.current_package_pence !== null)
      .sort((a, b) => Number((a.current_package_pence ?? 0n) - (b.current_package_pence ?? 0n)) || a.reference.localeCompare(b.reference));
    ranked.forEach((p, i) => shiftOf.set(p.id, ranked.length < 2 ? 0 : (i / (ranked.length - 1) - 0.5) * 1.2));
  }

  /** Plausible answers for a person at an age, every question asked at that age answered. */
  const answersFor = (person: PersonRow, age: number): Record<string, string> => {
    const needs = profileOf(person, age);
    const shift = shiftOf.get(person.id) ?? 0;
    const answers: Record<string, string> = {};
    for (const question of allQuestions(modelOf(v2))) {
      if (!questionApplies(question, age)) continue;
      if (question.id === 'unpaid-help') {
        answers[question.id] = unpaidHelp(person, age);
        continue;
      }
      // Education needs count for people with an EHC plan (or in continuing care); a health need at a
      // continuing-care level ("lots" or more) only in continuing care.
      const education = question.id === 'learning' || question.id === 'support-in-learning';
      const social = person.case_type === 'social_care_child' || person.case_type === 'social_care_adult';
      const baseLevel = education && social ? -0.2 : needs[question.id as keyof Profile];
      const highest = question.id === 'health-needs' && person.case_type !== 'continuing_care' ? 1 : 3;
      const level = Math.min(highest, Math.max(0, Math.round(baseLevel + (education && social ? 0 : shift) + int(-70, 70) / 100)));
      answers[question.id] = LEVEL_IDS[level] ?? 'none';
    }
    return answers;
  };
  const unpaidHelp = (person: PersonRow, age: number): string => {
    const setting = person.setting ?? '';
    let weights: readonly number[]; // none, some, most days, every day
    if (age < 18) weights = age < 11 ? [1, 2, 4, 3] : [1, 3, 4, 2];
    else if (/care home|nursing home|supported living|shared lives/i.test(setting)) weights = [6, 2, 0, 0];
    else if (/alone/i.test(setting)) weights = [4, 3, 1, 0];
    else if (/with (their|family)|with parents|spouse|partner/i.test(setting)) weights = [1, 2, 4, 3];
    else weights = [2, 3, 2, 1];
    return faker.helpers.weightedArrayElement(UNPAID_IDS.map((value, i) => ({ value, weight: weights[i] ?? 0 })).filter((w) => w.weight > 0));
  };

  const assessments: AssessmentRow[] = [];
  const results: ResultRow[] = [];
  const requests: RequestRow[] = [];
  interface Scored {
    readonly person: PersonRow;
    readonly row: ResultRow;
    readonly result: AllocationResult;
    readonly version: 1 | 2;
    readonly by: string;
  }
  const latest = new Map<string, Scored>();
  const history: Scored[] = [];

  /** A submitted questionnaire and its result, exactly as the service's submit stores them. */
  const submit = (
    person: PersonRow,
    version: 1 | 2,
    submittedDay: number,
    options: { by: string; completedWith: 'worker_with_family' | 'family'; withPackage: boolean },
  ): Scored => {
    const modelRecord = version === 1 ? v1 : v2;
    const model = modelOf(modelRecord);
    const submittedAt = at(submittedDay);
    const startedDay = Math.max(dayOf(person.request_date), version === 2 ? v2Day : v1Day, submittedDay - int(0, 21));
    let startedAt = at(startedDay);
    if (startedAt > submittedAt) startedAt = new Date(submittedAt.getTime() - int(20, 90) * 60_000);
    const age = ageOn(person.date_of_birth, isoOf(submittedDay));
    const currentPackage = options.withPackage ? packageInModel(model, packageOf(person)) : {};
    const answers = answersInScope(model, answersFor(person, age), age);
    const scored = score(model, answers, { age, currentPackagePence: currentPackage });
    if (!scored.ok) throw new Error(`demo questionnaire for ${person.reference} does not score: ${JSON.stringify(scored.errors)}`);
    const result = scored.value;
    const assessmentId = randomUUID();
    assessments.push({
      id: assessmentId,
      council_id: councilId,
      person_id: person.id,
      model_id: modelRecord.id,
      status: 'submitted',
      completed_with: options.completedWith,
      answers: JSON.stringify(answers),
      age_years: age,
      current_package: packageToJson(currentPackage),
      started_by: options.by,
      started_at: startedAt,
      updated_at: submittedAt,
      submitted_by: options.by,
      submitted_at: submittedAt,
    });
    const streams = streamPenceOf(result);
    const row: ResultRow = {
      id: randomUUID(),
      council_id: councilId,
      assessment_id: assessmentId,
      person_id: person.id,
      model_id: modelRecord.id,
      scored_at: submittedAt,
      education_high_needs_pence: streams.education_high_needs ?? null,
      social_care_pence: streams.social_care ?? null,
      health_continuing_care_pence: streams.health_continuing_care ?? null,
      total_pence: result.totals.indicativePence,
      exceptional_case_required: result.exceptionalCaseRequired,
      explanation: resultToJson(result),
    };
    results.push(row);
    return { person, row, result, version, by: options.by };
  };

  /** A questionnaire started under the published version and partly answered. */
  const inProgress = (person: PersonRow, options: { by: string; completedWith: 'worker_with_family' | 'family'; fromDay: number }) => {
    const startedDay = Math.min(lastDay, Math.max(options.fromDay, v2Day, dayOf(person.request_date)));
    const startedAt = at(startedDay);
    const age = ageOn(person.date_of_birth, isoOf(startedDay));
    const model = modelOf(v2);
    const all = Object.entries(answersInScope(model, answersFor(person, age), age));
    const answered = all.slice(0, int(1, Math.max(1, all.length - 2)));
    assessments.push({
      id: randomUUID(),
      council_id: councilId,
      person_id: person.id,
      model_id: v2.id,
      status: 'in_progress',
      completed_with: options.completedWith,
      answers: JSON.stringify(Object.fromEntries(answered)),
      age_years: age,
      current_package: '{}',
      started_by: options.by,
      started_at: startedAt,
      updated_at: after(startedAt, 0, 6),
      submitted_by: null,
      submitted_at: null,
    });
  };

  // The demo family: one child's questionnaire completed by the parent, the other's left in progress for them.
  const parentAccount = families.accounts.find((a) => a.kind === 'family' && a.email.startsWith('parent@'));
  const parentChildren = families.links
    .filter((l) => l.account_id === parentAccount?.id)
    .map((l) => generated.people.find((p) => p.id === l.person_id))
    .filter((p): p is PersonRow => p !== undefined);
  const byParent = [...parentChildren]
    .filter((p) => LATER_STAGES.includes(p.stage))
    .sort((a, b) => Number(a.stage === 'agreed' || a.stage === 'review') - Number(b.stage === 'agreed' || b.stage === 'review'))[0];
  const parentFinishes = parentChildren.find((p) => p !== byParent && p.stage !== 'request');

  for (const person of generated.people) {
    const lead = person.lead_worker_id;
    if (person.stage === 'request' || lead === null) continue;
    const requestDay = dayOf(person.request_date);
    const stageDay = dayOf(person.stage_since);
    const mustHave = person === byParent || person === parentFinishes;
    if (person.stage === 'assessment') {
      if (person === parentFinishes && parentAccount !== undefined) inProgress(person, { by: parentAccount.id, completedWith: 'family', fromDay: lastDay - int(2, 9) });
      else if (chance(0.6)) inProgress(person, { by: lead, completedWith: 'worker_with_family', fromDay: Math.max(stageDay, lastDay - int(0, 40)) });
      continue;
    }
    if (!mustHave && !chance(0.84)) continue; // assessed on paper before OneBudget: keeps generate.ts's figure
    const worker = { by: lead, completedWith: 'worker_with_family' as const };
    const who = person === byParent && parentAccount !== undefined ? { by: parentAccount.id, completedWith: 'family' as const } : worker;
    const clamp = (day: number) => Math.min(lastDay, day);
    let scored: Scored | undefined;
    switch (person.stage) {
      case 'allocation':
        scored = submit(person, 2, clamp(Math.max(stageDay, v2Day)), { ...who, withPackage: true });
        break;
      case 'planning':
      case 'approval':
        scored = submit(person, 2, clamp(Math.max(v2Day, int(Math.max(requestDay + 28, stageDay - 30), stageDay))), { ...who, withPackage: true });
        break;
      case 'review': {
        // The questionnaire was first done when the plan was made (under version 1 when that was in force),
        // and again for this review.
        const firstDay = requestDay + int(28, 70);
        if (firstDay >= v1Day && firstDay < v2Day && chance(0.6)) history.push(submit(person, 1, firstDay, { ...worker, withPackage: false }));
        scored = submit(person, 2, clamp(Math.max(v2Day, int(stageDay, stageDay + 14))), { ...who, withPackage: true });
        break;
      }
      case 'agreed': {
        // Done before the plan was agreed (or last reviewed): a first plan has no package yet.
        const newPlan = requestDay + 200 >= stageDay;
        const latestDay = stageDay - int(14, 45);
        const earliest = newPlan ? requestDay + 28 : stageDay - 75;
        if (latestDay >= v2Day + 3) scored = submit(person, 2, clamp(Math.max(v2Day, int(Math.min(earliest, latestDay), latestDay))), { ...who, withPackage: !newPlan });
        else if (latestDay >= v1Day + 3 && latestDay < v2Day) scored = submit(person, 1, Math.max(v1Day, int(Math.min(earliest, latestDay), latestDay)), { ...worker, withPackage: !newPlan });
        else if (mustHave) scored = submit(person, 2, clamp(v2Day + int(3, 60)), { ...who, withPackage: true }); // reassessed under the new version
        break;
      }
      default:
        break;
    }
    if (scored !== undefined) latest.set(person.id, scored);
  }

  // The parent's update of the other child's questionnaire, in progress (after any earlier one).
  if (parentFinishes !== undefined && parentFinishes.stage !== 'assessment' && parentAccount !== undefined) {
    const previous = latest.get(parentFinishes.id)?.row.scored_at;
    const previousDay = previous instanceof Date ? Math.floor(previous.getTime() / DAY_MS) + 1 : 0;
    inProgress(parentFinishes, { by: parentAccount.id, completedWith: 'family', fromDay: Math.max(previousDay, lastDay - int(2, 9)) });
  }

  // Exceptional cases. A capped result is referred to the panel when it is submitted; the latest ones
  // are waiting for a decision, older ones were agreed long ago.
  const groupManager = staffId('groupmanager');
  const headOfService = staffId('headofservice');
  const caseworker = staffId('caseworker');
  const roundUp = (pence: bigint, unit: bigint) => ((pence + unit - 1n) / unit) * unit;
  const request = (scored: Scored, fields: Partial<RequestRow> & { trigger: 'cap' | 'worker'; reason: string; requested_by: string; requested_at: Date }): RequestRow => {
    const row: RequestRow = {
      id: randomUUID(),
      council_id: councilId,
      person_id: scored.person.id,
      result_id: scored.row.id,
      requested_pence: null,
      status: 'pending',
      decided_by: null,
      decided_at: null,
      decision_reason: null,
      agreed_pence: null,
      ...fields,
    };
    requests.push(row);
    return row;
  };
  const agreedOverride = new Map<string, bigint>();
  for (const scored of [...history, ...latest.values()]) {
    if (!scored.result.exceptionalCaseRequired) continue;
    const requestedAt = scored.row.scored_at as Date;
    const isLatest = latest.get(scored.person.id) === scored;
    const decidedAt = after(requestedAt, 10, 28);
    if (isLatest) {
      request(scored, { trigger: 'cap', reason: capRequestReason(scored.result), requested_by: scored.by, requested_at: requestedAt });
    } else {
      const decider = scored.by === groupManager ? headOfService : groupManager;
      const cappedOff = -scored.result.streams.flatMap((s) => s.lines).reduce((sum, line) => sum + (line.kind === 'cap' ? line.amountPence : 0n), 0n);
      const agreed = roundUp(scored.result.totals.indicativePence + cappedOff / 2n, 10_000n);
      request(scored, {
        trigger: 'cap',
        reason: capRequestReason(scored.result),
        requested_by: scored.by,
        requested_at: requestedAt,
        status: 'agreed',
        decided_by: decider,
        decided_at: decidedAt,
        decision_reason: `Agreed by the exceptional cases panel at ${formatPence(agreed)} a year: the support plan shows the needs above the cap are met by the support costed in it. Recorded for recalibration.`,
        agreed_pence: agreed,
      });
    }
  }

  // Three requests by workers who believe the figure is not enough: one agreed by the group manager,
  // one refused, and one from the demo caseworker waiting for the demo approver.
  const family = new Set(families.links.map((l) => l.person_id));
  const used = new Set<string>();
  const candidate = (test: (s: Scored) => boolean): Scored | undefined =>
    [...latest.values()].find(
      (s) =>
        s.version === 2 &&
        !s.result.exceptionalCaseRequired &&
        !s.person.restricted &&
        !family.has(s.person.id) &&
        !used.has(s.person.id) &&
        s.by === s.person.lead_worker_id &&
        s.result.totals.indicativePence > 0n &&
        test(s),
    );
  const daysAgo = (s: Scored) => lastDay - Math.floor((s.row.scored_at as Date).getTime() / DAY_MS);
  const physical = (s: Scored) =>
    s.person.primary_need === 'PD' || s.person.primary_need === 'PMLD' || s.person.needs_summary.startsWith('Physical disability;') || s.person.case_type === 'continuing_care';
  const agreedCase = candidate((s) => physical(s) && ['planning', 'approval', 'agreed', 'review'].includes(s.person.stage) && daysAgo(s) >= 30) ?? candidate((s) => daysAgo(s) >= 30);
  if (agreedCase !== undefined) {
    used.add(agreedCase.person.id);
    const total = agreedCase.result.totals.indicativePence;
    const requested = roundUp(total + 780_000n, 10_000n);
    const agreed = roundUp(total + 620_000n, 10_000n);
    const requestedAt = after(agreedCase.row.scored_at as Date, 2, 6);
    request(agreedCase, {
      trigger: 'worker',
      reason:
        `${agreedCase.person.given_name} now needs two carers for every transfer and for personal care, after a hip operation and a new hoist at home. ` +
        'The questionnaire scores how much help is needed, not that it needs two people. The occupational therapist’s report recommends a second carer for about ten hours a week. ' +
        `I am asking for ${formatPence(requested)} a year.`,
      requested_pence: requested,
      requested_by: agreedCase.by,
      requested_at: requestedAt,
      status: 'agreed',
      decided_by: groupManager,
      decided_at: after(requestedAt, 4, 12),
      decision_reason:
        `Agreed at ${formatPence(agreed)} a year. The occupational therapy report confirms that two carers are needed for transfers and personal care; eight hours a week of a second carer is enough, ` +
        'as the morning routine already has two. To be looked at again at the next review. Recorded for recalibration: the model has no question about support of two.',
      agreed_pence: agreed,
    });
    agreedOverride.set(agreedCase.person.id, agreed);
  }
  const ageNow = (s: Scored) => ageOn(s.person.date_of_birth, today);
  const child = (s: Scored) => ageNow(s) >= 5 && ageNow(s) <= 15;
  const outAndAbout = (s: Scored) => ['ASD', 'SEMH', 'SLD', 'PD', 'MLD', 'DS'].includes(s.person.primary_need ?? '');
  const refusedCase =
    candidate((s) => child(s) && outAndAbout(s) && ['planning', 'approval'].includes(s.person.stage) && daysAgo(s) >= 20) ??
    candidate((s) => child(s) && daysAgo(s) >= 20);
  if (refusedCase !== undefined) {
    used.add(refusedCase.person.id);
    const requested = roundUp(refusedCase.result.totals.indicativePence + 350_000n, 10_000n);
    const requestedAt = after(refusedCase.row.scored_at as Date, 1, 5);
    request(refusedCase, {
      trigger: 'worker',
      reason:
        `The family would like a week’s residential activity holiday with a support worker each summer, and more sessions at the holiday play scheme, because ${refusedCase.person.given_name}’s parents both work full time. ` +
        `I am asking for ${formatPence(requested)} a year.`,
      requested_pence: requested,
      requested_by: refusedCase.by,
      requested_at: requestedAt,
      status: 'refused',
      decided_by: headOfService,
      decided_at: after(requestedAt, 3, 10),
      decision_reason:
        'Refused. The needs described are already scored, in "Getting out and about" and "Help from family and friends", and the indicative budget can pay for holiday activities. ' +
        'Childcare while parents work is not an assessed need. The family can ask for this decision to be reviewed within 28 days, and the short breaks offer remains open to them.',
    });
  }
  const behaviour = (s: Scored) => s.person.primary_need === 'SEMH' || s.person.primary_need === 'ASD';
  const pendingCase =
    candidate((s) => s.by === caseworker && child(s) && behaviour(s) && ['allocation', 'planning'].includes(s.person.stage)) ??
    candidate((s) => s.by === caseworker && child(s) && behaviour(s)) ??
    candidate((s) => s.by === caseworker && child(s));
  if (pendingCase !== undefined) {
    used.add(pendingCase.person.id);
    const requested = roundUp(pendingCase.result.totals.indicativePence + 540_000n, 10_000n);
    const requestedAt = after(pendingCase.row.scored_at as Date, 1, 4);
    request(pendingCase, {
      trigger: 'worker',
      reason:
        `Since September ${pendingCase.person.given_name} has been sent home at lunchtime most days, because break times without an adult end in incidents. ` +
        'The school’s behaviour log and the educational psychologist’s advice both say an adult is needed at unstructured times, about seven and a half hours a week, which the questionnaire does not capture. ' +
        `I am asking for ${formatPence(requested)} a year.`,
      requested_pence: requested,
      requested_by: pendingCase.by,
      requested_at: requestedAt,
    });
  }

  // The person's record shows the latest figure, or the amount agreed on an exceptional case.
  for (const [personId, scored] of latest) {
    scored.person.indicative_budget_pence = agreedOverride.get(personId) ?? scored.result.totals.indicativePence;
  }

  // Each person's latest submitted questionnaire is their current one.
  const latestSubmitted = new Map<string, AssessmentRow>();
  for (const a of assessments) {
    if (a.status !== 'submitted' || a.submitted_at == null) continue;
    const seen = latestSubmitted.get(a.person_id);
    if (seen === undefined || new Date(a.submitted_at) > new Date(seen.submitted_at ?? 0)) latestSubmitted.set(a.person_id, a);
  }
  for (const a of latestSubmitted.values()) a.is_current = true;

  const draftModel = models.find((m) => m.status === 'draft');
  const impactRuns: ImpactRunRow[] =
    draftModel === undefined
      ? []
      : [{ id: randomUUID(), council_id: councilId, draft_model_id: draftModel.id, published_model_id: models.find((m) => m.status === 'published')?.id ?? null, status: 'queued', started_by: admin, started_at: at(lastDay) }];
  const groupCsv = testGroupCsv(assessments, int);
  const group = parseTestGroupCsv(groupCsv.text, groupCsv.streams);
  if (!group.ok) throw new Error(`the demo test group does not read: ${group.errors[0]?.message ?? ''}`);
  const calibrationGroups: CalibrationGroupRow[] = [
    { id: randomUUID(), council_id: councilId, name: 'Test group: 2025–26 packages', row_count: group.value.length, rows: toPenceJson(group.value), uploaded_by: admin, uploaded_at: at(lastDay - 7) },
  ];
  return { models, assessments, results, requests, calibrationGroups, impactRuns };
}

/**
 * A calibration test group as a council would assemble it: people whose packages are known (here, up
 * to 80 demo people with a submitted questionnaire and a current package), with their age, answers
 * and current annual cost per stream, written as the CSV an administrator uploads (by reference
 * only: TG-001…). Costs wander a little from the package on record, as real invoices do.
 */
function testGroupCsv(assessments: readonly AssessmentRow[], int: (min: number, max: number) => number): { text: string; streams: StreamCode[] } {
  const streams: StreamCode[] = ['education_high_needs', 'social_care', 'health_continuing_care'];
  const lines = [testGroupCsvHeader(streams, 'answers').join(',')];
  let n = 0;
  for (const a of assessments) {
    if (n >= 80) break;
    const pkg = JSON.parse(a.current_package) as Record<string, number>;
    if (a.status !== 'submitted' || Object.keys(pkg).length === 0) continue;
    n += 1;
    const answers = Object.entries(JSON.parse(a.answers) as Record<string, string>).map(([q, l]) => `${q}=${l}`).join(';');
    const costs = streams.map((code) => {
      const pence = pkg[code];
      if (pence === undefined) return '';
      const wandered = Math.round((pence * int(85, 115)) / 100);
      return `${Math.floor(wandered / 100)}.${String(wandered % 100).padStart(2, '0')}`;
    });
    lines.push([`TG-${String(n).padStart(3, '0')}`, String(a.age_years), answers, ...costs].join(','));
  }
  return { text: `${lines.join('\n')}\n`, streams };
}
