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
