/**
 * Allocation models in the browser (issue 4): an administrator imports a model file, reads it,
 * changes it (JSON with errors named by path, the text kept; the structured prices form), previews
 * it with sample answers, and publishes it with a reason. A published version cannot be changed,
 * neither through the pages nor by a direct UPDATE through the application role. Anyone reads the
 * model in force at /c/{council}/allocation; the JSON download reads back to the same model.
 * Both engines.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, type CouncilFixture } from '../support/fixtures.ts';
import { cookieHeader, csrfFrom, fixturePasswordHash, renderedPages, signIn, testApp, withResponseCookies } from '../support/app.ts';
import { invalidPages } from '../support/html.ts';
import { tenantRunner } from '../../src/db/tenancy.ts';
import { CHILDREN_BANDS_JSON } from '../../src/domain/allocation/examples.ts';
import { modelToJson, parseModel } from '../../src/domain/allocation/validate.ts';
import type { ModelJson } from '../../src/domain/allocation/schema.ts';

/** A multipart/form-data body, as a browser sends a form with a file. */
function multipart(fields: Record<string, string>, file: { name: string; filename: string; content: string }) {
  const boundary = `----onebudget${crypto.randomBytes(8).toString('hex')}`;
  const parts = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: application/json\r\n\r\n${file.content}\r\n`,
  );
  parts.push(`--${boundary}--\r\n`);
  return { payload: Buffer.from(parts.join(''), 'utf8'), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The text of an HTML element's content, entities decoded. */
function decode(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&');
}

/** What a page says, without its tags, spaces collapsed. */
function words(html: string): string {
  return decode(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
}

function errorSummary(html: string): string {
  const match = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html);
  assert.ok(match, 'the page has an error summary');
  return decode(match[0]);
}

/** The model with a second stream converted by price per point (health, £42.50 a point). */
function withHealthStream(): ModelJson {
  const json = structuredClone(CHILDREN_BANDS_JSON);
  return {
    ...json,
    conversions: { ...json.conversions, health_continuing_care: { kind: 'price-per-point', pricePerPointPence: 4_250, rangePercent: 5 } },
  };
}

for (const engine of await testEngines()) {
  describe(`allocation models (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let council: CouncilFixture;
    let admin: Record<string, string>;
    let worker: Record<string, string>;

    const get = (url: string, jar?: Record<string, string>) => app.inject({ url, headers: jar ? { cookie: cookieHeader(jar) } : {} });
    const auditRows = (action: string) => database.db.selectFrom('audit_events').selectAll().where('action', '=', action).orderBy('seq').execute();
    const versions = () => database.db.selectFrom('allocation_models').select(['version', 'status']).where('council_id', '=', council.councilId).orderBy('version').execute();

    /** A urlencoded form post from `pageUrl`'s page (its CSRF token and cookies). */
    async function post(pageUrl: string, url: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
      const page = await get(pageUrl, admin);
      const jar = withResponseCookies(admin, page);
      return app.inject({
        method: 'POST',
        url,
        headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrfFrom(page.body), ...fields }).toString(),
      });
    }

    /** A file upload from `pageUrl`'s page. */
    async function upload(pageUrl: string, url: string, content: string, fields: Record<string, string> = {}): Promise<LightMyRequestResponse> {
      const page = await get(pageUrl, admin);
      const jar = withResponseCookies(admin, page);
      const body = multipart({ _csrf: csrfFrom(page.body), ...fields }, { name: 'modelFile', filename: 'model.json', content });
      return app.inject({ method: 'POST', url, headers: { cookie: cookieHeader(jar), 'content-type': body.contentType }, payload: body.payload });
    }

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      council = await addCouncil(database, 'omicron', { passwordHash, email: 'worker@omicron.test' });
      app = await testApp(database);
      await app.ready();
      admin = await signIn(app, council.adminEmail);
      worker = await signIn(app, 'worker@omicron.test');
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    it('refuses a caseworker, and sends an anonymous visitor to sign in', async () => {
      assert.equal((await get('/allocation/models', worker)).statusCode, 403);
      assert.equal((await get('/allocation/models/1', worker)).statusCode, 403);
      const anonymous = await get('/allocation/models');
      assert.equal(anonymous.statusCode, 303);
      assert.match(String(anonymous.headers.location), /^\/sign-in/);
    });

    it('says plainly on the public page when nothing is published', async () => {
      const page = await get(`/c/${council.slug}/allocation`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /has not published an allocation model yet/);
    });

    it('refuses an upload with an unknown field, naming its path, and saves nothing', async () => {
      const json = structuredClone(CHILDREN_BANDS_JSON) as ModelJson & { conversions: { social_care: Record<string, unknown> } };
      json.conversions.social_care.colour = 'blue';
      const response = await upload('/allocation/models', '/allocation/models/new', JSON.stringify(json));
      assert.equal(response.statusCode, 400);
      assert.match(errorSummary(response.body), /conversions\.social_care\.colour: Unknown field "colour"/);
      const notJson = await upload('/allocation/models', '/allocation/models/new', '{"name": "Half a model",');
      assert.equal(notJson.statusCode, 400);
      assert.match(errorSummary(notJson.body), /not valid JSON at line 1/);
      assert.deepEqual(await versions(), []);
      assert.equal((await auditRows('allocation_model.draft_started')).length, 0);
    });

    it('imports a model file as a new draft and shows it readably', async () => {
      const empty = await get('/allocation/models', admin);
      assert.match(empty.body, /There is no allocation model yet/);
      const response = await upload('/allocation/models', '/allocation/models/new', JSON.stringify(CHILDREN_BANDS_JSON, null, 2));
      assert.equal(response.statusCode, 303, response.body);
      assert.equal(response.headers.location, '/allocation/models/1?done=started');
      assert.deepEqual(await versions(), [{ version: 1, status: 'draft' }]);
      const [event] = await auditRows('allocation_model.draft_started');
      assert.equal(event?.actor_id, council.adminId);

      const page = await get('/allocation/models/1?done=started', admin);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Version 1 is a new draft/);
      assert.match(page.body, /govuk-tag--yellow">Draft/);
      assert.match(page.body, /Staying safe/);
      assert.match(page.body, /Asked from age 14 to 25/);
      assert.match(page.body, /Exceptional support/);
      assert.match(page.body, /135 points or more/);
      assert.match(page.body, /£14,500.00/);
      assert.match(page.body, /Age 5 to 10: 10% less/);
      assert.match(page.body, /£13,000.00 a year: a budget above this is capped/);
      assert.match(page.body, /Rounded to the nearest £10/);
      assert.match(page.body, /a reduction in the first year is limited to 15%/);
      for (const link of ['/allocation/models/1/edit', '/allocation/models/1/preview', '/allocation/models/1/publish', '/allocation/models/1/model.json']) {
        assert.ok(page.body.includes(`href="${link}"`), `links to ${link}`);
      }

      const list = await get('/allocation/models', admin);
      assert.match(list.body, /Version 1 is a draft already/);
      assert.match(list.body, /Children&#39;s social care resource allocation \(example\)/);
      const again = await upload('/allocation/models', '/allocation/models/new', JSON.stringify(CHILDREN_BANDS_JSON));
      assert.equal(again.statusCode, 400);
      assert.match(errorSummary(again.body), /Version 1 is already a draft/);
    });

    it('refuses overlapping bands in the JSON, naming the path, and keeps exactly what was typed', async () => {
      const json = structuredClone(CHILDREN_BANDS_JSON);
      const bands = json.conversions.social_care?.kind === 'bands' ? json.conversions.social_care.bands : [];
      (bands[2] as { fromPoints: number }).fromPoints = 40;
      // Characters HTML escapes, odd indentation and trailing spaces must all come back as typed.
      const typed = `${JSON.stringify({ ...json, description: 'Tom & Jerry\'s <b>"model"</b>' }, null, 1)}\n   `;
      const before = await database.db.selectFrom('allocation_models').select('updated_at').where('version', '=', 1).executeTakeFirstOrThrow();
      const response = await post('/allocation/models/1/edit', '/allocation/models/1/edit', { form: 'json', json: typed });
      assert.equal(response.statusCode, 400);
      assert.match(errorSummary(response.body), /conversions\.social_care\.bands\[2\]\.fromPoints: This band overlaps the one before/);
      const textarea = /<textarea[^>]*id="json"[^>]*>([\s\S]*?)<\/textarea>/.exec(response.body);
      assert.ok(textarea?.[1] !== undefined);
      assert.equal(decode(textarea[1]), typed, 'the textarea keeps the input');
      const still = await database.db.selectFrom('allocation_models').select('updated_at').where('version', '=', 1).executeTakeFirstOrThrow();
      assert.deepEqual(still.updated_at, before.updated_at, 'nothing saved');
    });

    it('saves a corrected model from the textarea', async () => {
      const response = await post('/allocation/models/1/edit', '/allocation/models/1/edit', { form: 'json', json: JSON.stringify(withHealthStream(), null, 2) });
      assert.equal(response.statusCode, 303, response.body);
      assert.equal(response.headers.location, '/allocation/models/1?done=saved');
      const page = await get('/allocation/models/1?done=saved', admin);
      assert.match(page.body, /Your changes to version 1 are saved/);
      assert.match(page.body, /£42.50 for each point/);
      assert.equal((await auditRows('allocation_model.draft_changed')).length, 1);
    });

    it('changes the price per point, minimum and cap through the structured form', async () => {
      const form = await get('/allocation/models/1/edit', admin);
      assert.match(form.body, /id="price-health_continuing_care"[^>]*value="42.50"/);
      assert.match(form.body, /id="cap-social_care"[^>]*value="13000.00"/);
      const fields = {
        form: 'prices',
        'price-health_continuing_care': '45',
        'minimum-health_continuing_care': '',
        'cap-health_continuing_care': '',
        'minimum-social_care': '',
        'cap-social_care': '13,000.00',
      };
      const bad = await post('/allocation/models/1/edit', '/allocation/models/1/edit', { ...fields, 'price-health_continuing_care': '45.5.0', 'minimum-social_care': '£20,000' });
      assert.equal(bad.statusCode, 400);
      const summary = errorSummary(bad.body);
      assert.match(summary, /href="#price-health_continuing_care">Enter the price per point for health in pounds and pence/);
      assert.match(summary, /href="#minimum-social_care">The minimum budget for social care must not be more than its cap/);
      assert.match(bad.body, /id="price-health_continuing_care-error"/, 'the error is shown next to the field');
      assert.match(bad.body, /value="45.5.0"/, 'what was typed is kept');

      const saved = await post('/allocation/models/1/edit', '/allocation/models/1/edit', fields);
      assert.equal(saved.statusCode, 303, saved.body);
      const page = await get('/allocation/models/1', admin);
      assert.match(page.body, /£45.00 for each point/);
      assert.equal((await auditRows('allocation_model.draft_changed')).length, 2);
    });

    it('previews sample answers with the full explanation, and says which answer is missing', async () => {
      const form = await get('/allocation/models/1/preview', admin);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Needs extra help with staying safe every day/, 'level guidance as hints');
      const answers = Object.fromEntries(['staying-safe', 'nights', 'health', 'play-and-learning', 'getting-out', 'communication', 'family'].map((q) => [`q-${q}`, 'lots']));

      const missing = await post('/allocation/models/1/preview', '/allocation/models/1/preview', { ...answers, 'q-nights': '', age: 'eight' });
      assert.equal(missing.statusCode, 400);
      const summary = errorSummary(missing.body);
      assert.match(summary, /href="#age">The age must be a whole number of years/);
      assert.match(summary, /href="#q-nights">Select an answer for "Support at night"/);
      assert.match(missing.body, /id="q-nights-error"/);

      const response = await post('/allocation/models/1/preview', '/allocation/models/1/preview', { ...answers, age: '8', 'current-social_care': '14,000.00', 'current-health_continuing_care': '' });
      assert.equal(response.statusCode, 200, response.body);
      const body = decode(response.body);
      // 7 answers × 21 points = 147 points.
      assert.match(body, /Getting out and about — Lots of support: 21 points/);
      assert.match(body, /147 points × £45.00 = £6,615.00/);
      assert.match(body, /147 points is in the band "Exceptional" \(135 points or more\): £14,500.00/);
      assert.match(body, /Age adjustment, age 8: −10% of £14,500.00 = −£1,450.00/);
      assert.match(body, /Capped at £13,000.00: −£50.00/);
      assert.match(body, /The new budget of £13,000.00 is £1,000.00 less than the current package of £14,000.00/);
      assert.match(body, /reached the cap of the allocation model/);
      assert.match(body, /Indicative budget: £19,615.00 a year/);
      assert.doesNotMatch(body, /Becoming independent — /, 'a question not asked at 8 is left out');
    });

    it('publishes the draft with a reason, after a confirmation page', async () => {
      const confirm = await get('/allocation/models/1/publish', admin);
      assert.equal(confirm.statusCode, 200);
      assert.match(confirm.body, /Publish version 1\?/);
      assert.match(confirm.body, /A published version can never be changed/);
      const noReason = await post('/allocation/models/1/publish', '/allocation/models/1/publish', { reason: '  ' });
      assert.equal(noReason.statusCode, 400);
      assert.match(errorSummary(noReason.body), /Enter why you are publishing this version/);
      assert.deepEqual(await versions(), [{ version: 1, status: 'draft' }]);

      const response = await post('/allocation/models/1/publish', '/allocation/models/1/publish', { reason: 'Agreed by the budget board' });
      assert.equal(response.statusCode, 303, response.body);
      assert.equal(response.headers.location, '/allocation/models/1?done=published');
      const page = await get('/allocation/models/1?done=published', admin);
      assert.match(page.body, /govuk-notification-banner--success/);
      assert.match(page.body, /Version 1 is published/);
      assert.match(page.body, /govuk-tag--green">Published/);
      assert.match(words(page.body), /Published by Administrator at omicron/);
      const [event] = await auditRows('allocation_model.published');
      assert.equal(event?.reason, 'Agreed by the budget board');
    });

    it('refuses to change a published version, on the pages and in the database', async () => {
      for (const url of ['/allocation/models/1/edit', '/allocation/models/1/publish']) {
        const page = await get(url, admin);
        assert.equal(page.statusCode, 409, url);
        assert.match(page.body, /Version 1 is published and cannot be changed. Start a new draft instead./);
      }
      const posted = await post('/allocation/models/1', '/allocation/models/1/edit', { form: 'json', json: JSON.stringify(CHILDREN_BANDS_JSON) });
      assert.equal(posted.statusCode, 409);

      const withCouncil = tenantRunner(database);
      await assert.rejects(
        withCouncil(council.councilId, (tx) =>
          tx.updateTable('allocation_models').set({ model: JSON.stringify(CHILDREN_BANDS_JSON) }).where('version', '=', 1).execute(),
        ),
        /allocation model version 1 is published and cannot be changed/,
      );
      assert.deepEqual(await versions(), [{ version: 1, status: 'published' }]);
    });

    it('shows the published model to anyone at /c/{council}/allocation', async () => {
      const home = await get(`/c/${council.slug}`);
      assert.ok(home.body.includes(`href="/c/${council.slug}/allocation"`), 'the council home page links to it');
      const page = await get(`/c/${council.slug}/allocation`);
      assert.equal(page.statusCode, 200);
      assert.match(words(page.body), /Version 1 In force since 20 November 2026/);
      assert.match(page.body, /20 November 2026/);
      assert.match(page.body, /How much help does your child need at night\?/);
      assert.match(page.body, /Social care: allocation table/);
      assert.match(page.body, /£14,500.00/);
      assert.match(page.body, /£45.00 for each point/);
      assert.match(page.body, /Who decides/);
      assert.match(page.body, /The indicative budget is an estimate, not a decision/);
      assert.equal((await get('/c/no-such-council/allocation')).statusCode, 404);
    });

    it('downloads a version as JSON that reads back to the same model', async () => {
      const response = await get('/allocation/models/1/model.json', admin);
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      assert.equal(response.headers['content-disposition'], 'attachment; filename="allocation-model-version-1.json"');
      assert.match(response.body, /^\{\n {2}"name"/, 'pretty-printed');
      const parsed = parseModel(JSON.parse(response.body));
      assert.ok(parsed.ok);
      assert.deepEqual(JSON.parse(response.body), modelToJson(parsed.value), 'the file is the model, unchanged by reading it');
      // It is the model as last saved: the imported one, with the health stream at £45.00 a point.
      const expected = withHealthStream();
      assert.ok(expected.conversions.health_continuing_care?.kind === 'price-per-point');
      expected.conversions.health_continuing_care.pricePerPointPence = 4_500;
      assert.deepEqual(JSON.parse(response.body), expected);
    });

    it('starts a new draft from the published version, which would replace it', async () => {
      const response = await post('/allocation/models/1', '/allocation/models/new', { copyOf: '1' });
      assert.equal(response.statusCode, 303, response.body);
      assert.equal(response.headers.location, '/allocation/models/2?done=started');
      const confirm = await get('/allocation/models/2/publish', admin);
      assert.match(confirm.body, /It replaces version 1 from today/);
      assert.equal((await get('/allocation/models/x', admin)).statusCode, 400);
      assert.equal((await get('/allocation/models/99', admin)).statusCode, 404);
    });

    it('renders valid HTML on every page', async () => {
      const ours = renderedPages.filter((p) => / \/(allocation\/models|c\/omicron)/.test(p.url));
      assert.ok(ours.length > 10);
      assert.deepEqual(await invalidPages(ours), []);
    });
  });
}
