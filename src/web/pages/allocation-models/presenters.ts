/**
 * View models for the allocation model pages (administrators) and the public allocation page. Pure:
 * every figure is formatted here (formatPence), so the templates only lay things out.
 *
 * Two of these are shared with other pages and keep stable signatures:
 *  - explanationModel(result) with the partial explanation.njk (`allocationExplanation`);
 *  - modelTablesModel(model) with the partial model-tables.njk (`allocationModelTables`).
 */
import { formatPence, formatPenceShort, type Pence } from '../../../domain/money/money.ts';
import { bandRangeWords, differenceWords, pointsWord, signedPence } from '../../../domain/allocation/explain.ts';
import {
  STREAM_LABELS,
  allQuestions,
  levelPoints,
  modelStreams,
  type AllocationModel,
  type Conversion,
  type Question,
  type RoundingRule,
  type StreamCode,
  type TransitionRule,
} from '../../../domain/allocation/model.ts';
import type { ModelStatus } from '../../../domain/allocation/lifecycle.ts';
import type { ModelVersionView } from '../../../services/allocation.ts';
import { escapeHtml, formatDate, formatWhen } from '../../format.ts';
import { paths } from '../../paths.ts';
import { capField, currentField, minimumField, priceField, questionField, type FieldError, type PreviewValues, type PricesFormValues } from './form.ts';
import type { AllocationResult, ExplanationLine, StreamResult } from '../../../domain/allocation/score.ts';

// ---- The explanation of an indicative budget ---------------------------------------------------

export interface ExplanationLineView {
  /** "Getting out and about — Lots of support: 21 points", "64 points × £42.50 = £2,720.00", … */
  readonly text: string;
  /** "21 points" for an answer; the money the step adds, "£2,720.00" or signed "−£272.00", for the others. */
  readonly amount: string;
  /** A subtotal or total row (shown in bold). */
  readonly total: boolean;
}

export interface ExplanationStreamView {
  /** The stream's plain name, "Social care". */
  readonly heading: string;
  /** One sentence: "Social care: £2,081.00 a year, between … (plus or minus 10%)." */
  readonly summary: string;
  /** "64 points" */
  readonly pointsText: string;
  /** The indicative budget of the stream, "£2,081.00". */
  readonly amountText: string;
  /** "between £1,872.90 and £2,289.10 (plus or minus 10%)" */
  readonly rangeText: string;
  /** The answers' points, the total points, then each step of the arithmetic, then the indicative budget. */
  readonly lines: readonly ExplanationLineView[];
  /** "Band: Lots of support (29 to 40 points), £7,500.00 a year", when the stream converts by bands. */
  readonly bandText?: string;
  /** The comparison with the current package and the transition rule, when a current package was given. */
  readonly transitionText?: string;
  /** The figure reached the cap: the exceptional cases panel decides the amount. */
  readonly capped: boolean;
}

export interface ExplanationView {
  readonly modelName: string;
  /** "8" */
  readonly age: string;
  readonly streams: readonly ExplanationStreamView[];
  /** Total indicative budget, "£9,581.00". */
  readonly totalText: string;
  readonly totalRangeText: string;
  /** Only when a current package was given for every stream. */
  readonly currentText?: string;
  /** "£120.00 more than", "£300.00 less than", "the same as": reads before "the current package". */
  readonly differenceText?: string;
  /** The total before adjustments, "£10,220.00". */
  readonly beforeAdjustmentsText: string;
  readonly exceptionalCaseRequired: boolean;
  /** The notice when a stream reached its cap, naming the streams. */
  readonly exceptionalText?: string;
  /** Summary list rows of the totals (key/value text only). */
  readonly totalsRows: readonly { readonly key: { readonly text: string }; readonly value: { readonly text: string } }[];
}

function lineView(line: ExplanationLine): ExplanationLineView {
  if (line.kind === 'answer') return { text: line.text, amount: pointsWord(line.points), total: false };
  return { text: line.text, amount: line.kind === 'conversion' ? formatPence(line.amountPence) : signedPence(line.amountPence), total: false };
}

function rangeOf(low: Pence, high: Pence, amount: Pence): string {
  return low === high ? `exactly ${formatPence(amount)}` : `between ${formatPence(low)} and ${formatPence(high)}`;
}

function streamView(stream: StreamResult, heading: string): ExplanationStreamView {
  const answers = stream.lines.filter((l) => l.kind === 'answer').map(lineView);
  const money = stream.lines.filter((l) => l.kind !== 'answer').map(lineView);
  return {
    heading,
    summary: stream.summary,
    pointsText: pointsWord(stream.points),
    amountText: formatPence(stream.indicativePence),
    rangeText: rangeOf(stream.rangeLowPence, stream.rangeHighPence, stream.indicativePence),
    lines: [
      ...answers,
      { text: 'Total points', amount: pointsWord(stream.points), total: true },
      ...money,
      { text: stream.transition?.limited ? 'Indicative budget for the first year' : 'Indicative budget', amount: formatPence(stream.indicativePence), total: true },
    ],
    ...(stream.band === null
      ? {}
      : { bandText: `Band: ${stream.band.name} (${bandRangeWords(stream.band)}), ${formatPence(stream.band.annualPence)} a year` }),
    ...(stream.transition === null ? {} : { transitionText: stream.transition.text }),
    capped: stream.capped,
  };
}

/** The whole explanation of a result, ready for the `allocationExplanation` macro of explanation.njk. */
export function explanationModel(result: AllocationResult): ExplanationView {
  const streams = result.streams.map((s) => streamView(s, STREAM_LABELS[s.stream]));
  const { totals } = result;
  const totalText = formatPence(totals.indicativePence);
  const totalRangeText = rangeOf(totals.rangeLowPence, totals.rangeHighPence, totals.indicativePence);
  const capped = streams.filter((s) => s.capped).map((s) => s.heading);
  const rows = [
    { key: { text: 'Age' }, value: { text: `${result.age}` } },
    ...streams.map((s) => ({ key: { text: s.heading }, value: { text: `${s.amountText} a year (${s.pointsText})` } })),
    { key: { text: 'Total indicative budget' }, value: { text: `${totalText} a year` } },
    { key: { text: 'Range' }, value: { text: totalRangeText } },
    ...(totals.currentPence === null
      ? []
      : [
          { key: { text: 'Current package' }, value: { text: `${formatPence(totals.currentPence)} a year` } },
          {
            key: { text: 'Difference' },
            value: {
              text:
                totals.afterAdjustmentsPence === totals.indicativePence
                  ? `The new budget is ${differenceWords(totals.differencePence ?? 0n)} the current package (${signedPence(totals.differencePence ?? 0n)})`
                  : `Before transitional protection, the new budget of ${formatPence(totals.afterAdjustmentsPence)} is ${differenceWords(totals.differencePence ?? 0n)} the current package (${signedPence(totals.differencePence ?? 0n)})`,
            },
          },
        ]),
  ];
  return {
    modelName: result.modelName,
    age: String(result.age),
    streams,
    totalText,
    totalRangeText,
    ...(totals.currentPence === null ? {} : { currentText: formatPence(totals.currentPence), differenceText: differenceWords(totals.differencePence ?? 0n) }),
    beforeAdjustmentsText: formatPence(totals.beforeAdjustmentsPence),
    exceptionalCaseRequired: result.exceptionalCaseRequired,
    ...(result.exceptionalCaseRequired
      ? {
          exceptionalText: `The budget for ${capped.join(' and ').toLowerCase() || 'a stream'} reached the cap of the allocation model. The exceptional cases panel decides the amount: the figure shown is the cap, not a limit on the support agreed.`,
        }
      : {}),
    totalsRows: rows,
  };
}

// ---- The readable model: questionnaire, conversions and adjustments -----------------------------

type Cell = { readonly text: string; readonly format?: 'numeric' } | { readonly html: string; readonly format?: 'numeric' };
type Row = { readonly key: { readonly text: string }; readonly value: { readonly text: string } | { readonly html: string } };

export interface ModelTablesQuestionView {
  readonly title: string;
  readonly text: string;
  readonly help?: string;
  /** "Asked at every age", "Asked from age 2 to 25", … */
  readonly ageText: string;
  readonly head: readonly Cell[];
  readonly rows: readonly (readonly Cell[])[];
}

export interface ModelTablesStreamView {
  readonly heading: string;
  /** "£42.50 for each point" or "By band: the total points fall in a band, and the band gives the amount". */
  readonly conversionText: string;
  /** The band table, for a stream converted by bands. */
  readonly bands?: { readonly head: readonly Cell[]; readonly rows: readonly (readonly Cell[])[] };
  /** Every adjustment, in the order they are applied. */
  readonly adjustmentRows: readonly Row[];
}

export interface ModelTablesView {
  readonly name: string;
  readonly description?: string;
  readonly domains: readonly { readonly title: string; readonly questions: readonly ModelTablesQuestionView[] }[];
  readonly streams: readonly ModelTablesStreamView[];
  /** "Education, Social care and Health" */
  readonly streamNames: string;
}

function ageWords(question: Question): string {
  const from = question.appliesFromAge;
  const to = question.appliesToAge;
  if (from === undefined && to === undefined) return 'Asked at every age';
  if (from !== undefined && to !== undefined) return `Asked from age ${from} to ${to}`;
  if (from !== undefined) return `Asked from age ${from}`;
  return `Asked up to age ${to}`;
}

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function questionView(question: Question, streams: readonly StreamCode[]): ModelTablesQuestionView {
  const uniform = streams.length === 1 || question.levels.every((l) => typeof l.points === 'number');
  const pointColumns: Cell[] = uniform
    ? [{ text: streams.length > 1 ? 'Points (every stream)' : 'Points', format: 'numeric' }]
    : streams.map((s) => ({ text: `${STREAM_LABELS[s]} points`, format: 'numeric' as const }));
  return {
    title: question.title,
    text: question.text,
    ...(question.help === undefined ? {} : { help: question.help }),
    ageText: ageWords(question),
    head: [{ text: 'Answer' }, ...pointColumns, { text: 'What it means' }],
    rows: question.levels.map((level) => [
      { text: level.label },
      ...(uniform
        ? [{ text: String(levelPoints(level, streams[0] ?? 'social_care')), format: 'numeric' as const }]
        : streams.map((s) => ({ text: String(levelPoints(level, s)), format: 'numeric' as const }))),
      { text: level.guidance },
    ]),
  };
}

function roundingWords(rule: RoundingRule): string {
  const unit = formatPenceShort(rule.unitPence);
  if (rule.mode === 'nearest') return `Rounded to the nearest ${unit} (halves go up)`;
  if (rule.mode === 'up') return `Rounded up to the next ${unit}`;
  return `Rounded down to the ${unit} below`;
}

function transitionWords(rule: TransitionRule): string {
  return rule.appliesTo === 'decreases'
    ? `For someone who already has a package, a reduction in the first year is limited to ${rule.maxChangePercentFirstYear}% of their current package. Increases apply in full.`
    : `For someone who already has a package, a change either way in the first year is limited to ${rule.maxChangePercentFirstYear}% of their current package.`;
}

function htmlList(items: readonly string[]): { html: string } {
  return { html: `<ul class="govuk-list">${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>` };
}

function streamTablesView(model: AllocationModel, stream: StreamCode, conversion: Conversion): ModelTablesStreamView {
  const questions = allQuestions(model);
  const rows: Row[] = [];
  const conversionText =
    conversion.kind === 'price-per-point'
      ? `${formatPence(conversion.pricePerPointPence)} for each point`
      : 'By band: the total points fall in one band of the table, and the band gives the annual amount';
  rows.push({ key: { text: 'Points to money' }, value: { text: conversionText } });
  rows.push({
    key: { text: 'Age reduction' },
    value:
      conversion.ageReductions.length === 0
        ? { text: 'None' }
        : htmlList(conversion.ageReductions.map((r) => `Age ${r.fromAge} to ${r.toAge}: ${r.percent}% less. ${r.reason}`)),
  });
  const informal = conversion.informalSupport;
  if (informal === null) {
    rows.push({ key: { text: 'Deduction for unpaid help' }, value: { text: 'None' } });
  } else {
    const question = questions.find((q) => q.id === informal.questionId);
    const levelLabel = (id: string) => question?.levels.find((l) => l.id === id)?.label ?? id;
    rows.push({
      key: { text: 'Deduction for unpaid help' },
      value: htmlList([
        `Depends on the answer to "${question?.title ?? informal.questionId}":`,
        ...informal.deductions.map((d) => `${levelLabel(d.levelId)}: ${d.percent}% less`),
      ]),
    });
  }
  rows.push({ key: { text: 'Rounding' }, value: { text: conversion.rounding === null ? 'None: the figure is kept to the penny' : roundingWords(conversion.rounding) } });
  rows.push({
    key: { text: 'Minimum budget' },
    value: { text: conversion.minimumPence === null ? 'None' : `${formatPence(conversion.minimumPence)} a year: a budget above £0 is raised to at least this` },
  });
  rows.push({
    key: { text: 'Cap' },
    value: {
      text:
        conversion.capPence === null
          ? 'None'
          : `${formatPence(conversion.capPence)} a year: a budget above this is capped, and the exceptional cases panel decides the amount`,
    },
  });
  rows.push({
    key: { text: 'Indicative range' },
    value: { text: conversion.rangePercent === 0 ? 'None: the figure is given exactly' : `The figure plus or minus ${conversion.rangePercent}%` },
  });
  rows.push({ key: { text: 'Transition rule' }, value: { text: conversion.transition === null ? 'None' : transitionWords(conversion.transition) } });
  return {
    heading: STREAM_LABELS[stream],
    conversionText,
    ...(conversion.kind === 'bands'
      ? {
          bands: {
            head: [{ text: 'Band' }, { text: 'Total points' }, { text: 'Annual amount', format: 'numeric' as const }],
            rows: conversion.bands.map((b) => [{ text: b.name }, { text: bandRangeWords(b) }, { text: formatPence(b.annualPence), format: 'numeric' as const }]),
          },
        }
      : {}),
    adjustmentRows: rows,
  };
}

/** The readable model, for the `allocationModelTables` macro of model-tables.njk (administrators and the public page). */
export function modelTablesModel(model: AllocationModel): ModelTablesView {
  const streams = modelStreams(model);
  return {
    name: model.name,
    ...(model.description === undefined ? {} : { description: model.description }),
    domains: model.questionnaire.domains.map((d) => ({ title: d.title, questions: d.questions.map((q) => questionView(q, streams)) })),
    streams: streams.map((s) => streamTablesView(model, s, model.conversions[s] as Conversion)),
    streamNames: listWords(streams.map((s) => STREAM_LABELS[s])),
  };
}

// ---- The administrators' pages ------------------------------------------------------------------

const STATUS_TAGS: Readonly<Record<ModelStatus, { readonly text: string; readonly classes: string }>> = {
  draft: { text: 'Draft', classes: 'govuk-tag--yellow' },
  published: { text: 'Published', classes: 'govuk-tag--green' },
  retired: { text: 'Retired', classes: 'govuk-tag--grey' },
};

function tagHtml(status: ModelStatus): string {
  const tag = STATUS_TAGS[status];
  return `<strong class="govuk-tag ${tag.classes}">${tag.text}</strong>`;
}

/** The success banner after an action, named in the address (`?done=…`). */
export type Done = 'started' | 'saved' | 'published';

export function doneOf(value: unknown): Done | undefined {
  return value === 'started' || value === 'saved' || value === 'published' ? value : undefined;
}

function doneText(done: Done | undefined, version: number): string | undefined {
  if (done === 'started') return `Version ${version} is a new draft. Change it, preview it with sample answers, then publish it.`;
  if (done === 'saved') return `Your changes to version ${version} are saved.`;
  if (done === 'published') return `Version ${version} is published. It is the model in force from today, and it can no longer be changed.`;
  return undefined;
}

/** The draft among the versions, if any, and the version a new draft would copy by default. */
function draftAndBase(versions: readonly ModelVersionView[]) {
  const draft = versions.find((v) => v.status === 'draft');
  const published = versions.find((v) => v.status === 'published');
  const latest = versions.reduce<ModelVersionView | undefined>((a, v) => (a === undefined || v.version > a.version ? v : a), undefined);
  return { draft, published, base: published ?? latest };
}

export function listModel(versions: readonly ModelVersionView[], councilSlug: string, errors: readonly FieldError[] = []) {
  const { draft, published, base } = draftAndBase(versions);
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  return {
    title: 'Allocation models',
    errors,
    newDraftAction: paths.allocation.newDraft(),
    draft: draft === undefined ? undefined : { version: draft.version, href: paths.allocation.model({ version: draft.version }) },
    copyOf: draft === undefined && base !== undefined ? base.version : undefined,
    publishedText:
      published === undefined
        ? 'No version is published yet: families and staff cannot be given an indicative budget until one is.'
        : `Version ${published.version} is in force, published on ${formatDate(published.publishedOn ?? '')}.`,
    schemaHref: paths.allocation.modelSchema(),
    impactHref: paths.allocation.impact(),
    calibrationHref: paths.allocation.calibration(),
    overridesHref: paths.allocation.overrides(),
    publicHref: paths.council.allocation({ slug: councilSlug }),
    rows: sorted.map((v) => [
      { html: `<a class="govuk-link" href="${escapeHtml(paths.allocation.model({ version: v.version }))}">Version ${v.version}</a>` },
      { text: v.model.name },
      { html: tagHtml(v.status) },
      { text: v.publishedOn === null ? '' : formatDate(v.publishedOn) },
      { text: v.retiredOn === null ? '' : formatDate(v.retiredOn) },
      { text: `${formatWhen(v.updatedAt)}${v.updatedByName ? ` by ${v.updatedByName}` : ''}` },
    ]),
  };
}

export function versionModel(view: ModelVersionView, versions: readonly ModelVersionView[], done: Done | undefined, councilSlug: string) {
  const { draft } = draftAndBase(versions);
  const isDraft = view.status === 'draft';
  const rows: Row[] = [
    { key: { text: 'Version' }, value: { text: String(view.version) } },
    { key: { text: 'Name' }, value: { text: view.model.name } },
    { key: { text: 'Status' }, value: { html: tagHtml(view.status) } },
    ...(view.publishedOn === null ? [] : [{ key: { text: 'Published on' }, value: { text: formatDate(view.publishedOn) } }]),
    ...(view.publishedByName === null ? [] : [{ key: { text: 'Published by' }, value: { text: view.publishedByName } }]),
    ...(view.retiredOn === null ? [] : [{ key: { text: 'Retired on' }, value: { text: formatDate(view.retiredOn) } }]),
    { key: { text: 'Last changed' }, value: { text: `${formatWhen(view.updatedAt)}${view.updatedByName ? ` by ${view.updatedByName}` : ''}` } },
    { key: { text: 'Started' }, value: { text: formatWhen(view.createdAt) } },
  ];
  return {
    title: `Allocation model version ${view.version}`,
    version: view.version,
    name: view.model.name,
    description: view.model.description,
    isDraft,
    doneText: doneText(done, view.version),
    rows,
    backHref: paths.allocation.models(),
    editHref: paths.allocation.editModel({ version: view.version }),
    previewHref: paths.allocation.preview({ version: view.version }),
    publishHref: paths.allocation.publish({ version: view.version }),
    exportHref: paths.allocation.exportModel({ version: view.version }),
    publicHref: view.status === 'published' ? paths.council.allocation({ slug: councilSlug }) : undefined,
    newDraftAction: paths.allocation.newDraft(),
    /** A new draft can be started from this version only when there is no draft. */
    mayCopy: draft === undefined,
    draftHref: draft === undefined || draft.version === view.version ? undefined : paths.allocation.model({ version: draft.version }),
    draftVersion: draft?.version,
    tables: modelTablesModel(view.model),
  };
}

/** The page for a version that is not a draft, when someone tries to change it. */
export function notDraftModel(view: ModelVersionView) {
  return {
    title: `Version ${view.version} cannot be changed`,
    text: `Version ${view.version} is ${view.status} and cannot be changed. Start a new draft instead.`,
    heading: `Version ${view.version} is ${view.status} and cannot be changed`,
    versionHref: paths.allocation.model({ version: view.version }),
    newDraftAction: paths.allocation.newDraft(),
    version: view.version,
  };
}

export interface EditState {
  /** The JSON text shown in the textarea: the model as stored, or exactly what was sent. */
  readonly source: string;
  readonly jsonErrors: readonly FieldError[];
  readonly prices: PricesFormValues;
  readonly priceErrors: readonly FieldError[];
}

export function editModel(view: ModelVersionView, state: EditState) {
  const streams = modelStreams(view.model);
  const errors = [...state.jsonErrors, ...state.priceErrors];
  const firstFor = (field: string) => errors.find((e) => e.field === field)?.text;
  const jsonCount = state.jsonErrors.filter((e) => e.field === 'json').length;
  return {
    title: `Change version ${view.version}`,
    version: view.version,
    errors,
    backHref: paths.allocation.model({ version: view.version }),
    action: paths.allocation.editModel({ version: view.version }),
    schemaHref: paths.allocation.modelSchema(),
    source: state.source,
    jsonError: jsonCount === 0 ? undefined : jsonCount === 1 ? firstFor('json') : `The model has ${jsonCount} problems, listed at the top of the page. Nothing was saved.`,
    fileError: firstFor('modelFile'),
    pricesError: firstFor('prices'),
    priceStreams: streams.map((stream) => {
      const conversion = view.model.conversions[stream] as Conversion;
      const label = STREAM_LABELS[stream];
      const field = (name: string, labelText: string, hint: string) => ({
        id: name,
        name,
        label: labelText,
        hint,
        value: state.prices[name] ?? '',
        error: firstFor(name),
      });
      return {
        heading: label,
        fields: [
          ...(conversion.kind === 'price-per-point' ? [field(priceField(stream), 'Price per point', 'In pounds and pence, for example 42.50')] : []),
          field(minimumField(stream), 'Minimum budget a year (optional)', 'A budget above £0 is raised to at least this. Leave empty for no minimum.'),
          field(capField(stream), 'Cap a year (optional)', 'A budget above this is capped and goes to the exceptional cases panel. Leave empty for no cap.'),
        ],
        bandsNote: conversion.kind === 'bands' ? 'This stream converts points by a band table: change the bands in the JSON above.' : undefined,
      };
    }),
  };
}

export function previewModel(view: ModelVersionView, values: PreviewValues, errors: readonly FieldError[], result: AllocationResult | undefined) {
  const firstFor = (field: string) => errors.find((e) => e.field === field)?.text;
  return {
    title: `Preview version ${view.version}`,
    version: view.version,
    errors,
    backHref: paths.allocation.model({ version: view.version }),
    action: paths.allocation.preview({ version: view.version }),
    age: { value: values.age, error: firstFor('age') },
    domains: view.model.questionnaire.domains.map((d) => ({
      title: d.title,
      questions: d.questions.map((q) => ({
        name: questionField(q.id),
        legend: q.text,
        hint: [q.title, ageWords(q), q.help].filter((t) => t !== undefined).join('. '),
        error: firstFor(questionField(q.id)),
        items: q.levels.map((l) => ({ value: l.id, text: l.label, hint: { text: l.guidance }, checked: values.answers[q.id] === l.id })),
      })),
    })),
    currentFields: modelStreams(view.model).map((stream) => ({
      id: currentField(stream),
      name: currentField(stream),
      label: `Current ${STREAM_LABELS[stream].toLowerCase()} package a year (optional)`,
      value: values.current[stream] ?? '',
      error: firstFor(currentField(stream)),
    })),
    explanation: result === undefined ? undefined : explanationModel(result),
  };
}

export function publishModel(view: ModelVersionView, versions: readonly ModelVersionView[], reason: string, errors: readonly FieldError[]) {
  const { published } = draftAndBase(versions);
  return {
    title: `Publish version ${view.version}`,
    version: view.version,
    isDraft: view.status === 'draft',
    status: view.status,
    heading: `Publish version ${view.version}?`,
    replacesText:
      published === undefined
        ? `It is the first published version: from today it gives every new indicative budget. A published version can never be changed.`
        : `It replaces version ${published.version} from today. A published version can never be changed.`,
    reason,
    errors,
    reasonError: errors.find((e) => e.field === 'reason')?.text,
    otherErrors: errors.filter((e) => e.field !== 'reason'),
    action: paths.allocation.publish({ version: view.version }),
    backHref: paths.allocation.model({ version: view.version }),
    previewHref: paths.allocation.preview({ version: view.version }),
  };
}
