/** Pure rules and vocabulary about the people a council supports. */
import type { CaseType, JourneyStage, Management, PrimaryNeed } from '../../db/schema.ts';

export type { CaseType, JourneyStage, Management, PrimaryNeed };

/** The journey, in order, with the words a family would use. */
export const JOURNEY_STAGES: readonly { stage: JourneyStage; label: string; description: string }[] = [
  { stage: 'request', label: 'Request received', description: 'A request for an assessment has been made.' },
  { stage: 'assessment', label: 'Assessment', description: 'We are finding out what support is needed.' },
  { stage: 'allocation', label: 'Indicative budget', description: 'An up-front estimate of the budget has been given.' },
  { stage: 'planning', label: 'Planning', description: 'The family and worker are writing the support plan.' },
  { stage: 'approval', label: 'Waiting for sign-off', description: 'The plan and budget are waiting for approval.' },
  { stage: 'agreed', label: 'Budget agreed', description: 'The personal budget is agreed and support is in place.' },
  { stage: 'review', label: 'Review due', description: 'The plan and budget are being reviewed.' },
];

export function stageLabel(stage: JourneyStage): string {
  return JOURNEY_STAGES.find((s) => s.stage === stage)?.label ?? stage;
}

export const CASE_TYPE_LABELS: Readonly<Record<CaseType, string>> = {
  ehc: 'Education, health and care plan',
  social_care_child: "Children's social care",
  social_care_adult: 'Adult social care',
  continuing_care: 'NHS continuing care',
};

export const MANAGEMENT_LABELS: Readonly<Record<Management, string>> = {
  direct_payment: 'Direct payment',
  individual_service_fund: 'Individual service fund',
  council_managed: 'Managed by the council',
};

/** SEN2 primary need codes with their DfE descriptions. */
export const PRIMARY_NEED_LABELS: Readonly<Record<PrimaryNeed, string>> = {
  ASD: 'Autistic spectrum disorder',
  DS: 'Down syndrome',
  HI: 'Hearing impairment',
  MLD: 'Moderate learning difficulty',
  MSI: 'Multi-sensory impairment',
  OTH: 'Other difficulty or disability',
  PD: 'Physical disability',
  PMLD: 'Profound and multiple learning difficulty',
  SEMH: 'Social, emotional and mental health',
  SLCN: 'Speech, language and communication needs',
  SLD: 'Severe learning difficulty',
  SpLD: 'Specific learning difficulty',
  VI: 'Visual impairment',
};

/** Whole years between a date of birth and a day, both 'YYYY-MM-DD'. Birthdays on 29 February count from 1 March in other years. */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}
