/**
 * Versions of a council's allocation model: a draft can be changed; publishing fixes it for good
 * (a published model is never edited, so every past result can be reproduced); publishing a new
 * version retires the one before on the same day; a published version can also be retired alone.
 * At most one draft and one published version at a time. Dates are 'YYYY-MM-DD'. Pure functions:
 * each returns the new list of versions or a reason in plain English.
 */
import type { AllocationModel } from './model.ts';

export type ModelStatus = 'draft' | 'published' | 'retired';

export interface ModelVersion {
  readonly version: number;
  readonly status: ModelStatus;
  readonly publishedOn: string | null;
  readonly retiredOn: string | null;
  readonly model: AllocationModel;
}

export type LifecycleResult = { readonly ok: true; readonly versions: readonly ModelVersion[] } | { readonly ok: false; readonly reason: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function refuse(reason: string): LifecycleResult {
  return { ok: false, reason };
}

/** Starts version (highest + 1) as a draft. */
export function startDraft(versions: readonly ModelVersion[], model: AllocationModel): LifecycleResult {
  const draft = versions.find((v) => v.status === 'draft');
  if (draft !== undefined) return refuse(`Version ${draft.version} is already a draft. Change it, or publish it, before starting another.`);
  const version = Math.max(0, ...versions.map((v) => v.version)) + 1;
  return { ok: true, versions: [...versions, { version, status: 'draft', publishedOn: null, retiredOn: null, model }] };
}

/** Replaces the model of a draft. Published and retired versions cannot change. */
export function changeDraft(versions: readonly ModelVersion[], version: number, model: AllocationModel): LifecycleResult {
  const target = versions.find((v) => v.version === version);
  if (target === undefined) return refuse(`There is no version ${version}.`);
  if (target.status !== 'draft') return refuse(`Version ${version} is ${target.status} and cannot be changed. Start a new draft instead.`);
  return { ok: true, versions: versions.map((v) => (v.version === version ? { ...v, model } : v)) };
}

/** Publishes a draft from `on`; the version published before it is retired on the same day. */
export function publish(versions: readonly ModelVersion[], version: number, on: string): LifecycleResult {
  if (!DATE.test(on)) return refuse(`"${on}" is not a date in the form YYYY-MM-DD.`);
  const target = versions.find((v) => v.version === version);
  if (target === undefined) return refuse(`There is no version ${version}.`);
  if (target.status !== 'draft') return refuse(`Version ${version} is ${target.status}; only a draft can be published.`);
  const current = versions.find((v) => v.status === 'published');
  if (current?.publishedOn != null && on < current.publishedOn) {
    return refuse(`Version ${current.version} was published on ${current.publishedOn}; a new version cannot be published before that.`);
  }
  return {
    ok: true,
    versions: versions.map((v) => {
      if (v.version === version) return { ...v, status: 'published', publishedOn: on };
      if (v === current) return { ...v, status: 'retired', retiredOn: on };
      return v;
    }),
  };
}

/** Retires a published version from `on`, leaving no published version. */
export function retire(versions: readonly ModelVersion[], version: number, on: string): LifecycleResult {
  if (!DATE.test(on)) return refuse(`"${on}" is not a date in the form YYYY-MM-DD.`);
  const target = versions.find((v) => v.version === version);
  if (target === undefined) return refuse(`There is no version ${version}.`);
  if (target.status !== 'published') return refuse(`Version ${version} is ${target.status}; only the published version can be retired.`);
  if (target.publishedOn !== null && on < target.publishedOn) return refuse(`Version ${version} was published on ${target.publishedOn}; it cannot be retired before that.`);
  return { ok: true, versions: versions.map((v) => (v.version === version ? { ...v, status: 'retired', retiredOn: on } : v)) };
}

/** The version in force on a day (published on or before it, not yet retired), to reproduce a past result. */
export function inForceOn(versions: readonly ModelVersion[], on: string): ModelVersion | null {
  return (
    versions.find((v) => v.publishedOn !== null && v.publishedOn <= on && (v.retiredOn === null || on < v.retiredOn)) ?? null
  );
}
