import type { Metadata } from 'next';
import { ScalarReference } from '../../src/components/api-docs/scalar-reference';

export const metadata: Metadata = {
  title: 'REST API reference · Event Monitor',
  description: 'The /api/event-job routes, interactive: read them and try a request with your API token.',
};

/**
 * The interactive REST reference (Scalar) of our OpenAPI document. The static reference, rendered
 * on the server from the same document, stays at /api-docs/static (works without scripts).
 */
export default function ApiDocsPage() {
  return (
    // Our own background: Scalar's stylesheet paints <body> in its colours while it is mounted.
    <main className="bg-background text-foreground flex min-h-screen flex-col">
      <p className="border-b px-4 py-2 text-sm">
        Try a request: open an operation, choose <strong>Test Request</strong> and paste an API token (Admin → API
        tokens) as the bearer token. Without scripts: the{' '}
        <a className="underline" href="/api-docs/static">
          static reference
        </a>
        ; machine-readable:{' '}
        <a className="underline" href="/api/event-job/openapi.json">
          /api/event-job/openapi.json
        </a>
        .
      </p>
      <ScalarReference />
    </main>
  );
}
