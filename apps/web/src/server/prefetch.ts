import { createServerSideHelpers } from '@trpc/react-query/server';
import { appRouter, createContextInner } from '@event-monitor/api';
import superjson from 'superjson';
import { pageHost } from './page-host';
import { getCurrentPrincipal } from './session';

type ServerHelpers = ReturnType<typeof createServerSideHelpers<typeof appRouter>>;

/** A page's first data, serialized for `<HydrateQueries>`: the client renders it without a request. */
export type PrefetchedState = ReturnType<ServerHelpers['dehydrate']>;

/**
 * Runs the page's first queries through the tRPC router, as the signed-in principal of this
 * request, and returns them dehydrated (superjson, like the HTTP link). Only answers that
 * succeeded are handed over; a failed query is asked again by the client, which shows its error.
 */
export async function prefetchQueries(load: (helpers: ServerHelpers) => Promise<unknown>): Promise<PrefetchedState> {
  const host = pageHost();
  const helpers = createServerSideHelpers({
    router: appRouter,
    ctx: createContextInner({ getDomain: host.domain, getAuth: host.auth, principal: await getCurrentPrincipal() }),
    transformer: superjson,
  });
  await load(helpers);
  return helpers.dehydrate({ shouldDehydrateQuery: (query) => query.state.status === 'success' });
}
