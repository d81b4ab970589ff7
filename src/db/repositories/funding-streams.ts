import type { TenantTx } from '../tenancy.ts';

export interface FundingStream {
  readonly id: string;
  readonly code: 'education_high_needs' | 'social_care' | 'health_continuing_care';
  readonly name: string;
  readonly funder: string;
  readonly annualEnvelopePence: bigint;
}

export function fundingStreamsRepository(tx: TenantTx) {
  return {
    async list(): Promise<FundingStream[]> {
      const rows = await tx
        .selectFrom('funding_streams')
        .select(['id', 'code', 'name', 'funder', 'annual_envelope_pence'])
        .orderBy('name')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        code: r.code,
        name: r.name,
        funder: r.funder,
        annualEnvelopePence: r.annual_envelope_pence,
      }));
    },
  };
}
