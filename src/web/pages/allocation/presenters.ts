/**
 * View models for a person's indicative budget, the questionnaire, and exceptional cases. Every
 * figure and sentence is worked out here (money only through formatPence), so the templates only
 * lay things out. The explanation itself comes from the shared explanationModel.
 */
import type { Actor } from '../../../domain/access/policy.ts';
import type { ExceptionalCaseRecord, ResultRecord } from '../../../db/repositories/allocation.ts';
import type { AllocationOverview, PersonHeader, QuestionnaireView, ResultView } from '../../../services/allocation.ts';
import { formatPence } from '../../../domain/money/money.ts';
import type { AllocationPdfInput } from '../../documents/allocation-pdf.ts';
import { escapeHtml, formatDate, formatDayOf } from '../../format.ts';
import { londonDate } from '../../../clock.ts';
import { paths } from '../../paths.ts';
import { explanationModel } from '../allocation-models/presenters.ts';
import type { DecisionValues, ExceptionRequestValues, FieldError } from './form.ts';
import { LONG_REASON_MAX } from './form.ts';

/** "20 November 2026", the day in London. */
const day = formatDayOf;
/** '2026-11-20', the day in London. */
const isoDay = londonDate;

export const INDICATIVE_NOTICE = 'This is an indicative budget: an estimate to plan with, not yet a decision.';

type Row = { key: { text: string }; value: { text: string } | { html: string }; actions?: unknown };
const row = (key: string, value: string): Row => ({ key: { text: key }, value: { text: value } });

/** Text with its line breaks kept, safe to put in HTML. */
const paragraphs = (text: string): string => escapeHtml(text).replace(/\r?\n/g, '<br>');

/** "Completed with the family by Jo Smith on 3 March 2026", "Completed by the family on …". */
function completedText(view: ResultView): string {
  const { assessment } = view;
  const on = assessment.submittedAt === null ? '' : ` on ${day(assessment.submittedAt)}`;
  if (assessment.completedWith === 'family') return `Completed by the family${on}`;
  return `Completed with the family by ${assessment.submittedByName ?? assessment.startedByName}${on}`;
}

function modelText(view: ResultView): string {
  const published = view.model.publishedOn === null ? '' : `, published on ${formatDate(view.model.publishedOn)}`;
  return `${view.model.model.name}, version ${view.model.version}${published}`;
}

// ---- Exceptional cases ---------------------------------------------------------------------------

const STATUS_TAGS = {
  pending: { text: 'Waiting for a decision', classes: 'govuk-tag--blue' },
  agreed: { text: 'Agreed', classes: 'govuk-tag--green' },
  refused: { text: 'Refused', classes: 'govuk-tag--red' },
} as const;

export function triggerText(trigger: ExceptionalCaseRecord['trigger']): string {
  return trigger === 'cap' ? 'Cap reached' : 'Worker’s request';
}

/** Where one request stands, as summary list rows: what was asked, by whom, and the decision. */
function requestRows(request: ExceptionalCaseRecord): Row[] {
  const rows: Row[] = [
    row('Why it was asked for', triggerText(request.trigger)),
    { key: { text: 'Reasons given' }, value: { html: paragraphs(request.reason) } },
  ];
  if (request.requestedPence !== null) rows.push(row('Amount asked for', `${formatPence(request.requestedPence)} a year`));
  rows.push(row('Asked', request.trigger === 'cap' ? `Automatically, on ${day(request.requestedAt)}` : `By ${request.requestedByName} on ${day(request.requestedAt)}`));
  if (request.status !== 'pending') {
    if (request.agreedPence !== null) rows.push(row('Amount agreed', `${formatPence(request.agreedPence)} a year`));
    if (request.decisionReason !== null) rows.push({ key: { text: 'Reasons for the decision' }, value: { html: paragraphs(request.decisionReason) } });
    rows.push(row('Decided', `${request.decidedByName === null ? '' : `By ${request.decidedByName} `}on ${request.decidedAt === null ? 'an unknown date' : day(request.decidedAt)}`));
  }
  return rows;
}

function requestView(request: ExceptionalCaseRecord) {
  return { tag: STATUS_TAGS[request.status], rows: requestRows(request) };
}

/** The latest agreed amount for a result, if the panel agreed one. */
function agreedFor(view: ResultView): ExceptionalCaseRecord | undefined {
  return view.requests.find((r) => r.resultId === view.record.id && r.status === 'agreed' && r.agreedPence !== null);
}

// ---- The person's indicative budget page -------------------------------------------------------

function historyItems(history: readonly ResultRecord[], personId: string, shownId: string | undefined) {
  return history.map((r, index) => ({
    text: `${day(r.scoredAt)}: ${formatPence(r.totalPence)} a year (model version ${r.modelVersion})${index === 0 ? ', the latest' : ''}`,
    href: paths.allocation.person({ personId }, index === 0 ? undefined : { result: r.id }),
    shown: r.id === shownId,
  }));
}

function resultModel(view: ResultView, personId: string, actor: Actor, latest: boolean, mayRequestException: boolean) {
  const { result } = view;
  const agreed = agreedFor(view);
  const range = `It is likely to be between ${formatPence(result.totals.rangeLowPence)} and ${formatPence(result.totals.rangeHighPence)} a year.`;
  const requests = view.requests.filter((r) => r.resultId === view.record.id);
  const pending = requests.some((r) => r.status === 'pending');
  return {
    panelTitle: `${formatPence(agreed?.agreedPence ?? result.totals.indicativePence)} a year`,
    panelText: agreed === undefined ? 'Indicative budget' : 'Indicative budget agreed by the exceptional cases panel',
    rangeText: agreed === undefined ? range : `The allocation model gave ${formatPence(result.totals.indicativePence)} a year. The exceptional cases panel agreed ${formatPence(agreed.agreedPence ?? 0n)} a year instead.`,
    explanation: explanationModel(result),
    aboutRows: [
      row('Worked out on', day(view.record.scoredAt)),
      row('Allocation model', modelText(view)),
      row('Questionnaire', completedText(view)),
      row('Age used', String(result.age)),
    ],
    requests: requests.map(requestView),
    pdfHref: paths.allocation.pdf({ personId }, latest ? undefined : { result: view.record.id }),
    publishedModelHref: paths.council.allocation({ slug: actor.councilSlug }),
    requestExceptionHref: latest && mayRequestException && !pending ? paths.allocation.requestException({ personId }) : undefined,
    latest,
  };
}

export function overviewModel(overview: AllocationOverview, actor: Actor, options: { submitted: boolean }) {
  const { person, open, shown, history } = overview;
  const personId = person.id;
  const latest = shown !== null && history[0]?.id === shown.record.id;
  const mayStart = overview.mayAssess && open === null && overview.published !== null;
  return {
    title: `Indicative budget for ${person.name}`,
    name: person.name,
    reference: person.reference,
    backHref: paths.people.show({ personId }),
    submitted: options.submitted && shown !== null,
    notice: INDICATIVE_NOTICE,
    questionnaire:
      open === null
        ? undefined
        : {
            progressText: `You have answered ${open.progress.answered} of ${open.progress.total} questions`,
            startedText: `Started on ${day(open.startedAt)} by ${open.startedByName}. Answers are saved as you go.`,
            continueHref: overview.mayAssess
              ? open.nextQuestionId === null
                ? paths.allocation.checkAnswers({ personId })
                : paths.allocation.question({ personId, questionId: open.nextQuestionId })
              : undefined,
          },
    startAction: mayStart ? paths.allocation.start({ personId }) : undefined,
    startText: shown === null ? 'Start the questionnaire' : 'Start a new questionnaire',
    noModelText:
      overview.published === null && open === null && shown === null
        ? 'The council has not published its allocation model yet, so there is no questionnaire to answer.'
        : undefined,
    noResultText: shown === null ? 'There is no indicative budget yet. It is worked out when the questionnaire is submitted.' : undefined,
    result: shown === null ? undefined : resultModel(shown, personId, actor, latest, overview.mayRequestException),
    history: history.length > 1 ? historyItems(history, personId, shown?.record.id) : [],
  };
}

// ---- One question -------------------------------------------------------------------------------

export function questionModel(
  view: QuestionnaireView,
  questionId: string,
  form: { levelId: string; returnToCheck: boolean; errors: readonly FieldError[] },
) {
  const personId = view.person.id;
  const index = view.questions.findIndex((q) => q.question.id === questionId);
  const entry = view.questions[index];
  if (entry === undefined) throw new Error(`question ${questionId} is not in the questionnaire: the controller checks first`);
  const { question, domainTitle } = entry;
  const previous = view.questions[index - 1];
  const chosen = form.levelId !== '' ? form.levelId : (view.assessment.answers[question.id] ?? '');
  return {
    // The page title names the question briefly (titles over 70 characters are cut off in tabs and results).
    title: `${question.title}: question ${index + 1} of ${view.questions.length}`,
    name: view.person.name,
    legendHtml: `<span class="govuk-caption-l">${escapeHtml(domainTitle)}</span><h1 class="govuk-fieldset__heading">${escapeHtml(question.text)}</h1>`,
    positionText: `${view.person.name}’s questionnaire: question ${index + 1} of ${view.questions.length}`,
    helpText: question.help,
    items: question.levels.map((l) => ({ value: l.id, text: l.label, hint: { text: l.guidance }, checked: l.id === chosen })),
    action: paths.allocation.question({ personId, questionId: question.id }),
    returnToCheck: form.returnToCheck,
    backHref: form.returnToCheck
      ? paths.allocation.checkAnswers({ personId })
      : previous === undefined
        ? paths.allocation.person({ personId })
        : paths.allocation.question({ personId, questionId: previous.question.id }),
    errors: form.errors,
  };
}

// ---- Check your answers ---------------------------------------------------------------------------

export function checkAnswersModel(view: QuestionnaireView, missing: readonly string[]) {
  const personId = view.person.id;
  const answers = view.assessment.answers;
  const domains: { title: string; rows: Row[] }[] = [];
  for (const { domainTitle, question } of view.questions) {
    let domain = domains.at(-1);
    if (domain?.title !== domainTitle) {
      domain = { title: domainTitle, rows: [] };
      domains.push(domain);
    }
    const level = question.levels.find((l) => l.id === answers[question.id]);
    domain.rows.push({
      key: { text: question.title },
      value: { text: level === undefined ? 'Not answered yet' : level.label },
      actions: {
        items: [
          {
            href: paths.allocation.question({ personId, questionId: question.id }, { returnTo: 'check' }),
            text: level === undefined ? 'Answer' : 'Change',
            visuallyHiddenText: question.title.toLowerCase(),
          },
        ],
      },
    });
  }
  const errorList = view.questions
    .filter(({ question }) => missing.includes(question.id))
    .map(({ question }) => ({ text: `Answer “${question.title}”`, href: paths.allocation.question({ personId, questionId: question.id }, { returnTo: 'check' }) }));
  return {
    title: 'Check the answers before submitting',
    name: view.person.name,
    reference: view.person.reference,
    progressText: `${view.progress.answered} of ${view.progress.total} questions answered`,
    domains,
    action: paths.allocation.checkAnswers({ personId }),
    backHref: paths.allocation.person({ personId }),
    errorList,
    // The layout reads `errors` to put "Error:" in the page title.
    errors: errorList.map((e) => ({ field: '', text: e.text })),
  };
}

// ---- A worker asks for an exceptional case decision ------------------------------------------------

export function exceptionRequestModel(overview: AllocationOverview, form: { values: ExceptionRequestValues; errors: readonly FieldError[] }) {
  const { person, history, shown } = overview;
  const latest = shown !== null && history[0]?.id === shown.record.id ? shown : null;
  const pending = latest?.requests.some((r) => r.resultId === latest.record.id && r.status === 'pending') === true;
  return {
    title: `Ask for an exceptional case decision for ${person.name}`,
    name: person.name,
    reference: person.reference,
    backHref: paths.allocation.person({ personId: person.id }),
    figureText: latest === null ? undefined : `${formatPence(latest.result.totals.indicativePence)} a year`,
    figureRows:
      latest === null
        ? []
        : [
            row('Indicative budget', `${formatPence(latest.result.totals.indicativePence)} a year`),
            row('Worked out on', day(latest.record.scoredAt)),
            row('Allocation model', modelText(latest)),
          ],
    noResultText: latest === null ? 'There is no indicative budget for this person yet. Complete and submit the questionnaire first.' : undefined,
    pendingText: pending ? 'A request about this indicative budget is already waiting for a decision from an approver.' : undefined,
    showForm: latest !== null && !pending,
    action: paths.allocation.requestException({ personId: person.id }),
    reasonMax: LONG_REASON_MAX.toLocaleString('en-GB'),
    values: form.values,
    errors: form.errors,
  };
}

// ---- Approvers: requests waiting for a decision ---------------------------------------------------

function ageText(from: Date, now: Date): string {
  const days = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 86_400_000));
  if (days === 0) return 'Today';
  return days === 1 ? '1 day' : `${days} days`;
}

export function exceptionListModel(requests: readonly ExceptionalCaseRecord[], now: Date) {
  return {
    title: 'Exceptional cases waiting for a decision',
    countText: requests.length === 1 ? '1 request is waiting for a decision.' : `${requests.length} requests are waiting for a decision.`,
    rows: requests.map((r) => [
      { text: r.personReference, classes: 'app-nowrap' },
      { html: `<a class="govuk-link" href="${escapeHtml(paths.allocation.exception({ requestId: r.id }))}">${escapeHtml(r.personName)}</a>` },
      { text: triggerText(r.trigger) },
      { text: formatPence(r.resultTotalPence), format: 'numeric', classes: 'app-nowrap' },
      { text: r.requestedPence === null ? 'Not given' : formatPence(r.requestedPence), format: 'numeric', classes: 'app-nowrap' },
      { text: ageText(r.requestedAt, now), format: 'numeric' },
    ]),
  };
}

// ---- Approvers: one request and the decision ------------------------------------------------------

export function exceptionDecisionModel(
  view: { request: ExceptionalCaseRecord; result: ResultView; person: PersonHeader },
  actor: Actor,
  form: { values: DecisionValues; errors: readonly FieldError[] },
) {
  const { request, result, person } = view;
  const own = request.requestedById === actor.accountId;
  const decided = request.status !== 'pending';
  return {
    title: `Exceptional case: ${person.name}`,
    name: person.name,
    reference: person.reference,
    backHref: paths.allocation.exceptions(),
    personHref: paths.allocation.person({ personId: person.id }, { result: result.record.id }),
    figureText: `${formatPence(result.result.totals.indicativePence)} a year`,
    request: requestView(request),
    explanation: explanationModel(result.result),
    aboutRows: [row('Worked out on', day(result.record.scoredAt)), row('Allocation model', modelText(result)), row('Questionnaire', completedText(result))],
    ownText: own && !decided ? 'You asked for this decision, so another approver must make it.' : undefined,
    decidedText: decided ? 'This request has been decided. The decision is above.' : undefined,
    showForm: !own && !decided,
    action: paths.allocation.exception({ requestId: request.id }),
    reasonMax: LONG_REASON_MAX.toLocaleString('en-GB'),
    values: form.values,
    errors: form.errors,
  };
}

// ---- The PDF -----------------------------------------------------------------------------------

export function pdfInput(view: { person: PersonHeader; shown: ResultView }, actor: Actor, siteUrl: string | undefined): AllocationPdfInput {
  const { person, shown } = view;
  const requests = shown.requests.filter((r) => r.resultId === shown.record.id);
  const latestRequest = requests[0];
  let exceptionalCase: AllocationPdfInput['exceptionalCase'];
  if (latestRequest !== undefined) {
    exceptionalCase =
      latestRequest.status === 'pending'
        ? { status: `Waiting for a decision from the exceptional cases panel (${triggerText(latestRequest.trigger).toLowerCase()})`, reasons: latestRequest.reason, agreedPence: null }
        : {
            status: `${latestRequest.status === 'agreed' ? 'Agreed' : 'Refused'} by the exceptional cases panel${latestRequest.decidedAt === null ? '' : ` on ${day(latestRequest.decidedAt)}`}`,
            reasons: latestRequest.decisionReason ?? '',
            agreedPence: latestRequest.agreedPence,
          };
  }
  const submittedAt = shown.assessment.submittedAt ?? shown.record.scoredAt;
  return {
    council: { name: actor.councilName, slug: actor.councilSlug },
    person: { name: person.name, reference: person.reference, dateOfBirth: person.dateOfBirth },
    model: { name: shown.model.model.name, version: shown.model.version, publishedOn: shown.model.publishedOn ?? isoDay(shown.model.createdAt) },
    submitted: {
      on: isoDay(submittedAt),
      by: shown.assessment.completedWith === 'family' ? 'by the family' : `with the family by ${shown.assessment.submittedByName ?? shown.assessment.startedByName}`,
    },
    status: 'Indicative budget — not yet a decision',
    result: shown.result,
    ...(exceptionalCase === undefined ? {} : { exceptionalCase }),
    ...(siteUrl === undefined ? {} : { siteUrl }),
  };
}

/** "indicative-budget-NORTHAM-123-2026-11-20.pdf": a file name that says what it is. */
export function pdfFileName(view: { person: PersonHeader; shown: ResultView }): string {
  const reference = view.person.reference.replace(/[^A-Za-z0-9-]/g, '');
  return `indicative-budget-${reference}-${isoDay(view.shown.record.scoredAt)}.pdf`;
}

