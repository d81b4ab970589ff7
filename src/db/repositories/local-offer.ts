import type { TenantTx } from '../tenancy.ts';
import type { ProviderKind, ServiceUnit } from '../schema.ts';

export interface LocalOfferService {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly minAge: number;
  readonly maxAge: number;
  readonly unit: ServiceUnit;
  readonly unitCostPence: bigint;
  readonly providerName: string;
  readonly providerKind: ProviderKind;
  readonly providerEmail: string;
  readonly providerPhone: string;
  readonly providerTown: string;
}

export function localOfferRepository(tx: TenantTx) {
  return {
    async listServices(category?: string): Promise<LocalOfferService[]> {
      let q = tx
        .selectFrom('services as s')
        .innerJoin('providers as p', 'p.id', 's.provider_id')
        .select([
          's.id',
          's.name',
          's.description',
          's.category',
          's.min_age',
          's.max_age',
          's.unit',
          's.unit_cost_pence',
          'p.name as provider_name',
          'p.kind as provider_kind',
          'p.email as provider_email',
          'p.phone as provider_phone',
          'p.town as provider_town',
        ]);
      if (category !== undefined) q = q.where('s.category', '=', category);
      const rows = await q.orderBy('s.category').orderBy('s.name').execute();
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        description: r.description,
        category: r.category,
        minAge: r.min_age,
        maxAge: r.max_age,
        unit: r.unit,
        unitCostPence: r.unit_cost_pence,
        providerName: r.provider_name,
        providerKind: r.provider_kind,
        providerEmail: r.provider_email,
        providerPhone: r.provider_phone,
        providerTown: r.provider_town,
      }));
    },
    async counts(): Promise<{ services: number; providers: number }> {
      const [s, p] = await Promise.all([
        tx.selectFrom('services').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
        tx.selectFrom('providers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { services: Number(s.n), providers: Number(p.n) };
    },
  };
}
