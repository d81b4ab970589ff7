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

/**
 * govuk-frontend's date input puts role="group" on its <fieldset> on purpose: some screen readers
 * (VoiceOver) do not announce a fieldset as a group without it. That one redundant role is the
 * Design System's accessibility choice, so it alone is let through; every other redundant role fails.
 */
function isDesignSystemChoice(message: { ruleId: string; message: string }): boolean {
  return message.ruleId === 'no-redundant-role' && message.message === 'Redundant role "group" on <fieldset>';
}

/** The errors html-validate finds in a page, one line each; empty when the page is valid. */
export async function htmlErrors(html: string, url: string): Promise<string[]> {
  const report = await htmlValidate.validateString(html, url);
  return report.results
    .flatMap((result) => result.messages)
    .filter((message) => message.severity === 2 && !isDesignSystemChoice(message))
    .map((m) => `  line ${m.line}:${m.column} ${m.ruleId}: ${m.message}${m.selector ? ` (${m.selector})` : ''}`);
}

/** Checks every page a suite rendered; returns one entry per page with errors. */
export async function invalidPages(pages: readonly { url: string; html: string }[]): Promise<string[]> {
  const problems: string[] = [];
  for (const page of pages) {
    const errors = await htmlErrors(page.html, page.url);
    if (errors.length > 0) problems.push(`${page.url}\n${errors.join('\n')}`);
  }
  return problems;
}
