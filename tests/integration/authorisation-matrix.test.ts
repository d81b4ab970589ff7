/**
 * The authorisation matrix: every registered page and API route, called by every kind of actor,
 * is allowed or refused exactly as its declared access and the policy say. A route added without
 * a declared access cannot even be registered (see web.test.ts), so it cannot slip past this.
 *
 * Actors now: anonymous, each staff role of council A, and a caseworker of council B. Family and
 * provider users join the matrix when their accounts exist.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, enrolStaff, FIXTURE_TOTP_SECRET, type CouncilFixture } from '../support/fixtures.ts';
import { cookieHeader, csrfFrom, fixturePasswordHash, signIn, testApp } from '../support/app.ts';
import { mayDo, type Actor } from '../../src/domain/access/policy.ts';
import type { StaffRole } from '../../src/db/schema.ts';
import type { DeclaredRoute } from '../../src/web/app.ts';

const ROLES: readonly StaffRole[] = ['caseworker', 'approver', 'finance_officer', 'commissioner', 'administrator'];

interface MatrixActor {
  readonly name: string;
  readonly email?: string;
  readonly role?: StaffRole;
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

for (const engine of await testEngines()) {
  describe(`authorisation matrix (${engine})`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let a: CouncilFixture;
    let b: CouncilFixture;
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
      app = await testApp(database);
      await app.ready();
      const email = (role: StaffRole) => (role === 'caseworker' ? 'caseworker@theta.test' : role === 'administrator' ? a.adminEmail : `${role}@theta.test`);
      actors.push({ name: 'anonymous', cookies: '' });
      for (const role of ROLES) actors.push({ name: role, role, email: email(role), cookies: cookieHeader(await signIn(app, email(role))) });
      actors.push({ name: 'caseworker of another council', role: 'caseworker', email: 'caseworker@iota.test', otherCouncil: true, cookies: cookieHeader(await signIn(app, 'caseworker@iota.test')) });
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    function concrete(route: DeclaredRoute): string {
      return route.url
        .replace(':personId', a.personId)
        .replace(':slug', a.slug)
        .replace(/:[A-Za-z]+/g, 'x');
    }

    function expected(route: DeclaredRoute, actor: MatrixActor): Outcome[] {
      if (route.access === 'public') return ['allowed', 'not found'];
      if (actor.role === undefined) return ['sign in first'];
      if (route.access === 'signed-in') return ['allowed'];
      const self: Actor = { kind: 'staff', accountId: 'x', councilId: 'c', councilSlug: 's', councilName: 'n', role: actor.role, displayName: 'x' };
      if (!mayDo(self, route.access)) return ['refused'];
      // Allowed by role; a record of another council is never found.
      if (actor.otherCouncil === true && route.url.includes(':personId')) return ['not found'];
      return ['allowed'];
    }

    it('covers every route the app registers', () => {
      const routes = app.declaredRoutes.filter((r) => !r.url.startsWith('/test-only'));
      assert.ok(routes.length >= 15, `only ${routes.length} routes found`);
      assert.ok(routes.some((r) => r.url.startsWith('/api/v1/')), 'API endpoints are included');
    });

    it('writes exactly one audit event for each read of a person’s record, on every route that reads one', async () => {
      const reading = app.declaredRoutes.filter((r) => r.audit === 'person.viewed');
      assert.ok(reading.length >= 2, 'the person page and the person API both read a record');
      const caseworker = actors.find((x) => x.name === 'caseworker');
      assert.ok(caseworker);
      const count = async () =>
        Number(
          (
            await database.db
              .selectFrom('audit_events')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .where('subject_id', '=', a.personId)
              .where('action', '=', 'person.viewed')
              .executeTakeFirstOrThrow()
          ).n,
        );
      for (const route of reading) {
        const earlier: number = await count();
        const response: LightMyRequestResponse = await app.inject({ method: route.method as 'GET', url: concrete(route), headers: { cookie: caseworker.cookies } });
        assert.equal(response.statusCode, 200, `${route.url}`);
        assert.equal(await count(), earlier + 1, `${route.method} ${route.url} wrote exactly one event`);
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
          if (route.method === 'POST') {
            const page = await app.inject({ url: '/sign-in', headers: { cookie: actor.cookies } });
            const csrfCookie = page.cookies.map((c) => `${c.name}=${c.value}`);
            actor.cookies = [actor.cookies, ...csrfCookie].filter(Boolean).join('; ');
            payload = new URLSearchParams({ _csrf: csrfFrom(page.body) }).toString();
          }
          const response: LightMyRequestResponse = await app.inject({
            method: route.method as 'GET' | 'POST',
            url,
            headers: { cookie: actor.cookies, ...(payload ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
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
      assert.ok(checked >= 100, `checked ${checked} route × actor pairs`);
      assert.ok(b.councilId);
    });
  });
}
