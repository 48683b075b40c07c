import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  scrypt as scryptCallback,
  timingSafeEqual,
} from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  length: number,
) => Promise<Buffer>;

const CIPHER_VERSION = 'v1';
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * AES-256-GCM for tokens at rest. Each ciphertext is `v1.<keyId>.<iv>.<tag>.<data>` (base64url
 * parts), so a new key can be put first in the ring while older ciphertexts still decrypt.
 */
export class SecretBox {
  readonly #keys: Map<string, Buffer>;
  readonly #activeKeyId: string;

  constructor(keys: { id: string; key: Buffer }[]) {
    if (keys.length === 0) throw new Error('at least one encryption key is required');
    for (const { id, key } of keys) {
      if (!KEY_ID_PATTERN.test(id)) throw new Error(`encryption key id "${id}" is invalid`);
      if (key.length !== 32) throw new Error(`encryption key "${id}" must be 32 bytes`);
    }
    this.#keys = new Map(keys.map(({ id, key }) => [id, key]));
    this.#activeKeyId = keys[0]!.id;
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(this.#activeKeyId)!, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), data].map((part) => part.toString('base64url'));
    return [CIPHER_VERSION, this.#activeKeyId, ...parts].join('.');
  }

  /** HMAC-SHA256 (base64url) under a key derived from the active key, for signed OAuth states. */
  sign(value: string): string {
    const key = createHash('sha256')
      .update('oauth-state\0')
      .update(this.#keys.get(this.#activeKeyId)!)
      .digest();
    return createHmac('sha256', key).update(value).digest('base64url');
  }

  verify(value: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(value));
    const actual = Buffer.from(signature);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  decrypt(ciphertext: string): string {
    const [version, keyId, iv, tag, data] = ciphertext.split('.');
    if (version !== CIPHER_VERSION || !keyId || !iv || !tag || data === undefined) {
      throw new Error('ciphertext has an unknown format');
    }
    const key = this.#keys.get(keyId);
    if (!key)
      throw new Error(`ciphertext was encrypted with key "${keyId}", which is not configured`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(data, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }
}

/** Parses `id:base64key,id2:base64key2` (the first key encrypts). */
export function parseKeyRing(value: string): { id: string; key: Buffer }[] {
  return value.split(',').map((entry, index) => {
    const [id, encoded] = entry.trim().split(':');
    if (!id || !encoded) {
      throw new Error(`TTS_ENCRYPTION_KEYS entry ${index + 1} must look like "keyid:base64key"`);
    }
    return { id, key: Buffer.from(encoded, 'base64') };
  });
}

/**
 * Reads the embedded default key file, creating it with a new random key and mode 0600 when it
 * does not exist yet.
 */
export function loadOrCreateKeyFile(file: string): { id: string; key: Buffer }[] {
  if (!existsSync(file)) {
    const id = `k${Date.now().toString(36)}`;
    writeFileSync(file, `${id}:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  return parseKeyRing(readFileSync(file, 'utf8').trim());
}

export const sha256Hex = (value: string): string =>
  createHash('sha256').update(value).digest('hex');

const SCRYPT_KEY_LENGTH = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, SCRYPT_KEY_LENGTH);
  return `scrypt.${salt.toString('base64url')}.${hash.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('.');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length);
  return timingSafeEqual(expected, actual);
}
