import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';
import { govukMacroFiles, registerGovukMacros } from '../../src/web/views/govuk-macros.ts';

const require = createRequire(import.meta.url);
const govukDist = path.resolve(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');

function environment(withGlobals: boolean): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(govukDist), { autoescape: true });
  if (withGlobals) registerGovukMacros(env, govukDist);
  return env;
}

// Components with their own arguments, each as a page would call it (with a caller for details).
const calls: readonly { name: string; params: Record<string, unknown> }[] = [
  { name: 'govukButton', params: { text: 'Save & continue' } },
  { name: 'govukRadios', params: { name: 'way', fieldset: { legend: { text: 'How?' } }, items: [{ value: 'dp', text: 'Direct payment' }, { value: 'isf', text: 'ISF', checked: true }], errorMessage: { text: 'Select one' } } },
  { name: 'govukDateInput', params: { id: 'from', namePrefix: 'from', fieldset: { legend: { text: 'From' } }, items: [{ name: 'day', value: '3' }, { name: 'month' }, { name: 'year' }] } },
  { name: 'govukTextarea', params: { name: 'why', id: 'why', label: { text: 'Why <b>?</b>' }, value: "O'Brien" } },
  { name: 'govukNotificationBanner', params: { type: 'success', html: '<p class="govuk-body">Saved</p>' } },
  { name: 'govukErrorSummary', params: { titleText: 'There is a problem', errorList: [{ text: 'Enter a date', href: '#from-day' }] } },
];

describe('GOV.UK macros as template globals', () => {
  it('finds the macro of every GOV.UK component, by the name its file defines', () => {
    const files = govukMacroFiles(govukDist);
    assert.ok(files.size >= 30, `${files.size} macros`);
    assert.equal(files.get('govukButton'), 'govuk/components/button/macro.njk');
    assert.equal(files.get('govukDateInput'), 'govuk/components/date-input/macro.njk');
    assert.equal(files.get('govukServiceNavigation'), 'govuk/components/service-navigation/macro.njk');
  });

  it('renders each component exactly as importing its macro does', () => {
    const imported = environment(false);
    const global = environment(true);
    for (const { name, params } of calls) {
      const file = govukMacroFiles(govukDist).get(name);
      const byImport = imported.renderString(`{% from "${file}" import ${name} %}{{ ${name}(params) }}`, { params });
      const byGlobal = global.renderString(`{{ ${name}(params) }}`, { params });
      assert.ok(byImport.includes('govuk-'), name);
      assert.equal(byGlobal, byImport, name);
    }
  });

  it('renders a macro called with a caller block, as details and inset texts are', () => {
    const imported = environment(false);
    const global = environment(true);
    const body = '{% call govukInsetText({}) %}<p class="govuk-body">Inside</p>{% endcall %}';
    assert.equal(global.renderString(body, {}), imported.renderString(`{% from "govuk/components/inset-text/macro.njk" import govukInsetText %}${body}`, {}));
    assert.match(global.renderString(body, {}), /govuk-inset-text[\s\S]*Inside/);
  });
});
