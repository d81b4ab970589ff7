/**
 * View models for calibration and what-if (issue 4): test groups and their calibration report,
 * impact runs of a draft model, and the overrides report. Every figure and sentence is worked out
 * here (money only through formatPence, never a float), so the templates only lay things out.
 * People appear by reference only: these pages are about the model, not about anyone's record.
 */
import { stringify } from 'csv-stringify/sync';
import { TEST_GROUP_CSV_COLUMNS, MAX_TEST_GROUP_ERRORS, testGroupCsvHeader, type FitResult, type StreamCalibration } from '../../../domain/allocation/calibration.ts';
import type { ImpactReport } from '../../../domain/allocation/impact.ts';
import type { StreamCode } from '../../../domain/allocation/model.ts';
import { formatPence, type Pence } from '../../../domain/money/money.ts';
import type { CalibrationView, ImpactRunView } from '../../../services/allocation-analysis.ts';
import type { CalibrationGroupRecord } from '../../../db/repositories/allocation.ts';
import { histogramChart, scatterChart } from '../../charts/svg.ts';
import { escapeHtml, formatDayOf, formatWhen } from '../../format.ts';
import { paths } from '../../paths.ts';
import { envelopeField, type CalibrationQuery, type FieldError, type UploadValues } from './form.ts';

/** The most people a chart, its table, or a list of people on these pages shows; figures and totals always use everyone. */
export const MAX_PEOPLE_SHOWN = 1_000;


/** "20 November 2026 at 10:00", in London. */
const count = (n: number) => n.toLocaleString('en-GB');
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;
/** "+12.5%", "−3.0%", "0.0%". */
const signedPercent = (value: number) => {
  const rounded = Math.round(value * 10) / 10;
  const text = Math.abs(rounded).toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return rounded > 0 ? `+${text}%` : rounded < 0 ? `−${text}%` : `${text}%`;
};
/** A difference in money with its sign: "+£120.00", "−£40.00", "£0.00". */
const signedPence = (pence: Pence) => (pence > 0n ? `+${formatPence(pence)}` : formatPence(pence));
const numeric = (text: string) => ({ text, format: 'numeric', classes: 'app-nowrap' });

type SummaryRow = { key: { text: string }; value: { text: string } | { html: string } };
const summaryRow = (key: string, value: string): SummaryRow => ({ key: { text: key }, value: { text: value } });

/** Links between the pages of calibration and what-if, for the foot of each. */
function relatedLinks() {
  return [
    { href: paths.allocation.calibration(), text: 'Calibration test groups' },
    { href: paths.allocation.impact(), text: 'Try a draft model against current assessments' },
    { href: paths.allocation.overrides(), text: 'Overrides for recalibration' },
  ];
}

// ---- Test groups ---------------------------------------------------------------------------------

export function calibrationListModel(groups: readonly Omit<CalibrationGroupRecord, 'rows'>[], values: UploadValues, errors: readonly FieldError[]) {
  const fileErrorCount = errors.filter((e) => e.field === 'testGroupFile').length;
  const fileErrorText =
    fileErrorCount <= 1
      ? errors.find((e) => e.field === 'testGroupFile')?.text
      : `The file has ${fileErrorCount >= MAX_TEST_GROUP_ERRORS ? `at least ${count(fileErrorCount)}` : count(fileErrorCount)} problems, listed at the top of the page. Correct them and choose the file again`;
  return {
    title: 'Calibration test groups',
    errors,
    errorsCapped: fileErrorCount >= MAX_TEST_GROUP_ERRORS,
    maxErrors: MAX_TEST_GROUP_ERRORS,
    nameError: errors.find((e) => e.field === 'name')?.text,
    fileError: fileErrorText,
    values,
    action: paths.allocation.calibration(),
    pointsTemplateHref: paths.allocation.calibrationTemplate(),
    answersTemplateHref: paths.allocation.calibrationTemplate({ input: 'answers' }),
    columnRows: TEST_GROUP_CSV_COLUMNS.map((c) => [{ html: `<code>${escapeHtml(c.name)}</code>` }, { text: c.required }, { text: c.description }]),
    groupRows: groups.map((g) => [
      { html: `<a class="govuk-link" href="${escapeHtml(paths.allocation.calibrationGroup({ groupId: g.id }))}">${escapeHtml(g.name)}</a>` },
      numeric(count(g.rowCount)),
      { text: `${formatWhen(g.uploadedAt)}${g.uploadedByName === null ? '' : ` by ${g.uploadedByName}`}` },
    ]),
    related: relatedLinks().filter((l) => l.href !== paths.allocation.calibration()),
  };
}

/** A blank test group file: the header row only, for the published model's streams. */
export function testGroupTemplate(streams: readonly StreamCode[], input: 'points' | 'answers'): string {
  return stringify([testGroupCsvHeader(streams, input)]);
}

// ---- One test group's calibration ------------------------------------------------------------------

function fitRows(fit: FitResult, withIntercept: boolean): SummaryRow[] {
  if (!fit.ok) return [summaryRow('Not fitted', fit.reason)];
  return [
    summaryRow('Price per point', formatPence(fit.pricePerPointPence)),
    ...(withIntercept ? [summaryRow('Intercept (added to everyone)', formatPence(fit.interceptPence))] : []),
    summaryRow('R² (how much of the difference in cost the points explain)', fit.rSquared === null ? 'Not available: everyone’s current cost is the same' : fit.rSquared.toFixed(3)),
    summaryRow(
      'Median absolute percentage error',
      fit.medianAbsolutePercentError === null ? 'Not available: nobody has a current cost above £0' : `${(Math.round(fit.medianAbsolutePercentError * 10) / 10).toFixed(1)}%`,
    ),
    summaryRow('People fitted', count(fit.rows)),
  ];
}

function basisText(stream: StreamCalibration, view: CalibrationView): string {
  switch (stream.allocationBasis) {
    case 'model':
      return `Allocations are what version ${view.version?.version ?? ''} of the model gives for each person’s answers at their age.`;
    case 'fitted-price':
      return stream.fits.throughOrigin.ok
        ? `Allocations are each person’s points × the price per point fitted through the origin, ${formatPence(stream.fits.throughOrigin.pricePerPointPence)}.`
        : '';
    case 'none':
      return 'No allocations can be worked out for this stream: no price per point could be fitted.';
  }
}

function headroomText(pence: Pence | null): string {
  if (pence === null) return 'No envelope given';
  return pence < 0n ? `${formatPence(-pence)} over the envelope` : `${formatPence(pence)} left`;
}

function streamModel(stream: StreamCalibration, view: CalibrationView) {
  const people = view.points[stream.stream] ?? [];
  const shown = people.slice(0, MAX_PEOPLE_SHOWN);
  const origin = stream.fits.throughOrigin;
  const pounds = (pence: Pence) => Number(pence) / 100; // for drawing only: every figure shown is formatPence
  const chartSvg = scatterChart({
    id: `scatter-${stream.stream}`,
    title: `${stream.label}: current cost against points`,
    description:
      `${plural(shown.length, 'person', 'people')} of the test group, each a dot at their points and current annual cost. ` +
      (origin.ok ? `The dashed line is the price per point fitted through the origin, ${formatPence(origin.pricePerPointPence)} a point. ` : 'No line is drawn: no price could be fitted. ') +
      'The table after the chart gives the same figures.',
    xLabel: 'Points',
    yLabel: 'Current annual cost',
    points: shown.map((p) => ({ x: p.points, y: pounds(p.currentPence), label: p.reference })),
    ...(origin.ok ? { line: { slope: pounds(origin.pricePerPointPence), intercept: 0 } } : {}),
    formatY: (value) => `£${value.toLocaleString('en-GB', { maximumFractionDigits: 2 })}`,
  });
  const percent = (difference: Pence, current: Pence) => (current === 0n ? 'No current cost' : signedPercent((Number(difference) / Number(current)) * 100));
  return {
    id: stream.stream,
    label: stream.label,
    peopleText: `${plural(stream.people, 'person', 'people')} with points in ${stream.label.toLowerCase()}.`,
    basisText: basisText(stream, view),
    originRows: fitRows(stream.fits.throughOrigin, false),
    interceptRows: fitRows(stream.fits.withIntercept, true),
    chartSvg,
    chartCaption: `${stream.label}: each person’s points, current cost and allocation`,
    chartRows: shown.map((p) => {
      const difference = p.allocationPence === null ? null : p.allocationPence - p.currentPence;
      return [
        { text: p.reference },
        numeric(count(p.points)),
        numeric(formatPence(p.currentPence)),
        numeric(p.allocationPence === null ? 'None' : formatPence(p.allocationPence)),
        numeric(difference === null ? '' : signedPence(difference)),
        numeric(difference === null ? '' : percent(difference, p.currentPence)),
      ];
    }),
    chartShownText: people.length > shown.length ? `The chart and table show the first ${count(shown.length)} of ${count(people.length)} people in the file. The fits and totals use everyone.` : undefined,
    noChartPeople: people.length === 0,
    outliersHeading:
      stream.allocationBasis === 'none'
        ? undefined
        : stream.outliers.length === 0
          ? `Nobody’s allocation is more than ${view.report.tolerancePercent}% from their current cost`
          : `${plural(stream.outliers.length, 'person’s allocation is', 'people’s allocations are')} more than ${view.report.tolerancePercent}% from their current cost`,
    outlierRows: stream.outliers.slice(0, MAX_PEOPLE_SHOWN).map((o) => [
      { text: o.reference },
      numeric(count(o.points)),
      numeric(o.hasCurrentPackage ? formatPence(o.currentPence) : 'No current package'),
      numeric(formatPence(o.allocationPence)),
      numeric(signedPence(o.differencePence)),
      numeric(o.percent === null ? 'No current cost' : signedPercent(o.percent)),
    ]),
    outliersShownText: stream.outliers.length > MAX_PEOPLE_SHOWN ? `The table shows the ${count(MAX_PEOPLE_SHOWN)} largest differences.` : undefined,
  };
}

export function calibrationGroupModel(view: CalibrationView, query: CalibrationQuery, errors: readonly FieldError[]) {
  const { report } = view;
  const streams = report.streams.map((s) => streamModel(s, view));
  const allocationText = (pence: Pence | null) => (pence === null ? 'None' : formatPence(pence));
  const differenceText = (pence: Pence | null) => (pence === null ? '' : signedPence(pence));
  const totalsRows = [
    ...report.streams.map((s) => [
      { text: s.label },
      numeric(formatPence(s.currentPence)),
      numeric(allocationText(s.allocationPence)),
      numeric(differenceText(s.allocationMinusCurrentPence)),
      numeric(s.envelopePence === null ? 'Not given' : formatPence(s.envelopePence)),
      numeric(headroomText(s.headroomPence)),
    ]),
    ...(report.streams.length > 1
      ? [
          [
            { text: 'All streams', classes: 'govuk-!-font-weight-bold' },
            numeric(formatPence(report.totals.currentPence)),
            numeric(allocationText(report.totals.allocationPence)),
            numeric(report.totals.allocationPence === null ? '' : signedPence(report.totals.allocationPence - report.totals.currentPence)),
            numeric(report.totals.envelopePence === null ? 'Not given for every stream' : formatPence(report.totals.envelopePence)),
            numeric(report.totals.envelopePence === null ? '' : headroomText(report.totals.headroomPence)),
          ],
        ]
      : []),
  ];
  const versionLabel = (v: { version: number; status: string }) => `Version ${v.version} (${v.status})`;
  const chosenVersion = query.values.version !== '' ? query.values.version : view.version === null ? '' : String(view.version.version);
  return {
    title: `Calibration: ${view.group.name}`,
    errors,
    showReport: errors.length === 0,
    groupName: view.group.name,
    groupText: `${plural(view.group.rowCount, 'person', 'people')}, uploaded ${formatWhen(view.group.uploadedAt)}${view.group.uploadedByName === null ? '' : ` by ${view.group.uploadedByName}`}.`,
    backHref: paths.allocation.calibration(),
    action: paths.allocation.calibrationGroup({ groupId: view.group.id }),
    byAnswers: view.byAnswers,
    scoredText:
      view.byAnswers && view.version !== null
        ? `The test group gives answers: they are scored under version ${view.version.version} of the model (${view.version.status}), “${view.version.name}”.`
        : view.byAnswers
          ? 'The test group gives answers, but the council has no model version to score them under.'
          : 'The test group gives points, so each person’s allocation is their points × the price per point fitted through the origin.',
    versionItems: view.byAnswers ? view.versions.map((v) => ({ value: String(v.version), text: versionLabel(v), selected: String(v.version) === chosenVersion })) : [],
    versionError: errors.find((e) => e.field === 'version')?.text,
    tolerance: query.values.tolerance === '' ? String(query.options.tolerancePercent) : query.values.tolerance,
    toleranceError: errors.find((e) => e.field === 'tolerance')?.text,
    envelopeInputs: report.streams.map((s) => ({
      id: envelopeField(s.stream),
      label: `${s.label} (optional)`,
      value: query.values.envelopes[s.stream] ?? '',
      error: errors.find((e) => e.field === envelopeField(s.stream))?.text,
    })),
    unknownAnswersText:
      view.unknownAnswers > 0
        ? `${plural(view.unknownAnswers, 'question was', 'questions were')} asked at a person’s age but had no answer the model recognises (not answered, or a level the model does not have). ${view.unknownAnswers === 1 ? 'It counts' : 'They count'} as 0 points: check the answers column against version ${view.version?.version ?? ''}’s questionnaire.`
        : undefined,
    tolerancePercent: report.tolerancePercent,
    streams,
    totalsRows,
    related: relatedLinks(),
  };
}

// ---- Impact runs ------------------------------------------------------------------------------------

function statusTag(run: ImpactRunView): { text: string; classes: string } {
  switch (run.status) {
    case 'queued':
      return { text: 'Waiting to start', classes: 'govuk-tag--grey' };
    case 'running':
      return { text: 'Running', classes: 'govuk-tag--blue' };
    case 'finished':
      return { text: 'Finished', classes: 'govuk-tag--green' };
    case 'failed':
      return { text: 'Failed', classes: 'govuk-tag--red' };
  }
}

const runTitle = (run: ImpactRunView) =>
  `Draft version ${run.draftVersion} against ${run.publishedVersion === null ? 'no published version' : `published version ${run.publishedVersion}`}`;

/** "3,000 of 10,000 assessments scored". */
function progressText(run: ImpactRunView): string {
  if (run.status === 'queued' || (run.total === 0 && run.status === 'running')) return 'Not started yet';
  return `${count(run.done)} of ${plural(run.total, 'assessment', 'assessments')} scored`;
}

export function impactListModel(runs: readonly ImpactRunView[], errors: readonly FieldError[]) {
  return {
    title: 'Try a draft model against current assessments',
    errors,
    startError: errors.find((e) => e.field === 'start')?.text,
    action: paths.allocation.impact(),
    runRows: runs.map((run) => {
      const tag = statusTag(run);
      return [
        { html: `<a class="govuk-link" href="${escapeHtml(paths.allocation.impactRun({ runId: run.id }))}">${escapeHtml(runTitle(run))}</a>` },
        { html: `<strong class="govuk-tag ${tag.classes}">${escapeHtml(tag.text)}</strong>` },
        { text: progressText(run) },
        { text: `${formatWhen(run.startedAt)}${run.startedByName === null ? '' : ` by ${run.startedByName}`}` },
      ];
    }),
    related: relatedLinks().filter((l) => l.href !== paths.allocation.impact()),
  };
}

function reportModel(report: ImpactReport) {
  const streamRow = (label: string, s: { publishedPence: Pence; draftPence: Pence; draftFirstYearPence: Pence; differencePence: Pence; firstYearDifferencePence: Pence }, bold = false) => [
    { text: label, ...(bold ? { classes: 'govuk-!-font-weight-bold' } : {}) },
    numeric(formatPence(s.publishedPence)),
    numeric(formatPence(s.draftPence)),
    numeric(signedPence(s.differencePence)),
    numeric(formatPence(s.draftFirstYearPence)),
    numeric(signedPence(s.firstYearDifferencePence)),
  ];
  const histogramDescription =
    `How many of the ${plural(report.people, 'person', 'people')} would get more or less under the draft than under the published model, by the change in their total. ` +
    'The table after the chart gives the same figures.';
  const tp = report.transitionalProtection;
  return {
    peopleText: `${plural(report.people, 'current assessment was', 'current assessments were')} scored under both models.`,
    streamRows: [...report.streams.map((s) => streamRow(s.label, s)), ...(report.streams.length > 1 ? [streamRow('All streams', report.totals, true)] : [])],
    changeRows: [
      summaryRow('Would get more', plural(report.increases, 'person', 'people')),
      summaryRow('Would get less', plural(report.decreases, 'person', 'people')),
      summaryRow('No change', plural(report.unchanged, 'person', 'people')),
    ],
    histogramSvg: histogramChart({
      id: 'impact-histogram',
      title: 'Change in each person’s total budget, draft against published',
      description: histogramDescription,
      bars: report.histogram.map((b) => ({ label: b.label, count: b.count })),
    }),
    histogramRows: report.histogram.map((b) => [{ text: b.label }, numeric(count(b.count))]),
    largestRows: report.largestChanges.map((c) => [
      { text: c.reference },
      numeric(formatPence(c.publishedPence)),
      numeric(formatPence(c.draftPence)),
      numeric(signedPence(c.differencePence)),
      numeric(c.percent === null ? 'New budget' : signedPercent(c.percent)),
    ]),
    largestCaption:
      report.largestChanges.length === 1 ? 'The only change in a person’s total' : `The ${count(report.largestChanges.length)} largest changes in a person’s total, largest first`,
    protectionRows: [
      summaryRow('People whose first-year budget is limited', plural(tp.peopleLimited, 'person', 'people')),
      summaryRow('Net effect in the first year', signedPence(tp.addedPence)),
      summaryRow('Added to budgets that would go down', formatPence(tp.raisedPence)),
      summaryRow('Held back from budgets that would go up', formatPence(tp.heldBackPence < 0n ? -tp.heldBackPence : tp.heldBackPence)),
    ],
    missingText:
      report.missingAnswers.assessments > 0
        ? `${plural(report.missingAnswers.assessments, 'assessment has', 'assessments have')} no answer to ${plural(report.missingAnswers.questions, 'question', 'questions')} in the draft (new questions, or changed answer levels). They count as 0 points, so these people’s draft figures may be too low until they are asked again.`
        : undefined,
  };
}

export function impactRunModel(run: ImpactRunView) {
  const tag = statusTag(run);
  const inProgress = run.status === 'queued' || run.status === 'running';
  const percent = run.total > 0 ? Math.floor((run.done / run.total) * 100) : 0;
  return {
    title: runTitle(run),
    backHref: paths.allocation.impact(),
    refreshHref: paths.allocation.impactRun({ runId: run.id }),
    tag,
    inProgress,
    failed: run.status === 'failed',
    error: run.error ?? 'The run stopped without saying why.',
    progressText: `${progressText(run)}${inProgress && run.total > 0 ? ` (${percent}%)` : ''}`,
    progress: inProgress && run.total > 0 ? { value: run.done, max: run.total, text: `${percent}%` } : undefined,
    detailRows: [
      summaryRow('Draft', `Version ${run.draftVersion}`),
      summaryRow('Compared with', run.publishedVersion === null ? 'No published version: every published figure is £0' : `Published version ${run.publishedVersion}`),
      summaryRow('Started', `${formatWhen(run.startedAt)}${run.startedByName === null ? '' : ` by ${run.startedByName}`}`),
      ...(run.finishedAt === null ? [] : [summaryRow(run.status === 'failed' ? 'Stopped' : 'Finished', formatWhen(run.finishedAt))]),
    ],
    report: run.status === 'finished' && run.report !== null ? reportModel(run.report) : undefined,
    related: relatedLinks(),
  };
}

// ---- Overrides ----------------------------------------------------------------------------------

export interface OverrideRow {
  readonly reference: string;
  readonly trigger: 'cap' | 'worker';
  readonly status: string;
  readonly indicativePence: Pence;
  readonly agreedPence: Pence | null;
  readonly decidedAt: Date | null;
  readonly reason: string;
}

export function overridesModel(rows: readonly OverrideRow[]) {
  const agreed = rows.filter((r) => r.status === 'agreed' && r.agreedPence !== null);
  const above = agreed.reduce((sum, r) => sum + ((r.agreedPence as Pence) - r.indicativePence), 0n);
  return {
    title: 'Overrides for recalibration',
    countText: `${plural(rows.length, 'exceptional case has', 'exceptional cases have')} been decided: ${count(agreed.length)} agreed, ${count(rows.length - agreed.length)} refused.`,
    aboveText: agreed.length === 0 ? undefined : `Agreed amounts are ${above < 0n ? `${formatPence(-above)} below` : `${formatPence(above)} above`} what the model gave, in total a year.`,
    rows: rows.map((r) => {
      const difference = r.agreedPence === null ? null : r.agreedPence - r.indicativePence;
      return [
        { text: r.reference },
        { text: r.trigger === 'cap' ? 'Above the cap' : 'Worker asked' },
        { text: r.status === 'agreed' ? 'Agreed' : r.status === 'refused' ? 'Refused' : r.status },
        numeric(formatPence(r.indicativePence)),
        numeric(r.agreedPence === null ? 'None' : formatPence(r.agreedPence)),
        numeric(difference === null ? '' : signedPence(difference)),
        { text: r.decidedAt === null ? '' : formatDayOf(r.decidedAt), classes: 'app-nowrap' },
        { text: r.reason },
      ];
    }),
    related: relatedLinks().filter((l) => l.href !== paths.allocation.overrides()),
  };
}
