/** Field names that hold a TikTok credential, in the spellings our code and TikTok's use. */
const CREDENTIAL_FIELDS = [
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'appSecret',
  'app_secret',
  'authCode',
  'auth_code',
  'sign',
  'authorization',
] as const;

/**
 * pino `redact` paths for every field that can hold a TikTok credential: access and refresh
 * tokens, the app secret, auth codes, `sign` and the authorization headers. Fields are covered at
 * the top level and one level down (e.g. `grant.accessToken`), headers under `headers` and
 * `*.headers` (e.g. `req.headers.authorization`).
 */
export const TIKTOK_REDACT_PATHS: readonly string[] = [
  ...CREDENTIAL_FIELDS.flatMap((field) => [field, `*.${field}`]),
  ...['headers', '*.headers'].flatMap((headers) => [
    `${headers}.authorization`,
    `${headers}["x-tts-access-token"]`,
  ]),
];

/** Replaces every occurrence of a secret, raw or percent-encoded, with `[REDACTED]`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let redacted = text;
  for (const secret of secrets) {
    // Very short values would also blank out ordinary words of the message.
    if (secret === undefined || secret.length < 4) {
      continue;
    }
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      redacted = redacted.split(form).join('[REDACTED]');
    }
  }
  return redacted;
}

/**
 * Copies an error's name, message and socket error code with secrets removed, because the raw
 * error of fetch may quote the request URL, which carries the sign or the app secret.
 */
export function describeCause(error: unknown, secrets: readonly string[]): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const innerCode = (original.cause as { code?: unknown } | undefined)?.code;
  const described = new Error(redactSecrets(`${original.name}: ${original.message}`, secrets));
  const code = typeof innerCode === 'string' ? innerCode : (original as { code?: unknown }).code;
  return Object.assign(described, { code: typeof code === 'string' ? code : undefined });
}
