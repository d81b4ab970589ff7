/**
 * The one place that reads the environment. Every other module receives a typed `Config`.
 * In production a missing or weak secret stops the process at once with a message naming it.
 */
import path from 'node:path';

export type Environment = 'development' | 'test' | 'production';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly env: Environment;
  readonly host: string;
  readonly port: number;
  /** Directory of the embedded database (used only when `databaseUrl` is absent). */
  readonly dataDir: string;
  /** postgres://… for a real PostgreSQL; absent means the embedded PGlite database. */
  readonly databaseUrl: string | undefined;
  readonly queryTimeoutMs: number;
  readonly sessionSecret: string;
  readonly sessionIdleMinutes: number;
  readonly logLevel: LogLevel;
  /** Seed the two demo councils when the database is empty. */
  readonly demoData: boolean;
  /**
   * Demo mode: demo data on and not production. Only then are demo staff enrolled with the
   * published demo TOTP secret and do the sign-in pages show its codes. Never in production.
   */
  readonly demoMode: boolean;
  /** The name authenticator apps show for OneBudget accounts (the TOTP issuer). */
  readonly mfaIssuer: string;
  readonly trustProxy: boolean;
  /** Requests a minute one address may make to the JSON API. */
  readonly apiRateLimitPerMinute: number;
  /** How mail leaves OneBudget (src/services/mail/): invitations and password resets. */
  readonly mail: MailConfig;
  /** The absolute address of this service, for links in mail ('https://onebudget.example.gov.uk'), no trailing slash. */
  readonly publicBaseUrl: string;
  /** Staff single sign-on through the council's OpenID Connect provider; undefined when not set up. */
  readonly oidc: OidcConfig | undefined;
  /** Background jobs (pg-boss): payment runs (docs/decisions/0018-payment-runs.md). */
  readonly jobs: JobsConfig;
}

/** JOB_*: how the background job worker polls, and how soon a job whose worker died is run again. */
export interface JobsConfig {
  /** How often an idle worker asks for a job. */
  readonly pollingIntervalSeconds: number;
  /** A job still active after this long is taken to have lost its worker (killed): it is failed and retried. */
  readonly expireInSeconds: number;
  /** How often expired jobs are looked for. A killed run resumes within about expireIn + this + polling. */
  readonly maintenanceIntervalSeconds: number;
  /** How many times a failed job is tried again (a run is safe to retry: its ledger keys make it exactly once). */
  readonly retryLimit: number;
  /** How many payments a payment run posts in one database transaction. */
  readonly paymentRunBatchSize: number;
}

/** The ID token claim that carries the email a staff account is matched by. */
export type OidcEmailClaim = 'email' | 'preferred_username' | 'upn';

/** OIDC_*: staff single sign-on (docs/decisions/0009-staff-single-sign-on.md). */
export interface OidcConfig {
  /** The provider's issuer identifier, e.g. https://login.microsoftonline.com/<tenant id>/v2.0 */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** PUBLIC_BASE_URL + /sign-in/oidc/callback: register it with the provider. */
  readonly redirectUri: string;
  /** The text of the button on the sign-in page. */
  readonly displayName: string;
  /** The council whose staff sign in through this provider: accounts are matched only there. */
  readonly councilSlug: string;
  /** The ID token's `amr` must include "mfa", or the OneBudget authenticator code is asked for too. */
  readonly requireMfa: boolean;
  readonly emailClaim: OidcEmailClaim;
  /**
   * Plain http to the provider. Only ever true outside production with an issuer on this machine
   * (the tests' fake provider, a local Keycloak); production refuses an http issuer.
   */
  readonly allowInsecureRequests: boolean;
}

export type MailTransport = 'outbox' | 'console' | 'smtp' | 'notify';

/** MAIL_TRANSPORT and the settings of the transport it names (the others are undefined). */
export interface MailConfig {
  readonly transport: MailTransport;
  /** outbox: the directory each message is written to as a JSON file. */
  readonly outboxDir: string;
  /** smtp: smtp:// or smtps:// connection URL, with any credentials. */
  readonly smtpUrl: string | undefined;
  /** smtp: the From address. */
  readonly from: string | undefined;
  /** notify: the GOV.UK Notify API key (name-serviceId-secretKey). */
  readonly notifyApiKey: string | undefined;
  /** notify: the id of the one email template, whose personalisation is ((subject)) and ((body)). */
  readonly notifyTemplateId: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Configuration is not valid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** For a process's start: the configuration, or the problems printed and exit code 1 (no stack trace). */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

const MAIL_TRANSPORTS: readonly MailTransport[] = ['outbox', 'console', 'smtp', 'notify'];
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** A GOV.UK Notify API key: its name, then the service id and the secret key, both UUIDs. */
export const NOTIFY_API_KEY_PATTERN = new RegExp(`^(.+)-(${UUID})-(${UUID})$`, 'i');

const DEV_SESSION_SECRET = 'development-only-session-secret-not-for-production-use';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const envName = read('NODE_ENV') ?? 'development';
  if (envName !== 'development' && envName !== 'test' && envName !== 'production') {
    problems.push(`NODE_ENV must be development, test or production (got "${envName}")`);
  }
  const isProduction = envName === 'production';

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return Number(raw);
  };
  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = read(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };

  const databaseUrl = read('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }

  let sessionSecret = read('SESSION_SECRET');
  if (sessionSecret === undefined) {
    if (isProduction) problems.push('SESSION_SECRET is required in production (at least 32 characters)');
    sessionSecret = DEV_SESSION_SECRET;
  } else if (sessionSecret.length < 32) {
    problems.push('SESSION_SECRET must be at least 32 characters');
  }
  if (isProduction && databaseUrl === undefined && !boolean('ALLOW_EMBEDDED_DATABASE', false)) {
    problems.push(
      'DATABASE_URL is required in production: the embedded database is for trying OneBudget out ' +
        '(set ALLOW_EMBEDDED_DATABASE=true to accept its limits)',
    );
  }

  const mfaIssuer = read('MFA_ISSUER') ?? 'OneBudget';
  if (mfaIssuer.length > 40 || !/^[\p{L}\p{N} .,&'()-]+$/u.test(mfaIssuer)) {
    problems.push('MFA_ISSUER must be up to 40 letters, digits, spaces and . , & \' ( ) - (no colon)');
  }

  const logLevel = (read('LOG_LEVEL') ?? (envName === 'test' ? 'silent' : 'info')) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const port = integer('PORT', 3000, 0, 65535);
  const dataDir = path.resolve(read('DATA_DIR') ?? './data');
  const mail = mailConfig(read, dataDir, isProduction, problems);
  const publicBaseUrl = baseUrl(read('PUBLIC_BASE_URL'), port, isProduction, problems);
  const oidc = oidcConfig(read, boolean, publicBaseUrl, isProduction, problems);

  const demoData = boolean('DEMO_DATA', !isProduction);
  const config: Config = {
    env: envName as Environment,
    host: read('HOST') ?? 'localhost',
    port,
    dataDir,
    databaseUrl,
    queryTimeoutMs: integer('DB_QUERY_TIMEOUT_MS', 10_000, 100, 600_000),
    sessionSecret,
    sessionIdleMinutes: integer('SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    logLevel,
    demoData,
    demoMode: demoData && !isProduction,
    mfaIssuer,
    trustProxy: boolean('TRUST_PROXY', false),
    apiRateLimitPerMinute: integer('API_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    mail,
    publicBaseUrl,
    oidc,
    jobs: {
      pollingIntervalSeconds: integer('JOB_POLLING_SECONDS', 2, 1, 60),
      expireInSeconds: integer('JOB_EXPIRE_SECONDS', 15, 3, 3600),
      maintenanceIntervalSeconds: integer('JOB_MAINTENANCE_SECONDS', 10, 1, 3600),
      retryLimit: integer('JOB_RETRY_LIMIT', 50, 0, 1000),
      paymentRunBatchSize: integer('PAYMENT_RUN_BATCH_SIZE', 1000, 1, 5000),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * MAIL_TRANSPORT: outbox (files, the default outside production), console (the log), smtp or
 * notify. Production must send real mail: outbox and console are refused there, and smtp and
 * notify must have their settings.
 */
function mailConfig(read: (name: string) => string | undefined, dataDir: string, isProduction: boolean, problems: string[]): MailConfig {
  const raw = read('MAIL_TRANSPORT')?.toLowerCase();
  let transport: MailTransport = 'outbox';
  if (raw === undefined) {
    if (isProduction) problems.push('MAIL_TRANSPORT is required in production: smtp or notify (invitations and password resets are sent by email)');
  } else if (!(MAIL_TRANSPORTS as readonly string[]).includes(raw)) {
    problems.push(`MAIL_TRANSPORT must be one of ${MAIL_TRANSPORTS.join(', ')} (got "${raw}")`);
  } else {
    transport = raw as MailTransport;
    if (isProduction && (transport === 'outbox' || transport === 'console')) {
      problems.push(`MAIL_TRANSPORT=${transport} is for development only: in production no email would reach anyone. Use smtp or notify`);
    }
  }
  const smtpUrl = read('SMTP_URL');
  const from = read('MAIL_FROM');
  const notifyApiKey = read('NOTIFY_API_KEY');
  const notifyTemplateId = read('NOTIFY_TEMPLATE_ID');
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^\s/]+/i.test(smtpUrl)) problems.push('SMTP_URL must start with smtp:// or smtps:// and name a host');
  if (from !== undefined && !/^([^<>]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/.test(from)) {
    problems.push('MAIL_FROM must be an email address, or a name and an address like "OneBudget <no-reply@council.gov.uk>"');
  }
  // The key itself is never repeated in a message.
  if (notifyApiKey !== undefined && !NOTIFY_API_KEY_PATTERN.test(notifyApiKey)) {
    problems.push('NOTIFY_API_KEY is not a GOV.UK Notify API key: it should be the key name, then two ids (copy the whole key from Notify)');
  }
  if (notifyTemplateId !== undefined && !new RegExp(`^${UUID}$`, 'i').test(notifyTemplateId)) problems.push('NOTIFY_TEMPLATE_ID must be a template id (a UUID)');
  if (transport === 'smtp') {
    if (smtpUrl === undefined) problems.push('SMTP_URL is required when MAIL_TRANSPORT=smtp');
    if (from === undefined) problems.push('MAIL_FROM is required when MAIL_TRANSPORT=smtp');
  }
  if (transport === 'notify') {
    if (notifyApiKey === undefined) problems.push('NOTIFY_API_KEY is required when MAIL_TRANSPORT=notify');
    if (notifyTemplateId === undefined) problems.push('NOTIFY_TEMPLATE_ID is required when MAIL_TRANSPORT=notify (a template whose subject is ((subject)) and body ((body)))');
  }
  return {
    transport,
    outboxDir: path.resolve(read('MAIL_OUTBOX_DIR') ?? path.join(dataDir, 'outbox')),
    smtpUrl: transport === 'smtp' ? smtpUrl : undefined,
    from: transport === 'smtp' ? from : undefined,
    notifyApiKey: transport === 'notify' ? notifyApiKey : undefined,
    notifyTemplateId: transport === 'notify' ? notifyTemplateId : undefined,
  };
}

/** PUBLIC_BASE_URL: required in production (https), http://127.0.0.1:PORT otherwise. */
function baseUrl(raw: string | undefined, port: number, isProduction: boolean, problems: string[]): string {
  if (raw === undefined) {
    if (isProduction) problems.push('PUBLIC_BASE_URL is required in production: the https:// address people reach OneBudget at, for the links in emails');
    return `http://127.0.0.1:${port}`;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`PUBLIC_BASE_URL must be an absolute address like https://onebudget.council.gov.uk (got "${raw}")`);
    return raw;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') problems.push('PUBLIC_BASE_URL must start with https:// or http://');
  else if (isProduction && url.protocol !== 'https:') problems.push('PUBLIC_BASE_URL must start with https:// in production');
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    problems.push('PUBLIC_BASE_URL must be just the address of the service, with no query, fragment or credentials');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

const OIDC_EMAIL_CLAIMS: readonly OidcEmailClaim[] = ['email', 'preferred_username', 'upn'];
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * OIDC_*: staff single sign-on. Off unless OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are
 * all set; one or two of them, or any other OIDC_ setting without them, is a mistake and stops the
 * start. The issuer must be https (plain http only outside production, on this machine).
 */
function oidcConfig(
  read: (name: string) => string | undefined,
  boolean: (name: string, fallback: boolean) => boolean,
  publicBaseUrl: string,
  isProduction: boolean,
  problems: string[],
): OidcConfig | undefined {
  const required = { OIDC_ISSUER: read('OIDC_ISSUER'), OIDC_CLIENT_ID: read('OIDC_CLIENT_ID'), OIDC_CLIENT_SECRET: read('OIDC_CLIENT_SECRET') };
  const missing = Object.entries(required).filter(([, value]) => value === undefined).map(([name]) => name);
  const others = ['OIDC_COUNCIL', 'OIDC_DISPLAY_NAME', 'OIDC_REQUIRE_MFA', 'OIDC_EMAIL_CLAIM'].filter((name) => read(name) !== undefined);
  if (missing.length === 3) {
    if (others.length > 0) problems.push(`${others.join(', ')} set without OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: single sign-on needs all three`);
    return undefined;
  }
  if (missing.length > 0) {
    problems.push(`Single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together: ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing`);
    return undefined;
  }
  const rawIssuer = required.OIDC_ISSUER ?? '';
  let allowInsecureRequests = false;
  let issuer: URL | undefined;
  try {
    issuer = new URL(rawIssuer);
  } catch {
    problems.push(`OIDC_ISSUER must be the provider's issuer address, like https://login.microsoftonline.com/<tenant id>/v2.0 (got "${rawIssuer}")`);
  }
  if (issuer !== undefined) {
    if (issuer.search !== '' || issuer.hash !== '' || issuer.username !== '' || issuer.password !== '') {
      problems.push('OIDC_ISSUER must be the issuer address only, with no query, fragment or credentials');
    }
    if (issuer.protocol === 'http:' && !isProduction && LOOPBACK_HOSTS.has(issuer.hostname)) allowInsecureRequests = true;
    else if (issuer.protocol !== 'https:') {
      problems.push(
        isProduction
          ? 'OIDC_ISSUER must start with https:// in production'
          : 'OIDC_ISSUER must start with https:// (http:// only for a provider on this machine: localhost or 127.0.0.1)',
      );
    }
  }
  const councilSlug = read('OIDC_COUNCIL');
  if (councilSlug === undefined) problems.push('OIDC_COUNCIL is required with single sign-on: the slug of the council whose staff use this provider');
  else if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(councilSlug)) problems.push(`OIDC_COUNCIL must be a council slug like "northam" (got "${councilSlug}")`);
  const displayName = read('OIDC_DISPLAY_NAME') ?? 'Sign in with your council account';
  if (displayName.length > 60) problems.push('OIDC_DISPLAY_NAME must be at most 60 characters');
  const emailClaim = (read('OIDC_EMAIL_CLAIM') ?? 'email') as OidcEmailClaim;
  if (!OIDC_EMAIL_CLAIMS.includes(emailClaim)) problems.push(`OIDC_EMAIL_CLAIM must be one of ${OIDC_EMAIL_CLAIMS.join(', ')} (got "${emailClaim}")`);
  return {
    issuer: rawIssuer,
    clientId: required.OIDC_CLIENT_ID ?? '',
    clientSecret: required.OIDC_CLIENT_SECRET ?? '',
    redirectUri: `${publicBaseUrl}/sign-in/oidc/callback`,
    displayName,
    councilSlug: councilSlug ?? '',
    requireMfa: boolean('OIDC_REQUIRE_MFA', true),
    emailClaim,
    allowInsecureRequests,
  };
}
