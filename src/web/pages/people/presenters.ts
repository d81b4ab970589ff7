/** View models for the people pages: everything a template shows is worked out here. */
import type { AccessLog } from '../../../services/people.ts';
import type { RecordAccess } from '../../../db/repositories/audit.ts';
import type { Actor } from '../../../domain/access/policy.ts';
import { roleLabel } from '../../../domain/access/roles.ts';
import { recordActionLabel } from '../../../domain/audit/actions.ts';
import { londonDateTime } from '../../../services/mail/wording.ts';
import { formatPence, sumPence } from '../../../domain/money/money.ts';
import {
  CASE_TYPE_LABELS,
  JOURNEY_STAGES,
  MANAGEMENT_LABELS,
  PRIMARY_NEED_LABELS,
  ageOn,
  stageLabel,
} from '../../../domain/people/people.ts';
import type { PersonRecord } from '../../../db/repositories/people.ts';
import type { PeoplePage } from '../../../services/people.ts';
import { paths } from '../../paths.ts';
import { paginationOf } from '../../pagination.ts';
import { escapeHtml, formatDate } from '../../format.ts';

export function peopleListModel(page: PeoplePage, filters: { q: string; stage: string; mine: boolean }, today: string) {
  const totalAll = [...page.stageCounts.values()].reduce((a, b) => a + b, 0);
  return {
    title: 'People',
    filters,
    stageItems: [
      { value: '', text: `All stages (${totalAll})`, selected: filters.stage === '' },
      ...JOURNEY_STAGES.map((s) => ({
        value: s.stage,
        text: `${s.label} (${page.stageCounts.get(s.stage) ?? 0})`,
        selected: filters.stage === s.stage,
      })),
    ],
    resultText: `${page.total} ${page.total === 1 ? 'person' : 'people'}`,
    rows: page.people.map((p) => [
      { html: `<a class="govuk-link" href="${paths.people.show({ personId: p.id })}">${escapeHtml(`${p.givenName} ${p.familyName}`)}</a>` },
      { text: p.reference, classes: 'app-nowrap' },
      { text: String(ageOn(p.dateOfBirth, today)), format: 'numeric' },
      { text: CASE_TYPE_LABELS[p.caseType] },
      { text: stageLabel(p.stage) },
      { text: formatDate(p.stageSince) },
      { text: p.leadWorkerName ?? 'Not allocated' },
    ]),
    pagination: paginationOf(page.page, page.pageCount, (n) => paths.people.index({ q: filters.q, stage: filters.stage, mine: filters.mine, page: n })),
  };
}

export function personModel(person: PersonRecord, today: string) {
  const name = `${person.givenName} ${person.familyName}`;
  const total = sumPence(person.budgetLines.map((l) => l.annualPence));
  const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
  return {
    title: name,
    name,
    reference: person.reference,
    restricted: person.restricted,
    stage: stageLabel(person.stage),
    details: [
      row('Reference', person.reference),
      row('Date of birth', `${formatDate(person.dateOfBirth)} (age ${ageOn(person.dateOfBirth, today)})`),
      row('Postcode', person.postcode),
      row('Type of support', CASE_TYPE_LABELS[person.caseType]),
      row('Primary need', person.primaryNeed ? `${PRIMARY_NEED_LABELS[person.primaryNeed]} (${person.primaryNeed})` : 'Not recorded'),
      row('Needs', person.needsSummary),
      row('School, college or setting', person.setting ?? 'None'),
      row('Lead worker', person.leadWorkerName ?? 'Not allocated'),
    ],
    journey: [
      row('Stage', stageLabel(person.stage)),
      row('At this stage since', formatDate(person.stageSince)),
      row('Request received', formatDate(person.requestDate)),
      row('Indicative budget', person.indicativeBudgetPence === null ? 'Not worked out yet' : `${formatPence(person.indicativeBudgetPence)} a year`),
      row('Current package', person.currentPackagePence === null ? 'None' : `${formatPence(person.currentPackagePence)} a year`),
    ],
    budgetRows: person.budgetLines.map((l) => [
      { text: l.description },
      { text: l.fundingStreamName },
      { text: MANAGEMENT_LABELS[l.management] },
      { text: formatPence(l.annualPence), format: 'numeric', classes: 'app-nowrap' },
    ]),
    budgetTotal: formatPence(total),
    indicativeBudgetText:
      person.indicativeBudgetPence === null
        ? 'No indicative budget has been worked out yet. It comes from a short questionnaire about the support needed.'
        : `The indicative budget is ${formatPence(person.indicativeBudgetPence)} a year: an estimate to plan with, not yet a decision.`,
    hasBudget: person.budgetLines.length > 0,
    backHref: paths.people.index(),
  };
}


/** "Who has looked at my record": by role, organisation and date, never by a member of staff's name. */
export function whoHasLookedModel(log: AccessLog, viewer: Actor, backHref: string) {
  const name = `${log.person.givenName} ${log.person.familyName}`;
  const who = (a: RecordAccess): string => {
    if (a.actorId !== null && a.actorId === viewer.accountId) return 'You';
    if (a.actorRole === null) return 'OneBudget (automatic)';
    return roleLabel(a.actorRole);
  };
  const where = (a: RecordAccess): string => {
    if (a.actorRole === 'family') return 'Family';
    if (a.actorRole === 'provider') return a.actorProvider ?? 'A provider';
    if (a.actorRole === 'api_client') return `${viewer.councilName} (a computer system)`;
    return a.actorTeam === null ? viewer.councilName : `${viewer.councilName}, ${a.actorTeam}`;
  };
  return {
    title: `Who has looked at ${name}’s record`,
    name,
    givenName: log.person.givenName,
    councilName: viewer.councilName,
    count: log.accesses.length,
    truncated: log.truncated,
    rows: log.accesses.map((a) => [{ text: londonDateTime(a.occurredAt) }, { text: who(a) }, { text: where(a) }, { text: recordActionLabel(a.action) }]),
    backHref,
  };
}
