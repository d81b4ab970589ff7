/**
 * The two fictional demo councils: names, towns and postcode districts, schools and settings,
 * funding streams and providers. Postcode areas NM and SB are not real UK postcode areas, so no demo
 * postcode can be someone's real address; the format (outward code, space, digit and two letters) is
 * the real one.
 */
import type { DemoCouncilSlug } from './accounts.ts';
import type { ProviderKind } from '../db/schema.ts';

export interface Town {
  readonly name: string;
  /** Outward codes (postcode districts) in this town. */
  readonly districts: readonly string[];
  /** Relative share of the council's population. */
  readonly weight: number;
}

/** Keys the service catalogue uses to find "the care agency", "the PA co-operative", … per council. */
export type ProviderRole =
  | 'careAgency'
  | 'autismCharity'
  | 'paCooperative'
  | 'specialSchool'
  | 'nhsTrust'
  | 'shortBreaks'
  | 'carersCharity'
  | 'activities'
  | 'homeCare'
  | 'equipment'
  | 'dayServices'
  | 'therapy';

export interface ProviderPlace {
  readonly role: ProviderRole;
  readonly name: string;
  readonly kind: ProviderKind;
  readonly town: string;
  readonly emailDomain: string;
}

export interface CouncilPlace {
  readonly slug: DemoCouncilSlug;
  readonly name: string;
  readonly referencePrefix: string;
  readonly towns: readonly Town[];
  readonly streams: {
    readonly educationEnvelopePounds: bigint;
    readonly socialCareEnvelopePounds: bigint;
    readonly healthEnvelopePounds: bigint;
    readonly icbName: string;
  };
  /** Price per RAS point, in pence, per case type (the indicative budget is points × price). */
  readonly pricePerPointPence: {
    readonly ehc: bigint;
    readonly social_care_child: bigint;
    readonly social_care_adult: bigint;
    readonly continuing_care: bigint;
  };
  readonly settings: {
    readonly nurseries: readonly string[];
    readonly primaries: readonly string[];
    readonly secondaries: readonly string[];
    /** Maintained or academy special schools (place-plus top-up). */
    readonly specialSchools: readonly string[];
    /** Independent and non-maintained special schools (council-managed placements). */
    readonly independentSchools: readonly string[];
    readonly semhSchool: string;
    readonly colleges: readonly string[];
    /** Independent specialist colleges (council-managed placements). */
    readonly specialistColleges: readonly string[];
    readonly internshipHosts: readonly string[];
    readonly dayServices: readonly string[];
    readonly careHomes: readonly string[];
  };
  readonly people: number;
  readonly providers: readonly ProviderPlace[];
}

export const COUNCILS: Readonly<Record<DemoCouncilSlug, CouncilPlace>> = {
  northam: {
    slug: 'northam',
    name: 'Northam City Council',
    referencePrefix: 'NM',
    towns: [
      { name: 'Northam', districts: ['NM1', 'NM2', 'NM3'], weight: 40 },
      { name: 'Kingsmead', districts: ['NM4'], weight: 12 },
      { name: 'Ashby Vale', districts: ['NM5'], weight: 10 },
      { name: 'Holloway Green', districts: ['NM6'], weight: 11 },
      { name: 'Eastfield', districts: ['NM7'], weight: 12 },
      { name: 'Millbrook', districts: ['NM8'], weight: 8 },
      { name: 'Hartley Bridge', districts: ['NM9'], weight: 7 },
    ],
    streams: {
      educationEnvelopePounds: 68_400_000n,
      socialCareEnvelopePounds: 41_250_000n,
      healthEnvelopePounds: 18_700_000n,
      icbName: 'NHS Northam and District Integrated Care Board',
    },
    pricePerPointPence: { ehc: 12_640n, social_care_child: 13_500n, social_care_adult: 23_160n, continuing_care: 51_200n },
    settings: {
      nurseries: [
        'Little Acorns Day Nursery',
        "Kingsmead Children's Centre Nursery",
        'Rainbow Pre-school, Eastfield',
        'Northam Park Nursery School',
      ],
      primaries: [
        'Northam Park Primary School',
        "St Aidan's C of E Primary Academy",
        'Holy Family Catholic Primary School',
        'Brookside Primary School',
        'Kingsmead Infant and Nursery School',
        'Eastfield Junior School',
        'Millbrook Primary Academy',
        'Hartley Bridge Community Primary School',
        'Ashby Vale Primary School',
      ],
      secondaries: [
        "St Aidan's C of E Academy",
        'Kingsmead High School',
        'Bishop Hartley Catholic High School',
        'Northam Academy',
        'Eastfield School',
        'Holloway Green Academy',
      ],
      specialSchools: ['Riverside Special School', 'Meadowbank School', 'Castle Hill Special Academy'],
      independentSchools: ['Oakfield House School', 'Brackenfield School', 'The Cedars Autism School'],
      semhSchool: 'Beech Lodge School',
      colleges: ['Northam College', 'Northam Sixth Form College', 'Kingsmead High School sixth form'],
      specialistColleges: ['Brackenfield Specialist College', 'Northam Independent Living College'],
      internshipHosts: ['Northam General Hospital', 'Northam City Council', 'Kingsmead Retail Park'],
      dayServices: ['Meadowbank Day Service', 'Eastfield Community Hub', 'Millbrook Resource Centre'],
      careHomes: ['Laurel Court Care Home', 'Ashby House Nursing Home'],
    },
    people: 310,
    providers: [
      { role: 'careAgency', name: 'Brightpath Care Ltd', kind: 'care_agency', town: 'Northam', emailDomain: 'brightpathcare.example' },
      { role: 'autismCharity', name: 'Northam Autism Support', kind: 'charity', town: 'Kingsmead', emailDomain: 'northamautism.example' },
      { role: 'paCooperative', name: 'Helping Hands PA Co-operative', kind: 'personal_assistant_agency', town: 'Ashby Vale', emailDomain: 'helpinghandspa.example' },
      { role: 'specialSchool', name: 'Riverside Special School', kind: 'school', town: 'Holloway Green', emailDomain: 'riverside-school.example' },
      { role: 'nhsTrust', name: 'Northam Community Health NHS Trust', kind: 'nhs_trust', town: 'Northam', emailDomain: 'northamcommunityhealth.example' },
      { role: 'shortBreaks', name: 'Northam Short Breaks Service', kind: 'council_service', town: 'Northam', emailDomain: 'northam.example' },
      { role: 'carersCharity', name: "Kingsmead Carers' Centre", kind: 'charity', town: 'Kingsmead', emailDomain: 'kingsmeadcarers.example' },
      { role: 'activities', name: 'Open Door Activities CIC', kind: 'social_enterprise', town: 'Eastfield', emailDomain: 'opendooractivities.example' },
      { role: 'homeCare', name: 'Millbrook Home Care Ltd', kind: 'care_agency', town: 'Millbrook', emailDomain: 'millbrookhomecare.example' },
      { role: 'equipment', name: 'Able Kit Community Equipment CIC', kind: 'social_enterprise', town: 'Hartley Bridge', emailDomain: 'ablekit.example' },
      { role: 'dayServices', name: 'Northam Day Opportunities', kind: 'council_service', town: 'Eastfield', emailDomain: 'northam.example' },
      { role: 'therapy', name: 'Talking Together Therapy CIC', kind: 'social_enterprise', town: 'Northam', emailDomain: 'talkingtogether.example' },
    ],
  },
  southby: {
    slug: 'southby',
    name: 'Southby County Council',
    referencePrefix: 'SB',
    towns: [
      { name: 'Southby', districts: ['SB1', 'SB2', 'SB3'], weight: 28 },
      { name: 'Market Ashford', districts: ['SB4'], weight: 11 },
      { name: 'Kelsworth', districts: ['SB5'], weight: 9 },
      { name: 'Brindlecombe', districts: ['SB6'], weight: 7 },
      { name: 'Westmoor', districts: ['SB7', 'SB8'], weight: 13 },
      { name: 'Sandmouth', districts: ['SB9', 'SB10'], weight: 17 },
      { name: 'Fenbury', districts: ['SB11'], weight: 8 },
      { name: 'Oakhurst', districts: ['SB12'], weight: 7 },
    ],
    streams: {
      educationEnvelopePounds: 94_800_000n,
      socialCareEnvelopePounds: 57_300_000n,
      healthEnvelopePounds: 26_100_000n,
      icbName: 'NHS Southby and Westmoor Integrated Care Board',
    },
    pricePerPointPence: { ehc: 11_875n, social_care_child: 12_900n, social_care_adult: 22_450n, continuing_care: 49_800n },
    settings: {
      nurseries: [
        'Busy Bees Pre-school, Kelsworth',
        'Sandmouth Nursery School',
        'Little Harwick Village Playgroup',
        "Fenbury Children's Centre Nursery",
      ],
      primaries: [
        'Southby Church of England Primary School',
        'Market Ashford Primary Academy',
        "St Michael's Catholic Primary School",
        'Kelsworth Community Primary School',
        'Sandmouth Bay Primary School',
        'Brindlecombe Village School',
        'Westmoor Infant School',
        'Oakhurst Junior School',
        'Fenbury Primary School',
      ],
      secondaries: [
        'Southby Grammar School',
        'Market Ashford Academy',
        'Sandmouth High School',
        'Westmoor Community College',
        "St Edmund's Catholic School",
        'Kelsworth School',
      ],
      specialSchools: ['The Willows Special School', 'Sandmouth Bay Special School', 'Fenbury Park School'],
      independentSchools: ['Heathfield Manor School', 'Coombe Farm School', 'The Orchard Autism Centre'],
      semhSchool: 'Harbour View School',
      colleges: ['Southby College', 'Sandmouth College', 'Market Ashford Sixth Form'],
      specialistColleges: ['Coombe Farm Specialist College', 'Sandmouth Bay Specialist College'],
      internshipHosts: ['Southby District Hospital', 'Southby County Council', 'Sandmouth Leisure Centre'],
      dayServices: ['Westmoor Day Centre', 'Sandmouth Day Opportunities', 'Kelsworth Community Farm'],
      careHomes: ['Seaview Residential Home', 'Oakhurst Lodge Nursing Home'],
    },
    people: 290,
    providers: [
      { role: 'careAgency', name: 'Coastline Care Services Ltd', kind: 'care_agency', town: 'Sandmouth', emailDomain: 'coastlinecare.example' },
      { role: 'autismCharity', name: 'Southby Autism Family Network', kind: 'charity', town: 'Southby', emailDomain: 'southbyautism.example' },
      { role: 'paCooperative', name: 'Independent Lives PA Co-operative', kind: 'personal_assistant_agency', town: 'Market Ashford', emailDomain: 'independentlives.example' },
      { role: 'specialSchool', name: 'The Willows Special School', kind: 'school', town: 'Kelsworth', emailDomain: 'thewillows-school.example' },
      { role: 'nhsTrust', name: 'Southby and Westmoor Community NHS Trust', kind: 'nhs_trust', town: 'Southby', emailDomain: 'southbywestmoor-nhs.example' },
      { role: 'shortBreaks', name: 'Southby Short Breaks Team', kind: 'council_service', town: 'Southby', emailDomain: 'southby.example' },
      { role: 'carersCharity', name: 'Fenbury Family Carers', kind: 'charity', town: 'Fenbury', emailDomain: 'fenburycarers.example' },
      { role: 'activities', name: 'Westmoor Outdoor Adventures CIC', kind: 'social_enterprise', town: 'Westmoor', emailDomain: 'westmooroutdoor.example' },
      { role: 'homeCare', name: 'Oakhurst Home Care Ltd', kind: 'care_agency', town: 'Oakhurst', emailDomain: 'oakhursthomecare.example' },
      { role: 'equipment', name: 'Brindlecombe Community Equipment CIC', kind: 'social_enterprise', town: 'Brindlecombe', emailDomain: 'brindlecombe-equipment.example' },
      { role: 'dayServices', name: 'Southby Day Opportunities', kind: 'council_service', town: 'Sandmouth', emailDomain: 'southby.example' },
      { role: 'therapy', name: 'Little Harwick Therapy Partnership', kind: 'social_enterprise', town: 'Market Ashford', emailDomain: 'littleharwicktherapy.example' },
    ],
  },
};
