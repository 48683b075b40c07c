import { Writable } from 'node:stream';

import pino from 'pino';
import { describe, expect, it } from 'vitest';

import { TIKTOK_REDACT_PATHS } from './redact.ts';
import type { TikTokLogger } from './types.ts';

function createCapturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = pino({ redact: [...TIKTOK_REDACT_PATHS] }, destination);
  return { logger, lines };
}

describe('TIKTOK_REDACT_PATHS', () => {
  it('redacts credentials at the top level and one down', () => {
    const { logger, lines } = createCapturingLogger();
    const secrets = {
      accessToken: 'secret-1',
      refresh_token: 'secret-2',
      appSecret: 'secret-3',
      sign: 'secret-4',
      authorization: 'secret-5',
      grant: { refreshToken: 'secret-6', access_token: 'secret-7', app_secret: 'secret-8' },
      query: { sign: 'secret-9', auth_code: 'secret-10' },
    };

    logger.info(secrets, 'token refreshed');

    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/secret-\d/);
    expect(lines[0]).toContain('token refreshed');
  });

  it('redacts authorization headers', () => {
    const { logger, lines } = createCapturingLogger();

    logger.warn(
      {
        headers: { authorization: 'secret-1', 'x-tts-access-token': 'secret-2' },
        req: { headers: { authorization: 'secret-3', 'x-tts-access-token': 'secret-4' } },
        path: '/order/202309/orders',
      },
      'webhook rejected',
    );

    expect(lines[0]).not.toMatch(/secret-\d/);
    expect(lines[0]).toContain('/order/202309/orders');
  });

  it('fits the client logger interface', () => {
    const { logger, lines } = createCapturingLogger();
    const clientLogger: TikTokLogger = logger;

    clientLogger.warn({ path: '/order/202309/orders', accessToken: 'secret-1' }, 'retrying');

    expect(lines[0]).toContain('"path":"/order/202309/orders"');
    expect(lines[0]).not.toContain('secret-1');
  });
});
