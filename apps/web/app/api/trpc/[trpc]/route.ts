import { handleTrpcRequest } from '../../../../src/server/api-routes';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** In production server.mjs answers /api/trpc before Next.js routes it; `next dev` comes here. */
export { handleTrpcRequest as GET, handleTrpcRequest as POST };
