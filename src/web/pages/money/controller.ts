/**
 * Money (issue 6): one page that leads finance to what they do — payment runs, monitoring, recoveries,
 * ISF returns, budget totals — and an approver to recoveries waiting, an administrator to the
 * council's money settings. It shows only the links the signed-in person may use.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services/index.ts';
import { mayDo, type Action, type Actor } from '../../../domain/access/policy.ts';
import { paths } from '../../paths.ts';
import { actorOf } from '../../request.ts';

interface MoneyLink {
  readonly action: Action;
  readonly href: string;
  readonly text: string;
  readonly hint: string;
}

const LINKS: readonly MoneyLink[] = [
  { action: 'payments:run', href: paths.payments.runs(), text: 'Payment runs', hint: 'Pay the direct payments that are due: preview a run, have it authorised, download the payment file and remittances.' },
  { action: 'monitoring:list', href: paths.monitoring.financeList(), text: 'Direct payment monitoring', hint: 'People whose spending needs a look: categories the council does not allow, missing returns and surplus.' },
  { action: 'recovery:decide', href: paths.monitoring.waiting(), text: 'Recoveries waiting for a decision', hint: 'Approve or cancel a proposal to recover surplus. You cannot decide on your own proposal.' },
  { action: 'isf:review-returns', href: paths.isfReturns.overview(), text: 'Individual service fund returns', hint: 'Providers’ quarterly returns, and where they differ from the ledger.' },
  { action: 'money:finance-view', href: paths.statements.financeTotals(), text: 'Budget totals', hint: 'Allocated, paid, spent and held, per funding stream and way of managing the money.' },
  { action: 'money-settings:manage', href: paths.monitoring.settings(), text: 'Money settings', hint: 'How often direct payments are paid, the second authoriser threshold, surplus, year-end rollover and categories not allowed.' },
];

/** The money pages this person may use; none means the Money page is not for them. */
export function moneyLinksFor(actor: Actor): readonly MoneyLink[] {
  return LINKS.filter((link) => mayDo(actor, link.action));
}

export function moneyPages(app: FastifyInstance, _services: Services): void {
  app.get(paths.money(), { config: { access: 'money:hub', audit: null } }, async (request, reply) => {
    return reply.page('pages/money/index.njk', { title: 'Money', links: moneyLinksFor(actorOf(request)) });
  });
}
