import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { createLogger, redactUrl } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

describe('logger redaction', () => {
  it('hides tokens, secrets and signatures', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        accessToken: 'TTP_access',
        grant: { refreshToken: 'TTP_refresh', access_token: 'TTP_raw' },
        appSecret: 'app-secret-value',
        request: { sign: 'abcdef0123' },
        headers: { authorization: 'f'.repeat(64), cookie: 'tts_session=abc' },
        apiKey: 'tsk_secret',
      },
      'request sent',
    );
    const line = lines.join('');
    for (const secret of [
      'TTP_access',
      'TTP_refresh',
      'TTP_raw',
      'app-secret-value',
      'abcdef0123',
      'f'.repeat(64),
      'tts_session=abc',
      'tsk_secret',
    ]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('[redacted]');
  });

  it('redacts secret query parameters', () => {
    const url = redactUrl(
      '/api/v2/token/get?app_key=k&app_secret=s3cr3t&auth_code=c0de&grant_type=authorized_code',
    );
    expect(url).not.toContain('s3cr3t');
    expect(url).not.toContain('c0de');
    expect(url).toContain('app_key=k');
    expect(url).toContain('grant_type=authorized_code');
  });
});
