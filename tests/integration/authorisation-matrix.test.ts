/**
 * The authorisation matrix: every registered page and API route, called by every kind of actor,
 * is allowed or refused exactly as its declared access and the policy say. A route added without
 * a declared access cannot even be registered (see web.test.ts), so it cannot slip past this.
 *
 * Actors: anonymous; each staff role of council A; a family member linked to the person and one
 * who is not; a user of the provider holding the person's support and of a provider that does not;
 * a caseworker of council B. Routes about one person are called for council A's person, whose
 * facts (lead worker, family, providers) the expected answer is worked out from with the policy.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, enrolStaff, FIXTURE_TOTP_SECRET, type CouncilFixture } from '../support/fixtures.ts';
import { addFamilyAccount, addProviderUser } from '../support/family.ts';
import { cookieHeader, csrfFrom, fixturePasswordHash, signIn, testApp } from '../support/app.ts';
import { mayDo, type Actor, type PersonAccessFacts } from '../../src/domain/access/policy.ts';
import type { StaffRole } from '../../src/db/schema.ts';
import type { DeclaredRoute } from '../../src/web/app.ts';
import { addAllocationFixtures, type AllocationFixture } from '../support/allocation.ts';
import { addPathwayFixtures, type PathwayFixture } from '../support/pathway.ts';
import { addMoneyFixtures, type MoneyFixture } from '../support/money.ts';


const ROLES: readonly StaffRole[] = ['caseworker', 'approver', 'finance_officer', 'commissioner', 'administrator'];

interface MatrixActor {
  readonly name: string;
  readonly email?: string;
  /** As the policy sees them; undefined for anonymous. */
  readonly actor?: Actor;
  readonly otherCouncil?: boolean;
  cookies: string;
}

type Outcome = 'allowed' | 'refused' | 'sign in first' | 'not found';

function outcomeOf(status: number, location: string | undefined): Outcome {
  if (status === 401 || (status === 303 && location?.startsWith('/sign-in?returnTo') === true)) return 'sign in first';
  if (status === 403) return 'refused';
  if (status === 404) return 'not found';
  return 'allowed';
}

/** Routes about council A's person: named by the person, or by their case, plan or notice. */
function aboutThePerson(route: DeclaredRoute): boolean {
  return [':personId', ':caseId', ':planId', ':refusalId', ':recoveryId', ':lineId'].some((param) => route.url.includes(param));
}


for (const engine of await testEngines()) {
  describe(`authorisation matrix (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let a: CouncilFixture;
    let b: CouncilFixture;
    let facts: PersonAccessFacts;
    let allocation: AllocationFixture;
    let pathway: PathwayFixture;
    let money: MoneyFixture;
    const actors: MatrixActor[] = [];

    before(async () => {
      database = await createTestDatabase(engine);
      const passwordHash = await fixturePasswordHash();
      a = await addCouncil(database, 'theta', { passwordHash, email: 'caseworker@theta.test' });
      b = await addCouncil(database, 'iota', { passwordHash, email: 'caseworker@iota.test' });
      for (const role of ['approver', 'finance_officer', 'commissioner'] as const) {
        const id = crypto.randomUUID();
        await database.db
          .insertInto('accounts')
          .values({ id, council_id: a.councilId, kind: 'staff', email: `${role}@theta.test`, display_name: role, role, job_title: role, team: 'Team', approval_limit_pence: null, password_hash: passwordHash })
          .execute();
        await enrolStaff(database, a.councilId, id, FIXTURE_TOTP_SECRET);
      }
      // The allocation pages name model versions, requests, test groups and runs: real ones, so that every route is reached.
      allocation = await addAllocationFixtures(database, { councilId: a.councilId, adminId: a.adminId, caseworkerId: a.accountId, personId: a.personId });
      const linkedFamily = await addFamilyAccount(database, a.councilId, { email: 'parent@theta.test', passwordHash, links: [{ personId: a.personId, relationship: 'parent_carer' }] });
      await addFamilyAccount(database, a.councilId, { email: 'other-parent@theta.test', passwordHash, links: [{ personId: a.restrictedPersonId, relationship: 'parent_carer' }] });
      pathway = await addPathwayFixtures(database, a, linkedFamily);
      // The money pages name a payment run, a recovery and a spending line: real ones, about the person.
      const financeId = (await database.db.selectFrom('accounts').select('id').where('email', '=', 'finance_officer@theta.test').executeTakeFirstOrThrow()).id;
      money = await addMoneyFixtures(database, a.councilId, { personId: a.personId, caseworkerId: a.accountId, financeOfficerId: financeId });
      const ownProvider = await addProviderUser(database, a.councilId, { email: 'pa@own-provider.test', passwordHash, supports: [a.personId] });
      const otherProvider = await addProviderUser(database, a.councilId, { email: 'pa@other-provider.test', passwordHash, supports: [a.restrictedPersonId] });
      facts = {
        councilId: a.councilId,
        restricted: false,
        leadWorkerId: a.accountId,
        namedWorkerIds: [],
        familyAccountIds: [linkedFamily],
        providerIds: [ownProvider.providerId],
      };
      app = await testApp(database);
      await app.ready();
      const accountIds = new Map(
        (await database.db.selectFrom('accounts').select(['id', 'email']).where('council_id', '=', a.councilId).execute()).map((r) => [r.email, r.id]),
      );
      const base = (email: string, councilId = a.councilId) => ({
        accountId: accountIds.get(email) ?? crypto.randomUUID(),
        councilId,
        councilSlug: 's',
        councilName: 'n',
        displayName: email,
      });
      const email = (role: StaffRole) => (role === 'caseworker' ? 'caseworker@theta.test' : role === 'administrator' ? a.adminEmail : `${role}@theta.test`);
      const add = async (name: string, mail: string, actor: Actor, otherCouncil = false) =>
        actors.push({ name, email: mail, actor, otherCouncil, cookies: cookieHeader(await signIn(app, mail)) });
      actors.push({ name: 'anonymous', cookies: '' });
      for (const role of ROLES) await add(role, email(role), { ...base(email(role)), kind: 'staff', role });
      await add('linked family member', 'parent@theta.test', { ...base('parent@theta.test'), kind: 'family' });
      await add('unlinked family member', 'other-parent@theta.test', { ...base('other-parent@theta.test'), kind: 'family' });
      await add('provider of this person', 'pa@own-provider.test', { ...base('pa@own-provider.test'), kind: 'provider', providerId: ownProvider.providerId, providerName: 'P' });
      await add('provider of another person', 'pa@other-provider.test', { ...base('pa@other-provider.test'), kind: 'provider', providerId: otherProvider.providerId, providerName: 'Q' });
      await add('caseworker of another council', 'caseworker@iota.test', { ...base('caseworker@iota.test', b.councilId), kind: 'staff', role: 'caseworker' }, true);
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    function concrete(route: DeclaredRoute): string {
      return route.url
        .replace(':personId', a.personId)
        .replace(':accountId', a.accountId)
        .replace(':slug', a.slug)
        .replace(':version', '2')
        .replace(':questionId', allocation.questionId)
        .replace(':requestId', allocation.requestId)
        .replace(':groupId', allocation.groupId)
        .replace(':runId', allocation.runId)
        .replace(':caseId', pathway.caseId)
        .replace(':kind', 'decided_to_assess')
        .replace(':planId', pathway.planId)
        // Removing is done to a second outcome and item, so that the first stay for every other route.
        .replace(':outcomeId', route.url.endsWith('/remove') ? 'o2' : 'o1')
        .replace(':itemId', route.url.endsWith('/remove') ? 'i2' : 'i1')
        .replace(':section', 'profile')
        .replace(':commentId', pathway.commentId)
        .replace(':refusalId', pathway.refusalId)
        .replace(':paymentRunId', money.paymentRunId)
        .replace(':recoveryId', money.recoveryId)
        .replace(':lineId', money.lineId)
        .replace(/:[A-Za-z]+/g, 'x');
    }

    function expected(route: DeclaredRoute, matrixActor: MatrixActor): Outcome[] {
      if (route.access === 'public') return ['allowed', 'not found'];
      const actor = matrixActor.actor;
      if (actor === undefined) return ['sign in first'];
      if (route.access === 'signed-in') return ['allowed'];
      if (!mayDo(actor, route.access)) return ['refused'];
      if (!aboutThePerson(route)) return ['allowed'];
      // A record of another council is never found; one a family or provider user is not linked to
      // is "not found" too (ids cannot be probed); staff are told they may not open it.
      // A body the API cannot read is refused (400) before the record is looked up: that tells nothing about it.
      const unreadable: Outcome[] = route.url.startsWith('/api/') && route.method === 'POST' ? ['allowed'] : [];
      if (matrixActor.otherCouncil === true) return ['not found', ...unreadable];
      if (mayDo(actor, route.access, facts)) return ['allowed'];
      return actor.kind === 'staff' ? ['refused', ...unreadable] : ['not found', ...unreadable];
    }

    it('covers every route the app registers', () => {
      const routes = app.declaredRoutes.filter((r) => !r.url.startsWith('/test-only'));
      assert.ok(routes.length >= 15, `only ${routes.length} routes found`);
      assert.ok(routes.some((r) => r.url.startsWith('/api/v1/')), 'API endpoints are included');
      for (const url of ['/cases/timeliness', '/cases/timeliness.csv', '/api/v1/reports/timeliness']) {
        assert.equal(routes.find((r) => r.url === url)?.access, 'cases:report', `the timeliness report ${url} is in the matrix`);
      }
    });

    it('writes exactly one audit event for each read of a person’s record, on every route that reads one', async () => {
      const reading = app.declaredRoutes.filter((r) => r.method === 'GET' && aboutThePerson(r) && r.audit?.startsWith('person.') === true);
      assert.ok(reading.length >= 4, 'the person page, the person API, who has looked and the named workers page read a record');
      const count = async (action?: string) => {
        let q = database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).where('subject_id', '=', a.personId);
        if (action !== undefined) q = q.where('action', '=', action);
        return Number((await q.executeTakeFirstOrThrow()).n);
      };
      for (const route of reading) {
        const reader = actors.find((x) => expected(route, x).length === 1 && expected(route, x)[0] === 'allowed');
        assert.ok(reader, `someone may call ${route.url}`);
        const all = await count();
        const same = await count(route.audit ?? undefined);
        const response: LightMyRequestResponse = await app.inject({ method: 'GET', url: concrete(route), headers: { cookie: reader.cookies } });
        if (response.statusCode === 303 && String(response.headers.location).startsWith(`/people/${a.personId}`)) {
          // Nothing to show yet (no questionnaire in progress, no indicative budget to download): the
          // route sends the reader on to another page of the record, and reads nothing itself.
          assert.equal(await count(), all, `${route.method} ${route.url} redirected and wrote nothing about the person`);
          continue;
        }
        assert.equal(response.statusCode, 200, `${route.url} as ${reader.name}`);
        assert.equal(await count(route.audit ?? undefined), same + 1, `${route.method} ${route.url} wrote exactly one ${route.audit} event`);
        assert.equal(await count(), all + 1, `${route.method} ${route.url} wrote nothing else about the person`);
      }
    });

    it('allows or refuses every route for every actor exactly as declared', async () => {
      // Signing out last: it ends the sessions the rest of the matrix uses.
      const endsSession = (r: DeclaredRoute) => Number(r.audit?.startsWith('account.signed_out') === true);
      const routes = [...app.declaredRoutes].sort((x, y) => endsSession(x) - endsSession(y));
      const mismatches: string[] = [];
      let checked = 0;
      for (const route of routes) {
        for (const actor of actors) {
          const url = concrete(route);
          // Each route that ends sessions gets a fresh one (the one before may already have ended).
          if (endsSession(route) === 1 && actor.email !== undefined) actor.cookies = cookieHeader(await signIn(app, actor.email));
          let payload: string | undefined;
          let csrf: string | undefined;
          if (route.method === 'POST') {
            const page = await app.inject({ url: '/sign-in', headers: { cookie: actor.cookies } });
            const csrfCookie = page.cookies.map((c) => `${c.name}=${c.value}`);
            actor.cookies = [actor.cookies, ...csrfCookie].filter(Boolean).join('; ');
            csrf = csrfFrom(page.body);
            payload = new URLSearchParams({ _csrf: csrf }).toString();
          }
          const response: LightMyRequestResponse = await app.inject({
            method: route.method as 'GET' | 'POST',
            url,
            // The JSON API takes the CSRF token of a session in a header (its body schema drops unknown fields).
            headers: { cookie: actor.cookies, ...(payload ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...(csrf ? { 'x-csrf-token': csrf } : {}) },
            ...(payload ? { payload } : {}),
          });
          const got = outcomeOf(response.statusCode, response.headers.location as string | undefined);
          const want = expected(route, actor);
          checked += 1;
          if (!want.includes(got)) mismatches.push(`${route.method} ${route.url} as ${actor.name}: got ${got} (${response.statusCode}), expected ${want.join(' or ')}`);
          if (actor.otherCouncil === true) {
            assert.doesNotMatch(response.body, new RegExp(a.slug + 'son'), `${route.method} ${route.url} leaked council A's person to council B`);
          }
        }
      }
      assert.deepEqual(mismatches, []);
      assert.equal(actors.length, 11, 'anonymous, five staff roles, two family members, two providers and another council');
      assert.ok(checked >= 30 * actors.length, `checked ${checked} route × actor pairs`);
      assert.ok(b.councilId);
    });
  });
}
