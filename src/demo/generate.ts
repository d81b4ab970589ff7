/**
 * Pure generation of one demo council's rows: no database, no clock. The same slug and "today" give
 * the same data apart from the uuids (a seeded faker drives every choice; dates count back from
 * "today"). Money is integer pence in bigints, built from integer unit costs × integer quantities.
 */
import { JOURNEY_STAGES as DOMAIN_STAGES, ageOn } from '../domain/people/people.ts';
import { formatPenceShort } from '../domain/money/money.ts';
import { randomUUID } from 'node:crypto';
import { Faker, base, en, en_GB } from '@faker-js/faker';
import type {
  BudgetLinesTable,
  CaseType,
  FundingStreamsTable,
  JourneyStage,
  Management,
  PeopleTable,
  PrimaryNeed,
  ProvidersTable,
  ServicesTable,
  StaffRole,
} from '../db/schema.ts';
import { demoAccounts, type DemoCouncilSlug } from './accounts.ts';
import { COUNCILS, type CouncilPlace, type ProviderRole } from './places.ts';
import {
  ADULT_HEALTH_LEADS,
  ADULT_NEEDS,
  CHILD_HEALTH_LEADS,
  CHILD_SOCIAL_CARE_CONTEXT,
  EDUCATION_CONTEXT,
  FAMILY_NAMES,
  HEALTH_DETAILS,
  MIDDLE_GIVEN_NAMES,
  NEED_DETAILS,
  NEED_LEADS,
  OLDER_GIVEN_NAMES,
  SERVICE_CATALOGUE,
  YOUNGER_GIVEN_NAMES,
  type AdultNeed,
  type SettingPhase,
} from './text.ts';

export type FundingStreamCode = FundingStreamsTable['code'];

export interface CouncilRow {
  id: string;
  slug: string;
  name: string;
}

/** A staff row without its password hash (the insert step adds it). */
export interface StaffRow {
  readonly id: string;
  readonly council_id: string;
  readonly kind: 'staff';
  readonly email: string;
  readonly display_name: string;
  readonly role: StaffRole;
  readonly job_title: string;
  readonly team: string;
  readonly approval_limit_pence: bigint | null;
}

export type PersonRow = Omit<PeopleTable, 'created_at' | 'restricted'> & { restricted: boolean };

/** A budget line with the integer costing it was built from: annual_pence = unitPence × units. */
export type BudgetLineRow = BudgetLinesTable & { costing: { unitPence: bigint; units: bigint } };

export interface GeneratedCouncil {
  council: CouncilRow;
  fundingStreams: FundingStreamsTable[];
  staff: StaffRow[];
  people: PersonRow[];
  budgetLines: BudgetLineRow[];
  providers: ProvidersTable[];
  services: ServicesTable[];
}

export const JOURNEY_STAGES: readonly JourneyStage[] = DOMAIN_STAGES.map((s) => s.stage);

/** Share of the caseload at each stage, in percent: most people have an agreed budget. */
const STAGE_SHARE: Readonly<Record<JourneyStage, number>> = {
  request: 7,
  assessment: 10,
  allocation: 6,
  planning: 9,
  approval: 6,
  agreed: 46,
  review: 16,
};

const CASE_TYPE_WEIGHTS: readonly { value: CaseType; weight: number }[] = [
  { value: 'ehc', weight: 62 },
  { value: 'social_care_child', weight: 10 },
  { value: 'social_care_adult', weight: 22 },
  { value: 'continuing_care', weight: 6 },
];

/** Primary need of EHC plans, roughly as in England (DfE, Education, health and care plans). */
const EHC_NEED_WEIGHTS: readonly { value: PrimaryNeed; weight: number }[] = [
  { value: 'ASD', weight: 300 },
  { value: 'SLCN', weight: 200 },
  { value: 'SEMH', weight: 150 },
  { value: 'MLD', weight: 80 },
  { value: 'SLD', weight: 50 },
  { value: 'SpLD', weight: 40 },
  { value: 'PD', weight: 40 },
  { value: 'PMLD', weight: 20 },
  { value: 'HI', weight: 20 },
  { value: 'VI', weight: 10 },
  { value: 'MSI', weight: 5 },
  { value: 'OTH', weight: 20 },
  { value: 'DS', weight: 10 },
];

/** Disabled children known to social care: needs weighted to severe and physical disability. */
const CHILD_SOCIAL_CARE_NEED_WEIGHTS: readonly { value: PrimaryNeed; weight: number }[] = [
  { value: 'ASD', weight: 40 },
  { value: 'SLD', weight: 25 },
  { value: 'PMLD', weight: 10 },
  { value: 'PD', weight: 15 },
  { value: 'MSI', weight: 3 },
  { value: 'SEMH', weight: 7 },
];

/** Ages (completed years, today) of people with EHC plans: school age dominates. */
const EHC_AGE_BANDS: readonly { value: readonly [number, number]; weight: number }[] = [
  { value: [0, 4], weight: 6 },
  { value: [5, 10], weight: 36 },
  { value: [11, 15], weight: 35 },
  { value: [16, 19], weight: 17 },
  { value: [20, 25], weight: 6 },
];

const ADULT_AGE_BANDS: readonly { value: readonly [number, number]; weight: number }[] = [
  { value: [18, 29], weight: 22 },
  { value: [30, 64], weight: 48 },
  { value: [65, 90], weight: 30 },
];

const GENERATED_CASEWORKERS: readonly { jobTitle: string; team: string; caseType: CaseType; count: number }[] = [
  { jobTitle: 'EHC co-ordinator', team: 'SEND team', caseType: 'ehc', count: 5 },
  { jobTitle: 'Social worker', team: 'Children with disabilities team', caseType: 'social_care_child', count: 2 },
  { jobTitle: 'Social worker', team: 'Adult social care community team', caseType: 'social_care_adult', count: 2 },
  { jobTitle: 'Continuing healthcare nurse assessor', team: 'Continuing healthcare team', caseType: 'continuing_care', count: 1 },
];

/** How many cases the fixed caseworker@ account leads (all EHC). */
export const FIXED_CASEWORKER_CASES = 35;

const PA_RATES = [1_450n, 1_500n, 1_550n, 1_600n, 1_650n, 1_700n] as const;
const HOME_CARE_RATES = [2_280n, 2_350n, 2_480n, 2_560n, 2_650n] as const;
const TOP_UP_BANDS: readonly (readonly [string, bigint])[] = [
  ['A', 612_000n],
  ['B', 845_000n],
  ['C', 1_130_000n],
  ['D', 1_495_000n],
  ['E', 1_960_000n],
  ['F', 2_480_000n],
];
const EQUIPMENT: readonly (readonly [string, bigint])[] = [
  ['sensory equipment for home', 38_000n],
  ['height-adjustable chair', 89_000n],
  ['eye-gaze communication software', 120_000n],
  ['weighted blanket and ear defenders', 18_000n],
  ['laptop with assistive software', 95_000n],
  ['specialist car seat', 65_000n],
  ['adapted tricycle', 140_000n],
];

// ---- Dates (whole days, no time zones) -----------------------------------------------------------

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function dayNumber(iso: string): number {
  const match = ISO_DATE.exec(iso);
  if (match === null) throw new Error(`Not a YYYY-MM-DD date: ${iso}`);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const day = ms / DAY_MS;
  if (isoDate(day) !== iso) throw new Error(`Not a real date: ${iso}`);
  return day;
}

function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The same day `years` years earlier or later (29 February becomes 28 February). */
function shiftYears(iso: string, years: number): string {
  const year = Number(iso.slice(0, 4)) + years;
  let monthDay = iso.slice(5);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (monthDay === '02-29' && !leap) monthDay = '02-28';
  return `${String(year).padStart(4, '0')}-${monthDay}`;
}

/** Age in completed years on a date. */
export { ageOn };

// ---- Money text ----------------------------------------------------------------------------------

export const pounds = formatPenceShort;

/** "an hour", "a night". */
function perUnit(unit: string): string {
  return /^(hour|[aeiou])/.test(unit) ? `an ${unit}` : `a ${unit}`;
}

// ---- The generator -------------------------------------------------------------------------------

interface LineSpec {
  stream: FundingStreamCode;
  management: Management;
  description: string;
  unitPence: bigint;
  units: bigint;
}

type SettingKind =
  | 'home'
  | 'nursery'
  | 'mainstream'
  | 'special'
  | 'independent'
  | 'college'
  | 'specialistCollege'
  | 'internship'
  | 'eotas'
  | 'neet'
  | 'adult';

interface Setting {
  name: string | null;
  kind: SettingKind;
}

function seedFor(slug: string): number {
  let hash = 2_026;
  for (const char of slug) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000_007;
  return hash;
}

export function generateCouncil(slug: DemoCouncilSlug, today: string): GeneratedCouncil {
  const place: CouncilPlace | undefined = COUNCILS[slug];
  if (place === undefined) throw new Error(`Unknown demo council: ${slug}`);
  const todayDay = dayNumber(today);
  const faker = new Faker({ locale: [en_GB, en, base], seed: seedFor(slug) });

  const int = (min: number, max: number): number => faker.number.int({ min, max });
  const stepped = (min: number, max: number, step: number): bigint =>
    BigInt(min + int(0, Math.floor((max - min) / step)) * step);
  const pick = <T>(items: readonly T[]): T => faker.helpers.arrayElement(items);
  const weighted = <T>(items: readonly { value: T; weight: number }[]): T =>
    faker.helpers.weightedArrayElement(items.map((item) => ({ value: item.value, weight: item.weight })));
  const chance = (probability: number): boolean => faker.datatype.boolean({ probability });

  const councilId = randomUUID();
  const council: CouncilRow = { id: councilId, slug, name: place.name };

  // Funding streams.
  const streamIds: Record<FundingStreamCode, string> = {
    education_high_needs: randomUUID(),
    social_care: randomUUID(),
    health_continuing_care: randomUUID(),
  };
  const fundingStreams: FundingStreamsTable[] = [
    {
      id: streamIds.education_high_needs,
      council_id: councilId,
      code: 'education_high_needs',
      name: 'High needs block (education)',
      funder: 'Council — Dedicated Schools Grant',
      annual_envelope_pence: place.streams.educationEnvelopePounds * 100n,
    },
    {
      id: streamIds.social_care,
      council_id: councilId,
      code: 'social_care',
      name: 'Social care',
      funder: "Council — adult and children's social care",
      annual_envelope_pence: place.streams.socialCareEnvelopePounds * 100n,
    },
    {
      id: streamIds.health_continuing_care,
      council_id: councilId,
      code: 'health_continuing_care',
      name: 'NHS continuing care',
      funder: place.streams.icbName,
      annual_envelope_pence: place.streams.healthEnvelopePounds * 100n,
    },
  ];

  // Staff: the fixed accounts, then generated caseworkers with unique first.last emails.
  const staff: StaffRow[] = [];
  const fixedIds = new Map<string, string>();
  const usedEmails = new Set<string>();
  for (const account of demoAccounts().filter((a) => a.councilSlug === slug)) {
    const id = randomUUID();
    fixedIds.set(account.email.split('@')[0] ?? '', id);
    usedEmails.add(account.email);
    staff.push({
      id,
      council_id: councilId,
      kind: 'staff',
      email: account.email,
      display_name: account.displayName,
      role: account.role,
      job_title: account.jobTitle,
      team: account.team,
      approval_limit_pence: account.approvalLimitPence,
    });
  }
  const workersByCaseType: Record<CaseType, string[]> = {
    ehc: [],
    social_care_child: [],
    social_care_adult: [],
    continuing_care: [],
  };
  for (const spec of GENERATED_CASEWORKERS) {
    for (let n = 0; n < spec.count; n += 1) {
      const given = pick([...YOUNGER_GIVEN_NAMES, ...MIDDLE_GIVEN_NAMES]);
      const family = pick(FAMILY_NAMES);
      const local = `${given}.${family}`.toLowerCase().replace(/[^a-z.]/g, '');
      let email = `${local}@${slug}.example`;
      for (let suffix = 2; usedEmails.has(email); suffix += 1) email = `${local}${suffix}@${slug}.example`;
      usedEmails.add(email);
      const id = randomUUID();
      workersByCaseType[spec.caseType].push(id);
      staff.push({
        id,
        council_id: councilId,
        kind: 'staff',
        email,
        display_name: `${given} ${family}`,
        role: 'caseworker',
        job_title: spec.jobTitle,
        team: spec.team,
        approval_limit_pence: null,
      });
    }
  }

  // Providers and the Local Offer.
  const providers: ProvidersTable[] = [];
  const providerByRole = new Map<ProviderRole, ProvidersTable>();
  for (const provider of place.providers) {
    const mailbox = provider.kind === 'council_service' ? provider.role.toLowerCase() : pick(['hello', 'info', 'enquiries', 'office']);
    const row: ProvidersTable = {
      id: randomUUID(),
      council_id: councilId,
      name: provider.name,
      kind: provider.kind,
      email: `${mailbox}@${provider.emailDomain}`,
      phone:
        ['council_service', 'nhs_trust', 'school'].includes(provider.kind) || chance(0.6)
          ? `01632 960${String(int(0, 999)).padStart(3, '0')}` : `07700 900${String(int(0, 999)).padStart(3, '0')}`,
      town: provider.town,
    };
    providers.push(row);
    providerByRole.set(provider.role, row);
  }
  const providerName = (role: ProviderRole): string => providerByRole.get(role)?.name ?? 'a local provider';
  const services: ServicesTable[] = [];
  const dropped = new Set(faker.helpers.arrayElements(SERVICE_CATALOGUE.map((_, i) => i), 2));
  SERVICE_CATALOGUE.forEach((template, index) => {
    if (dropped.has(index)) return;
    const provider = providerByRole.get(template.provider);
    if (provider === undefined) throw new Error(`No provider for ${template.provider} in ${slug}`);
    const [low, high, step] = template.cost;
    services.push({
      id: randomUUID(),
      council_id: councilId,
      provider_id: provider.id,
      name: template.name,
      description: template.description,
      category: template.category,
      min_age: template.minAge,
      max_age: template.maxAge,
      unit: template.unit,
      unit_cost_pence: stepped(low, high, step),
    });
  });

  // ---- People ----

  const stages: JourneyStage[] = [];
  for (const stage of JOURNEY_STAGES) {
    const count = stage === 'agreed' ? 0 : Math.round((place.people * STAGE_SHARE[stage]) / 100);
    for (let n = 0; n < count; n += 1) stages.push(stage);
  }
  while (stages.length < place.people) stages.push('agreed');
  const shuffledStages = faker.helpers.shuffle(stages);

  /** Days ago the request was made and the current stage began, for a stage. */
  const timing = (stage: JourneyStage): { requestAgo: number; stageAgo: number } => {
    switch (stage) {
      case 'request': {
        const requestAgo = int(0, 42);
        return { requestAgo, stageAgo: requestAgo };
      }
      case 'assessment': {
        const requestAgo = int(14, 112);
        return { requestAgo, stageAgo: requestAgo - int(Math.min(10, requestAgo), Math.min(42, requestAgo)) };
      }
      case 'allocation': {
        const requestAgo = int(70, 140);
        return { requestAgo, stageAgo: int(0, 21) };
      }
      case 'planning': {
        // Some are past the 20-week deadline already: deadline visibility matters.
        const requestAgo = int(84, 182);
        return { requestAgo, stageAgo: int(0, 35) };
      }
      case 'approval': {
        const requestAgo = int(105, 196);
        return { requestAgo, stageAgo: int(0, 21) };
      }
      case 'agreed': {
        if (chance(0.15)) {
          // A new plan, finalised about 20 weeks after the request.
          const requestAgo = int(154, 364);
          return { requestAgo, stageAgo: requestAgo - int(126, 154) };
        }
        const requestAgo = int(365, 5 * 365);
        // Agreed or last reviewed within the year; a few reviews are overdue.
        const stageAgo = chance(0.06) ? int(366, 450) : int(14, 330);
        return { requestAgo, stageAgo: Math.min(stageAgo, requestAgo - 140) };
      }
      case 'review': {
        const requestAgo = int(365, 5 * 365);
        return { requestAgo, stageAgo: int(0, 56) };
      }
    }
  };

  const ageFor = (caseType: CaseType, minimum: number): number => {
    let age: number;
    let max: number;
    switch (caseType) {
      case 'ehc': {
        const [low, high] = weighted(EHC_AGE_BANDS);
        age = int(low, high);
        max = 25;
        break;
      }
      case 'social_care_child':
        age = int(2, 17);
        max = 17;
        break;
      case 'social_care_adult': {
        const [low, high] = weighted(ADULT_AGE_BANDS);
        age = int(low, high);
        max = 90;
        break;
      }
      case 'continuing_care':
        age = chance(0.3) ? int(1, 17) : int(18, 85);
        max = age < 18 ? 17 : 90;
        break;
    }
    return Math.min(Math.max(age, minimum), max);
  };

  const givenNameFor = (age: number): string => {
    if (age < 30) return pick(YOUNGER_GIVEN_NAMES);
    if (age < 68) return pick(MIDDLE_GIVEN_NAMES);
    return pick(OLDER_GIVEN_NAMES);
  };

  const postcode = (): string => {
    const town = weighted(place.towns.map((t) => ({ value: t, weight: t.weight })));
    const letters = 'ABDEFGHJLNPQRSTUWXYZ'; // inward-code letters never use C, I, K, M, O or V
    return `${pick(town.districts)} ${int(1, 9)}${pick([...letters])}${pick([...letters])}`;
  };
  const townName = (): string => weighted(place.towns.map((t) => ({ value: t.name, weight: t.weight })));

  const specialistChance: Readonly<Record<PrimaryNeed, number>> = {
    PMLD: 1,
    SLD: 0.85,
    MSI: 0.6,
    ASD: 0.4,
    SEMH: 0.35,
    PD: 0.25,
    MLD: 0.2,
    HI: 0.15,
    VI: 0.15,
    SLCN: 0.12,
    OTH: 0.1,
    SpLD: 0.02,
    DS: 0,
  };

  const childSetting = (age: number, need: PrimaryNeed | null): Setting => {
    const specialist = chance(need === null ? 0.5 : specialistChance[need]);
    if (age < 2) return { name: 'At home with parents', kind: 'home' };
    if (age < 4 || (age === 4 && chance(0.4))) return { name: pick(place.settings.nurseries), kind: 'nursery' };
    if (age <= 15) {
      if (age >= 11 && (need === 'SEMH' || need === 'ASD') && chance(0.04)) {
        return { name: 'Education otherwise than in school (home tuition)', kind: 'eotas' };
      }
      if (specialist) {
        if (need === 'SEMH') {
          return chance(0.7)
            ? { name: place.settings.semhSchool, kind: 'special' }
            : { name: pick(place.settings.independentSchools), kind: 'independent' };
        }
        const independent = chance(need === 'ASD' ? 0.3 : 0.1);
        return independent
          ? { name: pick(place.settings.independentSchools), kind: 'independent' }
          : { name: pick(place.settings.specialSchools), kind: 'special' };
      }
      return { name: pick(age <= 10 ? place.settings.primaries : place.settings.secondaries), kind: 'mainstream' };
    }
    if (age <= 18) {
      if (specialist) {
        return chance(0.6)
          ? { name: `${pick(place.settings.specialSchools)} sixth form`, kind: 'special' }
          : { name: pick(place.settings.specialistColleges), kind: 'specialistCollege' };
      }
      return { name: pick(place.settings.colleges), kind: 'college' };
    }
    const roll = int(1, 100);
    if (roll <= 40) return { name: pick(place.settings.colleges), kind: 'college' };
    if (roll <= 65) return { name: pick(place.settings.specialistColleges), kind: 'specialistCollege' };
    if (roll <= 90) return { name: `Supported internship at ${pick(place.settings.internshipHosts)}`, kind: 'internship' };
    return { name: 'Not in education, employment or training', kind: 'neet' };
  };

  const adultSetting = (age: number, need: AdultNeed | null): Setting => {
    const town = townName();
    const options: string[] = [`Lives alone in ${town}`, `Lives with their partner in ${town}`];
    if (age < 50) {
      options.push(
        `Lives at home with parents; goes to ${pick(place.settings.dayServices)} three days a week`,
        `Supported living in ${town}`,
        `Shared Lives arrangement in ${town}`,
      );
    }
    if (age >= 65 || need?.lead === 'Dementia') options.push(`Lives with their spouse in ${town}`, pick(place.settings.careHomes));
    return { name: pick(options), kind: 'adult' };
  };

  const phaseOf = (setting: Setting): SettingPhase | null => {
    switch (setting.kind) {
      case 'home':
      case 'nursery':
        return 'early';
      case 'mainstream':
      case 'special':
      case 'independent':
      case 'eotas':
        return 'school';
      case 'college':
      case 'specialistCollege':
      case 'internship':
      case 'neet':
        return 'post16';
      case 'adult':
        return null;
    }
  };

  // Budget line builders.
  const paLine = (minHours: number, maxHours: number, stream: FundingStreamCode, who = 'Personal assistant'): LineSpec => {
    const hours = int(minHours, maxHours);
    const rate = pick(PA_RATES);
    return {
      stream,
      management: 'direct_payment',
      description: `${who}, ${hours} hours a week at ${pounds(rate)} an hour for 52 weeks`,
      unitPence: rate,
      units: BigInt(hours * 52),
    };
  };
  const sessionsLine = (
    stream: FundingStreamCode,
    management: Management,
    what: string,
    counts: readonly number[],
    rate: bigint,
    per = 'session',
  ): LineSpec => {
    const count = pick(counts);
    return {
      stream,
      management,
      description: `${what}, ${count} ${per}s at ${pounds(rate)} ${perUnit(per)}`,
      unitPence: rate,
      units: BigInt(count),
    };
  };
  const weeklyLine = (
    stream: FundingStreamCode,
    management: Management,
    what: string,
    perWeek: number,
    unitWord: string,
    rate: bigint,
    weeks: number,
  ): LineSpec => ({
    stream,
    management,
    description: `${what}, ${perWeek} ${unitWord}${perWeek === 1 ? '' : 's'} a week at ${pounds(rate)} ${perUnit(unitWord)} for ${weeks} weeks`,
    unitPence: rate,
    units: BigInt(perWeek * weeks),
  });
  const oneOff = (stream: FundingStreamCode, management: Management, description: string, amount: bigint): LineSpec => ({
    stream,
    management,
    description,
    unitPence: amount,
    units: 1n,
  });
  const equipmentLine = (stream: FundingStreamCode): LineSpec => {
    const [item, price] = pick(EQUIPMENT);
    return oneOff(stream, pick(['direct_payment', 'council_managed'] as const), `Specialist equipment: ${item}`, price);
  };
  const shortBreaksLine = (): LineSpec =>
    sessionsLine(
      'social_care',
      pick(['council_managed', 'individual_service_fund'] as const),
      `Overnight short breaks with ${providerName('shortBreaks')}`,
      [6, 8, 12, 16, 20, 24],
      stepped(25_000, 42_000, 500),
      'night',
    );
  const holidayLine = (): LineSpec =>
    sessionsLine('social_care', 'direct_payment', 'Holiday play scheme', [10, 12, 15, 20, 25], stepped(4_500, 7_500, 250), 'day');

  const educationLine = (setting: Setting): LineSpec | null => {
    const name = setting.name ?? 'the setting';
    switch (setting.kind) {
      case 'home':
        return sessionsLine('education_high_needs', 'council_managed', 'Portage home visiting', [30, 40], pick([6_000n, 6_500n, 7_000n]), 'visit');
      case 'nursery':
        return sessionsLine('education_high_needs', 'council_managed', `Early years SEN inclusion support at ${name}`, [38], stepped(9_000, 22_000, 500), 'week');
      case 'mainstream': {
        const [band, amount] = pick(TOP_UP_BANDS);
        return oneOff('education_high_needs', 'council_managed', `Top-up funding (element 3) at ${name}, band ${band}`, amount);
      }
      case 'special':
        return oneOff('education_high_needs', 'council_managed', `Place-plus top-up funding at ${name}`, stepped(980_000, 2_350_000, 5_000));
      case 'independent':
        return sessionsLine('education_high_needs', 'council_managed', `Placement at ${name} (independent special school)`, [38], stepped(120_000, 210_000, 2_500), 'week');
      case 'college':
        return oneOff('education_high_needs', 'council_managed', `High needs top-up funding at ${name}`, stepped(550_000, 1_600_000, 5_000));
      case 'specialistCollege':
        return sessionsLine('education_high_needs', 'council_managed', `Placement at ${name}`, [36], stepped(90_000, 160_000, 2_500), 'week');
      case 'internship': {
        const hours = int(4, 10);
        const rate = stepped(2_500, 3_200, 50);
        return {
          stream: 'education_high_needs',
          management: 'individual_service_fund',
          description: `Job coach from ${providerName('dayServices')} for a supported internship, ${hours} hours a week at ${pounds(rate)} an hour for 36 weeks`,
          unitPence: rate,
          units: BigInt(hours * 36),
        };
      }
      case 'eotas': {
        const hours = int(8, 15);
        const rate = stepped(4_000, 5_500, 250);
        return {
          stream: 'education_high_needs',
          management: pick(['direct_payment', 'council_managed'] as const),
          description: `Specialist tuition at home, ${hours} hours a week at ${pounds(rate)} an hour for 38 weeks`,
          unitPence: rate,
          units: BigInt(hours * 38),
        };
      }
      case 'neet':
        return weeklyLine('education_high_needs', 'individual_service_fund', `Mentoring with ${providerName('carersCharity')} to get back into learning`, 2, 'hour', stepped(2_800, 3_500, 50), 40);
      case 'adult':
        return null;
    }
  };

  const ehcExtras = (need: PrimaryNeed, age: number, setting: Setting): LineSpec[] => {
    const pool: (() => LineSpec)[] = [];
    const schoolAge = age >= 5 && age <= 18 && setting.kind !== 'home';
    if (['SLCN', 'ASD', 'SLD', 'PMLD', 'HI', 'MSI', 'DS'].includes(need) || age < 8) {
      pool.push(() =>
        sessionsLine('education_high_needs', pick(['direct_payment', 'council_managed'] as const), 'Speech and language therapy', [10, 12, 15, 20, 24], stepped(8_500, 11_000, 500)),
      );
    }
    if (['PD', 'ASD', 'PMLD', 'SLD', 'MSI'].includes(need)) {
      pool.push(() =>
        sessionsLine('health_continuing_care', pick(['direct_payment', 'council_managed'] as const), 'Occupational therapy', [6, 8, 12], stepped(8_800, 11_500, 100)),
      );
    }
    if (need === 'PD' || need === 'PMLD') {
      pool.push(() =>
        sessionsLine('health_continuing_care', 'council_managed', `Physiotherapy from ${providerName('nhsTrust')}`, [20, 26, 40], stepped(7_000, 9_500, 100)),
      );
    }
    if (age >= 5) pool.push(() => paLine(3, 8, 'social_care'));
    if (age >= 5 && age <= 17 && ['SLD', 'PMLD', 'ASD', 'PD', 'MSI'].includes(need)) pool.push(shortBreaksLine);
    if (age >= 5 && age <= 17) pool.push(holidayLine);
    pool.push(() => equipmentLine(pick(['social_care', 'education_high_needs'] as const)));
    if (schoolAge) {
      pool.push(() =>
        sessionsLine('education_high_needs', 'direct_payment', 'Personal transport budget', [190], stepped(1_000, 2_500, 50), 'day'),
      );
    }
    if (need === 'SpLD') {
      pool.push(() => weeklyLine('education_high_needs', 'direct_payment', 'Specialist dyslexia tuition', 1, 'hour', stepped(4_000, 5_500, 250), 38));
    }
    if (need === 'SEMH' && age >= 8) {
      pool.push(() =>
        weeklyLine('education_high_needs', 'individual_service_fund', `Mentoring with ${providerName('carersCharity')}`, 2, 'hour', stepped(2_800, 3_500, 50), 38),
      );
      if (age >= 11) {
        pool.push(() =>
          sessionsLine('health_continuing_care', pick(['direct_payment', 'individual_service_fund'] as const), 'Counselling', [12, 20, 30], stepped(4_500, 6_000, 250)),
        );
      }
    }
    if (need === 'HI') pool.push(() => sessionsLine('education_high_needs', 'council_managed', 'Qualified teacher of the deaf', [12, 20], stepped(7_500, 9_000, 500), 'visit'));
    if (need === 'VI') pool.push(() => sessionsLine('education_high_needs', 'council_managed', 'Mobility and habilitation training', [12, 20], stepped(7_000, 8_500, 500)));
    const count = Math.min(pool.length, weighted([
      { value: 0, weight: 3 },
      { value: 1, weight: 4 },
      { value: 2, weight: 3 },
      { value: 3, weight: 1 },
    ]));
    return faker.helpers.arrayElements(pool, count).map((make) => make());
  };

  const childSocialCareLines = (age: number): LineSpec[] => {
    const first = age >= 5 && chance(0.6) ? paLine(4, 12, 'social_care') : shortBreaksLine();
    const pool: (() => LineSpec)[] = [
      () => sessionsLine('social_care', 'direct_payment', 'After-school club', [38], stepped(2_500, 3_500, 50)),
      () => weeklyLine('social_care', 'direct_payment', `Sitting service from ${providerName('carersCharity')}`, 3, 'hour', stepped(1_600, 1_900, 25), 52),
      () => equipmentLine('social_care'),
      () => sessionsLine('social_care', 'direct_payment', 'Swimming sessions', [40, 48], stepped(500, 700, 50)),
    ];
    if (age >= 5) pool.push(holidayLine);
    return [first, ...faker.helpers.arrayElements(pool, int(0, 3)).map((make) => make())];
  };

  const adultSocialCareLines = (need: AdultNeed): LineSpec[] => {
    const homeCare = (): LineSpec => {
      const hours = int(7, 21);
      const rate = pick(HOME_CARE_RATES);
      return {
        stream: 'social_care',
        management: pick(['individual_service_fund', 'council_managed'] as const),
        description: `Home care from ${providerName('homeCare')}, ${hours} hours a week at ${pounds(rate)} an hour for 52 weeks`,
        unitPence: rate,
        units: BigInt(hours * 52),
      };
    };
    const dayOpportunities = (): LineSpec => {
      const days = int(2, 4);
      return weeklyLine('social_care', pick(['direct_payment', 'council_managed'] as const), `Day opportunities at ${pick(place.settings.dayServices)}`, days, 'day', stepped(5_500, 7_500, 50), 50);
    };
    const respite = (): LineSpec =>
      sessionsLine('social_care', pick(['council_managed', 'individual_service_fund'] as const), 'Respite stays', [14, 21, 28], stepped(13_000, 17_500, 500), 'night');
    const telecare = (): LineSpec => sessionsLine('social_care', 'council_managed', 'Telecare alarm and sensors', [52], stepped(400, 800, 25), 'week');
    const jobCoach = (): LineSpec =>
      weeklyLine('social_care', 'individual_service_fund', `Job coach from ${providerName('dayServices')}`, 4, 'hour', stepped(2_500, 3_200, 50), 46);
    const peerSupport = (): LineSpec => sessionsLine('social_care', 'direct_payment', 'Peer support group', [24, 48], stepped(1_000, 1_500, 50));

    let first: LineSpec;
    let pool: (() => LineSpec)[];
    switch (need.lead) {
      case 'Frailty in older age':
      case 'Dementia':
        first = homeCare();
        pool = [telecare, respite, dayOpportunities];
        break;
      case 'Long-term mental health condition':
        first = paLine(6, 14, 'social_care');
        pool = [peerSupport, jobCoach];
        break;
      case 'Physical disability':
      case 'Sight and hearing loss':
        first = chance(0.5) ? paLine(10, 25, 'social_care') : homeCare();
        pool = [telecare, () => equipmentLine('social_care'), respite];
        break;
      default:
        first = chance(0.5) ? paLine(10, 25, 'social_care') : dayOpportunities();
        pool = [dayOpportunities, respite, jobCoach, () => paLine(6, 12, 'social_care')];
    }
    return [first, ...faker.helpers.arrayElements(pool, int(0, 2)).map((make) => make())];
  };

  const continuingCareLines = (age: number): LineSpec[] => {
    let first: LineSpec;
    if (chance(0.4)) {
      const hours = int(45, 70);
      const rate = stepped(1_750, 1_950, 25);
      first = {
        stream: 'health_continuing_care',
        management: 'direct_payment',
        description: `Personal health budget for personal assistants trained in complex care, ${hours} hours a week at ${pounds(rate)} an hour for 52 weeks`,
        unitPence: rate,
        units: BigInt(hours * 52),
      };
    } else {
      const hours = int(28, 60);
      const rate = stepped(2_850, 3_475, 25);
      first = {
        stream: 'health_continuing_care',
        management: pick(['individual_service_fund', 'council_managed'] as const),
        description: `Nursing-led care at home from ${providerName('careAgency')}, ${hours} hours a week at ${pounds(rate)} an hour for 52 weeks`,
        unitPence: rate,
        units: BigInt(hours * 52),
      };
    }
    const pool: (() => LineSpec)[] = [
      () => sessionsLine('health_continuing_care', 'council_managed', 'Continence and feeding supplies', [52], stepped(1_500, 2_500, 50), 'week'),
      () => weeklyLine('health_continuing_care', 'individual_service_fund', 'Waking night care', 2, 'night', stepped(16_000, 19_000, 500), 52),
    ];
    if (age < 18) pool.push(shortBreaksLine);
    else pool.push(() => weeklyLine('social_care', 'council_managed', `Day opportunities at ${pick(place.settings.dayServices)}`, 2, 'day', stepped(5_500, 7_500, 50), 50));
    return [first, ...faker.helpers.arrayElements(pool, int(0, 2)).map((make) => make())];
  };

  interface Draft {
    person: PersonRow;
    lines: LineSpec[];
  }
  const drafts: Draft[] = [];

  for (const stage of shuffledStages) {
    const caseType = weighted(CASE_TYPE_WEIGHTS);
    const { requestAgo, stageAgo } = timing(stage);
    const requestDay = todayDay - requestAgo;
    const adultCase = caseType === 'social_care_adult';

    let adultNeed: AdultNeed | null = null;
    let minimumAge = Math.ceil(requestAgo / 365) + (caseType === 'ehc' ? 1 : 0);
    if (adultCase) {
      adultNeed = weighted(ADULT_NEEDS.map((n) => ({ value: n, weight: n.weight })));
      minimumAge = Math.max(minimumAge, adultNeed.minAge, 18);
    }
    let age = ageFor(caseType, minimumAge);
    if (adultNeed !== null && adultNeed.minAge >= 60 && age < adultNeed.minAge + 5) age = int(adultNeed.minAge + 5, 90);

    // Date of birth: exactly `age` today, and at least 60 days before the request.
    let dateOfBirth = '';
    for (;;) {
      const latest = Math.min(dayNumber(shiftYears(today, -age)), requestDay - 60);
      const earliest = dayNumber(shiftYears(today, -(age + 1))) + 1;
      if (latest >= earliest) {
        dateOfBirth = isoDate(int(earliest, latest));
        break;
      }
      age += 1;
    }

    let primaryNeed: PrimaryNeed | null = null;
    if (caseType === 'ehc') {
      primaryNeed = weighted(
        EHC_NEED_WEIGHTS.map((n) => {
          if (age < 8 && n.value === 'SLCN') return { value: n.value, weight: n.weight * 2 };
          if (age < 8 && (n.value === 'SEMH' || n.value === 'SpLD')) return { value: n.value, weight: Math.ceil(n.weight / 4) };
          return n;
        }),
      );
    } else if (caseType === 'social_care_child') {
      primaryNeed = chance(0.6) ? weighted(CHILD_SOCIAL_CARE_NEED_WEIGHTS) : null;
    } else if (caseType === 'continuing_care' && age < 18) {
      primaryNeed = chance(0.5) ? pick(['PMLD', 'PD', 'MSI'] as const) : null;
    }

    // Setting and needs summary.
    let setting: Setting;
    let summary: string;
    if (caseType === 'ehc' || caseType === 'social_care_child') {
      setting = childSetting(age, primaryNeed);
      const need = primaryNeed ?? weighted(CHILD_SOCIAL_CARE_NEED_WEIGHTS);
      summary = `${pick(NEED_LEADS[need])}; ${pick(NEED_DETAILS[need])}.`;
      const phase = phaseOf(setting);
      if (caseType === 'social_care_child' && chance(0.7)) summary += ` ${pick(CHILD_SOCIAL_CARE_CONTEXT)}`;
      else if (phase !== null && chance(0.5)) {
        const contexts = EDUCATION_CONTEXT[phase].filter(
          (c) => !(c.startsWith('Moving to secondary') && (age < 9 || age > 10)) && !(c.startsWith('Speaks for themself') && age < 16),
        );
        summary += ` ${pick(contexts)}`;
      }
    } else if (adultNeed !== null) {
      setting = adultSetting(age, adultNeed);
      summary = `${adultNeed.lead}; ${pick(adultNeed.details)}.`;
    } else {
      // Continuing care.
      if (age < 18) {
        setting =
          age >= 5 && chance(0.3)
            ? { name: 'At home; too unwell to attend school regularly', kind: 'home' }
            : childSetting(age, primaryNeed ?? 'PMLD');
        summary = `${pick(CHILD_HEALTH_LEADS)}; ${pick(HEALTH_DETAILS)}.`;
      } else {
        const town = townName();
        setting = {
          name: pick([`Lives at home with family in ${town}`, `Lives in an adapted bungalow in ${town}`, pick(place.settings.careHomes)]),
          kind: 'adult',
        };
        summary = `${pick(ADULT_HEALTH_LEADS)}; ${pick(HEALTH_DETAILS)}.`;
      }
    }

    // The agreed budget, for people at agreed or review.
    let lines: LineSpec[] = [];
    if (stage === 'agreed' || stage === 'review') {
      if (caseType === 'ehc') {
        const need = primaryNeed ?? 'DS';
        const education = educationLine(setting);
        lines = [...(education === null ? [] : [education]), ...ehcExtras(need, age, setting)];
      } else if (caseType === 'social_care_child') {
        lines = childSocialCareLines(age);
      } else if (adultNeed !== null) {
        lines = adultSocialCareLines(adultNeed);
      } else {
        lines = continuingCareLines(age);
      }
      lines = lines.slice(0, 4);
    }
    const linesTotal = lines.reduce((sum, line) => sum + line.unitPence * line.units, 0n);

    // Indicative budget: RAS points × price per point.
    const pricePerPoint = place.pricePerPointPence[caseType];
    let indicative: bigint | null = null;
    if (stage !== 'request' && stage !== 'assessment') {
      if (lines.length > 0) {
        const points = (linesTotal * BigInt(int(85, 115))) / 100n / pricePerPoint;
        indicative = (points < 1n ? 1n : points) * pricePerPoint;
      } else {
        const [low, high] =
          caseType === 'ehc' ? [24, 120] : caseType === 'social_care_child' ? [25, 110] : caseType === 'social_care_adult' ? [35, 170] : [80, 235];
        indicative = BigInt(int(low, high)) * pricePerPoint;
      }
    }

    // Current package: the agreed budget, or an existing package for people being reassessed.
    let currentPackage: bigint | null = null;
    if (lines.length > 0) currentPackage = linesTotal;
    else if (caseType === 'social_care_adult' && chance(0.5)) currentPackage = stepped(6_000, 42_000, 10) * 100n;
    else if (caseType === 'continuing_care' && chance(0.4)) currentPackage = stepped(40_000, 110_000, 10) * 100n;
    else if (caseType === 'social_care_child' && chance(0.15)) currentPackage = stepped(2_000, 9_000, 10) * 100n;

    drafts.push({
      person: {
        id: randomUUID(),
        council_id: councilId,
        reference: '',
        given_name: givenNameFor(age),
        family_name: pick(FAMILY_NAMES),
        date_of_birth: dateOfBirth,
        postcode: postcode(),
        case_type: caseType,
        primary_need: primaryNeed,
        needs_summary: summary,
        setting: setting.name,
        stage,
        stage_since: isoDate(todayDay - Math.max(0, Math.min(stageAgo, requestAgo))),
        request_date: isoDate(requestDay),
        lead_worker_id: null,
        indicative_budget_pence: indicative,
        current_package_pence: currentPackage,
        restricted: false,
      },
      lines,
    });
  }

  // References in order of request (older requests have lower numbers), with gaps.
  const byRequest = drafts
    .map((draft, index) => ({ draft, index }))
    .sort((a, b) => a.draft.person.request_date.localeCompare(b.draft.person.request_date) || a.index - b.index);
  let number = int(1_000, 1_400);
  for (const { draft } of byRequest) {
    number += int(1, 9);
    draft.person.reference = `${place.referencePrefix}-${String(number).padStart(6, '0')}`;
  }

  // Lead workers: a few new requests are not yet allocated; the fixed caseworker@ and socialworker@
  // accounts get real caseloads with someone at every stage; the rest are shared out in turn.
  const needsLead = drafts.filter((d) => !(d.person.stage === 'request' && chance(0.4)));
  const assignFixed = (caseType: CaseType, accountId: string | undefined, count: number): Set<Draft> => {
    const chosen = new Set<Draft>();
    if (accountId === undefined) return chosen;
    const eligible = faker.helpers.shuffle(needsLead.filter((d) => d.person.case_type === caseType));
    for (const stage of JOURNEY_STAGES) {
      const one = eligible.find((d) => d.person.stage === stage);
      if (one !== undefined) chosen.add(one);
    }
    for (const draft of eligible) {
      if (chosen.size >= count) break;
      chosen.add(draft);
    }
    for (const draft of chosen) draft.person.lead_worker_id = accountId;
    return chosen;
  };
  const adults = needsLead.filter((d) => d.person.case_type === 'social_care_adult').length;
  const taken = new Set([
    ...assignFixed('ehc', fixedIds.get('caseworker'), FIXED_CASEWORKER_CASES),
    ...assignFixed('social_care_adult', fixedIds.get('socialworker'), Math.round(adults * 0.35)),
  ]);
  const turn: Record<CaseType, number> = { ehc: 0, social_care_child: 0, social_care_adult: 0, continuing_care: 0 };
  for (const draft of needsLead) {
    if (taken.has(draft)) continue;
    const pool = workersByCaseType[draft.person.case_type];
    const index = turn[draft.person.case_type];
    turn[draft.person.case_type] = index + 1;
    draft.person.lead_worker_id = pool[index % pool.length] ?? null;
  }

  // A few records are restricted (for example a looked-after child or a staff member's relative).
  for (const draft of faker.helpers.arrayElements(drafts, Math.round(drafts.length * 0.03))) draft.person.restricted = true;

  const people = drafts.map((d) => d.person);
  const budgetLines: BudgetLineRow[] = drafts.flatMap((draft) =>
    draft.lines.map((line) => ({
      id: randomUUID(),
      council_id: councilId,
      person_id: draft.person.id,
      funding_stream_id: streamIds[line.stream],
      management: line.management,
      description: line.description,
      annual_pence: line.unitPence * line.units,
      costing: { unitPence: line.unitPence, units: line.units },
    })),
  );

  return { council, fundingStreams, staff, people, budgetLines, providers, services };
}
