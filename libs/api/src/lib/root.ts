import { auditRouter } from './routers/audit.router';
import { batchRouter } from './routers/batch.router';
import { jobRouter } from './routers/job.router';
import { liveRouter } from './routers/live.router';
import { metricsRouter } from './routers/metrics.router';
import { tokenRouter } from './routers/token.router';
import { userRouter } from './routers/user.router';
import { workerRouter } from './routers/worker.router';
import { flowRouter } from './routers/flow.router';
import { retentionRouter } from './routers/retention.router';
import { notifyRouter } from './routers/notify.router';
import { createCallerFactory, publicProcedure, router } from './trpc';

export const appRouter = router({
  health: publicProcedure.query(() => ({ status: 'ok' as const })),
  batch: batchRouter,
  job: jobRouter,
  worker: workerRouter,
  user: userRouter,
  token: tokenRouter,
  live: liveRouter,
  audit: auditRouter,
  metrics: metricsRouter,
  flow: flowRouter,
  retention: retentionRouter,
  notify: notifyRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
