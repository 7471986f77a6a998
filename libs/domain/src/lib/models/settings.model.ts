import { Schema, type Model, type Types } from 'mongoose';
import { APP_SETTINGS_COLLECTION } from './indexes';
import { collectionOptions, declareIndexes } from './shared-schemas';

/** The `_id` of the retention policy's document. */
export const RETENTION_SETTINGS_ID = 'retention';

/**
 * The installation's retention policy (issue 20 item 5): one document, `_id: 'retention'`. An
 * action without days is off; no document at all is the default (both off). Ours only.
 */
export interface RetentionSettingsRecord {
  _id: string;
  archive_finished_after_days?: number;
  delete_archived_after_days?: number;
  updated_at?: Date;
  updated_by?: string;
  /** When the sweep last started a run: a conditional update of it keeps runs to one an hour. */
  last_auto_run_at?: Date;
}

export type RetentionSettingsModel = Model<RetentionSettingsRecord>;
export const RETENTION_SETTINGS_MODEL_NAME = 'RetentionSettings';

export const retentionSettingsSchema = new Schema(
  {
    _id: { type: String, required: true },
    archive_finished_after_days: Number,
    delete_archived_after_days: Number,
    updated_at: Date,
    updated_by: String,
    last_auto_run_at: Date,
  },
  collectionOptions(APP_SETTINGS_COLLECTION),
);
declareIndexes(retentionSettingsSchema, APP_SETTINGS_COLLECTION);

/** The `_id` of the search indexer's checkpoint document. */
export const SEARCH_INDEX_STATE_ID = 'search_index';

/**
 * Where the search indexer (search-index.service.ts) is in the jobs' change feed: the
 * `updated_at` and `_id` of the last job it may skip from now on. Ours only.
 */
export interface SearchIndexStateRecord {
  _id: string;
  after_updated_at?: Date;
  after_id?: Types.ObjectId;
  updated_at?: Date;
}

export type SearchIndexStateModel = Model<SearchIndexStateRecord>;
export const SEARCH_INDEX_STATE_MODEL_NAME = 'SearchIndexState';

export const searchIndexStateSchema = new Schema(
  {
    _id: { type: String, required: true },
    after_updated_at: Date,
    after_id: Schema.Types.ObjectId,
    updated_at: Date,
  },
  collectionOptions(APP_SETTINGS_COLLECTION),
);
