/**
 * The EHC plan timeliness report through the page, its CSV and the API (issue 5), on "today"
 * TEST_NOW (20 November 2026), so the default period is 21 November 2025 to 20 November 2026.
 *
 * One council's final plans, each worked by hand (due = request + 140 days):
 *   onTime      request  5 Jan 2026, due 25 May, issued 20 May                  on time
 *   late        request  5 Jan 2026, due 25 May, issued 30 Jun (25 weeks 1 day)  late
 *   lateExc     request  2 Feb 2026, due 22 Jun, issued 20 Jul (24 weeks), a setting closed 1 Mar – 15 Apr: late, excused
 *   onTimeExc   request  2 Mar 2026, due 20 Jul, issued 10 Jul, family away 1 Apr – 10 May: on time, excused
 *   restricted  request 12 Jan 2026, due  1 Jun, issued 15 Jun, a restricted person led by another SEND worker: late
 *   otherTeam   request  5 Jan 2026, due 25 May, issued  1 Jul, led by the Adults team: late
 *   lastYear    request  6 Jan 2025, issued 1 Jul 2025: before the default period
 * and open cases: one past week 20 with an exception (SEND), one past week 20 (Adults), one not
 * yet past (due 19 December), and a closed one past week 20 that does not count.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, addStaff, type CouncilFixture } from '../support/fixtures.ts';
import { cookieHeader, fixturePasswordHash, renderedPages, signIn, testApp } from '../support/app.ts';
import { invalidPages } from '../support/html.ts';
import { addCase, addPerson } from '../support/cases.ts';

interface Figures {
  issued: number;
  withinTwentyWeeks: number;
  percentWithin: number | null;
  excludingExceptions: { issued: number; withinTwentyWeeks: number; percentWithin: number | null };
  withExceptions: { issued: number; withinTwentyWeeks: number };
}
interface Answer {
  from: string;
  to: string;
  scope: string;
  figures: Figures;
  byMonth: { month: string; figures: Figures }[];
  openPastTwentyWeeks: { total: number; withException: number };
  late: { caseId: string; reference: string; familyName: string; daysTaken: number; withException: boolean; exceptionReasons: string[] }[] | null;
  lateNotListed: number;
}

for (const engine of await testEngines()) {
  describe(`the EHC plan timeliness report (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let a: CouncilFixture;
    const ids: Record<string, string> = {};
    const cookies: Record<string, string> = {};

    const get = (url: string, who: string) => app.inject({ url, headers: { cookie: cookies[who] ?? '' } });
    const json = async (url: string, who: string) => {
      const response = await get(url, who);
      assert.equal(response.statusCode, 200, response.body);
      return response.json() as Answer;
    };
    /** The text of a page without its tags, for matching what a reader sees. */
    const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      a = await addCouncil(database, 'tl', { passwordHash, email: 'worker@tl.test' });
      const restrictedLead = await addStaff(database, a.councilId, { email: 'named@tl.test', passwordHash });
      const adults = await addStaff(database, a.councilId, { email: 'adults@tl.test', passwordHash });
      await database.db.updateTable('accounts').set({ team: 'Adults' }).where('id', '=', adults).execute();
      await addStaff(database, a.councilId, { email: 'commissioner@tl.test', passwordHash, role: 'commissioner' });
      const approver = await addStaff(database, a.councilId, { email: 'approver@tl.test', passwordHash });
      await database.db.updateTable('accounts').set({ role: 'approver' }).where('id', '=', approver).execute();

      const person = (ref: string, given: string, family: string, options: { restricted?: boolean; leadWorkerId?: string } = {}) =>
        addPerson(database, a.councilId, { reference: ref, givenName: given, familyName: family, ...options });
      const plan = async (
        key: string,
        personId: string,
        requestDate: string,
        issuedOn: string,
        options: { lead?: string; exception?: { reason: string; fromDate: string; toDate: string } } = {},
      ) => {
        ids[key] = await addCase(database, a.councilId, {
          personId,
          leadWorkerId: options.lead ?? a.accountId,
          requestDate,
          stage: 'plan_in_place',
          nextDueOn: null,
          steps: [
            { kind: 'decided_to_assess', occurredOn: requestDate },
            ...(options.exception ? [{ kind: 'exception_recorded' as const, occurredOn: options.exception.toDate, details: options.exception }] : []),
            { kind: 'final_issued', occurredOn: issuedOn },
          ],
        });
      };
      await plan('onTime', await person('TL-01', 'Olly', 'Ontime'), '2026-01-05', '2026-05-20');
      await plan('late', await person('TL-02', 'Lena', 'Late'), '2026-01-05', '2026-06-30');
      await plan('lateExc', await person('TL-03', 'Ezra', 'Excused'), '2026-02-02', '2026-07-20', {
        exception: { reason: 'setting_closed', fromDate: '2026-03-01', toDate: '2026-04-15' },
      });
      await plan('onTimeExc', await person('TL-04', 'Ava', 'Away'), '2026-03-02', '2026-07-10', {
        exception: { reason: 'family_absent', fromDate: '2026-04-01', toDate: '2026-05-10' },
      });
      await plan('restricted', await person('TL-05', 'Rae', 'Rowe', { restricted: true, leadWorkerId: restrictedLead }), '2026-01-12', '2026-06-15', { lead: restrictedLead });
      await plan('otherTeam', await person('TL-06', 'Olga', 'Other'), '2026-01-05', '2026-07-01', { lead: adults });
      await plan('lastYear', await person('TL-07', 'Yan', 'Yore'), '2025-01-06', '2025-07-01');

      const open = async (key: string, personId: string, requestDate: string, lead = a.accountId) => {
        ids[key] = await addCase(database, a.councilId, { personId, leadWorkerId: lead, requestDate, stage: 'drafting', nextDueOn: null });
      };
      await open('openPast', await person('TL-08', 'Paula', 'Past'), '2026-05-01');
      await database.db.updateTable('cases').set({ has_exception: true }).where('id', '=', ids.openPast ?? '').execute();
      await open('openPastAdults', await person('TL-09', 'Pia', 'Pastor'), '2026-06-01', adults);
      await open('openNotYet', await person('TL-10', 'Nia', 'Notyet'), '2026-08-01');
      await open('closedPast', await person('TL-11', 'Cal', 'Closed'), '2026-03-02');
      await database.db.updateTable('cases').set({ status: 'closed', closed_on: '2026-06-01', closed_reason: 'Decided not to issue' }).where('id', '=', ids.closedPast ?? '').execute();

      app = await testApp(database);
      await app.ready();
      for (const [name, email] of [
        ['worker', 'worker@tl.test'],
        ['named', 'named@tl.test'],
        ['adults', 'adults@tl.test'],
        ['admin', a.adminEmail],
        ['approver', 'approver@tl.test'],
        ['commissioner', 'commissioner@tl.test'],
      ] as const) {
        cookies[name] = cookieHeader(await signIn(app, email));
      }
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    it('counts the whole council for an administrator: all plans and the national figure without exceptions', async () => {
      const r = await json('/api/v1/reports/timeliness', 'admin');
      assert.equal(r.from, '2025-11-21');
      assert.equal(r.to, '2026-11-20');
      assert.equal(r.scope, 'council');
      assert.deepEqual(r.figures, {
        issued: 6,
        withinTwentyWeeks: 2,
        percentWithin: 33.3,
        excludingExceptions: { issued: 4, withinTwentyWeeks: 1, percentWithin: 25 },
        withExceptions: { issued: 2, withinTwentyWeeks: 1 },
      });
      assert.deepEqual(r.openPastTwentyWeeks, { total: 2, withException: 1 });
      assert.equal(r.byMonth.length, 13);
      const month = (m: string) => r.byMonth.find((x) => x.month === m)?.figures;
      assert.deepEqual([month('2026-05')?.issued, month('2026-05')?.withinTwentyWeeks], [1, 1]);
      assert.deepEqual([month('2026-06')?.issued, month('2026-06')?.withinTwentyWeeks], [2, 0]);
      assert.deepEqual(month('2026-07'), {
        issued: 3,
        withinTwentyWeeks: 1,
        percentWithin: 33.3,
        excludingExceptions: { issued: 1, withinTwentyWeeks: 0, percentWithin: 0 },
        withExceptions: { issued: 2, withinTwentyWeeks: 1 },
      });
      assert.equal(month('2026-01')?.issued, 0);
      // Named late plans in order of issue; the restricted person's is counted but not listed to an administrator not named on it.
      assert.deepEqual(
        r.late?.map((p) => [p.reference, p.daysTaken, p.withException, p.exceptionReasons]),
        [
          ['TL-02', 176, false, []],
          ['TL-06', 177, false, []],
          ['TL-03', 168, true, ['setting_closed']],
        ],
      );
      assert.equal(r.lateNotListed, 1);
      assert.deepEqual(await json('/api/v1/reports/timeliness', 'approver'), r, 'an approver sees the same');
      assert.deepEqual(await json('/api/v1/reports/timeliness?from=&to=', 'admin'), r, 'empty dates are the default period');
    });

    it('shows the figures on the page in plain words, with the late plans linked to their cases', async () => {
      const page = await get('/cases/timeliness', 'admin');
      assert.equal(page.statusCode, 200);
      const text = textOf(page.body);
      assert.match(page.body, /<title>EHC plan timeliness/);
      assert.match(text, /21 November 2025 to 20 November 2026/);
      assert.match(text, /counts plans issued within 20 weeks excluding exceptions/);
      assert.match(text, /Final EHC plans issued, excluding exceptions 4 Issued within 20 weeks of the request 1 Percentage within 20 weeks 25%/);
      assert.match(text, /Final EHC plans issued 6 Issued within 20 weeks of the request 2 Percentage within 20 weeks 33\.3%/);
      assert.match(text, /Plans with a reg 10\(4\) exception 2 \(1 of them within 20 weeks\)/);
      assert.match(text, /Open EHC cases past 20 weeks without a final plan, today 2 Of them, with a reg 10\(4\) exception recorded 1/);
      assert.match(text, /July 2026 3 1 33\.3% 1 0 0%/);
      assert.match(text, /February 2026 0 0 – 0 0 –/);
      assert.match(page.body, new RegExp(`href="/cases/${ids.late}">Lena Late</a>`));
      assert.match(text, /Lena Late TL-02 5 January 2026 25 May 2026 30 June 2026 25 weeks 1 day No/);
      assert.match(text, /Ezra Excused TL-03 2 February 2026 22 June 2026 20 July 2026 24 weeks Yes: The school or setting was closed for at least 4 weeks/);
      assert.doesNotMatch(text, /Rae Rowe|TL-05/);
      assert.match(text, /1 plan issued late for restricted records is counted above but not listed/);
      assert.doesNotMatch(text, /Olly Ontime|Ava Away/, 'plans on time are not listed');
      // The form shows the period counted.
      assert.match(page.body, /name="from-day"[^>]*value="21"|value="21"[^>]*name="from-day"/);
      assert.match(page.body, /href="\/cases\/timeliness\.csv\?from-day=21&amp;from-month=11&amp;from-year=2025&amp;to-day=20&amp;to-month=11&amp;to-year=2026"/);
    });

    it('downloads the figures by month as CSV', async () => {
      const csv = await get('/cases/timeliness.csv', 'admin');
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.match(String(csv.headers['content-disposition']), /attachment; filename="onebudget-ehc-timeliness-tl-2025-11-21-to-2026-11-20\.csv"/);
      const lines = csv.body.trim().split('\n');
      assert.equal(lines.length, 1 + 13 + 1);
      assert.equal(
        lines[0],
        'month_of_issue,plans_issued,within_20_weeks,percent_within_20_weeks,plans_issued_excluding_exceptions,within_20_weeks_excluding_exceptions,percent_within_20_weeks_excluding_exceptions,plans_with_exceptions,within_20_weeks_with_exceptions',
      );
      assert.equal(lines[1], '2025-11,0,0,,0,0,,0,0');
      assert.ok(lines.includes('2026-05,1,1,100.0,1,1,100.0,0,0'));
      assert.ok(lines.includes('2026-06,2,0,0.0,2,0,0.0,0,0'));
      assert.ok(lines.includes('2026-07,3,1,33.3,1,0,0.0,2,1'));
      assert.equal(lines.at(-1), 'total,6,2,33.3,4,1,25.0,2,1');
      assert.doesNotMatch(csv.body, /Lena|TL-0/, 'figures only, no names');
    });

    it('counts a chosen period', async () => {
      const r = await json('/api/v1/reports/timeliness?from=2025-01-01&to=2025-12-31', 'admin');
      assert.equal(r.figures.issued, 1);
      assert.equal(r.figures.withinTwentyWeeks, 0);
      assert.deepEqual(r.late?.map((p) => p.reference), ['TL-07']);
      assert.equal(r.byMonth.length, 12);
      const page = await get('/cases/timeliness?from-day=1&from-month=7&from-year=2026&to-day=31&to-month=7&to-year=2026', 'admin');
      assert.equal(page.statusCode, 200);
      assert.match(textOf(page.body), /1 July 2026 to 31 July 2026/);
      assert.match(textOf(page.body), /Final EHC plans issued 3 Issued within 20 weeks of the request 1 Percentage within 20 weeks 33\.3%/);
    });

    it('counts a caseworker’s team only, and names restricted people only to the workers who may open them', async () => {
      const worker = await json('/api/v1/reports/timeliness', 'worker');
      assert.equal(worker.scope, 'team');
      assert.deepEqual([worker.figures.issued, worker.figures.withinTwentyWeeks, worker.figures.percentWithin], [5, 2, 40]);
      assert.deepEqual(worker.figures.excludingExceptions, { issued: 3, withinTwentyWeeks: 1, percentWithin: 33.3 });
      assert.deepEqual(worker.openPastTwentyWeeks, { total: 1, withException: 1 });
      assert.deepEqual(worker.late?.map((p) => p.reference), ['TL-02', 'TL-03']);
      assert.equal(worker.lateNotListed, 1, 'the restricted person’s late plan is counted, not named');
      const named = await json('/api/v1/reports/timeliness', 'named');
      assert.deepEqual(named.late?.map((p) => p.reference), ['TL-05', 'TL-02', 'TL-03'], 'the worker named on the restricted record sees it');
      assert.equal(named.lateNotListed, 0);
      const adults = await json('/api/v1/reports/timeliness', 'adults');
      assert.deepEqual([adults.figures.issued, adults.figures.withinTwentyWeeks, adults.figures.percentWithin], [1, 0, 0]);
      assert.deepEqual(adults.late?.map((p) => p.reference), ['TL-06']);
      assert.deepEqual(adults.openPastTwentyWeeks, { total: 1, withException: 0 });
      const page = await get('/cases/timeliness', 'adults');
      assert.equal(page.statusCode, 200);
      assert.match(textOf(page.body), /Olga Other/);
      assert.doesNotMatch(textOf(page.body), /Lena Late|Ezra Excused|Rae Rowe|TL-02|TL-03|TL-05/, 'another team’s people are not named');
      assert.match(textOf(page.body), /Cases led by you and your team/);
    });

    it('gives a commissioner the council’s figures without a single name', async () => {
      const r = await json('/api/v1/reports/timeliness', 'commissioner');
      assert.equal(r.scope, 'council');
      assert.equal(r.figures.issued, 6);
      assert.equal(r.figures.excludingExceptions.percentWithin, 25);
      assert.equal(r.late, null);
      assert.equal(r.lateNotListed, 4);
      const page = await get('/cases/timeliness', 'commissioner');
      assert.equal(page.statusCode, 200);
      const text = textOf(page.body);
      assert.match(text, /4 final plans were issued after 20 weeks\. They are not listed: commissioners see the figures only\./);
      assert.doesNotMatch(page.body, /TL-\d\d|Lena|Ezra|Olga|Rae|\/cases\/[0-9a-f]{8}-/);
      assert.match(page.body, /href="\/cases\/timeliness" aria-current="page">\s*<strong[^>]*>EHC timeliness</, 'the report is in the commissioner’s navigation');
      assert.equal((await get('/cases', 'commissioner')).statusCode, 403, 'but not the caseload');
      assert.equal((await get('/cases/timeliness.csv', 'commissioner')).statusCode, 200);
    });

    it('is linked from the caseload', async () => {
      const caseload = await get('/cases', 'worker');
      assert.match(caseload.body, /<a class="govuk-link" href="\/cases\/timeliness">EHC plan timeliness/);
    });

    it('refuses impossible dates with the GOV.UK error next to the field, on the page, the CSV and the API', async () => {
      const impossible = await get('/cases/timeliness?from-day=31&from-month=2&from-year=2026&to-day=1&to-month=3&to-year=2026', 'admin');
      assert.equal(impossible.statusCode, 400);
      assert.match(impossible.body, /govuk-error-summary/);
      assert.match(impossible.body, /href="#from-day">The start date must be a real date</);
      assert.match(impossible.body, /id="from-error"[^>]*>[\s\S]*?The start date must be a real date/);
      assert.match(impossible.body, /name="from-day"[^>]*value="31"|value="31"[^>]*name="from-day"/, 'what was typed is kept');
      assert.doesNotMatch(impossible.body, /Final EHC plans issued/);
      const missing = await get('/cases/timeliness?to-day=1&to-year=2026', 'admin');
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /href="#to-month">The end date must include a month</);
      const backwards = await get('/cases/timeliness?from-day=1&from-month=6&from-year=2026&to-day=1&to-month=1&to-year=2026', 'admin');
      assert.equal(backwards.statusCode, 400);
      assert.match(backwards.body, /href="#to-day">The end date must be the same as or after the start date</);
      assert.equal((await get('/cases/timeliness.csv?from-day=31&from-month=2&from-year=2026', 'admin')).statusCode, 400);

      const api422 = await get('/api/v1/reports/timeliness?from=2026-02-31', 'admin');
      assert.equal(api422.statusCode, 422);
      assert.match(String(api422.headers['content-type']), /application\/problem\+json/);
      assert.deepEqual((api422.json() as { errors: unknown[] }).errors, [{ path: 'from', message: 'The start date must be a real date' }]);
      const apiBackwards = await get('/api/v1/reports/timeliness?from=2026-06-01&to=2026-01-01', 'admin');
      assert.equal(apiBackwards.statusCode, 422);
      assert.deepEqual((apiBackwards.json() as { errors: unknown[] }).errors, [{ path: 'to', message: 'The end date must be the same as or after the start date' }]);
      const api400 = await get('/api/v1/reports/timeliness?from=yesterday', 'admin');
      assert.equal(api400.statusCode, 400);
      assert.match(String(api400.headers['content-type']), /application\/problem\+json/);
    });

    it('renders every report page as valid HTML', async () => {
      const ours = renderedPages.filter((p) => /^GET \/cases\/timeliness/.test(p.url) || /^GET \/cases →/.test(p.url));
      assert.ok(ours.length >= 8, `${ours.length} pages`);
      assert.deepEqual(await invalidPages(ours), []);
    });
  });
}
