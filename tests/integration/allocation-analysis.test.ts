/**
 * Calibration and what-if pages, on both engines: an administrator uploads a test group CSV (as a
 * browser sends it, multipart) and sees the fits, the chart and its table, the people outside the
 * tolerance and the totals against an envelope; a bad file is refused by row and column with nothing
 * saved; a draft is tried against every current assessment and its run page shows progress, then the
 * totals and the histogram; decided exceptional cases appear in the overrides report. Commissioners
 * see all of it but no person's record; caseworkers see none of it. Every page is valid HTML.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, addStaff, type CouncilFixture } from '../support/fixtures.ts';
import { addAllocationFixtures, someSupportAnswers, type AllocationFixture } from '../support/allocation.ts';
import { cookieHeader, csrfFrom, fixturePasswordHash, renderedPages, signIn, TEST_NOW, testApp, withResponseCookies } from '../support/app.ts';
import { invalidPages } from '../support/html.ts';
import { services, type Services } from '../../src/services/index.ts';
import { fixedClock } from '../../src/clock.ts';
import type { StaffActor } from '../../src/domain/access/policy.ts';

/** A multipart/form-data body as a browser sends a form with a file (light-my-request takes it as a Buffer). */
function multipart(fields: Record<string, string>, file: { field: string; filename: string; content: string | Buffer }) {
  const boundary = `----onebudget${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: text/csv\r\n\r\n`));
  parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

for (const engine of await testEngines()) {
  describe(`calibration and what-if pages (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let council: CouncilFixture;
    let empty: CouncilFixture;
    let fixture: AllocationFixture;
    let wired: Services;
    let approver: StaffActor;
    let admin: Record<string, string>;
    let commissioner: Record<string, string>;
    let caseworker: Record<string, string>;

    const get = (url: string, jar: Record<string, string>) => app.inject({ url, headers: { cookie: cookieHeader(jar) } });
    const groupCount = async () => Number((await database.db.selectFrom('calibration_groups').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    /** Uploads a test group from the calibration page, as a browser would. */
    async function upload(jar: Record<string, string>, name: string, csv: string | Buffer) {
      const page = await get('/allocation/calibration', jar);
      assert.equal(page.statusCode, 200);
      const body = multipart({ _csrf: csrfFrom(page.body), name }, { field: 'testGroupFile', filename: 'test-group.csv', content: csv });
      return app.inject({
        method: 'POST',
        url: '/allocation/calibration',
        headers: { cookie: cookieHeader(withResponseCookies(jar, page)), 'content-type': body.contentType },
        payload: body.payload,
      });
    }

    /** Posts the page's own form (its CSRF token and nothing else) to `url`. */
    async function postFrom(jar: Record<string, string>, pageUrl: string, url: string) {
      const page = await get(pageUrl, jar);
      return app.inject({
        method: 'POST',
        url,
        headers: { cookie: cookieHeader(withResponseCookies(jar, page)), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrfFrom(page.body) }).toString(),
      });
    }

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      council = await addCouncil(database, 'kappa', { passwordHash, email: 'worker@kappa.test' });
      empty = await addCouncil(database, 'lambda', { passwordHash, email: 'worker@lambda.test' });
      fixture = await addAllocationFixtures(database, { councilId: council.councilId, adminId: council.adminId, caseworkerId: council.accountId, personId: council.personId });
      await addStaff(database, council.councilId, { email: 'commissioner@kappa.test', passwordHash, role: 'commissioner' });
      const approverId = crypto.randomUUID();
      await database.db
        .insertInto('accounts')
        .values({ id: approverId, council_id: council.councilId, kind: 'staff', email: 'approver@kappa.test', display_name: 'Approver', role: 'approver', job_title: 'Team manager', team: 'SEND', approval_limit_pence: 5_000_000n, password_hash: 'x' })
        .execute();
      wired = services({ database, clock: fixedClock(TEST_NOW), sessionIdleMinutes: 30, sessionSecret: 'a'.repeat(40) });
      approver = { kind: 'staff', role: 'approver', accountId: approverId, councilId: council.councilId, councilSlug: council.slug, councilName: 'kappa Council', displayName: 'Approver' };
      app = await testApp(database);
      await app.ready();
      admin = await signIn(app, council.adminEmail);
      commissioner = await signIn(app, 'commissioner@kappa.test');
      caseworker = await signIn(app, 'worker@kappa.test');
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    it('greets administrators and commissioners with links to calibration, what-if and overrides', async () => {
      for (const jar of [admin, commissioner]) {
        const home = await get('/', jar);
        for (const href of ['/allocation/calibration', '/allocation/impact', '/allocation/overrides']) assert.ok(home.body.includes(`href="${href}"`), href);
      }
      const workerHome = await get('/', caseworker);
      assert.ok(!workerHome.body.includes('href="/allocation/calibration"'));
    });

    it('lists test groups with the upload form, the columns and blank templates', async () => {
      const page = await get('/allocation/calibration', admin);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Fixture test group/);
      assert.match(page.body, /enctype="multipart\/form-data"/);
      assert.match(page.body, /<code>current_&lt;stream&gt;<\/code>/);
      assert.match(page.body, /<code>age<\/code>/);
      const points = await get('/allocation/calibration/template.csv', admin);
      assert.equal(points.statusCode, 200);
      assert.match(String(points.headers['content-type']), /^text\/csv/);
      assert.equal(points.body, 'reference,points_social_care,current_social_care\n');
      const answers = await get('/allocation/calibration/template.csv?input=answers', admin);
      assert.equal(answers.body, 'reference,age,answers,current_social_care\n');
    });

    it('an administrator uploads a test group of points and sees both fits, the chart with its table, and the totals', async () => {
      const before = await groupCount();
      const csv = 'reference,points_social_care,current_social_care\r\nTG-1,10,1000.00\r\nTG-2,20,"2,000.00"\r\nTG-3,30,£3000\r\nTG-4,40,4100\r\n';
      const response = await upload(admin, 'Adults, March 2026', csv);
      assert.equal(response.statusCode, 303, response.body);
      assert.equal(await groupCount(), before + 1);
      const url = String(response.headers.location);
      assert.match(url, /^\/allocation\/calibration\/[0-9a-f-]{36}$/);

      const page = await get(url, admin);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Adults, March 2026/);
      // Σxy / Σx² = 30,400,000 / 3,000 = 10,133.3p → £101.33 a point.
      assert.match(page.body, /Price fitted through the origin/);
      assert.match(page.body, /£101\.33/);
      assert.match(page.body, /Price fitted with an intercept/);
      assert.match(page.body, /<svg [^>]*role="img"/);
      assert.match(page.body, /<table class="govuk-table"/);
      assert.match(page.body, /TG-4/);
      // Totals: current £10,100.00, allocation 100 points × £101.33 = £10,133.00; nobody is 25% away.
      assert.match(page.body, /£10,100\.00/);
      assert.match(page.body, /£10,133\.00/);
      assert.match(page.body, /Nobody’s allocation is more than 25% from their current cost/);

      const tight = await get(`${url}?tolerance=1&envelope_social_care=10%2C000`, admin);
      assert.equal(tight.statusCode, 200);
      assert.match(tight.body, /4 people’s allocations are more than 1% from their current cost/);
      assert.match(tight.body, /£133\.00 over the envelope/);

      const bad = await get(`${url}?tolerance=lots&envelope_social_care=ten+pounds`, admin);
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /govuk-error-summary/);
      assert.match(bad.body, /href="#tolerance"/);
      assert.match(bad.body, /href="#envelope_social_care"/);
      assert.ok(!bad.body.includes('<svg'), 'no report is shown for bad options');
    });

    it('scores a test group of answers at each person’s age under the version chosen', async () => {
      const answers = (age: number) =>
        Object.entries(someSupportAnswers(age))
          .map(([q, l]) => `${q}=${l}`)
          .join(';');
      const csv = `reference,age,answers,current_social_care\nA-1,10,"${answers(10)}",5000\nA-2,12,"${answers(12)}",6000\nA-3,9,"${answers(9)}",4000\n`;
      const response = await upload(admin, 'Children with answers', csv);
      assert.equal(response.statusCode, 303, response.body);
      const url = String(response.headers.location);
      const page = await get(url, admin);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /scored under version 2 of the model \(draft\)/);
      assert.match(page.body, /<select class="govuk-select" id="version" name="version"/);
      const published = await get(`${url}?version=1`, admin);
      assert.match(published.body, /scored under version 1 of the model \(published\)/);
      const unknown = await get(`${url}?version=99`, admin);
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.body, /Select a model version from the list/);
    });

    it('refuses a bad file naming each row and column, and saves nothing', async () => {
      const before = await groupCount();
      const response = await upload(admin, 'Bad group', 'reference,points_social_care,current_social_care\nA,10,12.345\nA,x,10\n');
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /govuk-error-summary/);
      assert.match(response.body, /Row 2, column &quot;current_social_care&quot;: The current cost must have at most 2 decimal places/);
      assert.match(response.body, /Row 3, column &quot;reference&quot;: The reference &quot;A&quot; is already used on row 2/);
      assert.match(response.body, /Row 3, column &quot;points_social_care&quot;: The points must be a whole number/);
      assert.match(response.body, /href="#testGroupFile"/);
      assert.match(response.body, /value="Bad group"/);
      const noAge = await upload(admin, 'No ages', 'reference,answers,current_social_care\nA,q=l,10\n');
      assert.equal(noAge.statusCode, 400);
      assert.match(noAge.body, /Row 1, column &quot;age&quot;: The column &quot;age&quot; is missing/);
      const unnamed = await upload(admin, '', 'reference,points_social_care,current_social_care\nA,10,12\n');
      assert.equal(unnamed.statusCode, 400);
      assert.match(unnamed.body, /Enter a name for the test group/);
      const many = await upload(admin, 'Many errors', `reference,points_social_care,current_social_care\n${Array.from({ length: 300 }, (_, i) => `P${i},x,1\n`).join('')}`);
      assert.equal(many.statusCode, 400);
      assert.match(many.body, /Only the first 100 problems in the file are shown/);
      assert.equal(await groupCount(), before);
    });

    it('lets a commissioner see calibration, what-if and overrides, but no person’s record', async () => {
      for (const url of ['/allocation/calibration', `/allocation/calibration/${fixture.groupId}`, '/allocation/impact', `/allocation/impact/${fixture.runId}`, '/allocation/overrides']) {
        const page = await get(url, commissioner);
        assert.equal(page.statusCode, 200, url);
      }
      for (const url of [`/people/${council.personId}`, `/people/${council.personId}/allocation`]) {
        const page = await get(url, commissioner);
        assert.ok([403, 404].includes(page.statusCode), `${url} answered ${page.statusCode}`);
      }
      for (const url of ['/allocation/calibration', '/allocation/impact', '/allocation/overrides', `/allocation/calibration/${fixture.groupId}`]) {
        assert.equal((await get(url, caseworker)).statusCode, 403, url);
      }
      assert.equal((await get(`/allocation/calibration/${crypto.randomUUID()}`, admin)).statusCode, 404);
      assert.equal((await get(`/allocation/impact/${crypto.randomUUID()}`, admin)).statusCode, 404);
    });

    it('tries the draft against every current assessment and shows progress, then totals and the histogram', async () => {
      const list = await get('/allocation/impact', admin);
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Try the draft against every current assessment/);
      assert.match(list.body, /Draft version 2 against published version 1/);
      const started = await postFrom(admin, '/allocation/impact', '/allocation/impact');
      assert.equal(started.statusCode, 303, started.body);
      const url = String(started.headers.location);
      assert.match(url, /^\/allocation\/impact\/[0-9a-f-]{36}$/);
      const audit = await database.db.selectFrom('audit_events').select('action').where('action', '=', 'allocation_model.impact_run_started').execute();
      assert.equal(audit.length, 1);

      let page = await get(url, admin);
      for (let i = 0; i < 200 && !page.body.includes('govuk-tag--green'); i++) {
        assert.equal(page.statusCode, 200);
        assert.ok(!/http-equiv="refresh"/i.test(page.body), 'the page never refreshes itself');
        if (page.body.includes('govuk-tag--blue') || page.body.includes('govuk-tag--grey')) assert.match(page.body, />Refresh</);
        await new Promise((resolve) => setTimeout(resolve, 25));
        page = await get(url, admin);
      }
      assert.match(page.body, /govuk-tag--green">Finished</);
      assert.match(page.body, /Totals a year by stream/);
      assert.match(page.body, /<svg [^>]*role="img"[^>]*aria-labelledby="impact-histogram-title impact-histogram-desc"/);
      assert.match(page.body, /Change in each person’s total budget/);
      assert.match(page.body, /Largest changes/);
      assert.match(page.body, /KAPPA-1/);
      assert.match(page.body, /Transitional protection/);
      assert.match(page.body, /1 current assessment was scored under both models/);

      const runs = await get('/allocation/impact', admin);
      assert.match(runs.body, /1 of 1 assessment scored/);
    });

    it('shows a run still going with its progress and a link to refresh, and a failed run with its error', async () => {
      const run = (status: 'running' | 'failed', extra: { done: number; total: number; error?: string }) => ({
        id: crypto.randomUUID(),
        council_id: council.councilId,
        draft_model_id: fixture.draftModelId,
        published_model_id: fixture.publishedModelId,
        status,
        started_by: council.adminId,
        started_at: TEST_NOW,
        finished_at: status === 'failed' ? TEST_NOW : null,
        ...extra,
      });
      const running = run('running', { done: 3000, total: 10000 });
      const failed = run('failed', { done: 0, total: 10000, error: 'The database went away' });
      await database.db.insertInto('allocation_impact_runs').values([running, failed]).execute();
      const page = await get(`/allocation/impact/${running.id}`, commissioner);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /3,000 of 10,000 assessments scored \(30%\)/);
      assert.match(page.body, /<progress [^>]*value="3000" max="10000"[^>]*>30%<\/progress>/);
      assert.match(page.body, new RegExp(`href="/allocation/impact/${running.id}">Refresh`));
      assert.ok(!/http-equiv="refresh"/i.test(page.body));
      const stopped = await get(`/allocation/impact/${failed.id}`, commissioner);
      assert.match(stopped.body, /govuk-tag--red">Failed</);
      assert.match(stopped.body, /The run stopped before it finished: The database went away/);
      const list = await get('/allocation/impact', commissioner);
      assert.match(list.body, /3,000 of 10,000 assessments scored/);
    });

    it('shows the refusal when there is no draft to try', async () => {
      const otherAdmin = await signIn(app, empty.adminEmail);
      const response = await postFrom(otherAdmin, '/allocation/impact', '/allocation/impact');
      assert.equal(response.statusCode, 409);
      assert.match(response.body, /govuk-error-summary/);
      assert.match(response.body, /There is no draft model to try/);
      assert.match(response.body, /href="#start"/);
    });

    it('lists decided exceptional cases for recalibration, with the total agreed above the model', async () => {
      const before = await get('/allocation/overrides', admin);
      assert.equal(before.statusCode, 200);
      assert.match(before.body, /0 exceptional cases have been decided/);
      const decided = await wired.allocation.decideException(
        approver,
        fixture.requestId,
        { decision: 'agreed', reason: 'Two carers are needed for every outing.', agreedPence: 850_000n },
        { requestId: 'test', sourceAddress: '127.0.0.1' },
      );
      assert.deepEqual(decided, { ok: true, value: undefined });
      const page = await get('/allocation/overrides', commissioner);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /1 exceptional case has been decided: 1 agreed, 0 refused/);
      assert.match(page.body, /KAPPA-1/);
      assert.match(page.body, /Worker asked/);
      assert.match(page.body, /£8,500\.00/);
      assert.match(page.body, /Two carers are needed for every outing\./);
      // 850,000p agreed − 324,000p the model gave.
      assert.match(page.body, /Agreed amounts are £5,260\.00 above what the model gave/);
    });

    it('renders only valid HTML on every calibration and what-if page', async () => {
      const ours = renderedPages.filter((p) => / \/allocation\/(calibration|impact|overrides)/.test(p.url) || /^GET \/ →/.test(p.url));
      for (const part of ['POST /allocation/calibration → 400', 'GET /allocation/calibration/', 'GET /allocation/impact/', 'POST /allocation/impact → 409', 'GET /allocation/overrides']) {
        assert.ok(ours.some((p) => p.url.includes(part)), `rendered ${part}`);
      }
      assert.deepEqual(await invalidPages(ours), []);
    });
  });
}
