import { createTRPCReact, type CreateTRPCReact } from '@trpc/react-query';
import type { AppRouter } from '@event-monitor/api';

/** The typed tRPC hooks (`trpc.batch.list.useQuery(...)`), talking to /api/trpc. */
export const trpc: CreateTRPCReact<AppRouter, unknown> = createTRPCReact<AppRouter>();
