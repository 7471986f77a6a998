// The one public entry of @event-monitor/contracts: the zod schemas of every input, the language
// list and the limits. No database code, so the browser may import it (forms validate with the
// same schemas as the server).
export * from './lib/languages';
export * from './lib/limits';
export * from './lib/common.schema';
export * from './lib/job.schema';
export * from './lib/batch.schema';
export * from './lib/bulk.schema';
export * from './lib/triage.schema';
export * from './lib/worker.schema';
export * from './lib/json-input';
export * from './lib/responses.schema';
export * from './lib/overview.schema';
export * from './lib/eta';
export * from './lib/schedule';
export * from './lib/operations/operation';
export * from './lib/operations/batch.operations';
export * from './lib/operations/sharing.operations';
export * from './lib/operations/job.operations';
export * from './lib/operations/triage.operations';
export * from './lib/operations/operations';
export * from './lib/idempotency.schema';
export * from './lib/flow.schema';
export * from './lib/operations/flow.operations';
export * from './lib/retention.schema';
export * from './lib/operations/retention.operations';
export * from './lib/notify.schema';
export * from './lib/operations/notify.operations';
