// Plain limits, no zod: the root layout's tRPC link imports TRPC_MAX_BATCH_SIZE, and a module
// that also builds schemas would put zod (about 90 KB gzip) into every page's first load.

/** The longest API token name: better-auth's api-key plugin refuses longer ones (its `maximumNameLength`). */
export const TOKEN_NAME_MAX_LENGTH = 32;

/**
 * The most calls one batched tRPC request may carry (the server answers 400 above it); the
 * dashboard's batch link splits at this size, and its pages send at most a dozen at once.
 */
export const TRPC_MAX_BATCH_SIZE = 50;
