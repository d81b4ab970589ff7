/** JSON schemas of the API (TypeBox): they validate requests, shape responses and make the OpenAPI document. */
import { Type, type Static } from '@sinclair/typebox';
import { RAS_MODEL_SCHEMA } from '../../domain/allocation/schema.ts';

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    requestId: Type.String(),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

const Pence = (description: string) => Type.Integer({ description: `${description}, in pence` });
const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Stage = Type.Union([
  Type.Literal('request'),
  Type.Literal('assessment'),
  Type.Literal('allocation'),
  Type.Literal('planning'),
  Type.Literal('approval'),
  Type.Literal('agreed'),
  Type.Literal('review'),
]);

/** A council's published allocation model (docs/ras-model.schema.json), with its version. */
export const AllocationModelPublished = Type.Object({
  council: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  publishedOn: Type.String({ format: 'date' }),
  model: RAS_MODEL_SCHEMA,
});

export const Council = Type.Object({ slug: Type.String(), name: Type.String() });
export const CouncilDetail = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  serviceCount: Type.Integer(),
  providerCount: Type.Integer(),
  fundingStreams: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), funder: Type.String() })),
});

export const LocalOfferService = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  description: Type.String(),
  category: Type.String(),
  minAge: Type.Integer(),
  maxAge: Type.Integer(),
  unit: Type.String(),
  unitCostPence: Pence('Cost of one unit'),
  provider: Type.Object({ name: Type.String(), kind: Type.String(), email: Type.String(), phone: Type.String(), town: Type.String() }),
});

export const PersonSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  reference: Type.String(),
  givenName: Type.String(),
  familyName: Type.String(),
  dateOfBirth: IsoDate,
  caseType: Type.String(),
  stage: Stage,
  stageSince: IsoDate,
  leadWorkerName: Type.Union([Type.String(), Type.Null()]),
});

export const Person = Type.Composite([
  PersonSummary,
  Type.Object({
    postcode: Type.String(),
    primaryNeed: Type.Union([Type.String(), Type.Null()]),
    needsSummary: Type.String(),
    setting: Type.Union([Type.String(), Type.Null()]),
    requestDate: IsoDate,
    indicativeBudgetPence: Type.Union([Pence('Indicative annual budget'), Type.Null()]),
    currentPackagePence: Type.Union([Pence('Current annual package'), Type.Null()]),
    restricted: Type.Boolean(),
    budgetLines: Type.Array(
      Type.Object({
        id: Type.String({ format: 'uuid' }),
        fundingStreamName: Type.String(),
        management: Type.String(),
        description: Type.String(),
        annualPence: Pence('Annual amount'),
      }),
    ),
  }),
]);

export const PeopleQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: 'Part of a name or reference' })),
  stage: Type.Optional(Stage),
  mine: Type.Optional(Type.Boolean({ description: 'Only people the caller is lead worker for' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export type PeopleQuery = Static<typeof PeopleQuery>;

export const PeopleList = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  pageCount: Type.Integer(),
  people: Type.Array(PersonSummary),
});
