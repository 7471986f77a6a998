import { z } from 'zod';

/**
 * A client's idempotency key (the `Idempotency-Key` header of the IETF draft, or the body field
 * `idempotency_key`): a retry with the same key gets the first answer and creates nothing twice.
 * Printable ASCII without spaces, at most 255 characters (a uuid4 is the usual choice).
 */
export const IdempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'Must be printable ASCII without spaces (at most 255 characters)')
  .describe('Idempotency key: a retry with the same key returns the first answer; kept 24 hours.');
export type IdempotencyKey = z.infer<typeof IdempotencyKey>;

/** How long a key is remembered; a key reused after this creates again. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

/** The request header that carries the key at the REST door. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
