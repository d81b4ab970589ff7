/**
 * Demo support plans (issue 5): a plan for every demo person whose case has got far enough, in the
 * state their stage means, with the rows the plans and sign-off services would have written on the
 * way — so a caseworker's first sign-in shows drafts with the family's comments, plans waiting for
 * each approver, plans sent back with reasons, agreed plans with their personal budgets, and reviews
 * under way.
 *
 *  - allocation (an EHC case whose plan is being written): some have an early draft;
 *  - planning: a draft (some returned once and changed since) or a plan returned with reasons;
 *  - approval: submitted and waiting for an approver whose limit covers it, or approved and waiting
 *    for the family's agreement; the demo families' children are still drafts with the family;
 *  - agreed: the agreed plan, whose support items are the person's budget lines, with its personal
 *    budget; the budget lines are then replaced by the personal budget's, as agreement does;
 *  - review: the agreed plan and, for many, a review plan (kind 'review', started from a copy of the
 *    agreed plan) with the review's amendments in draft; an EHC plan amended at review has the
 *    amended plan agreed and the earlier one superseded.
 *
 * Every version is saved one section at a time, with the change note the plans service writes.
 * Pure: no database, no clock; a seeded generator makes the same choices every time.
 */
import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type {
  ApprovalTiersTable,
  BudgetLinesTable,
  DbsChecksTable,
  DirectPaymentRefusalsTable,
  PersonalBudgetLinesTable,
  PersonalBudgetRequestsTable,
  PersonalBudgetsTable,
  PlanAgreementsTable,
  PlanCommentsTable,
  PlanDecisionsTable,
  PlanKind,
  PlansTable,
  PlanStatus,
  PlanVersionsTable,
} from '../db/schema.ts';
import { STREAM_CODES, STREAM_LABELS, type StreamCode } from '../domain/allocation/model.ts';
import type { Pence } from '../domain/money/money.ts';
import { addDays, addMonths, compareDates, daysBetween, earlierOf, laterOf } from '../domain/pathway/dates.ts';
import { ageOn, MANAGEMENT_LABELS } from '../domain/people/people.ts';
import type { MoneyManagerKind, OutcomeArea, PlanContent, PlanOutcome, SupportItem } from '../domain/plans/content.ts';
import { itemAnnualPence, planTotals } from '../domain/plans/costs.ts';
import { contentToJson, EMPTY_CONTENT } from '../domain/plans/json.ts';
import { periodEnd } from '../domain/sign-off/sign-off.ts';
import type { GeneratedAllocation } from './allocation.ts';
import type { GeneratedCases } from './cases.ts';
import type { DemoFamiliesAndProviders } from './families.ts';
import type { GeneratedCouncil, PersonRow } from './generate.ts';
import { seeded, seedOf } from './random.ts';

export type PlanRow = Insertable<PlansTable>;
export type PlanVersionRow = Insertable<PlanVersionsTable>;
export type PlanCommentRow = Insertable<PlanCommentsTable>;
export type BudgetRequestRow = Insertable<PersonalBudgetRequestsTable>;
export type ApprovalTierRow = Insertable<ApprovalTiersTable>;
export type PlanDecisionRow = Insertable<PlanDecisionsTable>;
export type PlanAgreementRow = Insertable<PlanAgreementsTable>;
export type RefusalRow = Insertable<DirectPaymentRefusalsTable>;
export type DbsCheckRow = Insertable<DbsChecksTable>;
export type PersonalBudgetRow = Insertable<PersonalBudgetsTable>;
export type PersonalBudgetLineRow = Insertable<PersonalBudgetLinesTable>;

/** One plan as generated, for tests and the seed summary: its rows and the content of each version. */
export interface GeneratedPlan {
  readonly row: PlanRow & { status: PlanStatus; kind: PlanKind; id: string; person_id: string; author_id: string };
  readonly indicative: Partial<Record<StreamCode, Pence>>;
  /** Version n is contents[n - 1]. */
  readonly contents: readonly PlanContent[];
}

export interface GeneratedPlans {
  /** The council's sign-off tiers, matching the demo approvers' limits. */
  readonly tiers: ApprovalTierRow[];
  readonly plans: GeneratedPlan[];
  readonly versions: PlanVersionRow[];
  readonly comments: PlanCommentRow[];
  readonly budgetRequests: BudgetRequestRow[];
  readonly decisions: PlanDecisionRow[];
  readonly agreements: PlanAgreementRow[];
  readonly refusals: RefusalRow[];
  readonly dbsChecks: DbsCheckRow[];
  readonly personalBudgets: PersonalBudgetRow[];
  readonly personalBudgetLines: PersonalBudgetLineRow[];
  /**
   * Agreement replaces the person's budget lines with the personal budget's (one a stream and way of
   * managing): the people whose lines go, and the lines that replace them.
   */
  readonly replacedBudgetLines: { readonly personIds: readonly string[]; readonly rows: BudgetLinesTable[] };
}

/** The demo tiers: the limits of the three demo approvers; above the highest, the panel. */
const TIERS: readonly { name: string; upToPence: bigint }[] = [
  { name: 'Team manager', upToPence: 500_000n },
  { name: 'Group manager', upToPence: 2_000_000n },
  { name: 'Head of service', upToPence: 25_000_000n },
];

const PARENT_NAMES = ['Sarah', 'Emma', 'Joanne', 'Michelle', 'Nadia', 'Claire', 'Amina', 'Lisa', 'Rebecca', 'Gemma', 'Mark', 'Paul', 'Imran', 'Lee', 'Stuart'];
const NOMINEE_NAMES = ['Susan', 'Peter', 'Janet', 'Alan', 'Karen', 'Robert', 'Shabana', 'Steven'];

export function generatePlans(
  generated: GeneratedCouncil,
  cases: GeneratedCases,
  allocation: GeneratedAllocation | undefined,
  families: DemoFamiliesAndProviders | undefined,
  slug: string,
  today: string,
): GeneratedPlans {
  const rand = seeded(seedOf(`plans:${slug}`));
  const int = (low: number, high: number) => low + Math.floor(rand() * (high - low + 1));
  const chance = (p: number) => rand() < p;
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(rand() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };
  const shortId = (): string => {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let id = '';
    for (let i = 0; i < 8; i += 1) id += letters[Math.floor(rand() * 64)];
    return id;
  };

  const councilId = generated.council.id;
  const yesterday = addDays(today, -1);
  const streamId = new Map(generated.fundingStreams.map((s) => [s.code as StreamCode, s.id]));
  const streamCode = new Map(generated.fundingStreams.map((s) => [s.id, s.code as StreamCode]));
  const funded = STREAM_CODES.filter((c) => streamId.has(c));
  const approvers = generated.staff
    .filter((s) => s.role === 'approver' && s.approval_limit_pence !== null)
    .sort((a, b) => Number((a.approval_limit_pence ?? 0n) - (b.approval_limit_pence ?? 0n)));
  const providerOfKind = (kind: string): string | undefined => generated.providers.find((p) => p.kind === kind)?.name;
  const nhsTrust = providerOfKind('nhs_trust') ?? 'the community NHS trust';
  const careAgency = providerOfKind('care_agency') ?? 'a local care agency';

  const out: {
    tiers: ApprovalTierRow[];
    plans: GeneratedPlan[];
    versions: PlanVersionRow[];
    comments: PlanCommentRow[];
    budgetRequests: BudgetRequestRow[];
    decisions: PlanDecisionRow[];
    agreements: PlanAgreementRow[];
    refusals: RefusalRow[];
    dbsChecks: DbsCheckRow[];
    personalBudgets: PersonalBudgetRow[];
    personalBudgetLines: PersonalBudgetLineRow[];
  } = {
    tiers: TIERS.map((t) => ({ id: randomUUID(), council_id: councilId, name: t.name, up_to_pence: t.upToPence })),
    plans: [],
    versions: [],
    comments: [],
    budgetRequests: [],
    decisions: [],
    agreements: [],
    refusals: [],
    dbsChecks: [],
    personalBudgets: [],
    personalBudgetLines: [],
  };
  const replacedPeople: string[] = [];
  const replacedRows: BudgetLinesTable[] = [];

  // Family accounts linked to people: they comment on and agree their plans.
  const familyOf = new Map<string, { id: string; name: string; relationship: string }>();
  for (const link of families?.links ?? []) {
    const account = families?.accounts.find((a) => a.id === link.account_id);
    if (account !== undefined) familyOf.set(link.person_id, { id: account.id, name: account.display_name, relationship: link.relationship });
  }

  // The latest allocation result on or before a day, per stream, as startPlan copies it.
  const resultsOf = new Map<string, NonNullable<GeneratedAllocation>['results']>();
  for (const r of allocation?.results ?? []) resultsOf.set(r.person_id, [...(resultsOf.get(r.person_id) ?? []), r]);
  const indicativeOn = (personId: string, on: string): { budget: Partial<Record<StreamCode, Pence>>; scoredOn: string | null } => {
    const candidates = (resultsOf.get(personId) ?? [])
      .filter((r) => (r.scored_at as Date).toISOString().slice(0, 10) <= on)
      .sort((a, b) => (b.scored_at as Date).getTime() - (a.scored_at as Date).getTime() || a.id.localeCompare(b.id));
    const r = candidates[0];
    if (r === undefined) return { budget: {}, scoredOn: null };
    const budget: Partial<Record<StreamCode, Pence>> = {};
    if (r.education_high_needs_pence != null) budget.education_high_needs = BigInt(r.education_high_needs_pence);
    if (r.social_care_pence != null) budget.social_care = BigInt(r.social_care_pence);
    if (r.health_continuing_care_pence != null) budget.health_continuing_care = BigInt(r.health_continuing_care_pence);
    return { budget, scoredOn: (r.scored_at as Date).toISOString().slice(0, 10) };
  };
  const latestResultDay = (personId: string): string | null =>
    (resultsOf.get(personId) ?? []).map((r) => (r.scored_at as Date).toISOString().slice(0, 10)).sort().at(-1) ?? null;

  // ---- Content ------------------------------------------------------------------------------------

  interface Who {
    readonly person: PersonRow;
    readonly age: number;
    readonly first: string;
    readonly child: boolean;
  }

  const profileFor = (who: Who): PlanContent['profile'] => {
    const { first, age, person } = who;
    if (person.case_type === 'ehc' || person.case_type === 'social_care_child' || (person.case_type === 'continuing_care' && age < 18)) {
      const young = age < 11;
      return {
        likeAndAdmire: pick([
          `${first} has a great sense of humour and a smile that lights up the room. Staff say ${first} is kind to younger children and always notices when someone is upset.`,
          `${first} is determined and curious, and keeps trying when things are hard. Family say ${first} is loving, loyal and very good company.`,
          `${first} is creative and has a brilliant memory for songs, films and facts. Teachers admire how hard ${first} works to manage big feelings.`,
          `${first} is gentle, funny and loves to help. Friends say ${first} is the first to share and the last to give up.`,
        ]),
        importantToMe: young
          ? pick([
              'My mum, my dad and my dog. Knowing what is happening next. Swimming on Saturdays and my tablet at bedtime.',
              'Playing outside, trampolining and my favourite cartoons. Having a quiet space when it gets too loud. Seeing my grandparents at the weekend.',
              'My family and my teaching assistant. Lego and dinosaurs. Having the same routine every morning.',
            ])
          : pick([
              'Being with my friends and not being treated differently. Music, gaming and football. Having a say in decisions about me.',
              'My family and my cat. Going to college like my brother did. Being able to go out on my own one day.',
              'Art, animals and YouTube. A calm start to the day. People listening to me before they decide things.',
            ]),
        howToSupportMe: pick([
          `Give ${first} time to process what you say, one instruction at a time, and use the visual timetable. Warn ${first} before changes. When ${first} is anxious, offer the quiet space and do not ask lots of questions.`,
          `Talk to ${first} directly and check understanding by asking ${first} to show you. Keep noise down where you can. Praise effort, not just results.`,
          `${first} communicates with some words, signs and a picture book: give ${first} time to answer and accept all of them. ${first} needs help with personal care and to be moved safely (see the moving and handling plan).`,
          `Build in movement breaks every 20 minutes. Sit ${first} near the front, away from the door. If ${first} refuses a task, give a choice of two rather than an order.`,
        ]),
        iStatements: [
          pick(['I like to know what is happening next.', 'I learn best when I can see it as well as hear it.', 'I need time to answer: please wait for me.']),
          pick(['I want to have friends and be included.', 'I want to do more things for myself.', 'I feel safe when adults stay calm.']),
          ...(age >= 14 ? [pick(['I want a say in what I do after school.', 'I want to learn to travel on my own.', 'I want to get a job one day.'])] : []),
        ],
      };
    }
    const older = age >= 65;
    return {
      likeAndAdmire: pick([
        `${first} is warm, chatty and has a dry sense of humour. Neighbours say ${first} always has time for them.`,
        `${first} is independent and practical, and knows exactly how things should be done. Family admire how ${first} has coped with a lot of change.`,
        `${first} is sociable and caring, a loyal friend and a keen gardener. Staff at the day centre say ${first} makes newcomers feel welcome.`,
      ]),
      importantToMe: older
        ? pick([
            'Staying in my own home. My garden and my cat. Seeing my daughter on Sundays. Having carers I know, at the times we agreed.',
            'My wife and our home of forty years. Going to church. Not being rushed in the mornings.',
            'My independence, my radio and my crossword. Getting out to the shops once a week. Feeling safe at night.',
          ])
        : pick([
            'My flat and my independence. My friends from the group. Music and going to the gym.',
            'Working towards a job. Seeing my family. Choosing who supports me and when.',
            'Being part of my community. My routine. Cooking my own meals with a bit of help.',
          ]),
      howToSupportMe: pick([
        `Ask ${first} before you do anything, and let ${first} do what they can for themselves. Speak clearly and face ${first}. Leave things where ${first} can reach them.`,
        `${first} is best in the morning: plan appointments then. Explain any paperwork slowly and leave a written copy. Prompt, do not take over.`,
        `${first} needs help to wash, dress and get in and out of bed, using the hoist with two carers. Check the skin each day and keep a drink in reach.`,
      ]),
      iStatements: [
        pick(['I want to stay living in my own home.', 'I want to choose who supports me.', 'I want to feel part of my community.']),
        pick(['I want to be listened to.', 'I want to do as much as I can for myself.', 'I want my family to get a break too.']),
      ],
    };
  };

  const OUTCOMES: Readonly<Record<OutcomeArea, readonly { child: boolean; description: string; measure: string }[]>> = {
    education: [
      { child: true, description: 'Use my communication book or device to ask for help and make choices in class', measure: 'I use it at least five times a day without a prompt, noted by my class teacher each half term' },
      { child: true, description: 'Read and understand short texts at my level so I can join in with lessons', measure: 'My reading age goes up by at least 9 months on the school’s termly assessment' },
      { child: true, description: 'Join in group work for 20 minutes with an adult nearby', measure: 'My teaching assistant records that I manage 20 minutes in four out of five lessons' },
      { child: true, description: 'Settle into my new setting and feel safe there', measure: 'I attend at least 90% of sessions and tell my key worker I feel happy there' },
      { child: true, description: 'Manage my feelings in class using my calm plan', measure: 'Fewer than two times a week when I need to leave the classroom, from the school’s records' },
      { child: true, description: 'Complete my college course and gain my Level 1 qualification', measure: 'I pass the course and my tutor confirms it at the end of the year' },
    ],
    health: [
      { child: true, description: 'Keep my chest clear and stay out of hospital with daily physiotherapy', measure: 'No unplanned hospital admissions for chest infections in the year' },
      { child: true, description: 'Sleep through most nights so I am ready to learn', measure: 'My sleep diary shows six nights out of seven without waking for more than an hour' },
      { child: true, description: 'Understand my anxiety and use two ways to calm myself', measure: 'I can name and use two calming strategies, checked with my counsellor each month' },
      { child: false, description: 'Manage my medication with a prompt, so I take it at the right times', measure: 'Medication chart shows no missed doses over three months' },
      { child: false, description: 'Stay well at home and avoid falls', measure: 'No falls needing hospital treatment, checked at the review' },
      { child: false, description: 'Keep my skin healthy and comfortable', measure: 'No pressure sores, from the district nurse’s checks' },
    ],
    care: [
      { child: true, description: 'Do more of my personal care myself, starting with washing and dressing', measure: 'I get dressed each morning with only verbal prompts, recorded by my parents' },
      { child: true, description: 'My family get regular breaks so they can keep caring for me', measure: 'Short breaks happen as planned and my parents say they are coping, at each review' },
      { child: true, description: 'Go out in the community each week and try new activities', measure: 'At least one outing a week, recorded in my personal assistant’s log' },
      { child: false, description: 'Get up, washed and dressed at a time that suits me', measure: 'Carers arrive within 30 minutes of the agreed time, from the provider’s records' },
      { child: false, description: 'See friends and take part in activities I enjoy', measure: 'I go out at least twice a week and tell my social worker I feel less lonely' },
      { child: false, description: 'My wife can keep caring for me and have time for herself', measure: 'Respite happens as planned and the carer’s assessment shows less strain at review' },
    ],
    preparing_for_adulthood: [
      { child: true, description: 'Travel to school or college on the bus with my travel trainer, then on my own', measure: 'I make the journey on my own safely for four weeks running' },
      { child: true, description: 'Make a drink and a simple meal safely', measure: 'I make a sandwich and a hot drink on my own, checked by my family each month' },
      { child: true, description: 'Try a work experience placement in something I enjoy', measure: 'I complete a placement of at least two weeks and say what I learned' },
      { child: false, description: 'Move into supported living with people I get on with', measure: 'I have moved and say I am happy there, at the six-month review' },
      { child: false, description: 'Find and keep a part-time job', measure: 'I am working at least 8 hours a week for three months' },
      { child: false, description: 'Manage my own money for shopping and bills with some help', measure: 'I budget for my weekly shop with my support worker and no bills are missed' },
    ],
  };

  const areasFor = (who: Who): OutcomeArea[] => {
    const { person, age } = who;
    switch (person.case_type) {
      case 'ehc':
        return age >= 14 ? ['education', 'health', 'care', 'preparing_for_adulthood'] : ['education', 'health', 'care'];
      case 'social_care_child':
        return age >= 14 ? ['care', 'health', 'preparing_for_adulthood'] : ['care', 'health'];
      case 'social_care_adult':
        return age < 30 ? ['care', 'health', 'preparing_for_adulthood'] : ['care', 'health'];
      case 'continuing_care':
        return ['health', 'care'];
    }
  };

  const outcomesFor = (who: Who, start: string): PlanOutcome[] => {
    const childish = who.child || (who.person.case_type === 'ehc' && who.age < 26);
    return areasFor(who).map((area) => {
      const choices = OUTCOMES[area].filter((o) => o.child === childish || area === 'education');
      const o = pick(choices.length > 0 ? choices : OUTCOMES[area]);
      return { id: shortId(), area, description: o.description, byWhen: addMonths(start, pick([6, 9, 12, 12, 12])), measure: o.measure };
    });
  };

  const AREA_OF_STREAM: Readonly<Record<StreamCode, readonly OutcomeArea[]>> = {
    education_high_needs: ['education', 'preparing_for_adulthood'],
    social_care: ['care', 'preparing_for_adulthood'],
    health_continuing_care: ['health'],
  };
  const servesOf = (outcomes: readonly PlanOutcome[], stream: StreamCode): string[] => {
    const ids = outcomes.filter((o) => AREA_OF_STREAM[stream].includes(o.area)).map((o) => o.id);
    return ids.length > 0 ? ids : outcomes.slice(0, 1).map((o) => o.id);
  };

  type ItemSpec = Omit<SupportItem, 'id' | 'outcomeIds'>;

  /** A support item from an agreed budget line: the same stream, management and exact annual amount. */
  const itemFromLine = (line: GeneratedCouncil['budgetLines'][number]): ItemSpec => {
    const stream = streamCode.get(line.funding_stream_id) ?? 'social_care';
    const { unitPence, units } = line.costing;
    const weekly = /a week .*for 52 weeks$/.test(line.description) && units % 52n === 0n;
    const provider =
      generated.providers.find((p) => line.description.includes(p.name))?.name ??
      (line.management === 'direct_payment' ? 'Chosen and employed by the family' : line.management === 'individual_service_fund' ? careAgency : 'Arranged by the council');
    return {
      description: line.description,
      provider,
      unitCostPence: unitPence,
      quantity: Number(weekly ? units / 52n : units),
      frequency: weekly ? 'weekly' : line.description.startsWith('Specialist equipment') ? 'once' : 'yearly',
      stream,
      management: line.management,
      paysPersonalAssistant: line.management === 'direct_payment' && /personal assistant/i.test(line.description),
    };
  };

  /**
   * New support for a plan being written: for each stream, an amount to spend; a few smaller items,
   * then the main item sized to what is left (whole or half hours, or whole pounds).
   */
  const itemsFor = (who: Who, spend: Partial<Record<StreamCode, Pence>>): ItemSpec[] => {
    const { person, age, first } = who;
    const items: ItemSpec[] = [];
    const setting = person.setting ?? 'school';
    for (const stream of STREAM_CODES) {
      let left = spend[stream] ?? 0n;
      if (left < 20_000n) continue;
      const add = (item: ItemSpec) => {
        const cost = annual(item);
        if (cost <= left) {
          items.push(item);
          left -= cost;
        }
      };
      if (stream === 'education_high_needs') {
        if (['SLCN', 'ASD', 'SLD', 'PMLD', 'DS', 'HI'].includes(person.primary_need ?? '') && left > 400_000n) {
          add({ description: 'Speech and language therapy, 10 sessions a term', provider: nhsTrust, unitCostPence: pick([9_000n, 9_500n, 10_000n]), quantity: 10, frequency: 'termly', stream, management: 'council_managed', paysPersonalAssistant: false });
        }
        if (age >= 5 && age <= 18 && chance(0.4) && left > 500_000n) {
          add({ description: 'Personal transport budget for the journey to school', provider: 'Chosen by the family', unitCostPence: pick([1_200n, 1_500n, 1_800n]), quantity: 190, frequency: 'yearly', stream, management: 'direct_payment', paysPersonalAssistant: false });
        }
        const top = (left / 1_000n) * 1_000n;
        if (top > 0n) {
          const where = /college/i.test(setting) ? `High needs top-up funding at ${setting}` : age < 5 ? `Early years SEN inclusion support at ${setting}` : `Top-up funding (element 3) at ${setting}`;
          items.push({ description: where, provider: setting, unitCostPence: top, quantity: 1, frequency: 'yearly', stream, management: 'council_managed', paysPersonalAssistant: false });
        }
      } else if (stream === 'social_care') {
        const adult = person.case_type === 'social_care_adult' || (person.case_type === 'continuing_care' && age >= 18);
        if (!adult && age >= 5 && chance(0.5)) {
          add({ description: 'Holiday play scheme', provider: 'Chosen by the family', unitCostPence: pick([5_500n, 6_000n, 6_500n]), quantity: pick([10, 15, 20]), frequency: 'yearly', stream, management: 'direct_payment', paysPersonalAssistant: false });
        }
        if (adult && chance(0.4)) {
          add({ description: 'Telecare alarm and sensors', provider: 'Council telecare service', unitCostPence: pick([500n, 650n, 750n]), quantity: 1, frequency: 'weekly', stream, management: 'council_managed', paysPersonalAssistant: false });
        }
        if (!adult && ['SLD', 'PMLD', 'ASD', 'PD'].includes(person.primary_need ?? '') && chance(0.5)) {
          add({ description: 'Overnight short breaks', provider: providerOfKind('charity') ?? 'Short breaks service', unitCostPence: pick([32_000n, 35_500n, 38_000n]), quantity: 2, frequency: 'monthly', stream, management: 'council_managed', paysPersonalAssistant: false });
        }
        const older = adult && age >= 65;
        const rate = older ? pick([2_350n, 2_480n, 2_560n]) : pick([1_500n, 1_550n, 1_600n, 1_650n]);
        const hours = Number((left * 2n) / (rate * 52n)) / 2;
        if (hours >= 1) {
          items.push(
            older
              ? { description: `Home care from ${careAgency}, help to get up, washed and dressed`, provider: careAgency, unitCostPence: rate, quantity: Math.min(hours, 60), frequency: 'weekly', stream, management: 'individual_service_fund', paysPersonalAssistant: false }
              : { description: `Personal assistant to support ${first} at home and out and about`, provider: 'Employed by the family', unitCostPence: rate, quantity: Math.min(hours, 60), frequency: 'weekly', stream, management: 'direct_payment', paysPersonalAssistant: true },
          );
        }
      } else {
        if (chance(0.5)) add({ description: 'Occupational therapy, 6 sessions', provider: nhsTrust, unitCostPence: pick([9_500n, 10_500n]), quantity: 6, frequency: 'yearly', stream, management: 'council_managed', paysPersonalAssistant: false });
        const rate = pick([2_950n, 3_100n, 3_250n]);
        const hours = Number((left * 2n) / (rate * 52n)) / 2;
        if (hours >= 1) {
          items.push({ description: `Nursing-led care at home from ${careAgency}`, provider: careAgency, unitCostPence: rate, quantity: Math.min(hours, 90), frequency: 'weekly', stream, management: 'individual_service_fund', paysPersonalAssistant: false });
        }
      }
    }
    return items;
  };

  const annual = (item: ItemSpec): Pence => itemAnnualPence({ ...item, id: '', outcomeIds: [] });

  const moneyManagerFor = (who: Who, items: readonly ItemSpec[], parent: string): { kind: MoneyManagerKind; name: string } => {
    if (!items.some((i) => i.management === 'direct_payment')) return { kind: 'not_applicable', name: '' };
    const family = familyOf.get(who.person.id);
    if (family?.relationship === 'nominee') return { kind: 'nominee', name: family.name };
    if (who.age < 16 || (who.age < 18 && chance(0.6))) return { kind: 'parent_carer', name: `${parent} ${who.person.family_name}` };
    if (/Dementia|learning disability/i.test(who.person.needs_summary ?? '') && who.age >= 18) {
      return { kind: chance(0.5) ? 'nominee' : 'suitable_person', name: `${pick(NOMINEE_NAMES)} ${who.person.family_name}` };
    }
    return { kind: 'person', name: '' };
  };

  const risksFor = (who: Who): string =>
    who.child
      ? pick([
          `${who.first} has no sense of danger near roads: hold hands or use the reins outside. Personal assistants have read the behaviour support plan and know the signs that ${who.first} is getting overwhelmed.`,
          `${who.first} has epilepsy: the seizure plan is in the grab bag and everyone supporting ${who.first} is trained to give rescue medication. Never leave ${who.first} alone in the bath.`,
          `${who.first} can run off when anxious. Staff keep gates locked and know the calm-down routine. Online safety is taught at school and at home.`,
        ])
      : pick([
          `${who.first} is at risk of falls at night: the telecare sensor alerts the response team. Carers check the walking frame is in reach before leaving.`,
          `${who.first} can be taken advantage of by people who say they are friends. The support worker helps check new contacts, and the bank card has a daily limit agreed with ${who.first}.`,
          `${who.first} may forget to eat or drink. Carers leave a drink and a snack, and note what has been eaten. If ${who.first} becomes confused or unwell, call the GP or 111.`,
        ]);

  const contingencyFor = (items: readonly ItemSpec[]): { amountPence: Pence; purpose: string } => {
    if (!items.some((i) => i.management === 'direct_payment') || chance(0.35)) return { amountPence: 0n, purpose: '' };
    const sum = items.reduce((s, i) => s + annual(i), 0n);
    const amount = ((sum * 3n) / 100n / 5_000n) * 5_000n;
    if (amount === 0n) return { amountPence: 0n, purpose: '' };
    return {
      amountPence: amount,
      purpose: pick([
        'Cover when my usual personal assistant is off sick or on holiday, so support carries on.',
        'Extra hours in the school holidays if the play scheme cannot take me.',
        'Agency cover at short notice if my family carer is unwell.',
      ]),
    };
  };

  /** Why a plan costs more than its indicative budget, in words that fit a child's or an adult's plan. */
  const overBudgetReason = (who: Who): string =>
    who.child
      ? pick([
          `${who.first}'s seizures have increased since the questionnaire was answered, and waking support at night is now needed; the community paediatrician's letter on the case sets this out.`,
          `The only setting that can meet ${who.first}'s sensory needs charges more than the indicative budget allows. The family and the school agree it is the right place, and travel costs are lower than the alternative.`,
          `${who.first}'s parent is recovering from an operation and cannot lift for three months. The extra hours keep the family together until then and are cheaper than an emergency placement.`,
        ])
      : pick([
          `The allocation questionnaire does not count the two carers ${who.first} now needs for personal care since the fall in the summer. The occupational therapist's report confirms it, and it costs less than a care home.`,
          `${who.first}'s wife, the main carer, has become unwell. Until her health improves the extra hours keep ${who.first} safe at home and avoid a crisis placement.`,
          `${who.first} needs a personal assistant who can drive, because there is no accessible bus to the day service; the higher rate covers the mileage.`,
        ]);

  // ---- Writing a plan, version by version ---------------------------------------------------------

  /** Stamps strictly increasing times on a plan's events, on the days given (never before the last one). */
  const clockFrom = () => {
    let last: Date | null = null;
    return (date: string): Date => {
      const day = date > today ? today : date;
      let at = new Date(`${day}T09:00:00.000Z`);
      at = new Date(at.getTime() + int(0, 150) * 60_000);
      if (last !== null && at <= last) at = new Date(last.getTime() + int(4, 35) * 60_000);
      last = at;
      return at;
    };
  };

  /** n days spread between from and to (inclusive, in order). */
  const spread = (from: string, to: string, n: number): string[] => {
    const span = Math.max(0, daysBetween(from, to));
    return Array.from({ length: n }, () => int(0, span))
      .sort((a, b) => a - b)
      .map((d) => addDays(from, d));
  };

  interface Writing {
    readonly plan: GeneratedPlan;
    readonly row: GeneratedPlan['row'];
    readonly contents: PlanContent[];
    readonly stamp: (date: string) => Date;
    current: PlanContent;
    lastAt: Date;
  }

  const startPlan = (input: {
    person: PersonRow;
    caseId: string;
    kind: PlanKind;
    replaces: GeneratedPlan | null;
    author: string;
    on: string;
    indicative: Partial<Record<StreamCode, Pence>>;
    from: PlanContent;
  }): Writing => {
    const stamp = clockFrom();
    const at = stamp(input.on);
    const id = randomUUID();
    const row: GeneratedPlan['row'] = {
      id,
      council_id: councilId,
      person_id: input.person.id,
      case_id: input.caseId,
      kind: input.kind,
      replaces_plan_id: input.replaces?.row.id ?? null,
      status: 'draft',
      current_version: 1,
      author_id: input.author,
      indicative_budget: JSON.stringify(Object.fromEntries(Object.entries(input.indicative).map(([k, v]) => [k, v.toString()]))),
      period_starts_on: null,
      period_ends_on: null,
      created_at: at,
      updated_at: at,
    };
    const contents: PlanContent[] = [];
    const plan: GeneratedPlan = { row, indicative: input.indicative, contents };
    const writing: Writing = { plan, row, contents, stamp, current: input.from, lastAt: at };
    pushVersion(writing, input.from, input.kind === 'review' ? 'Started the review plan from the agreed plan' : 'Started the plan', input.author, at);
    out.plans.push(plan);
    return writing;
  };

  function pushVersion(w: Writing, content: PlanContent, note: string, by: string, at: Date): void {
    w.contents.push(content);
    w.current = content;
    w.lastAt = at;
    w.row.current_version = w.contents.length;
    w.row.updated_at = at;
    out.versions.push({
      council_id: councilId,
      plan_id: w.row.id,
      version: w.contents.length,
      content: contentToJson(content),
      total_pence: planTotals(content, w.plan.indicative).totalPence,
      change_note: note,
      created_by: by,
      created_at: at,
    });
  }

  /** One section saved, as saveSection does: a new version; a returned plan becomes a draft again. */
  const save = (w: Writing, on: string, content: PlanContent, note: string, by = w.row.author_id): void => {
    if (w.row.status !== 'draft' && w.row.status !== 'returned') throw new Error(`demo plan saved while ${w.row.status}`);
    w.row.status = 'draft';
    pushVersion(w, content, note, by, w.stamp(on));
  };

  /** Writes the plan towards `target` section by section on the days given (as many as needed). */
  const writeSections = (w: Writing, target: PlanContent, from: string, to: string): void => {
    // In an order that keeps every version fit to submit apart from what is still missing: who
    // manages the money and why it costs more come before the support that needs them.
    const steps: { content: (c: PlanContent) => PlanContent; note: string }[] = [];
    if (JSON.stringify(w.current.profile) !== JSON.stringify(target.profile)) steps.push({ content: (c) => ({ ...c, profile: target.profile }), note: 'Changed the profile' });
    for (const o of target.outcomes) {
      if (w.current.outcomes.some((x) => x.id === o.id)) continue;
      steps.push({ content: (c) => ({ ...c, outcomes: [...c.outcomes, o] }), note: `Added outcome "${o.description}"` });
    }
    if (target.moneyManager.kind !== w.current.moneyManager.kind || target.moneyManager.name !== w.current.moneyManager.name) {
      steps.push({ content: (c) => ({ ...c, moneyManager: target.moneyManager }), note: 'Changed who manages the money' });
    }
    if (target.overBudgetReason !== w.current.overBudgetReason) {
      steps.push({ content: (c) => ({ ...c, overBudgetReason: target.overBudgetReason }), note: 'Changed why the plan costs more than the indicative budget' });
    }
    for (const item of target.items) {
      if (w.current.items.some((x) => x.id === item.id)) continue;
      steps.push({ content: (c) => ({ ...c, items: [...c.items, item] }), note: `Added support "${item.description}"` });
    }
    if (target.contingency.amountPence !== w.current.contingency.amountPence || target.contingency.purpose !== w.current.contingency.purpose) {
      steps.push({ content: (c) => ({ ...c, contingency: target.contingency }), note: 'Changed the contingency' });
    }
    if (target.risks !== w.current.risks) steps.push({ content: (c) => ({ ...c, risks: target.risks }), note: 'Changed risks and how I keep safe' });
    const days = spread(from, to, steps.length);
    steps.forEach((s, i) => save(w, days[i] ?? to, s.content(w.current), s.note));
  };

  const decide = (w: Writing, on: string, decision: PlanDecisionRow['decision'], by: string, reasons: string, limit: bigint | null, panel?: { date: string; members: string }): Date => {
    const at = w.stamp(on);
    out.decisions.push({
      id: randomUUID(),
      council_id: councilId,
      plan_id: w.row.id,
      version: w.row.current_version,
      decision,
      decided_by: by,
      decided_at: at,
      reasons,
      total_pence: planTotals(w.current, w.plan.indicative).totalPence,
      limit_pence: limit,
      panel_date: panel?.date ?? null,
      panel_members: panel?.members ?? null,
    });
    w.row.updated_at = at;
    w.lastAt = at;
    return at;
  };

  /** DBS checks for the personal assistants paid by direct payment, recorded before submission. */
  const recordDbs = (w: Writing, on: string): void => {
    for (const item of w.current.items.filter((i) => i.management === 'direct_payment' && i.paysPersonalAssistant)) {
      if (out.dbsChecks.some((d) => d.plan_id === w.row.id && d.item_id === item.id)) continue;
      const familyMember = chance(0.12) && approvers[0] !== undefined;
      const recordedAt = w.stamp(on);
      out.dbsChecks.push(
        familyMember
          ? {
              id: randomUUID(),
              council_id: councilId,
              plan_id: w.row.id,
              item_id: item.id,
              kind: 'exception',
              checked_on: null,
              certificate_number: null,
              exception_reason: 'The personal assistant is a close relative who already lives with the family and has cared for them for years; the family chose them knowingly and the risk assessment is on file.',
              recorded_by: approvers[0]?.id ?? w.row.author_id,
              recorded_at: recordedAt,
            }
          : {
              id: randomUUID(),
              council_id: councilId,
              plan_id: w.row.id,
              item_id: item.id,
              kind: 'check',
              checked_on: addDays(on, -int(3, 40)),
              certificate_number: String(int(1, 9)) + Array.from({ length: 11 }, () => String(int(0, 9))).join(''),
              exception_reason: null,
              recorded_by: w.row.author_id,
              recorded_at: recordedAt,
            },
      );
    }
  };

  const approverFor = (total: Pence) => approvers.find((a) => (a.approval_limit_pence ?? 0n) >= total);
  const totalOf = (w: Writing) => planTotals(w.current, w.plan.indicative).totalPence;

  const submit = (w: Writing, on: string): void => {
    recordDbs(w, on);
    const over = w.current.overBudgetReason !== '' && planTotals(w.current, w.plan.indicative).overBudget;
    const note = over ? 'Over the indicative budget: please see the reason, discussed with the family at the planning meeting.' : pick(['Submitted for sign-off', 'Submitted for sign-off', 'Agreed with the family at the planning meeting.', 'The family have seen the costs and are happy with them.']);
    decide(w, on, 'submitted', w.row.author_id, note, null);
    w.row.status = 'submitted';
  };

  /** Approves (or returns) within the lowest sufficient approver's limit, or at panel above them all. */
  const signOff = (w: Writing, on: string, outcome: 'approve' | 'return', reasons: string): void => {
    const total = totalOf(w);
    const approver = approverFor(total);
    if (approver === undefined) {
      const chair = approvers.at(-1);
      if (chair === undefined) throw new Error('no demo approver');
      decide(w, on, outcome === 'approve' ? 'panel_approved' : 'panel_returned', chair.id, reasons, null, {
        date: on,
        members: `${chair.display_name} (chair), the designated clinical officer, a finance business partner`,
      });
    } else {
      decide(w, on, outcome === 'approve' ? 'approved' : 'returned', approver.id, reasons, approver.approval_limit_pence);
    }
    w.row.status = outcome === 'approve' ? 'approved' : 'returned';
  };

  const APPROVE_REASONS = [
    'Outcomes are clear and the support is costed correctly. Approved.',
    'Within the indicative budget; good evidence from the family. Approved.',
    'Approved. The over-budget reason is well evidenced.',
    'Approved: the support matches the assessed needs and the outcomes.',
  ];
  const RETURN_REASONS = [
    'Outcome 2 needs a measure we can check: how will we know it has worked? Please also say who provides the therapy.',
    'The personal assistant hours are higher than the assessment supports. Please show what else was considered, or reduce the hours.',
    'The plan is over the indicative budget without enough evidence. Please attach the therapist’s report and explain the reason more fully.',
    'Please check each support item names who provides it, and say in the risks section what happens if the support breaks down.',
  ];

  /** The family's agreement and the personal budget, as agree() writes them. */
  const agree = (w: Writing, on: string, who: Who, typedBy: { id: string; name: string }): void => {
    const recordedAt = w.stamp(on);
    w.row.status = 'agreed';
    w.row.updated_at = recordedAt;
    out.agreements.push({ plan_id: w.row.id, council_id: councilId, version: w.row.current_version, agreed_by: typedBy.id, typed_name: typedBy.name, agreed_on: on, confirmed: true, recorded_at: recordedAt });
    // The case's earlier agreed plan is superseded, and its personal budget ends.
    for (const p of out.plans) {
      if (p.row.case_id === w.row.case_id && p.row.status === 'agreed' && p.row.id !== w.row.id) {
        p.row.status = 'superseded';
        p.row.updated_at = recordedAt;
      }
    }
    for (const b of out.personalBudgets) if (b.person_id === who.person.id && b.status === 'active') b.status = 'ended';
    const totals = planTotals(w.current, w.plan.indicative);
    const id = randomUUID();
    out.personalBudgets.push({
      id,
      council_id: councilId,
      person_id: who.person.id,
      plan_id: w.row.id,
      version: w.row.current_version,
      starts_on: on,
      ends_on: periodEnd(on),
      total_pence: totals.byStreamAndManagement.reduce((s, l) => s + l.annualPence, 0n),
      status: 'active',
      created_at: recordedAt,
    });
    const lines = totals.byStreamAndManagement.map((l) => {
      const fundingStreamId = streamId.get(l.stream);
      if (fundingStreamId === undefined) throw new Error(`The demo council has no funding stream ${l.stream}`);
      return { ...l, fundingStreamId };
    });
    for (const l of lines) {
      out.personalBudgetLines.push({ id: randomUUID(), council_id: councilId, personal_budget_id: id, funding_stream_id: l.fundingStreamId, management: l.management, annual_pence: l.annualPence });
    }
    if (!replacedPeople.includes(who.person.id)) replacedPeople.push(who.person.id);
    for (let i = replacedRows.length - 1; i >= 0; i -= 1) if (replacedRows[i]?.person_id === who.person.id) replacedRows.splice(i, 1);
    for (const l of lines) {
      replacedRows.push({
        id: randomUUID(),
        council_id: councilId,
        person_id: who.person.id,
        funding_stream_id: l.fundingStreamId,
        management: l.management,
        description: `Personal budget: ${STREAM_LABELS[l.stream]}, ${MANAGEMENT_LABELS[l.management].toLowerCase()}`,
        annual_pence: l.annualPence,
      });
    }
  };

  /** The family's comments on a draft, some answered (an accepted change makes a version). */
  const familyComments = (w: Writing, who: Who, from: string, to: string, leaveOpen: boolean): void => {
    const family = familyOf.get(who.person.id);
    if (family === undefined) return;
    const outcome = w.current.outcomes[0];
    const item = w.current.items[0];
    const proposals: { section: string; body: string; proposed: string | null; accept: boolean; note: string }[] = [
      {
        section: 'profile',
        body: `You have missed that ${who.first} loves music: it is the best way to calm ${who.first} down.`,
        proposed: `Add to what is important: "Music, especially singing along in the car."`,
        accept: true,
        note: 'Added to the profile, thank you.',
      },
      ...(outcome === undefined
        ? []
        : [{ section: `outcome:${outcome.id}`, body: 'Could this outcome be checked more often than once a year?', proposed: null, accept: false, note: 'We will check progress at each termly meeting; the measure stays as it is so it can be compared at the review.' }]),
      ...(item === undefined
        ? []
        : [{ section: `item:${item.id}`, body: 'We would like more support at lunchtimes, when things go wrong most.', proposed: 'Add an hour of support at lunchtime each school day.', accept: false, note: 'We have asked the school how lunchtimes are supported now and will discuss it at the planning meeting.' }]),
    ];
    const days = spread(from, to, proposals.length + 1);
    proposals.forEach((p, i) => {
      const on = days[i] ?? to;
      const createdAt = w.stamp(on);
      const open = leaveOpen && i === proposals.length - 1;
      const respondedAt = open ? null : w.stamp(days[i + 1] ?? to);
      out.comments.push({
        id: randomUUID(),
        council_id: councilId,
        plan_id: w.row.id,
        version: w.row.current_version,
        section: p.section,
        author_id: family.id,
        body: p.body,
        proposed_change: p.proposed,
        status: open ? 'open' : p.accept ? 'accepted' : 'declined',
        response_note: open ? null : p.note,
        responded_by: open ? null : w.row.author_id,
        responded_at: respondedAt,
        created_at: createdAt,
      });
      if (!open && p.accept && p.section === 'profile') {
        const profile = { ...w.current.profile, importantToMe: `${w.current.profile.importantToMe} Music, especially singing along in the car.` };
        save(w, days[i + 1] ?? to, { ...w.current, profile }, 'Accepted the family’s change to the profile');
      }
    });
  };

  const budgetRequest = (w: Writing, who: Who, on: string): void => {
    const family = familyOf.get(who.person.id);
    const some = w.current.items.length > 1 && chance(0.5);
    out.budgetRequests.push({
      id: randomUUID(),
      council_id: councilId,
      person_id: who.person.id,
      plan_id: w.row.id,
      stage: w.row.kind === 'review' ? 'review' : 'draft',
      scope: some ? 'some' : 'all',
      item_ids: JSON.stringify(some ? w.current.items.slice(0, 1).map((i) => i.id) : []),
      note: some ? 'We would like to employ our own personal assistant for this, someone who already knows them.' : family === undefined ? 'Asked for at the planning meeting; recorded by the caseworker.' : null,
      requested_by: family?.id ?? w.row.author_id,
      requested_on: on,
      created_at: w.stamp(on),
    });
  };

  // ---- Who gets which plan ------------------------------------------------------------------------

  const caseOf = new Map(cases.cases.map((c) => [c.person_id, c]));
  const stepDate = (caseId: string, kind: string, last = false): string | null => {
    const steps = cases.stepsByCase.get(caseId)?.steps.filter((s) => s.kind === kind) ?? [];
    return (last ? steps.at(-1) : steps[0])?.occurredOn ?? null;
  };
  const linesOf = new Map<string, GeneratedCouncil['budgetLines']>();
  for (const line of generated.budgetLines) linesOf.set(line.person_id, [...(linesOf.get(line.person_id) ?? []), line]);

  const whoOf = (person: PersonRow, on: string): Who => {
    const age = ageOn(person.date_of_birth, on);
    return { person, age, first: person.given_name, child: age < 18 };
  };

  /** The whole content of a plan for a person: from their budget lines (agreed) or sized to `spend`. */
  const contentFor = (who: Who, start: string, items: readonly ItemSpec[], indicative: Partial<Record<StreamCode, Pence>>, parent: string): PlanContent => {
    const outcomes = outcomesFor(who, start);
    const withIds: SupportItem[] = items.map((i) => ({ ...i, id: shortId(), outcomeIds: servesOf(outcomes, i.stream) }));
    const draft: PlanContent = {
      profile: profileFor(who),
      outcomes,
      items: withIds,
      contingency: contingencyFor(items),
      risks: risksFor(who),
      moneyManager: moneyManagerFor(who, items, parent),
      overBudgetReason: '',
    };
    return planTotals(draft, indicative).overBudget ? { ...draft, overBudgetReason: overBudgetReason(who) } : draft;
  };

  /** What to spend per stream: a share of the indicative budget (or the person's own, in their main stream). */
  const spendFor = (person: PersonRow, indicative: Partial<Record<StreamCode, Pence>>, share: number): Partial<Record<StreamCode, Pence>> => {
    const spend: Partial<Record<StreamCode, Pence>> = {};
    const entries = Object.entries(indicative) as [StreamCode, Pence][];
    if (entries.length === 0 && person.indicative_budget_pence !== null) {
      const main: StreamCode = person.case_type === 'ehc' ? 'education_high_needs' : person.case_type === 'continuing_care' ? 'health_continuing_care' : 'social_care';
      entries.push([main, person.indicative_budget_pence]);
    }
    for (const [stream, amount] of entries) if (funded.includes(stream)) spend[stream] = (amount * BigInt(Math.round(share * 1000))) / 1000n;
    return spend;
  };

  const scaleSpend = (spend: Partial<Record<StreamCode, Pence>>, total: Pence): Partial<Record<StreamCode, Pence>> => {
    const sum = Object.values(spend).reduce((s, v) => s + v, 0n);
    if (sum === 0n) return spend;
    return Object.fromEntries(Object.entries(spend).map(([k, v]) => [k, (v * total) / sum])) as Partial<Record<StreamCode, Pence>>;
  };

  const parentName = (who: Who): string => {
    const family = familyOf.get(who.person.id);
    return family !== undefined && family.relationship === 'parent_carer' ? (family.name.split(' ')[0] ?? pick(PARENT_NAMES)) : pick(PARENT_NAMES);
  };
  /** Who agrees: the linked family account, or the lead worker recording the family's signed agreement. */
  const agreer = (who: Who, parent: string, worker: string): { id: string; name: string } => {
    const family = familyOf.get(who.person.id);
    if (family !== undefined) return { id: family.id, name: family.name };
    return { id: worker, name: who.age >= 16 && who.person.case_type !== 'continuing_care' ? `${who.person.given_name} ${who.person.family_name}` : `${parent} ${who.person.family_name}` };
  };

  // People in the order of their references, so that the same person gets the same plan every time.
  const people = [...generated.people].sort((a, b) => a.reference.localeCompare(b.reference));

  // Plans waiting for sign-off: the smallest, a middle one and the largest are kept waiting so that
  // each demo approver has something in their queue.
  const approval = people.filter((p) => p.stage === 'approval' && p.lead_worker_id !== null && caseOf.has(p.id) && !familyOf.has(p.id));
  const sized = [...approval].sort((a, b) => Number((a.indicative_budget_pence ?? 0n) - (b.indicative_budget_pence ?? 0n)));
  const small = sized[0];
  const large = sized.at(-1);
  const middle = sized.find((p) => p !== small && p !== large && (p.indicative_budget_pence ?? 0n) > 700_000n && (p.indicative_budget_pence ?? 0n) < 1_900_000n);
  let refusalsMade = 0;
  let approvedMade = false;

  for (const person of people) {
    const theCase = caseOf.get(person.id);
    const author = person.lead_worker_id;
    if (theCase === undefined || author === null || typeof theCase.id !== 'string') continue;
    const caseId = theCase.id;
    const stage = person.stage;
    const issued = stepDate(caseId, 'decided_to_issue');
    // A plan is written once the needs are known: for EHC from the decision to issue, otherwise from the stage.
    const anchor = laterOf(issued ?? person.stage_since, person.request_date);

    if (stage === 'allocation' || stage === 'planning' || stage === 'approval') {
      if (stage === 'allocation' && (person.case_type !== 'ehc' || !chance(0.5))) continue;
      // The plan is started once the indicative budget is known, and takes a few weeks to write.
      const resultDay = latestResultDay(person.id);
      let start = laterOf(anchor, resultDay ?? anchor);
      if (daysBetween(start, yesterday) > 40) start = laterOf(addDays(yesterday, -int(10, 40)), anchor);
      start = earlierOf(start, today);
      const end = laterOf(yesterday, start);
      const who = whoOf(person, start);
      const { budget: indicative } = indicativeOn(person.id, start);
      const parent = parentName(who);
      const w = startPlan({ person, caseId, kind: 'initial', replaces: null, author, on: start, indicative, from: EMPTY_CONTENT });

      if (stage === 'allocation') {
        // Early days: the profile and the outcomes, no support yet.
        const target = { ...contentFor(who, start, [], indicative, parent), moneyManager: EMPTY_CONTENT.moneyManager, contingency: EMPTY_CONTENT.contingency, risks: '' };
        writeSections(w, { ...target, outcomes: target.outcomes.slice(0, int(0, target.outcomes.length)) }, start, end);
        continue;
      }

      let share = 0.8 + rand() * 0.18;
      let spend = spendFor(person, indicative, share);
      const overBudget = chance(0.1);
      if (overBudget) spend = spendFor(person, indicative, (share = 1.08 + rand() * 0.15));
      const spent = Object.values(spend).reduce((s, v) => s + v, 0n);
      if (person === small && spent > 420_000n) spend = scaleSpend(spend, 420_000n);
      if (person === middle && (spent < 600_000n || spent > 1_800_000n)) spend = scaleSpend(spend, BigInt(int(800, 1_700)) * 1_000n);
      if (person === large) {
        const sum = Object.values(spend).reduce((s, v) => s + v, 0n);
        if (sum <= 2_100_000n) spend = scaleSpend(spend, 2_350_000n);
      }
      const target = contentFor(who, start, itemsFor(who, spend), indicative, parent);
      const family = familyOf.has(person.id);

      if (stage === 'planning') {
        const returned = !family && chance(0.35);
        const returnedBefore = !family && !returned && chance(0.25);
        if (!returned && !returnedBefore) {
          // Still being written: some sections done, perhaps with the family's comments and a request.
          const partial = chance(0.4) ? { ...target, items: target.items.slice(0, Math.max(1, target.items.length - 1)), risks: '', contingency: EMPTY_CONTENT.contingency } : target;
          const [mid] = spread(start, end, 1);
          writeSections(w, partial, start, mid ?? end);
          if (family) familyComments(w, who, mid ?? end, end, true);
          if (chance(0.35)) budgetRequest(w, who, end);
          if (w.current.items.length > 0 && chance(0.4)) recordDbs(w, end);
          continue;
        }
        const [wrote, submittedOn, decidedOn, changedOn] = spread(start, end, 4) as [string, string, string, string];
        writeSections(w, target, start, wrote);
        if (chance(0.3)) budgetRequest(w, who, wrote);
        submit(w, submittedOn);
        const reasons = pick(RETURN_REASONS);
        const dp = w.current.items.filter((i) => i.management === 'direct_payment');
        if (refusalsMade < 2 && dp.length > 0 && approvers[0] !== undefined) {
          // The approver also refuses the direct payment, with a written notice, and returns the plan.
          refusalsMade += 1;
          const decider = approverFor(totalOf(w)) ?? approvers[0];
          const adult = who.age >= 18;
          out.refusals.push({
            id: randomUUID(),
            council_id: councilId,
            plan_id: w.row.id,
            version: w.row.current_version,
            item_ids: JSON.stringify(dp.slice(0, 1).map((i) => i.id)),
            outcome: adult ? 'withheld' : 'refused',
            category: adult ? 'capacity' : 'safeguarding',
            reasons: adult
              ? `${who.first} cannot manage a direct payment at the moment, even with help, because of memory difficulties assessed in October. The support will be arranged through an individual service fund until someone can manage it for ${who.first}.`
              : `The proposed personal assistant is subject to a safeguarding enquiry. Until it is finished the council will arrange the support through an agency, and we will look again when the enquiry ends.`,
            decided_by: decider.id,
            decided_on: decidedOn,
            recorded_at: w.stamp(decidedOn),
          });
          signOff(w, decidedOn, 'return', `The direct payment for “${dp[0]?.description ?? ''}” has been ${adult ? 'withheld' : 'refused'} (see the notice). Please change how that support is managed and submit the plan again.`);
        } else {
          signOff(w, decidedOn, 'return', reasons);
        }
        if (returnedBefore) {
          // Changed since as the approver asked: a refused direct payment arranged another way, or a clearer measure.
          const refused = out.refusals.find((r) => r.plan_id === w.row.id);
          const item = refused === undefined ? undefined : w.current.items.find((i) => i.id === dp[0]?.id);
          if (item !== undefined) {
            const changed: SupportItem = { ...item, management: 'individual_service_fund', paysPersonalAssistant: false, provider: careAgency };
            save(w, changedOn, { ...w.current, items: w.current.items.map((i) => (i.id === item.id ? changed : i)) }, `Changed support "${item.description}"`);
          } else {
            const outcome = w.current.outcomes[0];
            if (outcome !== undefined) {
              const clearer = { ...outcome, measure: `${outcome.measure}; progress checked at each termly meeting` };
              save(w, changedOn, { ...w.current, outcomes: w.current.outcomes.map((o) => (o.id === outcome.id ? clearer : o)) }, `Changed outcome "${outcome.description}"`);
            }
          }
        }
        continue;
      }

      // Approval: written, perhaps with the family's comments, then submitted; some already approved.
      if (family) {
        // The demo family's child: the draft plan is with the family, who are commenting on it.
        const [wrote] = spread(start, end, 1);
        writeSections(w, target, start, wrote ?? end);
        familyComments(w, who, wrote ?? end, end, true);
        budgetRequest(w, who, end);
        continue;
      }
      const [wrote, submittedOn, decidedOn] = spread(start, end, 3) as [string, string, string];
      writeSections(w, target, start, wrote);
      if (chance(0.4)) budgetRequest(w, who, wrote);
      submit(w, submittedOn);
      const keep = person === small || person === middle || person === large;
      // Some already approved and waiting for the family's agreement (at least one, so the state is always shown).
      if (!keep && (!approvedMade || chance(0.3))) {
        signOff(w, decidedOn, 'approve', pick(APPROVE_REASONS));
        approvedMade = true;
      }
      continue;
    }

    if (stage !== 'agreed' && stage !== 'review') continue;
    const lines = linesOf.get(person.id) ?? [];
    if (lines.length === 0) continue;

    // The date the current plan was agreed: the latest of the final plan, a review that kept it, or
    // the amended plan (EHC); the plan agreed or last reviewed (social care).
    const steps = cases.stepsByCase.get(caseId)?.steps ?? [];
    const made = steps.filter(
      (s) => s.kind === 'final_issued' || s.kind === 'plan_agreed' || s.kind === 'plan_reviewed' || s.kind === 'amended_plan_issued' || (s.kind === 'review_decision' && s.details['decision'] === 'maintain'),
    );
    const lastMade = made.at(-1);
    if (lastMade === undefined) continue;
    const agreedOn = earlierOf(lastMade.occurredOn, yesterday);
    const amended = lastMade.kind === 'amended_plan_issued';
    const firstDraft = stepDate(caseId, 'draft_issued');
    const whoNow = whoOf(person, agreedOn);
    const parent = parentName(whoNow);
    const worker = author;
    const currentItems = lines.map(itemFromLine);

    /** An agreed plan: written before `agreedOn`, submitted, approved, agreed on `agreedOn`. */
    const agreedPlan = (items: readonly ItemSpec[], on: string, kind: PlanKind, replaces: GeneratedPlan | null, from: string): Writing => {
      const who = whoOf(person, from);
      const base = replaces === null ? EMPTY_CONTENT : (replaces.contents.at(-1) ?? EMPTY_CONTENT);
      let { budget: indicative } = indicativeOn(person.id, from);
      // A copy that a newer indicative budget would make over budget without a reason: the demo keeps
      // the replaced plan's indicative budget rather than start the review with a plan unfit to submit.
      if (replaces !== null && base.overBudgetReason === '' && planTotals(base, indicative).overBudget) indicative = replaces.indicative;
      const w = startPlan({ person, caseId, kind, replaces, author: worker, on: from, indicative, from: base });
      let target: PlanContent;
      if (replaces === null) {
        target = contentFor(who, from, items, indicative, parent);
      } else {
        // The review's change: the support now agreed, and outcomes moved on a year.
        const outcomes = base.outcomes.map((o) => ({ ...o, byWhen: addMonths(on, 12) }));
        const keep = new Map(base.items.map((i) => [i.description, i]));
        const newItems = items.map((i) => ({ ...i, id: keep.get(i.description)?.id ?? shortId(), outcomeIds: servesOf(outcomes, i.stream) }));
        target = { ...base, outcomes, items: newItems, moneyManager: moneyManagerFor(who, items, parent) };
        target = planTotals(target, indicative).overBudget ? { ...target, overBudgetReason: target.overBudgetReason || overBudgetReason(who) } : { ...target, overBudgetReason: '' };
        // Who manages the money and why it costs more first, then the outcomes and the support that changed.
        if (target.moneyManager.kind !== w.current.moneyManager.kind || target.moneyManager.name !== w.current.moneyManager.name) {
          save(w, from, { ...w.current, moneyManager: target.moneyManager }, 'Changed who manages the money');
        }
        if (target.overBudgetReason !== '' && w.current.overBudgetReason !== target.overBudgetReason) {
          save(w, from, { ...w.current, overBudgetReason: target.overBudgetReason }, 'Changed why the plan costs more than the indicative budget');
        }
        for (const o of target.outcomes) {
          const before = w.current.outcomes.find((x) => x.id === o.id);
          if (before !== undefined && before.byWhen !== o.byWhen) save(w, from, { ...w.current, outcomes: w.current.outcomes.map((x) => (x.id === o.id ? o : x)) }, `Changed outcome "${o.description}"`);
        }
        for (const i of w.current.items) {
          if (!target.items.some((x) => x.id === i.id)) save(w, from, { ...w.current, items: w.current.items.filter((x) => x.id !== i.id) }, `Removed support "${i.description}"`);
        }
        for (const i of target.items) {
          const before = w.current.items.find((x) => x.id === i.id);
          if (before !== undefined && (before.unitCostPence !== i.unitCostPence || before.quantity !== i.quantity || before.frequency !== i.frequency || before.management !== i.management)) {
            save(w, from, { ...w.current, items: w.current.items.map((x) => (x.id === i.id ? i : x)) }, `Changed support "${i.description}"`);
          }
        }
      }
      const days = spread(from, on, 3) as [string, string, string];
      writeSections(w, target, from, days[0]);
      if (familyOf.has(person.id) && replaces === null) familyComments(w, who, from, days[0], false);
      submit(w, days[1]);
      signOff(w, days[2], 'approve', pick(APPROVE_REASONS));
      agree(w, on, who, agreer(who, parent, worker));
      return w;
    };

    const planStartBefore = (on: string, earliest: string): string => laterOf(addDays(on, -int(20, 50)), earliest);
    if (amended) {
      // The plan before the review (one item fewer hours, or without the newest support), superseded by the amended plan.
      const decision = stepDate(caseId, 'review_decision', true) ?? agreedOn;
      const meeting = stepDate(caseId, 'review_meeting_held', true) ?? decision;
      const previousOn = made.length > 1 ? earlierOf((made.at(-2) ?? lastMade).occurredOn, addDays(meeting, -30)) : addDays(meeting, -365);
      const earlier = currentItems.length > 1 ? currentItems.slice(0, -1) : currentItems.map((i) => ({ ...i, quantity: Math.max(1, Math.floor(i.quantity * 0.8)) }));
      const first = agreedPlan(earlier, previousOn, 'initial', null, planStartBefore(previousOn, laterOf(firstDraft ?? person.request_date, person.request_date)));
      agreedPlan(currentItems, agreedOn, 'review', first.plan, laterOf(decision, first.lastAt.toISOString().slice(0, 10)));
    } else {
      const from = planStartBefore(agreedOn, laterOf(issued ?? person.request_date, person.request_date));
      const current = agreedPlan(currentItems, agreedOn, 'initial', null, from);

      // Under review: a review plan started from the agreed plan, with the amendments in draft.
      if (stage === 'review') {
        const held = stepDate(caseId, 'review_meeting_held', true);
        const decision = steps.filter((s) => s.kind === 'review_decision').at(-1);
        const reviewing = person.case_type !== 'ehc' || decision?.details['decision'] === 'amend' || (held !== null && decision === undefined);
        const begun = laterOf(held ?? person.stage_since, addDays(current.lastAt.toISOString().slice(0, 10), 1));
        const startOn = earlierOf(begun, yesterday) < agreedOn ? agreedOn : earlierOf(begun, yesterday);
        const { budget: indicative } = indicativeOn(person.id, startOn);
        // Not when the copy of the agreed plan would start over a newer indicative budget without a reason.
        const copyFits = current.current.overBudgetReason !== '' || !planTotals(current.current, indicative).overBudget;
        if (reviewing && copyFits && compareDates(begun, today) <= 0 && (familyOf.has(person.id) || chance(0.7))) {
          const who = whoOf(person, startOn);
          const w = startPlan({ person, caseId, kind: 'review', replaces: current.plan, author: worker, on: startOn, indicative, from: current.current });
          const end = laterOf(yesterday, startOn);
          const extra = itemsFor(who, { social_care: BigInt(int(12, 30)) * 10_000n, ...(person.case_type === 'ehc' ? { education_high_needs: BigInt(int(15, 40)) * 10_000n } : {}) }).slice(0, 1);
          const outcome = outcomesFor(who, startOn)[0];
          const days = spread(startOn, end, 3) as [string, string, string];
          if (outcome !== undefined && !w.current.outcomes.some((o) => o.description === outcome.description)) {
            save(w, days[0], { ...w.current, outcomes: [...w.current.outcomes, outcome] }, `Added outcome "${outcome.description}"`);
          }
          for (const e of extra) {
            const item: SupportItem = { ...e, id: shortId(), outcomeIds: servesOf(w.current.outcomes, e.stream) };
            const next = { ...w.current, items: [...w.current.items, item] };
            if (planTotals(next, indicative).overBudget && w.current.overBudgetReason === '') {
              save(w, days[1], { ...w.current, overBudgetReason: overBudgetReason(who) }, 'Changed why the plan costs more than the indicative budget');
            }
            if (e.management === 'direct_payment' && w.current.moneyManager.kind === 'not_applicable') {
              save(w, days[1], { ...w.current, moneyManager: moneyManagerFor(who, [e], parentName(who)) }, 'Changed who manages the money');
            }
            save(w, days[1], { ...w.current, items: [...w.current.items, item] }, `Added support "${item.description}"`);
          }
          familyComments(w, who, days[1], days[2], true);
          if (chance(0.3)) budgetRequest(w, who, days[2]);
        }
      }
    }
  }

  return { ...out, replacedBudgetLines: { personIds: replacedPeople, rows: replacedRows } };
}
