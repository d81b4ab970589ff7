import type { SystemRepository, CouncilRow } from '../db/system.ts';
import type { WithCouncil } from '../db/tenancy.ts';
import { repositories } from '../db/repositories/index.ts';
import type { FundingStream } from '../db/repositories/funding-streams.ts';
import type { LocalOfferService } from '../db/repositories/local-offer.ts';
import { NotFoundError } from './errors.ts';

export type Council = CouncilRow;

export interface CouncilOverview {
  readonly council: Council;
  readonly fundingStreams: readonly FundingStream[];
  readonly serviceCount: number;
  readonly providerCount: number;
}

export function councilServices(deps: { system: SystemRepository; withCouncil: WithCouncil }) {
  const requireCouncil = async (slug: string): Promise<Council> => {
    const council = await deps.system.findCouncilBySlug(slug);
    if (council === undefined) throw new NotFoundError(`There is no council with the address "${slug}"`);
    return council;
  };
  return {
    list: (): Promise<Council[]> => deps.system.listCouncils(),
    requireCouncil,
    async overview(slug: string): Promise<CouncilOverview> {
      const council = await requireCouncil(slug);
      return deps.withCouncil(council.id, async (tx) => {
        const repos = repositories(tx);
        const [fundingStreams, counts] = await Promise.all([repos.fundingStreams.list(), repos.localOffer.counts()]);
        return { council, fundingStreams, serviceCount: counts.services, providerCount: counts.providers };
      });
    },
    async localOffer(slug: string, category?: string): Promise<{ council: Council; services: LocalOfferService[] }> {
      const council = await requireCouncil(slug);
      const services = await deps.withCouncil(council.id, (tx) => repositories(tx).localOffer.listServices(category));
      return { council, services };
    },
  };
}
