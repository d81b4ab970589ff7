/**
 * The `test` every journey uses. It checks EVERY HTML page the journey's browser receives, without
 * the journey asking:
 *
 *  - html-validate (recommended preset) on the raw HTML the server sent;
 *  - axe (WCAG 2.0/2.1/2.2 A and AA) on that page as a browser renders it;
 *  - no uncaught page error and no console error (a CSP violation is a console error).
 *
 * Design: every page of the journey's context is watched. Each main-frame document response with an
 * HTML body is captured (status, headers, bytes) the moment it arrives. The captures are checked one
 * after another on a separate "checker" page in a context of its own (made with
 * browser.newContext(), which @axe-core/playwright needs): the checker loads the captured response
 * (fulfilled from the capture, so the server is not asked again and nothing happens twice, such as
 * an audited read or a sign-out) with the same headers, including the nonce-based CSP; when the
 * journey runs without JavaScript, the page's scripts are taken out there as well. The journey is
 * therefore free to click on at once: its page is never raced by a check, and no page slips past
 * because the journey navigated away quickly.
 *
 * Each page is checked as the server sent it and as it first renders (with govuk-frontend's
 * JavaScript started when the journey has JavaScript); changes a journey then makes on the page,
 * such as typing, are not checked again: the next page the server sends is.
 *
 * At the end of each test every check is awaited; any problem fails the test with the page address,
 * and the test must have checked at least `minimumPagesChecked` pages (1 unless a spec says 0, as
 * the API spec does). A page opened in a context the test makes itself is not watched: journeys use
 * the `page` (or `context`) fixture.
 */
import { test as base, expect, type BrowserContext, type ConsoleMessage, type Page, type Response } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import { htmlErrors as findHtmlErrors } from '../support/html.ts';

export { expect };

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const CHECK_TIMEOUT_MS = 15_000;

function withoutScripts(html: string): string {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script\s*>/gi, '');
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Headers that describe the bytes on the wire or the session, not the page: not replayed. */
const NOT_REPLAYED = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive', 'set-cookie']);

interface Capture {
  readonly url: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export class PageChecks {
  /** Pages checked so far (both html-validate and axe ran). */
  checked = 0;
  readonly problems: string[] = [];
  readonly checkedUrls: string[] = [];
  /**
   * Main-document addresses answered with an error status, so the browser's report of it is
   * expected. One address can answer with several (the sign-in form: 400, then 429 when throttled).
   */
  private readonly documentStatuses = new Map<string, Set<number>>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly browserErrors = new Set<string>();
  private chain: Promise<void> = Promise.resolve();
  private checker: Page | undefined;
  private serving: Capture | undefined;

  constructor(
    private readonly checkerContext: BrowserContext,
    /** The journey's javaScriptEnabled. */
    private readonly javaScriptEnabled: boolean,
  ) {}

  /** Watch one page of the journey: its documents, its console and its uncaught errors. */
  watch(page: Page): void {
    page.on('response', (response) => this.onResponse(page, response));
    this.watchErrors(page, 'page');
  }

  private watchErrors(page: Page, label: string): void {
    page.on('pageerror', (error) => this.browserError(label, page.url(), `Uncaught error: ${error.stack ?? error.message}`));
    page.on('console', (message) => this.onConsole(page, message, label));
  }

  /** Records an error the browser reported, once per page address even if the re-render repeats it. */
  private browserError(label: string, url: string, text: string): void {
    const key = `${url}\n${text}`;
    if (this.browserErrors.has(key)) return;
    this.browserErrors.add(key);
    // Stack lines are reworded so that the runner does not take them for this test's own stack.
    this.problems.push(`${text.replace(/^(\s*)at /gm, '$1from ')}\n    on ${label} ${url}`);
  }

  /** Wait until every page received so far has been checked. */
  async flush(): Promise<void> {
    for (;;) {
      await Promise.allSettled([...this.pending]);
      const chain = this.chain;
      await chain;
      if (this.pending.size === 0 && chain === this.chain) return;
    }
  }

  private onResponse(page: Page, response: Response): void {
    const request = response.request();
    if (response.frame() !== page.mainFrame() || !request.isNavigationRequest() || request.resourceType() !== 'document') return;
    const status = response.status();
    if (status >= 300 && status < 400) return; // a redirect has no page; its target is checked
    const contentType = response.headers()['content-type'] ?? '';
    if (!contentType.startsWith('text/html')) return; // e.g. the OpenAPI document opened from the footer
    if (status >= 400) this.documentStatuses.set(response.url(), (this.documentStatuses.get(response.url()) ?? new Set<number>()).add(status));
    // Ask for the body now, while the browser still holds it.
    const job = Promise.all([response.body(), response.allHeaders()]).then(
      ([body, headers]) => this.enqueue({ url: response.url(), status, headers, body }),
      (error: unknown) => {
        this.problems.push(`Could not read the HTML of ${response.url()} to check it: ${String(error)}`);
      },
    );
    this.pending.add(job);
    void job.finally(() => this.pending.delete(job));
  }

  private onConsole(page: Page, message: ConsoleMessage, label: string): void {
    if (message.type() !== 'error') return;
    const text = message.text();
    const where = message.location().url;
    // The browser reports a main document's 4xx status as a console error; the journey asserts it.
    const expectedStatuses = this.documentStatuses.get(where) ?? new Set<number>();
    if ([...expectedStatuses].some((status) => text.startsWith(`Failed to load resource: the server responded with a status of ${status} `))) {
      return;
    }
    this.browserError(label, page.url(), `Console error: ${text}${where !== page.url() && where !== '' ? ` (from ${where})` : ''}`);
  }

  private enqueue(capture: Capture): void {
    this.chain = this.chain.then(() =>
      this.check(capture).catch((error: unknown) => {
        this.problems.push(`Could not check ${capture.url}: ${error instanceof Error ? error.message : String(error)}`);
      }),
    );
  }

  private async checkerPage(): Promise<Page> {
    if (this.checker !== undefined) return this.checker;
    const checker = await this.checkerContext.newPage();
    await checker.route('**/*', async (route) => {
      const request = route.request();
      const capture = this.serving;
      if (capture !== undefined && request.isNavigationRequest() && request.frame() === checker.mainFrame() && request.url() === capture.url) {
        const headers = Object.fromEntries(Object.entries(capture.headers).filter(([name]) => !NOT_REPLAYED.has(name.toLowerCase())));
        // axe cannot run in a context with JavaScript switched off, so the checker keeps it on; for a
        // journey without JavaScript the page's own scripts are taken out, so the page renders as
        // the journey's browser rendered it (the app has no <noscript> content that would differ).
        const body = this.javaScriptEnabled ? capture.body : Buffer.from(withoutScripts(capture.body.toString('utf8')), 'utf8');
        await route.fulfill({ status: capture.status, headers, body });
      } else {
        await route.continue();
      }
    });
    this.watchErrors(checker, 'the page as re-rendered for axe'); // not its documents: they are the captures
    this.checker = checker;
    return checker;
  }

  private async check(capture: Capture): Promise<void> {
    const html = capture.body.toString('utf8');

    const htmlErrors = await findHtmlErrors(html, capture.url);
    if (htmlErrors.length > 0) {
      this.problems.push(`html-validate found ${htmlErrors.length} error(s) on ${capture.url}:\n${htmlErrors.join('\n')}`);
    }

    const checker = await this.checkerPage();
    this.serving = capture;
    try {
      await checker.goto(capture.url, { waitUntil: 'load', timeout: CHECK_TIMEOUT_MS });
    } finally {
      this.serving = undefined;
    }
    const results = await withTimeout(new AxeBuilder({ page: checker }).withTags(AXE_TAGS).analyze(), CHECK_TIMEOUT_MS, 'axe');
    if (results.violations.length > 0) {
      const lines = results.violations.map(
        (v) =>
          `  ${v.id} (${v.impact ?? 'no impact given'}): ${v.help}\n    ${v.helpUrl}\n` +
          v.nodes.map((n) => `    node ${n.target.map(String).join(' ')}: ${n.failureSummary?.replace(/\n/g, ' ') ?? ''}`).join('\n'),
      );
      this.problems.push(`axe found ${results.violations.length} violation(s) on ${capture.url}:\n${lines.join('\n')}`);
    }
    this.checked += 1;
    this.checkedUrls.push(`${capture.status} ${capture.url}`);
  }
}

export const test = base.extend<{ minimumPagesChecked: number; pageChecks: PageChecks }>({
  minimumPagesChecked: [1, { option: true }],
  pageChecks: [
    async ({ browser, context, javaScriptEnabled, baseURL, viewport, minimumPagesChecked }, use, testInfo) => {
      // Explicit javaScriptEnabled: browser.newContext() in a test inherits the test's `use` options.
      const checkerContext = await browser.newContext({ baseURL, viewport, locale: 'en-GB', javaScriptEnabled: true });
      const checks = new PageChecks(checkerContext, javaScriptEnabled);
      for (const page of context.pages()) checks.watch(page);
      context.on('page', (page) => checks.watch(page));

      await use(checks);

      await checks.flush();
      await checkerContext.close();
      await testInfo.attach('pages-checked.txt', { body: checks.checkedUrls.join('\n') || '(none)', contentType: 'text/plain' });
      if (checks.problems.length > 0) {
        throw new Error(`Every page must pass the automatic checks; ${checks.problems.length} problem(s):\n\n${checks.problems.join('\n\n')}`);
      }
      expect(checks.checked, 'pages checked with axe and html-validate in this test').toBeGreaterThanOrEqual(minimumPagesChecked);
    },
    { auto: true },
  ],
});
