/** Small, explicit test data: two councils, each with staff, a person and a budget line. */
import crypto from 'node:crypto';
import type { Database } from '../../src/db/database.ts';
import { loadConfig } from '../../src/config.ts';
import { sealedFor, secretBox } from '../../src/services/secret-box.ts';

export interface CouncilFixture {
  readonly councilId: string;
  readonly slug: string;
  readonly accountId: string;
  readonly adminId: string;
  readonly adminEmail: string;
  readonly personId: string;
  readonly restrictedPersonId: string;
  readonly streamId: string;
}

// A fixed argon2id hash of 'correct horse battery staple' (m=19456, t=2, p=1).
export const FIXTURE_PASSWORD = 'correct horse battery staple';

/** The authenticator secret of every fixture staff member (not the demo secret, so no demo code is shown). */
export const FIXTURE_TOTP_SECRET = 'FIXTURETOTPSECRETFORTESTSONLYAAA';

/** The key the test apps encrypt authenticator secrets with (their SESSION_SECRET). */
export const TEST_SESSION_SECRET = loadConfig({ NODE_ENV: 'test' }).sessionSecret;

export async function addCouncil(
  database: Database,
  slug: string,
  options: {
    passwordHash: string;
    email?: string;
    /**
     * The staff member has set up an authenticator app with FIXTURE_TOTP_SECRET: the default when
     * options are given. Without options (no usable password) there is no app either, so that a
     * database migrated only part of the way can still take a fixture council.
     */
    mfa?: boolean;
  } = { passwordHash: 'not-a-real-hash', mfa: false },
): Promise<CouncilFixture> {
  const id = () => crypto.randomUUID();
  const email = options.email ?? `worker@${slug}.test`;
  const f = { councilId: id(), slug, accountId: id(), adminId: id(), adminEmail: `admin-${email}`, personId: id(), restrictedPersonId: id(), streamId: id() };
  const db = database.db;
  await db.insertInto('councils').values({ id: f.councilId, slug, name: `${slug} Council` }).execute();
  await db
    .insertInto('funding_streams')
    .values({ id: f.streamId, council_id: f.councilId, code: 'social_care', name: 'Social care', funder: 'Council', annual_envelope_pence: 100_000_000n })
    .execute();
  await db
    .insertInto('accounts')
    .values({
      id: f.accountId,
      council_id: f.councilId,
      kind: 'staff',
      email,
      display_name: `Worker at ${slug}`,
      role: 'caseworker',
      job_title: 'SEND caseworker',
      team: 'SEND',
      approval_limit_pence: null,
      password_hash: options.passwordHash,
    })
    .execute();
  await db
    .insertInto('accounts')
    .values({
      id: f.adminId,
      council_id: f.councilId,
      kind: 'staff',
      email: f.adminEmail,
      display_name: `Administrator at ${slug}`,
      role: 'administrator',
      job_title: 'System administrator',
      team: 'Digital',
      approval_limit_pence: null,
      password_hash: options.passwordHash,
    })
    .execute();
  if (options.mfa !== false) {
    await enrolStaff(database, f.councilId, f.accountId, FIXTURE_TOTP_SECRET);
    await enrolStaff(database, f.councilId, f.adminId, FIXTURE_TOTP_SECRET);
  }
  const person = (personId: string, restricted: boolean, leadWorkerId: string | null) => ({
    id: personId,
    council_id: f.councilId,
    reference: `${slug.toUpperCase()}-${restricted ? '2' : '1'}`,
    given_name: restricted ? 'Robin' : 'Alex',
    family_name: `${slug}son`,
    date_of_birth: '2015-03-01',
    postcode: 'NM1 1AA',
    case_type: 'ehc' as const,
    primary_need: 'ASD' as const,
    needs_summary: 'Autistic; needs support with changes in routine.',
    setting: 'Test Primary School',
    stage: 'agreed' as const,
    stage_since: '2025-01-10',
    request_date: '2024-09-01',
    lead_worker_id: leadWorkerId,
    indicative_budget_pence: 1_250_000n,
    current_package_pence: null,
    restricted,
  });
  await db.insertInto('people').values([person(f.personId, false, f.accountId), person(f.restrictedPersonId, true, null)]).execute();
  await db
    .insertInto('budget_lines')
    .values({
      id: id(),
      council_id: f.councilId,
      person_id: f.personId,
      funding_stream_id: f.streamId,
      management: 'direct_payment',
      description: 'Personal assistant, 6 hours a week',
      annual_pence: 483_600n,
    })
    .execute();
  return f;
}

/** Gives a staff member an authenticator app with this secret, as if they had set it up. */
export async function enrolStaff(database: Database, councilId: string, accountId: string, secret: string): Promise<void> {
  await database.db
    .insertInto('account_mfa')
    .values({
      account_id: accountId,
      council_id: councilId,
      totp_secret: secretBox(TEST_SESSION_SECRET).seal(secret, sealedFor.staffTotp(accountId)),
      enrolled_at: new Date('2026-01-05T09:00:00Z'),
      last_used_step: 0n,
    })
    .execute();
}

/** Another staff member in a fixture council; enrolled with `mfaSecret` unless it is null. */
export async function addStaff(
  database: Database,
  councilId: string,
  options: { email: string; passwordHash: string; mfaSecret?: string | null; role?: 'caseworker' | 'commissioner' },
): Promise<string> {
  const accountId = crypto.randomUUID();
  await database.db
    .insertInto('accounts')
    .values({
      id: accountId,
      council_id: councilId,
      kind: 'staff',
      email: options.email,
      display_name: `Staff ${options.email}`,
      role: options.role ?? 'caseworker',
      job_title: 'SEND caseworker',
      team: 'SEND',
      approval_limit_pence: null,
      password_hash: options.passwordHash,
    })
    .execute();
  const secret = options.mfaSecret === undefined ? FIXTURE_TOTP_SECRET : options.mfaSecret;
  if (secret !== null) await enrolStaff(database, councilId, accountId, secret);
  return accountId;
}
