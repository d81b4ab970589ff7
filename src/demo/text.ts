/**
 * Word lists for the demo data: names that look like England's, plain-English needs summaries built
 * from templates per need, and the Local Offer service catalogue. Faker's en_GB locale has no first
 * names of its own (it falls back to American ones), so the names are listed here.
 */
import type { PrimaryNeed, ServiceUnit } from '../db/schema.ts';
import type { ProviderRole } from './places.ts';

/** Given names common among people born since about 1995. */
export const YOUNGER_GIVEN_NAMES = [
  'Oliver', 'George', 'Harry', 'Noah', 'Jack', 'Leo', 'Arthur', 'Muhammad', 'Oscar', 'Charlie',
  'Jacob', 'Thomas', 'Henry', 'William', 'Alfie', 'Joshua', 'Freddie', 'Archie', 'Ethan', 'Isaac',
  'Alexander', 'Joseph', 'Edward', 'Samuel', 'Max', 'Logan', 'Lucas', 'Mason', 'Theo', 'Dylan',
  'Riley', 'Harrison', 'Adam', 'Ibrahim', 'Yusuf', 'Kai', 'Zain', 'Reuben', 'Tyler', 'Jayden',
  'Kacper', 'Kwame', 'Callum', 'Liam', 'Ryan', 'Aaron', 'Connor', 'Ayaan', 'Arjun', 'Finley',
  'Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Ivy', 'Lily', 'Isabella', 'Rosie', 'Sophia',
  'Grace', 'Freya', 'Willow', 'Florence', 'Emily', 'Ella', 'Poppy', 'Evie', 'Elsie', 'Charlotte',
  'Evelyn', 'Sienna', 'Daisy', 'Phoebe', 'Sofia', 'Alice', 'Ruby', 'Matilda', 'Harper', 'Maya',
  'Aisha', 'Zara', 'Amira', 'Hafsa', 'Maryam', 'Layla', 'Chloe', 'Jessica', 'Lauren', 'Megan',
  'Hannah', 'Abigail', 'Niamh', 'Leah', 'Zuzanna', 'Amara', 'Precious', 'Esme', 'Imogen', 'Millie',
] as const;

/** Given names common among people born between about 1955 and 1995. */
export const MIDDLE_GIVEN_NAMES = [
  'David', 'Paul', 'Andrew', 'Mark', 'John', 'Michael', 'Stephen', 'Ian', 'Richard', 'Robert',
  'Christopher', 'Darren', 'Gary', 'Simon', 'Martin', 'Neil', 'Lee', 'Wayne', 'Craig', 'Jason',
  'Mohammed', 'Imran', 'Tariq', 'Sanjay', 'Rajesh', 'Delroy', 'Winston', 'Tomasz', 'Marek', 'Kevin',
  'Susan', 'Julie', 'Karen', 'Alison', 'Sarah', 'Nicola', 'Joanne', 'Claire', 'Helen', 'Lisa',
  'Michelle', 'Amanda', 'Tracey', 'Donna', 'Rachel', 'Emma', 'Louise', 'Kelly', 'Gemma', 'Natalie',
  'Nasreen', 'Shabana', 'Parveen', 'Anita', 'Sunita', 'Marcia', 'Beverley', 'Agnieszka', 'Deborah', 'Jane',
] as const;

/** Given names common among people born before about 1955. */
export const OLDER_GIVEN_NAMES = [
  'Margaret', 'Patricia', 'Barbara', 'Jean', 'Joan', 'Dorothy', 'Brenda', 'Sheila', 'Maureen', 'Pauline',
  'Christine', 'Valerie', 'Sylvia', 'Irene', 'Doreen', 'Eileen', 'Kathleen', 'Gladys', 'Hazel', 'Rita',
  'Kamala', 'Gurdev', 'Hortense', 'Iris', 'Betty', 'Audrey', 'Edna', 'Mavis', 'Jennifer', 'Ann',
  'Peter', 'Brian', 'Alan', 'Keith', 'Derek', 'Roy', 'Colin', 'Kenneth', 'Ronald', 'Geoffrey',
  'Raymond', 'Barry', 'Dennis', 'Terence', 'Trevor', 'Malcolm', 'Gordon', 'Harold', 'Norman', 'Frank',
  'Abdul', 'Gurbachan', 'Errol', 'Desmond', 'Leonard', 'Bernard', 'Clifford', 'Eric', 'Arthur', 'Stanley',
] as const;

export const FAMILY_NAMES = [
  'Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson',
  'Roberts', 'Robinson', 'Thompson', 'Wright', 'Walker', 'White', 'Edwards', 'Hughes', 'Green', 'Hall',
  'Lewis', 'Harris', 'Clarke', 'Patel', 'Jackson', 'Wood', 'Turner', 'Martin', 'Cooper', 'Hill',
  'Ward', 'Morris', 'Moore', 'Clark', 'Lee', 'King', 'Baker', 'Harrison', 'Morgan', 'Allen',
  'James', 'Scott', 'Phillips', 'Watson', 'Davis', 'Parker', 'Price', 'Bennett', 'Young', 'Griffiths',
  'Mitchell', 'Kelly', 'Cook', 'Carter', 'Richardson', 'Bailey', 'Collins', 'Bell', 'Shaw', 'Murphy',
  'Miller', 'Cox', 'Richards', 'Khan', 'Marshall', 'Anderson', 'Simpson', 'Ellis', 'Adams', 'Singh',
  'Begum', 'Wilkinson', 'Foster', 'Chapman', 'Powell', 'Webb', 'Rogers', 'Gray', 'Mason', 'Ali',
  'Hunt', 'Hussain', 'Campbell', 'Matthews', 'Owen', 'Palmer', 'Holmes', 'Mills', 'Barnes', 'Knight',
  'Lloyd', 'Butler', 'Russell', 'Barker', 'Fisher', 'Stevens', 'Jenkins', 'Murray', 'Dixon', 'Harvey',
  'Ahmed', 'Nowak', 'Kowalski', 'Okafor', 'Mensah', 'Chowdhury', 'Rahman', 'Sharma', 'Nguyen', "O'Brien",
  'Byrne', 'Doyle', 'Kaur', 'Mahmood', 'Iqbal', 'Francis', 'Gordon', 'Reid', 'Pearson', 'Fletcher',
] as const;

// ---- Needs summaries ----------------------------------------------------------------------------

/** Opening words per SEN2 primary need: "Autistic", "Severe learning disability", … */
export const NEED_LEADS: Readonly<Record<PrimaryNeed, readonly string[]>> = {
  ASD: [
    'Autistic',
    'Autistic with high levels of anxiety',
    'Autistic and non-speaking',
    'Autistic with a demand-avoidant profile',
    'Autistic with ADHD',
  ],
  SEMH: [
    'Social, emotional and mental health needs',
    'Diagnosed with ADHD',
    'Attachment difficulties after early trauma',
    'Severe anxiety and low mood',
    'Social, emotional and mental health needs linked to past trauma',
  ],
  SLCN: [
    'Speech, language and communication needs',
    'Developmental language disorder',
    'Severe speech sound disorder',
    'Selective mutism',
    'Significant delay in understanding and using language',
  ],
  MLD: [
    'Moderate learning difficulties',
    'Global developmental delay',
    'Moderate learning difficulties with poor working memory',
  ],
  SLD: [
    'Severe learning disability',
    'Down syndrome with a severe learning disability',
    'Severe learning disability and epilepsy',
    'Fragile X syndrome with a severe learning disability',
  ],
  PMLD: [
    'Profound and multiple learning disabilities',
    'Profound and multiple learning disabilities with complex epilepsy',
    'Profound and multiple learning disabilities after a brain injury at birth',
  ],
  PD: [
    'Cerebral palsy',
    'Spina bifida and hydrocephalus',
    'Duchenne muscular dystrophy',
    'Physical disability after a stroke in early childhood',
    'Developmental coordination disorder (dyspraxia)',
  ],
  HI: ['Profoundly deaf with cochlear implants', 'Moderate hearing loss in both ears', 'Deaf; uses British Sign Language'],
  VI: ['Severely sight impaired', 'Visual impairment from a congenital cataract', 'Registered blind; reads braille'],
  MSI: ['Deafblind (multi-sensory impairment)', 'CHARGE syndrome with hearing and sight loss'],
  SpLD: ['Dyslexia', 'Severe dyslexia and dyscalculia', 'Dyslexia with slow processing speed'],
  OTH: ['Rare genetic condition affecting learning and mobility', 'Chronic fatigue and a long-term health condition'],
  DS: ['Needs identified at SEN support; specialist assessment of type of need not yet done'],
};

/** What it means day to day: joined to a lead with a semicolon. Age-neutral (2–25). */
export const NEED_DETAILS: Readonly<Record<PrimaryNeed, readonly string[]>> = {
  ASD: [
    'finds changes in routine very hard and needs a visual timetable',
    'needs a quiet space to calm down when noise and crowds become too much',
    'communicates mainly with symbols and a few signs',
    'has strong sensory sensitivities around food, clothing and noise',
    'becomes very distressed at transitions and needs an adult to prepare them',
    'often has meltdowns at home after holding it together all day',
  ],
  SEMH: [
    'needs a trusted adult to check in with each day',
    'struggles to manage anger and needs help to repair friendships',
    'finds it very hard to leave the house on bad days',
    'needs help to recognise and manage strong feelings',
    'sleeps poorly and finds mornings very difficult',
  ],
  SLCN: [
    'is hard to understand outside the family and is losing confidence',
    'needs instructions broken into short steps with pictures',
    'needs regular speech and language therapy',
    'understands far more than can be said and gets frustrated',
    'speaks only to close family and needs a gradual approach',
  ],
  MLD: [
    'is working well below age-related expectations in reading and maths',
    'needs things explained several times and practised often',
    'needs small-group teaching and help to stay organised',
  ],
  SLD: [
    'needs support with all personal care and help to stay safe',
    'needs help to communicate, using Makaton and objects of reference',
    'has little sense of danger and needs close supervision',
    'needs help with eating, dressing and toileting',
  ],
  PMLD: [
    'uses a wheelchair, is tube-fed and needs two people for all moves',
    'needs round-the-clock care and a hoist for transfers',
    'communicates through facial expression and sounds',
  ],
  PD: [
    'uses a powered wheelchair and needs help with personal care',
    'needs physiotherapy every day and adapted equipment',
    'tires easily and needs rest breaks through the day',
    'needs support with handwriting and a laptop for longer work',
  ],
  HI: [
    'needs good acoustics and deaf awareness from everyone around them',
    'misses a lot in group conversation and needs visual support',
    'needs language to be built up with signs, pictures and repetition',
  ],
  VI: [
    'needs materials in large print or braille and mobility training',
    'needs help to find the way in unfamiliar places',
  ],
  MSI: [
    'needs an intervenor who knows their communication well',
    'relies on touch and routine to understand the world',
  ],
  SpLD: [
    'needs specialist literacy teaching and a reader in exams',
    'reads well below age level and has lost confidence',
    'needs assistive technology for reading and writing',
  ],
  OTH: [
    'misses a lot of learning through hospital appointments',
    'needs a reduced timetable and a rest space',
  ],
  DS: ['the family and setting are waiting for specialist advice'],
};

export type SettingPhase = 'early' | 'school' | 'post16';

/** A second sentence about education or the family, by phase. */
export const EDUCATION_CONTEXT: Readonly<Record<SettingPhase, readonly string[]>> = {
  early: [
    'Parents would like support to get ready for starting school.',
    'Portage visits have helped and the family want them to carry on.',
    'The nursery has asked for more adult support at key times of day.',
  ],
  school: [
    'Needs support to travel to school.',
    'Attendance has fallen this term and parents are worried.',
    'Has had two fixed-term exclusions this year.',
    'Parents would like a direct payment for a personal assistant after school.',
    'Does well with a consistent teaching assistant.',
    'Moving to secondary school next year and the family want an early plan.',
    'School say they have used all of their notional SEN budget.',
  ],
  post16: [
    'Wants to live more independently and learn to travel alone.',
    'Would like a supported internship and then paid work.',
    'Preparing for adulthood: the plan needs to look ahead to adult social care.',
    'Speaks for themself at meetings and wants more say over the budget.',
  ],
};

export const CHILD_SOCIAL_CARE_CONTEXT = [
  'Parents need regular overnight breaks to keep caring.',
  'A single parent also caring for a younger disabled sibling.',
  'The family would like a personal assistant so they can go out together.',
  'Sleeps very little, so the family are exhausted.',
  'Needs two adults when out in the community.',
] as const;

export interface AdultNeed {
  readonly lead: string;
  readonly details: readonly string[];
  /** Weight in the adult social care caseload. */
  readonly weight: number;
  readonly minAge: number;
}

export const ADULT_NEEDS: readonly AdultNeed[] = [
  {
    lead: 'Learning disability',
    weight: 34,
    minAge: 18,
    details: [
      'needs support to manage money, cook and keep safe',
      'needs a plan for the future as their parents get older',
      'enjoys work experience and wants a paid job',
      'needs help with personal care and prompting to take medication',
    ],
  },
  {
    lead: 'Autistic adult',
    weight: 10,
    minAge: 18,
    details: [
      'finds crowded places very hard and needs help to get out and about',
      'needs support to keep a tenancy and manage bills',
    ],
  },
  {
    lead: 'Physical disability',
    weight: 16,
    minAge: 18,
    details: [
      'uses a wheelchair and needs help getting up and going to bed',
      'has multiple sclerosis and needs more help on bad days',
      'needs help with washing, dressing and meals after a spinal injury',
    ],
  },
  {
    lead: 'Long-term mental health condition',
    weight: 14,
    minAge: 18,
    details: [
      'needs support to keep well, stay connected and avoid going back into hospital',
      'has schizophrenia and needs help to manage daily routines',
      'wants support to return to volunteering',
    ],
  },
  {
    lead: 'Frailty in older age',
    weight: 14,
    minAge: 65,
    details: [
      'has had several falls and needs help with washing and meals',
      'wants to stay at home with the right support',
    ],
  },
  {
    lead: 'Dementia',
    weight: 8,
    minAge: 60,
    details: [
      'needs prompting with meals and medication, and a family member is the main carer',
      'is becoming disorientated at night and the family need breaks',
    ],
  },
  {
    lead: 'Sight and hearing loss',
    weight: 4,
    minAge: 18,
    details: ['needs help with post, shopping and getting to appointments'],
  },
];

export const CHILD_HEALTH_LEADS = [
  'Complex health needs after a brain injury at birth',
  'Life-limiting neuromuscular condition',
  'Has a tracheostomy and needs suction through the night',
  'Gastrostomy-fed with uncontrolled epilepsy',
  'Needs overnight ventilation for a rare genetic condition',
] as const;

export const ADULT_HEALTH_LEADS = [
  'Motor neurone disease, deteriorating quickly',
  'Acquired brain injury after a road traffic collision',
  'Multiple sclerosis with complex nursing needs',
  "Advanced Parkinson's disease with swallowing difficulties",
  'High spinal cord injury; uses a ventilator',
  'Huntington’s disease needing care day and night',
] as const;

export const HEALTH_DETAILS = [
  'needs two trained carers for all moves and personal care',
  'needs a waking night carer',
  'the family want to employ their own carers through a personal health budget',
  'needs carers trained in suction, tube feeding and emergency medication',
  'care is shared between the family and a nursing agency',
] as const;

// ---- Local Offer service catalogue ---------------------------------------------------------------

export interface ServiceTemplate {
  readonly provider: ProviderRole;
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly minAge: number;
  readonly maxAge: number;
  readonly unit: ServiceUnit;
  /** Unit cost range in pence, and the step it is rounded to. */
  readonly cost: readonly [low: number, high: number, step: number];
}

export const SERVICE_CATALOGUE: readonly ServiceTemplate[] = [
  {
    provider: 'shortBreaks',
    name: 'Overnight short breaks',
    description: 'Overnight stays in a small residential home with trained staff, so children have fun away from home and families get a rest.',
    category: 'Short breaks',
    minAge: 5,
    maxAge: 17,
    unit: 'night',
    cost: [25_000, 45_000, 500],
  },
  {
    provider: 'autismCharity',
    name: 'Saturday club',
    description: 'A Saturday club for autistic children and young people with games, cooking and trips, run by staff who know autism well.',
    category: 'Short breaks',
    minAge: 8,
    maxAge: 18,
    unit: 'day',
    cost: [4_500, 7_500, 250],
  },
  {
    provider: 'specialSchool',
    name: 'Holiday play scheme',
    description: 'Days out, sport and crafts in the school holidays, with one-to-one support where needed.',
    category: 'Short breaks',
    minAge: 5,
    maxAge: 18,
    unit: 'day',
    cost: [4_500, 7_500, 250],
  },
  {
    provider: 'careAgency',
    name: 'Respite stays for adults',
    description: 'Short stays with 24-hour support, so that family carers can take a break.',
    category: 'Short breaks',
    minAge: 18,
    maxAge: 99,
    unit: 'night',
    cost: [13_000, 17_500, 500],
  },
  {
    provider: 'activities',
    name: 'After-school club',
    description: 'An inclusive after-school club with a high staff ratio and a quiet room.',
    category: 'Short breaks',
    minAge: 5,
    maxAge: 14,
    unit: 'session',
    cost: [2_500, 3_500, 50],
  },
  {
    provider: 'paCooperative',
    name: 'Personal assistant',
    description: 'A personal assistant you choose, employed through the co-operative, for help at home or getting out and about.',
    category: 'Personal assistants',
    minAge: 0,
    maxAge: 99,
    unit: 'hour',
    cost: [1_400, 1_800, 25],
  },
  {
    provider: 'paCooperative',
    name: 'Payroll and employer support for direct payments',
    description: 'Payroll, pensions and employer insurance for people who employ their own personal assistants.',
    category: 'Personal assistants',
    minAge: 0,
    maxAge: 99,
    unit: 'week',
    cost: [350, 650, 25],
  },
  {
    provider: 'carersCharity',
    name: 'Sitting service',
    description: 'A trained sitter at home so parents and carers can go out for a few hours.',
    category: 'Personal assistants',
    minAge: 0,
    maxAge: 99,
    unit: 'hour',
    cost: [1_600, 1_900, 25],
  },
  {
    provider: 'therapy',
    name: 'Speech and language therapy',
    description: 'Assessment and therapy sessions at home, school or college, with advice for the people who support you every day.',
    category: 'Therapy',
    minAge: 0,
    maxAge: 25,
    unit: 'session',
    cost: [8_500, 11_000, 500],
  },
  {
    provider: 'therapy',
    name: 'Occupational therapy',
    description: 'Help with everyday skills such as dressing, handwriting and sensory needs, and advice on equipment.',
    category: 'Therapy',
    minAge: 0,
    maxAge: 25,
    unit: 'session',
    cost: [8_800, 11_500, 100],
  },
  {
    provider: 'nhsTrust',
    name: 'Physiotherapy',
    description: 'Physiotherapy sessions at home or in clinic, and exercise programmes for families and schools to follow.',
    category: 'Therapy',
    minAge: 0,
    maxAge: 99,
    unit: 'session',
    cost: [7_000, 9_500, 100],
  },
  {
    provider: 'autismCharity',
    name: 'Music therapy',
    description: 'Music therapy with a registered therapist to support communication and emotional wellbeing.',
    category: 'Therapy',
    minAge: 2,
    maxAge: 25,
    unit: 'session',
    cost: [5_000, 7_000, 250],
  },
  {
    provider: 'carersCharity',
    name: 'Counselling for young people',
    description: 'Confidential counselling for young people with anxiety, low mood or difficult experiences.',
    category: 'Therapy',
    minAge: 11,
    maxAge: 25,
    unit: 'session',
    cost: [4_500, 6_000, 250],
  },
  {
    provider: 'equipment',
    name: 'Sensory equipment pack',
    description: 'A pack of sensory equipment for home chosen with an occupational therapist: lights, weighted items and ear defenders.',
    category: 'Equipment',
    minAge: 0,
    maxAge: 25,
    unit: 'item',
    cost: [15_000, 45_000, 500],
  },
  {
    provider: 'equipment',
    name: 'Wheelchair top-up',
    description: 'A top-up through a personal wheelchair budget for a chair that meets your wider needs.',
    category: 'Equipment',
    minAge: 0,
    maxAge: 99,
    unit: 'item',
    cost: [80_000, 250_000, 5_000],
  },
  {
    provider: 'equipment',
    name: 'Bathing and hoist equipment',
    description: 'Bath lifts, shower chairs and ceiling-track hoists, fitted and serviced.',
    category: 'Equipment',
    minAge: 0,
    maxAge: 99,
    unit: 'item',
    cost: [45_000, 350_000, 5_000],
  },
  {
    provider: 'equipment',
    name: 'Telecare alarm and sensors',
    description: 'A pendant alarm, falls sensor and door sensor linked to a 24-hour response team.',
    category: 'Equipment',
    minAge: 18,
    maxAge: 99,
    unit: 'week',
    cost: [400, 800, 25],
  },
  {
    provider: 'activities',
    name: 'Swimming sessions',
    description: 'Quiet, sensory-friendly swimming sessions with changing places facilities.',
    category: 'Leisure and activities',
    minAge: 3,
    maxAge: 99,
    unit: 'session',
    cost: [500, 700, 50],
  },
  {
    provider: 'activities',
    name: 'Climbing and outdoor adventure',
    description: 'Climbing, canoeing and bushcraft with instructors trained to support disabled people.',
    category: 'Leisure and activities',
    minAge: 8,
    maxAge: 99,
    unit: 'session',
    cost: [2_000, 3_500, 50],
  },
  {
    provider: 'autismCharity',
    name: 'Drama and dance group',
    description: 'A weekly drama and dance group that puts on a show every summer.',
    category: 'Leisure and activities',
    minAge: 7,
    maxAge: 25,
    unit: 'session',
    cost: [800, 1_500, 50],
  },
  {
    provider: 'therapy',
    name: 'Specialist dyslexia tuition',
    description: 'One-to-one tuition from a specialist teacher, with a written report for school.',
    category: 'Education support',
    minAge: 6,
    maxAge: 25,
    unit: 'hour',
    cost: [4_000, 5_500, 250],
  },
  {
    provider: 'specialSchool',
    name: 'Outreach teaching assistant support',
    description: 'A teaching assistant from the special school working alongside a child in their mainstream school.',
    category: 'Education support',
    minAge: 4,
    maxAge: 16,
    unit: 'hour',
    cost: [1_800, 2_400, 50],
  },
  {
    provider: 'carersCharity',
    name: 'Mentoring',
    description: 'Weekly mentoring for children and young people who find school or college hard, in or out of school.',
    category: 'Education support',
    minAge: 10,
    maxAge: 25,
    unit: 'hour',
    cost: [2_800, 3_500, 50],
  },
  {
    provider: 'homeCare',
    name: 'Home care visits',
    description: 'Visits to help with getting up, washing, dressing, meals and going to bed.',
    category: 'Home care',
    minAge: 18,
    maxAge: 99,
    unit: 'hour',
    cost: [2_200, 2_700, 10],
  },
  {
    provider: 'careAgency',
    name: 'Night sitting',
    description: 'A carer who stays awake through the night at home.',
    category: 'Home care',
    minAge: 0,
    maxAge: 99,
    unit: 'night',
    cost: [14_000, 19_000, 500],
  },
  {
    provider: 'careAgency',
    name: 'Live-in care',
    description: 'A carer who lives in your home and supports you day to day.',
    category: 'Home care',
    minAge: 18,
    maxAge: 99,
    unit: 'week',
    cost: [95_000, 140_000, 2_500],
  },
  {
    provider: 'shortBreaks',
    name: 'Travel training',
    description: 'One-to-one training to travel safely and independently by bus, train or on foot.',
    category: 'Transport',
    minAge: 11,
    maxAge: 25,
    unit: 'session',
    cost: [3_000, 4_500, 250],
  },
  {
    provider: 'careAgency',
    name: 'Accessible taxi to school or college',
    description: 'A wheelchair-accessible taxi with a passenger assistant for the journey to school or college.',
    category: 'Transport',
    minAge: 4,
    maxAge: 25,
    unit: 'day',
    cost: [3_000, 6_000, 250],
  },
  {
    provider: 'dayServices',
    name: 'Supported internship job coaching',
    description: 'A job coach who supports young people on a supported internship towards paid work.',
    category: 'Preparing for adulthood',
    minAge: 16,
    maxAge: 25,
    unit: 'hour',
    cost: [2_500, 3_200, 50],
  },
  {
    provider: 'activities',
    name: 'Independent living skills course',
    description: 'Cooking, budgeting, shopping and keeping a home, learnt in a training flat.',
    category: 'Preparing for adulthood',
    minAge: 16,
    maxAge: 25,
    unit: 'session',
    cost: [3_500, 5_500, 250],
  },
  {
    provider: 'dayServices',
    name: 'Day opportunities',
    description: 'Day activities in the community: art, gardening, work skills and time with friends.',
    category: 'Leisure and activities',
    minAge: 18,
    maxAge: 99,
    unit: 'day',
    cost: [5_500, 7_500, 50],
  },
  {
    provider: 'nhsTrust',
    name: 'Continuing care nursing at home',
    description: 'Registered nurses and trained carers providing complex care at home, funded through NHS continuing care.',
    category: 'Home care',
    minAge: 0,
    maxAge: 99,
    unit: 'hour',
    cost: [2_800, 3_600, 25],
  },
];
