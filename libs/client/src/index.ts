// The public entry of @event-monitor/client: a typed tRPC client of the Event Monitor API for Node.

export {
  ConnectionError,
  createEventMonitorClient,
  trpcEndpoint,
  type EventMonitorClient,
  type EventMonitorClientOptions,
} from './lib/client';
export {
  describeClientError,
  inspectClientError,
  type ClientErrorInfo,
  type ClientErrorKind,
} from './lib/errors';
export { TRPCClientError } from '@trpc/client';
export type { AppRouter, RouterInputs, RouterOutputs } from '@event-monitor/api';
