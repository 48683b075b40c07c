import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  SecretBox,
  hashPassword,
  loadOrCreateKeyFile,
  parseKeyRing,
  verifyPassword,
} from './crypto.ts';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('SecretBox', () => {
  it('round-trips and names its key', () => {
    const box = new SecretBox([key('k1')]);
    const ciphertext = box.encrypt('TTP_access_token');
    expect(ciphertext.startsWith('v1.k1.')).toBe(true);
    expect(ciphertext).not.toContain('TTP_access_token');
    expect(box.decrypt(ciphertext)).toBe('TTP_access_token');
  });

  it('decrypts with a rotated-out key', () => {
    const old = key('old');
    const before = new SecretBox([old]).encrypt('secret');
    const rotated = new SecretBox([key('new'), old]);
    expect(rotated.decrypt(before)).toBe('secret');
    expect(rotated.encrypt('secret').startsWith('v1.new.')).toBe(true);
  });

  it('rejects tampering and unknown keys', () => {
    const box = new SecretBox([key('k1')]);
    const parts = box.encrypt('secret').split('.');
    parts[4] = Buffer.from('other').toString('base64url');
    expect(() => box.decrypt(parts.join('.'))).toThrow();
    const foreign = new SecretBox([key('k2')]).encrypt('secret');
    expect(() => box.decrypt(foreign)).toThrow(/key "k2"/);
    expect(() => box.decrypt('plain text')).toThrow(/unknown format/);
  });

  it('signs and verifies OAuth states', () => {
    const box = new SecretBox([key('k1')]);
    const signature = box.sign('nonce.store');
    expect(box.verify('nonce.store', signature)).toBe(true);
    expect(box.verify('nonce.other', signature)).toBe(false);
    expect(box.verify('nonce.store', 'short')).toBe(false);
  });

  it('rejects keys of the wrong size', () => {
    expect(() => new SecretBox([{ id: 'k1', key: randomBytes(16) }])).toThrow(/32 bytes/);
    expect(() => new SecretBox([])).toThrow(/at least one/);
  });
});

describe('key ring', () => {
  it('parses ids and keys', () => {
    const encoded = randomBytes(32).toString('base64');
    const ring = parseKeyRing(`a:${encoded}, b:${encoded}`);
    expect(ring.map((entry) => entry.id)).toEqual(['a', 'b']);
    expect(() => parseKeyRing('no-colon')).toThrow(/entry 1/);
  });

  it('creates the key file with mode 0600', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tts-key-')), 'encryption.key');
    const first = loadOrCreateKeyFile(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadOrCreateKeyFile(file);
    expect(second[0]!.key.equals(first[0]!.key)).toBe(true);
  });
});

describe('passwords', () => {
  it('verifies only the right password', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).not.toContain('correct');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('wrong horse battery', stored)).toBe(false);
    expect(await verifyPassword('x', 'md5.abc')).toBe(false);
  });
});
