// Plain limits, no zod: the root layout's tRPC link imports TRPC_MAX_BATCH_SIZE, and a module
// that also builds schemas would put zod (about 90 KB gzip) into every page's first load.

/** The longest API token name: better-auth's api-key plugin refuses longer ones (its `maximumNameLength`). */
export const TOKEN_NAME_MAX_LENGTH = 32;

/**
 * The most calls one batched tRPC request may carry (the server answers 400 above it); the
 * dashboard's batch link splits at this size, and its pages send at most a dozen at once.
 */
export const TRPC_MAX_BATCH_SIZE = 50;

/**
 * The longest URL a tRPC link sends: a batch of queries is split below it, and one query whose
 * input alone would pass it (a bulk preview naming thousands of selected jobs) is sent as a POST
 * (the server allows tRPC's method override). Node refuses request heads over 16 KB with 431, and
 * a proxy in front may allow less (nginx: 8 KB lines).
 */
export const TRPC_MAX_URL_LENGTH = 6_000;

/** Whether a tRPC query's input would push its URL past TRPC_MAX_URL_LENGTH (URL-encoding can triple it). */
export function isLongQueryInput(input: unknown): boolean {
  if (input === undefined) return false;
  return encodeURIComponent(JSON.stringify(input) ?? '').length > TRPC_MAX_URL_LENGTH - 500;
}
