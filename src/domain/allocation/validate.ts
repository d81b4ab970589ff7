/**
 * Checking allocation models and answers. Untrusted JSON becomes an AllocationModel, or a list of
 * problems, each naming the exact place (`conversions.social_care.bands[2].fromPoints`) in plain English.
 *
 * Two passes: the shape, against the JSON Schema in schema.ts (read here by a small interpreter of
 * the keywords that schema uses, so the messages are ours and the schema stays the one source); then,
 * only when the shape is right, the rules a schema cannot say: bands contiguous from 0 with no gaps
 * or overlaps and the last open-ended, amounts not falling from band to band, ids unique, age ranges
 * the right way round and not overlapping, per-stream points for exactly the converted streams, the
 * informal-support question and levels existing, the minimum not above the cap.
 */
import type { Pence } from '../money/money.ts';
import {
  STREAM_CODES,
  allQuestions,
  modelStreams,
  questionApplies,
  type AllocationModel,
  type AnswerLevel,
  type Answers,
  type Conversion,
  type Question,
  type StreamCode,
} from './model.ts';
import { MAX_AGE, MAX_PENCE, RAS_MODEL_SCHEMA, type ModelJson } from './schema.ts';

export interface ValidationError {
  /** Where: `questionnaire.domains[0].questions[2].levels[1].points`; '' for the whole document. */
  readonly path: string;
  readonly message: string;
}

export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly ValidationError[] };

/** "path: message" lines, for logs and for administrators uploading a model. */
export function formatErrors(errors: readonly ValidationError[]): string {
  return errors.map((e) => (e.path === '' ? e.message : `${e.path}: ${e.message}`)).join('\n');
}

type PathPart = string | number;

export function formatPath(parts: readonly PathPart[]): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Shape: a small interpreter for the JSON Schema keywords schema.ts uses.

interface SchemaNode {
  readonly type?: string;
  readonly const?: unknown;
  readonly anyOf?: readonly SchemaNode[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly minProperties?: number;
  readonly items?: SchemaNode;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
}

const ID_PATTERN = '^[a-z0-9][a-z0-9_-]*$';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(node: SchemaNode, value: unknown): boolean {
  if (node.const !== undefined) return value === node.const;
  const actual = jsonType(value);
  if (node.type === 'integer') return actual === 'integer' || actual === 'number';
  return node.type === actual;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'text',
  object: 'an object',
  array: 'a list',
  null: 'null',
  boolean: 'true or false',
};

function describeType(node: SchemaNode): string {
  if (node.const !== undefined) return JSON.stringify(node.const);
  return TYPE_WORDS[node.type ?? ''] ?? 'a value';
}

function orList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function andList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function checkNode(node: SchemaNode, value: unknown, path: PathPart[], errors: ValidationError[]): void {
  const at = formatPath(path);
  if (node.anyOf !== undefined) {
    checkAnyOf(node.anyOf, value, path, errors);
    return;
  }
  if (node.const !== undefined) {
    if (value !== node.const) errors.push({ path: at, message: `Must be ${JSON.stringify(node.const)}.` });
    return;
  }
  switch (node.type) {
    case 'object':
      checkObject(node, value, path, errors);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        errors.push({ path: at, message: `Must be a list, not ${describeValue(value)}.` });
        return;
      }
      if (node.minItems !== undefined && value.length < node.minItems) {
        errors.push({ path: at, message: node.minItems === 1 ? 'Must not be empty.' : `Must have at least ${node.minItems} items.` });
      }
      if (node.maxItems !== undefined && value.length > node.maxItems) errors.push({ path: at, message: `Must have at most ${node.maxItems} items.` });
      if (node.items !== undefined) value.forEach((item, i) => checkNode(node.items as SchemaNode, item, [...path, i], errors));
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        errors.push({ path: at, message: `Must be a whole number, not ${describeValue(value)}.` });
      } else if (!Number.isInteger(value)) {
        errors.push({ path: at, message: `Must be a whole number, not ${value}.` });
      } else if (node.minimum !== undefined && value < node.minimum) {
        errors.push({ path: at, message: node.minimum === 0 ? `Must not be negative (it is ${value}).` : `Must be at least ${node.minimum} (it is ${value}).` });
      } else if (node.maximum !== undefined && value > node.maximum) {
        errors.push({ path: at, message: `Must be at most ${node.maximum} (it is ${value}).` });
      }
      return;
    case 'string':
      if (typeof value !== 'string') {
        errors.push({ path: at, message: `Must be text, not ${describeValue(value)}.` });
      } else if (node.minLength !== undefined && value.length < node.minLength) {
        errors.push({ path: at, message: 'Must not be empty.' });
      } else if (node.maxLength !== undefined && value.length > node.maxLength) {
        errors.push({ path: at, message: `Must be at most ${node.maxLength} characters (it is ${value.length}).` });
      } else if (node.pattern !== undefined && !new RegExp(node.pattern, 'u').test(value)) {
        errors.push({
          path: at,
          message:
            node.pattern === ID_PATTERN
              ? `"${value}" is not a valid id: use lower-case letters, digits, hyphens and underscores, starting with a letter or digit.`
              : `"${value}" is not in the right format.`,
        });
      }
      return;
    case 'null':
      if (value !== null) errors.push({ path: at, message: `Must be null, not ${describeValue(value)}.` });
      return;
    default:
      throw new Error(`schema keyword not supported by the interpreter: type ${String(node.type)}`);
  }
}

function checkAnyOf(branches: readonly SchemaNode[], value: unknown, path: PathPart[], errors: ValidationError[]): void {
  const at = formatPath(path);
  // An enumeration of constants.
  if (branches.every((b) => b.const !== undefined)) {
    if (!branches.some((b) => b.const === value)) {
      errors.push({ path: at, message: `Must be ${orList(branches.map((b) => JSON.stringify(b.const)))}, not ${describeValue(value)}.` });
    }
    return;
  }
  // Objects told apart by their "kind".
  const kinds = branches.map((b) => b.properties?.['kind']?.const);
  if (kinds.every((k) => typeof k === 'string')) {
    const words = orList(kinds.map((k) => JSON.stringify(k)));
    if (!isPlainObject(value)) {
      errors.push({ path: at, message: `Must be an object, not ${describeValue(value)}.` });
      return;
    }
    const branch = branches.find((b) => b.properties?.['kind']?.const === value['kind']);
    if (branch === undefined) {
      errors.push({
        path: formatPath([...path, 'kind']),
        message: value['kind'] === undefined ? `Missing: say which kind of conversion, ${words}.` : `Must be ${words}, not ${describeValue(value['kind'])}.`,
      });
      return;
    }
    checkNode(branch, value, path, errors);
    return;
  }
  // Otherwise the branch of the value's JSON type.
  const branch = branches.find((b) => typeMatches(b, value));
  if (branch === undefined) {
    errors.push({ path: at, message: `Must be ${orList(branches.map(describeType))}, not ${describeValue(value)}.` });
    return;
  }
  checkNode(branch, value, path, errors);
}

function checkObject(node: SchemaNode, value: unknown, path: PathPart[], errors: ValidationError[]): void {
  if (!isPlainObject(value)) {
    errors.push({ path: formatPath(path), message: `Must be an object, not ${describeValue(value)}.` });
    return;
  }
  const properties = node.properties ?? {};
  const known = Object.keys(properties);
  for (const key of node.required ?? []) {
    if (!Object.hasOwn(value, key)) errors.push({ path: formatPath([...path, key]), message: 'Missing: this field is required.' });
  }
  for (const key of Object.keys(value)) {
    // Own properties only: a field named "__proto__" or "constructor" is unknown, not inherited.
    const child = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (child !== undefined) {
      checkNode(child, value[key], [...path, key], errors);
    } else if (node.additionalProperties === false) {
      errors.push({ path: formatPath([...path, key]), message: `Unknown field "${key}". The fields allowed here are ${andList(known.filter((k) => k !== '$schema'))}.` });
    }
  }
  if (node.minProperties !== undefined && Object.keys(value).length < node.minProperties) {
    errors.push({ path: formatPath(path), message: `Must have at least one of ${orList(known)}.` });
  }
}

function describeValue(value: unknown): string {
  switch (jsonType(value)) {
    case 'null':
      return 'null';
    case 'array':
      return 'a list';
    case 'object':
      return 'an object';
    case 'string':
      return JSON.stringify(value);
    case 'undefined':
      return 'nothing';
    case 'integer':
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      return `a ${typeof value}`;
  }
}

/** The shape errors alone: empty exactly when the JSON matches docs/ras-model.schema.json. */
export function checkModelShape(json: unknown): ValidationError[] {
  const errors: ValidationError[] = [];
  checkNode(RAS_MODEL_SCHEMA as SchemaNode, json, [], errors);
  return errors;
}

// ---------------------------------------------------------------------------------------------
// The rules beyond the shape.

type ConversionJson = ModelJson['conversions'][StreamCode] & object;

function checkModelRules(json: ModelJson): ValidationError[] {
  const errors: ValidationError[] = [];
  const err = (path: PathPart[], message: string) => errors.push({ path: formatPath(path), message });
  const streams = STREAM_CODES.filter((s) => json.conversions[s] !== undefined);

  // Questionnaire: unique ids, sane age ranges, per-stream points for exactly the converted streams.
  const domainIds = new Map<string, number>();
  const questionIds = new Map<string, PathPart[]>();
  json.questionnaire.domains.forEach((domain, d) => {
    const domainPath = ['questionnaire', 'domains', d];
    const firstDomain = domainIds.get(domain.id);
    if (firstDomain !== undefined) err([...domainPath, 'id'], `The domain id "${domain.id}" is already used by questionnaire.domains[${firstDomain}]; each domain needs its own id.`);
    else domainIds.set(domain.id, d);
    domain.questions.forEach((question, q) => {
      const questionPath = [...domainPath, 'questions', q];
      const firstQuestion = questionIds.get(question.id);
      if (firstQuestion !== undefined) err([...questionPath, 'id'], `The question id "${question.id}" is already used by ${formatPath(firstQuestion)}; each question needs its own id.`);
      else questionIds.set(question.id, questionPath);
      if (question.appliesFromAge !== undefined && question.appliesToAge !== undefined && question.appliesFromAge > question.appliesToAge) {
        err([...questionPath, 'appliesToAge'], `The question applies from age ${question.appliesFromAge}, so it cannot stop applying at age ${question.appliesToAge}.`);
      }
      const levelIds = new Map<string, number>();
      question.levels.forEach((level, l) => {
        const levelPath = [...questionPath, 'levels', l];
        const firstLevel = levelIds.get(level.id);
        if (firstLevel !== undefined) err([...levelPath, 'id'], `The level id "${level.id}" is already used by level ${firstLevel} of this question; each level needs its own id.`);
        else levelIds.set(level.id, l);
        if (typeof level.points !== 'number') {
          const given = level.points;
          for (const stream of streams) {
            if (given[stream] === undefined) err([...levelPath, 'points', stream], `Missing: the model converts ${stream}, so give this level's points for it too.`);
          }
          for (const stream of STREAM_CODES) {
            if (given[stream] !== undefined && !streams.includes(stream)) {
              err([...levelPath, 'points', stream], `There is no conversion for ${stream} in this model; remove these points or add conversions.${stream}.`);
            }
          }
        }
      });
    });
  });

  for (const stream of streams) {
    checkConversionRules(json.conversions[stream] as ConversionJson, ['conversions', stream], json, err);
  }
  return errors;
}

function checkConversionRules(conversion: ConversionJson, path: PathPart[], json: ModelJson, err: (path: PathPart[], message: string) => void): void {
  if (conversion.kind === 'bands') {
    conversion.bands.forEach((band, i) => {
      const bandPath = [...path, 'bands', i];
      const last = i === conversion.bands.length - 1;
      const before = conversion.bands[i - 1];
      if (before === undefined) {
        if (band.fromPoints !== 0) err([...bandPath, 'fromPoints'], `The first band must start at 0 points, not ${band.fromPoints}, so that every points total has a band.`);
      } else if (before.toPoints !== null) {
        const expected = before.toPoints + 1;
        if (band.fromPoints > expected) {
          const gap = expected === band.fromPoints - 1 ? `${expected} points is` : `${expected} to ${band.fromPoints - 1} points are`;
          err([...bandPath, 'fromPoints'], `There is a gap: the band before ends at ${before.toPoints} points and this one starts at ${band.fromPoints}, so ${gap} in no band. Start this band at ${expected}.`);
        } else if (band.fromPoints < expected) {
          err([...bandPath, 'fromPoints'], `This band overlaps the one before, which ends at ${before.toPoints} points. Start this band at ${expected}.`);
        }
        if (band.annualPence < before.annualPence) {
          err([...bandPath, 'annualPence'], `A band must not be worth less than the band before (${before.annualPence} pence), or more points could mean less money.`);
        }
      }
      if (last) {
        if (band.toPoints !== null) err([...bandPath, 'toPoints'], `The last band must be open-ended (toPoints null), so that every points total above ${band.toPoints} has a band.`);
      } else if (band.toPoints === null) {
        err([...bandPath, 'toPoints'], 'Only the last band can be open-ended (toPoints null); give the last points total in this band.');
      } else if (band.toPoints < band.fromPoints) {
        err([...bandPath, 'toPoints'], `The band ends (${band.toPoints} points) before it starts (${band.fromPoints} points).`);
      }
    });
  }

  const ages = conversion.ageReductions ?? [];
  ages.forEach((reduction, i) => {
    const agePath = [...path, 'ageReductions', i];
    if (reduction.fromAge > reduction.toAge) {
      err([...agePath, 'toAge'], `The age band starts at ${reduction.fromAge}, so it cannot end at ${reduction.toAge}.`);
      return;
    }
    const clash = ages.findIndex((other, j) => j < i && other.fromAge <= other.toAge && other.fromAge <= reduction.toAge && reduction.fromAge <= other.toAge);
    if (clash !== -1) {
      err([...agePath, 'fromAge'], `Ages ${reduction.fromAge} to ${reduction.toAge} overlap ${formatPath([...path, 'ageReductions', clash])} (ages ${ages[clash]?.fromAge} to ${ages[clash]?.toAge}); an age can have only one reduction.`);
    }
  });

  if (conversion.informalSupport !== undefined) {
    const informalPath = [...path, 'informalSupport'];
    const question = json.questionnaire.domains.flatMap((d) => d.questions).find((q) => q.id === conversion.informalSupport?.questionId);
    if (question === undefined) {
      err([...informalPath, 'questionId'], `There is no question "${conversion.informalSupport.questionId}" in the questionnaire.`);
    } else {
      const seen = new Set<string>();
      conversion.informalSupport.deductions.forEach((deduction, i) => {
        const at = [...informalPath, 'deductions', i, 'levelId'];
        if (!question.levels.some((l) => l.id === deduction.levelId)) {
          err(at, `The question "${question.id}" has no level "${deduction.levelId}"; its levels are ${andList(question.levels.map((l) => `"${l.id}"`))}.`);
        } else if (seen.has(deduction.levelId)) {
          err(at, `The level "${deduction.levelId}" already has a deduction; give each level at most one.`);
        }
        seen.add(deduction.levelId);
      });
    }
  }

  if (conversion.minimumPence !== undefined && conversion.capPence !== undefined && conversion.minimumPence > conversion.capPence) {
    err([...path, 'minimumPence'], `The minimum (${conversion.minimumPence} pence) must not be above the cap (${conversion.capPence} pence).`);
  }
}

// ---------------------------------------------------------------------------------------------
// JSON to the domain type, and back.

function toConversion(json: ConversionJson): Conversion {
  const common = {
    ageReductions: (json.ageReductions ?? []).map((r) => ({ ...r })),
    informalSupport: json.informalSupport === undefined ? null : { questionId: json.informalSupport.questionId, deductions: json.informalSupport.deductions.map((d) => ({ ...d })) },
    minimumPence: json.minimumPence === undefined ? null : BigInt(json.minimumPence),
    capPence: json.capPence === undefined ? null : BigInt(json.capPence),
    rounding: json.rounding === undefined ? null : { unitPence: BigInt(json.rounding.unitPence), mode: json.rounding.mode },
    rangePercent: json.rangePercent,
    transition: json.transition === undefined ? null : { ...json.transition },
  };
  return json.kind === 'price-per-point'
    ? { kind: 'price-per-point', pricePerPointPence: BigInt(json.pricePerPointPence), ...common }
    : { kind: 'bands', bands: json.bands.map((b) => ({ name: b.name, fromPoints: b.fromPoints, toPoints: b.toPoints, annualPence: BigInt(b.annualPence) })), ...common };
}

function toModel(json: ModelJson): AllocationModel {
  const conversions: Partial<Record<StreamCode, Conversion>> = {};
  for (const stream of STREAM_CODES) {
    const conversion = json.conversions[stream];
    if (conversion !== undefined) conversions[stream] = toConversion(conversion);
  }
  return {
    name: json.name,
    ...(json.description === undefined ? {} : { description: json.description }),
    questionnaire: {
      domains: json.questionnaire.domains.map((d) => ({
        id: d.id,
        title: d.title,
        questions: d.questions.map((q) => ({
          ...q,
          levels: q.levels.map((l) => ({ ...l, points: typeof l.points === 'number' ? l.points : { ...l.points } })),
        })),
      })),
    },
    conversions,
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Checks untrusted JSON and returns a frozen AllocationModel, or every problem found. */
export function parseModel(json: unknown): Validated<AllocationModel> {
  const shape = checkModelShape(json);
  if (shape.length > 0) return { ok: false, errors: shape };
  const rules = checkModelRules(json as ModelJson);
  if (rules.length > 0) return { ok: false, errors: rules };
  return { ok: true, value: deepFreeze(toModel(json as ModelJson)) };
}

/** For models written in code (examples, tests): throws with every problem listed. */
export function parseModelOrThrow(json: unknown): AllocationModel {
  const parsed = parseModel(json);
  if (!parsed.ok) throw new Error(`Invalid allocation model:\n${formatErrors(parsed.errors)}`);
  return parsed.value;
}

function penceToJson(pence: Pence): number {
  if (pence < 0n || pence > BigInt(MAX_PENCE)) throw new RangeError(`amount out of range: ${pence}`);
  return Number(pence);
}

/** The model as JSON (pence as JSON integers), for storing; parseModel reads it back unchanged. */
export function modelToJson(model: AllocationModel): ModelJson {
  const conversions: ModelJson['conversions'] = {};
  for (const stream of modelStreams(model)) {
    const c = model.conversions[stream] as Conversion;
    const common = {
      ...(c.ageReductions.length > 0 ? { ageReductions: c.ageReductions.map((r) => ({ ...r })) } : {}),
      ...(c.informalSupport === null ? {} : { informalSupport: { questionId: c.informalSupport.questionId, deductions: c.informalSupport.deductions.map((d) => ({ ...d })) } }),
      ...(c.minimumPence === null ? {} : { minimumPence: penceToJson(c.minimumPence) }),
      ...(c.capPence === null ? {} : { capPence: penceToJson(c.capPence) }),
      ...(c.rounding === null ? {} : { rounding: { unitPence: penceToJson(c.rounding.unitPence), mode: c.rounding.mode } }),
      rangePercent: c.rangePercent,
      ...(c.transition === null ? {} : { transition: { ...c.transition } }),
    };
    conversions[stream] =
      c.kind === 'price-per-point'
        ? { kind: 'price-per-point', pricePerPointPence: penceToJson(c.pricePerPointPence), ...common }
        : { kind: 'bands', bands: c.bands.map((b) => ({ name: b.name, fromPoints: b.fromPoints, toPoints: b.toPoints, annualPence: penceToJson(b.annualPence) })), ...common };
  }
  return {
    name: model.name,
    ...(model.description === undefined ? {} : { description: model.description }),
    questionnaire: {
      domains: model.questionnaire.domains.map((d) => ({
        id: d.id,
        title: d.title,
        questions: d.questions.map((q) => ({ ...q, levels: q.levels.map((l) => ({ ...l, points: typeof l.points === 'number' ? l.points : { ...l.points } })) })),
      })),
    },
    conversions,
  };
}

// ---------------------------------------------------------------------------------------------
// Answers, age and current packages.

function ageRangeWords(question: Question): string {
  const from = question.appliesFromAge;
  const to = question.appliesToAge;
  if (from !== undefined && to !== undefined) return `from age ${from} to ${to}`;
  if (from !== undefined) return `from age ${from}`;
  return `up to age ${to}`;
}

/** Checks the person's age: a whole number of years from 0 to 130. */
export function checkAge(age: unknown): ValidationError[] {
  if (typeof age !== 'number' || !Number.isInteger(age) || age < 0 || age > MAX_AGE) {
    return [{ path: 'age', message: `The age must be a whole number of years from 0 to ${MAX_AGE}, not ${describeValue(age)}.` }];
  }
  return [];
}

/**
 * Checks answers against a model for a person of `age`: every question that applies at that age
 * answered with one of its levels, and nothing else.
 */
export function validateAnswers(model: AllocationModel, answers: unknown, age: unknown): Validated<Answers> {
  const ageErrors = checkAge(age);
  if (ageErrors.length > 0) return { ok: false, errors: ageErrors };
  if (!isPlainObject(answers)) return { ok: false, errors: [{ path: 'answers', message: `The answers must be an object of question id to level id, not ${describeValue(answers)}.` }] };
  const errors: ValidationError[] = [];
  const questions = new Map(allQuestions(model).map((q) => [q.id, q]));
  for (const [questionId, levelId] of Object.entries(answers)) {
    const at = formatPath(['answers', questionId]);
    const question = questions.get(questionId);
    if (question === undefined) {
      errors.push({ path: at, message: `There is no question "${questionId}" in this questionnaire.` });
    } else if (!questionApplies(question, age as number)) {
      errors.push({ path: at, message: `"${question.title}" is asked only ${ageRangeWords(question)}, and this person is ${age as number}; leave it out.` });
    } else if (typeof levelId !== 'string') {
      errors.push({ path: at, message: `The answer must be the id of a level, not ${describeValue(levelId)}.` });
    } else if (!question.levels.some((l: AnswerLevel) => l.id === levelId)) {
      errors.push({ path: at, message: `"${levelId}" is not an answer to "${question.title}"; choose ${orList(question.levels.map((l) => `"${l.id}"`))}.` });
    }
  }
  for (const question of questions.values()) {
    if (questionApplies(question, age as number) && !Object.hasOwn(answers, question.id)) {
      errors.push({ path: formatPath(['answers', question.id]), message: `Missing: "${question.title}" applies at age ${age as number} and has not been answered.` });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { ...(answers as Record<string, string>) } };
}

/** Checks current package costs: whole pence, not negative, only for streams the model converts. */
export function checkCurrentPackages(model: AllocationModel, current: unknown): ValidationError[] {
  if (current === undefined) return [];
  if (!isPlainObject(current)) return [{ path: 'currentPackagePence', message: `Must be an object of stream to pence, not ${describeValue(current)}.` }];
  const streams = modelStreams(model);
  const errors: ValidationError[] = [];
  for (const [stream, pence] of Object.entries(current)) {
    const at = formatPath(['currentPackagePence', stream]);
    if (!(streams as string[]).includes(stream)) {
      errors.push({ path: at, message: `This model has no conversion for "${stream}"; it converts ${andList(streams)}.` });
    } else if (typeof pence !== 'bigint' || pence < 0n) {
      errors.push({ path: at, message: `The current package must be a whole number of pence, as a bigint, not negative; got ${describeValue(pence)}.` });
    }
  }
  return errors;
}
