import { parseKeyring } from '@hookstream/domain';
import { z } from 'zod';

/**
 * A keyring variable, `id:base64key[,id:base64key…]` (32-byte AES-256 keys): the first seals,
 * every one opens. Required: a service that must seal or open secrets does not start without it,
 * and the message names the entry at fault, never its content.
 */
export const keyringSchema = z
  .string({ error: 'required: id:base64key[,id:base64key…] (e.g. k1:$(openssl rand -base64 32))' })
  .transform((spec, ctx) => {
    const parsed = parseKeyring(spec);
    if (parsed.ok) return parsed.keys;
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  });
