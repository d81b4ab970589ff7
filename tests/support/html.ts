/** html-validate, set up once for every layer of tests that renders pages. */
import { HtmlValidate, type ConfigData } from 'html-validate';

export const HTML_VALIDATE_CONFIG: ConfigData = {
  extends: ['html-validate:recommended'],
  rules: {
    // govuk-frontend's Nunjucks macros (and our templates that call them) leave spaces at the ends of
    // lines of the generated HTML. It is formatting of the generated source only: browsers and
    // assistive technology never see it, and we cannot change the macros' output.
    'no-trailing-whitespace': 'off',
  },
};

const htmlValidate = new HtmlValidate(HTML_VALIDATE_CONFIG);

/** The errors html-validate finds in a page, one line each; empty when the page is valid. */
export async function htmlErrors(html: string, url: string): Promise<string[]> {
  const report = await htmlValidate.validateString(html, url);
  return report.results
    .flatMap((result) => result.messages)
    .filter((message) => message.severity === 2)
    .map((m) => `  line ${m.line}:${m.column} ${m.ruleId}: ${m.message}${m.selector ? ` (${m.selector})` : ''}`);
}
