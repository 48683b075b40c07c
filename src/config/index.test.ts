import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from './index.ts';

const live = {
  TTS_APP_KEY: 'key',
  TTS_APP_SECRET: 'secret',
  TTS_SERVICE_ID: '7000000000000000001',
  TTS_PUBLIC_URL: 'https://connector.example.com/',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('selects the demo with no settings', () => {
    const config = loadConfig({}, '/srv');
    expect(config.mode).toBe('demo');
    expect(config.databaseUrl).toBeNull();
    expect(config.dataDir).toBe('/srv/data');
    expect(config.tiktok.appKey).toBe('demoappkey');
    expect(config.tiktok.apiBaseUrl).toBe('http://127.0.0.1:3000/tiktok-emulator');
    expect(config.tiktok.authorizeUrls.US).toBe(
      'http://127.0.0.1:3000/tiktok-emulator/open/authorize',
    );
    expect(config.sync.backfillDays).toBe(90);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads live settings with TikTok defaults', () => {
    const config = loadConfig({ ...live, PORT: '8080', DATABASE_URL: 'postgres://db/app' }, '/srv');
    expect(config.mode).toBe('live');
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe('https://connector.example.com');
    expect(config.tiktok.apiBaseUrl).toBe('https://open-api.tiktokglobalshop.com');
    expect(config.tiktok.authBaseUrl).toBe('https://auth.tiktok-shops.com');
    expect(config.tiktok.authorizeUrls.US).toBe(
      'https://services.us.tiktokshop.com/open/authorize',
    );
    expect(config.tiktok.authorizeUrls.ROW).toBe('https://services.tiktokshop.com/open/authorize');
    expect(config.databaseUrl).toBe('postgres://db/app');
  });

  it('names every missing live setting', () => {
    const problems = problemsOf({ TTS_APP_KEY: 'key' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toContain('TTS_APP_SECRET is missing');
    expect(problems.join('\n')).toContain('TTS_SERVICE_ID is missing');
    expect(problems.join('\n')).toContain('TTS_PUBLIC_URL is missing');
  });

  it('names malformed and unknown values', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://db',
      TTS_POLL_INTERVAL_SECONDS: '1',
      TTS_PUBLIC_URLL: 'https://typo.example.com',
    });
    const text = problems.join('\n');
    expect(text).toContain('TTS_PUBLIC_URLL is not a known setting');
    expect(text).toContain('PORT must be a whole number');
    expect(text).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL');
    expect(text).toContain('TTS_POLL_INTERVAL_SECONDS');
  });

  it('ignores empty values and foreign variables', () => {
    const config = loadConfig({ TTS_APP_KEY: '', HOME: '/root', PATH: '/bin' }, '/srv');
    expect(config.mode).toBe('demo');
  });
});
