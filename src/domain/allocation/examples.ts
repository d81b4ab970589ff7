/**
 * Three example allocation models, the worked examples of the unit tests and the demo's seed:
 *
 * 1. CHILDREN_BANDS: children's social care, points to five bands (no support, small, some, lots,
 *    exceptional), levels worth 0 / 8 / 21 / 28, an age reduction for young children, rounding to
 *    the nearest £10 and a cap.
 * 2. THREE_STREAMS: price per point in education, social care and NHS continuing care, with points
 *    per stream, an age reduction and an informal-support deduction in social care, minimums, caps,
 *    different rounding per stream and transitional protection.
 * 3. ELEMENT_3: education top-up banding ("Element 3"), four areas of need, bands A to E.
 *
 * The figures are illustrative, not any council's real tables.
 */
import type { AllocationModel } from './model.ts';
import type { ModelJson } from './schema.ts';
import { parseModelOrThrow } from './validate.ts';

type LevelJson = ModelJson['questionnaire']['domains'][number]['questions'][number]['levels'][number];

/** None / some / lots / exceptional, worth 0 / 8 / 21 / 28 points, with guidance about `what`. */
function fourLevels(what: string): LevelJson[] {
  return [
    { id: 'none', label: 'No extra support', guidance: `Needs no more help with ${what} than other children of the same age.`, points: 0 },
    { id: 'some', label: 'Some support', guidance: `Needs some extra help with ${what}, on some days or for part of the day.`, points: 8 },
    { id: 'lots', label: 'Lots of support', guidance: `Needs extra help with ${what} every day, for much of the day.`, points: 21 },
    { id: 'exceptional', label: 'Exceptional support', guidance: `Needs help with ${what} all day, often from two people or a trained carer.`, points: 28 },
  ];
}

export const CHILDREN_BANDS_JSON: ModelJson = {
  name: "Children's social care resource allocation (example)",
  description:
    'For disabled children and young people. Answer as if there was no paid support. The points give a band; the band gives an indicative annual budget.',
  questionnaire: {
    domains: [
      {
        id: 'staying-safe',
        title: 'Staying safe',
        questions: [
          { id: 'staying-safe', title: 'Staying safe', text: 'How much help does your child need to stay safe at home and when out?', levels: fourLevels('staying safe') },
          { id: 'nights', title: 'Support at night', text: 'How much help does your child need at night?', levels: fourLevels('settling and at night') },
        ],
      },
      {
        id: 'being-healthy',
        title: 'Being healthy',
        questions: [{ id: 'health', title: 'Health and personal care', text: 'How much help does your child need with health and personal care?', levels: fourLevels('health and personal care') }],
      },
      {
        id: 'enjoying-and-achieving',
        title: 'Enjoying and achieving',
        questions: [
          { id: 'play-and-learning', title: 'Play and learning', text: 'How much help does your child need to play and learn?', levels: fourLevels('play and learning') },
          { id: 'getting-out', title: 'Getting out and about', text: 'How much help does your child need to get out and about?', levels: fourLevels('getting out and about') },
        ],
      },
      {
        id: 'positive-contribution',
        title: 'Making a positive contribution',
        questions: [{ id: 'communication', title: 'Communication and relationships', text: 'How much help does your child need to communicate and get on with others?', levels: fourLevels('communicating and relationships') }],
      },
      {
        id: 'preparing-for-adulthood',
        title: 'Preparing for adulthood',
        questions: [
          {
            id: 'independence',
            title: 'Becoming independent',
            text: 'How much help does the young person need to learn to do things for themself?',
            help: 'Asked from age 14, when planning for adulthood starts.',
            appliesFromAge: 14,
            appliesToAge: 25,
            levels: fourLevels('becoming independent'),
          },
        ],
      },
      {
        id: 'family-and-carers',
        title: 'Family and carers',
        questions: [{ id: 'family', title: 'How the family is coping', text: 'How much does caring affect the family?', levels: fourLevels('caring, as a family,') }],
      },
    ],
  },
  conversions: {
    social_care: {
      kind: 'bands',
      bands: [
        { name: 'No support', fromPoints: 0, toPoints: 20, annualPence: 0 },
        { name: 'Small', fromPoints: 21, toPoints: 44, annualPence: 120_000 },
        { name: 'Some', fromPoints: 45, toPoints: 84, annualPence: 360_000 },
        { name: 'Lots', fromPoints: 85, toPoints: 134, annualPence: 780_000 },
        { name: 'Exceptional', fromPoints: 135, toPoints: null, annualPence: 1_450_000 },
      ],
      ageReductions: [
        { fromAge: 0, toAge: 4, percent: 25, reason: 'Any parent gives a young child a lot of care; this part is usual parental responsibility.' },
        { fromAge: 5, toAge: 10, percent: 10, reason: 'Any parent gives a child of this age some care; this part is usual parental responsibility.' },
      ],
      capPence: 1_300_000,
      rounding: { unitPence: 1_000, mode: 'nearest' },
      rangePercent: 10,
      transition: { maxChangePercentFirstYear: 15, appliesTo: 'decreases' },
    },
  },
};

/** Points per stream for a none / some / lots / exceptional question. */
function perStream(label: string, education: readonly number[], social: readonly number[], health: readonly number[]): LevelJson[] {
  const ids = ['none', 'some', 'lots', 'exceptional'] as const;
  const labels = ['No extra support', 'Some support', 'Lots of support', 'Exceptional support'];
  const guidance = [
    `No more help with ${label} than others of the same age.`,
    `Some help with ${label}, on some days or for part of the day.`,
    `Help with ${label} every day, for much of the day.`,
    `Help with ${label} all day, often from two people or a trained carer.`,
  ];
  return ids.map((id, i) => ({
    id,
    label: labels[i] as string,
    guidance: guidance[i] as string,
    points: { education_high_needs: education[i] as number, social_care: social[i] as number, health_continuing_care: health[i] as number },
  }));
}

export const THREE_STREAMS_JSON: ModelJson = {
  name: 'Education, health and care resource allocation (example)',
  description: 'One questionnaire, three funding streams, each with its own price per point and adjustments.',
  questionnaire: {
    domains: [
      {
        id: 'daily-living',
        title: 'Daily living',
        questions: [
          { id: 'personal-care', title: 'Personal care', text: 'How much help is needed with washing, dressing, eating and going to the toilet?', levels: perStream('personal care', [0, 0, 2, 4], [0, 8, 21, 28], [0, 4, 10, 16]) },
          { id: 'getting-out', title: 'Getting out and about', text: 'How much help is needed to get out and about?', levels: perStream('getting out and about', [0, 0, 0, 0], [0, 8, 21, 28], [0, 0, 2, 4]) },
        ],
      },
      {
        id: 'health',
        title: 'Health',
        questions: [{ id: 'health-needs', title: 'Health needs', text: 'How much help is needed with health needs, such as medicines, feeding or breathing?', levels: perStream('health needs', [0, 2, 4, 6], [0, 4, 8, 12], [0, 10, 25, 40]) }],
      },
      {
        id: 'learning',
        title: 'Learning and communication',
        questions: [
          {
            id: 'learning',
            title: 'Learning',
            text: 'How much help is needed to learn, at nursery, school or college?',
            appliesFromAge: 2,
            appliesToAge: 25,
            levels: perStream('learning', [0, 10, 25, 40], [0, 2, 4, 8], [0, 0, 0, 0]),
          },
          { id: 'communication', title: 'Communication', text: 'How much help is needed to understand others and be understood?', levels: perStream('communication', [0, 6, 12, 20], [0, 5, 10, 15], [0, 2, 4, 6]) },
        ],
      },
      {
        id: 'staying-safe',
        title: 'Staying safe',
        questions: [{ id: 'behaviour', title: 'Behaviour and staying safe', text: 'How much help is needed to stay safe and to manage behaviour?', levels: perStream('staying safe', [0, 4, 8, 12], [0, 11, 18, 26], [0, 3, 6, 9]) }],
      },
      {
        id: 'family-and-friends',
        title: 'Family and friends',
        questions: [
          {
            id: 'unpaid-help',
            title: 'Help from family and friends',
            text: 'How much unpaid help do family and friends give, beyond what any family gives?',
            help: 'This does not add points. It reduces the social care budget, because some needs are already met.',
            levels: [
              { id: 'none', label: 'No regular help', guidance: 'Family and friends do not regularly help with the needs above.', points: 0 },
              { id: 'some', label: 'Once or twice a week', guidance: 'Family or friends help with some of the needs above once or twice a week.', points: 0 },
              { id: 'most-days', label: 'Most days', guidance: 'Family or friends help with the needs above on most days.', points: 0 },
              { id: 'every-day', label: 'Every day', guidance: 'Family or friends meet many of the needs above every day.', points: 0 },
            ],
          },
        ],
      },
    ],
  },
  conversions: {
    education_high_needs: {
      kind: 'price-per-point',
      pricePerPointPence: 3_275,
      rounding: { unitPence: 1_000, mode: 'down' },
      rangePercent: 5,
      transition: { maxChangePercentFirstYear: 20, appliesTo: 'increases-and-decreases' },
    },
    social_care: {
      kind: 'price-per-point',
      pricePerPointPence: 4_250,
      ageReductions: [
        { fromAge: 0, toAge: 4, percent: 20, reason: 'Any parent gives a young child a lot of care; this part is usual parental responsibility.' },
        { fromAge: 5, toAge: 10, percent: 10, reason: 'Any parent gives a child of this age some care; this part is usual parental responsibility.' },
      ],
      informalSupport: {
        questionId: 'unpaid-help',
        deductions: [
          { levelId: 'some', percent: 5 },
          { levelId: 'most-days', percent: 15 },
          { levelId: 'every-day', percent: 25 },
        ],
      },
      minimumPence: 100_000,
      capPence: 450_000,
      rounding: { unitPence: 100, mode: 'up' },
      rangePercent: 10,
      transition: { maxChangePercentFirstYear: 10, appliesTo: 'decreases' },
    },
    health_continuing_care: {
      kind: 'price-per-point',
      pricePerPointPence: 9_485,
      capPence: 600_000,
      rounding: { unitPence: 100, mode: 'nearest' },
      rangePercent: 15,
    },
  },
};

function element3Levels(area: string): LevelJson[] {
  return [
    { id: 'universal', label: 'Universal', guidance: `Needs in ${area} are met by good everyday teaching.`, points: 0 },
    { id: 'sen-support', label: 'SEN support', guidance: `Needs in ${area} are met by the school's own SEN support, with some adjustments.`, points: 1 },
    { id: 'targeted', label: 'Targeted', guidance: `Needs in ${area} need a targeted plan and regular small-group or one-to-one work.`, points: 3 },
    { id: 'specialist', label: 'Specialist', guidance: `Needs in ${area} need specialist advice and daily individual support.`, points: 6 },
    { id: 'complex', label: 'Complex', guidance: `Needs in ${area} are complex and need a highly individual programme all day.`, points: 10 },
  ];
}

function element3Domain(id: string, title: string): ModelJson['questionnaire']['domains'][number] {
  return {
    id,
    title,
    questions: [
      {
        id,
        title,
        text: `Which description best fits the child's needs in ${title.toLowerCase()}?`,
        appliesFromAge: 2,
        appliesToAge: 25,
        levels: element3Levels(title.toLowerCase()),
      },
    ],
  };
}

export const ELEMENT_3_JSON: ModelJson = {
  name: 'Education top-up banding, Element 3 (example)',
  description:
    "Top-up funding for a pupil with an EHC plan, above the school's core budget and the first £6,000 of SEN support. Each of the four broad areas of need is scored; the total gives a band.",
  questionnaire: {
    domains: [
      element3Domain('communication-and-interaction', 'Communication and interaction'),
      element3Domain('cognition-and-learning', 'Cognition and learning'),
      element3Domain('social-emotional-mental-health', 'Social, emotional and mental health'),
      element3Domain('sensory-and-physical', 'Sensory and physical'),
    ],
  },
  conversions: {
    education_high_needs: {
      kind: 'bands',
      bands: [
        { name: 'No top-up', fromPoints: 0, toPoints: 4, annualPence: 0 },
        { name: 'Band A', fromPoints: 5, toPoints: 10, annualPence: 210_000 },
        { name: 'Band B', fromPoints: 11, toPoints: 17, annualPence: 460_000 },
        { name: 'Band C', fromPoints: 18, toPoints: 24, annualPence: 790_000 },
        { name: 'Band D', fromPoints: 25, toPoints: 31, annualPence: 1_170_000 },
        { name: 'Band E', fromPoints: 32, toPoints: null, annualPence: 1_620_000 },
      ],
      rangePercent: 0,
      transition: { maxChangePercentFirstYear: 25, appliesTo: 'increases-and-decreases' },
    },
  },
};

export const CHILDREN_BANDS_MODEL: AllocationModel = parseModelOrThrow(CHILDREN_BANDS_JSON);
export const THREE_STREAMS_MODEL: AllocationModel = parseModelOrThrow(THREE_STREAMS_JSON);
export const ELEMENT_3_MODEL: AllocationModel = parseModelOrThrow(ELEMENT_3_JSON);

export const EXAMPLE_MODELS: readonly { readonly key: string; readonly json: ModelJson; readonly model: AllocationModel }[] = [
  { key: 'children-bands', json: CHILDREN_BANDS_JSON, model: CHILDREN_BANDS_MODEL },
  { key: 'three-streams', json: THREE_STREAMS_JSON, model: THREE_STREAMS_MODEL },
  { key: 'element-3', json: ELEMENT_3_JSON, model: ELEMENT_3_MODEL },
];
