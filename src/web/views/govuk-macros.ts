/**
 * Every GOV.UK Frontend component macro (govukButton, govukRadios, …) as a template global, so that
 * no template imports one.
 *
 * Why: `{% from "govuk/components/…/macro.njk" import govukX %}` runs again on every render — Nunjucks
 * renders the imported template to collect its macros each time — and the layout imported fourteen
 * of them for every page: about a tenth of the server's time on the statement page in a CPU profile
 * (bench/payments.ts). Importing without context, as those lines did, gives the macro a fresh
 * context of its own; so does loading it once here, so a macro renders exactly as it did.
 *
 * Each macro is loaded the first time a page calls it (start-up does not compile all forty).
 */
import fs from 'node:fs';
import path from 'node:path';
import type nunjucks from 'nunjucks';

type Macro = (...args: unknown[]) => unknown;

/** Template#getExported, which @types/nunjucks leaves out: how `{% from … import … %}` reads a template's macros. */
interface ExportingTemplate {
  getExported(callback: (error: Error | null, exported: Record<string, unknown>) => void): void;
}

/** The macro each component's macro.njk defines, read from the file: { govukButton: 'govuk/components/button/macro.njk', … }. */
export function govukMacroFiles(govukDist: string): Map<string, string> {
  const components = path.join(govukDist, 'govuk', 'components');
  const found = new Map<string, string>();
  for (const component of fs.readdirSync(components).sort()) {
    const file = path.join(components, component, 'macro.njk');
    if (!fs.existsSync(file)) continue;
    const name = /\{%-?\s*macro\s+(govuk[A-Za-z]+)\s*\(/.exec(fs.readFileSync(file, 'utf8'))?.[1];
    if (name === undefined) throw new Error(`No GOV.UK macro found in ${file}`);
    found.set(name, `govuk/components/${component}/macro.njk`);
  }
  return found;
}

export function registerGovukMacros(env: nunjucks.Environment, govukDist: string): void {
  for (const [name, file] of govukMacroFiles(govukDist)) {
    let macro: Macro | undefined;
    const load = (): Macro => {
      let exported: Record<string, unknown> | undefined;
      // A template without async filters calls back at once.
      (env.getTemplate(file, true) as unknown as ExportingTemplate).getExported((error, result) => {
        if (error) throw error;
        exported = result;
      });
      const loaded = exported?.[name];
      if (typeof loaded !== 'function') throw new Error(`${file} does not export ${name}`);
      return loaded as Macro;
    };
    env.addGlobal(name, function govukMacro(this: unknown, ...args: unknown[]) {
      macro ??= load();
      return macro.apply(this, args);
    });
  }
}
