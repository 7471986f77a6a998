import { BATCH_OPERATIONS } from './batch.operations';
import { JOB_OPERATIONS } from './job.operations';
import { FLOW_OPERATIONS } from './flow.operations';
import { RETENTION_OPERATIONS } from './retention.operations';
import { NOTIFY_OPERATIONS } from './notify.operations';
import type { OperationDeclaration } from './operation';

/** Every operation by area; the tRPC router is `{batch, job, flow, retention, notify}` of these. */
export const OPERATIONS = { batch: BATCH_OPERATIONS, job: JOB_OPERATIONS, flow: FLOW_OPERATIONS, retention: RETENTION_OPERATIONS, notify: NOTIFY_OPERATIONS };

export type OperationAreas = typeof OPERATIONS;

/** One operation with its names: `batch.toggleActive` (and the tRPC path, unless REST-only). */
export interface NamedOperation {
  /** `<area>.<key>`: the tRPC procedure path where it has one. */
  name: string;
  key: string;
  /** The tRPC procedure path, or null for a REST-only form. */
  procedure: string | null;
  declaration: OperationDeclaration;
}

/** The table as a flat list, in declaration order. */
export function listOperations(): NamedOperation[] {
  return Object.entries(OPERATIONS).flatMap(([area, operations]) =>
    Object.entries(operations as Record<string, OperationDeclaration>).map(([key, declaration]) => ({
      name: `${area}.${key}`,
      key,
      procedure: declaration.trpc === false ? null : `${area}.${key}`,
      declaration,
    })),
  );
}
