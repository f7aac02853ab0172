import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A 256-bit key and the id stored beside what it sealed, so keys can be rotated. */
export interface SealingKey {
  id: string;
  key: Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Parses `id:base64key[,id:base64key…]`, each key 32 bytes. The first key seals; every key
 * opens, so a new key goes first and the old one stays listed until nothing uses it.
 */
export function parseKeyring(spec: string): { ok: true; keys: SealingKey[] } | { ok: false; message: string } {
  const keys: SealingKey[] = [];
  // Messages name entries by position, never by content: they end up in logs.
  for (const [i, entry] of spec.split(',').map((e) => e.trim()).filter(Boolean).entries()) {
    const colon = entry.indexOf(':');
    const id = entry.slice(0, colon);
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (colon < 1 || !KEY_ID.test(id)) return { ok: false, message: `entry ${i + 1} is not id:base64key (id: letters, digits, - and _)` };
    if (key.length !== 32) return { ok: false, message: `key ${id} is ${key.length} bytes; AES-256 needs 32 (base64 of 32 random bytes)` };
    if (keys.some((k) => k.id === id)) return { ok: false, message: `key id ${id} appears twice` };
    keys.push({ id, key });
  }
  return keys.length ? { ok: true, keys } : { ok: false, message: 'no keys given' };
}

/**
 * AES-256-GCM: iv ‖ tag ‖ ciphertext. `context` (e.g. the row's id and tenant) is authenticated
 * but not stored, so a sealed value copied to another row no longer opens.
 */
export function sealSecret(key: SealingKey, plaintext: string, context: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

/** Opens what `sealSecret` made; throws if the key, the context or a single byte is wrong. */
export function openSecret(key: SealingKey, sealed: Buffer, context: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key.key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}
