/** Sessions end after 30 idle minutes and after 12 hours whatever happens; sign-out ends them at once. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/databases.ts';
import { addCouncil, FIXTURE_TOTP_SECRET, TEST_SESSION_SECRET } from '../support/fixtures.ts';
import { FIXTURE_PASSWORD } from '../support/fixtures.ts';
import { fixturePasswordHash } from '../support/app.ts';
import { services } from '../../src/services/index.ts';
import { totpCode, totpStep } from '../../src/domain/identity/totp.ts';
import type { Clock } from '../../src/clock.ts';

const context = { requestId: 'test', sourceAddress: '127.0.0.1' };

for (const engine of await testEngines()) {
  describe(`sessions (${engine})`, () => {
    let database: TestDatabase;
    let now = new Date('2026-11-20T09:00:00Z');
    const clock: Clock = { now: () => new Date(now), today: () => now.toISOString().slice(0, 10) };
    const minutes = (n: number) => (now = new Date(now.getTime() + n * 60_000));
    let auth: ReturnType<typeof services>['auth'];

    before(async () => {
      database = await createTestDatabase(engine);
      await addCouncil(database, 'delta', { passwordHash: await fixturePasswordHash(), email: 'worker@delta.test' });
      auth = services({ database, clock, sessionIdleMinutes: 30, sessionSecret: TEST_SESSION_SECRET }).auth;
    });
    after(async () => database.dispose());

    /** Both steps: the password, then the authenticator code of this moment. The session token, or undefined. */
    const signIn = async (email: string, password: string): Promise<string | undefined> => {
      const first = await auth.startSignIn(email, password, context);
      if (first.outcome !== 'second-factor') return undefined;
      const second = await auth.finishWithAuthenticatorCode(first.pendingToken, totpCode(FIXTURE_TOTP_SECRET, totpStep(now)), context);
      return second.outcome === 'signed-in' ? second.sessionToken : undefined;
    };

    it('refuses a wrong password and an unknown email alike', async () => {
      assert.deepEqual(await auth.startSignIn('worker@delta.test', 'not the password', context), { outcome: 'refused' });
      assert.deepEqual(await auth.startSignIn('nobody@delta.test', FIXTURE_PASSWORD, context), { outcome: 'refused' });
      assert.equal(await signIn('worker@delta.test', 'not the password'), undefined);
    });

    it('keeps a session alive while it is used, and ends it after 30 idle minutes', async () => {
      const token = await signIn('WORKER@delta.test', FIXTURE_PASSWORD);
      assert.ok(token);
      for (let i = 0; i < 4; i++) {
        minutes(29);
        assert.equal((await auth.resolve(token))?.displayName, 'Worker at delta', `still signed in after ${(i + 1) * 29} busy minutes`);
      }
      minutes(31);
      assert.equal(await auth.resolve(token), undefined);
    });

    it('ends any session 12 hours after sign-in, however busy', async () => {
      const token = await signIn('worker@delta.test', FIXTURE_PASSWORD);
      assert.ok(token);
      for (let i = 0; i < 24; i++) {
        minutes(29);
        await auth.resolve(token);
      }
      minutes(29); // 12 h 5 min after sign-in
      assert.equal(await auth.resolve(token), undefined);
    });

    it('ends a session at sign-out', async () => {
      const token = await signIn('worker@delta.test', FIXTURE_PASSWORD);
      assert.ok(token);
      const actor = await auth.resolve(token);
      assert.ok(actor);
      await auth.signOut(token, actor, context);
      assert.equal(await auth.resolve(token), undefined);
    });

    it('does not accept a made-up token', async () => {
      assert.equal(await auth.resolve('not-a-real-session-token'), undefined);
    });
  });
}
