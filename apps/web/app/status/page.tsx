import { Badge, Card, CardContent, CardDescription, CardHeader, CardTitle } from '@event-monitor/ui';
import { pageHost } from '../../src/server/page-host';
import { APP_VERSION, PRODUCT_NAME } from '../../src/server/version';

export const dynamic = 'force-dynamic';

const SOURCE_LABELS: Record<string, string> = {
  'embedded-disk': 'embedded server, data kept in .data/',
  'embedded-memory': 'embedded server, in memory',
  uri: 'MONGODB_URI',
};

/** The system status: what runs, which version, and whether the database answers. */
export default async function StatusPage() {
  const host = pageHost();
  const up = await host.database.isUp();
  const { EVENT_MONITOR_DB_SOURCE, MONGODB_DB } = host.env;
  const source = SOURCE_LABELS[EVENT_MONITOR_DB_SOURCE ?? 'uri'] ?? EVENT_MONITOR_DB_SOURCE;
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-6 px-4 py-12">
      <header className="flex flex-col gap-1">
        <h1 className="text-3xl font-bold tracking-tight">{PRODUCT_NAME}</h1>
        <p className="text-muted-foreground">
          Batches of media-processing jobs: created, watched and steered.
        </p>
      </header>
      <Card>
        <CardHeader>
          <CardTitle>System status</CardTitle>
          <CardDescription>Version {APP_VERSION}</CardDescription>
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-3 text-sm">
            <dt className="text-muted-foreground">Database</dt>
            <dd>
              <Badge data-testid="db-status" variant={up ? 'success' : 'destructive'}>
                {up ? 'up' : 'down'}
              </Badge>
            </dd>
            <dt className="text-muted-foreground">Database name</dt>
            <dd className="font-mono">{MONGODB_DB}</dd>
            <dt className="text-muted-foreground">Source</dt>
            <dd>{source}</dd>
            <dt className="text-muted-foreground">Health endpoint</dt>
            <dd>
              <a className="font-mono underline underline-offset-4" href="/api/health">
                /api/health
              </a>
            </dd>
          </dl>
        </CardContent>
      </Card>
    </main>
  );
}
