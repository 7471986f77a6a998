import { Schema, type SchemaOptions } from 'mongoose';
import { indexesOf, type IndexSpec } from './indexes';

export const ACCESS_VISIBILITIES = ['private', 'public'] as const;

export interface AccessControlRecord {
  visibility: (typeof ACCESS_VISIBILITIES)[number];
  read_access: string[];
  write_access: string[];
  admin_access: string[];
}

export const accessControlSchema = new Schema(
  {
    visibility: { type: String, enum: ACCESS_VISIBILITIES },
    read_access: { type: [String], default: undefined },
    write_access: { type: [String], default: undefined },
    admin_access: { type: [String], default: undefined },
  },
  { _id: false, strict: 'throw' },
);

/**
 * Options every collection of ours shares: no `__v` (the Python side does not know it), no
 * empty objects, unknown paths in an update are a bug in this lib (throw, do not drop silently),
 * indexes only through ensureIndexes.
 */
export function collectionOptions(collection: IndexSpec['collection']): SchemaOptions {
  return {
    collection,
    versionKey: false,
    minimize: true,
    strict: 'throw',
    id: false,
    autoIndex: false,
    autoCreate: false,
  };
}

export function declareIndexes(schema: Schema, collection: IndexSpec['collection']): void {
  for (const index of indexesOf(collection)) {
    schema.index(index.key, index.unique ? { unique: true } : {});
  }
}
