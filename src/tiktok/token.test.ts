import { afterEach, describe, expect, it } from 'vitest';

import { createTikTokClient } from './client.ts';
import { TikTokApiError } from './errors.ts';
import {
  createFakeClock,
  createRecordingLogger,
  okEnvelope,
  startLoopbackServer,
} from './test-support.ts';
import type { CannedReply, LoopbackServer } from './test-support.ts';
import { createSingleFlight, parseTokenGrant } from './token.ts';

const APP_KEY = '6d1examplek3y';
const APP_SECRET = 'e1a7c0ffee0000000000000000000000000000ab';

const REFRESH_RESPONSE = {
  code: 0,
  message: 'success',
  data: {
    access_token: 'TTP_at_new_made_up',
    access_token_expire_in: 1700604800,
    refresh_token: 'TTP_rt_new_made_up',
    refresh_token_expire_in: 1731536000,
    open_id: 'open_made_up_1',
    seller_name: 'Demo Seller',
    seller_base_region: 'GB',
    user_type: 0,
  },
};

const servers: LoopbackServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function setup(authReply: (index: number) => CannedReply, timeoutMs = 2_000) {
  const auth = await startLoopbackServer((_request, index) => authReply(index));
  const api = await startLoopbackServer(() => okEnvelope({}));
  servers.push(auth, api);
  const logger = createRecordingLogger();
  const client = createTikTokClient({
    appKey: APP_KEY,
    appSecret: APP_SECRET,
    apiBaseUrl: api.baseUrl,
    authBaseUrl: `${auth.baseUrl}/auth-proxy`,
    clock: createFakeClock(1_700_000_000_000),
    logger,
    timeoutMs,
    random: () => 0,
  });
  return { client, auth, api, logger };
}

async function expectTikTokError(promise: Promise<unknown>): Promise<TikTokApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TikTokApiError);
  return error as TikTokApiError;
}

describe('refreshAccessToken', () => {
  it('sends the documented unsigned GET to the auth host', async () => {
    const { client, auth, api } = await setup(() => ({ body: REFRESH_RESPONSE }));

    await client.refreshAccessToken('TTP_rt_old_made_up');

    expect(api.requests).toHaveLength(0);
    expect(auth.requests).toHaveLength(1);
    const [request] = auth.requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/auth-proxy/api/v2/token/refresh');
    expect(request?.rawQuery).toBe(
      `app_key=${APP_KEY}&app_secret=${APP_SECRET}&refresh_token=TTP_rt_old_made_up&grant_type=refresh_token`,
    );
    expect(request?.headers['x-tts-access-token']).toBeUndefined();
  });

  it('converts absolute expiries to ms', async () => {
    const { client } = await setup(() => ({ body: REFRESH_RESPONSE }));

    const grant = await client.refreshAccessToken('TTP_rt_old_made_up');

    expect(grant).toEqual({
      accessToken: 'TTP_at_new_made_up',
      accessTokenExpiresAtMs: Date.parse('2023-11-21T22:13:20Z'),
      refreshToken: 'TTP_rt_new_made_up',
      refreshTokenExpiresAtMs: Date.parse('2024-11-13T22:13:20Z'),
      openId: 'open_made_up_1',
      sellerName: 'Demo Seller',
      sellerBaseRegion: 'GB',
      userType: 0,
      grantedScopes: [],
    });
    expect(grant.accessTokenExpiresAtMs).not.toBe(Date.parse('2077-10-04T20:26:40Z'));
    expect(grant.refreshTokenExpiresAtMs).not.toBe(Date.parse('2078-09-27T20:26:40Z'));
  });

  it('fails on a non-zero code with HTTP 200', async () => {
    const { client, auth } = await setup(() => ({
      body: { code: 999999, message: 'made-up failure' },
    }));

    const error = await expectTikTokError(client.refreshAccessToken('TTP_rt_old_made_up'));

    expect(error.kind).toBe('FAILED');
    expect(error.code).toBe(999999);
    expect(error.message).toBe('made-up failure');
    expect(auth.requests).toHaveLength(1);
  });

  it('keeps secrets out of errors and logs', async () => {
    const { client, logger } = await setup((index) =>
      index === 0
        ? { status: 429, body: { code: 36009002, message: 'Too many requests' } }
        : { body: { code: 999999, message: `bad secret ${APP_SECRET} for TTP_rt_old_made_up` } },
    );

    const error = await expectTikTokError(client.refreshAccessToken('TTP_rt_old_made_up'));

    expect(error.message).toBe('bad secret [REDACTED] for [REDACTED]');
    const everything = [
      error.message,
      String(error.stack),
      JSON.stringify(error),
      String(error.cause),
      ...logger.lines,
    ].join('\n');
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(APP_SECRET);
    expect(everything).not.toContain('TTP_rt_old_made_up');
    expect(everything).not.toContain('auth-proxy/api/v2/token/refresh?');
  });

  it('does not repeat a timed-out refresh', async () => {
    const { client, auth } = await setup(() => ({ body: REFRESH_RESPONSE, delayMs: 400 }), 50);

    const error = await expectTikTokError(client.refreshAccessToken('TTP_rt_old_made_up'));

    expect(error.kind).toBe('UNKNOWN_OUTCOME');
    expect(auth.requests).toHaveLength(1);
    expect(String(error.cause)).not.toContain(APP_SECRET);
  });
});

describe('getAccessToken', () => {
  it('exchanges the auth code', async () => {
    const scoped = {
      ...REFRESH_RESPONSE,
      data: { ...REFRESH_RESPONSE.data, granted_scopes: ['seller.order.info'] },
    };
    const { client, auth } = await setup(() => ({ body: scoped }));

    const grant = await client.getAccessToken('made_up_auth_code');

    const [request] = auth.requests;
    expect(request?.path).toBe('/auth-proxy/api/v2/token/get');
    expect(request?.rawQuery).toBe(
      `app_key=${APP_KEY}&app_secret=${APP_SECRET}&auth_code=made_up_auth_code&grant_type=authorized_code`,
    );
    expect(grant.grantedScopes).toEqual(['seller.order.info']);
  });

  it('reports a used auth code', async () => {
    const { client, auth } = await setup(() => ({
      body: { code: 36004004, message: 'Invalid auth code' },
    }));

    const error = await expectTikTokError(client.getAccessToken('used_code'));

    expect(error.kind).toBe('AUTH_CODE_INVALID');
    expect(auth.requests).toHaveLength(1);
  });
});

describe('parseTokenGrant', () => {
  it('reads a small expiry as a duration and warns', () => {
    const logger = createRecordingLogger();
    const data = {
      ...REFRESH_RESPONSE.data,
      access_token_expire_in: 604800,
      refresh_token_expire_in: '31536000',
    };

    const grant = parseTokenGrant(data, 1_700_000_000_000, logger);

    expect(grant.accessTokenExpiresAtMs).toBe(Date.parse('2023-11-21T22:13:20Z'));
    expect(grant.refreshTokenExpiresAtMs).toBe(1_700_000_000_000 + 31_536_000_000);
    expect(logger.lines).toHaveLength(2);
    expect(logger.lines[0]).toContain('access_token_expire_in');
    expect(logger.lines[0]).toContain('"level":"warn"');
  });

  it('rejects a response with renamed fields', () => {
    const { open_id: openId, ...rest } = REFRESH_RESPONSE.data;
    const logger = createRecordingLogger();

    expect(() => parseTokenGrant({ ...rest, openid: openId }, 0, logger)).toThrow(/open_id/);
    try {
      parseTokenGrant({ ...rest, openid: openId }, 0, logger);
    } catch (error) {
      expect((error as TikTokApiError).kind).toBe('PAYLOAD_INVALID');
      expect((error as Error).message).not.toContain('TTP_at_new_made_up');
    }
  });
});

describe('createSingleFlight', () => {
  it('shares one run between concurrent callers', async () => {
    const flight = createSingleFlight<string>();
    let runs = 0;
    let release: (value: string) => void = () => {};
    const task = () => {
      runs += 1;
      return new Promise<string>((resolve) => {
        release = resolve;
      });
    };

    const first = flight.run('grant-1', task);
    const second = flight.run('grant-1', task);
    await Promise.resolve();
    release('token-2');

    expect(await first).toBe('token-2');
    expect(await second).toBe('token-2');
    expect(runs).toBe(1);
  });

  it('runs again after settling', async () => {
    const flight = createSingleFlight<number>();
    let runs = 0;
    const task = async () => {
      runs += 1;
      return runs;
    };

    expect(await flight.run('k', task)).toBe(1);
    expect(await flight.run('k', task)).toBe(2);
  });

  it('keeps keys apart and shares failures', async () => {
    const flight = createSingleFlight<string>();
    const failing = async (): Promise<string> => {
      throw new Error('refresh failed');
    };

    const a = flight.run('a', failing);
    const b = flight.run('a', failing);
    const c = flight.run('c', async () => 'ok');

    await expect(a).rejects.toThrow('refresh failed');
    await expect(b).rejects.toThrow('refresh failed');
    expect(await c).toBe('ok');
  });
});
