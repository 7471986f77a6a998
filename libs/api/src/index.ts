import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './lib/root';

export { appRouter, createCaller, type AppRouter } from './lib/root';
export { createContextInner, type ApiContext } from './lib/trpc';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
