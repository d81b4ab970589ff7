import { formatPence } from '../../../domain/money/money.ts';
import type { CouncilOverview, Council } from '../../../services/councils.ts';
import type { LocalOfferService } from '../../../db/repositories/local-offer.ts';
import { paths } from '../../paths.ts';
import { escapeHtml, formatDate } from '../../format.ts';
import type { PublishedAllocation } from '../../../services/allocation.ts';
import { modelTablesModel } from '../allocation-models/presenters.ts';

const UNIT_WORDS: Readonly<Record<LocalOfferService['unit'], string>> = {
  hour: 'an hour',
  session: 'a session',
  day: 'a day',
  night: 'a night',
  week: 'a week',
  item: 'each',
};

export function councilModel(overview: CouncilOverview) {
  return {
    title: overview.council.name,
    councilName: overview.council.name,
    localOfferHref: paths.council.localOffer({ slug: overview.council.slug }),
    allocationHref: paths.council.allocation({ slug: overview.council.slug }),
    serviceCount: overview.serviceCount,
    providerCount: overview.providerCount,
    streams: overview.fundingStreams.map((s) => ({ name: s.name, funder: s.funder })),
  };
}

export function localOfferModel(council: Council, services: readonly LocalOfferService[], category: string | undefined) {
  const categories = [...new Set(services.map((s) => s.category))].sort();
  const chosen = category !== undefined && categories.includes(category) ? category : undefined;
  const shown = chosen === undefined ? services : services.filter((s) => s.category === chosen);
  return {
    title: `Local Offer – ${council.name}`,
    councilName: council.name,
    councilHref: paths.council.home({ slug: council.slug }),
    action: paths.council.localOffer({ slug: council.slug }),
    categoryItems: [
      { value: '', text: 'All kinds of support', selected: chosen === undefined },
      ...categories.map((c) => ({ value: c, text: c, selected: c === chosen })),
    ],
    resultText: `${shown.length} ${shown.length === 1 ? 'service' : 'services'}${chosen ? ` in ${chosen}` : ''}`,
    services: shown.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      rows: [
        { key: { text: 'Kind of support' }, value: { text: s.category } },
        { key: { text: 'Ages' }, value: { text: s.minAge === s.maxAge ? `${s.minAge}` : `${s.minAge} to ${s.maxAge}` } },
        { key: { text: 'Cost' }, value: { text: `${formatPence(s.unitCostPence)} ${UNIT_WORDS[s.unit]}` } },
        { key: { text: 'Provided by' }, value: { text: `${s.providerName}, ${s.providerTown}` } },
        { key: { text: 'Contact' }, value: { html: `<a class="govuk-link" href="mailto:${escapeHtml(s.providerEmail)}">${escapeHtml(s.providerEmail)}</a><br>${escapeHtml(s.providerPhone)}` } },
      ],
    })),
  };
}

/** The public page of the allocation model in force: the model's tables and the transparency summary. */
export function allocationModel(published: PublishedAllocation) {
  const { council, version } = published;
  return {
    title: `How ${council.name} works out indicative budgets`,
    councilName: council.name,
    councilHref: paths.council.home({ slug: council.slug }),
    localOfferHref: paths.council.localOffer({ slug: council.slug }),
    version:
      version === null
        ? undefined
        : {
            number: version.version,
            name: version.model.name,
            description: version.model.description,
            publishedText: version.publishedOn === null ? 'not yet' : formatDate(version.publishedOn),
            tables: modelTablesModel(version.model),
          },
  };
}
