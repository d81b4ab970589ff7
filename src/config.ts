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
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Configuration is not valid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

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

  const demoData = boolean('DEMO_DATA', !isProduction);
  const config: Config = {
    env: envName as Environment,
    host: read('HOST') ?? 'localhost',
    port: integer('PORT', 3000, 0, 65535),
    dataDir: path.resolve(read('DATA_DIR') ?? './data'),
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
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
