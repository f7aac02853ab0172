import { openSecret, type SealingKey, sealSecret } from './secret-box.js';

/**
 * Subscription signing secrets are sealed everywhere outside a process's memory (AES-256-GCM,
 * secret-box.ts), under two keyrings:
 * - at rest in Postgres, under SUBSCRIPTION_SECRETS_KEYS (the registry only);
 * - in transit on `hookstream.subscriptions`, under CHANGELOG_SECRETS_KEYS (the registry seals,
 *   the dispatcher opens), so a reader of the topic, its backups or a mis-set ACL sees no secret.
 * Each sealing is bound to the secret's id and its subscription (and, on the changelog, to the
 * purpose), so a sealed value copied to another row or another subscription no longer opens.
 */

/** The changelog form: `hsx1.<key id>.<base64 of iv ‖ tag ‖ ciphertext>`. */
const CHANGELOG_PREFIX = 'hsx1.';

const restContext = (subscriptionId: string, secretId: string): string => `subscription-secret:rest:${subscriptionId}:${secretId}`;
const changelogContext = (subscriptionId: string, secretId: string): string => `subscription-secret:changelog:${subscriptionId}:${secretId}`;

export interface SealedAtRest {
  sealed: Buffer;
  keyId: string;
}

/** Seals a secret for its row in subscription_secrets, under the keyring's first key. */
export function sealAtRest(keys: readonly SealingKey[], subscriptionId: string, secretId: string, secret: string): SealedAtRest {
  const key = keys[0];
  if (!key) throw new Error('no sealing key');
  return { sealed: sealSecret(key, secret, restContext(subscriptionId, secretId)), keyId: key.id };
}

/** Opens a row's sealed secret; throws when the key is not in the keyring or the row was altered. */
export function openAtRest(keys: readonly SealingKey[], subscriptionId: string, secretId: string, row: SealedAtRest): string {
  const key = keys.find((k) => k.id === row.keyId);
  if (!key) throw new Error(`the key "${row.keyId}" that sealed this secret is not in the keyring`);
  return openSecret(key, row.sealed, restContext(subscriptionId, secretId));
}

export function isSealedForChangelog(value: string): boolean {
  return value.startsWith(CHANGELOG_PREFIX);
}

/** The form a secret travels in on the changelog. */
export function sealForChangelog(keys: readonly SealingKey[], subscriptionId: string, secretId: string, secret: string): string {
  const key = keys[0];
  if (!key) throw new Error('no sealing key');
  return `${CHANGELOG_PREFIX}${key.id}.${sealSecret(key, secret, changelogContext(subscriptionId, secretId)).toString('base64')}`;
}

/** Opens a changelog secret; throws when malformed, sealed under a key not in the keyring, or altered. */
export function openFromChangelog(keys: readonly SealingKey[], subscriptionId: string, secretId: string, value: string): string {
  if (!isSealedForChangelog(value)) throw new Error('not a sealed changelog secret');
  const rest = value.slice(CHANGELOG_PREFIX.length);
  const dot = rest.indexOf('.');
  const keyId = rest.slice(0, dot);
  const key = dot > 0 ? keys.find((k) => k.id === keyId) : undefined;
  if (!key) throw new Error(dot > 0 ? `the changelog key "${keyId}" is not in CHANGELOG_SECRETS_KEYS` : 'malformed sealed changelog secret');
  return openSecret(key, Buffer.from(rest.slice(dot + 1), 'base64'), changelogContext(subscriptionId, secretId));
}
