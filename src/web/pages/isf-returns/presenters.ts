/** Page models of individual service fund returns: plain text and GOV.UK component arguments. */
import { quarterLabel, type Quarter } from '../../../domain/monitoring/isf-return.ts';
import { formatPence } from '../../../domain/money/money.ts';
import type { OverviewQuarter, ProviderQuarters, ProviderReturnView, ReviewView } from '../../../services/isf-returns.ts';
import { escapeHtml, formatDate, formatDayOf } from '../../format.ts';
import { paths } from '../../paths.ts';

export interface FieldError {
  readonly field: string;
  readonly text: string;
}

/** What the provider typed, by field name (`spent-<personId>`, `balance-<personId>`), kept on an error. */
export type ReturnValues = Readonly<Record<string, string>>;

export const spentField = (personId: string): string => `spent-${personId}`;
export const balanceField = (personId: string): string => `balance-${personId}`;

/** Where an error that is not about one figure points: the heading of the return's people. */
export const PEOPLE_ANCHOR = 'people';

const link = (href: string, text: string, hidden?: string) =>
  `<a class="govuk-link" href="${escapeHtml(href)}">${escapeHtml(text)}${hidden === undefined ? '' : `<span class="govuk-visually-hidden"> ${escapeHtml(hidden)}</span>`}</a>`;

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const endLabel = (quarter: Quarter): string => formatDate(quarter.endsOn);

/** The provider's quarters, the latest first, each with its status and where to go. */
export function quartersModel(view: ProviderQuarters) {
  return {
    title: 'Quarterly returns',
    providerName: view.providerName,
    rows: view.quarters.map((q, index) => {
      const href = paths.isfReturns.quarter({ quarterStartsOn: q.quarter.startsOn });
      return [
        { text: quarterLabel(q.quarter) },
        { text: q.submitted === undefined ? (index === 0 ? 'Due' : 'Overdue') : `Submitted on ${formatDayOf(q.submitted.at)} by ${q.submitted.byName}` },
        {
          html:
            q.submitted === undefined
              ? link(href, `Submit return for the quarter ending ${endLabel(q.quarter)}`)
              : link(href, 'See the return', `for the quarter ending ${endLabel(q.quarter)}`),
        },
      ];
    }),
  };
}

/** The form of a return (state 'due'), with what was typed and the errors next to their fields. */
export function formModel(view: Extract<ProviderReturnView, { state: 'due' }>, values: ReturnValues, errors: readonly FieldError[]) {
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.text;
  return {
    // The page title is shorter than the heading: "Error: " and the service name go around it.
    title: `Return for quarter ending ${endLabel(view.quarter)}`,
    heading: `Submit return for the quarter ending ${endLabel(view.quarter)}`,
    providerName: view.providerName,
    quarterLabel: quarterLabel(view.quarter),
    endsOn: endLabel(view.quarter),
    action: paths.isfReturns.quarter({ quarterStartsOn: view.quarter.startsOn }),
    backHref: paths.isfReturns.quarters(),
    errors,
    peopleAnchor: PEOPLE_ANCHOR,
    peopleError: errorFor(PEOPLE_ANCHOR),
    people: view.people.map((p) => {
      const spent = spentField(p.personId);
      const balance = balanceField(p.personId);
      return {
        name: p.name,
        reference: p.reference,
        spent: { id: spent, value: values[spent] ?? '', error: errorFor(spent) },
        balance: { id: balance, value: values[balance] ?? '', error: errorFor(balance) },
      };
    }),
  };
}

/** A return already sent (state 'submitted'), with the provider's own figures. */
export function submittedModel(view: Extract<ProviderReturnView, { state: 'submitted' }>, options: { justSubmitted: boolean; errors: readonly FieldError[] }) {
  return {
    title: `Return for the quarter ending ${endLabel(view.quarter)}`,
    providerName: view.providerName,
    quarterLabel: quarterLabel(view.quarter),
    justSubmitted: options.justSubmitted,
    errors: options.errors,
    submittedText: `Submitted on ${formatDayOf(view.submittedAt)} by ${view.submittedByName}.`,
    backHref: paths.isfReturns.quarters(),
    head: [{ text: 'Person' }, { text: 'Reference' }, { text: 'Spent in the quarter', format: 'numeric' }, { text: `Balance at ${endLabel(view.quarter)}`, format: 'numeric' }],
    rows: view.lines.map((l) => [
      { text: l.person.name },
      { text: l.person.reference, classes: 'app-nowrap' },
      { text: formatPence(l.spentPence), format: 'numeric', classes: 'app-nowrap' },
      { text: formatPence(l.balancePence), format: 'numeric', classes: 'app-nowrap' },
    ]),
  };
}

/** Finance: each ended quarter with a row per provider. */
export function overviewModel(quarters: readonly OverviewQuarter[]) {
  return {
    title: 'Individual service fund returns',
    head: [{ text: 'Provider' }, { text: 'People', format: 'numeric' }, { text: 'Return' }, { text: 'Differences from the ledger' }, { text: 'Missing' }, { text: 'Details' }],
    quarters: quarters.map((q) => ({
      label: quarterLabel(q.quarter),
      rows: q.rows.map((r) => [
        { text: r.providerName },
        { text: String(r.peopleCount), format: 'numeric' },
        { text: r.submitted === undefined ? 'Not submitted' : `Submitted on ${formatDayOf(r.submitted.at)}` },
        { text: r.submitted === undefined ? 'No return to compare' : r.submitted.differences === 0 ? 'None' : plural(r.submitted.differences, 'difference', 'differences') },
        { text: r.missingCount === 0 ? 'Nobody' : plural(r.missingCount, 'person', 'people') },
        {
          html: link(
            paths.isfReturns.review({ quarterStartsOn: q.quarter.startsOn, providerId: r.providerId }),
            r.submitted === undefined ? 'See who is missing' : 'See the return',
            `from ${r.providerName} for ${quarterLabel(q.quarter)}`,
          ),
        },
      ]),
    })),
  };
}

/** Finance: one return compared with the ledger, person by person, and who is missing. */
export function reviewModel(view: ReviewView) {
  const end = endLabel(view.quarter);
  return {
    title: `ISF return for ${quarterLabel(view.quarter)}`,
    heading: `${view.providerName}: return for ${quarterLabel(view.quarter)}`,
    backHref: paths.isfReturns.overview(),
    submittedText:
      view.submitted === undefined
        ? `${view.providerName} has not submitted a return for this quarter.`
        : `Submitted on ${formatDayOf(view.submitted.at)} by ${view.submitted.byName}.`,
    differencesText:
      view.submitted === undefined ? undefined : view.differences === 0 ? 'Every balance matches the ledger.' : `${plural(view.differences, 'balance differs', 'balances differ')} from the ledger.`,
    head: [
      { text: 'Person' },
      { text: 'Spent, as returned', format: 'numeric' },
      { text: 'Spending on the ledger in the quarter', format: 'numeric' },
      { text: `Balance at ${end}, as returned`, format: 'numeric' },
      { text: `Ledger balance at ${end}`, format: 'numeric' },
      { text: 'Difference' },
    ],
    rows: view.lines.map((l) => [
      { html: `${escapeHtml(l.person.name)}<br><span class="govuk-body-s">${escapeHtml(l.person.reference)}</span>` },
      { text: formatPence(l.spentPence), format: 'numeric', classes: 'app-nowrap' },
      {
        html: `${escapeHtml(formatPence(l.ledgerSpentPence))}${l.spent.flagged ? `<br><span class="govuk-body-s">Returned spending is ${escapeHtml(l.spent.words)}</span>` : ''}`,
        format: 'numeric',
      },
      { text: formatPence(l.balancePence), format: 'numeric', classes: 'app-nowrap' },
      { text: formatPence(l.ledgerBalancePence), format: 'numeric', classes: 'app-nowrap' },
      { html: l.balance.flagged ? `<strong>Differs:</strong> ${escapeHtml(l.balance.words)}` : escapeHtml(l.balance.words) },
    ]),
    missingRows: view.missing.map((m) => [{ text: m.name }, { text: m.reference, classes: 'app-nowrap' }]),
    hasReturn: view.submitted !== undefined,
  };
}
