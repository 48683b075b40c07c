import path from 'node:path';
import { z } from 'zod';

/** Environment variables with this prefix must be known; a typo fails start-up. */
export const ENV_PREFIX = 'TTS_';

export const DEFAULT_API_BASE_URL = 'https://open-api.tiktokglobalshop.com';
export const DEFAULT_AUTH_BASE_URL = 'https://auth.tiktok-shops.com';
export const DEFAULT_AUTHORIZE_URL_US = 'https://services.us.tiktokshop.com/open/authorize';
export const DEFAULT_AUTHORIZE_URL_ROW = 'https://services.tiktokshop.com/open/authorize';

/** Mount point of the embedded emulator on the connector's own port in demo mode. */
export const EMULATOR_PATH_PREFIX = '/tiktok-emulator';

/** Seeded demo app used when no TikTok credentials are configured. */
export const DEMO_APP = {
  appKey: 'demoappkey',
  appSecret: 'demosecret123',
  serviceId: '7000000000000000001',
} as const;

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const httpUrl = z
  .string()
  .url('must be an absolute URL')
  .refine((value) => /^https?:\/\//.test(value), 'must start with http:// or https://')
  .transform((value) => value.replace(/\/+$/, ''));

const envSchema = z
  .object({
    PORT: integer(0, 65535).optional(),
    HOST: z.string().min(1).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    TTS_DATA_DIR: z.string().min(1).optional(),
    TTS_APP_KEY: z.string().min(1).optional(),
    TTS_APP_SECRET: z.string().min(1).optional(),
    TTS_SERVICE_ID: z.string().regex(/^\d+$/, 'must be the numeric service id').optional(),
    TTS_PUBLIC_URL: httpUrl.optional(),
    TTS_API_BASE_URL: httpUrl.optional(),
    TTS_AUTH_BASE_URL: httpUrl.optional(),
    TTS_AUTHORIZE_URL_US: httpUrl.optional(),
    TTS_AUTHORIZE_URL_ROW: httpUrl.optional(),
    TTS_ENCRYPTION_KEYS: z.string().min(1).optional(),
    TTS_BACKFILL_DAYS: integer(0, 3650).optional(),
    TTS_POLL_INTERVAL_SECONDS: integer(5, 86400).optional(),
    TTS_POLL_LAG_SECONDS: integer(0, 3600).optional(),
    TTS_POLL_OVERLAP_SECONDS: integer(0, 86400).optional(),
    TTS_ROLE: z.enum(['all', 'api', 'worker']).optional(),
    TTS_LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .optional(),
    TTS_DEMO_ON_HOLD_SECONDS: integer(1, 86400).optional(),
    TTS_DEMO_SIMULATOR: z.enum(['on', 'off']).optional(),
    TTS_SESSION_TTL_HOURS: integer(1, 24 * 365).optional(),
    TTS_RATE_LIMIT_PER_SECOND: integer(1, 10000).optional(),
    TTS_PUSH_COALESCE_MS: integer(0, 600_000).optional(),
    TTS_CATALOG_POLL_SECONDS: integer(5, 86400).optional(),
  })
  .strict();

export interface TikTokAppConfig {
  appKey: string;
  appSecret: string;
  serviceId: string;
  apiBaseUrl: string;
  authBaseUrl: string;
  authorizeUrls: { US: string; ROW: string };
}

export interface Config {
  mode: 'demo' | 'live';
  role: 'all' | 'api' | 'worker';
  host: string;
  port: number;
  /** URL at which TikTok and browsers reach this connector; redirect and webhook URLs hang off it. */
  publicUrl: string;
  dataDir: string;
  /** Null means embedded PGlite in `dataDir/pglite`. */
  databaseUrl: string | null;
  /** Keys as `id:base64` pairs; the first encrypts, all decrypt. Null means a generated key file. */
  encryptionKeys: string | null;
  tiktok: TikTokAppConfig;
  sync: {
    backfillDays: number;
    pollIntervalMs: number;
    pollLagMs: number;
    pollOverlapMs: number;
    /** TikTok's default quota is 50 requests per second per API and shop. */
    rateLimitPerSecond: number;
  };
  catalog: {
    /** Stock and price changes to one product inside this window become one call. */
    pushCoalesceMs: number;
    /** How often each shop's catalog mirror is polled for changed products. */
    pollIntervalMs: number;
  };
  demo: { onHoldWindowMs: number; simulator: boolean };
  sessionTtlMs: number;
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LIVE_REQUIRED = [
  'TTS_APP_KEY',
  'TTS_APP_SECRET',
  'TTS_SERVICE_ID',
  'TTS_PUBLIC_URL',
] as const;

/**
 * Parses the environment into a frozen configuration. With no TikTok setting at all it selects
 * the embedded demo: PGlite, the emulator on the same port and a seeded demo app. Any TikTok
 * setting selects live mode, which needs all four of app key, app secret, service id and public URL.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const known = new Set(Object.keys(envSchema.shape));
  const problems: string[] = [];
  const input: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    if (known.has(name)) input[name] = value;
    else if (name.startsWith(ENV_PREFIX)) problems.push(`${name} is not a known setting`);
  }

  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join('.') || '(environment)'} ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;

  const isLive = LIVE_REQUIRED.some((name) => e[name] !== undefined);
  if (isLive) {
    const missing = LIVE_REQUIRED.filter((name) => e[name] === undefined);
    if (missing.length > 0) {
      throw new ConfigError(
        missing.map((name) => `${name} is missing; live mode needs ${LIVE_REQUIRED.join(', ')}`),
      );
    }
  }

  const port = e.PORT ?? 3000;
  const host = e.HOST ?? '127.0.0.1';
  const publicUrl = e.TTS_PUBLIC_URL ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  const emulatorUrl = `${publicUrl}${EMULATOR_PATH_PREFIX}`;

  const tiktok: TikTokAppConfig = isLive
    ? {
        appKey: e.TTS_APP_KEY!,
        appSecret: e.TTS_APP_SECRET!,
        serviceId: e.TTS_SERVICE_ID!,
        apiBaseUrl: e.TTS_API_BASE_URL ?? DEFAULT_API_BASE_URL,
        authBaseUrl: e.TTS_AUTH_BASE_URL ?? DEFAULT_AUTH_BASE_URL,
        authorizeUrls: {
          US: e.TTS_AUTHORIZE_URL_US ?? DEFAULT_AUTHORIZE_URL_US,
          ROW: e.TTS_AUTHORIZE_URL_ROW ?? DEFAULT_AUTHORIZE_URL_ROW,
        },
      }
    : {
        ...DEMO_APP,
        apiBaseUrl: e.TTS_API_BASE_URL ?? emulatorUrl,
        authBaseUrl: e.TTS_AUTH_BASE_URL ?? emulatorUrl,
        authorizeUrls: {
          US: e.TTS_AUTHORIZE_URL_US ?? `${emulatorUrl}/open/authorize`,
          ROW: e.TTS_AUTHORIZE_URL_ROW ?? `${emulatorUrl}/open/authorize`,
        },
      };

  return Object.freeze({
    mode: isLive ? 'live' : 'demo',
    role: e.TTS_ROLE ?? 'all',
    host,
    port,
    publicUrl,
    dataDir: path.resolve(cwd, e.TTS_DATA_DIR ?? 'data'),
    databaseUrl: e.DATABASE_URL ?? null,
    encryptionKeys: e.TTS_ENCRYPTION_KEYS ?? null,
    tiktok,
    sync: {
      backfillDays: e.TTS_BACKFILL_DAYS ?? 90,
      pollIntervalMs: (e.TTS_POLL_INTERVAL_SECONDS ?? 60) * 1000,
      pollLagMs: (e.TTS_POLL_LAG_SECONDS ?? 30) * 1000,
      pollOverlapMs: (e.TTS_POLL_OVERLAP_SECONDS ?? 300) * 1000,
      rateLimitPerSecond: e.TTS_RATE_LIMIT_PER_SECOND ?? 50,
    },
    catalog: {
      pushCoalesceMs: e.TTS_PUSH_COALESCE_MS ?? 2000,
      pollIntervalMs: (e.TTS_CATALOG_POLL_SECONDS ?? 900) * 1000,
    },
    demo: {
      onHoldWindowMs: (e.TTS_DEMO_ON_HOLD_SECONDS ?? 120) * 1000,
      simulator: (e.TTS_DEMO_SIMULATOR ?? 'on') === 'on',
    },
    sessionTtlMs: (e.TTS_SESSION_TTL_HOURS ?? 24 * 14) * 3_600_000,
    logLevel: e.TTS_LOG_LEVEL ?? 'info',
  });
}

/** Redirect URL to enter in TikTok Partner Center for this deployment. */
export const oauthRedirectUrl = (config: Config): string =>
  `${config.publicUrl}/oauth/tiktok/callback`;

/** Webhook URL to enter in TikTok Partner Center for this deployment. */
export const webhookUrl = (config: Config): string => `${config.publicUrl}/webhooks/tiktok`;
