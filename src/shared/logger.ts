import pino from 'pino';
import type { Logger, LoggerOptions } from 'pino';

/**
 * Paths that pino replaces with "[redacted]". Tokens, secrets, signatures and the Authorization
 * header never reach a log line, whatever object they arrive in.
 */
export const REDACT_PATHS = [
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'appSecret',
  'app_secret',
  'sign',
  'password',
  'token',
  'apiKey',
  'key',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.appSecret',
  '*.app_secret',
  '*.sign',
  '*.password',
  '*.token',
  '*.apiKey',
  'headers.authorization',
  'headers.cookie',
  'headers["x-tts-access-token"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-tts-access-token"]',
  'res.headers["set-cookie"]',
];

export type { Logger };

export function createLogger(
  options: { level?: string; destination?: pino.DestinationStream } = {},
): Logger {
  const config: LoggerOptions = {
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: undefined,
    serializers: {
      req: (req: { method?: string; url?: string; id?: string }) => ({
        method: req.method,
        url: redactUrl(req.url ?? ''),
        id: req.id,
      }),
    },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}

const SECRET_QUERY_KEYS =
  /([?&](?:app_secret|sign|access_token|refresh_token|auth_code|code|token|state)=)[^&#]*/gi;

/** Replaces the values of secret-bearing query parameters in a URL for logging. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY_KEYS, '$1[redacted]');
}
