import { z } from 'zod';
import { BatchId, Visibility } from '../common.schema';
import { AccessControlJson } from '../responses.schema';
import { operation } from './operation';

/** A list of user ids as the legacy `access_control` keeps them (strings, ObjectId or not). */
const UserIdList = z.array(z.string().trim().min(1).max(200)).max(200);

/**
 * A batch's new sharing: the visibility and the read / write / admin lists, each replacing the
 * stored one; a field left out stays as it is. The owner is kept in every list whatever is sent.
 */
export const ShareBatchInput = z.strictObject({
  batch_id: BatchId,
  visibility: Visibility.optional(),
  read_access: UserIdList.optional(),
  write_access: UserIdList.optional(),
  admin_access: UserIdList.optional(),
});
export type ShareBatchInput = z.infer<typeof ShareBatchInput>;

export const BatchSharingJson = z
  .object({
    batch_id: z.string(),
    access_control: AccessControlJson,
    /** The batch's jobs whose own `access_control` copy now matches the batch's. */
    jobs_updated: z.number().int().min(0),
  })
  .meta({ id: 'BatchSharing' });

/**
 * At most this many `ids` per look-up: they travel in a GET's query string, and 40 ids of up to 200
 * characters stay under Node's 16 KB header limit (600 made a 431 before any handler; schemathesis).
 * The share dialog asks in pages of this size.
 */
export const FIND_USERS_IDS_MAX = 40;

/** The user picker: users whose name or e-mail starts with `q`, or the users with these `ids`. */
export const FindUsersInput = z
  .strictObject({
    q: z.string().trim().min(1).max(100).optional(),
    ids: z.array(z.string().trim().min(1).max(200)).max(FIND_USERS_IDS_MAX).optional(),
  })
  .refine((input) => input.q !== undefined || (input.ids?.length ?? 0) > 0, { message: 'Give q or ids', path: ['q'] });
export type FindUsersInput = z.infer<typeof FindUsersInput>;

export const FOUND_USERS_MAX = 10;

export const FoundUsersJson = z
  .object({
    users: z.array(z.object({ id: z.string(), name: z.string(), email: z.string(), active: z.boolean() })),
  })
  .meta({ id: 'FoundUsers' });

/** Changes who may read, change and administer a batch (and so its jobs). */
export const ShareBatchOperation = operation({
  area: 'batch',
  scope: 'write',
  access: 'admin',
  kind: 'mutation',
  input: ShareBatchInput,
  output: BatchSharingJson,
  rest: [
    {
      method: 'POST',
      path: 'batches/{batchId}/access',
      operationId: 'shareBatch',
      summary: "Change a batch's visibility and its read / write / admin user lists (its administrators)",
      description:
        'Each list sent replaces the stored one; a field left out stays. The owner stays in every list. Unknown user ids ' +
        'answer 400 naming the field. The jobs of the batch get the same access_control.',
      tag: 'Batches',
      from: 'body',
      message: 'Sharing changed',
    },
  ],
  cli: {
    group: 'batches',
    command: 'share',
    description: "Change a batch's visibility (the lists: the web UI or the REST route)",
    args: ['batch_id'],
    options: { visibility: 'private or public' },
    done: 'Sharing of {batch_id} changed: {access_control.visibility}, {jobs_updated} job(s) updated.',
  },
});

/**
 * The user picker of the share dialog; deactivated users are left out of a search. A read (GET,
 * query), but it needs the write scope: it serves sharing, and viewers and read-only tokens may
 * not list the installation's users.
 */
export const FindUsersOperation = operation({
  area: 'batch',
  scope: 'write',
  access: 'create',
  kind: 'query',
  input: FindUsersInput,
  output: FoundUsersJson,
  rest: [
    {
      method: 'GET',
      path: 'batches/sharing/users',
      operationId: 'findUsers',
      summary: 'Users whose name or e-mail starts with q (at most 10), or the users with these ids, to share a batch with',
      tag: 'Batches',
      from: 'query',
    },
  ],
  cli: {
    group: 'batches',
    command: 'find-users',
    description: 'Find users to share a batch with, by name or e-mail prefix',
    args: ['q'],
    done: 'Found {users.length} user(s).',
  },
});
